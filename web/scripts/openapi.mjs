// Generates the typed API client schema (src/lib/api/schema.d.ts) from the repository's
// openapi.yaml with openapi-typescript, or checks that the committed file is up to date.
//
//   node scripts/openapi.mjs generate   # write src/lib/api/schema.d.ts
//   node scripts/openapi.mjs check      # regenerate into a temp file; exit 1 on any difference
//
// OPENAPI_SPEC overrides the input path (default: ../openapi.yaml, the generated spec).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const spec = resolve(webDir, process.env.OPENAPI_SPEC ?? "../openapi.yaml");
const committed = join(webDir, "src/lib/api/schema.d.ts");
const cli = join(webDir, "node_modules/openapi-typescript/bin/cli.js");

function generate(output) {
  if (!existsSync(spec)) {
    console.error(`openapi: spec not found at ${spec} (generate it from the API first, e.g. \`make openapi\`)`);
    process.exit(2);
  }
  const run = spawnSync(process.execPath, [cli, spec, "--output", output], { stdio: ["ignore", "pipe", "inherit"] });
  if (run.status !== 0) {
    console.error(`openapi: openapi-typescript failed with exit code ${run.status}`);
    process.exit(run.status ?? 1);
  }
}

const mode = process.argv[2];
if (mode === "generate") {
  generate(committed);
  console.log(`openapi: wrote ${committed}`);
} else if (mode === "check") {
  const tmp = mkdtempSync(join(tmpdir(), "ekyc-openapi-"));
  try {
    const fresh = join(tmp, "schema.d.ts");
    generate(fresh);
    const current = existsSync(committed) ? readFileSync(committed, "utf8") : "";
    if (readFileSync(fresh, "utf8") !== current) {
      spawnSync("diff", ["-u", committed, fresh], { stdio: "inherit" });
      console.error("openapi: src/lib/api/schema.d.ts is out of date with openapi.yaml; run `npm run gen:api`");
      process.exit(1);
    }
    console.log("openapi: src/lib/api/schema.d.ts is up to date");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else {
  console.error("usage: node scripts/openapi.mjs generate|check");
  process.exit(2);
}
