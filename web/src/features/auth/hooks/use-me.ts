import { useCallback, useEffect, useState } from "react";
import type { ApiProblem } from "@/lib/api/result";
import type { Me } from "@/lib/api/types";
import { getMe } from "../api/auth-api";

export type MeState = { status: "loading" } | { status: "ready"; me: Me } | { status: "error"; problem: ApiProblem };

/** GET /api/v1/me for the signed-in user, with a way to try again. */
export function useMe(): { state: MeState; reload: () => void } {
  const [state, setState] = useState<MeState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    getMe(controller.signal).then(
      (result) => {
        setState(result.ok ? { status: "ready", me: result.data } : { status: "error", problem: result.problem });
      },
      () => {
        // Aborted because the page went away: nothing to show.
      },
    );
    return () => {
      controller.abort();
    };
  }, [attempt]);

  const reload = useCallback(() => {
    setState({ status: "loading" });
    setAttempt((n) => n + 1);
  }, []);

  return { state, reload };
}
