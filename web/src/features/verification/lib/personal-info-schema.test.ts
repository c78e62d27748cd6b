import { describe, expect, it } from "vitest";
import type { Country } from "@/lib/api/types";
import {
  ageOn,
  dateOfBirthRule,
  documentNumberRule,
  EMPTY_VALUES,
  expiryRule,
  isRealDate,
  nameRule,
  latinRule,
  normaliseDocumentNumber,
  personalInfoSchema,
  phoneRule,
  toRequest,
  type RuleContext,
} from "./personal-info-schema";

const germany: Country = {
  code: "DE",
  alpha3: "DEU",
  name: "Germany",
  min_age: 18,
  documents: [
    { type: "passport", back_side: false, has_expiry: true, number: { pattern: "^[CFGHJKLMNPRTVWXYZ0-9]{9}$", description: "9 characters", example: "C01X00T47" } },
    { type: "id_card", back_side: true, has_expiry: true, number: { pattern: "^[CFGHJKLMNPRTVWXYZ0-9]{9}$", description: "9 characters", example: "L01X00T47" } },
  ],
};

const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({
  country: germany,
  document: germany.documents[1] ?? null,
  requiresAddress: false,
  today: "2026-11-25",
  knownCountries: new Set(["DE", "FR"]),
  ...over,
});

describe("personal information rules (mirroring api/src/verification/personal.rs)", () => {
  it("accepts names in any script and refuses digits, symbols and direction overrides", () => {
    expect(nameRule("Jürgen Émile", true)).toBeNull();
    expect(nameRule("王小明", true)).toBeNull();
    expect(nameRule("O'Brien-Smith Jr.", true)).toBeNull();
    expect(nameRule("", true)).toBe("required");
    expect(nameRule("  ", false)).toBeNull();
    expect(nameRule("R2D2", true)).toBe("invalid_characters");
    expect(nameRule("Ali\u202Ece", true)).toBe("invalid_characters");
    expect(nameRule("a".repeat(101), true)).toBe("too_long");
    expect(nameRule("---", true)).toBe("invalid_characters");
    expect(latinRule("Wang Xiaoming")).toBeNull();
    expect(latinRule("王")).toBe("invalid_characters");
  });

  it("checks real dates, age limits and expiry against today", () => {
    expect(isRealDate("2024-02-29")).toBe(true);
    expect(isRealDate("2015-02-30")).toBe(false);
    expect(ageOn("2008-11-26", "2026-11-25")).toBe(17);
    expect(ageOn("2008-11-25", "2026-11-25")).toBe(18);
    expect(dateOfBirthRule("2008-11-26", ctx())).toBe("under_age");
    expect(dateOfBirthRule("2008-11-25", ctx())).toBeNull();
    expect(dateOfBirthRule("2027-01-01", ctx())).toBe("invalid_date");
    expect(dateOfBirthRule("1890-01-01", ctx())).toBe("too_old");
    expect(dateOfBirthRule("2006-01-01", ctx({ country: { ...germany, min_age: 21 } }))).toBe("under_age");
    expect(dateOfBirthRule("2006-01-01", ctx())).toBeNull();
    expect(expiryRule("2026-11-25", ctx())).toBe("expired");
    expect(expiryRule("2026-11-26", ctx())).toBeNull();
    expect(expiryRule("2057-01-01", ctx())).toBe("invalid_date");
    expect(expiryRule("", ctx())).toBe("required");
  });

  it("normalises the document number like the server and applies the catalogue's rule", () => {
    expect(normaliseDocumentNumber("l01x 00-t47")).toBe("L01X00T47");
    expect(documentNumberRule("L01X 00T47", ctx())).toBeNull();
    expect(documentNumberRule("L01X00T4", ctx())).toBe("invalid_format");
    expect(documentNumberRule("A01X00T47", ctx())).toBe("invalid_format");
    expect(documentNumberRule("L01X#00T47", ctx())).toBe("invalid_format");
    expect(documentNumberRule(" ", ctx())).toBe("required");
    // Without a document chosen only the generic shape is checked.
    expect(documentNumberRule("ABC123", ctx({ document: null }))).toBeNull();
  });

  it("reports every problem of the form at once, as field codes", () => {
    const result = personalInfoSchema(ctx()).safeParse({ ...EMPTY_VALUES, issuing_country: "DE", document_type: "driving_licence", nationality: "XX" });
    expect(result.success).toBe(false);
    const issues = Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
    expect(issues).toMatchObject({
      document_type: "not_supported",
      first_name: "required",
      last_name: "required",
      date_of_birth: "required",
      nationality: "unknown_country",
      document_number: "required",
    });
  });

  it("sends the address only where the level needs it", () => {
    const values = { ...EMPTY_VALUES, middle_name: " ", address: { ...EMPTY_VALUES.address, city: "Berlin" } };
    expect(toRequest(values, false).address).toBeNull();
    expect(toRequest(values, false).middle_name).toBeNull();
    expect(toRequest(values, true).address).toMatchObject({ city: "Berlin", line1: null });
  });
});

describe("phoneRule", () => {
  it("takes an international number with separators, or nothing, like the server", () => {
    expect(phoneRule("")).toBeNull();
    expect(phoneRule("+49 151 2345-6789")).toBeNull();
    expect(phoneRule("(+44) 7700 900123".replace("(", "").replace(")", ""))).toBeNull();
    expect(phoneRule("0151 23456789")).toBe("invalid_phone");
    expect(phoneRule("+49 151 abc")).toBe("invalid_phone");
    expect(phoneRule("+1234")).toBe("invalid_phone");
  });

  it("is sent when given and left out when blank", () => {
    expect(toRequest({ ...EMPTY_VALUES, phone: " +49 151 23456789 " }, false).phone).toBe("+49 151 23456789");
    expect(toRequest(EMPTY_VALUES, false).phone).toBeNull();
  });
});
