// The liveness capture plan: look straight first, then each asked action in turn, with frames
// taken at a steady pace through each phase. Pure, so it is unit-tested.

export type LivenessAction = "turn_left" | "turn_right" | "move_closer";
export type LivenessPhase = "straight" | LivenessAction;

export interface PlannedFrame {
  phase: LivenessPhase;
  /** Index of the action this frame belongs to (-1 while looking straight). */
  action: number;
  /** Milliseconds after the start. */
  at: number;
}

export const isLivenessAction = (a: string): a is LivenessAction => a === "turn_left" || a === "turn_right" || a === "move_closer";

/**
 * `perPhase` frames `interval` ms apart for the straight start and for each action; the server
 * wants between `min` and `max` frames in all.
 */
export function plan(actions: LivenessAction[], min: number, max: number, interval = 350, perPhase = 4): PlannedFrame[] {
  const phases: { phase: LivenessPhase; action: number }[] = [{ phase: "straight", action: -1 }];
  actions.forEach((a, i) => phases.push({ phase: a, action: i }));
  const per = Math.max(1, Math.min(perPhase, Math.floor(max / phases.length)));
  const frames: PlannedFrame[] = [];
  for (const p of phases) {
    for (let k = 0; k < per; k += 1) frames.push({ ...p, at: frames.length * interval });
  }
  while (frames.length < min) frames.push({ ...(frames[frames.length - 1] ?? { phase: "straight", action: -1 }), at: frames.length * interval });
  return frames;
}
