import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { apiError, renderWithProviders } from "@/testing/render";
import { PhoneCapture } from "./phone-capture";

const exchangeHandoff = vi.fn();
vi.mock("../api/handoff-api", () => ({
  exchangeHandoff: (token: string): unknown => exchangeHandoff(token),
  getVerification: vi.fn(),
  completeHandoff: vi.fn(),
}));

describe("PhoneCapture", () => {
  it("takes the token from the fragment, drops it from the address bar, and explains a used link", async () => {
    window.history.replaceState(null, "", "/handoff#ekyc_ho_secret");
    exchangeHandoff.mockResolvedValue(apiError(410, "handoff_invalid", [{ field: "token", code: "used", message: "used" }]));
    renderWithProviders(<PhoneCapture />, { locale: "es" });
    expect(await screen.findByText("Este enlace ya se usó. Crea uno nuevo en tu ordenador.")).toBeTruthy();
    expect(exchangeHandoff).toHaveBeenCalledWith("ekyc_ho_secret");
    expect(window.location.hash).toBe("");
    expect(window.location.pathname).toBe("/handoff");
  });
});
