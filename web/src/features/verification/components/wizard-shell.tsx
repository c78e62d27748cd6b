import type { ReactNode } from "react";
import { Link } from "react-router";
import { FormProblemAlert } from "@/components/form-problem";
import { usePageTitle } from "@/components/page-title";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { Alert } from "@/components/ui/alert";
import { useI18n } from "@/i18n";
import type { StepKind, Verification } from "@/lib/api/types";
import { toFormProblem } from "@/lib/form/server-errors";
import { useVerification } from "../hooks/use-verification";
import { stepsOf } from "../lib/state";

interface WizardShellProps {
  step: StepKind | "submit";
  title: string;
  children: (v: Verification, replace: (v: Verification) => void) => ReactNode;
}

/** One wizard page: loads the verification, shows where the applicant is, and guards the step. */
export function WizardShell({ step, title, children }: WizardShellProps) {
  const { t } = useI18n();
  const { state, reload, replace } = useVerification();
  usePageTitle(title);

  let body: ReactNode;
  let position: ReactNode = null;
  if (state.status === "loading") {
    body = <Spinner label={t("home.loadingVerification")} />;
  } else if (state.status === "error") {
    body = (
      <>
        <FormProblemAlert problem={toFormProblem(state.problem)} />
        <Button variant="secondary" onClick={reload}>
          {t("home.retry")}
        </Button>
      </>
    );
  } else if (state.verification?.status !== "draft") {
    body = (
      <>
        <Alert tone="info">{t("verify.notDraft")}</Alert>
        <Link to="/">{t("verify.home")}</Link>
      </>
    );
  } else {
    const v = state.verification;
    const all: (StepKind | "submit")[] = [...stepsOf(v), "submit"];
    const n = all.indexOf(step) + 1;
    position = (
      <div className="wizard-progress">
        <p className="wizard-progress__label">{t("verify.stepOf", { n, total: all.length })}</p>
        <progress className="wizard-progress__bar" max={all.length} value={n} aria-label={t("verify.stepOf", { n, total: all.length })} />
      </div>
    );
    body = children(v, replace);
  }

  return (
    <section className="card wizard" aria-labelledby="wizard-title">
      <Link to="/" className="wizard__home">
        ← {t("verify.home")}
      </Link>
      {position}
      <h1 id="wizard-title">{title}</h1>
      {body}
    </section>
  );
}
