import { useDeferredValue, useId, useMemo, useState } from "react";
import { useI18n } from "@/i18n";
import type { Country } from "@/lib/api/types";

/** 🇩🇪 from "DE": regional indicator symbols, no image download. */
export const flag = (code: string) =>
  String.fromCodePoint(...Array.from(code.toUpperCase()).map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));

/** Country names in the interface language (Intl), falling back to the catalogue's English name. */
export function useCountryNames(countries: readonly Country[]): Map<string, string> {
  const { locale } = useI18n();
  return useMemo(() => {
    let names: Intl.DisplayNames | null = null;
    try {
      names = new Intl.DisplayNames([locale], { type: "region" });
    } catch {
      names = null;
    }
    return new Map(countries.map((c) => [c.code, names?.of(c.code) ?? c.name]));
  }, [countries, locale]);
}

/** A region's name in the interface language, by ISO code. */
export function useRegionName(): (code: string) => string {
  const { locale } = useI18n();
  return useMemo(() => {
    let names: Intl.DisplayNames | null = null;
    try {
      names = new Intl.DisplayNames([locale], { type: "region" });
    } catch {
      names = null;
    }
    return (code: string) => names?.of(code) ?? code;
  }, [locale]);
}

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase();

/** Countries whose local or English name, or code, contains the query (accents ignored). */
export function filterCountries(countries: readonly Country[], names: Map<string, string>, query: string): Country[] {
  const q = fold(query.trim());
  if (q === "") return [...countries];
  return countries.filter(
    (c) => fold(names.get(c.code) ?? "").includes(q) || fold(c.name).includes(q) || c.code.toLowerCase() === q || c.alpha3.toLowerCase() === q,
  );
}

interface CountryPickerProps {
  countries: readonly Country[];
  value: string;
  onChange: (code: string) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/**
 * The issuing country: a search box over a list of radio buttons (native keyboard behaviour),
 * folded to the chosen country once picked.
 */
export function CountryPicker({ countries, value, onChange, error, disabled = false }: CountryPickerProps) {
  const { t } = useI18n();
  const id = useId();
  const names = useCountryNames(countries);
  const [open, setOpen] = useState(value === "");
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query);
  const sorted = useMemo(
    () => [...countries].sort((a, b) => (names.get(a.code) ?? a.name).localeCompare(names.get(b.code) ?? b.name)),
    [countries, names],
  );
  const shown = useMemo(() => filterCountries(sorted, names, deferred), [sorted, names, deferred]);
  const errorId = error ? `${id}-error` : undefined;

  return (
    <fieldset className={["field", "picker", error ? "field--invalid" : ""].filter(Boolean).join(" ")} aria-describedby={errorId}>
      <legend className="field__label">{t("info.country")}</legend>
      {!open && value !== "" ? (
        <div className="picker__chosen">
          <span className="picker__flag" aria-hidden="true">
            {flag(value)}
          </span>
          <span data-testid="chosen-country">{names.get(value) ?? value}</span>
          {!disabled && (
            <button
              type="button"
              className="button button--link"
              onClick={() => {
                setOpen(true);
              }}
            >
              {t("info.countryChange")}
            </button>
          )}
        </div>
      ) : (
        <>
          <label htmlFor={`${id}-search`} className="visually-hidden">
            {t("info.countrySearch")}
          </label>
          <input
            id={`${id}-search`}
            className="field__input"
            type="search"
            placeholder={t("info.countrySearch")}
            autoComplete="off"
            value={query}
            aria-controls={`${id}-list`}
            onChange={(e) => {
              setQuery(e.target.value);
            }}
            onKeyDown={(e) => {
              // Enter picks the only (or first) match instead of submitting the form.
              if (e.key === "Enter") {
                e.preventDefault();
                const first = shown[0];
                if (first) {
                  onChange(first.code);
                  setOpen(false);
                }
              }
            }}
          />
          <p className="visually-hidden" aria-live="polite">
            {t("info.countryCount", { count: shown.length })}
          </p>
          <div className="picker__list" id={`${id}-list`} role="radiogroup" aria-label={t("info.country")}>
            {shown.length === 0 && <p className="muted">{t("info.countryNone", { query: deferred })}</p>}
            {shown.map((c) => (
              <label key={c.code} className="picker__option">
                <input
                  type="radio"
                  name={`${id}-country`}
                  value={c.code}
                  checked={value === c.code}
                  onChange={() => {
                    onChange(c.code);
                  }}
                  onClick={(e) => {
                    // A pointer click folds the list; arrow keys (click with detail 0) keep it open.
                    if (e.detail > 0) setOpen(false);
                  }}
                />
                <span className="picker__flag" aria-hidden="true">
                  {flag(c.code)}
                </span>
                <span>{names.get(c.code) ?? c.name}</span>
              </label>
            ))}
          </div>
        </>
      )}
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
