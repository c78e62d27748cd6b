// Debian's chromium driven by playwright-core (no downloaded browsers).
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env.EKYC_CHROMIUM ?? "/usr/bin/chromium";

export const RESULTS_DIR = resolve(import.meta.dirname, "../../test-results");

/** The origin where the API serves the built SPA; the suite refuses to run without it. */
export function baseUrl(): string {
  const url = process.env.EKYC_BASE_URL;
  if (!url) {
    throw new Error(
      "EKYC_BASE_URL is not set: start the API serving web/dist (e.g. on http://127.0.0.1:8081) and set EKYC_BASE_URL to its origin",
    );
  }
  return url.replace(/\/+$/, "");
}

/** Chromium; `extraArgs` adds switches such as the fake camera's. */
export function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

let shot = 0;

/** A numbered full-page screenshot in web/test-results/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  shot += 1;
  await page.screenshot({ path: resolve(RESULTS_DIR, `${String(shot).padStart(2, "0")}-${name}.png`), fullPage: true });
}

/**
 * Numbered screenshots of one journey, `<prefix>-NN-<name>.png` in web/test-results/; the
 * journey's screenshots of an earlier run are removed first, so the folder shows one run.
 */
export function screenshots(prefix: string): (page: Page, name: string) => Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const f of readdirSync(RESULTS_DIR)) if (f.startsWith(`${prefix}-`) && f.endsWith(".png")) rmSync(resolve(RESULTS_DIR, f));
  let n = 0;
  return async (page, name) => {
    n += 1;
    await page.screenshot({ path: resolve(RESULTS_DIR, `${prefix}-${String(n).padStart(2, "0")}-${name}.png`), fullPage: true });
  };
}

/** Everything in localStorage and sessionStorage, as one string per entry. */
export function webStorage(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const store of [window.localStorage, window.sessionStorage]) {
      for (let i = 0; i < store.length; i += 1) {
        const key = store.key(i) ?? "";
        out.push(`${key}=${store.getItem(key) ?? ""}`);
      }
    }
    return out;
  });
}
