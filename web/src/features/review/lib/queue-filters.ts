// The queue's filters live in the URL (?state=open&country=DE…) so a view can be shared and
// survives a reload; this turns them into the API's query and back.
import type { QueueQuery } from "../api/review-api";

export const WAITING_CHOICES = ["", "1h", "4h", "24h"] as const;
export type WaitingChoice = (typeof WAITING_CHOICES)[number];
const WAITING_MS: Record<Exclude<WaitingChoice, "">, number> = { "1h": 3_600_000, "4h": 14_400_000, "24h": 86_400_000 };

export const DOCUMENT_TYPES = ["passport", "id_card", "driving_licence", "residence_permit"] as const;

export interface QueueFilters {
  state: "" | "open" | "awaiting_second";
  country: string;
  document_type: "" | (typeof DOCUMENT_TYPES)[number];
  flag: string;
  /** Waiting at least this long. */
  waiting: WaitingChoice;
  claimed: "" | "free" | "claimed";
}

export const NO_FILTERS: QueueFilters = { state: "", country: "", document_type: "", flag: "", waiting: "", claimed: "" };

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | "" =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : "";

export function filtersFromParams(params: URLSearchParams): QueueFilters {
  const country = (params.get("country") ?? "").trim().toUpperCase();
  return {
    state: pick(params.get("state"), ["open", "awaiting_second"] as const),
    country: /^[A-Z]{2}$/.test(country) ? country : "",
    document_type: pick(params.get("document_type"), DOCUMENT_TYPES),
    flag: /^[a-z_]{1,64}$/.test(params.get("flag") ?? "") ? (params.get("flag") ?? "") : "",
    waiting: pick(params.get("waiting"), WAITING_CHOICES),
    claimed: pick(params.get("claimed"), ["free", "claimed"] as const),
  };
}

export function filtersToParams(f: QueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(f) as [keyof QueueFilters, string][]) if (value !== "") params.set(key, value);
  return params;
}

/** The API query for the filters; `now` fixes "waiting at least" to a queued-before time. */
export function toQuery(f: QueueFilters, now: number, cursor?: string): QueueQuery {
  return {
    ...(f.state ? { state: f.state } : {}),
    ...(f.country ? { country: f.country } : {}),
    ...(f.document_type ? { document_type: f.document_type } : {}),
    ...(f.flag ? { flag: f.flag } : {}),
    ...(f.waiting ? { waiting_since: new Date(now - WAITING_MS[f.waiting]).toISOString() } : {}),
    ...(f.claimed ? { claimed: f.claimed === "claimed" } : {}),
    ...(cursor ? { cursor } : {}),
  };
}
