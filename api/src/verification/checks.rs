//! Automated checks of a submitted attempt, each stored as a `checks` row (pass / fail /
//! inconclusive, a score, reasons) for the decision rules and the reviewer. This module runs
//! the face checks; the others join it as they are built.

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use ekyc_face::matching::{self, MatchDecision};
use serde_json::json;
use uuid::Uuid;

use crate::db::schema::{checks, document_images, image_faces, liveness_challenges};
use crate::jobs::JobContext;

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

/// Selfie against the document portrait: the distance of their descriptors.
pub async fn face_match(ctx: &JobContext, conn: &mut AsyncPgConnection, vid: Uuid) -> anyhow::Result<Check> {
    let rows: Vec<(Uuid, String, String)> = document_images::table
        .inner_join(image_faces::table)
        .filter(document_images::verification_id.eq(vid))
        .filter(document_images::replaced_at.is_null())
        .filter(document_images::kind.eq_any(["selfie", "front"]))
        .select((document_images::id, document_images::kind, image_faces::embedding_sealed))
        .load(conn)
        .await?;
    let open = |kind: &str| {
        rows.iter().find(|(_, k, _)| k == kind).and_then(|(id, _, s)| super::face::open_embedding(&ctx.pii, *id, s))
    };
    let thresholds = ctx.config.verification.faces.matching;
    let (Some(selfie), Some(portrait)) = (open("selfie"), open("front")) else {
        return Ok(Check {
            kind: "face_match",
            result: CheckResult::Inconclusive,
            score: None,
            reasons: json!([{ "code": "face_not_found", "step": "selfie", "field_paths": ["images.selfie", "images.front"] }]),
            details: json!({ "note": "no face descriptor for the selfie or the document portrait" }),
        });
    };
    let distance = selfie.distance(&portrait);
    let similarity = matching::similarity(distance, &thresholds);
    let decision = matching::decide(distance, &thresholds);
    let (result, reasons) = match decision {
        MatchDecision::Match => (CheckResult::Pass, json!([])),
        MatchDecision::Inconclusive => (
            CheckResult::Inconclusive,
            json!([{ "code": "face_mismatch", "step": "selfie", "field_paths": ["images.selfie"] }]),
        ),
        MatchDecision::Mismatch => (
            CheckResult::Fail,
            json!([{ "code": "face_mismatch", "step": "selfie", "field_paths": ["images.selfie"] }]),
        ),
    };
    Ok(Check {
        kind: "face_match",
        result,
        score: Some(similarity),
        reasons,
        details: json!({
            "distance": distance,
            "match_distance": thresholds.match_distance,
            "mismatch_distance": thresholds.mismatch_distance,
        }),
    })
}

/// The liveness challenge passed for this attempt, if any.
pub async fn liveness(conn: &mut AsyncPgConnection, vid: Uuid, attempt: i32) -> anyhow::Result<Check> {
    let passed: Option<(Uuid, Option<serde_json::Value>)> = liveness_challenges::table
        .filter(liveness_challenges::verification_id.eq(vid))
        .filter(liveness_challenges::passed.eq(true))
        .order(liveness_challenges::created_at.desc())
        .select((liveness_challenges::id, liveness_challenges::report))
        .first(conn)
        .await
        .optional()?;
    let failed: i64 = liveness_challenges::table
        .filter(liveness_challenges::verification_id.eq(vid))
        .filter(liveness_challenges::attempt.eq(attempt))
        .filter(liveness_challenges::passed.eq(false))
        .count()
        .get_result(conn)
        .await?;
    Ok(match passed {
        Some((id, report)) => Check {
            kind: "liveness",
            result: CheckResult::Pass,
            score: None,
            reasons: json!([]),
            details: json!({ "challenge": id, "failed_tries": failed, "report": report }),
        },
        None => Check {
            kind: "liveness",
            result: CheckResult::Fail,
            score: None,
            reasons: json!([{ "code": "liveness_failed", "step": "liveness", "field_paths": ["liveness"] }]),
            details: json!({ "failed_tries": failed }),
        },
    })
}
