// The forms end to end in jsdom: client validation, then server answers landing on fields
// or in the form-level alert, translated.
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { apiError, authSession, renderWithProviders } from "@/testing/render";
import { LoginForm } from "./login-form";
import { RegisterForm } from "./register-form";

async function fill(email: string, password: string) {
  const user = userEvent.setup();
  if (email) await user.type(screen.getByLabelText("Email"), email);
  if (password) await user.type(screen.getByLabelText("Password"), password);
  return user;
}

describe("RegisterForm", () => {
  it("validates on the client before calling the server", async () => {
    const submit = vi.fn();
    renderWithProviders(<RegisterForm submit={submit} onSuccess={vi.fn()} />);
    const user = await fill("not-an-email", "short");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByText("Enter a valid email address.")).toBeInTheDocument();
    expect(screen.getByText("This is too short.")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/At least 10 characters.*This is too short\./);
    expect(screen.getByLabelText("Email")).toHaveFocus();
    expect(submit).not.toHaveBeenCalled();
  });

  it("sends the trimmed email and reports success", async () => {
    const session = authSession();
    const submit = vi.fn().mockResolvedValue({ ok: true, data: session });
    const onSuccess = vi.fn();
    renderWithProviders(<RegisterForm submit={submit} onSuccess={onSuccess} />);
    const user = await fill(" ana@example.org ", "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    await waitFor(() => {
      expect(onSuccess).toHaveBeenCalledWith(session);
    });
    expect(submit).toHaveBeenCalledWith({ email: "ana@example.org", password: "correct horse battery" });
  });

  it("shows the server's field errors on their fields", async () => {
    const submit = vi.fn().mockResolvedValue(apiError(422, "validation_failed", [{ field: "password", code: "common_password", message: "common" }]));
    renderWithProviders(<RegisterForm submit={submit} onSuccess={vi.fn()} />);
    const user = await fill("ana@example.org", "password12");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    const text = "This password is too common. Choose one that is harder to guess.";
    await screen.findByText(text);
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(expect.stringContaining(text) as string);
    expect(screen.getByLabelText("Password")).toHaveFocus();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("puts email_taken on the email field", async () => {
    const submit = vi.fn().mockResolvedValue(apiError(409, "email_taken"));
    renderWithProviders(<RegisterForm submit={submit} onSuccess={vi.fn()} />);
    const user = await fill("ana@example.org", "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByText("An account with this email already exists.")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
  });

  it("translates the error code in another locale", async () => {
    const submit = vi.fn().mockResolvedValue(apiError(429, "rate_limited", undefined, 12));
    renderWithProviders(<RegisterForm submit={submit} onSuccess={vi.fn()} />, { locale: "es" });
    const user = await fill("", "");
    await user.type(screen.getByLabelText("Correo electrónico"), "ana@example.org");
    await user.type(screen.getByLabelText("Contraseña"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Crear cuenta" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Demasiados intentos. Espera un momento e inténtalo de nuevo. Inténtalo de nuevo en 12 segundos.",
    );
  });
});

describe("LoginForm", () => {
  it("shows invalid_credentials as a form-level alert, on no field", async () => {
    const submit = vi.fn().mockResolvedValue(apiError(401, "invalid_credentials"));
    renderWithProviders(<LoginForm submit={submit} onSuccess={vi.fn()} />);
    const user = await fill("ana@example.org", "wrong password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("The email or password is incorrect.");
    expect(screen.getByLabelText("Email")).not.toHaveAttribute("aria-invalid");
    expect(screen.getByLabelText("Password")).not.toHaveAttribute("aria-invalid");
  });

  it("explains a network failure", async () => {
    const submit = vi.fn().mockResolvedValue({ ok: false, problem: { kind: "network" } });
    renderWithProviders(<LoginForm submit={submit} onSuccess={vi.fn()} />);
    const user = await fill("ana@example.org", "whatever");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("We could not reach the server.");
  });

  it("falls back to the server's message for an unknown error code", async () => {
    const submit = vi.fn().mockResolvedValue({
      ok: false,
      problem: { kind: "api", status: 400, error: { code: "brand_new_code", message: "A brand new problem." } },
    });
    renderWithProviders(<LoginForm submit={submit} onSuccess={vi.fn()} />);
    const user = await fill("ana@example.org", "whatever");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("A brand new problem.");
  });
});
