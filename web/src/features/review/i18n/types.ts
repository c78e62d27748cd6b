import type { enReviewUi } from "./en";

export type ReviewKey = keyof typeof enReviewUi;
/** Every locale has every English key (a missing one is a compile error). */
export type ReviewUi = Record<ReviewKey, string>;
