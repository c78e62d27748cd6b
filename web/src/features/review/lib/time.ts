// Times in the console: waiting durations, claim expiry, and when to fetch fresh image URLs.

/** Fetch the case again this long before its presigned image URLs expire. */
export const URL_REFRESH_MARGIN_MS = 30_000;
/** Never refetch more often than this, even if the server hands out very short URLs. */
export const MIN_REFRESH_MS = 5_000;

/**
 * Milliseconds until the case should be fetched again for fresh image URLs (null without
 * images): the earliest expiry minus a margin, at least MIN_REFRESH_MS.
 */
export function urlRefreshDelay(expiries: readonly string[], now: number): number | null {
  const times = expiries.map((e) => Date.parse(e)).filter((t) => Number.isFinite(t));
  if (times.length === 0) return null;
  return Math.max(MIN_REFRESH_MS, Math.min(...times) - URL_REFRESH_MARGIN_MS - now);
}

export interface Duration {
  unit: "minutes" | "hours" | "days";
  value: number;
}

/** A waiting time in the largest whole unit ("3 h", not "187 min"); under a minute is 0 min. */
export function waitingDuration(seconds: number): Duration {
  const minutes = Math.max(0, Math.floor(seconds / 60));
  if (minutes < 60) return { unit: "minutes", value: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { unit: "hours", value: hours };
  return { unit: "days", value: Math.floor(hours / 24) };
}

/** Whole minutes left on a claim (0 once it ran out). */
export function minutesLeft(expiresAt: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 60_000));
}
