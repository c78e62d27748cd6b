//! Wire types of the reviewer API.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::cases::CaseState;
use crate::catalogue::{DocumentType, StepKind};
use crate::verification::checks::datamatch::Verdict;
use crate::verification::domain::Status;
use crate::verification::model::{DecisionKind, Reason, RejectType};
use crate::verification::personal::PersonalInfoView;
use crate::verification::quality::ImageKind;

/// Which cases to list. Cases are sorted oldest first.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// `open` or `awaiting_second` (default: both).
    pub state: Option<CaseState>,
    /// Issuing country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    pub document_type: Option<DocumentType>,
    /// Only cases carrying this flag (e.g. `duplicate_identity`, `face_match_inconclusive`).
    pub flag: Option<String>,
    /// Only cases queued at or before this time.
    pub waiting_since: Option<DateTime<Utc>>,
    /// `true`: only claimed cases; `false`: only free ones.
    pub claimed: Option<bool>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1–100, default 50.
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct ClaimView {
    pub reviewer_id: Uuid,
    pub expires_at: DateTime<Utc>,
    /// The caller holds it.
    pub mine: bool,
}

/// One case in the queue. No PII: the case view shows it (and audits the view).
#[derive(Serialize, ToSchema)]
pub struct QueueItem {
    pub verification_id: Uuid,
    pub attempt: i32,
    pub level: String,
    pub state: CaseState,
    pub flags: Vec<String>,
    pub country: Option<String>,
    pub document_type: Option<String>,
    pub queued_at: DateTime<Utc>,
    pub waiting_seconds: i64,
    pub claim: Option<ClaimView>,
    /// Who proposed the final rejection now awaiting a second reviewer.
    pub proposed_by: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    pub next_cursor: Option<String>,
}

/// A stored decision as reviewers see it (internal notes included).
#[derive(Serialize, Deserialize, ToSchema, Clone)]
pub struct DecisionRecord {
    pub decision: DecisionKind,
    pub reject_type: Option<RejectType>,
    pub reasons: Vec<Reason>,
    pub message: Option<String>,
    pub internal_note: Option<String>,
    /// None: settled by the decision rules.
    pub decided_by: Option<Uuid>,
    pub decided_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct CheckReason {
    pub code: String,
    pub step: StepKind,
    pub field_paths: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CheckView {
    /// `quality`, `mrz` or `barcode`, `data_match`, `expiry`, `age`, `duplicate`, `face_match`, `liveness`.
    pub kind: String,
    /// `pass`, `fail` or `inconclusive`.
    pub result: String,
    pub score: Option<f64>,
    pub reasons: Vec<CheckReason>,
    /// What was measured (no PII).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub checked_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewImage {
    pub id: Uuid,
    pub kind: ImageKind,
    pub width: i32,
    pub height: i32,
    pub uploaded_at: DateTime<Utc>,
    /// Presigned GET, valid until `url_expires_at` (at most 5 minutes).
    pub url: String,
    pub url_expires_at: DateTime<Utc>,
    /// The capture-quality report of the upload.
    #[schema(value_type = Object)]
    pub quality: serde_json::Value,
    /// What was read off it (summary; the fields are in `extracted`).
    #[schema(value_type = Object)]
    pub extraction: serde_json::Value,
}

/// The document's machine-readable data, opened for the reviewer.
#[derive(Serialize, ToSchema)]
pub struct ExtractedView {
    /// `mrz` or `pdf417`.
    pub source: String,
    /// MRZ check digits all valid.
    pub valid: bool,
    pub fields: BTreeMap<String, String>,
}

/// One field side by side.
#[derive(Serialize, ToSchema)]
pub struct ComparisonRow {
    /// The personal-information field path.
    pub field: String,
    pub entered: Option<String>,
    pub extracted: Option<String>,
    #[schema(value_type = String)]
    pub verdict: Verdict,
}

#[derive(Serialize, ToSchema)]
pub struct AttemptView {
    pub attempt: i32,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub decision: Option<DecisionRecord>,
    pub checks: Vec<CheckView>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseSummary {
    pub attempt: i32,
    pub state: CaseState,
    pub flags: Vec<String>,
    pub queued_at: DateTime<Utc>,
    pub claim: Option<ClaimView>,
    /// A proposed final rejection awaiting a second reviewer.
    pub proposal: Option<DecisionRecord>,
    /// Who proposed it (they cannot confirm it).
    pub proposed_by: Option<Uuid>,
}

/// Everything a reviewer needs to decide. Reading it writes an audit event.
#[derive(Serialize, ToSchema)]
pub struct CaseView {
    pub verification_id: Uuid,
    pub level: String,
    pub status: Status,
    pub attempt: i32,
    pub country: Option<String>,
    pub document_type: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub review: Option<CaseSummary>,
    pub entered: Option<PersonalInfoView>,
    pub extracted: Option<ExtractedView>,
    pub comparison: Vec<ComparisonRow>,
    pub checks: Vec<CheckView>,
    pub images: Vec<ReviewImage>,
    /// Earlier attempts, oldest first, with their decisions and checks.
    pub history: Vec<AttemptView>,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    /// The decision took effect.
    Decided,
    /// A final rejection was proposed; a second reviewer must confirm it.
    AwaitingSecondReview,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionResult {
    pub outcome: DecisionOutcome,
    pub verification_status: Status,
    pub case_state: CaseState,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Admins only: another reviewer's actions (default: the caller's own).
    pub actor: Option<Uuid>,
    /// Only events about this verification.
    pub verification_id: Option<Uuid>,
    pub cursor: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<Uuid>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}
