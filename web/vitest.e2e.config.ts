import { defineConfig } from "vitest/config";

// Browser tests against the real API serving the built SPA (EKYC_BASE_URL), driven by
// playwright-core and Debian's chromium. Steps of one journey share a page, so no parallelism.
export default defineConfig({
  test: {
    environment: "node",
    include: ["tests/e2e/**/*.e2e.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    sequence: { concurrent: false },
    reporters: ["default", ["json", { outputFile: "test-results/e2e-report.json" }]],
  },
});
