//! Duplicate identity: the same document (its number's keyed hash) or a face very close to
//! another applicant's, among verifications that were submitted (drafts do not count: a
//! stranger typing someone's number must not block them).
//!
//! The face search opens every other applicant's selfie descriptor: linear in the number of
//! applicants (~2 µs each), fine to a few hundred thousand; past that, an ANN index
//! (pgvector) over descriptors sealed differently would be the next step.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::json;
use uuid::Uuid;

use super::{Check, CheckResult, reason};
use crate::catalogue::StepKind;
use crate::db::schema::{document_images, image_faces, verifications};
use crate::pii::PiiCipher;

const NOT_SUBMITTED: [&str; 3] = ["draft", "abandoned", "expired"];

pub async fn check(
    conn: &mut AsyncPgConnection,
    pii: &PiiCipher,
    vid: Uuid,
    applicant: Uuid,
    max_face_distance: f64,
) -> anyhow::Result<Check> {
    let hash: Option<Vec<u8>> =
        verifications::table.find(vid).select(verifications::document_number_hash).first(conn).await?;
    let same_document: Vec<Uuid> = match &hash {
        Some(h) => {
            verifications::table
                .filter(verifications::document_number_hash.eq(h))
                .filter(verifications::applicant_id.ne(applicant))
                .filter(verifications::status.ne_all(NOT_SUBMITTED))
                .select(verifications::id)
                .limit(20)
                .load(conn)
                .await?
        }
        None => Vec::new(),
    };

    let own: Option<(Uuid, String)> = document_images::table
        .inner_join(image_faces::table)
        .filter(document_images::verification_id.eq(vid))
        .filter(document_images::replaced_at.is_null())
        .filter(document_images::kind.eq("selfie"))
        .select((document_images::id, image_faces::embedding_sealed))
        .first(conn)
        .await
        .optional()?;
    let mut same_face = Vec::new();
    if let Some(mine) = own.and_then(|(id, s)| crate::verification::face::open_embedding(pii, id, &s)) {
        let others: Vec<(Uuid, Uuid, String)> = document_images::table
            .inner_join(image_faces::table)
            .inner_join(verifications::table)
            .filter(verifications::applicant_id.ne(applicant))
            .filter(verifications::status.ne_all(NOT_SUBMITTED))
            .filter(document_images::replaced_at.is_null())
            .filter(document_images::kind.eq("selfie"))
            .select((verifications::id, document_images::id, image_faces::embedding_sealed))
            .load(conn)
            .await?;
        for (other_vid, image_id, sealed) in others {
            if let Some(theirs) = crate::verification::face::open_embedding(pii, image_id, &sealed) {
                let d = mine.distance(&theirs);
                if d <= max_face_distance {
                    same_face.push(json!({ "verification_id": other_vid, "distance": d }));
                }
            }
        }
    }

    let mut reasons = Vec::new();
    if !same_document.is_empty() {
        reasons.push(reason("duplicate_identity", StepKind::PersonalInfo, &["document_number"]));
    }
    if !same_face.is_empty() {
        reasons.push(reason("duplicate_identity", StepKind::Selfie, &["images.selfie"]));
    }
    Ok(Check {
        kind: "duplicate",
        result: if reasons.is_empty() { CheckResult::Pass } else { CheckResult::Fail },
        score: None,
        reasons: json!(reasons),
        details: json!({
            "same_document": same_document,
            "same_face": same_face,
            "max_face_distance": max_face_distance,
        }),
    })
}
