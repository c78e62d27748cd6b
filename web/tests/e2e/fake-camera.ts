// The fake camera's picture: a card on a desk drawn like the API tests' fixture
// (tests/api/fixtures.rs `jpeg`): a light card with dark text lines, fully inside the frame on a
// darker gradient, which the server's quality gate accepts. Written as a PPM, then turned by
// Debian's ffmpeg into a one-frame .y4m for chromium's --use-file-for-fake-video-capture and a
// JPEG for the upload-from-files path. Deterministic: the same bytes on every run.
//
// The front carries a portrait (the server requires a face on the document's front): a real
// photo from the PyPI face_recognition archive (scripts/face-assets.sh), laid over the card by
// ffmpeg. It is large enough that the same frame also passes the selfie checks: a fake camera
// cannot show a live person, which is why the browser tests run on a level without liveness.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { RESULTS_DIR } from "./browser";

export const FFMPEG = process.env.EKYC_FFMPEG ?? "/usr/bin/ffmpeg";
const PHOTOS = process.env.EKYC_FACE_PHOTOS_DIR ?? resolve(process.env.HOME ?? "/root", ".cache/ekyc/tools/face/photos");
/** obama.jpg (910×1137): a 4:5 head-and-shoulders crop, scaled to half the card's width. */
const PORTRAIT = ["crop=460:575:258:2", "scale=384:480"].join(",");

function cardPpm(w: number, h: number, seed: number): Buffer {
  const header = Buffer.from(`P6\n${String(w)} ${String(h)}\n255\n`, "ascii");
  const pixels = Buffer.alloc(w * h * 3);
  const [x0, x1, y0, y1] = [Math.floor(w / 5), Math.floor((w * 4) / 5), Math.floor(h / 5), Math.floor((h * 4) / 5)];
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      const inside = x > x0 && x < x1 && y > y0 && y < y1;
      let rgb: [number, number, number];
      if (inside) {
        const row = (y - y0) % 18;
        const text = row > 9 && row < 14 && (Math.floor((x - x0) / 7) + seed) % 5 !== 0 && x > x0 + 20 && x < x1 - 20;
        rgb = text ? [40, 45, 60] : [200, 212, 228 - (seed % 8)];
      } else {
        const g = 55 + Math.floor((x * 20) / w);
        rgb = [g, g, g + 10];
      }
      pixels.set(rgb, (y * w + x) * 3);
    }
  }
  return Buffer.concat([header, pixels]);
}

export interface FakeCamera {
  /** One-frame Y4M for chromium's fake capture device. */
  y4m: string;
  /** The same picture as a JPEG file, for the upload path. */
  jpeg: string;
  /** A second, different picture (another side), as a JPEG. */
  jpegBack: string;
  /** A plain wall with no document on it: the quality gate refuses it. */
  wall: string;
}

/** Makes (once) the fake camera files under test-results/fake-camera/. */
export function fakeCamera(): FakeCamera {
  const dir = resolve(RESULTS_DIR, "fake-camera");
  mkdirSync(dir, { recursive: true });
  const out: FakeCamera = {
    y4m: resolve(dir, "card.y4m"),
    jpeg: resolve(dir, "card.jpg"),
    jpegBack: resolve(dir, "card-back.jpg"),
    wall: resolve(dir, "wall.jpg"),
  };
  const make = (seed: number, target: string, args: string[], portrait: boolean) => {
    if (existsSync(target)) return;
    const ppm = resolve(dir, `card-${String(seed)}.ppm`);
    writeFileSync(ppm, cardPpm(1280, 960, seed));
    // The card spans x 256..1024, y 192..768: the portrait sits on its left half.
    const overlay = portrait
      ? ["-i", resolve(PHOTOS, "obama.jpg"), "-filter_complex", `[1:v]${PORTRAIT}[p];[0:v][p]overlay=276:240`]
      : [];
    execFileSync(FFMPEG, ["-loglevel", "error", "-y", "-i", ppm, ...overlay, ...args, target]);
  };
  make(1, out.y4m, ["-pix_fmt", "yuv420p", "-frames:v", "1"], true);
  make(1, out.jpeg, ["-q:v", "3"], true);
  make(2, out.jpegBack, ["-q:v", "3"], false);
  if (!existsSync(out.wall)) {
    execFileSync(FFMPEG, ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=0x5a5046:s=1280x960", "-frames:v", "1", "-q:v", "3", out.wall]);
  }
  return out;
}
