import { StrictMode, type ReactNode } from "react";
import { SessionProvider, type SessionStore } from "@/features/auth/session";
import { I18nProvider } from "@/i18n";

export function AppProvider({ session, children }: { session: SessionStore; children: ReactNode }) {
  return (
    <StrictMode>
      <I18nProvider>
        <SessionProvider store={session}>{children}</SessionProvider>
      </I18nProvider>
    </StrictMode>
  );
}
