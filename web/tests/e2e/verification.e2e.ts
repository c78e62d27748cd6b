// The applicant's whole verification in the browser, against the real API and worker, with
// chromium's fake camera showing a document that passes the server's quality gate:
// register → step 1 with a mistake only the server can catch (the device clock is two days
// behind, so an expiry date that is today passes the client's check and the server refuses it
// on the field) → front and back with the camera → selfie → submit → the worker moves it to
// review → a reviewer, in the review console, opens the case from the queue, claims it and
// rejects the document number (retry) → the applicant sees it highlighted (and the email and
// the SMS arrived, with a link back to the step), retries with
// everything else kept → the reviewer approves in the console → the applicant sees approved.
// Then: camera permission denied → upload from files. Screenshots of each step (the console's
// too) go to test-results/; every page is checked with axe-core.
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "./axe";
import { baseUrl, launch, screenshots, webStorage } from "./browser";
import { fakeCamera, type FakeCamera } from "./fake-camera";
import {
  approveCase,
  claim,
  confirmFinalRejection,
  inspectEvidence,
  openFromQueue,
  ownActions,
  proposeFinalRejection,
  rejectForRetry,
  signInReviewer,
  type Reviewer,
} from "./reviewer";

const BASE = baseUrl();
const screenshot = screenshots("kyc");
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const serverToday = isoDay(Date.now());

let camera: FakeCamera;
let browser: Browser;

beforeAll(async () => {
  camera = fakeCamera();
  browser = await launch(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${camera.y4m}`]);
});

afterAll(async () => {
  await browser.close();
});

interface Applicant {
  context: BrowserContext;
  page: Page;
  email: string;
  /** A German mobile number of its own, E.164. */
  phone: string;
  errors: string[];
}

// The local mail catcher (maildev) and SMS stand-in that scripts/services.sh starts.
const MAIL_API = process.env.EKYC_E2E_MAIL_API ?? "http://127.0.0.1:1080";
const SMS_API = process.env.EKYC_E2E_SMS_API ?? "http://127.0.0.1:1090";

/** Polls `probe` until it finds something (the worker delivers notifications in the background). */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not arrive`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function newApplicant(options: { clockBehindDays?: number; denyCamera?: boolean } = {}): Promise<Applicant> {
  // Mobile first: the smallest width the wizard must work at.
  const context = await browser.newContext({ locale: "en-US", timezoneId: "UTC", viewport: { width: 360, height: 740 } });
  if (options.clockBehindDays) await context.clock.setFixedTime(Date.now() - options.clockBehindDays * DAY);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  if (options.denyCamera) {
    // Refuse before anything asks: getUserMedia fails as after a "Block" click.
    await page.addInitScript(() => {
      const denied = () => Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
      Object.defineProperty(navigator.mediaDevices, "getUserMedia", { value: denied });
    });
  }
  const email = `e2e-kyc-${randomBytes(6).toString("hex")}@example.com`;
  await page.goto(`${BASE}/register`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(`Correct horse ${randomBytes(4).toString("hex")}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByTestId("verification-home").waitFor();
  const phone = `+49151${String(randomBytes(4).readUInt32BE(0) % 100_000_000).padStart(8, "0")}`;
  return { context, page, email, phone, errors };
}

/** No axe-core (WCAG 2.1 A/AA) violation, and nothing wider than the 360 px screen. */
async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await axeViolations(page), `axe on ${where}`).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `width of ${where}`).toBeLessThanOrEqual(360);
}

async function fillStepOne(page: Page, expiry: string, phone: string): Promise<void> {
  await page.getByRole("searchbox", { name: "Search countries and regions" }).fill("germ");
  await page.getByRole("radio", { name: /Germany/ }).click();
  await page.getByText("National ID card").click();
  await page.getByLabel("First name(s)", { exact: true }).fill("Erika");
  await page.getByLabel("Last name(s)", { exact: true }).fill("Mustermann");
  await page.getByLabel("Date of birth").fill("1984-08-12");
  await page.getByLabel("Document number").fill("L01X00T47");
  await page.getByLabel("Expiry date").fill(expiry);
  await page.getByLabel("Mobile number (optional)").fill(phone.replace(/^\+49151/, "+49 151 "));
}

async function takePhoto(page: Page, side: string, openCamera: boolean): Promise<void> {
  await page.getByRole("heading", { name: `${side} of your document` }).waitFor();
  // After the front, the camera the applicant chose opens again by itself for the back.
  if (openCamera) await page.getByRole("button", { name: "Use the camera" }).click();
  const video = page.getByLabel("Camera preview");
  await video.waitFor();
  await page.waitForFunction(() => (document.querySelector("video")?.videoWidth ?? 0) > 0);
  await screenshot(page, `camera-${side.toLowerCase()}`);
  await page.getByRole("button", { name: "Take photo" }).click();
  await page.getByRole("img", { name: `Your photo: ${side}` }).waitFor();
  await screenshot(page, `preview-${side.toLowerCase()}`);
  const upload = page.waitForResponse((r) => r.url().includes("/documents/") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Use this photo" }).click();
  expect((await upload).status(), `${side} accepted by the quality gate`).toBe(201);
}

async function waitForState(page: Page, state: string): Promise<void> {
  await page.locator(`[data-testid="verification-home"][data-state="${state}"]`).waitFor({ timeout: 30_000 });
}

describe("identity verification in the browser", () => {
  let a: Applicant;
  let b: Applicant;
  let bId = "";
  let reviewer: Reviewer;
  let id = "";

  it("starts from the Identity Verification home", async () => {
    a = await newApplicant({ clockBehindDays: 2 });
    const { page } = a;
    expect(await page.getByTestId("status-title").textContent()).toBe("Not started");
    expect(await page.getByTestId("level").textContent()).toContain("basic");
    await expectAccessible(page, "home, not started");
    await screenshot(page, "home-not-started");
    const started = page.waitForResponse((r) => r.url().endsWith("/api/v1/verifications") && r.request().method() === "POST");
    await page.getByRole("button", { name: "Start verification" }).click();
    const answer = await started;
    expect(answer.status()).toBe(201);
    id = ((await answer.json()) as { id: string }).id;
    await page.waitForURL(`${BASE}/verify/personal-info`);
  });

  it("step 1: the server refuses an expiry date the device thought valid, on the field", async () => {
    const { page } = a;
    await page.getByRole("heading", { name: "Region, document and personal information" }).waitFor();
    await fillStepOne(page, serverToday, a.phone);
    await expectAccessible(page, "step 1");
    const answer = page.waitForResponse((r) => r.url().endsWith("/personal-info"));
    await page.getByRole("button", { name: "Next" }).click();
    expect((await answer).status()).toBe(422);
    const expiry = page.getByLabel("Expiry date");
    await page.getByText("This document has expired; use a valid one.").waitFor();
    expect(await expiry.getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "step1-server-error");
    await expiry.fill(isoDay(Date.now() + 5 * 365 * DAY));
    await page.getByRole("button", { name: "Next" }).click();
    await page.waitForURL(`${BASE}/verify/document`);
  });

  it("step 2: front and back with the camera", async () => {
    const { page } = a;
    await page.getByText("Every photo must be").waitFor();
    await expectAccessible(page, "step 2");
    await screenshot(page, "step2-camera-explained");
    await takePhoto(page, "Front", true);
    await page.locator('[data-testid="tile-front"][data-state="uploaded"]').waitFor();
    await takePhoto(page, "Back", false);
    await page.getByText("All photos are uploaded.").waitFor();
    await screenshot(page, "step2-done");
    await page.getByRole("button", { name: "Next" }).click();
    await page.waitForURL(`${BASE}/verify/selfie`);
  });

  it("step 3: the selfie with guidance", async () => {
    const { page } = a;
    await page.getByText("no glasses or sunglasses").waitFor();
    await page.getByRole("button", { name: "Use the camera" }).click();
    await page.getByLabel("Camera preview").waitFor();
    await page.waitForFunction(() => (document.querySelector("video")?.videoWidth ?? 0) > 0);
    await expectAccessible(page, "selfie camera");
    await screenshot(page, "selfie-camera");
    await page.getByRole("button", { name: "Take photo" }).click();
    const upload = page.waitForResponse((r) => r.url().endsWith("/selfie"));
    await page.getByRole("button", { name: "Use this photo" }).click();
    expect((await upload).status()).toBe(201);
    await page.getByText("Your selfie is uploaded.").waitFor();
    await page.getByRole("button", { name: "Next" }).click();
    await page.waitForURL(`${BASE}/verify/submit`);
  });

  it("submits and waits while the worker moves it to review", async () => {
    const { page } = a;
    await expectAccessible(page, "submit");
    await screenshot(page, "submit");
    await page.getByRole("button", { name: "Submit for review" }).click();
    await page.waitForURL(`${BASE}/`);
    await waitForState(page, "waiting");
    await page.locator('[data-testid="waiting-stage"][data-stage="in_review"]').waitFor({ timeout: 30_000 });
    expect(await page.getByText("This page updates by itself.").count()).toBe(1);
    await expectAccessible(page, "waiting");
    await screenshot(page, "waiting-in-review");
  });

  it("a reviewer opens the case from the queue in the console, claims it and rejects the document number (retry)", async () => {
    reviewer = await signInReviewer(browser, screenshot);
    await openFromQueue(reviewer, id, screenshot, "console-first");
    await inspectEvidence(reviewer, screenshot, "console-first");
    await claim(reviewer);
    await rejectForRetry(
      reviewer,
      { step: "Personal information", reason: "Data does not match the document", fields: ["Document number"] },
      "Please check the document number.",
      screenshot,
    );
  });

  it("shows the rejected document number highlighted with the reason in plain words", async () => {
    const { page } = a;
    await waitForState(page, "action_required");
    expect(await page.getByTestId("status-title").textContent()).toBe("Action required");
    expect(await page.getByTestId("fact-document_number").getAttribute("data-flagged")).toBe("true");
    expect(await page.getByTestId("fact-first_name").getAttribute("data-flagged")).toBeNull();
    expect(await page.getByTestId("photo-front").getAttribute("data-flagged")).toBeNull();
    const reasons = await page.getByTestId("decision-reasons").textContent();
    expect(reasons).toContain("This does not match your document.");
    expect(reasons).toContain("Document number");
    expect(await page.getByText("Please check the document number.").count()).toBe(1);
    expect(await page.getByText("ends in 8").count(), "the internal note never reaches the applicant").toBe(0);
    await expectAccessible(page, "action required");
    await screenshot(page, "action-required");
  });

  it("the email and the SMS about it arrived, each with a link back to the step to fix", async () => {
    interface Mail { subject: string; text?: string; to: { address: string }[] }
    const mail = await eventually("the action-required email", async () => {
      const all = (await (await fetch(`${MAIL_API}/api/email`)).json()) as Mail[];
      return all.find((m) => m.to.some((t) => t.address === a.email) && m.subject === "Action needed: your identity verification");
    });
    expect(mail.text).toContain(`${BASE}/verify/personal-info`);
    expect(mail.text, "no document data in email").not.toContain("L01X00T47");
    const sms = await eventually("the action-required SMS", async () => {
      const list = (await (await fetch(`${SMS_API}/_messages?to=${encodeURIComponent(a.phone)}`)).json()) as { body: string }[];
      return list.find((m) => m.body.includes("/verify/personal-info"));
    });
    expect(sms.body).not.toContain("L01X00T47");
  });

  it("retry opens only the document number; everything else is kept", async () => {
    const { page } = a;
    await page.getByRole("button", { name: "Retry" }).click();
    await page.waitForURL(`${BASE}/verify/personal-info`);
    const number = page.getByLabel("Document number");
    await number.waitFor();
    expect(await number.getAttribute("aria-invalid")).toBe("true");
    expect(await number.getAttribute("readonly")).toBeNull();
    expect(await page.getByLabel("First name(s)", { exact: true }).getAttribute("readonly")).not.toBeNull();
    expect(await page.getByLabel("First name(s)", { exact: true }).inputValue()).toBe("Erika");
    await screenshot(page, "retry-step1");
    await number.fill("L01X00T48");
    await page.getByRole("button", { name: "Next" }).click();
    // The photos and the selfie were accepted: straight to submit.
    await page.waitForURL(`${BASE}/verify/submit`);
    expect(await page.getByTestId("step-document").getAttribute("data-status")).toBe("accepted");
    await page.getByRole("button", { name: "Submit for review" }).click();
    await page.waitForURL(`${BASE}/`);
    await page.locator('[data-testid="waiting-stage"][data-stage="in_review"]').waitFor({ timeout: 30_000 });
  });

  it("the reviewer sees the earlier attempt and approves in the console", async () => {
    await openFromQueue(reviewer, id, screenshot, "console-second");
    await reviewer.page.getByTestId("history").getByText("Attempt 1").waitFor();
    await claim(reviewer);
    await approveCase(reviewer, screenshot);
    await ownActions(reviewer, id, screenshot);
    expect(reviewer.errors).toEqual([]);
    await reviewer.context.close();
  });

  it("is approved and the applicant sees it", async () => {
    const { page, email, errors } = a;
    await waitForState(page, "approved");
    expect(await page.getByTestId("status-title").textContent()).toBe("Verified");
    await expectAccessible(page, "approved");
    await screenshot(page, "approved");
    await page.getByLabel("Language").selectOption("zh-CN");
    expect(await page.getByTestId("status-title").textContent()).toBe("已验证");
    await page.getByLabel("语言").selectOption("es");
    expect(await page.getByTestId("status-title").textContent()).toBe("Verificado");
    await screenshot(page, "approved-es");
    await page.getByLabel("Idioma").selectOption("en");
    for (const entry of await webStorage(page)) {
      expect(entry.toLowerCase()).not.toContain(email.toLowerCase());
      expect(entry).not.toMatch(/token|eyJ[\w-]+\.[\w-]+|L01X00T4|Mustermann/i);
    }
    expect(errors).toEqual([]);
    await a.context.close();
  });

  it("with the camera blocked, says how to allow it and uploads from files instead", async () => {
    b = await newApplicant({ denyCamera: true });
    const { page } = b;
    const started = page.waitForResponse((r) => r.url().endsWith("/api/v1/verifications") && r.request().method() === "POST");
    await page.getByRole("button", { name: "Start verification" }).click();
    bId = ((await (await started).json()) as { id: string }).id;
    await fillStepOne(page, isoDay(Date.now() + 3 * 365 * DAY), b.phone);
    await page.getByRole("button", { name: "Next" }).click();
    await page.waitForURL(`${BASE}/verify/document`);
    await page.getByRole("button", { name: "Use the camera" }).click();
    await page.getByText(/Camera access is blocked for this site/).waitFor();
    await expectAccessible(page, "camera denied");
    await screenshot(page, "camera-denied");
    // A photo without a document: the quick check already doubts it, the server refuses it
    // with the rule it broke and how to fix it.
    await page.getByLabel("Upload from files").setInputFiles(camera.wall);
    await page.getByText("This photo looks blurred.", { exact: false }).waitFor();
    const refused = page.waitForResponse((r) => r.url().includes("/documents/front"));
    await page.getByRole("button", { name: "Use this photo" }).click();
    expect((await refused).status()).toBe(422);
    const reasons = page.getByTestId("refusals");
    await reasons.waitFor();
    expect(await reasons.textContent()).toContain("We could not find a document in the photo.");
    expect(await reasons.textContent()).toContain("Place the document flat");
    await expectAccessible(page, "photo refused");
    await screenshot(page, "photo-refused");
    await page.getByRole("button", { name: "Retake" }).click();
    for (const [side, file] of [
      ["Front", camera.jpeg],
      ["Back", camera.jpegBack],
    ] as const) {
      await page.getByRole("heading", { name: `${side} of your document` }).waitFor();
      await page.getByLabel("Upload from files").setInputFiles(file);
      await page.getByRole("img", { name: `Your photo: ${side}` }).waitFor();
      const upload = page.waitForResponse((r) => r.url().includes("/documents/"));
      await page.getByRole("button", { name: "Use this photo" }).click();
      expect((await upload).status()).toBe(201);
    }
    await page.getByText("All photos are uploaded.").waitFor();
    await screenshot(page, "upload-path-done");
    expect(b.errors).toEqual([]);
  });

  it("a final rejection is a proposal until a second reviewer confirms it in the console", async () => {
    const { page } = b;
    // The same applicant finishes with files: selfie, submit, checks, review.
    await page.getByRole("button", { name: "Next" }).click();
    await page.waitForURL(`${BASE}/verify/selfie`);
    await page.getByLabel("Upload from files").setInputFiles(camera.jpeg);
    const upload = page.waitForResponse((r) => r.url().endsWith("/selfie"));
    await page.getByRole("button", { name: "Use this photo" }).click();
    expect((await upload).status()).toBe(201);
    await page.getByText("Your selfie is uploaded.").waitFor();
    await page.getByRole("button", { name: "Next" }).click();
    await page.waitForURL(`${BASE}/verify/submit`);
    await page.getByRole("button", { name: "Submit for review" }).click();
    await page.locator('[data-testid="waiting-stage"][data-stage="in_review"]').waitFor({ timeout: 30_000 });

    const forgery = { step: "Photo of your ID", reason: "Suspected forgery", fields: ["Front"] };
    const first = await signInReviewer(browser, screenshot);
    await openFromQueue(first, bId, screenshot, "console-final");
    await claim(first);
    await proposeFinalRejection(first, forgery, screenshot);
    expect(first.errors).toEqual([]);
    await first.context.close();
    // Still waiting for the applicant: a proposal changes nothing yet.
    await page.locator('[data-testid="waiting-stage"][data-stage="in_review"]').waitFor();

    const second = await signInReviewer(browser, screenshot, "admin");
    await second.page.goto(`${BASE}/review?state=awaiting_second`);
    await second.page.locator(`[data-testid="queue-item"][data-id="${bId}"]`).getByRole("link").click();
    await confirmFinalRejection(second, forgery, screenshot);
    expect(second.errors).toEqual([]);
    await second.context.close();

    await waitForState(page, "rejected");
    expect(await page.getByTestId("status-title").textContent()).toBe("Not verified");
    await screenshot(page, "final-rejection");
    expect(b.errors).toEqual([]);
    await b.context.close();
  });
});
