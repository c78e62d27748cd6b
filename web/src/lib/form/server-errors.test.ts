import { describe, expect, it, vi } from "vitest";
import type { ApiProblem } from "@/lib/api/result";
import { applyServerErrors } from "./server-errors";

interface Form {
  email: string;
  password: string;
}

function problem(code: string, fields?: { field: string; code: string; message: string }[], retryAfter?: number): ApiProblem {
  return {
    kind: "api",
    status: 422,
    error: { code: code as "validation_failed", message: `msg ${code}`, ...(fields ? { fields } : {}) },
    ...(retryAfter === undefined ? {} : { retryAfter }),
  };
}

const fields = ["email", "password"] as const;

describe("applyServerErrors", () => {
  it("puts each field error on its field, focusing only the first, and needs no form message", () => {
    const setError = vi.fn();
    const result = applyServerErrors<Form>(
      problem("validation_failed", [
        { field: "password", code: "common_password", message: "too common" },
        { field: "email", code: "invalid_email", message: "bad email" },
      ]),
      setError,
      { fields },
    );
    expect(result).toBeNull();
    expect(setError.mock.calls).toEqual([
      ["password", { type: "server", message: "common_password" }, { shouldFocus: true }],
      ["email", { type: "server", message: "invalid_email" }, { shouldFocus: false }],
    ]);
  });

  it("keeps the first error of a field only", () => {
    const setError = vi.fn();
    applyServerErrors<Form>(
      problem("validation_failed", [
        { field: "password", code: "too_short", message: "a" },
        { field: "password", code: "common_password", message: "b" },
      ]),
      setError,
      { fields },
    );
    expect(setError).toHaveBeenCalledTimes(1);
    expect(setError).toHaveBeenCalledWith("password", { type: "server", message: "too_short" }, { shouldFocus: true });
  });

  it("uses the server's text for a field code the client does not know", () => {
    const setError = vi.fn();
    applyServerErrors<Form>(problem("validation_failed", [{ field: "email", code: "disposable_domain", message: "No throwaway addresses." }]), setError, {
      fields,
    });
    expect(setError).toHaveBeenCalledWith("email", { type: "server", message: "No throwaway addresses." }, { shouldFocus: true });
  });

  it("reports field errors for fields the form does not have at form level", () => {
    const setError = vi.fn();
    const result = applyServerErrors<Form>(
      problem("validation_failed", [
        { field: "email", code: "required", message: "x" },
        { field: "captcha", code: "required", message: "Solve the captcha." },
      ]),
      setError,
      { fields },
    );
    expect(setError).toHaveBeenCalledTimes(1);
    expect(result).toEqual({
      kind: "api",
      code: "validation_failed",
      message: "msg validation_failed",
      fields: [{ field: "captcha", code: "required", message: "Solve the captcha." }],
    });
  });

  it("maps a code onto a field when asked (email_taken → email)", () => {
    const setError = vi.fn();
    const result = applyServerErrors<Form>(problem("email_taken"), setError, { fields, codeFields: { email_taken: "email" } });
    expect(result).toBeNull();
    expect(setError).toHaveBeenCalledWith("email", { type: "server", message: "email_taken" }, { shouldFocus: true });
  });

  it("turns other codes into a form-level problem with Retry-After", () => {
    const setError = vi.fn();
    const result = applyServerErrors<Form>(problem("rate_limited", undefined, 30), setError, { fields, codeFields: { email_taken: "email" } });
    expect(setError).not.toHaveBeenCalled();
    expect(result).toEqual({ kind: "api", code: "rate_limited", message: "msg rate_limited", fields: [], retryAfter: 30 });
  });

  it("passes network failures through", () => {
    expect(applyServerErrors<Form>({ kind: "network" }, vi.fn(), { fields })).toEqual({ kind: "network" });
  });
});
