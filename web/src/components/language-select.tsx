import { useId } from "react";
import { LOCALES, useI18n, type Locale } from "@/i18n";

// Each language names itself, so a reader can find theirs whatever the current language.
const NAMES: Record<Locale, string> = { en: "English", "zh-CN": "简体中文", es: "Español" };

export function LanguageSelect() {
  const { t, locale, setLocale } = useI18n();
  const id = useId();
  return (
    <div className="language">
      <label htmlFor={id} className="visually-hidden">
        {t("language.label")}
      </label>
      <select
        id={id}
        className="language__select"
        value={locale}
        onChange={(e) => {
          setLocale(e.target.value as Locale);
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
