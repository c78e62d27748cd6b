import type { ErrorCode, FieldErrorCode, ReasonCode } from "@/lib/api/types";
import type { enUi } from "./locales/en";
import type { enVerifyUi } from "./locales/verify/en";

/** Interface text keys; English defines the set, every other locale must have each one. */
export type UiKey = keyof typeof enUi | keyof typeof enVerifyUi;

/** The verification wizard's texts, kept in their own files per locale. */
export type VerifyUi = Record<keyof typeof enVerifyUi, string>;

/** A reason in plain words, and what to do about it. */
export interface ReasonTexts {
  title: string;
  hint: string;
}

export interface Messages {
  ui: Record<UiKey, string>;
  /** One message per `ErrorCode` of the API (keyed by `error.code`). */
  errorCodes: Record<ErrorCode, string>;
  /** One message per field error code (`error.fields[].code`) and client-side rule. */
  fieldCodes: Record<FieldErrorCode, string>;
  /** One text per reason code of the taxonomy (decisions and the photo quality gate). */
  reasons: Record<ReasonCode, ReasonTexts>;
}

export const LOCALES = ["en", "zh-CN", "es"] as const;
export type Locale = (typeof LOCALES)[number];
