//! The reviewer's case view: entered vs read data side by side, every check, the images
//! through short-lived presigned URLs, and the history of earlier attempts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::cases::{self, CaseRow};
use super::json::{
    AttemptView, CaseSummary, CaseView, CheckReason, CheckView, ClaimView, ComparisonRow, DecisionRecord,
    ExtractedView, ReviewImage,
};
use crate::app::AppState;
use crate::db::schema::{checks, document_images, verification_attempts};
use crate::error::{ApiError, ApiResult};
use crate::verification::checks::datamatch::{self, Extracted};
use crate::verification::checks::document;
use crate::verification::model::{Decision, ImageRow, Reason, VerificationRow};
use crate::verification::personal::PersonalInfo;
use crate::verification::quality::ImageKind;
use crate::verification::service;

pub fn decision_record(d: Decision) -> DecisionRecord {
    DecisionRecord {
        decision: d.decision,
        reject_type: d.reject_type,
        reasons: d.reasons,
        message: d.message,
        internal_note: d.internal_note,
        decided_by: d.decided_by,
        decided_at: d.decided_at,
    }
}

pub fn claim_view(case: &CaseRow, me: Uuid, now: DateTime<Utc>) -> Option<ClaimView> {
    let holder = case.holder(now)?;
    Some(ClaimView { reviewer_id: holder, expires_at: case.claim_expires_at?, mine: holder == me })
}

pub fn summary(case: &CaseRow, me: Uuid, now: DateTime<Utc>) -> CaseSummary {
    CaseSummary {
        attempt: case.attempt,
        state: case.state(),
        flags: case.flags(),
        queued_at: case.queued_at,
        claim: claim_view(case, me, now),
        proposal: case.proposal.clone().and_then(|p| serde_json::from_value::<Decision>(p).ok()).map(decision_record),
        proposed_by: case.proposed_by,
    }
}

type AttemptRow = (i32, DateTime<Utc>, Option<DateTime<Utc>>, Option<String>, Option<serde_json::Value>);
type CheckRow = (i32, String, String, Option<f64>, serde_json::Value, serde_json::Value, DateTime<Utc>);

fn check_view((_, kind, result, score, reasons, details, at): CheckRow) -> CheckView {
    let reasons: Vec<Reason> = serde_json::from_value(reasons).unwrap_or_default();
    CheckView {
        kind,
        result,
        score,
        reasons: reasons
            .into_iter()
            .map(|r| CheckReason { code: r.code, step: r.step, field_paths: r.field_paths })
            .collect(),
        details,
        checked_at: at,
    }
}

fn date(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn extracted_fields(e: &Extracted) -> std::collections::BTreeMap<String, String> {
    let mut m = std::collections::BTreeMap::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            m.insert(k.to_owned(), v);
        }
    };
    put("surname", e.surname.clone());
    put("given_names", e.given_names.clone());
    put("document_number", e.document_number.clone());
    put("date_of_birth", date(e.date_of_birth));
    put("expiry_date", date(e.expiry_date));
    put("nationality", e.nationality.clone());
    put("issuing_state", e.issuing_state.clone().or_else(|| e.country.clone()));
    m
}

/// Entered and read values of each compared field, with the verdict the check uses.
fn comparison(state: &AppState, info: &PersonalInfo, doc: &Extracted) -> Vec<ComparisonRow> {
    let entered = document::entered(info, &state.catalogue);
    datamatch::compare(&entered, doc)
        .into_iter()
        .map(|v| {
            let (e, x) = match v.field {
                "first_name" => (Some(info.first_name.clone()), doc.given_names.clone()),
                "middle_name" => (info.middle_name.clone(), doc.given_names.clone()),
                "last_name" => (Some(info.last_name.clone()), doc.surname.clone()),
                "latin_first_name" => (info.latin_first_name.clone(), doc.given_names.clone()),
                "latin_last_name" => (info.latin_last_name.clone(), doc.surname.clone()),
                "date_of_birth" => (Some(info.date_of_birth.to_string()), date(doc.date_of_birth)),
                "document_number" => (Some(info.document_number.clone()), doc.document_number.clone()),
                "expiry_date" => (date(info.expiry_date), date(doc.expiry_date)),
                "nationality" => (Some(info.nationality.clone()), doc.nationality.clone()),
                "issuing_country" => {
                    (Some(info.issuing_country.clone()), doc.issuing_state.clone().or_else(|| doc.country.clone()))
                }
                _ => (None, None),
            };
            ComparisonRow { field: v.field.to_owned(), entered: e, extracted: x, verdict: v.verdict }
        })
        .collect()
}

async fn images(state: &AppState, conn: &mut AsyncPgConnection, vid: Uuid) -> ApiResult<Vec<ReviewImage>> {
    let rows: Vec<(ImageRow, serde_json::Value)> = document_images::table
        .filter(document_images::verification_id.eq(vid))
        .filter(document_images::replaced_at.is_null())
        .order(document_images::created_at.asc())
        .select((ImageRow::as_select(), document_images::extraction))
        .load(conn)
        .await?;
    let ttl = state.config.s3.presign_ttl;
    let mut out = Vec::with_capacity(rows.len());
    for (img, extraction) in rows {
        let Some(kind) = ImageKind::parse(&img.kind) else { continue };
        let url = state
            .storage
            .presign_get(&img.storage_key, ttl)
            .await
            .map_err(|e| ApiError::unavailable("object storage", e))?;
        out.push(ReviewImage {
            id: img.id,
            kind,
            width: img.width,
            height: img.height,
            uploaded_at: img.created_at,
            url,
            url_expires_at: Utc::now() + ttl,
            quality: img.quality,
            extraction,
        });
    }
    Ok(out)
}

async fn check_rows(conn: &mut AsyncPgConnection, vid: Uuid) -> QueryResult<Vec<CheckRow>> {
    checks::table
        .filter(checks::verification_id.eq(vid))
        .order((checks::attempt.asc(), checks::created_at.asc()))
        .select((
            checks::attempt,
            checks::kind,
            checks::result,
            checks::score,
            checks::reasons,
            checks::details,
            checks::created_at,
        ))
        .load(conn)
        .await
}

pub async fn case_view(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    row: &VerificationRow,
    me: Uuid,
) -> ApiResult<CaseView> {
    let now = Utc::now();
    let case = cases::current(conn, row.id).await?;
    let info = service::stored_info(&state.pii, row);
    let stored = document::images(conn, row.id).await?;
    let doc = document::extracted(&state.pii, &stored).or_else(|| {
        // Show an invalid read too: the reviewer judges it.
        stored.iter().filter(|i| i.kind != "selfie").find_map(|i| {
            let plain = state.pii.open(&format!("{}/extracted", i.id), i.extracted_sealed.as_deref()?).ok()?;
            serde_json::from_str::<Extracted>(&plain).ok()
        })
    });
    let all_checks = check_rows(conn, row.id).await?;
    let (current, earlier): (Vec<CheckRow>, Vec<CheckRow>) = all_checks.into_iter().partition(|c| c.0 == row.attempt);
    let attempts: Vec<AttemptRow> = verification_attempts::table
        .filter(verification_attempts::verification_id.eq(row.id))
        .filter(verification_attempts::attempt.lt(row.attempt))
        .order(verification_attempts::attempt.asc())
        .select((
            verification_attempts::attempt,
            verification_attempts::submitted_at,
            verification_attempts::decided_at,
            verification_attempts::outcome,
            verification_attempts::decision,
        ))
        .load(conn)
        .await?;
    let history = attempts
        .into_iter()
        .map(|(attempt, submitted_at, decided_at, outcome, decision)| AttemptView {
            attempt,
            submitted_at,
            decided_at,
            outcome,
            decision: decision.and_then(|d| serde_json::from_value::<Decision>(d).ok()).map(decision_record),
            checks: earlier.iter().filter(|c| c.0 == attempt).cloned().map(check_view).collect(),
        })
        .collect();
    Ok(CaseView {
        verification_id: row.id,
        level: row.level.clone(),
        status: row.status(),
        attempt: row.attempt,
        country: row.issuing_country.clone(),
        document_type: row.document_type.clone(),
        submitted_at: row.submitted_at,
        review: case.as_ref().filter(|c| c.attempt == row.attempt).map(|c| summary(c, me, now)),
        entered: service::open_pii(&state.pii, row),
        comparison: match (&info, &doc) {
            (Some(i), Some(d)) => comparison(state, i, d),
            _ => Vec::new(),
        },
        extracted: doc.as_ref().map(|d| ExtractedView {
            source: d.source.clone(),
            valid: d.valid,
            fields: extracted_fields(d),
        }),
        checks: current.into_iter().map(check_view).collect(),
        images: images(state, conn, row.id).await?,
        history,
    })
}
