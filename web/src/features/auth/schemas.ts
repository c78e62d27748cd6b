// Client-side rules for the auth forms. They mirror the server's so most mistakes are caught
// before a round trip; the server stays the authority (e.g. it alone rejects common passwords).
// Messages are field error codes, translated when shown. `zod/mini` keeps the sign-in page light.
import * as z from "zod/mini";
import type { FieldErrorCode } from "@/lib/api/types";

/** The server's only password rule: at least this many characters (no composition rules). */
export const PASSWORD_MIN_LENGTH = 10;

const code = (c: FieldErrorCode) => ({ error: c });

// Characters as a person counts them (code points), as the server does, not UTF-16 units.
const length = (value: string) => Array.from(value).length;

export const emailSchema = z.pipe(
  z.string().check(z.trim(), z.minLength(1, code("required")), z.maxLength(254, code("too_long"))),
  z.email(code("invalid_email")),
);

export const newPasswordSchema = z
  .string()
  .check(
    z.minLength(1, code("required")),
    z.refine((value) => length(value) >= PASSWORD_MIN_LENGTH, code("too_short")),
  );

export const registerSchema = z.object({ email: emailSchema, password: newPasswordSchema });

// Signing in checks only presence: a rule change must not lock out an existing password.
export const loginSchema = z.object({ email: emailSchema, password: z.string().check(z.minLength(1, code("required"))) });

export type RegisterInput = z.input<typeof registerSchema>;
export type LoginInput = z.input<typeof loginSchema>;
