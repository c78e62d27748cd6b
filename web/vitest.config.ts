import { defineConfig, mergeConfig } from "vitest/config";
import viteConfig from "./vite.config.ts";

// Unit tests: jsdom + Testing Library. The browser suite has its own config (vitest.e2e.config.ts).
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: "jsdom",
      include: ["src/**/*.test.{ts,tsx}", "tests/unit/**/*.test.ts"],
      setupFiles: ["./src/testing/setup.ts"],
      restoreMocks: true,
      unstubGlobals: true,
    },
  }),
);
