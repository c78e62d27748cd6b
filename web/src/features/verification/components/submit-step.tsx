import { useState } from "react";
import { useNavigate } from "react-router";
import { FormProblemAlert } from "@/components/form-problem";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useI18n } from "@/i18n";
import type { StepKind } from "@/lib/api/types";
import { toFormProblem, type FormProblem } from "@/lib/form/server-errors";
import { submitVerification } from "../api/verification-api";
import { StepsList, stepLabel } from "./steps-list";
import { WizardShell } from "./wizard-shell";

export function SubmitStep() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  return (
    <WizardShell step="submit" title={t("submit.title")}>
      {(v) => {
        const missing = v.steps.filter((s) => s.status !== "complete" && s.status !== "accepted").map((s) => s.name);
        return (
          <>
            <p className="lead">{t("submit.intro")}</p>
            <StepsList verification={v} editable />
            {missing.length > 0 && (
              <Alert tone="info">
                <p>{t("submit.missing")}</p>
                <ul>
                  {missing.map((m: StepKind) => (
                    <li key={m}>{t(stepLabel(m))}</li>
                  ))}
                </ul>
              </Alert>
            )}
            <FormProblemAlert problem={problem} />
            <Button
              busy={busy}
              disabled={missing.length > 0}
              onClick={() => {
                setBusy(true);
                setProblem(null);
                void submitVerification(v.id).then((result) => {
                  setBusy(false);
                  if (result.ok) void navigate("/", { replace: true });
                  else setProblem(toFormProblem(result.problem, result.problem.kind === "api" ? (result.problem.error.fields ?? []) : []));
                });
              }}
            >
              {busy ? t("submit.submitting") : t("submit.button")}
            </Button>
          </>
        );
      }}
    </WizardShell>
  );
}
