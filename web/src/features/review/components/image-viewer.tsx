import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useReviewI18n } from "../i18n";
import type { ReviewImage } from "../api/review-api";
import { useLabels } from "./labels";

const ZOOMS = [1, 1.5, 2, 3, 4] as const;
const TURN = ["none", "rotate(90deg) translateY(-100%)", "rotate(180deg) translate(-100%, -100%)", "rotate(270deg) translateX(-100%)"] as const;

/**
 * One image with zoom and rotation (buttons, so the keyboard works; the picture scrolls when
 * zoomed). The URL is presigned and short-lived: the case page fetches fresh ones in time.
 */
export function ImageViewer({ image }: { image: ReviewImage }) {
  const { t } = useReviewI18n();
  const labels = useLabels();
  const [zoom, setZoom] = useState(0);
  const [turns, setTurns] = useState(0);
  const [failed, setFailed] = useState(false);
  const name = labels.field(`images.${image.kind}`);
  const zoomIn = () => { setZoom((z) => Math.min(ZOOMS.length - 1, z + 1)); };
  const zoomOut = () => { setZoom((z) => Math.max(0, z - 1)); };
  const reset = () => { setZoom(0); setTurns(0); setFailed(false); };
  const scale = ZOOMS[zoom] ?? 1;
  const rotation = ((turns % 4) + 4) % 4;
  const sideways = rotation % 2 === 1;
  // Rotating by a quarter swaps width and height; keep the frame's shape to the turned image.
  const ratio = sideways ? `${String(image.height)} / ${String(image.width)}` : `${String(image.width)} / ${String(image.height)}`;

  return (
    <figure className="viewer" data-testid={`image-${image.kind}`}>
      <figcaption className="viewer__caption">
        <strong>{name}</strong>{" "}
        <span className="muted">
          {image.width} × {image.height}
        </span>
      </figcaption>
      <div
        className="viewer__frame"
        style={{ aspectRatio: ratio }}
        tabIndex={0}
        role="group"
        aria-label={t("review.image.frame", { name })}
        aria-keyshortcuts="+ - R Shift+R 0"
        onKeyDown={(e) => {
          // Shortcuts while the picture has focus; the buttons below do the same.
          const act: Record<string, () => void> = {
            "+": zoomIn,
            "=": zoomIn,
            "-": zoomOut,
            r: () => { setTurns((n) => n + 1); },
            R: () => { setTurns((n) => n - 1); },
            "0": reset,
          };
          const fn = act[e.key];
          if (fn && !e.ctrlKey && !e.metaKey && !e.altKey) {
            e.preventDefault();
            fn();
          }
        }}
      >
        {failed ? (
          <p className="viewer__failed">{t("review.image.failed")}</p>
        ) : (
          <div className="viewer__canvas" style={{ width: `${String(100 * scale)}%`, aspectRatio: ratio }}>
            <img
              src={image.url}
              alt={t("review.image.alt", { name })}
              className="viewer__img"
              data-rotation={rotation * 90}
              data-zoom={scale}
              // Turned about the top-left corner and moved back into the canvas, so the turned
              // picture fills it exactly: its unturned width is the canvas's height when sideways.
              style={{
                width: sideways ? `${String((image.width / image.height) * 100)}%` : "100%",
                transform: TURN[rotation],
              }}
              onError={() => {
                setFailed(true);
              }}
            />
          </div>
        )}
      </div>
      <div className="viewer__tools" role="toolbar" aria-label={t("review.image.tools", { name })}>
        <Button variant="secondary" onClick={zoomOut} disabled={zoom === 0}>
          <span aria-hidden="true">−</span>
          <span className="visually-hidden">{t("review.image.zoomOut")}</span>
        </Button>
        <span className="viewer__zoom" aria-live="polite">
          {Math.round(scale * 100)}%
        </span>
        <Button variant="secondary" onClick={zoomIn} disabled={zoom === ZOOMS.length - 1}>
          <span aria-hidden="true">+</span>
          <span className="visually-hidden">{t("review.image.zoomIn")}</span>
        </Button>
        <Button variant="secondary" onClick={() => { setTurns((n) => n - 1); }}>
          <span aria-hidden="true">⟲</span>
          <span className="visually-hidden">{t("review.image.rotateLeft")}</span>
        </Button>
        <Button variant="secondary" onClick={() => { setTurns((n) => n + 1); }}>
          <span aria-hidden="true">⟳</span>
          <span className="visually-hidden">{t("review.image.rotateRight")}</span>
        </Button>
        <Button variant="link" onClick={reset}>
          {t("review.image.reset")}
        </Button>
      </div>
    </figure>
  );
}
