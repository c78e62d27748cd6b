import { describe, expect, it, vi } from "vitest";
import type { ApiResult } from "@/lib/api/result";
import type { AuthSession } from "@/lib/api/types";
import { apiError, authSession } from "@/testing/render";
import { SessionStore, type SessionDeps } from "./session-store";

function setup(refreshAnswers: ApiResult<AuthSession>[]) {
  let clock = 1_000_000;
  const refresh = vi.fn<SessionDeps["refresh"]>(() => {
    const next = refreshAnswers.shift();
    if (!next) throw new Error("unexpected refresh");
    return Promise.resolve(next);
  });
  const logout = vi.fn<SessionDeps["logout"]>(() => Promise.resolve({ ok: true, data: undefined }));
  const store = new SessionStore({ refresh, logout, now: () => clock });
  return {
    store,
    refresh,
    logout,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe("SessionStore", () => {
  it("starts loading and restores the session from the refresh cookie once", async () => {
    const { store, refresh } = setup([{ ok: true, data: authSession() }]);
    expect(store.getState()).toEqual({ status: "loading" });
    await Promise.all([store.restore(), store.restore()]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(store.getState()).toEqual({ status: "signed-in", user: authSession().user });
    expect(await store.getAccessToken()).toBe("access-1");
  });

  it("is signed out when there is no valid refresh cookie", async () => {
    const { store } = setup([apiError(401, "invalid_token")]);
    await store.restore();
    expect(store.getState()).toEqual({ status: "signed-out" });
    expect(await store.getAccessToken()).toBeNull();
  });

  it("is signed out (not stuck loading) when the server cannot be reached on load", async () => {
    const { store } = setup([{ ok: false, problem: { kind: "network" } }]);
    await store.restore();
    expect(store.getState()).toEqual({ status: "signed-out" });
  });

  it("notifies subscribers of changes", async () => {
    const { store } = setup([{ ok: true, data: authSession() }]);
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    await store.restore();
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    await store.signOut();
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("refreshes shortly before the access token expires, once for concurrent callers", async () => {
    const { store, refresh, advance } = setup([{ ok: true, data: authSession({ access_token: "access-2" }) }]);
    store.start(authSession({ expires_in: 300 }));
    advance(269_000);
    expect(await store.getAccessToken()).toBe("access-1");
    expect(refresh).not.toHaveBeenCalled();

    advance(2_000); // within the 30 s margin
    const tokens = await Promise.all([store.getAccessToken(), store.getAccessToken(), store.refresh()]);
    expect(tokens).toEqual(["access-2", "access-2", true]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("uses half the lifetime as the margin for very short tokens", async () => {
    const { store, refresh, advance } = setup([{ ok: true, data: authSession({ access_token: "access-2" }) }]);
    store.start(authSession({ expires_in: 20 }));
    advance(9_000);
    expect(await store.getAccessToken()).toBe("access-1");
    advance(1_000);
    expect(await store.getAccessToken()).toBe("access-2");
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("signs out when the server refuses a refresh", async () => {
    const { store, advance } = setup([apiError(401, "invalid_token")]);
    store.start(authSession({ expires_in: 60 }));
    advance(60_000);
    expect(await store.getAccessToken()).toBeNull();
    expect(store.getState()).toEqual({ status: "signed-out" });
  });

  it("keeps the session through a transient outage during a refresh", async () => {
    const { store, advance } = setup([apiError(503, "dependency_unavailable")]);
    store.start(authSession({ expires_in: 60 }));
    advance(60_000);
    expect(await store.refresh()).toBe(false);
    expect(store.getState().status).toBe("signed-in");
  });

  it("signs out on the server and in memory, even if the server call fails", async () => {
    const { store, logout } = setup([]);
    logout.mockRejectedValueOnce(new TypeError("offline"));
    store.start(authSession());
    await store.signOut();
    expect(logout).toHaveBeenCalledTimes(1);
    expect(store.getState()).toEqual({ status: "signed-out" });
    expect(await store.getAccessToken()).toBeNull();
  });

  it("does not let a refresh that was in flight undo a sign-out", async () => {
    let answer: (value: ApiResult<AuthSession>) => void = () => undefined;
    const { store, refresh } = setup([]);
    refresh.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    );
    store.start(authSession());
    const pending = store.refresh();
    await store.signOut();
    answer({ ok: true, data: authSession({ access_token: "late" }) });
    await pending;
    expect(store.getState()).toEqual({ status: "signed-out" });
    expect(await store.getAccessToken()).toBeNull();
  });
});
