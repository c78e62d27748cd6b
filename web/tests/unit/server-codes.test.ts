// Every code the server can put in front of an applicant has words in every locale: the field
// error codes of the applicant-facing handlers, and every reason code of the taxonomy and of
// the photo quality gate. The spec types these as plain strings, so they are read from the
// server's sources (the ErrorCode enum is checked against the spec in i18n-completeness).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES, MESSAGES } from "@/i18n";
import { FIELD_ERROR_CODES, REASON_CODES } from "@/lib/api/types";

const api = resolve(import.meta.dirname, "../../../api/src");

function read(path: string): string {
  const full = join(api, path);
  if (!existsSync(full)) throw new Error(`server source not found: ${full}`);
  return readFileSync(full, "utf8");
}

/** Files whose field errors reach applicants or reviewers (admin-only handlers are left out). */
const APPLICANT_SOURCES = [
  ...readdirSync(join(api, "auth"))
    .filter((f) => f.endsWith(".rs"))
    .map((f) => `auth/${f}`),
  "verification/personal.rs",
  "verification/routes.rs",
  "verification/upload.rs",
  "verification/images.rs",
  "verification/liveness.rs",
  "notify/settings.rs",
  "handoff/routes.rs",
  // The review console: decisions (DecisionInput::validate) and the reviewer API.
  "verification/json.rs",
  ...readdirSync(join(api, "review"))
    .filter((f) => f.endsWith(".rs"))
    .map((f) => `review/${f}`),
];

function fieldCodes(): string[] {
  const codes = new Set<string>();
  for (const file of APPLICANT_SOURCES) {
    const src = read(file);
    for (const m of src.matchAll(/FieldError::new\(\s*[^,()]+(?:\([^)]*\))?,\s*"([a-z_]+)"/g)) codes.add(m[1] ?? "");
    for (const m of src.matchAll(/\bbad\("([a-z_]+)"/g)) codes.add(m[1] ?? "");
    // The states of a continue-on-your-phone link (handoff/routes.rs).
    for (const m of src.matchAll(/\binvalid_link\("([a-z_]+)"/g)) codes.add(m[1] ?? "");
    // (code, message) pairs chosen by a match arm, e.g. the liveness failures and challenge states.
    for (const m of src.matchAll(/=>\s*\{?\s*\(\s*"([a-z_]+)",\s*(?:"|format!)/g)) codes.add(m[1] ?? "");
  }
  codes.delete("");
  // Whole-request codes that concern one field (translated as error codes).
  codes.delete("email_taken");
  return [...codes].sort();
}

function reasonCodes(): string[] {
  const model = read("verification/model.rs");
  const block = /REASON_CODES: &\[&str\] = &\[([\s\S]*?)\];/.exec(model)?.[1] ?? "";
  const taxonomy = [...block.matchAll(/"([a-z_]+)"/g)].map((m) => m[1] ?? "");
  const gate = read("verification/gate.rs");
  const hints = /pub fn hint\(code: &str\)[\s\S]*?\n}\n/.exec(gate)?.[0] ?? "";
  const quality = [...hints.matchAll(/"([a-z_]+)" =>/g)].map((m) => m[1] ?? "");
  const faceHints = /pub fn hint\(code: &str\)[\s\S]*?\n}\n/.exec(read("verification/face.rs"))?.[0] ?? "";
  const face = [...faceHints.matchAll(/"([a-z_]+)" =>/g)].map((m) => m[1] ?? "");
  return [...new Set([...taxonomy, ...quality, ...face])].sort();
}

describe("server codes", () => {
  const fields = fieldCodes();
  const reasons = reasonCodes();

  it("reads plausible code lists from the server", () => {
    expect(fields).toEqual(expect.arrayContaining(["required", "under_age", "invalid_characters", "corrupt_image"]));
    expect(fields).toEqual(expect.arrayContaining(["unknown_reason", "invalid_field_path", "not_allowed", "out_of_range"]));
    expect(reasons).toEqual(expect.arrayContaining(["blurred_photo", "data_mismatch", "suspected_forgery", "overexposed_photo"]));
  });

  it("lists every applicant-facing field code and every reason code on the client", () => {
    expect(fields.filter((c) => !(FIELD_ERROR_CODES as readonly string[]).includes(c))).toEqual([]);
    expect(reasons.filter((c) => !(REASON_CODES as readonly string[]).includes(c))).toEqual([]);
  });

  describe.each(LOCALES)("%s", (locale) => {
    const m = MESSAGES[locale];

    it("translates every field code", () => {
      const table: Partial<Record<string, string>> = m.fieldCodes;
      expect(fields.filter((c) => !table[c]?.trim())).toEqual([]);
    });

    it("explains every reason code with a fix", () => {
      const table: Partial<Record<string, { title: string; hint: string }>> = m.reasons;
      expect(reasons.filter((c) => !table[c]?.title.trim() || !table[c].hint.trim())).toEqual([]);
    });
  });
});
