// Continue on your phone, against the real API and worker: a desktop context fills step 1 and
// chooses "Continue on your phone"; a second, phone-sized context with the fake camera opens
// the link from the QR panel, takes the front, back and selfie, and finishes; the desktop sees
// the photos arrive and moves on to submit by itself. The link works once, the token leaves
// the address bar and never reaches web storage. axe-core checks each new screen.
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "./axe";
import { baseUrl, launch, screenshots, webStorage } from "./browser";
import { fakeCamera, type FakeCamera } from "./fake-camera";

const BASE = baseUrl();
const screenshot = screenshots("handoff");
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let camera: FakeCamera;
let browser: Browser;
let desktop: BrowserContext;
let phone: BrowserContext;
let desk: Page;
let mobile: Page;
let link = "";
const errors: string[] = [];

beforeAll(async () => {
  camera = fakeCamera();
  browser = await launch(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${camera.y4m}`]);
  desktop = await browser.newContext({ locale: "en-US", timezoneId: "UTC", viewport: { width: 1280, height: 900 } });
  await desktop.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE });
  phone = await browser.newContext({ locale: "en-US", timezoneId: "UTC", viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  desk = await desktop.newPage();
  mobile = await phone.newPage();
  for (const p of [desk, mobile]) {
    p.setDefaultTimeout(20_000);
    p.on("pageerror", (e) => errors.push(e.message));
  }
});

afterAll(async () => {
  await browser.close();
});

async function expectAccessible(page: Page, where: string, maxWidth: number): Promise<void> {
  expect(await axeViolations(page), `axe on ${where}`).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `width of ${where}`).toBeLessThanOrEqual(maxWidth);
}

async function takePhoto(page: Page, heading: string, endpoint: string): Promise<void> {
  await page.getByRole("heading", { name: heading }).waitFor();
  await page.getByRole("button", { name: "Use the camera" }).click();
  await page.getByLabel("Camera preview").waitFor();
  await page.waitForFunction(() => (document.querySelector("video")?.videoWidth ?? 0) > 0);
  await page.getByRole("button", { name: "Take photo" }).click();
  const upload = page.waitForResponse((r) => r.url().includes(endpoint) && r.request().method() === "POST");
  await page.getByRole("button", { name: "Use this photo" }).click();
  const answer = await upload;
  expect(answer.status(), `${heading} accepted`).toBe(201);
}

describe("continue on your phone", () => {
  it("the desktop fills step 1 and chooses the phone", async () => {
    await desk.goto(`${BASE}/register`);
    await desk.getByLabel("Email").fill(`e2e-handoff-${randomBytes(6).toString("hex")}@example.com`);
    await desk.getByLabel("Password", { exact: true }).fill(`Correct horse ${randomBytes(4).toString("hex")}`);
    await desk.getByRole("button", { name: "Create account" }).click();
    await desk.getByTestId("verification-home").waitFor();
    await desk.getByRole("button", { name: "Start verification" }).click();
    await desk.waitForURL(`${BASE}/verify/personal-info`);
    await desk.getByRole("searchbox", { name: "Search countries and regions" }).fill("germ");
    await desk.getByRole("radio", { name: /Germany/ }).click();
    await desk.getByText("National ID card").click();
    await desk.getByLabel("First name(s)", { exact: true }).fill("Erika");
    await desk.getByLabel("Last name(s)", { exact: true }).fill("Mustermann");
    await desk.getByLabel("Date of birth").fill("1984-08-12");
    await desk.getByLabel("Document number").fill("L01X00T47");
    await desk.getByLabel("Expiry date").fill(isoDay(Date.now() + 5 * 365 * DAY));
    await desk.getByRole("button", { name: "Next" }).click();
    await desk.waitForURL(`${BASE}/verify/document`);

    // In this browser is the default; the phone is one click away.
    const choice = desk.getByRole("group", { name: "How do you want to take the photos?" });
    expect(await choice.getByRole("button", { name: "Continue in Browser" }).getAttribute("aria-pressed")).toBe("true");
    const made = desk.waitForResponse((r) => r.url().endsWith("/handoff") && r.request().method() === "POST");
    await choice.getByRole("button", { name: "Continue on your phone" }).click();
    expect((await made).status()).toBe(201);
    await desk.getByRole("img", { name: "QR code of the link to continue on your phone" }).waitFor();
    link = await desk.getByLabel("Link for your phone").inputValue();
    expect(link).toMatch(/\/handoff#ekyc_ho_[A-Za-z0-9_-]{40,}$/);
    await desk.getByRole("button", { name: "Copy link" }).click();
    await desk.getByText("Link copied.").waitFor({ state: "attached" });
    expect(await desk.getByText(/The link works once, until \d\d:\d\d/).count()).toBe(1);
    await desk.locator('[data-testid="handoff-panel"][data-state="pending"]').waitFor();
    await expectAccessible(desk, "step 2, continue on your phone", 1280);
    await screenshot(desk, "desktop-qr");
  });

  it("the phone opens the link: the token leaves the address bar and is kept in memory only", async () => {
    await mobile.goto(link);
    await mobile.getByRole("heading", { name: "Continue on this phone" }).waitFor();
    await mobile.getByRole("heading", { name: "Front of your document" }).waitFor();
    expect(mobile.url()).toBe(`${BASE}/handoff`);
    const stored = (await webStorage(mobile)).join("\n");
    expect(stored).not.toContain("ekyc_ho_");
    expect(stored).not.toContain("ekyc_cs_");
    // Only the capture steps: no personal information, no way into the account.
    expect(await mobile.getByText("Mustermann").count()).toBe(0);
    await expectAccessible(mobile, "phone, front", 360);
    await screenshot(mobile, "phone-front");
    await desk.locator('[data-testid="handoff-panel"][data-state="opened"]').waitFor();
    await screenshot(desk, "desktop-phone-connected");
  });

  it("the phone takes the front and back; the desktop sees them arrive", async () => {
    await takePhoto(mobile, "Front of your document", "/documents/front");
    await desk.locator('[data-testid="tile-front"][data-state="uploaded"]').waitFor();
    await takePhoto(mobile, "Back of your document", "/documents/back");
    await desk.locator('[data-testid="tile-back"][data-state="uploaded"]').waitFor();
  });

  it("the phone takes the selfie and finishes", async () => {
    await mobile.getByText("no glasses or sunglasses").waitFor();
    await expectAccessible(mobile, "phone, selfie", 360);
    await takePhoto(mobile, "Selfie", "/selfie");
    await mobile.getByText("All photos are taken.").waitFor();
    await expectAccessible(mobile, "phone, all taken", 360);
    await screenshot(mobile, "phone-all-taken");
    const done = mobile.waitForResponse((r) => r.url().endsWith("/handoff/complete"));
    await mobile.getByRole("button", { name: "Finish on this phone" }).click();
    expect((await done).status()).toBe(200);
    await mobile.getByRole("heading", { name: "Done — return to your computer" }).waitFor();
    await expectAccessible(mobile, "phone, done", 360);
    await screenshot(mobile, "phone-done");
  });

  it("the desktop continues by itself and submits", async () => {
    await desk.waitForURL(`${BASE}/verify/submit`, { timeout: 30_000 });
    await desk.getByRole("button", { name: "Submit for review" }).click();
    await desk.waitForURL(`${BASE}/`);
    await desk.locator('[data-testid="verification-home"][data-state="waiting"]').waitFor({ timeout: 30_000 });
    await screenshot(desk, "desktop-submitted");
  });

  it("the link works once", async () => {
    const again = await phone.newPage();
    await again.goto(link);
    await again.getByText("This link was already used. Make a new one on your computer.").waitFor();
    await expectAccessible(again, "phone, used link", 360);
    await screenshot(again, "phone-used-link");
    expect(errors).toEqual([]);
  });
});
