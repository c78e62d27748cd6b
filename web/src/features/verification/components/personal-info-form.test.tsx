import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { apiError, renderWithProviders } from "@/testing/render";
import { FRANCE, GERMANY, INFO, retryDraft, verification } from "../testing/fixtures";
import { PersonalInfoForm } from "./personal-info-form";

const countries = [GERMANY, FRANCE];

describe("PersonalInfoForm", () => {
  it("searches countries, shows that country's documents as cards, and puts the server's refusals on their fields", async () => {
    const user = userEvent.setup();
    const save = vi.fn().mockResolvedValue(
      apiError(422, "validation_failed", [{ field: "expiry_date", code: "expired", message: "This document has expired; use a valid one." }]),
    );
    const onSaved = vi.fn();
    renderWithProviders(<PersonalInfoForm verification={verification()} countries={countries} requiresAddress={false} save={save} onSaved={onSaved} />);

    await user.type(screen.getByRole("searchbox", { name: "Search countries and regions" }), "germ");
    expect(screen.queryByRole("radio", { name: /France/ })).toBeNull();
    await user.click(screen.getByRole("radio", { name: /Germany/ }));
    expect(screen.getByTestId("chosen-country").textContent).toBe("Germany");
    expect(screen.getByRole("radio", { name: /Passport/ })).toBeTruthy();
    await user.click(screen.getByRole("radio", { name: /National ID card/ }));

    await user.type(screen.getByLabelText("First name(s)"), "Erika");
    await user.type(screen.getByLabelText("Last name(s)"), "Mustermann");
    await user.type(screen.getByLabelText("Date of birth"), "1984-08-12");
    await user.type(screen.getByLabelText("Document number"), "L01X 00T4");
    await user.type(screen.getByLabelText("Expiry date"), "2031-01-31");
    await user.click(screen.getByRole("button", { name: "Next" }));

    // The client's mirror of the number rule answers first, without a request.
    expect(await screen.findByText("This is not in the expected format.")).toBeTruthy();
    expect(save).not.toHaveBeenCalled();

    await user.type(screen.getByLabelText("Document number"), "7");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => {
      expect(save).toHaveBeenCalledTimes(1);
    });
    expect(save.mock.calls[0]?.[0]).toMatchObject({ issuing_country: "DE", document_type: "id_card", nationality: "DE", document_number: "L01X 00T47", middle_name: null, address: null });
    const expiry = screen.getByLabelText("Expiry date");
    await waitFor(() => {
      expect(expiry.getAttribute("aria-invalid")).toBe("true");
    });
    expect(screen.getByText("This document has expired; use a valid one.")).toBeTruthy();
    expect(document.activeElement).toBe(expiry);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("in a retry opens only the flagged field, says why, and keeps the rest as accepted", async () => {
    const user = userEvent.setup();
    const save = vi.fn().mockResolvedValue({ ok: true, data: verification({ next: "submit" }) });
    const onSaved = vi.fn();
    renderWithProviders(<PersonalInfoForm verification={retryDraft()} countries={countries} requiresAddress={false} save={save} onSaved={onSaved} />);

    const number = screen.getByLabelText("Document number");
    expect(number.getAttribute("readonly")).toBeNull();
    expect(number.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(/This does not match your document\./)).toBeTruthy();
    expect(screen.getByLabelText("First name(s)").getAttribute("readonly")).not.toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>("First name(s)").value).toBe(INFO.first_name);
    expect(screen.queryByRole("button", { name: "Change" })).toBeNull();

    await user.clear(number);
    await user.type(number, "L01X00T48");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => {
      expect(onSaved).toHaveBeenCalled();
    });
    expect(save.mock.calls[0]?.[0]).toMatchObject({ ...INFO, document_number: "L01X00T48" });
  });
});
