import { describe, expect, it } from "vitest";
import { rejectedForNumber, retryDraft, verification } from "../testing/fixtures";
import { flagged, homeState, imageStates, isFieldLocked, normalisePath, reasonsFor } from "./state";

describe("verification state", () => {
  it("reads the state at a glance", () => {
    expect(homeState(null)).toEqual({ kind: "not_started" });
    expect(homeState(verification())).toEqual({ kind: "draft", next: "personal_info", retrying: false });
    expect(homeState(verification({ next: "submit" }))).toMatchObject({ kind: "draft", next: "submit" });
    expect(homeState(verification({ status: "in_review", waiting: { stage: "in_review", message_key: "waiting.in_review", estimate_seconds: 600 }, submitted_at: "2026-11-25T10:00:00Z" }))).toEqual({
      kind: "waiting",
      stage: "in_review",
      estimateSeconds: 600,
      submittedAt: "2026-11-25T10:00:00Z",
    });
    expect(homeState(verification({ status: "processing" }))).toMatchObject({ kind: "waiting", stage: "checks_running" });
    expect(homeState(rejectedForNumber())).toEqual({ kind: "action_required" });
    expect(homeState(verification({ status: "rejected" }))).toEqual({ kind: "rejected" });
  });

  it("takes field paths with or without the step prefix", () => {
    expect(normalisePath("personal_info.document_number")).toBe("document_number");
    expect(normalisePath("images.front")).toBe("images.front");
  });

  it("flags what the decision names, and in the retry draft what the server reopened", () => {
    const rejected = flagged(rejectedForNumber());
    expect([...rejected.fields]).toEqual(["document_number"]);
    expect([...rejected.images]).toEqual([]);
    const draft = flagged(retryDraft());
    expect([...draft.fields]).toEqual(["document_number"]);
    expect(reasonsFor(retryDraft(), "document_number").map((r) => r.code)).toEqual(["data_mismatch"]);
    expect(reasonsFor(retryDraft(), "first_name")).toEqual([]);
  });

  it("locks accepted fields and photos in a retry, and nothing in a first attempt", () => {
    const draft = retryDraft();
    expect(isFieldLocked(draft, "document_number")).toBe(false);
    expect(isFieldLocked(draft, "first_name")).toBe(true);
    expect(isFieldLocked(draft, "issuing_country")).toBe(true);
    expect(isFieldLocked(verification(), "first_name")).toBe(false);
    expect(imageStates(draft, ["front", "back"]).map((s) => s.state)).toEqual(["accepted", "accepted"]);
    const photoRetry = { ...draft, steps: draft.steps.map((s) => (s.name === "document" ? { ...s, status: "not_started" as const, field_paths: ["images.back"] } : s)) };
    expect(imageStates(photoRetry, ["front", "back"]).map((s) => s.state)).toEqual(["accepted", "flagged"]);
    // The back retaken in this attempt (the server dropped its path): new, not "accepted".
    const retaken = {
      ...photoRetry,
      images: [...photoRetry.images.filter((i) => i.kind !== "back"), { kind: "back" as const, width: 1, height: 1, byte_size: 1, attempt: 2, uploaded_at: "" }],
      steps: photoRetry.steps.map((s) => (s.name === "document" ? { ...s, status: "complete" as const, field_paths: [] } : s)),
    };
    expect(imageStates(retaken, ["front", "back"]).map((s) => s.state)).toEqual(["accepted", "uploaded"]);
    expect(imageStates(verification({ images: [{ kind: "front", width: 1, height: 1, byte_size: 1, attempt: 1, uploaded_at: "" }] }), ["front", "back"]).map((s) => s.state)).toEqual(["uploaded", "to_do"]);
  });
});
