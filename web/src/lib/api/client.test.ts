import { afterEach, describe, expect, it, vi } from "vitest";
import { api, setAuthHooks } from "./client";
import { settle } from "./result";

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

function mockFetch(...responses: Response[]) {
  const seen: { url: string; method: string; auth: string | null; type: string | null; body: string }[] = [];
  const fetchMock = vi.fn(async (request: Request) => {
    seen.push({
      url: new URL(request.url).pathname,
      method: request.method,
      auth: request.headers.get("Authorization"),
      type: request.headers.get("Content-Type"),
      body: await request.text(),
    });
    const next = responses.shift();
    if (!next) throw new Error(`unexpected request ${request.method} ${request.url}`);
    return next;
  });
  vi.stubGlobal("fetch", fetchMock);
  return seen;
}

const me = { id: "0b6f8a9e-6d0b-4a53-9d43-5f1d1c7c2b11", email: "ana@example.org", roles: ["applicant"], created_at: "2025-01-01T00:00:00Z" };

afterEach(() => {
  setAuthHooks(null);
});

describe("api client", () => {
  it("sends the access token on API calls", async () => {
    const seen = mockFetch(json(200, me));
    setAuthHooks({ getAccessToken: () => Promise.resolve("tok-1"), refresh: () => Promise.resolve(true) });
    const result = await settle(api.GET("/api/v1/me"));
    expect(result).toEqual({ ok: true, data: me });
    expect(seen).toEqual([{ url: "/api/v1/me", method: "GET", auth: "Bearer tok-1", type: null, body: "" }]);
  });

  it("never sends the access token to the auth endpoints, and posts {} as JSON for refresh", async () => {
    const seen = mockFetch(json(401, { error: { code: "invalid_token", message: "no" } }));
    setAuthHooks({ getAccessToken: () => Promise.resolve("tok-1"), refresh: () => Promise.resolve(true) });
    const result = await settle(api.POST("/api/v1/auth/refresh", { body: {} }));
    expect(result).toEqual({ ok: false, problem: { kind: "api", status: 401, error: { code: "invalid_token", message: "no" } } });
    expect(seen).toEqual([{ url: "/api/v1/auth/refresh", method: "POST", auth: null, type: "application/json", body: "{}" }]);
  });

  it("refreshes once on token_expired and retries the same request", async () => {
    const seen = mockFetch(json(401, { error: { code: "token_expired", message: "expired" } }), json(200, me));
    let token = "old";
    const refresh = vi.fn(() => {
      token = "new";
      return Promise.resolve(true);
    });
    setAuthHooks({ getAccessToken: () => Promise.resolve(token), refresh });
    const result = await settle(api.GET("/api/v1/me"));
    expect(result.ok).toBe(true);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(seen.map((s) => s.auth)).toEqual(["Bearer old", "Bearer new"]);
  });

  it("does not retry other 401s, nor when the refresh fails", async () => {
    mockFetch(json(401, { error: { code: "invalid_token", message: "bad" } }));
    const refresh = vi.fn(() => Promise.resolve(false));
    setAuthHooks({ getAccessToken: () => Promise.resolve("t"), refresh });
    const first = await settle(api.GET("/api/v1/me"));
    expect(first.ok).toBe(false);
    expect(refresh).not.toHaveBeenCalled();

    mockFetch(json(401, { error: { code: "token_expired", message: "expired" } }));
    const second = await settle(api.GET("/api/v1/me"));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(second).toMatchObject({ ok: false, problem: { status: 401, error: { code: "token_expired" } } });
  });

  it("reads Retry-After and gives non-JSON error bodies a code from their status", async () => {
    mockFetch(new Response("<html>Bad gateway</html>", { status: 502, headers: { "Retry-After": "7" } }));
    expect(await settle(api.GET("/api/v1/me"))).toEqual({
      ok: false,
      problem: { kind: "api", status: 502, error: { code: "dependency_unavailable", message: "" }, retryAfter: 7 },
    });
  });

  it("reports a failed connection as a network problem", async () => {
    vi.stubGlobal("fetch", vi.fn(() => Promise.reject(new TypeError("Failed to fetch"))));
    expect(await settle(api.GET("/api/v1/me"))).toEqual({ ok: false, problem: { kind: "network" } });
  });
});
