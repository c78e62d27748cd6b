// One applicant's journey through the real API serving the built SPA: register (with a too-short
// and a too-common password first), land on Home, sign out, sign in, reload and stay signed in.
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, launch, screenshot, webStorage } from "./browser";

const BASE = baseUrl();
const email = `e2e-${randomBytes(6).toString("hex")}@example.com`;
const password = `Correct horse ${randomBytes(4).toString("hex")}`;

let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext({ locale: "en-US", viewport: { width: 390, height: 844 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser.close();
});

async function expectHome(): Promise<void> {
  await page.waitForURL(`${BASE}/`);
  await page.getByRole("heading", { name: "Identity Verification" }).waitFor();
  await page.getByTestId("me-email").waitFor();
  expect(await page.getByTestId("me-email").textContent()).toBe(email);
  expect(await page.getByTestId("me-roles").textContent()).toContain("Applicant");
}

async function expectNothingPersisted(): Promise<void> {
  const entries = await webStorage(page);
  for (const entry of entries) {
    expect(entry.toLowerCase()).not.toContain(email.toLowerCase());
    expect(entry).not.toMatch(/token|eyJ[\w-]+\.[\w-]+/i);
  }
}

describe("applicant sign-up and session", () => {
  it("sends a signed-out visitor to the sign-in page", async () => {
    await page.goto(`${BASE}/`);
    await page.waitForURL(`${BASE}/login`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await screenshot(page, "signed-out-redirect");
  });

  it("refuses a too-short password on the client", async () => {
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByRole("heading", { name: "Create your account" }).waitFor();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("This is too short.").waitFor();
    expect(await page.getByLabel("Password", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "register-too-short");
  });

  it("shows the server's common-password error on the password field", async () => {
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/register"));
    await page.getByLabel("Password", { exact: true }).fill("password12");
    await page.getByRole("button", { name: "Create account" }).click();
    const response = await answer;
    expect(response.status()).toBe(422);
    const body = (await response.json()) as { error: { code: string; fields?: { field: string; code: string }[] } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.fields).toContainEqual(expect.objectContaining({ field: "password", code: "common_password" }));
    await page.getByText("This password is too common.", { exact: false }).waitFor();
    expect(await page.getByLabel("Password", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "register-common-password");
  });

  it("registers and lands on Home showing the email", async () => {
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expectHome();
    await screenshot(page, "home-after-register");
  });

  it("keeps tokens and the email out of web storage; the refresh cookie is HttpOnly", async () => {
    await expectNothingPersisted();
    const cookie = (await context.cookies(BASE)).find((c) => c.name === "ekyc_refresh");
    // The cookie's path is /api/v1/auth, so ask for it there.
    const scoped = cookie ?? (await context.cookies(`${BASE}/api/v1/auth/refresh`)).find((c) => c.name === "ekyc_refresh");
    expect(scoped?.httpOnly).toBe(true);
  });

  it("signs out", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${BASE}/login`);
    await page.getByText("You have signed out.").waitFor();
    await screenshot(page, "signed-out");
    // Signed out for real: Home sends us back to sign-in even after a reload.
    await page.goto(`${BASE}/`);
    await page.waitForURL(`${BASE}/login`);
  });

  it("signs in through the sign-in page", async () => {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await screenshot(page, "login-filled");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectHome();
    await screenshot(page, "home-after-login");
  });

  it("stays signed in across a reload (refresh cookie)", async () => {
    const refreshed = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/refresh"));
    await page.reload();
    expect((await refreshed).status()).toBe(200);
    await expectHome();
    await screenshot(page, "home-after-reload");
    await expectNothingPersisted();
  });

  it("raised no uncaught page errors", () => {
    expect(pageErrors).toEqual([]);
  });
});
