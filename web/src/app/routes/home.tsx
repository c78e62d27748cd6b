import { FormProblemAlert } from "@/components/form-problem";
import { usePageTitle } from "@/components/page-title";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useMe } from "@/features/auth/hooks/use-me";
import { useI18n } from "@/i18n";
import { toFormProblem } from "@/lib/form/server-errors";

export function HomeRoute() {
  const { t } = useI18n();
  const { state, reload } = useMe();
  usePageTitle(t("home.title"));

  return (
    <section className="card" aria-labelledby="home-title">
      <h1 id="home-title">{t("home.title")}</h1>
      <p className="lead">{t("home.intro")}</p>
      {state.status === "loading" && <Spinner label={t("home.loading")} />}
      {state.status === "error" && (
        <>
          <FormProblemAlert problem={toFormProblem(state.problem)} />
          <Button variant="secondary" onClick={reload}>
            {t("home.retry")}
          </Button>
        </>
      )}
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
          <p className="muted">{t("home.next")}</p>
        </>
      )}
    </section>
  );
}
