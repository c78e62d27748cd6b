import { useI18n } from "@/i18n";
import { FIELD_LABEL } from "@/i18n/field-labels";
import type { ImageKind, Verification } from "@/lib/api/types";
import { decisionReasons, flagged, normalisePath } from "../lib/state";
import { useRegionName } from "./country-picker";
import { documentLabel } from "./document-type-cards";
import { sideLabel } from "./image-tiles";
import { stepLabel } from "./steps-list";


/** A field or image path in the applicant's words ("Document number", "Back"). */
export function usePathLabel(): (path: string) => string {
  const { t } = useI18n();
  return (raw) => {
    const path = normalisePath(raw);
    if (path.startsWith("images.")) return t(sideLabel(path.slice(7) as ImageKind));
    const key = FIELD_LABEL[path];
    return key ? t(key) : path;
  };
}

/**
 * What a decision found, in plain words: each reason with its fix, then the applicant's own
 * details and photos with the flagged ones highlighted. The reviewer's internal note never
 * reaches this view (the API leaves it out).
 */
export function FailureView({ verification }: { verification: Verification }) {
  const { t, reasonText } = useI18n();
  const label = usePathLabel();
  const marked = flagged(verification);
  const region = useRegionName();
  const info = verification.personal_info;
  const reasons = decisionReasons(verification);

  const rows: { field: string; value: string }[] = info
    ? [
        { field: "issuing_country", value: region(info.issuing_country) },
        { field: "document_type", value: t(documentLabel(info.document_type)) },
        { field: "first_name", value: info.first_name },
        ...(info.middle_name ? [{ field: "middle_name", value: info.middle_name }] : []),
        { field: "last_name", value: info.last_name },
        { field: "date_of_birth", value: info.date_of_birth },
        { field: "nationality", value: region(info.nationality) },
        { field: "document_number", value: info.document_number },
        ...(info.expiry_date ? [{ field: "expiry_date", value: info.expiry_date }] : []),
      ]
    : [];
  const photos: ImageKind[] = [...verification.required_sides.filter((k) => k !== "selfie"), ...(verification.steps.some((s) => s.name === "selfie") ? (["selfie"] as const) : [])];

  return (
    <div className="failure">
      {verification.decision?.message && (
        <div className="alert alert--info">
          <p>
            <strong>{t("verify.reviewerMessage")}:</strong> {verification.decision.message}
          </p>
        </div>
      )}
      <h2 className="section-title">{t("verify.whatToFix")}</h2>
      <ul className="reasons" data-testid="decision-reasons">
        {reasons.map((r, i) => {
          const text = reasonText(r.code);
          return (
            <li key={`${r.code}-${String(i)}`} className="reason" data-code={r.code}>
              <strong>{text?.title ?? r.code}</strong>
              {text && <span> {text.hint}</span>}
              <span className="reason__where">
                {" "}
                ({t(stepLabel(r.step))}
                {r.field_paths.length > 0 && `: ${r.field_paths.map(label).join(", ")}`})
              </span>
            </li>
          );
        })}
      </ul>
      {rows.length > 0 && (
        <>
          <h2 className="section-title">{t("verify.yourDetails")}</h2>
          <dl className="facts facts--review">
            {rows.map(({ field, value }) => {
              const bad = marked.fields.has(field);
              return (
                <div key={field} className={bad ? "fact fact--flagged" : "fact"} data-testid={`fact-${field}`} data-flagged={bad || undefined}>
                  <dt>
                    {label(field)}
                    {bad && <span className="flag"> — {t("verify.needsFix")}</span>}
                  </dt>
                  <dd>{value}</dd>
                </div>
              );
            })}
          </dl>
        </>
      )}
      <h2 className="section-title">{t("verify.yourPhotos")}</h2>
      <ul className="tiles">
        {photos.map((kind) => {
          const step = kind === "selfie" ? "selfie" : "document";
          const bad =
            marked.images.has(kind) || reasons.some((r) => r.step === step && r.field_paths.length === 0);
          return (
            <li key={kind} className={`tile ${bad ? "tile--flagged" : "tile--accepted"}`} data-testid={`photo-${kind}`} data-flagged={bad || undefined}>
              <span className="tile__name">{t(sideLabel(kind))}</span>
              <span className="tile__state">{bad ? t("verify.needsFix") : t("doc.uploaded")}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
