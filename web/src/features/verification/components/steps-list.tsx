import { Link } from "react-router";
import { useI18n, type UiKey } from "@/i18n";
import type { StepKind, StepStatus, Verification } from "@/lib/api/types";
import { flagged, stepPath, stepsOf } from "../lib/state";

const STEP: Record<StepKind | "submit", UiKey> = {
  personal_info: "step.personal_info",
  document: "step.document",
  selfie: "step.selfie",
  liveness: "step.liveness",
  submit: "step.submit",
};
export const stepLabel = (s: StepKind | "submit"): UiKey => STEP[s];

const STATUS: Record<StepStatus, UiKey> = {
  not_started: "stepStatus.not_started",
  in_progress: "stepStatus.in_progress",
  complete: "stepStatus.complete",
  accepted: "stepStatus.accepted",
};

/** The steps of a verification with their status; editable ones link to their page. */
export function StepsList({ verification, editable }: { verification: Verification; editable: boolean }) {
  const { t } = useI18n();
  const marked = flagged(verification);
  return (
    <ol className="steps" aria-label={t("verify.stepsTitle")}>
      {stepsOf(verification).map((name) => {
        const step = verification.steps.find((s) => s.name === name);
        const status = step?.status ?? "not_started";
        const fix = marked.steps.has(name) && status !== "accepted" && status !== "complete";
        return (
          <li key={name} className={`steps__item steps__item--${status}${fix ? " steps__item--fix" : ""}`} data-testid={`step-${name}`} data-status={status}>
            <span className="steps__name">{t(STEP[name])}</span>
            <span className="steps__status">{fix ? t("verify.needsFix") : t(STATUS[status])}</span>
            {editable && status !== "accepted" && (
              <Link to={stepPath(name)} className="steps__edit" aria-label={`${t("submit.edit")}: ${t(STEP[name])}`}>
                {t("submit.edit")}
              </Link>
            )}
          </li>
        );
      })}
    </ol>
  );
}
