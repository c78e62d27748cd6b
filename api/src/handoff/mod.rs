//! Continue on another device. The owner of a draft asks for a one-time link
//! (`POST /verifications/{id}/handoff`); a phone exchanges it, once, for a short-lived capture
//! session (`POST /handoff/exchange`); that session is accepted only by the capture routes of
//! that one verification — through the [`Caller`] extractor — and by nothing else (the
//! [`AuthUser`] extractor refuses it). Only SHA-256 hashes of the link token and of the session
//! are stored. The desktop follows the state (`GET /verifications/{id}/handoff`).

pub mod json;
pub mod routes;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::{AuthUser, CAPTURE_PREFIX, bearer_token};
use crate::db::schema::handoffs;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::verification::json::VerificationView;
use crate::verification::model::VerificationRow;
use crate::verification::service;
use json::HandoffState;

/// Prefix of the link token (recognisable to secret scanners, like the refresh token's).
pub const LINK_PREFIX: &str = "ekyc_ho_";

/// A new random secret (256 bits) with `prefix`.
fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored instead of a link token or a capture session.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(format!("ekyc-handoff:{token}").as_bytes()).to_vec()
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = handoffs)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct HandoffRow {
    pub id: Uuid,
    pub verification_id: Uuid,
    pub user_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub opened_at: Option<DateTime<Utc>>,
    pub session_expires_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl HandoffRow {
    pub fn state(&self, now: DateTime<Utc>) -> HandoffState {
        if self.completed_at.is_some() {
            HandoffState::Completed
        } else if self.revoked_at.is_some() {
            HandoffState::Cancelled
        } else if self.opened_at.is_some() {
            if self.session_expires_at.is_some_and(|t| t > now) { HandoffState::Opened } else { HandoffState::Expired }
        } else if self.expires_at > now {
            HandoffState::Pending
        } else {
            HandoffState::Expired
        }
    }
}

/// Who is calling a capture route: the verification's owner, signed in, or a phone holding a
/// capture session (only the hash of its token is kept here).
pub enum Caller {
    Account(AuthUser),
    Phone { session_hash: Vec<u8> },
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        match bearer_token(req) {
            Ok(t) if t.starts_with(CAPTURE_PREFIX) => {
                let session_hash = token_hash(t);
                Box::pin(async move { Ok(Self::Phone { session_hash }) })
            }
            _ => {
                let user = AuthUser::from_request(req, payload);
                Box::pin(async move { user.await.map(Self::Account) })
            }
        }
    }
}

/// The caller once it is known to be allowed to capture for a verification.
pub struct Capturer {
    /// The owner's account (audit events and idempotency keys are theirs).
    pub user_id: Uuid,
    /// Set when the caller is a phone.
    pub handoff: Option<Uuid>,
}

impl Capturer {
    /// The phone sees what it needs to take the photos and nothing personal.
    pub fn redact(&self, mut view: VerificationView) -> VerificationView {
        if self.handoff.is_some() {
            view.personal_info = None;
        }
        view
    }
}

fn session_ended() -> ApiError {
    ApiError::unauthorized(
        ErrorCode::InvalidToken,
        "This phone session has ended; open a new link from your computer if you need to.",
    )
}

impl Caller {
    /// The verification `vid` if this caller may capture for it; 404 for anyone else's.
    pub async fn authorize(&self, conn: &mut AsyncPgConnection, vid: Uuid) -> ApiResult<(VerificationRow, Capturer)> {
        match self {
            Self::Account(user) => {
                let row = service::load_owned(conn, user.id, vid).await?;
                Ok((row, Capturer { user_id: user.id, handoff: None }))
            }
            Self::Phone { session_hash } => {
                let h = session(conn, session_hash).await?;
                if h.verification_id != vid {
                    return Err(ApiError::not_found());
                }
                let row = service::load(conn, vid).await?;
                Ok((row, Capturer { user_id: h.user_id, handoff: Some(h.id) }))
            }
        }
    }
}

/// The live handoff behind a capture session; 401 when it is unknown, finished or expired.
pub async fn session(conn: &mut AsyncPgConnection, session_hash: &[u8]) -> ApiResult<HandoffRow> {
    let h: HandoffRow = handoffs::table
        .filter(handoffs::session_hash.eq(session_hash))
        .select(HandoffRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(session_ended)?;
    match h.state(Utc::now()) {
        HandoffState::Opened => Ok(h),
        HandoffState::Expired => Err(ApiError::unauthorized(
            ErrorCode::TokenExpired,
            "This phone session has expired; open a new link from your computer.",
        )),
        _ => Err(session_ended()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(now: DateTime<Utc>) -> HandoffRow {
        HandoffRow {
            id: Uuid::nil(),
            verification_id: Uuid::nil(),
            user_id: Uuid::nil(),
            expires_at: now + chrono::Duration::minutes(15),
            opened_at: None,
            session_expires_at: None,
            completed_at: None,
            revoked_at: None,
        }
    }

    #[test]
    fn states() {
        let now = Utc::now();
        let mut h = row(now);
        assert_eq!(h.state(now), HandoffState::Pending);
        assert_eq!(h.state(now + chrono::Duration::minutes(16)), HandoffState::Expired);
        h.opened_at = Some(now);
        h.session_expires_at = Some(now + chrono::Duration::minutes(30));
        // Opened links outlive the link's own 15 minutes: the session counts now.
        assert_eq!(h.state(now + chrono::Duration::minutes(20)), HandoffState::Opened);
        assert_eq!(h.state(now + chrono::Duration::minutes(31)), HandoffState::Expired);
        h.revoked_at = Some(now);
        assert_eq!(h.state(now), HandoffState::Cancelled);
        h.completed_at = Some(now);
        assert_eq!(h.state(now), HandoffState::Completed);
    }

    #[test]
    fn secrets_are_random_prefixed_and_hashed() {
        let a = new_secret(LINK_PREFIX);
        let b = new_secret(LINK_PREFIX);
        assert!(a.starts_with(LINK_PREFIX) && a.len() > 40);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), token_hash(&b));
        assert_eq!(token_hash(&a).len(), 32);
    }
}
