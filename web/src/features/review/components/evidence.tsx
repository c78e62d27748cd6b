// The evidence of a case: entered vs read data, the checks, the earlier attempts.
import { useReviewI18n } from "../i18n";
import type { AttemptView, CheckView, ComparisonRow, DecisionRecord } from "../api/review-api";
import { countMarks, markRows, MARK_SYMBOL } from "../lib/comparison";
import { useDateTime } from "./common";
import { useLabels } from "./labels";

/** Entered vs read, side by side; a difference says so in words, not only in colour. */
export function ComparisonTable({ rows }: { rows: readonly ComparisonRow[] }) {
  const { t } = useReviewI18n();
  const labels = useLabels();
  const counts = countMarks(rows);
  if (rows.length === 0) return <p className="muted">{t("review.compare.none")}</p>;
  return (
    <>
      <p className="muted" data-testid="compare-summary">
        {t("review.compare.summary", { mismatch: counts.mismatch, match: counts.match, unavailable: counts.unavailable })}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t("review.compare.title")}>
        <table className="compare" data-testid="comparison">
          <caption className="visually-hidden">{t("review.compare.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("review.compare.field")}</th>
              <th scope="col">{t("review.compare.entered")}</th>
              <th scope="col">{t("review.compare.extracted")}</th>
              <th scope="col">{t("review.compare.verdict")}</th>
            </tr>
          </thead>
          <tbody>
            {markRows(rows).map((row) => (
              <tr key={row.field} className={`compare__row compare__row--${row.mark}`} data-testid={`compare-${row.field}`} data-verdict={row.mark}>
                <th scope="row">{labels.field(row.field)}</th>
                <td>{row.entered ?? "—"}</td>
                <td>{row.extracted ?? "—"}</td>
                <td>
                  <span className={`verdict verdict--${row.mark}`}>
                    <span aria-hidden="true">{MARK_SYMBOL[row.mark]} </span>
                    {t(`review.verdict.${row.mark}`)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Plain key: value lines of a check's measurements (nested values as compact JSON). */
function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return null;
  return (
    <dl className="details-list">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ChecksList({ checks }: { checks: readonly CheckView[] }) {
  const { t } = useReviewI18n();
  const labels = useLabels();
  if (checks.length === 0) return <p className="muted">{t("review.checks.none")}</p>;
  return (
    <ul className="checks" data-testid="checks">
      {checks.map((c, i) => (
        <li key={`${c.kind}-${String(i)}`} className={`check check--${c.result}`} data-testid={`check-${c.kind}`} data-result={c.result}>
          <div className="check__head">
            <strong>{labels.check(c.kind)}</strong>
            <span className={`chip chip--${c.result}`}>{labels.result(c.result)}</span>
            {c.score !== null && c.score !== undefined && <span className="muted">{t("review.checks.score", { score: c.score.toFixed(3) })}</span>}
          </div>
          {c.reasons.length > 0 && (
            <ul className="check__reasons">
              {c.reasons.map((r, j) => (
                <li key={`${r.code}-${String(j)}`}>
                  {labels.reason(r.code)} ({labels.step(r.step)}
                  {r.field_paths.length > 0 && `: ${r.field_paths.map(labels.field).join(", ")}`})
                </li>
              ))}
            </ul>
          )}
          <details className="check__details">
            <summary>{t("review.checks.details")}</summary>
            <Details details={c.details as Record<string, unknown>} />
          </details>
        </li>
      ))}
    </ul>
  );
}

/** A decision's reasons, message and internal note as a reviewer sees them. */
export function DecisionSummary({ decision }: { decision: DecisionRecord }) {
  const { t } = useReviewI18n();
  const labels = useLabels();
  const when = useDateTime();
  return (
    <div className="decision-summary">
      <p>
        <strong>
          {decision.decision === "approve"
            ? t("review.decision.approved")
            : decision.reject_type === "final"
              ? t("review.decision.rejectedFinal")
              : t("review.decision.rejectedRetry")}
        </strong>{" "}
        <span className="muted">
          {when(decision.decided_at)} · {decision.decided_by ? t("review.decision.byReviewer") : t("review.decision.byRules")}
        </span>
      </p>
      {decision.reasons.length > 0 && (
        <ul>
          {decision.reasons.map((r, i) => (
            <li key={`${r.code}-${String(i)}`}>
              {labels.reason(r.code)} ({labels.step(r.step)}
              {(r.field_paths ?? []).length > 0 && `: ${(r.field_paths ?? []).map(labels.field).join(", ")}`})
            </li>
          ))}
        </ul>
      )}
      {decision.message && (
        <p>
          <strong>{t("review.decision.messageLabel")}:</strong> {decision.message}
        </p>
      )}
      {decision.internal_note && (
        <p>
          <strong>{t("review.decision.noteLabel")}:</strong> {decision.internal_note}
        </p>
      )}
    </div>
  );
}

export function History({ attempts }: { attempts: readonly AttemptView[] }) {
  const { t } = useReviewI18n();
  const labels = useLabels();
  const when = useDateTime();
  if (attempts.length === 0) return <p className="muted">{t("review.history.none")}</p>;
  return (
    <ol className="history" data-testid="history">
      {attempts.map((a) => (
        <li key={a.attempt} className="history__item">
          <h3 className="history__title">{t("review.history.attempt", { n: a.attempt })}</h3>
          <p className="muted">
            {t("review.history.submitted", { when: when(a.submitted_at) })}
            {a.outcome && ` · ${labels.status(a.outcome)}`}
          </p>
          {a.decision && <DecisionSummary decision={a.decision} />}
          {a.checks.length > 0 && (
            <details>
              <summary>{t("review.history.checks", { count: a.checks.length })}</summary>
              <ChecksList checks={a.checks} />
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
