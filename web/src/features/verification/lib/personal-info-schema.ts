// Client-side rules for the personal-information form, mirroring the server's
// (api/src/verification/personal.rs) so most mistakes are caught before a round trip. The
// server stays the authority: it checks against its own clock and catalogue, and its field
// errors land on the same fields. Messages are field error codes, translated when shown.
import * as z from "zod/mini";
import type { Country, DocumentSpec, FieldErrorCode, PersonalInfoView } from "@/lib/api/types";

export const NAME_MAX = 100;
export const MAX_AGE = 120;

export interface PersonalInfoValues {
  issuing_country: string;
  document_type: string;
  first_name: string;
  middle_name: string;
  last_name: string;
  latin_first_name: string;
  latin_last_name: string;
  date_of_birth: string;
  nationality: string;
  document_number: string;
  expiry_date: string;
  /** Mobile number for SMS updates (optional; kept in the notification settings, not on the document). */
  phone: string;
  address: { line1: string; line2: string; city: string; postcode: string; country: string };
}

export const EMPTY_VALUES: PersonalInfoValues = {
  issuing_country: "",
  document_type: "",
  first_name: "",
  middle_name: "",
  last_name: "",
  latin_first_name: "",
  latin_last_name: "",
  date_of_birth: "",
  nationality: "",
  document_number: "",
  expiry_date: "",
  phone: "",
  address: { line1: "", line2: "", city: "", postcode: "", country: "" },
};

export interface RuleContext {
  /** The chosen issuing country (null until chosen). */
  country: Country | null;
  /** Its chosen document (null until chosen). */
  document: DocumentSpec | null;
  requiresAddress: boolean;
  /** Today's date as YYYY-MM-DD (the device's; the server checks again with its own). */
  today: string;
  /** ISO codes the catalogue knows. */
  knownCountries: ReadonlySet<string>;
}

type Code = FieldErrorCode;

const BIDI_OR_BOM = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const SYMBOL = /[\p{N}<>{}[\]()@#$%^&*_=+|\\/;:"?!~`,]/u;
const LETTER = /\p{Alphabetic}/u;
const LATIN = /^[A-Za-z '\-.]+$/;

const chars = (v: string) => Array.from(v).length;

/** A name as printed: letters of any script, spaces, apostrophes, hyphens and dots. */
export function nameRule(value: string, required: boolean): Code | null {
  const v = value.trim();
  if (v === "") return required ? "required" : null;
  if (chars(v) > NAME_MAX) return "too_long";
  if (CONTROL.test(v) || BIDI_OR_BOM.test(v)) return "invalid_characters";
  if (SYMBOL.test(v) || !LETTER.test(v)) return "invalid_characters";
  return null;
}

export function latinRule(value: string): Code | null {
  const v = value.trim();
  if (v === "") return null;
  return v.length > NAME_MAX || !LATIN.test(v) ? "invalid_characters" : null;
}

/** A real calendar date written YYYY-MM-DD. */
export function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Full years between two YYYY-MM-DD dates. */
export function ageOn(born: string, today: string): number {
  const [by, bm, bd] = born.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age -= 1;
  return age;
}

export function dateOfBirthRule(value: string, ctx: RuleContext): Code | null {
  const v = value.trim();
  if (v === "") return "required";
  if (!isRealDate(v)) return "invalid_date";
  if (v > ctx.today) return "invalid_date";
  const age = ageOn(v, ctx.today);
  if (age < (ctx.country?.min_age ?? 18)) return "under_age";
  if (age > MAX_AGE) return "too_old";
  return null;
}

/** As the server normalises it: no spaces, hyphens, dots or slashes; upper case. */
export function normaliseDocumentNumber(raw: string): string {
  return raw.replace(/[ \-./\u00A0]/g, "").toUpperCase();
}

function numberPattern(spec: DocumentSpec | null): RegExp | null {
  const pattern = spec?.number?.pattern;
  if (!pattern) return null;
  try {
    return new RegExp(pattern, "u");
  } catch {
    // A pattern JavaScript cannot read: leave the check to the server.
    return null;
  }
}

export function documentNumberRule(value: string, ctx: RuleContext): Code | null {
  const n = normaliseDocumentNumber(value);
  if (n === "") return "required";
  if (chars(n) > 30 || !/^[A-Z0-9]+$/.test(n)) return "invalid_format";
  const re = numberPattern(ctx.document);
  if (re && !re.test(n)) return "invalid_format";
  return null;
}

export function expiryRule(value: string, ctx: RuleContext): Code | null {
  const v = value.trim();
  if (v === "") return ctx.document?.has_expiry ? "required" : null;
  if (!isRealDate(v)) return "invalid_date";
  if (v <= ctx.today) return "expired";
  if (Number(v.slice(0, 4)) > Number(ctx.today.slice(0, 4)) + 30) return "invalid_date";
  return null;
}

function countryRule(value: string, ctx: RuleContext): Code | null {
  const v = value.trim().toUpperCase();
  if (v === "") return "required";
  return ctx.knownCountries.has(v) ? null : "unknown_country";
}

function textRule(value: string, max: number, required: boolean): Code | null {
  const v = value.trim();
  if (v === "") return required ? "required" : null;
  return chars(v) > max || CONTROL.test(v) || BIDI_OR_BOM.test(v) ? "invalid_format" : null;
}

/** International form, as the server wants it (it checks the number plan itself). */
export function phoneRule(v: string): Code | null {
  const compact = v.replace(/[\s\-.()]/g, "");
  if (compact === "") return null;
  return /^\+[1-9][0-9]{6,14}$/.test(compact) ? null : "invalid_phone";
}

const check = (rule: (v: string) => Code | null) =>
  z.string().check(
    z.superRefine((value, issue) => {
      const code = rule(value);
      if (code !== null) issue.issues.push({ code: "custom", message: code, input: value });
    }),
  );

/** The schema for the current choice of country and document. */
export function personalInfoSchema(ctx: RuleContext) {
  const address = ctx.requiresAddress
    ? z.object({
        line1: check((v) => textRule(v, 200, true)),
        line2: check((v) => textRule(v, 200, false)),
        city: check((v) => textRule(v, 100, true)),
        postcode: check((v) => textRule(v, 20, true)),
        country: check((v) => countryRule(v, ctx)),
      })
    : z.object({ line1: z.string(), line2: z.string(), city: z.string(), postcode: z.string(), country: z.string() });
  return z.object({
    issuing_country: check((v) => countryRule(v, ctx)),
    document_type: check((v) => {
      if (v === "") return "required";
      return ctx.country && !ctx.country.documents.some((d) => d.type === v) ? "not_supported" : null;
    }),
    first_name: check((v) => nameRule(v, true)),
    middle_name: check((v) => nameRule(v, false)),
    last_name: check((v) => nameRule(v, true)),
    latin_first_name: check(latinRule),
    latin_last_name: check(latinRule),
    date_of_birth: check((v) => dateOfBirthRule(v, ctx)),
    nationality: check((v) => countryRule(v, ctx)),
    document_number: check((v) => documentNumberRule(v, ctx)),
    expiry_date: check((v) => expiryRule(v, ctx)),
    phone: check(phoneRule),
    address,
  });
}

const orNull = (v: string) => (v.trim() === "" ? null : v.trim());

/** The request body: empty optional fields are left out, the address only where the level asks. */
export function toRequest(values: PersonalInfoValues, requiresAddress: boolean) {
  return {
    issuing_country: values.issuing_country,
    document_type: values.document_type,
    first_name: values.first_name.trim(),
    middle_name: orNull(values.middle_name),
    last_name: values.last_name.trim(),
    latin_first_name: orNull(values.latin_first_name),
    latin_last_name: orNull(values.latin_last_name),
    date_of_birth: values.date_of_birth,
    nationality: values.nationality,
    document_number: values.document_number,
    expiry_date: orNull(values.expiry_date),
    phone: orNull(values.phone),
    address: requiresAddress
      ? {
          line1: orNull(values.address.line1),
          line2: orNull(values.address.line2),
          city: orNull(values.address.city),
          postcode: orNull(values.address.postcode),
          country: orNull(values.address.country),
        }
      : null,
  };
}

/** The form's values from what the server stored (pre-fill after a retry or a reload). */
export function fromView(view: PersonalInfoView | null | undefined): PersonalInfoValues {
  if (!view) return EMPTY_VALUES;
  return {
    issuing_country: view.issuing_country,
    document_type: view.document_type,
    first_name: view.first_name,
    middle_name: view.middle_name ?? "",
    last_name: view.last_name,
    latin_first_name: view.latin_first_name ?? "",
    latin_last_name: view.latin_last_name ?? "",
    date_of_birth: view.date_of_birth,
    nationality: view.nationality,
    document_number: view.document_number,
    expiry_date: view.expiry_date ?? "",
    // The stored number is not sent back (it is not part of the document's data): a blank
    // field keeps it, a new one replaces it.
    phone: "",
    address: {
      line1: view.address?.line1 ?? "",
      line2: view.address?.line2 ?? "",
      city: view.address?.city ?? "",
      postcode: view.address?.postcode ?? "",
      country: view.address?.country ?? "",
    },
  };
}

/** Today on this device as YYYY-MM-DD (local calendar, as the person reads it). */
export function localToday(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
