import { useEffect } from "react";
import { useI18n } from "@/i18n";

/** Sets the document title for the current page ("Sign in · ekyc"). */
export function usePageTitle(title: string): void {
  const { t } = useI18n();
  const app = t("app.name");
  useEffect(() => {
    document.title = `${title} · ${app}`;
  }, [title, app]);
}
