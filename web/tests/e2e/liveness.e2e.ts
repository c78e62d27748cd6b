// The liveness screen in the browser, against the real API: the server's challenge is shown
// movement by movement while frames are captured and sent. Chromium's fake camera shows a still
// card, which cannot turn its head — so this is the failing path: the server refuses, the page
// says why and offers another try. (The passing path is tested through the API with real
// photos in tests/api/faces.rs; the server's check is never weakened for a browser test.)
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "./axe";
import { baseUrl, launch, screenshots } from "./browser";
import { fakeCamera, type FakeCamera } from "./fake-camera";

const BASE = baseUrl();
const screenshot = screenshots("liveness");
let camera: FakeCamera;
let browser: Browser;

beforeAll(async () => {
  camera = fakeCamera();
  browser = await launch(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${camera.y4m}`]);
});

afterAll(async () => {
  await browser.close();
});

describe("liveness", () => {
  it("shows each movement, sends the frames and explains a refusal", async () => {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const api = context.request;
    // Everything before the liveness step, through the API, at the level that has liveness
    // (the session cookie lands in this browser context).
    const email = `e2e-live-${randomBytes(6).toString("hex")}@example.com`;
    const reg = await api.post(`${BASE}/api/v1/auth/register`, { data: { email, password: `Correct horse ${randomBytes(4).toString("hex")}` } });
    expect(reg.status()).toBe(201);
    const auth = { Authorization: `Bearer ${((await reg.json()) as { access_token: string }).access_token}` };
    const started = await api.post(`${BASE}/api/v1/verifications`, { headers: auth, data: { level: "with_liveness" } });
    expect(started.status(), await started.text()).toBe(201);
    const id = ((await started.json()) as { id: string }).id;
    const info = {
      issuing_country: "DE",
      document_type: "id_card",
      first_name: "Erika",
      last_name: "Mustermann",
      date_of_birth: "1984-08-12",
      nationality: "DE",
      document_number: "L01X00T47",
      expiry_date: "2031-06-30",
    };
    expect((await api.put(`${BASE}/api/v1/verifications/${id}/personal-info`, { headers: auth, data: info })).status()).toBe(200);
    for (const [path, file] of [
      ["documents/front", camera.jpeg],
      ["documents/back", camera.jpegBack],
      ["selfie", camera.jpeg],
    ] as const) {
      const r = await api.post(`${BASE}/api/v1/verifications/${id}/${path}`, {
        headers: auth,
        multipart: { file: { name: "photo.jpg", mimeType: "image/jpeg", buffer: readFileSync(file) } },
      });
      expect(r.status(), `${path}: ${await r.text()}`).toBe(201);
    }

    await page.goto(`${BASE}/verify/liveness`);
    await page.getByRole("heading", { name: "Liveness check" }).waitFor();
    await page.getByRole("button", { name: "Use the camera" }).click();
    await page.getByRole("button", { name: "Start" }).click();
    // The movements are announced one by one while frames are taken.
    await page.getByTestId("liveness-prompt").getByText("Look straight at the camera").waitFor();
    await page.getByTestId("liveness-prompt").getByText(/Turn your head|Move closer/).waitFor();
    await screenshot(page, "movement");
    // A still picture cannot turn: the server refuses, and the page says so.
    await page.getByText("We could not confirm you are present.", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Try again" }).waitFor();
    await screenshot(page, "refused");
    expect(await axeViolations(page)).toEqual([]);
    const current = await api.get(`${BASE}/api/v1/verifications/current`, { headers: auth });
    expect(((await current.json()) as { next: string }).next).toBe("liveness");
    await context.close();
  });
});
