// Every locale has every console text of English, non-empty, with the same placeholders.
import { describe, expect, it } from "vitest";
import { LOCALES } from "@/i18n";
import { REVIEW_MESSAGES } from ".";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each(LOCALES)("review console texts in %s", (locale) => {
  it("has every English key with the same placeholders", () => {
    const en = REVIEW_MESSAGES.en;
    const table = REVIEW_MESSAGES[locale];
    expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const translated = table[key as keyof typeof en];
      expect(translated.trim(), key).not.toBe("");
      expect(placeholders(translated), key).toEqual(placeholders(text));
    }
  });
});
