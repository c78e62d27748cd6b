import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { FormProblemAlert } from "@/components/form-problem";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useI18n, type UiKey } from "@/i18n";
import type { ApiResult } from "@/lib/api/result";
import type { Verification } from "@/lib/api/types";
import { toFormProblem, type FormProblem } from "@/lib/form/server-errors";
import { retryVerification, startVerification } from "../api/verification-api";
import { useLevels } from "../hooks/use-catalogue";
import { useVerification } from "../hooks/use-verification";
import { homeState, stepPath, type HomeState } from "../lib/state";
import { FailureView } from "./failure-view";
import { StepsList, stepLabel } from "./steps-list";

const TITLE: Record<HomeState["kind"], UiKey> = {
  not_started: "state.not_started.title",
  draft: "state.draft.title",
  waiting: "state.waiting.title",
  action_required: "state.action_required.title",
  approved: "state.approved.title",
  rejected: "state.rejected.title",
  expired: "state.expired.title",
  abandoned: "state.abandoned.title",
};

/** Identity Verification at a glance: the state, the level, and the one thing to do next. */
export function VerificationHome() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const { state, reload, replace } = useVerification();
  const levels = useLevels();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);

  if (state.status === "loading") return <Spinner label={t("home.loadingVerification")} />;
  if (state.status === "error") {
    return (
      <>
        <FormProblemAlert problem={toFormProblem(state.problem)} />
        <Button variant="secondary" onClick={reload}>
          {t("home.retry")}
        </Button>
      </>
    );
  }

  const v = state.verification;
  const home = homeState(v);
  const levelName = v?.level ?? levels?.[0]?.name;
  const level = levels?.find((l) => l.name === levelName);

  const act = (call: () => Promise<ApiResult<Verification>>) => {
    setBusy(true);
    setProblem(null);
    void call().then((result) => {
      setBusy(false);
      if (!result.ok) {
        setProblem(toFormProblem(result.problem));
        return;
      }
      replace(result.data);
      const next = homeState(result.data);
      if (next.kind === "draft") void navigate(stepPath(next.next));
    });
  };

  const tone = home.kind === "approved" ? "ok" : home.kind === "action_required" || home.kind === "rejected" ? "bad" : home.kind === "waiting" ? "wait" : "neutral";

  return (
    <div className="verification-home" data-testid="verification-home" data-state={home.kind}>
      <div className={`status status--${tone}`} role="status" aria-live="polite">
        <span className="status__dot" aria-hidden="true" />
        <div>
          <p className="status__title" data-testid="status-title">
            {t(TITLE[home.kind])}
          </p>
          {home.kind === "not_started" && <p>{t("state.not_started.body")}</p>}
          {home.kind === "draft" && <p>{home.retrying ? t("state.draft.retryBody") : t("state.draft.body", { step: t(stepLabel(home.next)) })}</p>}
          {home.kind === "waiting" && (
            <>
              <p data-testid="waiting-stage" data-stage={home.stage}>
                {t(`waiting.${home.stage}`)}
              </p>
              <p className="muted">
                {home.estimateSeconds !== null
                  ? t("waiting.estimate", { minutes: Math.max(1, Math.round(home.estimateSeconds / 60)) })
                  : t("waiting.noEstimate")}{" "}
                {t("waiting.live")}
              </p>
              {home.submittedAt && (
                <p className="muted">
                  {t("waiting.submittedAt", {
                    when: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(home.submittedAt)),
                  })}
                </p>
              )}
            </>
          )}
          {home.kind === "action_required" && <p>{t("state.action_required.body")}</p>}
          {home.kind === "approved" && <p>{t("state.approved.body")}</p>}
          {home.kind === "rejected" && <p>{t("state.rejected.body")}</p>}
          {home.kind === "expired" && <p>{t("state.expired.body")}</p>}
          {home.kind === "abandoned" && <p>{t("state.abandoned.body")}</p>}
        </div>
      </div>

      {levelName && (
        <dl className="facts facts--inline">
          <div>
            <dt>{t("home.level")}</dt>
            <dd data-testid="level">
              {levelName}
              {level && <span className="muted"> — {level.description}</span>}
            </dd>
          </div>
        </dl>
      )}

      <FormProblemAlert problem={problem} />

      {home.kind === "not_started" || home.kind === "expired" || home.kind === "abandoned" ? (
        <Button busy={busy} onClick={() => {
            act(startVerification);
          }}>
          {busy ? t("verify.starting") : home.kind === "not_started" ? t("verify.start") : t("verify.startAgain")}
        </Button>
      ) : null}

      {home.kind === "draft" && v && (
        <>
          <StepsList verification={v} editable />
          <Link className="button button--primary" to={stepPath(home.next)}>
            {t("verify.continue")}
          </Link>
        </>
      )}

      {(home.kind === "waiting" || home.kind === "approved") && v && <StepsList verification={v} editable={false} />}

      {(home.kind === "action_required" || home.kind === "rejected") && v && (
        <>
          <FailureView verification={v} />
          {home.kind === "action_required" &&
            (v.attempts_left > 0 ? (
              <>
                <p className="muted">{t("verify.attemptsLeft", { left: v.attempts_left, total: v.attempts_per_day })}</p>
                <Button busy={busy} onClick={() => {
                    act(() => retryVerification(v.id));
                  }}>
                  {busy ? t("verify.retrying") : t("verify.retry")}
                </Button>
              </>
            ) : (
              <p className="muted">{t("verify.noAttemptsLeft")}</p>
            ))}
        </>
      )}
    </div>
  );
}
