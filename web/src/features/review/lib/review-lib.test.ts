import { describe, expect, it } from "vitest";
import { caseView } from "../testing/fixtures";
import { caseShape } from "./case-shape";
import { countMarks, markOf, markRows, mismatchedFields } from "./comparison";
import { flagParts } from "./flags";
import { filtersFromParams, filtersToParams, NO_FILTERS, toQuery } from "./queue-filters";
import { suggestedReasons } from "./suggest";
import { fieldPathChoices, keepPaths, reasonChoices, stepsOf, STEP_REASONS, DECISION_REASON_CODES } from "./taxonomy";
import { minutesLeft, urlRefreshDelay, waitingDuration } from "./time";

describe("reason and field picker", () => {
  const shape = caseShape(caseView());

  it("offers the steps the case has: no liveness without a liveness check", () => {
    expect(stepsOf(shape)).toEqual(["personal_info", "document", "selfie"]);
    expect(stepsOf({ ...shape, liveness: true })).toContain("liveness");
    expect(stepsOf({ ...shape, images: new Set(["front"]) })).toEqual(["personal_info", "document"]);
  });

  it("offers only fields the applicant filled in, and only the images uploaded", () => {
    const personal = fieldPathChoices("personal_info", shape);
    expect(personal).toEqual(["issuing_country", "document_type", "first_name", "last_name", "date_of_birth", "nationality", "document_number", "expiry_date"]);
    expect(personal).not.toContain("middle_name");
    expect(fieldPathChoices("document", shape)).toEqual(["images.front", "images.back"]);
    expect(fieldPathChoices("document", { ...shape, images: new Set(["front", "selfie"]) })).toEqual(["images.front"]);
    expect(fieldPathChoices("selfie", shape)).toEqual(["images.selfie"]);
    expect(fieldPathChoices("liveness", shape)).toEqual(["liveness"]);
  });

  it("offers address lines only when an address was entered", () => {
    const base = caseView();
    if (!base.entered) throw new Error("fixture has entered data");
    const withAddress = caseShape(
      caseView({ entered: { ...base.entered, address: { line1: "Heidestr. 17", city: "Köln", postcode: "51147", country: "DE", line2: null } } }),
    );
    const paths = fieldPathChoices("personal_info", withAddress);
    expect(paths).toEqual(expect.arrayContaining(["address", "address.line1", "address.city", "address.postcode", "address.country"]));
    expect(paths).not.toContain("address.line2");
  });

  it("filters reasons by step, from the taxonomy only, keeping a chosen code visible", () => {
    expect(reasonChoices("liveness")).toEqual(["liveness_failed", "face_mismatch"]);
    expect(reasonChoices("personal_info")).toContain("data_mismatch");
    expect(reasonChoices("personal_info")).not.toContain("blurred_photo");
    expect(reasonChoices("personal_info", "blurred_photo")).toContain("blurred_photo");
    expect(reasonChoices("personal_info", "made_up")).not.toContain("made_up");
    for (const list of Object.values(STEP_REASONS)) for (const c of list) expect(DECISION_REASON_CODES).toContain(c);
    // Every taxonomy code is offered on some step.
    expect(DECISION_REASON_CODES.filter((c) => !Object.values(STEP_REASONS).some((l) => l.includes(c)))).toEqual([]);
  });

  it("keeps only the field paths that belong to a new step", () => {
    expect(keepPaths("document", ["document_number", "images.front"])).toEqual(["images.front"]);
    expect(keepPaths("personal_info", ["images.front"])).toEqual([]);
  });

  it("suggests the failing checks' reasons once each, with valid paths", () => {
    expect(suggestedReasons(caseView())).toEqual([
      { code: "data_mismatch", step: "personal_info", field_paths: ["document_number"] },
      { code: "document_expired", step: "personal_info", field_paths: ["document_number", "expiry_date"] },
      { code: "document_expired", step: "document", field_paths: ["images.front", "images.back"] },
    ]);
  });
});

describe("comparison marking", () => {
  const rows = caseView().comparison;

  it("marks each verdict, unknown ones as unavailable", () => {
    expect(markOf("match")).toBe("match");
    expect(markOf("mismatch")).toBe("mismatch");
    expect(markOf("unavailable")).toBe("unavailable");
    expect(markOf("something_new")).toBe("unavailable");
  });

  it("puts differences first and keeps the server's order otherwise", () => {
    expect(markRows(rows).map((r) => [r.field, r.mark])).toEqual([
      ["document_number", "mismatch"],
      ["expiry_date", "unavailable"],
      ["first_name", "match"],
    ]);
    expect(countMarks(rows)).toEqual({ match: 1, mismatch: 1, unavailable: 1 });
    expect(mismatchedFields(rows)).toEqual(["document_number"]);
  });
});

describe("queue filters", () => {
  it("reads only valid values from the URL and writes only the set ones", () => {
    const f = filtersFromParams(new URLSearchParams("state=open&country=de&document_type=visa&flag=DROP%20TABLE&waiting=4h&claimed=free"));
    expect(f).toEqual({ ...NO_FILTERS, state: "open", country: "DE", waiting: "4h", claimed: "free" });
    expect(filtersToParams(f).toString()).toBe("state=open&country=DE&waiting=4h&claimed=free");
  });

  it("turns the filters into the API's query", () => {
    const now = Date.parse("2026-11-26T05:00:00Z");
    expect(toQuery({ ...NO_FILTERS, waiting: "1h", claimed: "claimed", flag: "duplicate_identity" }, now, "c1")).toEqual({
      flag: "duplicate_identity",
      waiting_since: "2026-11-26T04:00:00.000Z",
      claimed: true,
      cursor: "c1",
    });
    expect(toQuery(NO_FILTERS, now)).toEqual({});
  });
});

describe("times", () => {
  it("refetches 30 s before the first image URL expires, never sooner than 5 s", () => {
    const now = Date.parse("2026-11-26T05:00:00Z");
    expect(urlRefreshDelay(["2026-11-26T05:05:00Z", "2026-11-26T05:04:30Z"], now)).toBe(240_000);
    expect(urlRefreshDelay(["2026-11-26T05:00:10Z"], now)).toBe(5_000);
    expect(urlRefreshDelay([], now)).toBeNull();
  });

  it("says how long a case waits in the largest whole unit", () => {
    expect(waitingDuration(30)).toEqual({ unit: "minutes", value: 0 });
    expect(waitingDuration(59 * 60)).toEqual({ unit: "minutes", value: 59 });
    expect(waitingDuration(3 * 3600 + 10)).toEqual({ unit: "hours", value: 3 });
    expect(waitingDuration(3 * 86_400)).toEqual({ unit: "days", value: 3 });
    expect(minutesLeft("2026-11-26T05:30:00Z", Date.parse("2026-11-26T05:00:30Z"))).toBe(30);
    expect(minutesLeft("2026-11-26T05:30:00Z", Date.parse("2026-11-26T06:00:00Z"))).toBe(0);
  });
});

describe("flags", () => {
  const isReason = (c: string) => c === "mrz_unreadable";
  it("reads reason codes, check results and the auto-approval switch", () => {
    expect(flagParts("mrz_unreadable", isReason)).toEqual({ kind: "reason", code: "mrz_unreadable" });
    expect(flagParts("face_match_inconclusive", isReason)).toEqual({ kind: "check", check: "face_match", result: "inconclusive" });
    expect(flagParts("liveness_failed", () => false)).toEqual({ kind: "check", check: "liveness", result: "failed" });
    expect(flagParts("auto_approve_off", isReason)).toEqual({ kind: "auto_approve_off" });
    expect(flagParts("new_thing", isReason)).toEqual({ kind: "other", code: "new_thing" });
  });
});
