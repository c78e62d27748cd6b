// Reasons the automated checks already found, as a starting point for a rejection: each
// failing check's reasons that the taxonomy knows, with the field paths valid for their step,
// once each.
import type { CaseView } from "../api/review-api";
import type { ReasonValues } from "./decision-schema";
import { isDecisionReason, keepPaths } from "./taxonomy";

export function suggestedReasons(c: Pick<CaseView, "checks">): ReasonValues[] {
  const out: ReasonValues[] = [];
  const seen = new Set<string>();
  for (const check of c.checks) {
    if (check.result === "pass") continue;
    for (const r of check.reasons) {
      if (!isDecisionReason(r.code)) continue;
      const key = `${r.code}|${r.step}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ code: r.code, step: r.step, field_paths: keepPaths(r.step, r.field_paths) });
    }
  }
  return out;
}
