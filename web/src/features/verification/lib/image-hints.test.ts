import { describe, expect, it } from "vitest";
import { hintsFor, pixelStats } from "./image-hints";

function image(width: number, height: number, pixel: (x: number, y: number) => number): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const v = pixel(x, y);
      data.set([v, v, v, 255], (y * width + x) * 4);
    }
  }
  return data;
}

describe("quick photo hints", () => {
  it("finds a sharp, well-lit card with text lines fine", () => {
    const card = image(120, 80, (x, y) => (x > 20 && x < 100 && y > 15 && y < 65 ? (y % 6 < 2 && x % 5 !== 0 ? 40 : 215) : 90));
    expect(hintsFor(pixelStats(card, 120, 80))).toEqual([]);
  });

  it("calls a smooth gradient blurred and a dim one dark as well", () => {
    const smooth = image(120, 80, (x) => 100 + x / 4);
    expect(hintsFor(pixelStats(smooth, 120, 80))).toEqual(["blurry"]);
    const dim = image(120, 80, (x) => 20 + x / 8);
    expect(hintsFor(pixelStats(dim, 120, 80))).toEqual(["dark", "blurry"]);
  });

  it("calls a dark but sharp photo only dark", () => {
    const darkText = image(120, 80, (x, y) => (y % 4 < 2 && x % 3 !== 0 ? 5 : 70));
    const stats = pixelStats(darkText, 120, 80);
    expect(stats.brightness).toBeLessThan(60);
    expect(hintsFor(stats)).toEqual(["dark"]);
  });
});
