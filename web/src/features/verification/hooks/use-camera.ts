import { useCallback, useEffect, useRef, useState } from "react";

export type CameraState = "idle" | "requesting" | "live" | "denied" | "unavailable" | "error";

/** What a getUserMedia failure means for the applicant. */
export function cameraFailure(error: unknown): CameraState {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") return "denied";
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") return "unavailable";
  return "error";
}

const hasCamera = () => typeof navigator !== "undefined" && "mediaDevices" in navigator && typeof navigator.mediaDevices.getUserMedia === "function";

/**
 * The camera stream with its permission states. Asks for permission only when `start()` is
 * called (after the explanation), except where the browser says it was granted already.
 */
export function useCamera(facing: "environment" | "user") {
  const [state, setState] = useState<CameraState>(() => (hasCamera() ? "idle" : "unavailable"));
  const stream = useRef<MediaStream | null>(null);
  const video = useRef<HTMLVideoElement | null>(null);

  const stop = useCallback(() => {
    stream.current?.getTracks().forEach((track) => {
      track.stop();
    });
    stream.current = null;
  }, []);

  const start = useCallback(async () => {
    if (!hasCamera()) {
      setState("unavailable");
      return;
    }
    setState("requesting");
    try {
      stop();
      stream.current = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: facing }, width: { ideal: 1920 }, height: { ideal: 1080 } },
      });
      setState("live");
    } catch (error) {
      setState(cameraFailure(error));
    }
  }, [facing, stop]);

  // A permission already refused (or granted) is known before asking: say so at once.
  useEffect(() => {
    let cancelled = false;
    if (!hasCamera() || !("permissions" in navigator)) return;
    navigator.permissions.query({ name: "camera" }).then(
      (status) => {
        if (cancelled) return;
        if (status.state === "denied") setState("denied");
      },
      () => {
        // Browsers that cannot query the camera permission: ask when the user chooses to.
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => stop, [stop]);

  /** Ref callback for the preview element: attaches the live stream. */
  const attach = useCallback((el: HTMLVideoElement | null) => {
    video.current = el;
    if (el && stream.current && el.srcObject !== stream.current) {
      el.srcObject = stream.current;
      void el.play().catch(() => undefined);
    }
  }, []);

  /** The current frame as a JPEG, with its size; null if the video has no frame yet. */
  const capture = useCallback(async (): Promise<{ blob: Blob; canvas: HTMLCanvasElement } | null> => {
    const el = video.current;
    if (!el || el.videoWidth === 0) return null;
    const canvas = document.createElement("canvas");
    canvas.width = el.videoWidth;
    canvas.height = el.videoHeight;
    const ctx = canvas.getContext("2d");
    if (!ctx) return null;
    ctx.drawImage(el, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => {
      canvas.toBlob(resolve, "image/jpeg", 0.92);
    });
    return blob ? { blob, canvas } : null;
  }, []);

  return { state, start, stop, attach, capture };
}
