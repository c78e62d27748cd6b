// What the applicant's verification means for the screens: the state at a glance, where each
// step lives, and what a decision flagged. Pure functions of the server's VerificationView.
import type { ImageKind, ReasonView, StepKind, Verification, WaitingStage } from "@/lib/api/types";

export type HomeState =
  | { kind: "not_started" }
  | { kind: "draft"; next: StepKind | "submit"; retrying: boolean }
  | { kind: "waiting"; stage: WaitingStage; estimateSeconds: number | null; submittedAt: string | null }
  | { kind: "action_required" }
  | { kind: "approved" }
  | { kind: "rejected" }
  | { kind: "expired" }
  | { kind: "abandoned" };

const STEPS: readonly StepKind[] = ["personal_info", "document", "selfie", "liveness"];

export function homeState(v: Verification | null): HomeState {
  if (v === null) return { kind: "not_started" };
  switch (v.status) {
    case "draft": {
      const next = v.next && (STEPS as readonly string[]).includes(v.next) ? (v.next as StepKind) : "submit";
      return { kind: "draft", next, retrying: v.attempt > 1 };
    }
    case "submitted":
    case "processing":
    case "in_review":
      return {
        kind: "waiting",
        stage: v.waiting?.stage ?? (v.status === "in_review" ? "in_review" : v.status === "processing" ? "checks_running" : "checks_queued"),
        estimateSeconds: v.waiting?.estimate_seconds ?? null,
        submittedAt: v.submitted_at ?? null,
      };
    case "action_required":
      return { kind: "action_required" };
    case "approved":
      return { kind: "approved" };
    case "rejected":
      return { kind: "rejected" };
    case "expired":
      return { kind: "expired" };
    case "abandoned":
      return { kind: "abandoned" };
  }
}

/** Whether the page should keep asking the server (something is happening without the user). */
export const isWaiting = (v: Verification | null) => v !== null && ["submitted", "processing", "in_review"].includes(v.status);

const PATHS: Record<StepKind | "submit", string> = {
  personal_info: "/verify/personal-info",
  document: "/verify/document",
  selfie: "/verify/selfie",
  liveness: "/verify/liveness",
  submit: "/verify/submit",
};

export const stepPath = (step: StepKind | "submit") => PATHS[step];

/** The steps this verification has, in order (the level decides). */
export function stepsOf(v: Verification): StepKind[] {
  return STEPS.filter((s) => v.steps.some((x) => x.name === s));
}

/** `personal_info.document_number` or `document_number` → `document_number`; `images.front` stays. */
export function normalisePath(path: string): string {
  return path.startsWith("personal_info.") ? path.slice("personal_info.".length) : path;
}

/** The reasons of the last decision (only a rejection has any). */
export function decisionReasons(v: Verification): ReasonView[] {
  return v.decision?.decision === "reject" ? v.decision.reasons : [];
}

/**
 * What must change: during `action_required` from the decision's reasons, during a retry draft
 * from the steps the server reopened. A reason without paths flags its whole step.
 */
export function flagged(v: Verification): { fields: Set<string>; images: Set<ImageKind>; steps: Set<StepKind> } {
  const fields = new Set<string>();
  const images = new Set<ImageKind>();
  const steps = new Set<StepKind>();
  const add = (step: StepKind, paths: readonly string[]) => {
    steps.add(step);
    for (const raw of paths) {
      const p = normalisePath(raw);
      if (p.startsWith("images.")) images.add(p.slice("images.".length) as ImageKind);
      else fields.add(p);
    }
  };
  if (v.status === "action_required" || v.status === "rejected") {
    for (const r of decisionReasons(v)) add(r.step, r.field_paths);
  } else if (v.status === "draft" && v.attempt > 1) {
    for (const s of v.steps) if (s.status !== "accepted" && s.field_paths.length > 0) add(s.name, s.field_paths);
    for (const s of v.steps) if (s.status !== "accepted" && s.field_paths.length === 0) steps.add(s.name);
  }
  return { fields, images, steps };
}

/** The reasons that concern one field or image path (e.g. `document_number`, `images.front`). */
export function reasonsFor(v: Verification, path: string): ReasonView[] {
  const reasons = v.status === "draft" ? v.steps.flatMap((s) => s.reasons) : decisionReasons(v);
  return reasons.filter((r) => r.field_paths.map(normalisePath).some((p) => p === path || path.startsWith(`${p}.`)));
}

/** Whether a personal-information field stays as it is in this attempt (accepted, not reopened). */
export function isFieldLocked(v: Verification, field: string): boolean {
  const step = v.steps.find((s) => s.name === "personal_info");
  if (!step) return false;
  if (step.status === "accepted") return true;
  if (v.attempt <= 1 || step.field_paths.length === 0) return false;
  const open = step.field_paths.map(normalisePath);
  return !open.some((p) => p === field || p.startsWith(`${field}.`) || field.startsWith(`${p}.`));
}

export type SideState = "to_do" | "uploaded" | "accepted" | "flagged";

/** Each required document side (or the selfie) and where it stands. */
export function imageStates(v: Verification, kinds: readonly ImageKind[]): { kind: ImageKind; state: SideState }[] {
  const step = v.steps.find((s) => s.name === (kinds.includes("selfie") ? "selfie" : "document"));
  const reopened = new Set((step?.field_paths ?? []).map(normalisePath));
  return kinds.map((kind) => {
    if (step?.status === "accepted") return { kind, state: "accepted" as const };
    const present = v.images.some((i) => i.kind === kind);
    if (v.attempt <= 1) return { kind, state: present ? ("uploaded" as const) : ("to_do" as const) };
    // A retry: a photo taken in this attempt is new; a flagged one must be retaken; the others
    // were accepted and stay (the server drops a path from `field_paths` once it is replaced).
    if (v.images.some((i) => i.kind === kind && i.attempt === v.attempt)) return { kind, state: "uploaded" as const };
    if (reopened.has(`images.${kind}`)) return { kind, state: "flagged" as const };
    return { kind, state: present ? ("accepted" as const) : ("to_do" as const) };
  });
}
