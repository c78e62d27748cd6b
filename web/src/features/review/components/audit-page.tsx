import { Link } from "react-router";
import { usePageTitle } from "@/components/page-title";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useReviewI18n } from "../i18n";
import type { AuditEntry } from "../api/review-api";
import { useAudit } from "../hooks/use-audit";
import { ConsoleShell, ProblemAlert, shortId, useDateTime } from "./common";
import { useLabels } from "./labels";

/** /review/audit: the reviewer's own actions, newest first. */
export function AuditPage() {
  const { t } = useReviewI18n();
  const { state, loadMore } = useAudit();
  usePageTitle(t("review.audit.title"));
  return (
    <ConsoleShell title={t("review.audit.title")}>
      <p className="lead">{t("review.audit.intro")}</p>
      {state.status === "loading" && <Spinner label={t("review.audit.loading")} />}
      {state.status === "error" && <ProblemAlert problem={state.problem} />}
      {state.status === "ready" && (
        <>
          {state.items.length === 0 ? (
            <p>{t("review.audit.empty")}</p>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-label={t("review.audit.title")}>
              <table className="audit" data-testid="audit">
                <thead>
                  <tr>
                    <th scope="col">{t("review.audit.when")}</th>
                    <th scope="col">{t("review.audit.action")}</th>
                    <th scope="col">{t("review.audit.subject")}</th>
                    <th scope="col">{t("review.audit.details")}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.items.map((e) => (
                    <AuditRow key={e.id} entry={e} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {typeof state.more === "object" && <ProblemAlert problem={state.more} />}
          {state.next !== null && (
            <Button variant="secondary" busy={state.more === "loading"} onClick={loadMore}>
              {t("review.queue.loadMore")}
            </Button>
          )}
        </>
      )}
    </ConsoleShell>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const { t } = useReviewI18n();
  const labels = useLabels();
  const when = useDateTime();
  const d = entry.details as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.attempt === "number") parts.push(t("review.audit.attempt", { n: d.attempt }));
  if (typeof d.decision === "string") parts.push(d.decision === "approve" ? t("review.decision.approve") : t("review.decision.reject"));
  if (typeof d.reject_type === "string") parts.push(d.reject_type === "final" ? t("review.decision.final") : t("review.decision.retry"));
  if (Array.isArray(d.reason_codes) && d.reason_codes.length > 0) parts.push(d.reason_codes.map((c) => labels.reason(String(c))).join(", "));
  return (
    <tr data-testid="audit-entry" data-action={entry.action} data-subject={entry.subject_id}>
      <td>{when(entry.occurred_at)}</td>
      <td>{labels.action(entry.action)}</td>
      <td>{entry.subject_type === "verification" ? <Link to={`/review/cases/${entry.subject_id}`}>{shortId(entry.subject_id)}</Link> : labels.subject(entry.subject_type)}</td>
      <td>{parts.join(" · ")}</td>
    </tr>
  );
}
