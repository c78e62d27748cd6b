import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useState } from "react";
import { Controller, useForm, useWatch, type Resolver } from "react-hook-form";
import { FormProblemAlert } from "@/components/form-problem";
import { TextField } from "@/components/ui/text-field";
import { Button } from "@/components/ui/button";
import { useI18n, type UiKey } from "@/i18n";
import type { ApiResult } from "@/lib/api/result";
import type { Country, PersonalInfoInput, Verification } from "@/lib/api/types";
import { applyServerErrors, type FormProblem } from "@/lib/form/server-errors";
import { flagged, isFieldLocked, reasonsFor } from "../lib/state";
import {
  fromView,
  localToday,
  personalInfoSchema,
  toRequest,
  type PersonalInfoValues,
  type RuleContext,
} from "../lib/personal-info-schema";
import { CountryPicker, useCountryNames } from "./country-picker";
import { DocumentTypeCards } from "./document-type-cards";

const FIELDS = [
  "issuing_country",
  "document_type",
  "first_name",
  "middle_name",
  "last_name",
  "latin_first_name",
  "latin_last_name",
  "date_of_birth",
  "nationality",
  "document_number",
  "expiry_date",
  "phone",
  "address.line1",
  "address.line2",
  "address.city",
  "address.postcode",
  "address.country",
] as const;
type FieldName = (typeof FIELDS)[number];

interface PersonalInfoFormProps {
  verification: Verification;
  countries: readonly Country[];
  requiresAddress: boolean;
  save: (body: PersonalInfoInput) => Promise<ApiResult<Verification>>;
  onSaved: (v: Verification) => void;
}

/** Step 1: the issuing country, the document, and the personal information as printed. */
export function PersonalInfoForm({ verification, countries, requiresAddress, save, onSaved }: PersonalInfoFormProps) {
  const { t, fieldText, reasonText } = useI18n();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const byCode = useMemo(() => new Map(countries.map((c) => [c.code, c])), [countries]);
  const names = useCountryNames(countries);
  const sortedCountries = useMemo(
    () => [...countries].sort((a, b) => (names.get(a.code) ?? a.name).localeCompare(names.get(b.code) ?? b.name)),
    [countries, names],
  );
  const known = useMemo(() => new Set(countries.map((c) => c.code)), [countries]);
  const marked = flagged(verification);

  // The rules depend on the chosen country and document, which are values of this same form.
  // The catalogue and level do not change while the form is shown: one resolver will do.
  const context = (values: PersonalInfoValues): RuleContext => {
    const country = byCode.get(values.issuing_country) ?? null;
    return {
      country,
      document: country?.documents.find((d) => d.type === values.document_type) ?? null,
      requiresAddress,
      today: localToday(),
      knownCountries: known,
    };
  };
  const [resolver] = useState(() => {
    const r: Resolver<PersonalInfoValues> = (values, ctx, options) => zodResolver(personalInfoSchema(context(values)))(values, ctx, options);
    return r;
  });

  const {
    register,
    control,
    handleSubmit,
    setError,
    setValue,
    formState: { errors, isSubmitting, dirtyFields },
  } = useForm<PersonalInfoValues>({ resolver, defaultValues: fromView(verification.personal_info) });

  const issuing = useWatch({ control, name: "issuing_country" });
  const docType = useWatch({ control, name: "document_type" });
  const rules = context({ ...fromView(null), issuing_country: issuing, document_type: docType });

  // The phone is a contact detail, not document data: never locked by a retry.
  const locked = (f: FieldName) => f !== "phone" && isFieldLocked(verification, f);
  const errorOf = (f: FieldName): string | undefined => {
    const [head, tail] = f.split(".") as [keyof PersonalInfoValues, string | undefined];
    const nested = errors.address as Record<string, { message?: string } | undefined> | undefined;
    const e: unknown = tail ? nested?.[tail] : errors[head];
    const msg = (e as { message?: string } | undefined)?.message;
    if (msg) return fieldText(msg);
    // A field the reviewer flagged: the reason in plain words until it is corrected.
    const [dHead, dTail] = f.split(".") as [keyof PersonalInfoValues, string | undefined];
    const dirty = dTail ? Boolean((dirtyFields.address as Record<string, boolean | undefined> | undefined)?.[dTail]) : Boolean(dirtyFields[dHead]);
    if (marked.fields.has(f) && !dirty) {
      const r = reasonsFor(verification, f)[0];
      const text = r ? reasonText(r.code) : null;
      return text ? `${text.title} ${text.hint}` : t("info.flagged");
    }
    return undefined;
  };
  const hintOf = (f: FieldName, hint?: string) => (locked(f) ? t("info.locked") : hint);

  const onSubmit = handleSubmit(async (values) => {
    setProblem(null);
    const result = await save(toRequest(values, requiresAddress));
    if (result.ok) {
      onSaved(result.data);
      return;
    }
    setProblem(applyServerErrors(result.problem, setError, { fields: FIELDS }));
  });

  const text = (f: Exclude<FieldName, "issuing_country" | "document_type" | "nationality" | "address.country">, label: UiKey, extra: Record<string, string> = {}, hint?: string) => (
    <TextField
      label={t(label)}
      hint={hintOf(f, hint)}
      readOnly={locked(f)}
      error={errorOf(f)}
      data-flagged={marked.fields.has(f) || undefined}
      {...extra}
      {...register(f)}
    />
  );

  const lockedValue = (f: "nationality" | "address.country") => {
    const v = fromView(verification.personal_info);
    return f === "nationality" ? v.nationality : v.address.country;
  };

  const countrySelect = (f: "nationality" | "address.country", label: UiKey) => {
    const id = `pi-${f.replace(".", "-")}`;
    const error = errorOf(f);
    return (
      <div className={["field", error ? "field--invalid" : ""].filter(Boolean).join(" ")}>
        <label className="field__label" htmlFor={id}>
          {t(label)}
        </label>
        {locked(f) ? (
          <>
            <p className="field__hint">{t("info.locked")}</p>
            {/* Accepted and unchangeable: shown, not editable; its value stays in the form. */}
            <input id={id} className="field__input" readOnly value={names.get(lockedValue(f)) ?? lockedValue(f)} />
          </>
        ) : (
          <select
            id={id}
            className="field__input"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            {...register(f)}
          >
            <option value="">{t("field.choose")}</option>
            {sortedCountries.map((c) => (
              <option key={c.code} value={c.code}>
                {names.get(c.code) ?? c.name}
              </option>
            ))}
          </select>
        )}
        {error && (
          <p className="field__error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
    );
  };

  const rule = rules.document?.number;
  const numberHint = rule ? t("field.documentNumberHint", { rule: rule.description, example: rule.example ?? "" }) : t("field.documentNumberHintPlain");

  return (
    <form className="form" noValidate onSubmit={(e) => void onSubmit(e)}>
      <FormProblemAlert problem={problem} />
      <Controller
        control={control}
        name="issuing_country"
        render={({ field }) => (
          <CountryPicker
            countries={countries}
            value={field.value}
            disabled={locked("issuing_country")}
            error={errorOf("issuing_country")}
            onChange={(code) => {
              field.onChange(code);
              // A new country: its documents differ; nationality usually matches it.
              setValue("document_type", "");
              setValue("nationality", code, { shouldDirty: true });
            }}
          />
        )}
      />
      <Controller
        control={control}
        name="document_type"
        render={({ field }) => (
          <DocumentTypeCards
            country={rules.country}
            value={field.value}
            disabled={locked("document_type")}
            error={errorOf("document_type")}
            onChange={field.onChange}
          />
        )}
      />
      <fieldset className="fieldset">
        <legend className="section-title">{t("info.personal")}</legend>
        <div className="form">
          {text("first_name", "field.first_name", { autoComplete: "given-name" })}
          {text("middle_name", "field.middle_name", { autoComplete: "additional-name" })}
          {text("last_name", "field.last_name", { autoComplete: "family-name" })}
          <details className="details" open={Boolean(verification.personal_info?.latin_first_name) || undefined}>
            <summary>{t("info.latinNames")}</summary>
            <div className="form">
              {text("latin_first_name", "field.latin_first_name", { lang: "en" })}
              {text("latin_last_name", "field.latin_last_name", { lang: "en" })}
            </div>
          </details>
          {text("date_of_birth", "field.date_of_birth", { type: "date", autoComplete: "bday", max: localToday() })}
          {countrySelect("nationality", "field.nationality")}
          {text("document_number", "field.document_number", { autoCapitalize: "characters", autoComplete: "off", spellCheck: "false" }, numberHint)}
          {(rules.document?.has_expiry ?? true) && text("expiry_date", "field.expiry_date", { type: "date", min: localToday() })}
          {text("phone", "field.phone", { type: "tel", inputMode: "tel", autoComplete: "tel" }, t("field.phoneHint"))}
        </div>
      </fieldset>
      {requiresAddress && (
        <fieldset className="fieldset">
          <legend className="section-title">{t("field.address")}</legend>
          <div className="form">
            {text("address.line1", "field.address.line1", { autoComplete: "address-line1" })}
            {text("address.line2", "field.address.line2", { autoComplete: "address-line2" })}
            {text("address.city", "field.address.city", { autoComplete: "address-level2" })}
            {text("address.postcode", "field.address.postcode", { autoComplete: "postal-code" })}
            {countrySelect("address.country", "field.address.country")}
          </div>
        </fieldset>
      )}
      <Button type="submit" busy={isSubmitting}>
        {isSubmitting ? t("verify.saving") : t("verify.next")}
      </Button>
    </form>
  );
}
