import { usePageTitle } from "@/components/page-title";
import { useMe } from "@/features/auth/hooks/use-me";
import { VerificationHome } from "@/features/verification/components/verification-home";
import { useI18n } from "@/i18n";

export function HomeRoute() {
  const { t } = useI18n();
  const { state } = useMe();
  usePageTitle(t("home.title"));

  return (
    <section className="card" aria-labelledby="home-title">
      <h1 id="home-title">{t("home.title")}</h1>
      <p className="lead">{t("home.intro")}</p>
      <VerificationHome />
      {state.status === "ready" && (
        <>
          <h2 className="section-title">{t("home.account")}</h2>
          <dl className="facts">
            <div>
              <dt>{t("home.email")}</dt>
              <dd data-testid="me-email">{state.me.email}</dd>
            </div>
            <div>
              <dt>{t("home.roles")}</dt>
              <dd>
                <ul className="tags" data-testid="me-roles">
                  {state.me.roles.map((role) => (
                    <li key={role} className="tag">
                      {t(`role.${role}`)}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          </dl>
        </>
      )}
    </section>
  );
}
