import { useEffect } from "react";
import { useNavigate } from "react-router";
import { usePageTitle } from "@/components/page-title";
import { Spinner } from "@/components/ui/spinner";
import { useSessionStore } from "@/features/auth/session";
import { useI18n } from "@/i18n";

/** /logout: ends the session (server and memory) and goes to sign-in. Safe to repeat. */
export function LogoutRoute() {
  const { t } = useI18n();
  const store = useSessionStore();
  const navigate = useNavigate();
  usePageTitle(t("logout.title"));

  useEffect(() => {
    let active = true;
    void store.signOut().then(() => {
      if (active) void navigate("/login", { replace: true, state: { signedOut: true } });
    });
    return () => {
      active = false;
    };
  }, [store, navigate]);

  return <Spinner label={t("logout.title")} />;
}
