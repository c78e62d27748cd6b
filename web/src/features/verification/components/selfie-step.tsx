import { useState } from "react";
import { useNavigate } from "react-router";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useI18n } from "@/i18n";
import { uploadSelfie } from "../api/verification-api";
import { imageStates, stepPath } from "../lib/state";
import { ImageCapture } from "./image-capture";
import { ImageTiles } from "./image-tiles";
import { WizardShell } from "./wizard-shell";

// The liveness challenge (issue 8, step 3) comes with the liveness API; this is the selfie only.
export function SelfieStep() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [retake, setRetake] = useState(false);
  return (
    <WizardShell step="selfie" title={t("selfie.title")}>
      {(v, replace) => {
        const [state] = imageStates(v, ["selfie"]);
        const open = retake || state?.state === "to_do" || state?.state === "flagged";
        return (
          <>
            <p className="lead">{t("selfie.intro")}</p>
            <div className="rules">
              <p className="rules__title">{t("selfie.rulesTitle")}</p>
              <ul>
                {(["selfie.rule.hat", "selfie.rule.glasses", "selfie.rule.light", "selfie.rule.look"] as const).map((k) => (
                  <li key={k}>{t(k)}</li>
                ))}
              </ul>
            </div>
            {state && <ImageTiles items={[state]} current={open ? "selfie" : null} />}
            {open ? (
              <ImageCapture
                label={t("doc.side.selfie")}
                overlay="face"
                upload={(file, onProgress) => uploadSelfie(v.id, file, { onProgress })}
                onUploaded={(result) => {
                  setRetake(false);
                  replace(result.verification);
                }}
              />
            ) : (
              <>
                <Alert tone="info">{t("selfie.done")}</Alert>
                <div className="actions">
                  {state?.state === "uploaded" && (
                    <Button
                      variant="secondary"
                      onClick={() => {
                        setRetake(true);
                      }}
                    >
                      {t("capture.retake")}
                    </Button>
                  )}
                  <Button
                    onClick={() => {
                      void navigate(stepPath(v.next && v.next !== "selfie" ? (v.next as Parameters<typeof stepPath>[0]) : "submit"));
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
