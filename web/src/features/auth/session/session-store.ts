// The signed-in session, kept in memory only (never localStorage/sessionStorage).
//
// On load the session is restored through the refresh cookie. The access token is refreshed
// shortly before it expires, once for all concurrent callers; a refresh that the server
// refuses signs the user out.
import type { ApiResult } from "@/lib/api/result";
import type { AuthSession, Me } from "@/lib/api/types";

export type SessionState =
  | { status: "loading" }
  | { status: "signed-out" }
  | { status: "signed-in"; user: Me };

export interface SessionDeps {
  refresh: () => Promise<ApiResult<AuthSession>>;
  logout: () => Promise<ApiResult<undefined>>;
  now?: () => number;
}

/** Refresh this long before expiry (capped at half the lifetime for very short tokens). */
const EXPIRY_MARGIN_MS = 30_000;

export class SessionStore {
  private state: SessionState = { status: "loading" };
  private listeners = new Set<() => void>();
  private token: { value: string; refreshAt: number } | null = null;
  private inflight: Promise<boolean> | null = null;
  private restoring: Promise<void> | null = null;
  // Bumped by every sign-in and sign-out, so a late refresh answer cannot undo them.
  private epoch = 0;
  private readonly deps: SessionDeps;
  private readonly now: () => number;

  constructor(deps: SessionDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Restores the session from the refresh cookie once per page load. */
  restore(): Promise<void> {
    this.restoring ??= this.refresh().then(() => undefined);
    return this.restoring;
  }

  /** Starts a session from a login, register or refresh answer. */
  start(session: AuthSession): void {
    this.epoch += 1;
    this.apply(session);
  }

  /** Rotates the tokens through the cookie. Concurrent callers share one request. */
  refresh(): Promise<boolean> {
    this.inflight ??= this.doRefresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** A valid access token, refreshing first if it is (about to be) expired; null when signed out. */
  async getAccessToken(): Promise<string | null> {
    if (this.token === null) return null;
    if (this.now() < this.token.refreshAt) return this.token.value;
    await this.refresh();
    return this.currentToken();
  }

  private currentToken(): string | null {
    return this.token?.value ?? null;
  }

  async signOut(): Promise<void> {
    this.epoch += 1;
    this.token = null;
    // Best effort: the server clears the cookie; we are signed out here whatever it answers.
    try {
      await this.deps.logout();
    } catch {
      // Network failure: nothing more to do; the refresh token expires on its own.
    }
    this.setState({ status: "signed-out" });
  }

  private async doRefresh(): Promise<boolean> {
    const epoch = this.epoch;
    let result: ApiResult<AuthSession>;
    try {
      result = await this.deps.refresh();
    } catch {
      result = { ok: false, problem: { kind: "network" } };
    }
    if (epoch !== this.epoch) return this.token !== null;
    if (result.ok) {
      this.apply(result.data);
      return true;
    }
    // A refused refresh ends the session. A network error or an outage keeps a session we
    // already have (the next call tries again) but cannot create one on load.
    const refused = result.problem.kind === "api" && result.problem.status < 500;
    if (refused || this.state.status !== "signed-in") {
      this.token = null;
      this.setState({ status: "signed-out" });
    }
    return false;
  }

  private apply(session: AuthSession): void {
    const lifetime = Math.max(0, session.expires_in) * 1000;
    this.token = {
      value: session.access_token,
      refreshAt: this.now() + lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 2),
    };
    // The refresh token in the body is deliberately dropped: the HttpOnly cookie carries it.
    this.setState({ status: "signed-in", user: session.user });
  }

  private setState(next: SessionState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
