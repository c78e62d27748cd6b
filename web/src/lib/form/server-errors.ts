// Puts an API error onto a react-hook-form form: each `error.fields[]` entry lands on the
// field it names; whatever no field can show becomes the form-level problem.
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import type { ApiProblem } from "@/lib/api/result";
import { FIELD_ERROR_CODES, type ApiFieldError, type ErrorCode } from "@/lib/api/types";

/** Shown above the form; the UI translates it through the error-code map. */
export type FormProblem =
  | { kind: "network" }
  | { kind: "api"; code: string; message: string; retryAfter?: number; fields: ApiFieldError[] };

export interface ServerErrorOptions<T extends FieldValues> {
  /** The form's fields, named as the API names them. */
  fields: readonly Path<T>[];
  /** Error codes that concern one field although the server names none (e.g. email_taken → email). */
  codeFields?: Partial<Record<ErrorCode, Path<T>>>;
}

/** An API problem as a form-level problem (for pages without fields, or nothing to place). */
export function toFormProblem(problem: ApiProblem, fields: ApiFieldError[] = []): FormProblem {
  if (problem.kind === "network") return { kind: "network" };
  return {
    kind: "api",
    code: problem.error.code,
    message: problem.error.message,
    fields,
    ...(problem.retryAfter === undefined ? {} : { retryAfter: problem.retryAfter }),
  };
}

const isFieldCode = (code: string): boolean => (FIELD_ERROR_CODES as readonly string[]).includes(code);

/**
 * Applies `problem` to the form. Field messages are stored as codes (translated when shown), or
 * as the server's text for codes this client does not know. Returns the form-level problem, or
 * null when the fields already say everything.
 */
export function applyServerErrors<T extends FieldValues>(
  problem: ApiProblem,
  setError: UseFormSetError<T>,
  { fields, codeFields = {} }: ServerErrorOptions<T>,
): FormProblem | null {
  if (problem.kind === "network") return { kind: "network" };
  const { error } = problem;
  const known = new Set<string>(fields);
  const placed = new Set<string>();
  const unplaced: ApiFieldError[] = [];

  const place = (field: Path<T>, message: string) => {
    setError(field, { type: "server", message }, { shouldFocus: placed.size === 0 });
    placed.add(field);
  };

  for (const fieldError of error.fields ?? []) {
    if (!known.has(fieldError.field)) {
      unplaced.push(fieldError);
    } else if (!placed.has(fieldError.field)) {
      // The first error of a field wins: one message per field.
      place(fieldError.field as Path<T>, isFieldCode(fieldError.code) ? fieldError.code : fieldError.message);
    }
  }

  const codeField = (codeFields as Partial<Record<string, Path<T>>>)[error.code];
  if (placed.size === 0 && unplaced.length === 0 && codeField !== undefined) {
    place(codeField, error.code);
  }

  if (placed.size > 0 && unplaced.length === 0) return null;
  return toFormProblem(problem, unplaced);
}
