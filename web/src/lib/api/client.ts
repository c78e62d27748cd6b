// The one API client: openapi-fetch typed by the generated schema, at the page's own origin.
//
// Authentication is plugged in by the session (see `setAuthHooks`) so this module knows
// nothing about features. Requests outside /api/v1/auth/ carry the in-memory access token; a
// 401 `token_expired` answer triggers one refresh and one retry of the same request.
import createClient from "openapi-fetch";
import type { paths } from "./schema";

export interface AuthHooks {
  /** A valid access token (refreshing first if it is about to expire), or null when signed out. */
  getAccessToken: () => Promise<string | null>;
  /** Rotates the session through the refresh cookie; false when that failed. */
  refresh: () => Promise<boolean>;
}

let hooks: AuthHooks | null = null;

export function setAuthHooks(next: AuthHooks | null): void {
  hooks = next;
}

let capture: AuthHooks | null = null;

/**
 * On a phone that opened a continue-on-your-phone link: every request carries this capture
 * session instead of an account's token (kept in memory only, never refreshed); null ends it.
 */
export function setCaptureSession(token: string | null): void {
  capture = token === null ? null : { getAccessToken: () => Promise.resolve(token), refresh: () => Promise.resolve(false) };
}

/** The current auth hooks, for the few requests that cannot go through fetch (upload progress). */
export function authHooks(): AuthHooks | null {
  return capture ?? hooks;
}

const AUTH_PATH = "/api/v1/auth/";

async function withToken(request: Request, auth: AuthHooks): Promise<Request> {
  const token = await auth.getAccessToken();
  if (!token) return request;
  const headers = new Headers(request.headers);
  headers.set("Authorization", `Bearer ${token}`);
  return new Request(request, { headers });
}

async function isTokenExpired(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  try {
    const body: unknown = await response.clone().json();
    return (body as { error?: { code?: unknown } } | null)?.error?.code === "token_expired";
  } catch {
    return false;
  }
}

export async function authFetch(request: Request): Promise<Response> {
  const auth = authHooks();
  if (auth === null || new URL(request.url).pathname.startsWith(AUTH_PATH)) {
    return fetch(request);
  }
  // Keep an unread copy: the body of the first attempt is consumed by fetch.
  const retry = request.clone();
  const response = await fetch(await withToken(request, auth));
  if (!(await isTokenExpired(response))) return response;
  if (!(await auth.refresh())) return response;
  return fetch(await withToken(retry, auth));
}

export const api = createClient<paths>({
  // Same origin as the page: the API serves the SPA (and Vite proxies /api in development).
  baseUrl: globalThis.location.origin,
  fetch: authFetch,
});
