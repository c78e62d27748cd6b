// Turns openapi-fetch answers into one result type with a well-formed error detail, so
// callers switch on `error.code` and never on status codes or raw bodies.
import type { ApiErrorDetail, ErrorCode } from "./types";

export type ApiProblem =
  | { kind: "api"; status: number; error: ApiErrorDetail; retryAfter?: number }
  | { kind: "network" };

export type ApiResult<T> = { ok: true; data: T } | { ok: false; problem: ApiProblem };

interface FetchAnswer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status === 502 || status === 503 || status === 504) return "dependency_unavailable";
  return "internal_error";
}

function isErrorDetail(value: unknown): value is ApiErrorDetail {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && typeof v.message === "string" && (v.fields === undefined || Array.isArray(v.fields));
}

/** The error detail of a failed answer; a body that is not our error shape gets a code from its status. */
export function errorDetail(status: number, body: unknown): ApiErrorDetail {
  const inner = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
  if (isErrorDetail(inner)) return inner;
  return { code: codeForStatus(status), message: "" };
}

function retryAfterSeconds(response: Response): number | undefined {
  const raw = response.headers.get("Retry-After");
  if (raw === null) return undefined;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : undefined;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/** Awaits an openapi-fetch call. Network failures become `{kind: "network"}`; aborts are rethrown. */
export async function settle<T>(call: Promise<FetchAnswer<T>>): Promise<ApiResult<T>> {
  let answer: FetchAnswer<T>;
  try {
    answer = await call;
  } catch (error) {
    if (isAbort(error)) throw error;
    return { ok: false, problem: { kind: "network" } };
  }
  const { response } = answer;
  if (response.ok) return { ok: true, data: answer.data as T };
  const retryAfter = retryAfterSeconds(response);
  return {
    ok: false,
    problem: {
      kind: "api",
      status: response.status,
      error: errorDetail(response.status, answer.error),
      ...(retryAfter === undefined ? {} : { retryAfter }),
    },
  };
}
