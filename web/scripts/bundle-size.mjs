#!/usr/bin/env node
// JavaScript each first page loads, gzipped, from the Vite manifest of `npm run build`: the
// entry plus the page's lazy route chunk and everything they import statically (what the
// browser fetches before the page can draw). Fails when a page passes the budget, or when an
// applicant page would load any of the review console's code (it must stay in its own chunks).
//
//   node scripts/bundle-size.mjs [--budget-kb 200]
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";

const dist = resolve(import.meta.dirname, "../dist");
const manifest = JSON.parse(readFileSync(resolve(dist, ".vite/manifest.json"), "utf8"));
const budgetArg = process.argv.indexOf("--budget-kb");
const budget = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 200;

function closure(keys) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]?.imports ?? []) visit(dep);
  };
  keys.forEach(visit);
  return [...seen].map((k) => manifest[k].file).filter((f) => f.endsWith(".js"));
}

const gz = (file) => gzipSync(readFileSync(resolve(dist, file))).length;

const pages = {
  "applicant home (/, signed in)": ["index.html", "src/app/routes/home.tsx"],
  "sign in (/login)": ["index.html", "src/app/routes/login.tsx"],
  "step 1 (/verify/personal-info)": ["index.html", "src/app/routes/verify-personal-info.tsx"],
  "step 2 (/verify/document)": ["index.html", "src/app/routes/verify-document.tsx"],
  "phone handoff (/handoff)": ["index.html", "src/app/routes/handoff.tsx"],
  "review queue (/review)": ["index.html", "src/app/routes/review-queue.tsx"],
  "review case (/review/cases/:id)": ["index.html", "src/app/routes/review-case.tsx"],
};

// Source files of a chunk, from its source map (the manifest names only entry modules).
const sources = (file) => {
  try {
    return JSON.parse(readFileSync(resolve(dist, `${file}.map`), "utf8")).sources;
  } catch {
    return [];
  }
};
const isConsole = (file) => sources(file).some((s) => s.includes("features/review/"));

let over = false;
for (const [name, keys] of Object.entries(pages)) {
  for (const k of keys) if (!manifest[k]) throw new Error(`${k} is not in the manifest`);
  const files = closure(keys);
  const total = files.reduce((sum, f) => sum + gz(f), 0);
  if (!name.startsWith("review") && files.some(isConsole)) {
    console.error(`${name} loads review console code: ${files.filter(isConsole).join(", ")}`);
    over = true;
  }
  const kb = total / 1024;
  over ||= kb > budget;
  console.log(`${name.padEnd(34)} ${kb.toFixed(1).padStart(7)} kB gzip  (${files.length} files)`);
}
if (over) {
  console.error(`a first page is over the ${budget} kB budget`);
  process.exit(1);
}
