import { Navigate, Outlet, useLocation } from "react-router";
import { Spinner } from "@/components/ui/spinner";
import { useI18n } from "@/i18n";
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

/** Sign-in and registration: a signed-in user has nothing to do there. */
export function GuestOnly() {
  const session = useSession();
  const location = useLocation();
  const { t } = useI18n();
  if (session.status === "loading") return <Spinner label={t("session.restoring")} />;
  if (session.status === "signed-in") {
    return <Navigate to={safeReturnPath((location.state as ReturnState | null)?.from)} replace />;
  }
  return <Outlet />;
}

/** Only same-app paths: never an absolute or protocol-relative URL from history state. */
export function safeReturnPath(from: string | undefined): string {
  return from && from.startsWith("/") && !from.startsWith("//") && !from.startsWith("/login") && !from.startsWith("/register")
    ? from
    : "/";
}
