import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In development the Rust API runs separately; in tests and production it serves the built
// SPA itself, so the app only ever uses same-origin, relative URLs.
const api = process.env.EKYC_API_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: {
      "/api": { target: api },
      "/healthz": { target: api },
      "/readyz": { target: api },
      "/.well-known": { target: api },
    },
  },
  preview: { host: "127.0.0.1" },
  build: {
    sourcemap: true,
    // Keep the first page small: pages are lazy chunks. The entry is React DOM + React Router
    // (~300 kB, ~100 kB gzip); warn as soon as anything else grows it.
    chunkSizeWarningLimit: 330,
    // dist/.vite/manifest.json: scripts/bundle-size.mjs measures each page's JavaScript from it.
    manifest: true,
  },
});
