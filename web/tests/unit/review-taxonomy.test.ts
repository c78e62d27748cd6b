// The console's taxonomy mirrors the server's: the reason codes a decision may use
// (REASON_CODES in api/src/verification/model.rs) and the field paths each step accepts
// (`valid_field_path`, with the sealed personal-information fields of personal.rs).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DECISION_REASON_CODES, isValidFieldPath, PERSONAL_INFO_PATHS } from "@/features/review/lib/taxonomy";

const api = resolve(import.meta.dirname, "../../../api/src");
const read = (path: string) => readFileSync(resolve(api, path), "utf8");
const strings = (block: string) => [...block.matchAll(/"([a-z_.0-9]+)"/g)].map((m) => m[1] ?? "");

describe("review taxonomy", () => {
  const model = read("verification/model.rs");

  it("offers exactly the server's decision reason codes", () => {
    const block = /REASON_CODES: &\[&str\] = &\[([\s\S]*?)\];/.exec(model)?.[1] ?? "";
    expect(strings(block).length).toBeGreaterThan(10);
    expect([...DECISION_REASON_CODES].sort()).toEqual(strings(block).sort());
  });

  it("offers exactly the server's personal-information field paths", () => {
    const fn = /pub fn valid_field_path[\s\S]*?\n}\n/.exec(model)?.[0] ?? "";
    const personal = /StepKind::PersonalInfo => \{([\s\S]*?)\n {8}\}/.exec(fn)?.[1] ?? "";
    const sealed = /SEALED_FIELDS: &\[&str\] = &\[([\s\S]*?)\];/.exec(read("verification/personal.rs"))?.[1] ?? "";
    const server = [...strings(personal), ...strings(sealed)].sort();
    expect(server).toContain("document_number");
    expect([...PERSONAL_INFO_PATHS].sort()).toEqual(server);
    // The image and liveness steps, as written there.
    expect(fn).toContain('StepKind::Document => matches!(path, "images.front" | "images.back")');
    expect(fn).toContain('StepKind::Selfie => path == "images.selfie"');
    expect(fn).toContain('StepKind::Liveness => path == "liveness"');
    expect(isValidFieldPath("document", "images.back")).toBe(true);
    expect(isValidFieldPath("selfie", "images.front")).toBe(false);
  });
});
