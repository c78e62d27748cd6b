import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { useReviewI18n } from "../i18n";
import type { ApiProblem } from "@/lib/api/result";
import { claimCase, releaseCase, type CaseSummary } from "../api/review-api";
import { ProblemAlert, useTime } from "./common";

/** Who holds the case and until when; claim, renew or release it. */
export function ClaimBar({ id, review, onChange }: { id: string; review: CaseSummary; onChange: () => void }) {
  const { t } = useReviewI18n();
  const time = useTime();
  const [busy, setBusy] = useState<"claim" | "release" | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const claim = review.claim;
  const mine = claim?.mine === true;

  // When a claim runs out, show the case as it then is (free, or someone else's).
  const expiresAt = claim?.expires_at;
  useEffect(() => {
    if (!expiresAt) return;
    const timer = window.setTimeout(onChange, Math.max(1_000, Date.parse(expiresAt) - Date.now() + 1_000));
    return () => {
      window.clearTimeout(timer);
    };
  }, [expiresAt, onChange]);

  const run = async (what: "claim" | "release") => {
    setBusy(what);
    setProblem(null);
    const r = what === "claim" ? await claimCase(id) : await releaseCase(id);
    setBusy(null);
    if (!r.ok) setProblem(r.problem);
    onChange();
  };

  return (
    <div className="claim-bar" data-testid="claim-bar" data-claim={!claim ? "free" : mine ? "mine" : "other"}>
      <p className="claim-bar__status" role="status">
        {!claim
          ? t("review.claim.free")
          : mine
            ? t("review.claim.mineUntil", { time: time(claim.expires_at) })
            : t("review.claim.otherUntil", { time: time(claim.expires_at) })}
      </p>
      <div className="claim-bar__actions">
        {review.state !== "decided" && (
          <Button variant={mine ? "secondary" : "primary"} busy={busy === "claim"} onClick={() => void run("claim")}>
            {mine ? t("review.claim.renew") : t("review.claim.claim")}
          </Button>
        )}
        {mine && (
          <Button variant="secondary" busy={busy === "release"} onClick={() => void run("release")}>
            {t("review.claim.release")}
          </Button>
        )}
      </div>
      {problem && <ProblemAlert problem={problem} />}
    </div>
  );
}
