// The decision form: its values, the rules (mirroring `DecisionInput::validate` on the server,
// so the reviewer hears about a problem before sending), the request, and the server's field
// names (`reasons[0].code`) as form paths (`reasons.0.code`).
import type { FieldErrors, Resolver } from "react-hook-form";
import type { StepKind } from "@/lib/api/types";
import type { DecisionInput } from "../api/review-api";
import { isDecisionReason, isValidFieldPath } from "./taxonomy";

export const MESSAGE_MAX = 1000;
export const NOTE_MAX = 2000;

export interface ReasonValues {
  code: string;
  step: StepKind;
  field_paths: string[];
}

export interface DecisionValues {
  decision: "" | "approve" | "reject";
  reject_type: "" | "retry" | "final";
  reasons: ReasonValues[];
  message: string;
  internal_note: string;
}

export const emptyDecision = (): DecisionValues => ({ decision: "", reject_type: "", reasons: [], message: "", internal_note: "" });

export const emptyReason = (step: StepKind = "personal_info"): ReasonValues => ({ code: "", step, field_paths: [] });

/** Unicode scalar values, as Rust's `chars().count()` counts them (not UTF-16 units). */
export function charCount(s: string): number {
  return Array.from(s).length;
}

export interface DecisionIssue {
  path: (string | number)[];
  /** A field code, as the server would send it. */
  code: "required" | "unknown_reason" | "invalid_field_path" | "too_long";
}

/** What the server's `DecisionInput::validate` would refuse (plus a missing choice), by form path. */
export function decisionIssues(v: DecisionValues): DecisionIssue[] {
  const out: DecisionIssue[] = [];
  if (v.decision === "") out.push({ path: ["decision"], code: "required" });
  if (v.decision === "reject") {
    if (v.reject_type === "") out.push({ path: ["reject_type"], code: "required" });
    if (v.reasons.length === 0) out.push({ path: ["reasons"], code: "required" });
    v.reasons.forEach((r, i) => {
      if (r.code === "") out.push({ path: ["reasons", i, "code"], code: "required" });
      else if (!isDecisionReason(r.code)) out.push({ path: ["reasons", i, "code"], code: "unknown_reason" });
      if (r.field_paths.some((p) => !isValidFieldPath(r.step, p))) out.push({ path: ["reasons", i, "field_paths"], code: "invalid_field_path" });
    });
  }
  if (charCount(v.message) > MESSAGE_MAX) out.push({ path: ["message"], code: "too_long" });
  if (charCount(v.internal_note) > NOTE_MAX) out.push({ path: ["internal_note"], code: "too_long" });
  return out;
}

/**
 * The form's resolver: `decisionIssues` as react-hook-form errors (no schema library needed,
 * so the console adds nothing to the chunks applicant pages share). Messages are field codes,
 * translated on render.
 */
export const decisionResolver: Resolver<DecisionValues> = (values) => {
  const issues = decisionIssues(values);
  if (issues.length === 0) return { values, errors: {} };
  const errors: Record<string | number, unknown> = {};
  for (const { path, code } of issues) {
    let node = errors;
    path.forEach((key, i) => {
      if (i === path.length - 1) {
        node[key] ??= { type: "validate", message: code };
        return;
      }
      const next = path[i + 1];
      node[key] ??= typeof next === "number" ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    });
  }
  return { values: {}, errors: errors as FieldErrors<DecisionValues> };
};

/** The request body. Reasons travel only with a rejection; empty texts are left out. */
export function toDecisionInput(v: DecisionValues): DecisionInput {
  const message = v.message.trim();
  const note = v.internal_note.trim();
  const base = {
    ...(message ? { message } : {}),
    ...(note ? { internal_note: note } : {}),
  };
  if (v.decision === "approve") return { decision: "approve", ...base };
  return {
    decision: "reject",
    reject_type: v.reject_type === "" ? null : v.reject_type,
    reasons: v.reasons.map((r) => ({ code: r.code, step: r.step, field_paths: [...r.field_paths] })),
    ...base,
  };
}

/** `reasons[2].field_paths` → `reasons.2.field_paths` (react-hook-form paths). */
export function formPath(serverField: string): string {
  return serverField.replace(/\[(\d+)\]/g, ".$1");
}

/** The form paths a server field error can land on, for this many reasons. */
export function decisionFields(reasonCount: number): string[] {
  const out = ["decision", "reject_type", "reasons", "message", "internal_note"];
  for (let i = 0; i < reasonCount; i += 1) out.push(`reasons.${String(i)}.code`, `reasons.${String(i)}.step`, `reasons.${String(i)}.field_paths`);
  return out;
}

/** A final rejection that the server will hold for a second reviewer (when it requires one). */
export const isFinalRejection = (v: Pick<DecisionValues, "decision" | "reject_type">): boolean =>
  v.decision === "reject" && v.reject_type === "final";
