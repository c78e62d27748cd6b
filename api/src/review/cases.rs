//! Review cases in the database: opened by the decision rules, claimed by one reviewer at a
//! time (the claim expires), proposed for a final rejection awaiting a second reviewer, closed
//! by any decision. Every update is guarded by the state it expects.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::review_cases;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// Waiting for a reviewer's decision.
    Open,
    /// A final rejection was proposed; another reviewer must confirm or overrule it.
    AwaitingSecond,
    Decided,
}

impl CaseState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::AwaitingSecond => "awaiting_second",
            Self::Decided => "decided",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::AwaitingSecond, Self::Decided].into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = review_cases, check_for_backend(diesel::pg::Pg))]
pub struct CaseRow {
    pub verification_id: Uuid,
    pub attempt: i32,
    pub state: String,
    pub flags: Vec<Option<String>>,
    pub queued_at: DateTime<Utc>,
    pub claimed_by: Option<Uuid>,
    pub claim_expires_at: Option<DateTime<Utc>>,
    pub proposal: Option<serde_json::Value>,
    pub proposed_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl CaseRow {
    pub fn state(&self) -> CaseState {
        CaseState::parse(&self.state).unwrap_or(CaseState::Open)
    }

    pub fn flags(&self) -> Vec<String> {
        self.flags.iter().flatten().cloned().collect()
    }

    /// Who holds the case now (an expired claim holds nothing).
    pub fn holder(&self, now: DateTime<Utc>) -> Option<Uuid> {
        match (self.claimed_by, self.claim_expires_at) {
            (Some(u), Some(until)) if until > now => Some(u),
            _ => None,
        }
    }
}

pub async fn open(conn: &mut AsyncPgConnection, vid: Uuid, attempt: i32, flags: &[String]) -> QueryResult<()> {
    diesel::insert_into(review_cases::table)
        .values((
            review_cases::verification_id.eq(vid),
            review_cases::attempt.eq(attempt),
            review_cases::flags.eq(flags.iter().map(|f| Some(f.clone())).collect::<Vec<_>>()),
        ))
        .on_conflict((review_cases::verification_id, review_cases::attempt))
        .do_nothing()
        .execute(conn)
        .await
        .map(|_| ())
}

/// Closes the attempt's case, if it had one (decisions made without a case close nothing).
pub async fn close(conn: &mut AsyncPgConnection, vid: Uuid, attempt: i32, at: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(review_cases::table.find((vid, attempt)))
        .filter(review_cases::state.ne(CaseState::Decided.as_str()))
        .set((
            review_cases::state.eq(CaseState::Decided.as_str()),
            review_cases::decided_at.eq(at),
            review_cases::claimed_by.eq(None::<Uuid>),
            review_cases::claim_expires_at.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// The case of the verification's latest attempt.
pub async fn current(conn: &mut AsyncPgConnection, vid: Uuid) -> QueryResult<Option<CaseRow>> {
    review_cases::table
        .filter(review_cases::verification_id.eq(vid))
        .order(review_cases::attempt.desc())
        .select(CaseRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Takes (or renews) the claim when the case is free, expired, or already the caller's.
/// Returns whether it was taken.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    case: &CaseRow,
    reviewer: Uuid,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let n = diesel::update(review_cases::table.find((case.verification_id, case.attempt)))
        .filter(review_cases::state.ne(CaseState::Decided.as_str()))
        .filter(
            review_cases::claimed_by
                .is_null()
                .or(review_cases::claimed_by.eq(reviewer))
                .or(review_cases::claim_expires_at.lt(now)),
        )
        .set((review_cases::claimed_by.eq(reviewer), review_cases::claim_expires_at.eq(until)))
        .execute(conn)
        .await?;
    Ok(n == 1)
}

/// Gives the claim up; only its holder can.
pub async fn release(conn: &mut AsyncPgConnection, case: &CaseRow, reviewer: Uuid) -> QueryResult<bool> {
    let n = diesel::update(review_cases::table.find((case.verification_id, case.attempt)))
        .filter(review_cases::claimed_by.eq(reviewer))
        .set((review_cases::claimed_by.eq(None::<Uuid>), review_cases::claim_expires_at.eq(None::<DateTime<Utc>>)))
        .execute(conn)
        .await?;
    Ok(n == 1)
}

/// Records a proposed final rejection and frees the case for a second reviewer.
pub async fn propose(
    conn: &mut AsyncPgConnection,
    case: &CaseRow,
    reviewer: Uuid,
    proposal: &serde_json::Value,
) -> QueryResult<bool> {
    let n = diesel::update(review_cases::table.find((case.verification_id, case.attempt)))
        .filter(review_cases::state.eq(CaseState::Open.as_str()))
        .filter(review_cases::claimed_by.eq(reviewer))
        .set((
            review_cases::state.eq(CaseState::AwaitingSecond.as_str()),
            review_cases::proposal.eq(proposal),
            review_cases::proposed_by.eq(reviewer),
            review_cases::claimed_by.eq(None::<Uuid>),
            review_cases::claim_expires_at.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
        .await?;
    Ok(n == 1)
}
