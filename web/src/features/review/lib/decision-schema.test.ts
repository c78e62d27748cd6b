import { describe, expect, it } from "vitest";
import { decisionIssues, decisionResolver, emptyDecision, formPath, toDecisionInput, type DecisionValues } from "./decision-schema";

const reject = (over: Partial<DecisionValues> = {}): DecisionValues => ({
  ...emptyDecision(),
  decision: "reject",
  reject_type: "retry",
  reasons: [{ code: "data_mismatch", step: "personal_info", field_paths: ["document_number"] }],
  ...over,
});

describe("decision rules (mirroring DecisionInput::validate)", () => {
  it("needs a decision", () => {
    expect(decisionIssues(emptyDecision())).toEqual([{ path: ["decision"], code: "required" }]);
  });

  it("accepts an approval, and a rejection with a reason tied to its step's fields", () => {
    expect(decisionIssues({ ...emptyDecision(), decision: "approve" })).toEqual([]);
    expect(decisionIssues(reject())).toEqual([]);
    // A reason may name no field: the whole step is flagged.
    expect(decisionIssues(reject({ reasons: [{ code: "liveness_failed", step: "liveness", field_paths: [] }] }))).toEqual([]);
  });

  it("requires the kind of rejection and at least one reason", () => {
    expect(decisionIssues(reject({ reject_type: "", reasons: [] }))).toEqual([
      { path: ["reject_type"], code: "required" },
      { path: ["reasons"], code: "required" },
    ]);
  });

  it("refuses codes outside the taxonomy and fields of another step", () => {
    expect(
      decisionIssues(
        reject({
          reasons: [
            { code: "", step: "document", field_paths: [] },
            { code: "overexposed_photo", step: "document", field_paths: ["images.front"] },
            { code: "blurred_photo", step: "document", field_paths: ["document_number"] },
            { code: "face_mismatch", step: "selfie", field_paths: ["images.front"] },
          ],
        }),
      ),
    ).toEqual([
      { path: ["reasons", 0, "code"], code: "required" },
      // The quality gate's code is not one a decision may use.
      { path: ["reasons", 1, "code"], code: "unknown_reason" },
      { path: ["reasons", 2, "field_paths"], code: "invalid_field_path" },
      { path: ["reasons", 3, "field_paths"], code: "invalid_field_path" },
    ]);
  });

  it("counts the message and note in characters as the server does", () => {
    expect(decisionIssues(reject({ message: "😀".repeat(1000) }))).toEqual([]);
    expect(decisionIssues(reject({ message: "a".repeat(1001), internal_note: "b".repeat(2001) }))).toEqual([
      { path: ["message"], code: "too_long" },
      { path: ["internal_note"], code: "too_long" },
    ]);
  });

  it("ignores reasons left in the form when approving, and sends none", () => {
    const v = reject({ decision: "approve", reasons: [{ code: "", step: "document", field_paths: [] }] });
    expect(decisionIssues(v)).toEqual([]);
    expect(toDecisionInput(v)).toEqual({ decision: "approve" });
  });

  it("builds the request: trimmed texts, empty ones left out", () => {
    expect(toDecisionInput(reject({ message: "  Check the number. ", internal_note: " " }))).toEqual({
      decision: "reject",
      reject_type: "retry",
      reasons: [{ code: "data_mismatch", step: "personal_info", field_paths: ["document_number"] }],
      message: "Check the number.",
    });
  });

  it("gives react-hook-form nested errors, and maps the server's field names to form paths", async () => {
    const result = await decisionResolver(reject({ reject_type: "", reasons: [{ code: "x", step: "document", field_paths: [] }] }), undefined, {
      fields: {},
      shouldUseNativeValidation: false,
    });
    expect(result.errors).toEqual({
      reject_type: { type: "validate", message: "required" },
      reasons: [{ code: { type: "validate", message: "unknown_reason" } }],
    });
    expect(formPath("reasons[2].field_paths")).toBe("reasons.2.field_paths");
    expect(formPath("message")).toBe("message");
  });
});
