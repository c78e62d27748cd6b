import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, renderWithProviders } from "@/testing/render";
import { decideCase } from "../api/review-api";
import { caseShape } from "../lib/case-shape";
import { caseView } from "../testing/fixtures";
import { DecisionForm } from "./decision-form";
import { ComparisonTable } from "./evidence";

vi.mock("../api/review-api", () => ({ decideCase: vi.fn() }));
const decide = vi.mocked(decideCase);

function renderForm(data = caseView()) {
  const onDecided = vi.fn();
  renderWithProviders(<DecisionForm data={data} shape={caseShape(data)} onDecided={onDecided} />);
  return { onDecided, user: userEvent.setup() };
}

async function rejectDocumentNumber(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByLabelText("Reject"));
  await user.click(screen.getByLabelText(/^Retry/));
  await user.click(screen.getByRole("button", { name: "Add a reason" }));
  const row = screen.getByRole("group", { name: "Reason 1" });
  await user.selectOptions(within(row).getByLabelText("Step"), "personal_info");
  await user.selectOptions(within(row).getByLabelText("Reason"), "data_mismatch");
  await user.click(within(row).getByLabelText("Document number"));
  return row;
}

describe("decision form", () => {
  beforeEach(() => {
    decide.mockReset();
  });

  it("says what is missing before sending anything", async () => {
    const { user } = renderForm();
    await user.click(screen.getByRole("button", { name: "Record decision" }));
    expect(await screen.findByText("This field is required.")).toBeInTheDocument();
    await user.click(screen.getByLabelText("Reject"));
    await user.click(screen.getByRole("button", { name: "Record decision" }));
    // The kind of rejection and a reason are both missing.
    expect(await screen.findAllByText("This field is required.")).toHaveLength(2);
    expect(decide).not.toHaveBeenCalled();
  });

  it("offers only the step's reasons and fields, and sends the rejection", async () => {
    decide.mockResolvedValue({ ok: true, data: { outcome: "decided", verification_status: "action_required", case_state: "decided" } });
    const { user, onDecided } = renderForm();
    const row = await rejectDocumentNumber(user);
    expect(within(row).queryByRole("option", { name: "Blurred photo" })).toBeNull();
    expect(within(row).queryByLabelText("Middle name(s) (optional)")).toBeNull();
    expect(within(row).getByText("The applicant reads: “This does not match your document.”")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Message to the applicant (optional)"), "Check the number.");
    await user.click(screen.getByRole("button", { name: "Record decision" }));
    expect(decide).toHaveBeenCalledWith(
      caseView().verification_id,
      {
        decision: "reject",
        reject_type: "retry",
        reasons: [{ code: "data_mismatch", step: "personal_info", field_paths: ["document_number"] }],
        message: "Check the number.",
      },
      expect.any(String),
    );
    expect(onDecided).toHaveBeenCalledWith({ outcome: "decided", verification_status: "action_required", case_state: "decided" });
  });

  it("changing a reason's step drops the fields and code of the old step", async () => {
    const { user } = renderForm();
    const row = await rejectDocumentNumber(user);
    await user.selectOptions(within(row).getByLabelText("Step"), "document");
    expect(within(row).getByLabelText<HTMLSelectElement>("Reason").value).toBe("");
    expect(within(row).getByLabelText<HTMLInputElement>("Front").checked).toBe(false);
    await user.click(within(row).getByLabelText("Front"));
    expect(within(row).getByLabelText<HTMLInputElement>("Front").checked).toBe(true);
  });

  it("puts the server's field errors on their inputs, and the rest above the form", async () => {
    decide.mockResolvedValueOnce(
      apiError(422, "validation_failed", [
        { field: "reasons[0].field_paths", code: "invalid_field_path", message: "x is not a field of the document step." },
        { field: "message", code: "too_long", message: "At most 1000 characters." },
      ]),
    );
    const { user } = renderForm();
    const row = await rejectDocumentNumber(user);
    await user.click(screen.getByRole("button", { name: "Record decision" }));
    expect(await within(row).findByText("One of the chosen fields does not belong to this step.")).toBeInTheDocument();
    expect(screen.getByLabelText("Message to the applicant (optional)")).toHaveAttribute("aria-invalid", "true");

    decide.mockResolvedValueOnce(apiError(409, "claim_required"));
    await user.click(screen.getByRole("button", { name: "Record decision" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Claim the case before deciding it.");
  });

  it("a final rejection is announced as a proposal for a second reviewer", async () => {
    const { user } = renderForm();
    await user.click(screen.getByLabelText("Reject"));
    await user.click(screen.getByLabelText(/^Final/));
    expect(screen.getByRole("note")).toHaveTextContent("A final rejection needs a second reviewer");
    expect(screen.getByRole("button", { name: "Propose final rejection" })).toBeInTheDocument();
  });

  it("approves without reasons", async () => {
    decide.mockResolvedValue({ ok: true, data: { outcome: "decided", verification_status: "approved", case_state: "decided" } });
    const { user } = renderForm();
    await user.click(screen.getByLabelText("Approve"));
    expect(screen.queryByRole("button", { name: "Add a reason" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Approve verification" }));
    expect(decide).toHaveBeenCalledWith(caseView().verification_id, { decision: "approve" }, expect.any(String));
  });
});

describe("comparison table", () => {
  it("marks a difference in words and symbol, not only colour, differences first", () => {
    renderWithProviders(<ComparisonTable rows={caseView().comparison} />);
    const rows = screen.getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent("Document number");
    expect(rows[0]).toHaveTextContent("L01X00T47L01X00T48✗ Different");
    expect(rows[1]).toHaveTextContent("Not on the document");
    expect(rows[2]).toHaveTextContent("Match");
    expect(screen.getByText("1 different, 1 matching, 1 not on the document.")).toBeInTheDocument();
  });
});
