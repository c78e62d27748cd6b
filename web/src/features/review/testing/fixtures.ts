// A case as the reviewer API returns it, for the console's tests.
import type { CaseView } from "../api/review-api";

export function caseView(overrides: Partial<CaseView> = {}): CaseView {
  return {
    verification_id: "01a2163a-0000-4000-8000-000000000001",
    level: "basic",
    status: "in_review",
    attempt: 1,
    country: "DE",
    document_type: "id_card",
    submitted_at: "2026-11-26T05:00:00Z",
    review: {
      attempt: 1,
      state: "open",
      flags: ["data_match_inconclusive", "mrz_unreadable"],
      queued_at: "2026-11-26T05:00:05Z",
      claim: { reviewer_id: "0b6f8a9e-6d0b-4a53-9d43-5f1d1c7c2b11", expires_at: "2026-11-26T05:30:00Z", mine: true },
      proposal: null,
    },
    entered: {
      issuing_country: "DE",
      document_type: "id_card",
      first_name: "Erika",
      last_name: "Mustermann",
      date_of_birth: "1984-08-12",
      nationality: "DE",
      document_number: "L01X00T47",
      expiry_date: "2031-01-01",
      middle_name: null,
    },
    extracted: { source: "mrz", valid: true, fields: { document_number: "L01X00T48" } },
    comparison: [
      { field: "first_name", entered: "Erika", extracted: "ERIKA", verdict: "match" },
      { field: "document_number", entered: "L01X00T47", extracted: "L01X00T48", verdict: "mismatch" },
      { field: "expiry_date", entered: "2031-01-01", extracted: null, verdict: "unavailable" },
    ],
    checks: [
      { kind: "quality", result: "pass", score: null, reasons: [], details: {}, checked_at: "2026-11-26T05:00:01Z" },
      {
        kind: "data_match",
        result: "fail",
        score: null,
        reasons: [{ code: "data_mismatch", step: "personal_info", field_paths: ["document_number"] }],
        details: {},
        checked_at: "2026-11-26T05:00:01Z",
      },
      {
        kind: "expiry",
        result: "fail",
        score: null,
        reasons: [
          { code: "document_expired", step: "personal_info", field_paths: ["document_number", "expiry_date"] },
          { code: "document_expired", step: "document", field_paths: ["images.front", "images.back"] },
        ],
        details: {},
        checked_at: "2026-11-26T05:00:01Z",
      },
      { kind: "face_match", result: "pass", score: 0.949, reasons: [], details: { distance: 0.38 } as never, checked_at: "2026-11-26T05:00:01Z" },
    ],
    images: [
      { id: "i1", kind: "front", width: 1280, height: 960, uploaded_at: "2026-11-26T04:59:00Z", url: "http://s3.test/front", url_expires_at: "2026-11-26T05:05:00Z", quality: {}, extraction: {} },
      { id: "i2", kind: "back", width: 1280, height: 960, uploaded_at: "2026-11-26T04:59:00Z", url: "http://s3.test/back", url_expires_at: "2026-11-26T05:04:30Z", quality: {}, extraction: {} },
      { id: "i3", kind: "selfie", width: 1280, height: 960, uploaded_at: "2026-11-26T04:59:00Z", url: "http://s3.test/selfie", url_expires_at: "2026-11-26T05:05:00Z", quality: {}, extraction: {} },
    ],
    history: [],
    ...overrides,
  };
}
