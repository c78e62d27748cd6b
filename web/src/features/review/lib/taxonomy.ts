// The decision taxonomy as the reviewer picks from it: the reason codes a decision may use
// (REASON_CODES in api/src/verification/model.rs — a unit test keeps the lists equal), which
// reasons make sense for which step, and the field paths each step accepts
// (`valid_field_path` in the same file).
import type { ImageKind, StepKind } from "@/lib/api/types";

export const DECISION_REASON_CODES = [
  "blurred_photo",
  "dark_photo",
  "glare_on_photo",
  "cut_off_document",
  "covered_photo",
  "damaged_document",
  "no_document_in_image",
  "low_resolution",
  "incorrect_side",
  "photo_of_screen",
  "data_mismatch",
  "mrz_unreadable",
  "document_expired",
  "under_age",
  "face_not_found",
  "multiple_faces",
  "face_mismatch",
  "liveness_failed",
  "duplicate_identity",
  "suspected_forgery",
] as const;
export type DecisionReasonCode = (typeof DECISION_REASON_CODES)[number];

export const STEPS: readonly StepKind[] = ["personal_info", "document", "selfie", "liveness"];

const PHOTO = ["blurred_photo", "dark_photo", "glare_on_photo", "cut_off_document", "covered_photo", "damaged_document"] as const;

/**
 * Reasons offered per step. The server accepts any taxonomy code on any step; the picker
 * offers those that tell the applicant something to do in that step.
 */
export const STEP_REASONS: Record<StepKind, readonly DecisionReasonCode[]> = {
  personal_info: ["data_mismatch", "document_expired", "under_age", "duplicate_identity", "suspected_forgery"],
  document: [
    ...PHOTO,
    "no_document_in_image",
    "low_resolution",
    "incorrect_side",
    "photo_of_screen",
    "mrz_unreadable",
    "document_expired",
    "suspected_forgery",
  ],
  selfie: ["face_not_found", "multiple_faces", "face_mismatch", "blurred_photo", "dark_photo", "photo_of_screen", "duplicate_identity"],
  liveness: ["liveness_failed", "face_mismatch"],
};

/** Personal-information paths the server accepts (sealed fields, the choice, the address lines). */
export const PERSONAL_INFO_PATHS = [
  "issuing_country",
  "document_type",
  "first_name",
  "middle_name",
  "last_name",
  "latin_first_name",
  "latin_last_name",
  "date_of_birth",
  "nationality",
  "document_number",
  "expiry_date",
  "address",
  "address.line1",
  "address.line2",
  "address.city",
  "address.postcode",
  "address.country",
] as const;

/** Whether the server takes `path` as a field of `step` (mirrors `valid_field_path`). */
export function isValidFieldPath(step: StepKind, path: string): boolean {
  switch (step) {
    case "personal_info":
      return (PERSONAL_INFO_PATHS as readonly string[]).includes(path);
    case "document":
      return path === "images.front" || path === "images.back";
    case "selfie":
      return path === "images.selfie";
    case "liveness":
      return path === "liveness";
  }
}

export const isDecisionReason = (code: string): code is DecisionReasonCode => (DECISION_REASON_CODES as readonly string[]).includes(code);

/** What the case has, so the picker offers only fields and images that exist. */
export interface CaseShape {
  /** Personal-information fields the applicant filled in (`address` for any address). */
  entered: ReadonlySet<string>;
  images: ReadonlySet<ImageKind>;
  /** The level has a liveness step (a liveness check ran). */
  liveness: boolean;
}

/** The steps a reason can name for this case. */
export function stepsOf(shape: CaseShape): StepKind[] {
  return STEPS.filter((s) => s !== "selfie" || shape.images.has("selfie")).filter((s) => s !== "liveness" || shape.liveness);
}

/** Checkbox choices for a step's field paths: only what the case has (the server's rule still applies). */
export function fieldPathChoices(step: StepKind, shape: CaseShape): string[] {
  switch (step) {
    case "personal_info":
      return PERSONAL_INFO_PATHS.filter((p) => {
        if (p === "issuing_country" || p === "document_type") return true;
        return shape.entered.has(p);
      });
    case "document":
      return (["front", "back"] as const).filter((k) => shape.images.has(k)).map((k) => `images.${k}`);
    case "selfie":
      return ["images.selfie"];
    case "liveness":
      return ["liveness"];
  }
}

/** The reasons offered for a step; a code already chosen stays offered so the form never hides it. */
export function reasonChoices(step: StepKind, current?: string): string[] {
  const list: string[] = [...STEP_REASONS[step]];
  if (current && isDecisionReason(current) && !list.includes(current)) list.push(current);
  return list;
}

/** Field paths kept when the step of a reason changes: those still valid for the new step. */
export function keepPaths(step: StepKind, paths: readonly string[]): string[] {
  return paths.filter((p) => isValidFieldPath(step, p));
}
