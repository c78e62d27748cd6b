// Quick checks of a photo before it is sent, so the applicant can retake an obviously bad one
// without a round trip. Advice only: the server's quality gate decides (docs/quality.md).
export type ImageHint = "dark" | "blurry";

export interface PixelStats {
  /** Mean luma, 0..255. */
  brightness: number;
  /** Variance of the 4-neighbour Laplacian of the luma: low means few sharp edges. */
  sharpness: number;
}

/** Below this mean luma a photo looks dark (the server's own dark threshold is stricter on the document). */
export const DARK_BELOW = 60;
/** Below this Laplacian variance (on a ≤ 480 px wide copy) a photo looks blurred. */
export const BLURRY_BELOW = 40;

/** Statistics of RGBA pixels (as from canvas `getImageData`). */
export function pixelStats(data: Uint8ClampedArray, width: number, height: number): PixelStats {
  const n = width * height;
  const luma = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i += 1) {
    const y = 0.299 * (data[i * 4] ?? 0) + 0.587 * (data[i * 4 + 1] ?? 0) + 0.114 * (data[i * 4 + 2] ?? 0);
    luma[i] = y;
    sum += y;
  }
  let lapSum = 0;
  let lapSq = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const i = y * width + x;
      const lap = (luma[i - 1] ?? 0) + (luma[i + 1] ?? 0) + (luma[i - width] ?? 0) + (luma[i + width] ?? 0) - 4 * (luma[i] ?? 0);
      lapSum += lap;
      lapSq += lap * lap;
      count += 1;
    }
  }
  const mean = count > 0 ? lapSum / count : 0;
  return { brightness: n > 0 ? sum / n : 0, sharpness: count > 0 ? lapSq / count - mean * mean : 0 };
}

export function hintsFor(stats: PixelStats): ImageHint[] {
  const hints: ImageHint[] = [];
  if (stats.brightness < DARK_BELOW) hints.push("dark");
  if (stats.sharpness < BLURRY_BELOW) hints.push("blurry");
  return hints;
}

/** Draws `source` at most 480 px wide and returns its hints; [] where the browser cannot tell. */
export function hintsForImage(source: CanvasImageSource, width: number, height: number): ImageHint[] {
  if (width <= 0 || height <= 0) return [];
  const scale = Math.min(1, 480 / width);
  const w = Math.max(3, Math.round(width * scale));
  const h = Math.max(3, Math.round(height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) return [];
  ctx.drawImage(source, 0, 0, w, h);
  return hintsFor(pixelStats(ctx.getImageData(0, 0, w, h).data, w, h));
}
