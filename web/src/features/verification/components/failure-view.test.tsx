import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithProviders } from "@/testing/render";
import { rejectedForNumber } from "../testing/fixtures";
import { FailureView } from "./failure-view";

describe("FailureView", () => {
  it("highlights the flagged field and says why in plain words", () => {
    renderWithProviders(<FailureView verification={rejectedForNumber()} />);
    expect(screen.getByTestId("fact-document_number").getAttribute("data-flagged")).toBe("true");
    expect(screen.getByTestId("fact-first_name").getAttribute("data-flagged")).toBeNull();
    expect(screen.getByTestId("decision-reasons").textContent).toContain("This does not match your document.");
    expect(screen.getByTestId("decision-reasons").textContent).toContain("Personal information: Document number");
    for (const kind of ["front", "back", "selfie"]) expect(screen.getByTestId(`photo-${kind}`).getAttribute("data-flagged")).toBeNull();
  });

  it("highlights a flagged photo, or every photo of a step flagged without paths, in Spanish too", () => {
    const v = rejectedForNumber();
    v.decision = {
      decision: "reject",
      reject_type: "retry",
      decided_at: "2026-11-25T11:00:00Z",
      message: "Por favor, repite el reverso.",
      reasons: [
        { code: "glare_on_photo", step: "document", field_paths: ["images.back"], message_key: "reason.glare_on_photo" },
        { code: "face_mismatch", step: "selfie", field_paths: [], message_key: "reason.face_mismatch" },
      ],
    };
    renderWithProviders(<FailureView verification={v} />, { locale: "es" });
    expect(screen.getByTestId("photo-back").getAttribute("data-flagged")).toBe("true");
    expect(screen.getByTestId("photo-front").getAttribute("data-flagged")).toBeNull();
    expect(screen.getByTestId("photo-selfie").getAttribute("data-flagged")).toBe("true");
    expect(screen.getByTestId("fact-document_number").getAttribute("data-flagged")).toBeNull();
    expect(screen.getByText(/La luz se refleja en el documento\./)).toBeTruthy();
    expect(screen.getByText(/Por favor, repite el reverso\./)).toBeTruthy();
  });
});
