import { useEffect, useState } from "react";
import type { ApiProblem } from "@/lib/api/result";
import type { Country, Level } from "@/lib/api/types";
import { getCountries, getLevels } from "../api/verification-api";

export type CatalogueState =
  | { status: "loading" }
  | { status: "ready"; countries: Country[]; levels: Level[] }
  | { status: "error"; problem: ApiProblem };

/** The public catalogue: countries with their documents, and the levels. */
export function useCatalogue(): CatalogueState {
  const [state, setState] = useState<CatalogueState>({ status: "loading" });
  useEffect(() => {
    let live = true;
    void Promise.all([getCountries(), getLevels()]).then(([c, l]) => {
      if (!live) return;
      if (!c.ok) setState({ status: "error", problem: c.problem });
      else if (!l.ok) setState({ status: "error", problem: l.problem });
      else setState({ status: "ready", countries: c.data.countries, levels: l.data.levels });
    });
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** The default level's entry, or a named one (for the home page's "level" line). */
export function useLevels(): Level[] | null {
  const [levels, setLevels] = useState<Level[] | null>(null);
  useEffect(() => {
    let live = true;
    void getLevels().then((r) => {
      if (live && r.ok) setLevels(r.data.levels);
    });
    return () => {
      live = false;
    };
  }, []);
  return levels;
}
