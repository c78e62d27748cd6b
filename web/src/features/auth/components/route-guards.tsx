import { Navigate, Outlet, useLocation } from "react-router";
import { Alert } from "@/components/ui/alert";
import { Spinner } from "@/components/ui/spinner";
import { useI18n } from "@/i18n";
import type { Role } from "@/lib/api/types";
import { useSession } from "../session";

export interface ReturnState {
  from?: string;
}

/** Pages for signed-in users; others go to sign-in and come back afterwards. */
export function RequireAuth() {
  const session = useSession();
  const location = useLocation();
  const { t } = useI18n();
  if (session.status === "loading") return <Spinner label={t("session.restoring")} />;
  if (session.status === "signed-out") {
    const state: ReturnState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  return <Outlet />;
}

/** Staff pages (the review console): a signed-in user without one of `roles` is told so. The
 * server enforces access on every call; this only keeps the UI honest. */
export function RequireRole({ roles }: { roles: readonly Role[] }) {
  const session = useSession();
  const { t } = useI18n();
  if (session.status === "signed-in" && !session.user.roles.some((r) => roles.includes(r))) {
    return (
      <section className="card card--narrow">
        <Alert>{t("review.forbidden")}</Alert>
      </section>
    );
  }
  return <Outlet />;
}

/** Where a user lands after sign-in when no page asked for it: reviewers in the console. */
export function homeFor(roles: readonly Role[]): string {
  return roles.includes("reviewer") || roles.includes("admin") ? "/review" : "/";
}

/** Sign-in and registration: a signed-in user has nothing to do there. */
export function GuestOnly() {
  const session = useSession();
  const location = useLocation();
  const { t } = useI18n();
  if (session.status === "loading") return <Spinner label={t("session.restoring")} />;
  if (session.status === "signed-in") {
    const from = (location.state as ReturnState | null)?.from;
    return <Navigate to={from ? safeReturnPath(from) : homeFor(session.user.roles)} replace />;
  }
  return <Outlet />;
}

/** Only same-app paths: never an absolute or protocol-relative URL from history state. */
export function safeReturnPath(from: string | undefined): string {
  return from && from.startsWith("/") && !from.startsWith("//") && !from.startsWith("/login") && !from.startsWith("/register")
    ? from
    : "/";
}
