//! Face checks: the selfie against the document portrait, and the liveness challenge.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use ekyc_face::matching::{self, MatchDecision};
use serde_json::json;
use uuid::Uuid;

use super::{Check, CheckResult};
use crate::db::schema::{document_images, image_faces, liveness_challenges};
use crate::jobs::JobContext;

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
        rows.iter()
            .find(|(_, k, _)| k == kind)
            .and_then(|(id, _, s)| crate::verification::face::open_embedding(&ctx.pii, *id, s))
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
