import { useCallback, useEffect, useRef, useState } from "react";
import type { ApiProblem } from "@/lib/api/result";
import type { Verification } from "@/lib/api/types";
import { getCurrent } from "../api/verification-api";
import { isWaiting } from "../lib/state";

export type VerificationState =
  | { status: "loading" }
  | { status: "ready"; verification: Verification | null }
  | { status: "error"; problem: ApiProblem };

/** How often the page asks again while the server works on a submission. */
export const POLL_MS = 3000;

/**
 * The caller's current verification (null when none was started). While it is submitted or in
 * review, asks again every few seconds (not while the tab is hidden) so the page follows it.
 */
export function useVerification(): {
  state: VerificationState;
  reload: () => void;
  replace: (v: Verification) => void;
} {
  const [state, setState] = useState<VerificationState>({ status: "loading" });
  const [tick, setTick] = useState(0);
  const first = useRef(true);

  useEffect(() => {
    const controller = new AbortController();
    getCurrent(controller.signal).then(
      (result) => {
        first.current = false;
        if (result.ok) setState({ status: "ready", verification: result.data });
        else if (result.problem.kind === "api" && result.problem.status === 404) setState({ status: "ready", verification: null });
        else setState({ status: "error", problem: result.problem });
      },
      () => {
        // Aborted: the page went away or asked again.
      },
    );
    return () => {
      controller.abort();
    };
  }, [tick]);

  const waiting = state.status === "ready" && isWaiting(state.verification);
  useEffect(() => {
    if (!waiting) return;
    let timer: number | undefined;
    const schedule = () => {
      timer = window.setTimeout(() => {
        if (document.hidden) schedule();
        else setTick((n) => n + 1);
      }, POLL_MS);
    };
    schedule();
    return () => {
      window.clearTimeout(timer);
    };
  }, [waiting, state]);

  const reload = useCallback(() => {
    setState({ status: "loading" });
    setTick((n) => n + 1);
  }, []);

  const replace = useCallback((verification: Verification) => {
    setState({ status: "ready", verification });
  }, []);

  return { state, reload, replace };
}
