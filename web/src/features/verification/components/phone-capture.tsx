// The phone's page for a continue-on-your-phone link (`/handoff#<token>`): exchanges the token
// once for a capture session (memory only), then shows only the capture steps — document
// sides, selfie, liveness where the level has it — and finally "Done — return to your
// computer". The computer follows along and moves on.
import { useEffect, useState } from "react";
import { FormProblemAlert } from "@/components/form-problem";
import { usePageTitle } from "@/components/page-title";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useI18n, type UiKey } from "@/i18n";
import { setCaptureSession } from "@/lib/api/client";
import type { ApiProblem } from "@/lib/api/result";
import type { ImageKind, Verification } from "@/lib/api/types";
import { toFormProblem, type FormProblem } from "@/lib/form/server-errors";
import { completeHandoff, exchangeHandoff, getVerification } from "../api/handoff-api";
import { uploadDocument, uploadSelfie } from "../api/verification-api";
import { captureTasks, sameTask } from "../lib/capture-tasks";
import { imageStates } from "../lib/state";
import { ImageCapture } from "./image-capture";
import { ImageTiles, sideLabel } from "./image-tiles";
import { LivenessCapture } from "./liveness-step";

type Phase =
  | { kind: "opening" }
  | { kind: "failed"; message: UiKey | null; problem: FormProblem | null }
  | { kind: "capturing"; v: Verification }
  | { kind: "done" };

let taken: string | null = null;

/** The token from the fragment, read once; the fragment is then dropped from the address bar. */
function takeToken(): string {
  if (taken === null) {
    taken = decodeURIComponent(window.location.hash.slice(1));
    if (taken) window.history.replaceState(null, "", window.location.pathname);
  }
  return taken;
}

const LINK_CODES = new Set(["unknown", "used", "expired", "revoked"]);

function failure(problem: ApiProblem): Phase {
  if (problem.kind === "api" && problem.error.code === "handoff_invalid") {
    const code = problem.error.fields?.[0]?.code ?? "unknown";
    return { kind: "failed", message: `handoff.link.${LINK_CODES.has(code) ? code : "unknown"}` as UiKey, problem: null };
  }
  if (problem.kind === "api" && (problem.error.code === "invalid_token" || problem.error.code === "token_expired")) {
    return { kind: "failed", message: "handoff.sessionEnded", problem: null };
  }
  return { kind: "failed", message: null, problem: toFormProblem(problem) };
}

export function PhoneCapture() {
  const { t } = useI18n();
  usePageTitle(t("handoff.phoneTitle"));
  const [phase, setPhase] = useState<Phase>(() =>
    takeToken() ? { kind: "opening" } : { kind: "failed", message: "handoff.noToken", problem: null },
  );
  const [finishing, setFinishing] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);

  useEffect(() => {
    const token = takeToken();
    if (!token) return;
    const run = { alive: true };
    const gone = () => !run.alive;
    void (async () => {
      const session = await exchangeHandoff(token);
      if (gone()) return;
      if (!session.ok) {
        setPhase(failure(session.problem));
        return;
      }
      setCaptureSession(session.data.capture_token);
      const v = await getVerification(session.data.verification_id);
      if (gone()) return;
      setPhase(v.ok ? { kind: "capturing", v: v.data } : failure(v.problem));
    })();
    return () => {
      run.alive = false;
    };
  }, []);

  // The session ends with the page.
  useEffect(
    () => () => {
      setCaptureSession(null);
    },
    [],
  );

  let body;
  if (phase.kind === "opening") body = <Spinner label={t("handoff.opening")} />;
  else if (phase.kind === "failed") body = phase.message ? <Alert>{t(phase.message)}</Alert> : <FormProblemAlert problem={phase.problem} />;
  else if (phase.kind === "done") {
    body = (
      <div data-testid="handoff-done">
        <h2 className="section-title">{t("handoff.done")}</h2>
        <p className="lead">{t("handoff.doneBody")}</p>
      </div>
    );
  } else {
    const v = phase.v;
    const update = (next: Verification) => {
      setPhase({ kind: "capturing", v: next });
    };
    const { all, open } = captureTasks(v);
    const task = open[0];
    const sides = v.required_sides;
    if (sides.length === 0) body = <Alert tone="info">{t("handoff.needsComputer")}</Alert>;
    else if (!task) {
      body = (
        <>
          <ImageTiles items={imageStates(v, [...sides, ...(v.steps.some((s) => s.name === "selfie") ? (["selfie"] as ImageKind[]) : [])])} />
          <Alert tone="info">{t("handoff.allTaken")}</Alert>
          {problem && <FormProblemAlert problem={problem} />}
          <div className="actions">
            <Button
              busy={finishing}
              onClick={() => {
                setFinishing(true);
                void completeHandoff(v.id).then((r) => {
                  setFinishing(false);
                  if (r.ok) {
                    setCaptureSession(null);
                    setPhase({ kind: "done" });
                  } else setProblem(toFormProblem(r.problem));
                });
              }}
            >
              {t("handoff.finish")}
            </Button>
          </div>
        </>
      );
    } else {
      const n = all.findIndex((x) => sameTask(x, task)) + 1;
      body = (
        <>
          <p className="wizard-progress__label">{t("handoff.stepProgress", { n, total: all.length })}</p>
          {task.kind === "side" && (
            <section aria-labelledby="side-title">
              <h2 id="side-title" className="section-title">
                {t("doc.sideTitle", { side: t(sideLabel(task.side)) })}
              </h2>
              <ImageCapture
                key={task.side}
                label={t(sideLabel(task.side))}
                overlay="document"
                upload={(file, onProgress) => uploadDocument(v.id, task.side, file, { onProgress })}
                onUploaded={(result) => {
                  update(result.verification);
                }}
              />
            </section>
          )}
          {task.kind === "selfie" && (
            <section aria-labelledby="selfie-title">
              <h2 id="selfie-title" className="section-title">
                {t("selfie.title")}
              </h2>
              <p className="lead">{t("selfie.intro")}</p>
              <div className="rules">
                <p className="rules__title">{t("selfie.rulesTitle")}</p>
                <ul>
                  {(["selfie.rule.hat", "selfie.rule.glasses", "selfie.rule.light", "selfie.rule.look"] as const).map((k) => (
                    <li key={k}>{t(k)}</li>
                  ))}
                </ul>
              </div>
              <ImageCapture
                key="selfie"
                label={t("doc.side.selfie")}
                overlay="face"
                upload={(file, onProgress) => uploadSelfie(v.id, file, { onProgress })}
                onUploaded={(result) => {
                  update(result.verification);
                }}
              />
            </section>
          )}
          {task.kind === "liveness" && (
            <section aria-labelledby="liveness-title">
              <h2 id="liveness-title" className="section-title">
                {t("liveness.title")}
              </h2>
              <LivenessCapture v={v} onPassed={update} />
            </section>
          )}
        </>
      );
    }
  }

  return (
    <section className="card wizard" aria-labelledby="phone-title" data-testid="phone-capture">
      <h1 id="phone-title">{t("handoff.phoneTitle")}</h1>
      {body}
    </section>
  );
}
