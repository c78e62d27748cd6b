import { useId, useState } from "react";
import { Controller, useForm, useWatch, type Control, type FieldErrors, type Path, type UseFormSetValue } from "react-hook-form";
import { FormProblemAlert } from "@/components/form-problem";
import { Button } from "@/components/ui/button";
import { useReviewI18n } from "../i18n";
import type { StepKind } from "@/lib/api/types";
import { applyServerErrors, type FormProblem } from "@/lib/form/server-errors";
import { decideCase, type CaseView, type DecisionResult } from "../api/review-api";
import {
  decisionFields,
  decisionResolver,
  emptyDecision,
  emptyReason,
  formPath,
  isFinalRejection,
  MESSAGE_MAX,
  NOTE_MAX,
  toDecisionInput,
  type DecisionValues,
  type ReasonValues,
} from "../lib/decision-schema";
import { suggestedReasons } from "../lib/suggest";
import { fieldPathChoices, keepPaths, reasonChoices, stepsOf, type CaseShape } from "../lib/taxonomy";
import { useLabels } from "./labels";

interface DecisionFormProps {
  data: CaseView;
  shape: CaseShape;
  onDecided: (result: DecisionResult) => void;
}

/**
 * Approve, or reject with reasons from the taxonomy tied to a step and its fields, retry or
 * final. The rules mirror the server's; what the server still refuses lands on its field.
 */
export function DecisionForm({ data, shape, onDecided }: DecisionFormProps) {
  const { t, fieldText } = useReviewI18n();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  // One Idempotency-Key per distinct body: a repeated request replays the first answer.
  const [keys] = useState(() => new Map<string, string>());
  const { register, control, handleSubmit, setError, setValue, formState } = useForm<DecisionValues>({
    resolver: decisionResolver,
    defaultValues: emptyDecision(),
  });
  // Reasons are managed by hand (not useFieldArray) so the console adds nothing to the
  // react-hook-form chunk applicant pages load; `rows` are stable React keys for them.
  const reasons = useWatch({ control, name: "reasons" });
  const [rows, setRows] = useState<{ ids: number[]; next: number }>({ ids: [], next: 0 });
  const append = (added: ReasonValues[]) => {
    setValue("reasons", [...reasons, ...added], { shouldValidate: formState.isSubmitted });
    setRows((r) => ({ ids: [...r.ids, ...added.map((_, i) => r.next + i)], next: r.next + added.length }));
  };
  const remove = (index: number) => {
    setValue("reasons", reasons.filter((_, i) => i !== index), { shouldValidate: formState.isSubmitted });
    setRows((r) => ({ ...r, ids: r.ids.filter((_, i) => i !== index) }));
  };
  const decision = useWatch({ control, name: "decision" });
  const rejectType = useWatch({ control, name: "reject_type" });
  const steps = stepsOf(shape);
  const errors = formState.errors;
  const err = (message: string | undefined) => (message ? fieldText(message) : undefined);
  const messageId = useId();
  const noteId = useId();
  const proposalPending = data.review?.state === "awaiting_second";
  const suggestions = suggestedReasons(data);

  const onSubmit = handleSubmit(async (values) => {
    setProblem(null);
    const body = toDecisionInput(values);
    const json = JSON.stringify(body);
    const key = keys.get(json) ?? crypto.randomUUID();
    keys.set(json, key);
    const r = await decideCase(data.verification_id, body, key);
    if (r.ok) {
      onDecided(r.data);
      return;
    }
    const renamed =
      r.problem.kind === "api" && r.problem.error.fields
        ? { ...r.problem, error: { ...r.problem.error, fields: r.problem.error.fields.map((f) => ({ ...f, field: formPath(f.field) })) } }
        : r.problem;
    setProblem(
      applyServerErrors(renamed, setError, {
        fields: decisionFields(values.reasons.length) as Path<DecisionValues>[],
      }),
    );
  });

  return (
    <form className="form decision-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-labelledby="decision-title" data-testid="decision-form">
      <FormProblemAlert problem={problem} />
      <fieldset className="fieldset field" aria-invalid={errors.decision ? true : undefined}>
        <legend className="field__label">{t("review.decision.choice")}</legend>
        <div className="choice-row">
          <label className="decision-choice">
            <input type="radio" value="approve" {...register("decision")} />
            {t("review.decision.approve")}
          </label>
          <label className="decision-choice">
            <input type="radio" value="reject" {...register("decision")} />
            {t("review.decision.reject")}
          </label>
        </div>
        {errors.decision && <p className="field__error">{err(errors.decision.message)}</p>}
      </fieldset>

      {decision === "reject" && (
        <>
          <fieldset className="fieldset field">
            <legend className="field__label">{t("review.decision.rejectType")}</legend>
            <div className="choice-row">
              <label className="decision-choice">
                <input type="radio" value="retry" {...register("reject_type")} />
                <span>
                  {t("review.decision.retry")}
                  <span className="field__hint"> {t("review.decision.retryHint")}</span>
                </span>
              </label>
              <label className="decision-choice">
                <input type="radio" value="final" {...register("reject_type")} />
                <span>
                  {t("review.decision.final")}
                  <span className="field__hint"> {t("review.decision.finalHint")}</span>
                </span>
              </label>
            </div>
            {errors.reject_type && <p className="field__error">{err(errors.reject_type.message)}</p>}
          </fieldset>
          {isFinalRejection({ decision, reject_type: rejectType }) && !proposalPending && (
            <p className="alert alert--info" role="note">
              {t("review.decision.secondReviewerNote")}
            </p>
          )}

          <fieldset className="fieldset" aria-describedby="reasons-hint">
            <legend className="section-title">{t("review.decision.reasons")}</legend>
            <p className="field__hint" id="reasons-hint">
              {t("review.decision.reasonsHint")}
            </p>
            {reasons.map((_, i) => (
              <ReasonRow
                key={rows.ids[i] ?? `extra-${String(i)}`}
                index={i}
                steps={steps}
                shape={shape}
                control={control}
                setValue={setValue}
                errors={errors}
                onRemove={() => {
                  remove(i);
                }}
              />
            ))}
            {errors.reasons?.message && <p className="field__error" role="alert">{err(errors.reasons.message)}</p>}
            {errors.reasons?.root?.message && <p className="field__error">{err(errors.reasons.root.message)}</p>}
            <div className="actions actions--start">
              <Button
                variant="secondary"
                onClick={() => {
                  append([emptyReason(steps[0])]);
                }}
              >
                {t("review.decision.addReason")}
              </Button>
              {suggestions.length > 0 && (
                <Button
                  variant="secondary"
                  onClick={() => {
                    append(suggestions);
                  }}
                >
                  {t("review.decision.addSuggested", { count: suggestions.length })}
                </Button>
              )}
            </div>
          </fieldset>
        </>
      )}

      <div className={["field", errors.message ? "field--invalid" : ""].join(" ")}>
        <label className="field__label" htmlFor={messageId}>
          {t("review.decision.message")}
        </label>
        <p className="field__hint" id={`${messageId}-hint`}>
          {t("review.decision.messageHint", { max: MESSAGE_MAX })}
        </p>
        <textarea
          id={messageId}
          className="field__input field__textarea"
          rows={3}
          aria-invalid={errors.message ? true : undefined}
          aria-describedby={`${messageId}-hint${errors.message ? ` ${messageId}-error` : ""}`}
          {...register("message")}
        />
        {errors.message && (
          <p className="field__error" id={`${messageId}-error`}>
            {err(errors.message.message)}
          </p>
        )}
      </div>
      <div className={["field", errors.internal_note ? "field--invalid" : ""].join(" ")}>
        <label className="field__label" htmlFor={noteId}>
          {t("review.decision.note")}
        </label>
        <p className="field__hint" id={`${noteId}-hint`}>
          {t("review.decision.noteHint", { max: NOTE_MAX })}
        </p>
        <textarea
          id={noteId}
          className="field__input field__textarea"
          rows={3}
          aria-invalid={errors.internal_note ? true : undefined}
          aria-describedby={`${noteId}-hint${errors.internal_note ? ` ${noteId}-error` : ""}`}
          {...register("internal_note")}
        />
        {errors.internal_note && (
          <p className="field__error" id={`${noteId}-error`}>
            {err(errors.internal_note.message)}
          </p>
        )}
      </div>
      <div className="actions">
        <Button type="submit" busy={formState.isSubmitting}>
          {decision === "approve"
            ? t("review.decision.submitApprove")
            : isFinalRejection({ decision, reject_type: rejectType }) && !proposalPending
              ? t("review.decision.submitPropose")
              : t("review.decision.submit")}
        </Button>
      </div>
    </form>
  );
}

interface ReasonRowProps {
  index: number;
  steps: StepKind[];
  shape: CaseShape;
  control: Control<DecisionValues>;
  setValue: UseFormSetValue<DecisionValues>;
  errors: FieldErrors<DecisionValues>;
  onRemove: () => void;
}

function ReasonRow({ index, steps, shape, control, setValue, errors, onRemove }: ReasonRowProps) {
  const { t, fieldText, reasonText } = useReviewI18n();
  const labels = useLabels();
  const id = useId();
  const step = useWatch({ control, name: `reasons.${index}.step` });
  const code = useWatch({ control, name: `reasons.${index}.code` });
  const paths = useWatch({ control, name: `reasons.${index}.field_paths` });
  const rowErrors = errors.reasons?.[index];
  const applicantText = code ? reasonText(code) : null;

  return (
    <fieldset className="reason-row" data-testid={`reason-${String(index)}`}>
      <legend className="reason-row__title">{t("review.decision.reasonN", { n: index + 1 })}</legend>
      <div className="reason-row__selects">
        <div className="field">
          <label className="field__label" htmlFor={`${id}-step`}>
            {t("review.decision.step")}
          </label>
          <Controller
            control={control}
            name={`reasons.${index}.step`}
            render={({ field }) => (
              <select
                id={`${id}-step`}
                className="field__input"
                ref={field.ref}
                name={field.name}
                value={field.value}
                onBlur={field.onBlur}
                onChange={(e) => {
                  const next = e.target.value as StepKind;
                  field.onChange(next);
                  // Keep only what still belongs to the new step; a code the step does not offer is cleared.
                  setValue(`reasons.${index}.field_paths`, keepPaths(next, paths));
                  if (!reasonChoices(next).includes(code)) setValue(`reasons.${index}.code`, "");
                }}
              >
                {steps.map((st) => (
                  <option key={st} value={st}>
                    {labels.step(st)}
                  </option>
                ))}
              </select>
            )}
          />
        </div>
        <div className={["field", rowErrors?.code ? "field--invalid" : ""].join(" ")}>
          <label className="field__label" htmlFor={`${id}-code`}>
            {t("review.decision.reason")}
          </label>
          <Controller
            control={control}
            name={`reasons.${index}.code`}
            render={({ field }) => (
              <select
                id={`${id}-code`}
                className="field__input"
                aria-invalid={rowErrors?.code ? true : undefined}
                aria-describedby={rowErrors?.code ? `${id}-code-error` : applicantText ? `${id}-code-hint` : undefined}
                ref={field.ref}
                name={field.name}
                value={field.value}
                onBlur={field.onBlur}
                onChange={(e) => {
                  field.onChange(e.target.value);
                }}
              >
                <option value="">{t("field.choose")}</option>
                {reasonChoices(step, code).map((c) => (
                  <option key={c} value={c}>
                    {labels.reason(c)}
                  </option>
                ))}
              </select>
            )}
          />
          {rowErrors?.code?.message && (
            <p className="field__error" id={`${id}-code-error`}>
              {fieldText(rowErrors.code.message)}
            </p>
          )}
          {applicantText && !rowErrors?.code && (
            <p className="field__hint" id={`${id}-code-hint`}>
              {t("review.decision.applicantReads", { text: applicantText.title })}
            </p>
          )}
        </div>
      </div>
      <Controller
        control={control}
        name={`reasons.${index}.field_paths`}
        render={({ field }) => (
          <fieldset className="fieldset field" aria-invalid={rowErrors?.field_paths ? true : undefined}>
            <legend className="field__label">{t("review.decision.fields")}</legend>
            <div className="checks-row">
              {fieldPathChoices(step, shape).map((p) => (
                <label key={p} className="checkbox">
                  <input
                    type="checkbox"
                    name={field.name}
                    value={p}
                    checked={field.value.includes(p)}
                    onChange={(e) => {
                      field.onChange(e.target.checked ? [...field.value, p] : field.value.filter((x) => x !== p));
                    }}
                    onBlur={field.onBlur}
                  />
                  {labels.field(p)}
                </label>
              ))}
            </div>
            {rowErrors?.field_paths?.message && <p className="field__error">{fieldText(rowErrors.field_paths.message)}</p>}
          </fieldset>
        )}
      />
      <Button variant="link" onClick={onRemove}>
        {t("review.decision.removeReason", { n: index + 1 })}
      </Button>
    </fieldset>
  );
}
