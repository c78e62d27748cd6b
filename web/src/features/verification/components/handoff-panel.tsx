// Step 2 on a computer, "Continue on your phone": a one-time link as a QR code and as text,
// its expiry, and the phone's progress followed live; when the phone says it is done the
// wizard moves on by itself.
import { useEffect, useRef, useState } from "react";
import { FormProblemAlert } from "@/components/form-problem";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useI18n } from "@/i18n";
import type { HandoffLink, HandoffState, Verification } from "@/lib/api/types";
import { toFormProblem, type FormProblem } from "@/lib/form/server-errors";
import { createHandoff, getHandoff, getVerification } from "../api/handoff-api";

/** How often the computer asks about the phone. */
export const HANDOFF_POLL_MS = 2000;

interface HandoffPanelProps {
  v: Verification;
  /** The verification as the phone changed it (photos appear as they arrive). */
  onProgress: (v: Verification) => void;
  /** The phone said it is done. */
  onCompleted: (v: Verification) => void;
}

export function HandoffPanel({ v, onProgress, onCompleted }: HandoffPanelProps) {
  const { t, locale } = useI18n();
  const [link, setLink] = useState<HandoffLink | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [state, setState] = useState<HandoffState>("pending");
  const [copied, setCopied] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const made = useRef(-1);
  const callbacks = useRef({ onProgress, onCompleted });
  useEffect(() => {
    callbacks.current = { onProgress, onCompleted };
  });
  const id = v.id;

  // One link per request for one (StrictMode runs effects twice in development).
  useEffect(() => {
    if (made.current === attempt) return;
    made.current = attempt;
    setLink(null);
    setProblem(null);
    void createHandoff(id).then((r) => {
      if (r.ok) {
        setLink(r.data);
        setState("pending");
      } else setProblem(toFormProblem(r.problem));
    });
  }, [id, attempt]);

  const live = link !== null && (state === "pending" || state === "opened");
  useEffect(() => {
    if (!live) return;
    const controller = new AbortController();
    let timer: number | undefined;
    const tick = async () => {
      if (!document.hidden) {
        const s = await getHandoff(id, controller.signal);
        if (s.ok) {
          // The verification first: a finished state ends this loop (and aborts its requests).
          if (s.data.state === "opened" || s.data.state === "completed") {
            const fresh = await getVerification(id, controller.signal);
            if (fresh.ok) {
              if (s.data.state === "completed") callbacks.current.onCompleted(fresh.data);
              else callbacks.current.onProgress(fresh.data);
            }
          }
          setState(s.data.state);
          if (s.data.state !== "pending" && s.data.state !== "opened") return;
        }
      }
      timer = window.setTimeout(() => void tick().catch(() => undefined), HANDOFF_POLL_MS);
    };
    timer = window.setTimeout(() => void tick().catch(() => undefined), HANDOFF_POLL_MS);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [id, live]);

  if (problem) return <FormProblemAlert problem={problem} />;
  if (!link) return <Spinner label={t("handoff.making")} />;
  const until = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(new Date(link.expires_at));
  return (
    <div className="handoff" data-testid="handoff-panel" data-state={state}>
      {state === "pending" && (
        <>
          <p>{t("handoff.scan")}</p>
          <img className="handoff__qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(link.qr_svg)}`} alt={t("handoff.qrAlt")} width={232} height={232} />
          <label className="field__label" htmlFor="handoff-link">
            {t("handoff.linkLabel")}
          </label>
          <div className="handoff__link">
            <input id="handoff-link" className="field__input" readOnly value={link.url} onFocus={(e) => {
                e.currentTarget.select();
              }} />
            <Button
              variant="secondary"
              onClick={() => {
                void navigator.clipboard.writeText(link.url).then(() => {
                  setCopied(true);
                });
              }}
            >
              {t("handoff.copy")}
            </Button>
          </div>
          <p className="visually-hidden" role="status">
            {copied ? t("handoff.copied") : ""}
          </p>
          <p className="field__hint">{t("handoff.expires", { time: until })}</p>
          <p className="handoff__status" role="status">
            <span className="spinner spinner--small" aria-hidden="true" /> {t("handoff.waiting")}
          </p>
        </>
      )}
      {state === "opened" && <Alert tone="info">{t("handoff.opened")}</Alert>}
      {state === "completed" && <Alert tone="info">{t("handoff.completed")}</Alert>}
      {(state === "expired" || state === "cancelled") && (
        <>
          <Alert tone="info">{t("handoff.expired")}</Alert>
          <Button
            onClick={() => {
              setAttempt((n) => n + 1);
            }}
          >
            {t("handoff.newLink")}
          </Button>
        </>
      )}
    </div>
  );
}
