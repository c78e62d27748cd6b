export { I18nProvider, useI18n } from "./i18n-provider";
export { createTranslator, MESSAGES, type Translator } from "./messages";
export { LOCALES, type Locale, type Messages, type UiKey } from "./types";
