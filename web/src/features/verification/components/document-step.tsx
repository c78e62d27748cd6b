import { useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useI18n } from "@/i18n";
import type { ImageKind } from "@/lib/api/types";
import { cancelHandoff } from "../api/handoff-api";
import { uploadDocument } from "../api/verification-api";
import { imageStates, stepPath } from "../lib/state";
import { documentLabel } from "./document-type-cards";
import { HandoffPanel } from "./handoff-panel";
import { ImageCapture } from "./image-capture";
import { ImageTiles, sideLabel } from "./image-tiles";
import { WizardShell } from "./wizard-shell";

// Step 2: front and back, in this browser (the default) or on a phone through a one-time link
// (QR code), which then takes the selfie and liveness too; this page follows it and moves on.
type Mode = "browser" | "phone";

export function DocumentStep() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [retake, setRetake] = useState<ImageKind | null>(null);
  const [announce, setAnnounce] = useState("");
  const [cameraChosen, setCameraChosen] = useState(false);
  const [uploads, setUploads] = useState(0);
  const [mode, setMode] = useState<Mode>("browser");
  const sideHeading = useRef<HTMLHeadingElement>(null);
  // After each accepted photo, keyboard and screen-reader users continue at the next side.
  useEffect(() => {
    if (uploads > 0) sideHeading.current?.focus();
  }, [uploads]);
  return (
    <WizardShell step="document" title={t("doc.title")}>
      {(v, replace) => {
        const type = v.personal_info?.document_type;
        if (!type) {
          return (
            <Alert tone="info">
              {t("doc.noDocument")} <Link to={stepPath("personal_info")}>{t("step.personal_info")}</Link>
            </Alert>
          );
        }
        const sides = v.required_sides.filter((k): k is "front" | "back" => k === "front" || k === "back");
        const states = imageStates(v, sides);
        const open = states.filter((s) => s.state === "to_do" || s.state === "flagged").map((s) => s.kind);
        const current = retake ?? open[0] ?? null;
        const sidesText = sides.map((s) => t(sideLabel(s))).join(" + ");
        return (
          <>
            <p className="lead">{t("doc.intro", { document: t(documentLabel(type)), sides: sidesText })}</p>
            <div className="rules">
              <p className="rules__title">{t("doc.rulesTitle")}</p>
              <ul>
                {(["doc.rule.complete", "doc.rule.sharp", "doc.rule.light", "doc.rule.glare", "doc.rule.covered", "doc.rule.damaged"] as const).map((k) => (
                  <li key={k}>{t(k)}</li>
                ))}
              </ul>
            </div>
            <ImageTiles items={states} current={current} />
            <p className="visually-hidden" role="status">
              {announce}
            </p>
            {(mode === "phone" || current !== null) && (
              <div className="choice" role="group" aria-label={t("handoff.chooseTitle")}>
                <Button
                  variant={mode === "browser" ? "primary" : "secondary"}
                  aria-pressed={mode === "browser"}
                  onClick={() => {
                    if (mode === "phone") void cancelHandoff(v.id);
                    setMode("browser");
                  }}
                >
                  {t("handoff.browser")}
                </Button>
                <Button
                  variant={mode === "phone" ? "primary" : "secondary"}
                  aria-pressed={mode === "phone"}
                  onClick={() => {
                    setMode("phone");
                  }}
                >
                  {t("handoff.phone")}
                </Button>
              </div>
            )}
            {mode === "phone" ? (
              <HandoffPanel
                v={v}
                onProgress={replace}
                onCompleted={(next) => {
                  replace(next);
                  const step = next.next && next.next !== "personal_info" ? next.next : "submit";
                  void navigate(stepPath(step as Parameters<typeof stepPath>[0]));
                }}
              />
            ) : current !== null && (current === "front" || current === "back") ? (
              <section aria-labelledby="side-title">
                <h2 id="side-title" className="section-title" tabIndex={-1} ref={sideHeading}>
                  {t("doc.sideTitle", { side: t(sideLabel(current)) })}
                </h2>
                <ImageCapture
                  key={current}
                  label={t(sideLabel(current))}
                  overlay="document"
                  autoStart={cameraChosen}
                  upload={(file, onProgress) => uploadDocument(v.id, current, file, { onProgress })}
                  onUploaded={(result, viaCamera) => {
                    setCameraChosen(viaCamera);
                    setUploads((n) => n + 1);
                    setRetake(null);
                    setAnnounce(t("capture.accepted", { side: t(sideLabel(current)) }));
                    replace(result.verification);
                  }}
                />
              </section>
            ) : (
              <>
                <Alert tone="info">{t("doc.allDone")}</Alert>
                <div className="actions">
                  {states
                    .filter((s) => s.state === "uploaded")
                    .map((s) => (
                      <Button
                        key={s.kind}
                        variant="secondary"
                        onClick={() => {
                          setRetake(s.kind);
                        }}
                      >
                        {t("capture.retake")}: {t(sideLabel(s.kind))}
                      </Button>
                    ))}
                  <Button
                    onClick={() => {
                      const next = v.next && v.next !== "document" ? v.next : "selfie";
                      void navigate(stepPath(next as Parameters<typeof stepPath>[0]));
                    }}
                  >
                    {t("verify.next")}
                  </Button>
                </div>
              </>
            )}
          </>
        );
      }}
    </WizardShell>
  );
}
