// Words for the console's codes: field paths, steps, checks, flags, audit actions.
import type { UiKey } from "@/i18n";
import { FIELD_LABEL as PERSONAL_FIELD_LABEL } from "@/i18n/field-labels";
import { useReviewI18n, type ReviewKey } from "../i18n";
import type { StepKind } from "@/lib/api/types";
import { flagParts } from "../lib/flags";
import { isDecisionReason } from "../lib/taxonomy";

const FIELD_LABEL: Record<string, UiKey | ReviewKey> = {
  ...PERSONAL_FIELD_LABEL,
  "images.front": "doc.side.front",
  "images.back": "doc.side.back",
  "images.selfie": "doc.side.selfie",
  liveness: "step.liveness",
};

const STEP_LABEL: Record<StepKind, UiKey> = {
  personal_info: "step.personal_info",
  document: "step.document",
  selfie: "step.selfie",
  liveness: "step.liveness",
};

const CHECK_LABEL: Record<string, UiKey | ReviewKey> = {
  quality: "review.check.quality",
  mrz: "review.check.mrz",
  barcode: "review.check.barcode",
  data_match: "review.check.data_match",
  expiry: "review.check.expiry",
  age: "review.check.age",
  duplicate: "review.check.duplicate",
  face_match: "review.check.face_match",
  liveness: "review.check.liveness",
};

const RESULT_LABEL: Record<string, UiKey | ReviewKey> = {
  pass: "review.result.pass",
  fail: "review.result.fail",
  inconclusive: "review.result.inconclusive",
};

const DOC_LABEL: Record<string, UiKey | ReviewKey> = {
  passport: "docType.passport",
  id_card: "docType.id_card",
  driving_licence: "docType.driving_licence",
  residence_permit: "docType.residence_permit",
};

const ACTION_LABEL: Record<string, UiKey | ReviewKey> = {
  "review.case_viewed": "review.action.case_viewed",
  "review.claimed": "review.action.claimed",
  "review.released": "review.action.released",
  "review.final_rejection_proposed": "review.action.final_rejection_proposed",
  "review.decided": "review.action.decided",
  "verification.status_changed": "review.action.status_changed",
  "session.created": "review.action.session_created",
  "session.logged_out": "review.action.session_logged_out",
  "session.login_failed": "review.action.session_login_failed",
  "session.refresh_reuse_detected": "review.action.session_refresh_reuse_detected",
  "user.roles_set": "review.action.roles_set",
  "notification.requeued": "review.action.notification_requeued",
};

const STATUS_LABEL: Record<string, ReviewKey> = {
  draft: "review.status.draft",
  submitted: "review.status.submitted",
  processing: "review.status.processing",
  in_review: "review.status.in_review",
  action_required: "review.status.action_required",
  approved: "review.status.approved",
  rejected: "review.status.rejected",
  expired: "review.status.expired",
  abandoned: "review.status.abandoned",
};

const SUBJECT_LABEL: Record<string, ReviewKey> = {
  session: "review.audit.subject.session",
  user: "review.audit.subject.user",
  notification: "review.audit.subject.notification",
};

export function useLabels() {
  const { t, reasonText } = useReviewI18n();
  const known = (table: Record<string, UiKey | ReviewKey>, code: string): string => {
    const key = Object.hasOwn(table, code) ? table[code] : undefined;
    return key ? t(key) : code;
  };
  // The reviewer's short name for a taxonomy code; other codes in the applicant's words.
  const reason = (code: string): string => (isDecisionReason(code) ? t(`review.reason.${code}`) : (reasonText(code)?.title ?? code));
  const check = (kind: string): string => known(CHECK_LABEL, kind);
  return {
    field: (path: string) => known(FIELD_LABEL, path),
    step: (step: StepKind) => t(STEP_LABEL[step]),
    check,
    result: (result: string) => known(RESULT_LABEL, result),
    documentType: (type: string | null | undefined) => (type ? known(DOC_LABEL, type) : "—"),
    action: (action: string) => known(ACTION_LABEL, action),
    subject: (type: string) => known(SUBJECT_LABEL, type),
    status: (status: string) => known(STATUS_LABEL, status),
    reason,
    flag: (flag: string): string => {
      const parts = flagParts(flag, (c) => reasonText(c) !== null);
      switch (parts.kind) {
        case "auto_approve_off":
          return t("review.flag.auto_approve_off");
        case "reason":
          return reason(parts.code);
        case "check":
          return t(parts.result === "failed" ? "review.flag.failed" : "review.flag.inconclusive", { check: check(parts.check) });
        case "other":
          return parts.code;
      }
    },
  };
}
