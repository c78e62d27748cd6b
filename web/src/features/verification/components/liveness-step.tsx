import { useCallback, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { FormProblemAlert } from "@/components/form-problem";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useI18n } from "@/i18n";
import type { Verification } from "@/lib/api/types";
import { toFormProblem, type FormProblem } from "@/lib/form/server-errors";
import { startLivenessChallenge, submitLiveness, type LivenessFrame } from "../api/verification-api";
import { useCamera } from "../hooks/use-camera";
import { isLivenessAction, plan, type LivenessPhase, type PlannedFrame } from "../lib/liveness";
import { stepPath } from "../lib/state";
import { WizardShell } from "./wizard-shell";

type Run = { kind: "ready" } | { kind: "capturing"; phase: LivenessPhase } | { kind: "sending" } | { kind: "failed"; problem: FormProblem };

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/** A frame of the (unmirrored) camera image, 640 px wide, as a JPEG. */
async function grab(video: HTMLVideoElement): Promise<Blob | null> {
  if (video.videoWidth === 0) return null;
  const canvas = document.createElement("canvas");
  canvas.width = 640;
  canvas.height = Math.round((video.videoHeight * 640) / video.videoWidth);
  canvas.getContext("2d")?.drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => {
    canvas.toBlob(resolve, "image/jpeg", 0.85);
  });
}

/** Captures the planned frames, telling the page which movement to show. */
async function captureBurst(
  video: { current: HTMLVideoElement | null },
  frames: PlannedFrame[],
  onPhase: (phase: LivenessPhase) => void,
): Promise<LivenessFrame[]> {
  const out: LivenessFrame[] = [];
  const started = performance.now();
  for (const f of frames) {
    onPhase(f.phase);
    const wait = started + f.at - performance.now();
    if (wait > 0) await sleep(wait);
    const blob = video.current ? await grab(video.current) : null;
    if (blob) out.push({ blob, at: performance.now() });
  }
  return out;
}

// Step 3b: the active liveness check. The server picks 2–3 head movements; the page shows each
// in turn while it captures frames, then sends them; the server decides.
export function LivenessStep() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <WizardShell step="liveness" title={t("liveness.title")}>
      {(v, replace) => (
        <LivenessCapture
          v={v}
          onPassed={(next) => {
            replace(next);
            const step = next.next;
            void navigate(stepPath(step === "personal_info" || step === "document" || step === "selfie" ? step : "submit"));
          }}
        />
      )}
    </WizardShell>
  );
}

/** The challenge itself, for the wizard page and for a phone continuing the capture. */
export function LivenessCapture({ v, onPassed }: { v: Verification; onPassed: (next: Verification) => void }) {
  const { t } = useI18n();
  const { state: cameraState, start: startCamera, attach } = useCamera("user");
  const video = useRef<HTMLVideoElement | null>(null);
  const [run, setRun] = useState<Run>({ kind: "ready" });
  const ref = useCallback(
    (el: HTMLVideoElement | null) => {
      video.current = el;
      attach(el);
    },
    [attach],
  );

  const go = async () => {
    const challenge = await startLivenessChallenge(v.id);
    if (!challenge.ok) {
      setRun({ kind: "failed", problem: toFormProblem(challenge.problem) });
      return;
    }
    const actions = challenge.data.actions.filter(isLivenessAction);
    const frames = await captureBurst(video, plan(actions, challenge.data.min_frames, challenge.data.max_frames), (phase) => {
      setRun({ kind: "capturing", phase });
    });
    setRun({ kind: "sending" });
    const result = await submitLiveness(v.id, challenge.data, frames);
    if (!result.ok) {
      const fields = result.problem.kind === "api" ? (result.problem.error.fields ?? []) : [];
      setRun({ kind: "failed", problem: toFormProblem(result.problem, fields) });
      return;
    }
    setRun({ kind: "ready" });
    onPassed(result.data.verification);
  };

  return (
    <>
      <p className="lead">{t("liveness.intro")}</p>
      <div className="viewfinder viewfinder--face">
        {cameraState === "live" ? (
          <video ref={ref} className="viewfinder__video" autoPlay playsInline muted aria-label={t("camera.preview")} />
        ) : (
          <div className="viewfinder__placeholder">
            {cameraState === "requesting" && <Spinner label={t("camera.requesting")} />}
            {cameraState === "denied" && <Alert>{t("liveness.cameraNeeded")}</Alert>}
            {cameraState === "unavailable" && <Alert tone="info">{t("liveness.cameraNeeded")}</Alert>}
          </div>
        )}
      </div>
      <p className="liveness__prompt" role="status" aria-live="assertive" data-testid="liveness-prompt">
        {run.kind === "capturing" && t(`liveness.do.${run.phase}`)}
        {run.kind === "sending" && t("liveness.sending")}
      </p>
      {run.kind === "failed" && <FormProblemAlert problem={run.problem} />}
      <div className="actions">
        {cameraState !== "live" ? (
          <Button onClick={() => void startCamera()}>{t("camera.allow")}</Button>
        ) : (
          (run.kind === "ready" || run.kind === "failed") && (
            <Button onClick={() => void go()}>{t(run.kind === "failed" ? "liveness.again" : "liveness.start")}</Button>
          )
        )}
      </div>
    </>
  );
}
