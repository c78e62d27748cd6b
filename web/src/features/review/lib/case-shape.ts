// What a case has, read from the case view: the fields entered, the images, the steps.
import type { CaseView } from "../api/review-api";
import type { CaseShape } from "./taxonomy";

export function caseShape(c: CaseView): CaseShape {
  const entered = new Set<string>();
  const info = c.entered;
  if (info) {
    for (const [key, value] of Object.entries(info)) {
      if (key === "address" || !value) continue;
      entered.add(key);
    }
    if (info.address) {
      entered.add("address");
      for (const [key, value] of Object.entries(info.address)) if (value) entered.add(`address.${key}`);
    }
  }
  return {
    entered,
    images: new Set(c.images.map((i) => i.kind)),
    liveness: c.checks.some((k) => k.kind === "liveness"),
  };
}
