// Every API error code in the OpenAPI spec must have a translation in every locale, and every
// locale must have the same interface texts (and placeholders) as English.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { LOCALES, MESSAGES } from "@/i18n";
import { FIELD_ERROR_CODES } from "@/lib/api/types";

const specPath = resolve(import.meta.dirname, "../..", process.env.OPENAPI_SPEC ?? "../openapi.yaml");

function specErrorCodes(): string[] {
  if (!existsSync(specPath)) {
    throw new Error(`OpenAPI spec not found at ${specPath}: generate it from the API (e.g. \`make openapi\`) first`);
  }
  const spec = parse(readFileSync(specPath, "utf8")) as {
    components?: { schemas?: Record<string, { enum?: unknown[]; oneOf?: { enum?: unknown[]; const?: unknown }[] }> };
  };
  const schema = spec.components?.schemas?.ErrorCode;
  const codes = schema?.enum ?? schema?.oneOf?.flatMap((s) => s.enum ?? (s.const === undefined ? [] : [s.const]));
  if (!codes || codes.length === 0) throw new Error(`no ErrorCode enum in ${specPath}`);
  return codes.map(String);
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("translations", () => {
  const codes = specErrorCodes();

  it("reads a plausible ErrorCode enum from the spec", () => {
    expect(codes).toContain("validation_failed");
    expect(codes).toContain("internal_error");
  });

  describe.each(LOCALES)("%s", (locale) => {
    const messages = MESSAGES[locale];

    it("translates every ErrorCode of the spec", () => {
      const table: Partial<Record<string, string>> = messages.errorCodes;
      const missing = codes.filter((code) => !table[code]?.trim());
      expect(missing, `missing error code translations in ${locale}`).toEqual([]);
    });

    it("has no translations for error codes the spec no longer has", () => {
      expect(Object.keys(messages.errorCodes).filter((code) => !codes.includes(code))).toEqual([]);
    });

    it("translates every field error code", () => {
      for (const code of FIELD_ERROR_CODES) expect(messages.fieldCodes[code].trim(), code).not.toBe("");
    });

    it("has every interface text of English, with the same placeholders", () => {
      const en = MESSAGES.en.ui;
      expect(Object.keys(messages.ui).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        const translated = messages.ui[key as keyof typeof en];
        expect(translated.trim(), key).not.toBe("");
        expect(placeholders(translated), key).toEqual(placeholders(text));
      }
    });
  });
});
