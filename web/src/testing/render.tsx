// Renders UI inside the app's providers for tests (English, in-memory router).
import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router";
import { I18nProvider, type Locale } from "@/i18n";
import type { ApiResult } from "@/lib/api/result";
import type { AuthSession, ErrorCode } from "@/lib/api/types";

export function renderWithProviders(ui: ReactElement, { locale = "en" }: { locale?: Locale } = {}): RenderResult {
  return render(
    <I18nProvider locale={locale}>
      <MemoryRouter>{ui}</MemoryRouter>
    </I18nProvider>,
  );
}

export function apiError(
  status: number,
  code: ErrorCode,
  fields?: { field: string; code: string; message: string }[],
  retryAfter?: number,
): ApiResult<never> {
  return {
    ok: false,
    problem: {
      kind: "api",
      status,
      error: { code, message: `server says ${code}`, ...(fields ? { fields } : {}) },
      ...(retryAfter === undefined ? {} : { retryAfter }),
    },
  };
}

export function authSession(overrides: Partial<AuthSession> = {}): AuthSession {
  return {
    access_token: "access-1",
    token_type: "Bearer",
    expires_in: 900,
    refresh_token: "refresh-1",
    refresh_expires_in: 2_592_000,
    user: { id: "0b6f8a9e-6d0b-4a53-9d43-5f1d1c7c2b11", email: "ana@example.org", roles: ["applicant"], created_at: "2025-01-01T00:00:00Z" },
    ...overrides,
  };
}
