import { describe, expect, it } from "vitest";
import { isLivenessAction, plan } from "./liveness";

describe("liveness plan", () => {
  it("starts straight, then each action in order, at a steady pace", () => {
    const frames = plan(["turn_left", "move_closer"], 4, 40);
    expect(frames.map((f) => f.phase)).toEqual([
      "straight", "straight", "straight", "straight",
      "turn_left", "turn_left", "turn_left", "turn_left",
      "move_closer", "move_closer", "move_closer", "move_closer",
    ]);
    expect(frames.map((f) => f.action).slice(3, 5)).toEqual([-1, 0]);
    expect(frames.every((f, i) => f.at === i * 350)).toBe(true);
  });

  it("stays within the server's frame bounds", () => {
    expect(plan(["turn_left", "turn_right", "move_closer"], 4, 6).length).toBeLessThanOrEqual(6);
    expect(plan(["turn_left"], 12, 40).length).toBeGreaterThanOrEqual(12);
  });

  it("knows the server's action names only", () => {
    expect(["turn_left", "turn_right", "move_closer", "jump"].filter(isLivenessAction)).toEqual(["turn_left", "turn_right", "move_closer"]);
  });
});
