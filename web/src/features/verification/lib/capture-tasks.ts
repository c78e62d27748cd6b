// What a phone continuing the capture still has to take, in order: the document sides, the
// selfie, the liveness check (where the level has them).
import type { Verification } from "@/lib/api/types";
import { imageStates } from "./state";

export type CaptureTask = { kind: "side"; side: "front" | "back" } | { kind: "selfie" } | { kind: "liveness" };

export function captureTasks(v: Verification): { all: CaptureTask[]; open: CaptureTask[] } {
  const sides = v.required_sides.filter((k): k is "front" | "back" => k === "front" || k === "back");
  const all: CaptureTask[] = [];
  const open: CaptureTask[] = [];
  for (const s of imageStates(v, sides)) {
    const task: CaptureTask = { kind: "side", side: s.kind as "front" | "back" };
    all.push(task);
    if (s.state === "to_do" || s.state === "flagged") open.push(task);
  }
  if (v.steps.some((s) => s.name === "selfie")) {
    all.push({ kind: "selfie" });
    const [selfie] = imageStates(v, ["selfie"]);
    if (selfie?.state === "to_do" || selfie?.state === "flagged") open.push({ kind: "selfie" });
  }
  const liveness = v.steps.find((s) => s.name === "liveness");
  if (liveness) {
    all.push({ kind: "liveness" });
    if (liveness.status === "not_started" || liveness.status === "in_progress") open.push({ kind: "liveness" });
  }
  return { all, open };
}

export const sameTask = (a: CaptureTask, b: CaptureTask) =>
  a.kind === b.kind && (a.kind !== "side" || (b.kind === "side" && a.side === b.side));
