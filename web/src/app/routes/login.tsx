import { Link, useLocation, useNavigate } from "react-router";
import { usePageTitle } from "@/components/page-title";
import { Alert } from "@/components/ui/alert";
import { login } from "@/features/auth/api/auth-api";
import { LoginForm } from "@/features/auth/components/login-form";
import { homeFor, safeReturnPath, type ReturnState } from "@/features/auth/components/route-guards";
import { useSessionStore } from "@/features/auth/session";
import { useI18n } from "@/i18n";

export function LoginRoute() {
  const { t } = useI18n();
  const store = useSessionStore();
  const navigate = useNavigate();
  const location = useLocation();
  const state = location.state as (ReturnState & { signedOut?: boolean }) | null;
  usePageTitle(t("login.title"));

  return (
    <section className="card card--narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t("login.title")}</h1>
      <p className="lead">{t("login.subtitle")}</p>
      {state?.signedOut && <Alert tone="info">{t("login.signedOut")}</Alert>}
      <LoginForm
        submit={login}
        onSuccess={(session) => {
          store.start(session);
          void navigate(state?.from ? safeReturnPath(state.from) : homeFor(session.user.roles), { replace: true });
        }}
      />
      <p className="switch">
        {t("login.noAccount")} <Link to="/register">{t("login.registerLink")}</Link>
      </p>
    </section>
  );
}
