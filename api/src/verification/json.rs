//! Wire types of the verification API.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::domain::{Status, StepStatus};
use super::model::{DecisionKind, Reason, RejectType};
use super::personal::PersonalInfoView;
use super::quality::{ImageKind, QualityReason};
use crate::catalogue::StepKind;
use crate::error::FieldError;

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct StartVerification {
    /// A level from `/levels`; the default level when absent.
    pub level: Option<String>,
}

/// A reason as the applicant sees it (no internal note).
#[derive(Serialize, ToSchema, Clone)]
pub struct ReasonView {
    pub code: String,
    pub step: StepKind,
    pub field_paths: Vec<String>,
    pub message_key: String,
}

impl From<&Reason> for ReasonView {
    fn from(r: &Reason) -> Self {
        Self {
            code: r.code.clone(),
            step: r.step,
            field_paths: r.field_paths.clone(),
            message_key: r.message_key.clone().unwrap_or_else(|| format!("reason.{}", r.code)),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StepView {
    pub name: StepKind,
    pub status: StepStatus,
    /// What must change in this step (after a rejection); empty when the whole step is open.
    pub field_paths: Vec<String>,
    /// Why, from the last decision.
    pub reasons: Vec<ReasonView>,
}

#[derive(Serialize, ToSchema)]
pub struct ImageView {
    pub kind: ImageKind,
    pub width: i32,
    pub height: i32,
    pub byte_size: i32,
    pub attempt: i32,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionView {
    pub decision: DecisionKind,
    pub reject_type: Option<RejectType>,
    pub reasons: Vec<ReasonView>,
    pub message: Option<String>,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WaitingStage {
    ChecksQueued,
    ChecksRunning,
    InReview,
}

/// An honest account of what is happening while the applicant waits.
#[derive(Serialize, ToSchema)]
pub struct WaitingView {
    pub stage: WaitingStage,
    pub message_key: String,
    /// Rough estimate of the remaining time, when there is a basis for one.
    pub estimate_seconds: Option<i64>,
}

/// Everything a client needs to draw the verification wizard.
#[derive(Serialize, ToSchema)]
pub struct VerificationView {
    pub id: Uuid,
    pub level: String,
    pub status: Status,
    /// 1 for the first submission, +1 per retry.
    pub attempt: i32,
    /// Submissions allowed in any 24 hours, and how many remain now.
    pub attempts_per_day: u32,
    pub attempts_left: u32,
    pub steps: Vec<StepView>,
    /// The first step that still needs something, `submit` when all are done, or null.
    pub next: Option<String>,
    /// Image sides the chosen document needs (`front`, and `back` for cards).
    pub required_sides: Vec<ImageKind>,
    pub personal_info: Option<PersonalInfoView>,
    pub images: Vec<ImageView>,
    pub decision: Option<DecisionView>,
    pub waiting: Option<WaitingView>,
    pub can_edit: bool,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The answer to an image upload.
#[derive(Serialize, ToSchema)]
pub struct UploadResult {
    pub image: ImageView,
    pub verification: VerificationView,
}

/// Refused images answer 422 `image_refused`-style field errors; this documents the
/// quality reasons attached to them.
#[derive(Serialize, ToSchema)]
pub struct QualityRefusal {
    pub reasons: Vec<QualityReason>,
}

/// A decision: a reviewer's on a claimed case, or an admin's (support tool).
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    pub decision: DecisionKind,
    /// Required when rejecting.
    pub reject_type: Option<RejectType>,
    #[serde(default)]
    pub reasons: Vec<Reason>,
    /// Shown to the applicant.
    pub message: Option<String>,
    /// For reviewers only: never shown to the applicant, never in the audit trail.
    #[serde(default)]
    pub internal_note: Option<String>,
}

impl DecisionInput {
    /// Reasons from the taxonomy with field paths of their step; an approval has none.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let input = self;
        let mut errors = Vec::new();
        match input.decision {
            DecisionKind::Approve if !input.reasons.is_empty() => {
                errors.push(FieldError::new("reasons", "not_allowed", "An approval has no reasons."));
            }
            DecisionKind::Reject if input.reject_type.is_none() => {
                errors.push(FieldError::new("reject_type", "required", "Say whether the applicant may retry."));
            }
            DecisionKind::Reject if input.reasons.is_empty() => {
                errors.push(FieldError::new("reasons", "required", "Give at least one reason."));
            }
            _ => {}
        }
        for (i, r) in input.reasons.iter().enumerate() {
            if !super::model::REASON_CODES.contains(&r.code.as_str()) {
                errors.push(FieldError::new(
                    format!("reasons[{i}].code"),
                    "unknown_reason",
                    "Use a code from the taxonomy.",
                ));
            }
            for p in &r.field_paths {
                if !super::model::valid_field_path(r.step, p) {
                    errors.push(FieldError::new(
                        format!("reasons[{i}].field_paths"),
                        "invalid_field_path",
                        format!("{p} is not a field of the {} step.", r.step.as_str()),
                    ));
                }
            }
        }
        if input.message.as_ref().is_some_and(|m| m.chars().count() > 1000) {
            errors.push(FieldError::new("message", "too_long", "At most 1000 characters."));
        }
        if input.internal_note.as_ref().is_some_and(|m| m.chars().count() > 2000) {
            errors.push(FieldError::new("internal_note", "too_long", "At most 2000 characters."));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}
