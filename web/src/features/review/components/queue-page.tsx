import { Link, useSearchParams } from "react-router";
import { usePageTitle } from "@/components/page-title";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useReviewI18n } from "../i18n";
import type { QueueItem } from "../api/review-api";
import { useQueue } from "../hooks/use-queue";
import { DOCUMENT_TYPES, filtersFromParams, filtersToParams, NO_FILTERS, WAITING_CHOICES, type QueueFilters } from "../lib/queue-filters";
import { ConsoleShell, ProblemAlert, shortId, useTime, useWaiting } from "./common";
import { useLabels } from "./labels";

/** /review: cases waiting for a decision, oldest first, with filters kept in the URL. */
export function QueuePage() {
  const { t } = useReviewI18n();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const { state, loadMore, reload } = useQueue(filters);
  usePageTitle(t("review.queue.title"));

  const set = (patch: Partial<QueueFilters>) => {
    setParams(filtersToParams({ ...filters, ...patch }), { replace: true });
  };

  return (
    <ConsoleShell title={t("review.queue.title")}>
      <p className="lead">{t("review.queue.intro")}</p>
      <Filters filters={filters} onChange={set} onClear={() => { setParams(filtersToParams(NO_FILTERS), { replace: true }); }} />
      <div className="queue__bar">
        <Button variant="secondary" onClick={reload}>
          {t("review.queue.refresh")}
        </Button>
      </div>
      {state.status === "loading" && <Spinner label={t("review.queue.loading")} />}
      {state.status === "error" && <ProblemAlert problem={state.problem} />}
      {state.status === "ready" && (
        <>
          <p className="muted" role="status" data-testid="queue-count">
            {t("review.queue.count", { count: state.items.length })}
            {state.next !== null && ` ${t("review.queue.moreAvailable")}`}
          </p>
          {state.items.length === 0 ? (
            <p data-testid="queue-empty">{t("review.queue.empty")}</p>
          ) : (
            <ul className="queue" data-testid="queue">
              {state.items.map((item) => (
                <QueueRow key={item.verification_id} item={item} />
              ))}
            </ul>
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

function Filters({ filters, onChange, onClear }: { filters: QueueFilters; onChange: (p: Partial<QueueFilters>) => void; onClear: () => void }) {
  const { t } = useReviewI18n();
  const labels = useLabels();
  return (
    <form className="filters" aria-label={t("review.filters.label")} onSubmit={(e) => { e.preventDefault(); }}>
      <label className="filter">
        <span>{t("review.filters.state")}</span>
        <select value={filters.state} onChange={(e) => { onChange({ state: e.target.value as QueueFilters["state"] }); }}>
          <option value="">{t("review.filters.any")}</option>
          <option value="open">{t("review.state.open")}</option>
          <option value="awaiting_second">{t("review.state.awaiting_second")}</option>
        </select>
      </label>
      <label className="filter">
        <span>{t("review.filters.country")}</span>
        <input
          key={filters.country}
          defaultValue={filters.country}
          maxLength={2}
          size={4}
          autoCapitalize="characters"
          placeholder="DE"
          onBlur={(e) => { onChange({ country: e.target.value.trim().toUpperCase() }); }}
          onKeyDown={(e) => { if (e.key === "Enter") onChange({ country: e.currentTarget.value.trim().toUpperCase() }); }}
        />
      </label>
      <label className="filter">
        <span>{t("review.filters.documentType")}</span>
        <select value={filters.document_type} onChange={(e) => { onChange({ document_type: e.target.value as QueueFilters["document_type"] }); }}>
          <option value="">{t("review.filters.any")}</option>
          {DOCUMENT_TYPES.map((d) => (
            <option key={d} value={d}>
              {labels.documentType(d)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span>{t("review.filters.flag")}</span>
        <input
          key={filters.flag}
          defaultValue={filters.flag}
          placeholder="duplicate_identity"
          onBlur={(e) => { onChange({ flag: e.target.value.trim() }); }}
          onKeyDown={(e) => { if (e.key === "Enter") onChange({ flag: e.currentTarget.value.trim() }); }}
        />
      </label>
      <label className="filter">
        <span>{t("review.filters.waiting")}</span>
        <select value={filters.waiting} onChange={(e) => { onChange({ waiting: e.target.value as QueueFilters["waiting"] }); }}>
          {WAITING_CHOICES.map((w) => (
            <option key={w} value={w}>
              {w === "" ? t("review.filters.any") : t(`review.filters.waiting.${w}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span>{t("review.filters.claimed")}</span>
        <select value={filters.claimed} onChange={(e) => { onChange({ claimed: e.target.value as QueueFilters["claimed"] }); }}>
          <option value="">{t("review.filters.any")}</option>
          <option value="free">{t("review.filters.free")}</option>
          <option value="claimed">{t("review.filters.claimedOnly")}</option>
        </select>
      </label>
      <Button variant="link" onClick={onClear}>
        {t("review.filters.clear")}
      </Button>
    </form>
  );
}

function QueueRow({ item }: { item: QueueItem }) {
  const { t } = useReviewI18n();
  const labels = useLabels();
  const waiting = useWaiting();
  const time = useTime();
  const claim = item.claim;
  return (
    <li className="queue__item" data-testid="queue-item" data-id={item.verification_id}>
      <div className="queue__head">
        <Link to={`/review/cases/${item.verification_id}`} className="queue__link">
          {t("review.case.title", { id: shortId(item.verification_id) })}
        </Link>
        <span className={`chip chip--${item.state}`}>{t(`review.state.${item.state}`)}</span>
      </div>
      <dl className="queue__facts">
        <div>
          <dt>{t("review.queue.document")}</dt>
          <dd>
            {item.country ?? "—"} · {labels.documentType(item.document_type)}
          </dd>
        </div>
        <div>
          <dt>{t("review.queue.attempt")}</dt>
          <dd>{item.attempt}</dd>
        </div>
        <div>
          <dt>{t("review.queue.waiting")}</dt>
          <dd>{waiting(item.waiting_seconds)}</dd>
        </div>
        <div>
          <dt>{t("review.queue.claim")}</dt>
          <dd data-testid="queue-claim">
            {!claim ? t("review.claim.free") : claim.mine ? t("review.claim.mineUntil", { time: time(claim.expires_at) }) : t("review.claim.otherUntil", { time: time(claim.expires_at) })}
          </dd>
        </div>
      </dl>
      {item.flags.length > 0 && (
        <ul className="tags" aria-label={t("review.queue.flags")}>
          {item.flags.map((f) => (
            <li key={f} className="tag tag--flag" title={f}>
              {labels.flag(f)}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
