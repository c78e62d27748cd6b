//! Database rows of the verification domain, and the stored decision format.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::domain::{Status, Steps};
use crate::catalogue::StepKind;
use crate::db::schema::{document_images, verifications};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = verifications, check_for_backend(diesel::pg::Pg))]
pub struct VerificationRow {
    pub id: Uuid,
    pub applicant_id: Uuid,
    pub level: String,
    pub status: String,
    pub attempt: i32,
    pub steps: serde_json::Value,
    pub issuing_country: Option<String>,
    pub document_type: Option<String>,
    pub pii: Option<serde_json::Value>,
    pub decision: Option<serde_json::Value>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl VerificationRow {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Draft)
    }

    pub fn steps(&self) -> Steps {
        serde_json::from_value(self.steps.clone()).unwrap_or_default()
    }

    pub fn decision(&self) -> Option<Decision> {
        self.decision.clone().and_then(|d| serde_json::from_value(d).ok())
    }
}

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = document_images, check_for_backend(diesel::pg::Pg))]
pub struct ImageRow {
    pub id: Uuid,
    pub attempt: i32,
    pub kind: String,
    pub storage_key: String,
    pub byte_size: i32,
    pub width: i32,
    pub height: i32,
    pub quality: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    Approve,
    Reject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RejectType {
    /// The applicant may fix the flagged items and resubmit.
    Retry,
    /// No further attempt (forgery, duplicate identity, attempts used up).
    Final,
}

/// Why a verification was rejected, tied to what the applicant must change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// A reason code from the taxonomy, e.g. `data_mismatch`, `blurred_photo`.
    pub code: String,
    pub step: StepKind,
    /// The fields or images concerned, e.g. `document_number`, `images.front`.
    #[serde(default)]
    pub field_paths: Vec<String>,
    /// Translation key for the applicant's message; defaults to `reason.<code>`.
    #[serde(default)]
    pub message_key: Option<String>,
    /// For reviewers only: never shown to the applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_note: Option<String>,
}

/// The stored decision of the latest attempt.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Decision {
    pub decision: DecisionKind,
    pub reject_type: Option<RejectType>,
    pub reasons: Vec<Reason>,
    /// A message to the applicant, written by the reviewer.
    pub message: Option<String>,
    /// For reviewers only: never shown to the applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_note: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: DateTime<Utc>,
    pub attempt: i32,
}

/// Reason codes a decision may use (DESIGN.md §2).
pub const REASON_CODES: &[&str] = &[
    "blurred_photo",
    "dark_photo",
    "glare_on_photo",
    "cut_off_document",
    "covered_photo",
    "damaged_document",
    "no_document_in_image",
    "low_resolution",
    "incorrect_side",
    "photo_of_screen",
    "data_mismatch",
    "mrz_unreadable",
    "document_expired",
    "under_age",
    "face_not_found",
    "multiple_faces",
    "face_mismatch",
    "liveness_failed",
    "duplicate_identity",
    "suspected_forgery",
];

/// Field paths a reason may name, per step.
pub fn valid_field_path(step: StepKind, path: &str) -> bool {
    match step {
        StepKind::PersonalInfo => {
            matches!(path, "issuing_country" | "document_type")
                || super::personal::SEALED_FIELDS.contains(&path)
                || matches!(
                    path,
                    "address.line1" | "address.line2" | "address.city" | "address.postcode" | "address.country"
                )
        }
        StepKind::Document => matches!(path, "images.front" | "images.back"),
        StepKind::Selfie => path == "images.selfie",
        StepKind::Liveness => path == "liveness",
    }
}
