import { createContext, use, useEffect, useMemo, useState, type ReactNode } from "react";
import { createTranslator, matchLocale, type Translator } from "./messages";
import { LOCALES, type Locale } from "./types";

// The chosen language is a preference, not personal data: it may be remembered.
const STORAGE_KEY = "ekyc.locale";

interface I18nContextValue extends Translator {
  setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18nContextValue | null>(null);

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  } catch {
    // Storage may be unavailable (privacy modes); fall through to the browser's languages.
  }
  return matchLocale(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
}

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => fixed ?? initialLocale());

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<I18nContextValue>(
    () => ({
      ...createTranslator(locale),
      setLocale: (next) => {
        setLocaleState(next);
        try {
          localStorage.setItem(STORAGE_KEY, next);
        } catch {
          // Not remembered; the choice still applies to this page.
        }
      },
    }),
    [locale],
  );

  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18nContextValue {
  const value = use(I18nContext);
  if (!value) throw new Error("useI18n must be used inside <I18nProvider>");
  return value;
}
