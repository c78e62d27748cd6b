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
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];
