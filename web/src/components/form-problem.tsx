import { useI18n } from "@/i18n";
import type { FormProblem } from "@/lib/form/server-errors";
import { Alert } from "./ui/alert";

/** The form-level error, translated through the error-code map. */
export function FormProblemAlert({ problem }: { problem: FormProblem | null }) {
  const { t, errorText, fieldText } = useI18n();
  if (problem === null) return null;
  if (problem.kind === "network") return <Alert>{t("error.network")}</Alert>;
  return (
    <Alert>
      <p>
        {errorText(problem.code, problem.message)}
        {problem.retryAfter !== undefined && <> {t("error.retryAfter", { seconds: problem.retryAfter })}</>}
      </p>
      {problem.fields.length > 0 && (
        <ul>
          {problem.fields.map((f) => (
            <li key={`${f.field}:${f.code}`}>{fieldText(f.code) === f.code ? f.message : fieldText(f.code)}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
