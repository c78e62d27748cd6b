import { useId } from "react";
import { useI18n, type UiKey } from "@/i18n";
import type { Country, DocumentType } from "@/lib/api/types";

const LABEL: Record<DocumentType, UiKey> = {
  passport: "docType.passport",
  id_card: "docType.id_card",
  driving_licence: "docType.driving_licence",
  residence_permit: "docType.residence_permit",
};

export const documentLabel = (type: DocumentType): UiKey => LABEL[type];

interface DocumentTypeCardsProps {
  country: Country | null;
  value: string;
  onChange: (type: string) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/** The documents the chosen country issues, as cards (radio buttons underneath). */
export function DocumentTypeCards({ country, value, onChange, error, disabled = false }: DocumentTypeCardsProps) {
  const { t } = useI18n();
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  return (
    <fieldset className={["field", error ? "field--invalid" : ""].filter(Boolean).join(" ")} aria-describedby={errorId}>
      <legend className="field__label">{t("info.documentType")}</legend>
      {country === null ? (
        <p className="field__hint">{t("info.chooseCountryFirst")}</p>
      ) : (
        <div className="doc-cards">
          {country.documents.map((d) => (
            <label key={d.type} className="doc-card">
              <input
                type="radio"
                className="doc-card__input"
                name={`${id}-doc`}
                value={d.type}
                checked={value === d.type}
                disabled={disabled && value !== d.type}
                onChange={() => {
                  onChange(d.type);
                }}
              />
              <span className={`doc-card__icon doc-card__icon--${d.type}`} aria-hidden="true" />
              <span className="doc-card__text">
                <span className="doc-card__name">{t(LABEL[d.type])}</span>
                <span className="doc-card__sides">{t(d.back_side ? "info.sides.both" : "info.sides.front")}</span>
              </span>
            </label>
          ))}
        </div>
      )}
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
