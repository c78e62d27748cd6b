import { useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { usePageTitle } from "@/components/page-title";
import { Alert } from "@/components/ui/alert";
import { Spinner } from "@/components/ui/spinner";
import { useReviewI18n } from "../i18n";
import type { CaseView, DecisionResult } from "../api/review-api";
import { useCase } from "../hooks/use-case";
import { caseShape } from "../lib/case-shape";
import { ClaimBar } from "./claim-bar";
import { ConsoleShell, ProblemAlert, shortId, useDateTime } from "./common";
import { DecisionForm } from "./decision-form";
import { ChecksList, ComparisonTable, DecisionSummary, History } from "./evidence";
import { ImageViewer } from "./image-viewer";
import { useLabels } from "./labels";

/** /review/cases/:id — the evidence, the claim and the decision. */
export function CasePage({ me }: { me: string | null }) {
  const { t } = useReviewI18n();
  const { id = "" } = useParams();
  const { state, reload } = useCase(id);
  const [result, setResult] = useState<DecisionResult | null>(null);
  usePageTitle(t("review.case.title", { id: shortId(id) }));

  return (
    <ConsoleShell title={t("review.case.title", { id: shortId(id) })}>
      <p>
        <Link to="/review">{t("review.case.back")}</Link>
      </p>
      {state.status === "loading" && <Spinner label={t("review.case.loading")} />}
      {state.status === "error" && <ProblemAlert problem={state.problem} />}
      {state.status === "ready" && (
        <CaseBody
          data={state.data}
          me={me}
          result={result}
          reload={reload}
          onDecided={(r) => {
            setResult(r);
            reload();
          }}
        />
      )}
    </ConsoleShell>
  );
}

interface CaseBodyProps {
  data: CaseView;
  me: string | null;
  result: DecisionResult | null;
  reload: () => void;
  onDecided: (r: DecisionResult) => void;
}

function CaseBody({ data, me, result, reload, onDecided }: CaseBodyProps) {
  const { t } = useReviewI18n();
  const labels = useLabels();
  const when = useDateTime();
  const shape = useMemo(() => caseShape(data), [data]);
  const review = data.review;
  const mine = review?.claim?.mine === true;
  const open = review !== null && review !== undefined && review.state !== "decided";
  // The proposer of a pending final rejection cannot confirm it: another reviewer must.
  const ownProposal = review?.state === "awaiting_second" && me !== null && review.proposal?.decided_by === me;

  return (
    <div className="case" data-testid="case" data-status={data.status} data-case-state={review?.state ?? "none"}>
      <dl className="case__facts">
        <div>
          <dt>{t("review.case.status")}</dt>
          <dd data-testid="case-status">{t(`review.status.${data.status}`)}</dd>
        </div>
        <div>
          <dt>{t("review.queue.attempt")}</dt>
          <dd>{data.attempt}</dd>
        </div>
        <div>
          <dt>{t("review.case.level")}</dt>
          <dd>{data.level}</dd>
        </div>
        <div>
          <dt>{t("review.queue.document")}</dt>
          <dd>
            {data.country ?? "—"} · {labels.documentType(data.document_type)}
          </dd>
        </div>
        {data.submitted_at && (
          <div>
            <dt>{t("review.case.submitted")}</dt>
            <dd>{when(data.submitted_at)}</dd>
          </div>
        )}
      </dl>
      {review && review.flags.length > 0 && (
        <ul className="tags" aria-label={t("review.queue.flags")}>
          {review.flags.map((f) => (
            <li key={f} className="tag tag--flag" title={f}>
              {labels.flag(f)}
            </li>
          ))}
        </ul>
      )}

      {result && (
        <Alert tone="info">
          <span data-testid="decision-result" data-outcome={result.outcome}>
            {result.outcome === "awaiting_second_review" ? t("review.result.awaitingSecond") : t("review.result.decided", { status: t(`review.status.${result.verification_status}`) })}
          </span>
        </Alert>
      )}

      {review && open && !ownProposal && <ClaimBar id={data.verification_id} review={review} onChange={reload} />}
      {review?.state === "awaiting_second" && review.proposal && (
        <section className="proposal" aria-labelledby="proposal-title" data-testid="proposal">
          <h2 id="proposal-title" className="section-title">
            {t("review.proposal.title")}
          </h2>
          <p>{ownProposal ? t("review.proposal.yours") : t("review.proposal.body")}</p>
          <DecisionSummary decision={review.proposal} />
        </section>
      )}

      <section aria-labelledby="images-title">
        <h2 id="images-title" className="section-title">
          {t("review.case.images")}
        </h2>
        {data.images.length === 0 ? (
          <p className="muted">{t("review.case.noImages")}</p>
        ) : (
          <div className="viewers">
            {data.images.map((img) => (
              <ImageViewer key={img.id} image={img} />
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="compare-title">
        <h2 id="compare-title" className="section-title">
          {t("review.compare.title")}
        </h2>
        {data.extracted && (
          <p className="muted" data-testid="extracted-source">
            {t(data.extracted.valid ? "review.compare.sourceValid" : "review.compare.sourceInvalid", { source: data.extracted.source.toUpperCase() })}
          </p>
        )}
        <ComparisonTable rows={data.comparison} />
        {data.entered && (
          // Open at once when nothing was read to compare with: then this is the data to judge.
          <details className="details" open={data.comparison.length === 0}>
            <summary>{t("review.case.allEntered")}</summary>
            <dl className="case__facts">
              {Object.entries(data.entered).flatMap(([key, value]) => {
                if (!value) return [];
                if (typeof value === "object") {
                  return Object.entries(value)
                    .filter(([, v]) => v)
                    .map(([k, v]) => (
                      <div key={`address.${k}`}>
                        <dt>{labels.field(`address.${k}`)}</dt>
                        <dd>{String(v)}</dd>
                      </div>
                    ));
                }
                return [
                  <div key={key}>
                    <dt>{labels.field(key)}</dt>
                    <dd>{key === "document_type" ? labels.documentType(value) : value}</dd>
                  </div>,
                ];
              })}
            </dl>
          </details>
        )}
      </section>

      <section aria-labelledby="checks-title">
        <h2 id="checks-title" className="section-title">
          {t("review.checks.title")}
        </h2>
        <ChecksList checks={data.checks} />
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title" className="section-title">
          {t("review.history.title")}
        </h2>
        <History attempts={data.history} />
      </section>

      <section aria-labelledby="decision-title">
        <h2 id="decision-title" className="section-title">
          {t("review.decision.title")}
        </h2>
        {!open ? (
          <p data-testid="decision-closed">{t("review.decision.closed")}</p>
        ) : ownProposal ? (
          <p className="muted" data-testid="decision-own-proposal">
            {t("review.proposal.yours")}
          </p>
        ) : !mine ? (
          <p className="muted" data-testid="decision-needs-claim">
            {t("review.decision.claimFirst")}
          </p>
        ) : (
          <DecisionForm key={`${data.verification_id}-${String(data.attempt)}-${review.state}`} data={data} shape={shape} onDecided={onDecided} />
        )}
      </section>
    </div>
  );
}
