// Pure translation helpers (no React), shared by the provider and the tests.
import { en } from "./locales/en";
import { es } from "./locales/es";
import { zhCN } from "./locales/zh-CN";
import { LOCALES, type Locale, type Messages, type ReasonTexts, type UiKey } from "./types";

export const MESSAGES: Record<Locale, Messages> = { en, "zh-CN": zhCN, es };

export type Vars = Record<string, string | number>;

/** Replaces `{name}` placeholders; unknown placeholders are left as they are. */
export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}

/** The supported locale closest to the user's preferences (BCP 47 tags, best first). */
export function matchLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    const exact = LOCALES.find((l) => l.toLowerCase() === lower);
    if (exact) return exact;
    const lang = lower.split("-")[0];
    if (lang === "zh") return "zh-CN";
    const base = LOCALES.find((l) => l.toLowerCase().split("-")[0] === lang);
    if (base) return base;
  }
  return "en";
}

export interface Translator {
  locale: Locale;
  t: (key: UiKey, vars?: Vars) => string;
  /** Text for an API `error.code`; `fallback` (the server's English message) for codes we do not know yet. */
  errorText: (code: string, fallback?: string) => string;
  /** Text for a field error: a field code, an API error code, or else the message itself. */
  fieldText: (codeOrMessage: string) => string;
  /** A reason code (decision or photo quality) in plain words with its fix; null for unknown codes. */
  reasonText: (code: string) => ReasonTexts | null;
}

function lookup(table: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function createTranslator(locale: Locale): Translator {
  const m = MESSAGES[locale];
  return {
    locale,
    t: (key, vars) => interpolate(m.ui[key], vars),
    errorText: (code, fallback) => lookup(m.errorCodes, code) ?? (fallback !== undefined && fallback.length > 0 ? fallback : m.ui["error.unknown"]),
    fieldText: (value) => lookup(m.fieldCodes, value) ?? lookup(m.errorCodes, value) ?? value,
    reasonText: (code) => (Object.hasOwn(m.reasons, code) ? m.reasons[code as keyof typeof m.reasons] : null),
  };
}
