// The console's translations: the app's translator plus the console's own texts, which stay
// in the console's chunk. `t` takes either kind of key.
import { useMemo } from "react";
import { useI18n, type Locale, type UiKey } from "@/i18n";
import { interpolate, type Vars } from "@/i18n/messages";
import { enReviewUi } from "./en";
import { esReviewUi } from "./es";
import type { ReviewKey, ReviewUi } from "./types";
import { zhCNReviewUi } from "./zh-CN";

export type { ReviewKey } from "./types";

export const REVIEW_MESSAGES: Record<Locale, ReviewUi> = { en: enReviewUi, es: esReviewUi, "zh-CN": zhCNReviewUi };

export function useReviewI18n() {
  const base = useI18n();
  return useMemo(() => {
    const table = REVIEW_MESSAGES[base.locale];
    const t = (key: UiKey | ReviewKey, vars?: Vars): string =>
      Object.hasOwn(table, key) ? interpolate(table[key as ReviewKey], vars) : base.t(key as UiKey, vars);
    return { ...base, t };
  }, [base]);
}
