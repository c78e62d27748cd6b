import { setAuthHooks } from "@/lib/api/client";
import * as authApi from "../api/auth-api";
import { SessionStore } from "./session-store";

export { SessionProvider, useSession, useSessionStore } from "./session-provider";
export { SessionStore, type SessionState } from "./session-store";

/**
 * Runs `fn` while holding a lock shared by every tab of this origin. Refresh tokens rotate and
 * the server ends the whole session when a used one comes back, so two tabs must never send
 * the same cookie at once: the second waits and then sends the cookie the first received.
 */
async function acrossTabs<T>(name: string, fn: () => Promise<T>): Promise<T> {
  // Web Locks exist only in secure contexts (HTTPS, localhost); elsewhere one tab is the norm.
  if (!("locks" in navigator)) return fn();
  const result = await navigator.locks.request(name, fn);
  return result;
}

/** The app's session, wired to the API client so authenticated calls carry its token. */
export function createAppSession(): SessionStore {
  const store = new SessionStore({
    refresh: () => acrossTabs("ekyc.session.refresh", authApi.refresh),
    logout: authApi.logout,
  });
  setAuthHooks({ getAccessToken: () => store.getAccessToken(), refresh: () => store.refresh() });
  return store;
}
