import { Link } from "react-router";
import { usePageTitle } from "@/components/page-title";
import { useI18n } from "@/i18n";

export function NotFoundRoute() {
  const { t } = useI18n();
  usePageTitle(t("notFound.title"));
  return (
    <section className="card card--narrow" aria-labelledby="nf-title">
      <h1 id="nf-title">{t("notFound.title")}</h1>
      <p>{t("notFound.body")}</p>
      <p>
        <Link to="/">{t("notFound.home")}</Link>
      </p>
    </section>
  );
}
