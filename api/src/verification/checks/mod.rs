//! Automated checks of a submitted attempt, each stored as a `checks` row (pass / fail /
//! inconclusive, a score, reasons) for the decision rules and the reviewer: image quality,
//! MRZ / barcode reading, entered vs read data, expiry, minimum age, duplicate identity,
//! face match and liveness. Rows carry codes, scores and field names, never PII.

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::json;
use uuid::Uuid;

use crate::catalogue::StepKind;
use crate::db::schema::checks;
use crate::jobs::JobContext;
use crate::verification::model::VerificationRow;

pub mod datamatch;
pub mod document;
pub mod duplicate;
pub mod face;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckResult {
    Pass,
    Fail,
    Inconclusive,
}

impl CheckResult {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Inconclusive => "inconclusive",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Check {
    pub kind: &'static str,
    pub result: CheckResult,
    pub score: Option<f64>,
    pub reasons: serde_json::Value,
    pub details: serde_json::Value,
}

/// Stores (or, for a re-run job, replaces) one check of an attempt.
pub async fn store(conn: &mut AsyncPgConnection, vid: Uuid, attempt: i32, c: &Check) -> QueryResult<()> {
    diesel::insert_into(checks::table)
        .values((
            checks::id.eq(Uuid::now_v7()),
            checks::verification_id.eq(vid),
            checks::attempt.eq(attempt),
            checks::kind.eq(c.kind),
            checks::result.eq(c.result.as_str()),
            checks::score.eq(c.score),
            checks::reasons.eq(&c.reasons),
            checks::details.eq(&c.details),
        ))
        .on_conflict((checks::verification_id, checks::attempt, checks::kind))
        .do_update()
        .set((
            checks::result.eq(c.result.as_str()),
            checks::score.eq(c.score),
            checks::reasons.eq(&c.reasons),
            checks::details.eq(&c.details),
            checks::created_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// A reason in the stored shape (`code`, `step`, `field_paths`), as decisions use it.
pub fn reason(code: &str, step: StepKind, field_paths: &[&str]) -> serde_json::Value {
    json!({ "code": code, "step": step, "field_paths": field_paths })
}

/// Runs every check that applies to the attempt's level and document.
pub async fn run_all(
    ctx: &JobContext,
    conn: &mut AsyncPgConnection,
    row: &VerificationRow,
) -> anyhow::Result<Vec<Check>> {
    let steps = row.steps();
    let images = document::images(conn, row.id).await?;
    let spec = row
        .issuing_country
        .as_deref()
        .zip(row.document_type.as_deref().and_then(crate::catalogue::DocumentType::parse))
        .and_then(|(c, t)| ctx.catalogue.document(c, t));
    let sides: Vec<&str> = if spec.is_some_and(|s| s.back_side) { vec!["front", "back"] } else { vec!["front"] };
    let today = Utc::now().date_naive();
    let mut out = vec![document::quality(&images)];
    out.extend(document::reading(spec, &images));
    let doc = document::extracted(&ctx.pii, &images);
    match crate::verification::service::stored_info(&ctx.pii, row) {
        Some(info) => {
            let entered = document::entered(&info, &ctx.catalogue);
            out.push(document::data_match(&entered, doc.as_ref()));
            out.push(document::expiry(&info, doc.as_ref(), spec, &sides, today));
            let min_age = ctx.catalogue.country(&info.issuing_country).map_or(18, |c| c.min_age);
            out.push(document::age(&info, doc.as_ref(), min_age, today));
        }
        None => out.push(Check {
            kind: "data_match",
            result: CheckResult::Inconclusive,
            score: None,
            reasons: json!([]),
            details: json!({ "note": "the personal information could not be opened" }),
        }),
    }
    out.push(
        duplicate::check(conn, &ctx.pii, row.id, row.applicant_id, ctx.config.review.duplicate_face_distance).await?,
    );
    if steps.contains_key(StepKind::Selfie.as_str()) {
        out.push(face::face_match(ctx, conn, row.id).await?);
    }
    if steps.contains_key(StepKind::Liveness.as_str()) {
        out.push(face::liveness(conn, row.id, row.attempt).await?);
    }
    Ok(out)
}
