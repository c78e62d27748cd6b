import { describe, expect, it } from "vitest";
import { loginSchema, PASSWORD_MIN_LENGTH, registerSchema } from "./schemas";

/** The field error code reported for each field (first issue per field, as the form shows it). */
function errors(schema: typeof registerSchema | typeof loginSchema, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) return {};
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) out[String(issue.path[0])] ??= issue.message;
  return out;
}

describe("registerSchema", () => {
  it("accepts a valid email and a password of the minimum length, trimming the email", () => {
    const result = registerSchema.safeParse({ email: "  Ana@Example.org ", password: "a".repeat(PASSWORD_MIN_LENGTH) });
    expect(result.success).toBe(true);
    expect(result.data?.email).toBe("Ana@Example.org");
  });

  it("reports required fields first", () => {
    expect(errors(registerSchema, { email: "   ", password: "" })).toEqual({ email: "required", password: "required" });
  });

  it("rejects malformed emails", () => {
    for (const email of ["ana", "ana@", "@example.org", "ana example@org.com"]) {
      expect(errors(registerSchema, { email, password: "long enough pw" }), email).toEqual({ email: "invalid_email" });
    }
  });

  it("rejects overlong emails", () => {
    expect(errors(registerSchema, { email: `${"a".repeat(250)}@x.io`, password: "long enough pw" })).toEqual({ email: "too_long" });
  });

  it("requires at least 10 characters and nothing else", () => {
    expect(errors(registerSchema, { email: "a@b.io", password: "123456789" })).toEqual({ password: "too_short" });
    // No composition rules: ten lowercase letters or ten spaces are the server's business.
    expect(errors(registerSchema, { email: "a@b.io", password: "abcdefghij" })).toEqual({});
  });

  it("counts characters, not UTF-16 units", () => {
    // Five emoji are ten UTF-16 units but five characters: too short, as on the server.
    expect(errors(registerSchema, { email: "a@b.io", password: "😀😀😀😀😀" })).toEqual({ password: "too_short" });
    expect(errors(registerSchema, { email: "a@b.io", password: "密码密码密码密码密码" })).toEqual({});
  });
});

describe("loginSchema", () => {
  it("only needs a password to be present (old passwords keep working)", () => {
    expect(errors(loginSchema, { email: "a@b.io", password: "short" })).toEqual({});
    expect(errors(loginSchema, { email: "a@b.io", password: "" })).toEqual({ password: "required" });
  });
});
