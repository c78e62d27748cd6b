// The reviewer's side of the journey, through the review console in the browser: a reviewer
// made by `ekyc admin create-user --role reviewer` (scripts/test.sh passes its credentials)
// signs in, lands on the queue, opens the case, claims it and decides.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { axeViolations } from "./axe";
import { baseUrl } from "./browser";

type Staff = "reviewer" | "admin";

function credentials(who: Staff): { email: string; password: string } {
  const prefix = `EKYC_E2E_${who.toUpperCase()}`;
  const email = process.env[`${prefix}_EMAIL`];
  const password = process.env[`${prefix}_PASSWORD`];
  if (!email || !password) {
    throw new Error(
      `${prefix}_EMAIL / ${prefix}_PASSWORD are not set: create the account with \`ekyc admin create-user --role ${who} --password-stdin\` (scripts/test.sh does)`,
    );
  }
  return { email, password };
}

export interface Reviewer {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

type Shot = (page: Page, name: string) => Promise<void>;

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await axeViolations(page), `axe on ${where}`).toEqual([]);
}

/** Signs in through the login page; reviewers and admins land on the queue. */
export async function signInReviewer(browser: Browser, screenshot: Shot, who: Staff = "reviewer"): Promise<Reviewer> {
  const BASE = baseUrl();
  // Reviewers work on a desktop screen.
  const context = await browser.newContext({ locale: "en-US", timezoneId: "UTC", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const { email, password } = credentials(who);
  await page.goto(`${BASE}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${BASE}/review`);
  await page.getByRole("heading", { name: "Review queue" }).waitFor();
  await screenshot(page, `console-queue-signed-in-${who}`);
  return { context, page, errors };
}

/** From the queue to the case: the case shows up once the worker has queued it for review. */
export async function openFromQueue(r: Reviewer, id: string, screenshot: Shot, name: string): Promise<void> {
  const { page } = r;
  const BASE = baseUrl();
  await page.goto(`${BASE}/review`);
  const item = page.locator(`[data-testid="queue-item"][data-id="${id}"]`);
  for (let i = 0; i < 20 && !(await item.isVisible()); i += 1) {
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.waitForTimeout(1000);
  }
  await item.waitFor();
  expect(await item.getByTestId("queue-claim").textContent()).toBe("Not claimed.");
  await expectAccessible(page, "review queue");
  await screenshot(page, `${name}-queue`);
  await item.getByRole("link").click();
  await page.waitForURL(`${BASE}/review/cases/${id}`);
  await page.getByTestId("case").waitFor();
}

/** The evidence is there: the images load, zoom and rotate; the comparison and the checks. */
export async function inspectEvidence(r: Reviewer, screenshot: Shot, name: string): Promise<void> {
  const { page } = r;
  const front = page.getByTestId("image-front");
  await front.getByRole("img").waitFor();
  // Every presigned image actually loads (from the object store, another origin).
  expect(await page.locator(".viewer__img").count()).toBeGreaterThan(0);
  await page.waitForFunction(() => Array.from(document.querySelectorAll("img.viewer__img"), (i) => (i as HTMLImageElement).naturalWidth > 0).every(Boolean));
  await front.getByRole("button", { name: "Zoom in" }).click();
  await front.getByRole("button", { name: "Rotate right" }).click();
  expect(await front.getByRole("img").getAttribute("data-zoom")).toBe("1.5");
  expect(await front.getByRole("img").getAttribute("data-rotation")).toBe("90");
  await page.getByTestId("checks").waitFor();
  await expectAccessible(page, "case view");
  await screenshot(page, `${name}-case`);
  await front.getByRole("button", { name: "Reset" }).click();
}

export async function claim(r: Reviewer): Promise<void> {
  const { page } = r;
  await page.getByTestId("decision-needs-claim").waitFor();
  await page.getByRole("button", { name: "Claim case" }).click();
  await page.locator('[data-testid="claim-bar"][data-claim="mine"]').waitFor();
  await page.getByTestId("decision-form").waitFor();
}

export interface ReasonChoice {
  step: string;
  reason: string;
  fields: string[];
}

/** Rejects with retry: the reason picked from the taxonomy, tied to its fields. */
export async function rejectForRetry(r: Reviewer, reason: ReasonChoice, message: string, screenshot: Shot): Promise<void> {
  const { page } = r;
  const form = page.getByTestId("decision-form");
  await form.getByLabel("Reject").check();
  // The form says what is missing before anything is sent.
  await form.getByRole("button", { name: "Record decision" }).click();
  await form.getByText("This field is required.").first().waitFor();
  await form.getByLabel("Retry").check();
  await form.getByRole("button", { name: "Add a reason" }).click();
  const row = form.getByTestId("reason-0");
  await row.getByLabel("Step").selectOption({ label: reason.step });
  await row.getByLabel("Reason", { exact: true }).selectOption({ label: reason.reason });
  for (const f of reason.fields) await row.getByLabel(f, { exact: true }).check();
  await form.getByLabel("Message to the applicant (optional)").fill(message);
  await form.getByLabel("Internal note (optional)").fill("Number on the card ends in 8; entered 7.");
  await expectAccessible(page, "decision form");
  await screenshot(page, "console-reject-form");
  const answer = page.waitForResponse((res) => res.url().endsWith("/decision") && res.request().method() === "POST");
  await form.getByRole("button", { name: "Record decision" }).click();
  expect((await answer).status()).toBe(200);
  await page.locator('[data-testid="decision-result"][data-outcome="decided"]').waitFor();
  await page.locator('[data-testid="case"][data-status="action_required"]').waitFor();
  await page.getByTestId("decision-closed").waitFor();
  expect(await page.getByTestId("case-status").textContent()).toBe("Rejected — retry allowed");
  await screenshot(page, "console-rejected");
}

export async function approveCase(r: Reviewer, screenshot: Shot): Promise<void> {
  const { page } = r;
  const form = page.getByTestId("decision-form");
  await form.getByLabel("Approve").check();
  const answer = page.waitForResponse((res) => res.url().endsWith("/decision") && res.request().method() === "POST");
  await form.getByRole("button", { name: "Approve verification" }).click();
  expect((await answer).status()).toBe(200);
  await page.locator('[data-testid="decision-result"][data-outcome="decided"]').waitFor();
  await page.locator('[data-testid="case"][data-status="approved"]').waitFor();
  await page.getByTestId("decision-closed").waitFor();
  expect(await page.getByTestId("case-status").textContent()).toBe("Approved");
  await screenshot(page, "console-approved");
}

/** The reviewer's own audit trail lists what they just did. */
export async function ownActions(r: Reviewer, id: string, screenshot: Shot): Promise<void> {
  const { page } = r;
  await page.getByRole("link", { name: "My actions" }).click();
  await page.getByTestId("audit").waitFor();
  const actions = await page.locator(`[data-testid="audit-entry"][data-subject="${id}"]`).evaluateAll((rows) => rows.map((e) => e.getAttribute("data-action")));
  expect(actions).toEqual(expect.arrayContaining(["review.decided", "review.claimed", "review.case_viewed"]));
  expect(actions.filter((a) => a === "review.decided")).toHaveLength(2);
  await expectAccessible(page, "own actions");
  await screenshot(page, "console-audit");
  // The console speaks the reviewer's language too.
  await page.getByLabel("Language").selectOption("zh-CN");
  await page.getByRole("heading", { name: "我的操作" }).waitFor();
  await page.getByRole("link", { name: "队列" }).click();
  await page.getByRole("heading", { name: "审核队列" }).waitFor();
  await screenshot(page, "console-queue-zh-CN");
  await page.getByLabel("语言").selectOption("en");
  // And on a phone-sized screen: nothing wider than 360 px, still no axe violation.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${baseUrl()}/review/cases/${id}`);
  await page.getByTestId("case").waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth), "case view width at 360 px").toBeLessThanOrEqual(360);
  await expectAccessible(page, "case view at 360 px");
  await screenshot(page, "console-case-360px");
}

/** A final rejection by the first reviewer: only a proposal until a second reviewer confirms it. */
export async function proposeFinalRejection(r: Reviewer, reason: ReasonChoice, screenshot: Shot): Promise<void> {
  const { page } = r;
  const form = page.getByTestId("decision-form");
  await form.getByLabel("Reject").check();
  await form.getByLabel(/^Final/).check();
  await form.getByRole("note").getByText("A final rejection needs a second reviewer", { exact: false }).waitFor();
  await form.getByRole("button", { name: "Add a reason" }).click();
  const row = form.getByTestId("reason-0");
  await row.getByLabel("Step").selectOption({ label: reason.step });
  await row.getByLabel("Reason", { exact: true }).selectOption({ label: reason.reason });
  for (const f of reason.fields) await row.getByLabel(f, { exact: true }).check();
  await form.getByLabel("Internal note (optional)").fill("Font of the number differs from the specimen.");
  const answer = page.waitForResponse((res) => res.url().endsWith("/decision") && res.request().method() === "POST");
  await form.getByRole("button", { name: "Propose final rejection" }).click();
  expect((await answer).status()).toBe(200);
  await page.locator('[data-testid="decision-result"][data-outcome="awaiting_second_review"]').waitFor();
  await page.locator('[data-testid="case"][data-case-state="awaiting_second"]').waitFor();
  // The proposer cannot confirm their own proposal: no claim, no form.
  await page.getByTestId("decision-own-proposal").waitFor();
  expect(await page.getByTestId("claim-bar").count()).toBe(0);
  await page.getByTestId("proposal").getByText(reason.reason, { exact: false }).waitFor();
  await expectAccessible(page, "own proposal");
  await screenshot(page, "console-final-proposed");
}

/** The second reviewer sees the pending proposal, claims the case and confirms it. */
export async function confirmFinalRejection(r: Reviewer, reason: ReasonChoice, screenshot: Shot): Promise<void> {
  const { page } = r;
  const proposal = page.getByTestId("proposal");
  await proposal.waitFor();
  expect(await proposal.textContent()).toContain("Font of the number differs");
  await claim(r);
  await expectAccessible(page, "proposal for a second reviewer");
  await screenshot(page, "console-second-reviewer");
  const form = page.getByTestId("decision-form");
  await form.getByLabel("Reject").check();
  await form.getByLabel(/^Final/).check();
  await form.getByRole("button", { name: "Add a reason" }).click();
  const row = form.getByTestId("reason-0");
  await row.getByLabel("Step").selectOption({ label: reason.step });
  await row.getByLabel("Reason", { exact: true }).selectOption({ label: reason.reason });
  const answer = page.waitForResponse((res) => res.url().endsWith("/decision") && res.request().method() === "POST");
  await form.getByRole("button", { name: "Record decision" }).click();
  expect((await answer).status()).toBe(200);
  await page.locator('[data-testid="decision-result"][data-outcome="decided"]').waitFor();
  await page.locator('[data-testid="case"][data-status="rejected"]').waitFor();
  await screenshot(page, "console-final-confirmed");
}
