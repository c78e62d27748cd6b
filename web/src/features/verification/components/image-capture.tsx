import { useEffect, useId, useRef, useState } from "react";
import { FormProblemAlert } from "@/components/form-problem";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useI18n } from "@/i18n";
import type { ApiResult } from "@/lib/api/result";
import type { ApiFieldError, UploadResult } from "@/lib/api/types";
import { toFormProblem, type FormProblem } from "@/lib/form/server-errors";
import { useCamera } from "../hooks/use-camera";
import { hintsForImage, type ImageHint } from "../lib/image-hints";

export type Uploader = (file: Blob, onProgress: (fraction: number) => void) => Promise<ApiResult<UploadResult>>;

interface ImageCaptureProps {
  /** "Front", "Back", "Selfie": names the photo in labels. */
  label: string;
  overlay: "document" | "face";
  upload: Uploader;
  /** `viaCamera`: the photo came from the camera (the next side can open it at once). */
  onUploaded: (result: UploadResult, viaCamera: boolean) => void;
  /** Open the camera at once (the applicant already chose it for the previous side). */
  autoStart?: boolean;
}

interface Photo {
  blob: Blob;
  url: string;
  hints: ImageHint[];
  viaCamera: boolean;
}

async function hintsOfFile(file: Blob): Promise<ImageHint[]> {
  try {
    const bitmap = await createImageBitmap(file);
    const hints = hintsForImage(bitmap, bitmap.width, bitmap.height);
    bitmap.close();
    return hints;
  } catch {
    return [];
  }
}

/**
 * Takes one photo: the camera (after an explanation, with a frame and a round shutter) or a
 * file; a preview with quick hints and retake; the upload with progress; the server's refusal
 * reasons with their fixes. Every camera failure leaves the file upload open.
 */
export function ImageCapture({ label, overlay, upload, onUploaded, autoStart = false }: ImageCaptureProps) {
  const { t, reasonText, fieldText } = useI18n();
  const { state: cameraState, start: startCamera, stop: stopCamera, attach, capture } = useCamera(overlay === "face" ? "user" : "environment");
  const [photo, setPhoto] = useState<Photo | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [refusals, setRefusals] = useState<ApiFieldError[]>([]);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const statusId = useId();
  const previewHeading = useRef<HTMLHeadingElement>(null);

  useEffect(
    () => () => {
      if (photo) URL.revokeObjectURL(photo.url);
    },
    [photo],
  );

  useEffect(() => {
    if (autoStart) void startCamera();
  }, [autoStart, startCamera]);

  const choose = (blob: Blob, hints: ImageHint[], viaCamera: boolean) => {
    setRefusals([]);
    setProblem(null);
    setPhoto({ blob, url: URL.createObjectURL(blob), hints, viaCamera });
    requestAnimationFrame(() => previewHeading.current?.focus());
  };

  const shoot = async () => {
    const shot = await capture();
    if (!shot) return;
    choose(shot.blob, hintsForImage(shot.canvas, shot.canvas.width, shot.canvas.height), true);
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    choose(file, await hintsOfFile(file), false);
  };

  const retake = () => {
    setPhoto(null);
    setRefusals([]);
    setProblem(null);
    if (cameraState !== "live") fileInput.current?.focus();
  };

  const send = async () => {
    if (!photo || progress !== null) return;
    setRefusals([]);
    setProblem(null);
    setProgress(0);
    const result = await upload(photo.blob, setProgress);
    setProgress(null);
    if (result.ok) {
      stopCamera();
      onUploaded(result.data, photo.viaCamera);
      return;
    }
    const fields = result.problem.kind === "api" ? (result.problem.error.fields ?? []) : [];
    if (fields.length > 0) setRefusals(fields);
    else setProblem(toFormProblem(result.problem));
  };

  const uploading = progress !== null;
  const percent = Math.round((progress ?? 0) * 100);

  const filePicker = (
    <div className="capture__files">
      <input
        ref={fileInput}
        id={`${statusId}-file`}
        className="visually-hidden"
        type="file"
        accept="image/jpeg,image/png,image/webp"
        onChange={(e) => {
          void onFile(e.target.files?.[0]);
          e.target.value = "";
        }}
      />
      <label htmlFor={`${statusId}-file`} className="button button--secondary">
        {t("camera.upload")}
      </label>
      <p className="field__hint">{t("camera.uploadHint")}</p>
    </div>
  );

  if (photo) {
    return (
      <div className="capture">
        <h3 className="capture__title" tabIndex={-1} ref={previewHeading}>
          {t("capture.previewAlt", { side: label })}
        </h3>
        <img className={`capture__preview capture__preview--${overlay}`} src={photo.url} alt={t("capture.previewAlt", { side: label })} />
        {photo.hints.length > 0 && (
          <div className="alert alert--info" role="status">
            <p>
              <strong>{t("capture.hintsTitle")}</strong>
            </p>
            <ul>
              {photo.hints.map((h) => (
                <li key={h}>{t(h === "dark" ? "capture.hint.dark" : "capture.hint.blurry")}</li>
              ))}
            </ul>
          </div>
        )}
        {refusals.length > 0 && (
          <Alert>
            <p>{t("capture.refused")}</p>
            <ul className="reasons" data-testid="refusals">
              {refusals.map((f) => {
                const r = reasonText(f.code);
                return (
                  <li key={`${f.field}:${f.code}`} data-code={f.code}>
                    {r ? (
                      <>
                        <strong>{r.title}</strong> {r.hint}
                      </>
                    ) : fieldText(f.code) === f.code ? (
                      f.message
                    ) : (
                      fieldText(f.code)
                    )}
                  </li>
                );
              })}
            </ul>
          </Alert>
        )}
        <FormProblemAlert problem={problem} />
        {uploading && (
          <div className="capture__progress">
            <label htmlFor={`${statusId}-progress`}>{t("capture.uploading", { percent })}</label>
            <progress id={`${statusId}-progress`} max={100} value={percent} aria-label={t("capture.progress")} />
          </div>
        )}
        <div className="actions">
          <Button variant={refusals.length > 0 ? "primary" : "secondary"} onClick={retake} disabled={uploading}>
            {t("capture.retake")}
          </Button>
          {/* The same bytes would get the same refusal: after one, only a new photo helps. */}
          {refusals.length === 0 && (
            <Button onClick={() => void send()} busy={uploading}>
              {t("capture.use")}
            </Button>
          )}
        </div>
      </div>
    );
  }

  return (
    <div className="capture">
      {cameraState === "live" ? (
        <>
          <div className={`viewfinder viewfinder--${overlay}`}>
            <video ref={attach} className="viewfinder__video" autoPlay playsInline muted aria-label={t("camera.preview")} />
            <div className="viewfinder__frame" aria-hidden="true" />
            <p className="viewfinder__hint">{t(overlay === "face" ? "camera.faceHint" : "camera.frameHint")}</p>
          </div>
          <div className="shutter-row">
            <button type="button" className="shutter" aria-label={t("camera.shutter")} onClick={() => void shoot()}>
              <span className="shutter__inner" aria-hidden="true" />
            </button>
          </div>
        </>
      ) : (
        <div className="camera-gate" id={statusId} role={cameraState === "idle" ? undefined : "status"}>
          {cameraState === "idle" && <p>{t("camera.why", { what: t(overlay === "face" ? "camera.whatFace" : "camera.whatDocument") })}</p>}
          {cameraState === "requesting" && <Spinner label={t("camera.requesting")} />}
          {cameraState === "denied" && <Alert>{t("camera.denied")}</Alert>}
          {cameraState === "unavailable" && <Alert tone="info">{t("camera.unavailable")}</Alert>}
          {cameraState === "error" && <Alert>{t("camera.error")}</Alert>}
          {cameraState !== "unavailable" && cameraState !== "requesting" && (
            <Button onClick={() => void startCamera()}>{t(cameraState === "idle" ? "camera.allow" : "camera.tryAgain")}</Button>
          )}
        </div>
      )}
      {filePicker}
    </div>
  );
}
