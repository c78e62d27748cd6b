import { useCallback, useEffect, useState } from "react";
import type { ApiProblem } from "@/lib/api/result";
import { listAudit, type AuditEntry } from "../api/review-api";

export type AuditState =
  | { status: "loading" }
  | { status: "ready"; items: AuditEntry[]; next: string | null; more: "idle" | "loading" | ApiProblem }
  | { status: "error"; problem: ApiProblem };

/** The caller's own actions, newest first, a page at a time. */
export function useAudit(): { state: AuditState; loadMore: () => void } {
  const [state, setState] = useState<AuditState>({ status: "loading" });

  useEffect(() => {
    const controller = new AbortController();
    listAudit(undefined, controller.signal).then(
      (r) => {
        setState(r.ok ? { status: "ready", items: r.data.items, next: r.data.next_cursor ?? null, more: "idle" } : { status: "error", problem: r.problem });
      },
      () => {
        // Aborted.
      },
    );
    return () => {
      controller.abort();
    };
  }, []);

  const loadMore = useCallback(() => {
    if (state.status !== "ready" || state.next === null || state.more === "loading") return;
    const cursor = state.next;
    setState({ ...state, more: "loading" });
    void listAudit(cursor).then((r) => {
      setState((s) => {
        if (s.status !== "ready") return s;
        if (!r.ok) return { ...s, more: r.problem };
        return { status: "ready", items: [...s.items, ...r.data.items], next: r.data.next_cursor ?? null, more: "idle" };
      });
    });
  }, [state]);

  return { state, loadMore };
}
