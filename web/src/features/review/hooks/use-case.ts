import { useCallback, useEffect, useState } from "react";
import type { ApiProblem } from "@/lib/api/result";
import { getCase, type CaseView } from "../api/review-api";
import { urlRefreshDelay } from "../lib/time";

export type CaseState =
  | { status: "loading" }
  | { status: "ready"; data: CaseView; loadedAt: number }
  | { status: "error"; problem: ApiProblem };

/**
 * The case view. The images' presigned URLs live a few minutes, so the case is fetched again
 * shortly before the first one expires (not while the tab is hidden: then on return).
 */
export function useCase(id: string): { state: CaseState; reload: () => void } {
  const [state, setState] = useState<CaseState>({ status: "loading" });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    getCase(id, controller.signal).then(
      (r) => {
        // A failed refetch keeps the case on screen only if it has one; otherwise shows the error.
        setState((s) => (r.ok ? { status: "ready", data: r.data, loadedAt: Date.now() } : s.status === "ready" && r.problem.kind === "network" ? s : { status: "error", problem: r.problem }));
      },
      () => {
        // Aborted.
      },
    );
    return () => {
      controller.abort();
    };
  }, [id, tick]);

  const expiries = state.status === "ready" ? state.data.images.map((i) => i.url_expires_at).join(",") : "";
  useEffect(() => {
    if (expiries === "") return;
    const delay = urlRefreshDelay(expiries.split(","), Date.now());
    if (delay === null) return;
    const refresh = () => {
      if (document.hidden) {
        const onVisible = () => {
          document.removeEventListener("visibilitychange", onVisible);
          setTick((n) => n + 1);
        };
        document.addEventListener("visibilitychange", onVisible);
        return;
      }
      setTick((n) => n + 1);
    };
    const timer = window.setTimeout(refresh, delay);
    return () => {
      window.clearTimeout(timer);
    };
  }, [expiries]);

  const reload = useCallback(() => {
    setTick((n) => n + 1);
  }, []);

  return { state, reload };
}
