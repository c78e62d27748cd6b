import type { ErrorCode, FieldErrorCode } from "@/lib/api/types";
import type { enUi } from "./locales/en";

/** Interface text keys; English defines the set, every other locale must have each one. */
export type UiKey = keyof typeof enUi;

export interface Messages {
  ui: Record<UiKey, string>;
  /** One message per `ErrorCode` of the API (keyed by `error.code`). */
  errorCodes: Record<ErrorCode, string>;
  /** One message per field error code (`error.fields[].code`) and client-side rule. */
  fieldCodes: Record<FieldErrorCode, string>;
}

export const LOCALES = ["en", "zh-CN", "es"] as const;
export type Locale = (typeof LOCALES)[number];
