import { useEffect, useRef } from "react";
import { Link, Outlet, useLocation, useNavigate, useNavigation } from "react-router";
import { LanguageSelect } from "@/components/language-select";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useSession, useSessionStore } from "@/features/auth/session";
import { useI18n } from "@/i18n";

export function AppLayout() {
  const { t } = useI18n();
  const session = useSession();
  const store = useSessionStore();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After client-side navigation, move focus to the new page so screen readers start there.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          <span className="brand__mark" aria-hidden="true" />
          <span className="brand__name">{t("app.name")}</span>
          <span className="brand__tagline">{t("app.tagline")}</span>
        </Link>
        <div className="app-header__actions">
          <LanguageSelect />
          {session.status === "signed-in" && (session.user.roles.includes("reviewer") || session.user.roles.includes("admin")) && (
            <Link to="/review" className="header-link">
              {t("nav.review")}
            </Link>
          )}
          {session.status === "signed-in" && (
            <Button
              variant="secondary"
              onClick={() => {
                void store.signOut().then(() => navigate("/login", { replace: true, state: { signedOut: true } }));
              }}
            >
              {t("nav.signOut")}
            </Button>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="app-main" aria-busy={navigation.state === "loading" || undefined}>
        <Outlet />
      </main>
    </div>
  );
}

export function RouteFallback() {
  const { t } = useI18n();
  return <Spinner label={t("app.loading")} />;
}
