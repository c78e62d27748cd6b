// Small pieces shared by the console's pages.
import type { ReactNode } from "react";
import { NavLink } from "react-router";
import { Alert } from "@/components/ui/alert";
import { useReviewI18n } from "../i18n";
import type { ApiProblem } from "@/lib/api/result";
import { waitingDuration } from "../lib/time";
import "../review.css";

/** An API problem in words (with the wait the server asked for). */
export function ProblemAlert({ problem }: { problem: ApiProblem }) {
  const { t, errorText } = useReviewI18n();
  if (problem.kind === "network") return <Alert>{t("error.network")}</Alert>;
  return (
    <Alert>
      {errorText(problem.error.code, problem.error.message)}
      {problem.retryAfter !== undefined && <> {t("error.retryAfter", { seconds: problem.retryAfter })}</>}
    </Alert>
  );
}

/** The console's own navigation: the queue and one's own actions. */
export function ConsoleShell({ title, children }: { title: ReactNode; children: ReactNode }) {
  const { t } = useReviewI18n();
  return (
    <section className="card console" aria-labelledby="console-title">
      <nav className="console-nav" aria-label={t("review.nav.label")}>
        <NavLink to="/review" end>
          {t("review.nav.queue")}
        </NavLink>
        <NavLink to="/review/audit">{t("review.nav.audit")}</NavLink>
      </nav>
      <h1 id="console-title">{title}</h1>
      {children}
    </section>
  );
}

export function useWaiting(): (seconds: number) => string {
  const { t } = useReviewI18n();
  return (seconds) => {
    const d = waitingDuration(seconds);
    return t(`review.waiting.${d.unit}`, { n: d.value });
  };
}

export function useDateTime(): (iso: string) => string {
  const { locale } = useReviewI18n();
  return (iso) => new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

export function useTime(): (iso: string) => string {
  const { locale } = useReviewI18n();
  return (iso) => new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
}

export const shortId = (id: string): string => id.slice(0, 8);
