// Names for the generated schema types the app uses; the generated file is the only source.
import type { components, paths } from "./schema";

type Schemas = components["schemas"];

export type ErrorCode = Schemas["ErrorCode"];
export type ApiErrorDetail = Schemas["ErrorDetail"];
export type ApiFieldError = Schemas["FieldError"];
export type AuthSession = Schemas["AuthSession"];
export type Me = Schemas["Me"];
export type Role = Me["roles"][number];
export type Credentials = paths["/api/v1/auth/login"]["post"]["requestBody"]["content"]["application/json"];

export type Country = Schemas["Country"];
export type CountryList = Schemas["CountryList"];
export type DocumentSpec = Schemas["DocumentSpec"];
export type DocumentType = Schemas["DocumentType"];
export type Level = Schemas["Level"];
export type LevelList = Schemas["LevelList"];
export type Verification = Schemas["VerificationView"];
export type VerificationStatus = Schemas["Status"];
export type StepKind = Schemas["StepKind"];
export type StepView = Schemas["StepView"];
export type StepStatus = Schemas["StepStatus"];
export type ReasonView = Schemas["ReasonView"];
export type ImageKind = Schemas["ImageKind"];
export type PersonalInfoInput = Schemas["PersonalInfoInput"];
export type PersonalInfoView = Schemas["PersonalInfoView"];
export type WaitingStage = Schemas["WaitingStage"];
export type UploadResult = Schemas["UploadResult"];
export type LivenessChallenge = Schemas["ChallengeView"];
export type LivenessResult = Schemas["LivenessResult"];
export type HandoffLink = Schemas["HandoffLink"];
export type HandoffStatus = Schemas["HandoffStatus"];
export type HandoffState = Schemas["HandoffState"];
export type CaptureSession = Schemas["CaptureSession"];

/**
 * Field error codes the server sends in `error.fields[].code`. The spec types them as plain
 * strings, so the list lives here; unknown codes fall back to the server's message.
 */
export const FIELD_ERROR_CODES = [
  "required",
  "invalid_email",
  "too_short",
  "too_long",
  "common_password",
  "invalid_format",
  // Personal information (api/src/verification/personal.rs).
  "invalid_characters",
  "invalid_date",
  "under_age",
  "too_old",
  "expired",
  "unknown_country",
  "not_supported",
  "locked",
  // Submit: a step that is not complete yet.
  "incomplete",
  // Image uploads (api/src/verification/images.rs, upload.rs, routes.rs).
  "unsupported_type",
  "corrupt_image",
  "too_many_pixels",
  "too_small",
  "empty_file",
  "too_large",
  "no_back_side",
  // Start: a level the server does not have.
  "unknown_level",
  // Continue-on-your-phone links (api/src/handoff/routes.rs): a newer link replaced this one.
  "revoked",
  // Multipart bursts (liveness frames).
  "too_many",
  "count",
  // Liveness (api/src/verification/liveness.rs): the challenge, then what the frames showed.
  "unknown",
  "used",
  "frame_count",
  "capture_times",
  "face_missing",
  "different_person",
  "repeated_frames",
  "not_neutral_at_start",
  "action_out_of_order",
  "action_not_performed",
  "multiple_faces",
  // Notification settings and personal information (api/src/notify/settings.rs).
  "invalid_phone",
  "unsupported_language",
  // Reviewer decisions (api/src/verification/json.rs) and list paging (api/src/review/routes.rs).
  "unknown_reason",
  "invalid_field_path",
  "not_allowed",
  "invalid",
  "out_of_range",
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

/**
 * Reason codes of the taxonomy (decisions' `reasons[].code`, and the quality gate's refusals in
 * an upload's `fields[].code`). The spec types them as strings; the completeness test checks this
 * list against the server's sources.
 */
export const REASON_CODES = [
  "blurred_photo",
  "dark_photo",
  "overexposed_photo",
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
  // The face step's photo refusals (api/src/verification/face.rs).
  "portrait_not_found",
  "face_too_small",
  "face_not_frontal",
  "face_blurred",
  "face_dark",
  "face_overexposed",
  "eyes_not_visible",
  "multiple_faces",
  "face_mismatch",
  "liveness_failed",
  "duplicate_identity",
  "suspected_forgery",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const isReasonCode = (code: string): code is ReasonCode => (REASON_CODES as readonly string[]).includes(code);
