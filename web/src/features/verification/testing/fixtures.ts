// Verification views as the server sends them, for component and logic tests.
import type { Country, Verification } from "@/lib/api/types";

export const GERMANY: Country = {
  code: "DE",
  alpha3: "DEU",
  name: "Germany",
  min_age: 18,
  documents: [
    { type: "passport", back_side: false, has_expiry: true, number: { pattern: "^[CFGHJKLMNPRTVWXYZ0-9]{9}$", description: "9 characters", example: "C01X00T47" } },
    { type: "id_card", back_side: true, has_expiry: true, number: { pattern: "^[CFGHJKLMNPRTVWXYZ0-9]{9}$", description: "9 characters", example: "L01X00T47" } },
  ],
};

export const FRANCE: Country = {
  code: "FR",
  alpha3: "FRA",
  name: "France",
  min_age: 18,
  documents: [{ type: "passport", back_side: false, has_expiry: true, number: { pattern: "^[0-9]{2}[A-Z]{2}[0-9]{5}$", description: "2 digits, 2 letters, 5 digits", example: "12AB34567" } }],
};

export function verification(over: Partial<Verification> = {}): Verification {
  return {
    id: "0193a1b2-0000-7000-8000-000000000001",
    level: "basic",
    status: "draft",
    attempt: 1,
    attempts_per_day: 3,
    attempts_left: 3,
    can_edit: true,
    created_at: "2026-11-25T10:00:00Z",
    required_sides: ["front", "back"],
    images: [],
    next: "personal_info",
    steps: [
      { name: "personal_info", status: "not_started", field_paths: [], reasons: [] },
      { name: "document", status: "not_started", field_paths: [], reasons: [] },
      { name: "selfie", status: "not_started", field_paths: [], reasons: [] },
    ],
    ...over,
  };
}

export const INFO = {
  issuing_country: "DE",
  document_type: "id_card" as const,
  first_name: "Erika",
  last_name: "Mustermann",
  date_of_birth: "1984-08-12",
  nationality: "DE",
  document_number: "L01X00T47",
  expiry_date: "2031-01-31",
};

const image = (kind: "front" | "back" | "selfie", attempt = 1) => ({ kind, width: 1280, height: 960, byte_size: 100_000, attempt, uploaded_at: "2026-11-25T10:05:00Z" });

/** Rejected for the document number; the photos were fine. */
export function rejectedForNumber(): Verification {
  return verification({
    status: "action_required",
    next: null,
    personal_info: INFO,
    images: [image("front"), image("back"), image("selfie")],
    steps: [
      { name: "personal_info", status: "complete", field_paths: [], reasons: [] },
      { name: "document", status: "complete", field_paths: [], reasons: [] },
      { name: "selfie", status: "complete", field_paths: [], reasons: [] },
    ],
    attempts_left: 2,
    decision: {
      decision: "reject",
      reject_type: "retry",
      decided_at: "2026-11-25T11:00:00Z",
      message: null,
      reasons: [{ code: "data_mismatch", step: "personal_info", field_paths: ["document_number"], message_key: "reason.data_mismatch" }],
    },
  });
}

/** The retry draft the server opens after that rejection. */
export function retryDraft(): Verification {
  const reasons = [{ code: "data_mismatch", step: "personal_info" as const, field_paths: ["document_number"], message_key: "reason.data_mismatch" }];
  return verification({
    attempt: 2,
    next: "personal_info",
    personal_info: INFO,
    images: [image("front"), image("back"), image("selfie")],
    steps: [
      { name: "personal_info", status: "not_started", field_paths: ["document_number"], reasons },
      { name: "document", status: "accepted", field_paths: [], reasons: [] },
      { name: "selfie", status: "accepted", field_paths: [], reasons: [] },
    ],
  });
}
