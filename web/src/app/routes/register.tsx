import { Link, useNavigate } from "react-router";
import { usePageTitle } from "@/components/page-title";
import { register } from "@/features/auth/api/auth-api";
import { RegisterForm } from "@/features/auth/components/register-form";
import { useSessionStore } from "@/features/auth/session";
import { useI18n } from "@/i18n";

export function RegisterRoute() {
  const { t } = useI18n();
  const store = useSessionStore();
  const navigate = useNavigate();
  usePageTitle(t("register.title"));

  return (
    <section className="card card--narrow" aria-labelledby="register-title">
      <h1 id="register-title">{t("register.title")}</h1>
      <p className="lead">{t("register.subtitle")}</p>
      <RegisterForm
        submit={register}
        onSuccess={(session) => {
          store.start(session);
          void navigate("/", { replace: true });
        }}
      />
      <p className="switch">
        {t("register.haveAccount")} <Link to="/login">{t("register.loginLink")}</Link>
      </p>
    </section>
  );
}
