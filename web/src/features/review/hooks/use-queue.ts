import { useCallback, useEffect, useMemo, useState } from "react";
import type { ApiProblem } from "@/lib/api/result";
import { listCases, type QueueItem } from "../api/review-api";
import { toQuery, type QueueFilters } from "../lib/queue-filters";

export type QueueState =
  | { status: "loading" }
  | { status: "ready"; items: QueueItem[]; next: string | null; more: "idle" | "loading" | ApiProblem }
  | { status: "error"; problem: ApiProblem };

/** The queue for the filters, first page on every change; `loadMore` appends the next page. */
export function useQueue(filters: QueueFilters): { state: QueueState; loadMore: () => void; reload: () => void } {
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(filters);
  const request = `${key}#${String(tick)}`;
  // The answer remembers the request it belongs to; until the current one has answered, loading.
  const [answer, setState] = useState<{ request: string; state: QueueState }>({ request: "", state: { status: "loading" } });
  const state: QueueState = useMemo(() => (answer.request === request ? answer.state : { status: "loading" }), [answer, request]);

  useEffect(() => {
    const controller = new AbortController();
    listCases(toQuery(JSON.parse(key) as QueueFilters, Date.now()), controller.signal).then(
      (r) => {
        setState({
          request: `${key}#${String(tick)}`,
          state: r.ok ? { status: "ready", items: r.data.items, next: r.data.next_cursor ?? null, more: "idle" } : { status: "error", problem: r.problem },
        });
      },
      () => {
        // Aborted: the filters changed or the page went away.
      },
    );
    return () => {
      controller.abort();
    };
  }, [key, tick]);

  const loadMore = useCallback(() => {
    if (state.status !== "ready" || state.next === null || state.more === "loading") return;
    const cursor = state.next;
    setState({ request, state: { ...state, more: "loading" } });
    void listCases(toQuery(JSON.parse(key) as QueueFilters, Date.now(), cursor)).then((r) => {
      setState((a) => {
        const s = a.state;
        if (a.request !== request || s.status !== "ready") return a;
        if (!r.ok) return { request, state: { ...s, more: r.problem } };
        const seen = new Set(s.items.map((i) => i.verification_id));
        return {
          request,
          state: { status: "ready", items: [...s.items, ...r.data.items.filter((i) => !seen.has(i.verification_id))], next: r.data.next_cursor ?? null, more: "idle" },
        };
      });
    });
  }, [state, key, request]);

  const reload = useCallback(() => {
    setTick((n) => n + 1);
  }, []);

  return { state, loadMore, reload };
}
