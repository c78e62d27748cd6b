//! The verification state machine and step states: the one place that says which status
//! may follow which. Every status change goes through [`transition`], an update guarded by
//! the expected current status, and writes an audit event.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::catalogue::StepKind;
use crate::db::schema::verifications;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The applicant is filling in steps.
    Draft,
    /// Submitted; the automated checks are queued.
    Submitted,
    /// The automated checks are running.
    Processing,
    /// Waiting for a human reviewer.
    InReview,
    /// Rejected with reasons the applicant can fix; `retry` starts a new attempt.
    ActionRequired,
    Approved,
    /// Rejected for good.
    Rejected,
    Expired,
    Abandoned,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Processing => "processing",
            Self::InReview => "in_review",
            Self::ActionRequired => "action_required",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Expired => "expired",
            Self::Abandoned => "abandoned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Draft,
            Self::Submitted,
            Self::Processing,
            Self::InReview,
            Self::ActionRequired,
            Self::Approved,
            Self::Rejected,
            Self::Expired,
            Self::Abandoned,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }

    /// No further change is possible.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Approved | Self::Rejected | Self::Expired | Self::Abandoned)
    }

    /// The allowed transitions. Everything else is refused.
    pub fn can_become(self, next: Self) -> bool {
        use Status::*;
        matches!(
            (self, next),
            (Draft, Submitted)
                | (Draft, Abandoned)
                | (Draft, Expired)
                | (Submitted, Processing)
                | (Processing, InReview)
                | (Submitted | Processing | InReview, Approved | Rejected | ActionRequired)
                | (ActionRequired, Draft)
                | (ActionRequired, Expired)
                | (ActionRequired, Abandoned)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// Nothing given yet, or reopened by a rejection.
    NotStarted,
    /// Partly done (e.g. the front of a two-sided document).
    InProgress,
    /// Everything the step needs is there.
    Complete,
    /// Accepted in an earlier attempt; kept and locked on retry.
    Accepted,
}

/// The stored state of one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StepState {
    pub status: StepStatus,
    /// After a rejection: the fields or images of this step that must change. Empty means
    /// the whole step is open.
    #[serde(default)]
    pub field_paths: Vec<String>,
}

pub type Steps = BTreeMap<String, StepState>;

pub fn initial_steps(kinds: &[StepKind]) -> Steps {
    kinds
        .iter()
        .map(|k| (k.as_str().to_owned(), StepState { status: StepStatus::NotStarted, field_paths: Vec::new() }))
        .collect()
}

/// A step may be changed while the verification is a draft and the step is not locked.
pub fn step_open(steps: &Steps, kind: StepKind) -> bool {
    steps.get(kind.as_str()).is_some_and(|s| s.status != StepStatus::Accepted)
}

pub fn all_complete(steps: &Steps) -> bool {
    steps.values().all(|s| matches!(s.status, StepStatus::Complete | StepStatus::Accepted))
}

#[derive(Debug, thiserror::Error)]
pub enum TransitionError {
    #[error("transition {0:?} -> {1:?} is not allowed")]
    NotAllowed(Status, Status),
    /// The row was not in the expected status any more (a concurrent change).
    #[error("the verification changed concurrently")]
    Stale,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Moves a verification from `from` to `to`, only if it is still in `from`; audits it and
/// queues the applicant's notifications for it (in the caller's transaction).
pub async fn transition(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    from: Status,
    to: Status,
    actor: Option<Uuid>,
    request_id: Option<&str>,
) -> Result<(), TransitionError> {
    if !from.can_become(to) {
        return Err(TransitionError::NotAllowed(from, to));
    }
    let n = diesel::update(verifications::table.find(id).filter(verifications::status.eq(from.as_str())))
        .set(verifications::status.eq(to.as_str()))
        .execute(conn)
        .await?;
    if n == 0 {
        return Err(TransitionError::Stale);
    }
    audit::record(
        conn,
        AuditEvent::new(actor, "verification.status_changed", "verification", id)
            .request(request_id)
            .details(serde_json::json!({ "from": from.as_str(), "to": to.as_str() })),
    )
    .await?;
    crate::notify::outbox::on_status_change(conn, id, to).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_states_go_nowhere() {
        let all = [
            Status::Draft,
            Status::Submitted,
            Status::Processing,
            Status::InReview,
            Status::ActionRequired,
            Status::Approved,
            Status::Rejected,
            Status::Expired,
            Status::Abandoned,
        ];
        for from in all.iter().filter(|s| s.is_closed()) {
            for to in all {
                assert!(!from.can_become(to), "{from:?} -> {to:?}");
            }
        }
        for s in all {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn the_happy_path_and_the_retry_loop_are_allowed() {
        use Status::*;
        for (a, b) in [(Draft, Submitted), (Submitted, Processing), (Processing, InReview), (InReview, Approved)] {
            assert!(a.can_become(b));
        }
        assert!(InReview.can_become(ActionRequired) && ActionRequired.can_become(Draft));
        assert!(!Draft.can_become(Approved), "a draft cannot be approved without submission");
        assert!(!ActionRequired.can_become(Approved));
    }
}
