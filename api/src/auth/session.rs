//! Sign-in sessions: refresh-token families with one-time-use rotation and reuse detection.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::model::{NewRefreshToken, RefreshTokenRow};
use crate::audit::{self, AuditEvent};
use crate::db::schema::refresh_tokens;

/// Prefix that makes a leaked refresh token recognisable to secret scanners.
pub const REFRESH_PREFIX: &str = "ekyc_rt_";

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{REFRESH_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Issues a refresh token in `family` (a new family starts a new session).
pub async fn issue(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    family_id: Uuid,
    ttl: Duration,
) -> diesel::QueryResult<String> {
    let token = new_token();
    let hash = hash_token(&token);
    let expires_at = Utc::now() + chrono::Duration::seconds(i64::try_from(ttl.as_secs()).unwrap_or(86400));
    diesel::insert_into(refresh_tokens::table)
        .values(NewRefreshToken { id: Uuid::now_v7(), user_id, family_id, token_hash: &hash, expires_at })
        .execute(conn)
        .await?;
    Ok(token)
}

pub enum Rotation {
    /// The presented token was spent; here is its successor.
    Rotated { user_id: Uuid, family_id: Uuid, token: String },
    /// Unknown, expired or revoked: nothing happened.
    Invalid,
    /// A token that was already used came back: the family is now revoked.
    ReuseDetected,
}

/// Spends `presented` and issues its successor, in the caller's transaction.
pub async fn rotate(
    conn: &mut AsyncPgConnection,
    presented: &str,
    ttl: Duration,
    request_id: Option<&str>,
) -> diesel::QueryResult<Rotation> {
    let row: Option<RefreshTokenRow> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash_token(presented)))
        .select(RefreshTokenRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some(row) = row else { return Ok(Rotation::Invalid) };
    if row.used_at.is_some() {
        // Either the legitimate client or a thief holds the successor; we cannot tell
        // which, so the whole session ends (audited once, when it is first revoked).
        if revoke_family(conn, row.family_id).await? > 0 {
            audit::record(
                conn,
                AuditEvent::new(Some(row.user_id), "session.refresh_reuse_detected", "session", row.family_id)
                    .request(request_id),
            )
            .await?;
        }
        return Ok(Rotation::ReuseDetected);
    }
    if row.revoked_at.is_some() || row.expires_at <= Utc::now() {
        return Ok(Rotation::Invalid);
    }
    diesel::update(refresh_tokens::table.find(row.id))
        .set(refresh_tokens::used_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    let token = issue(conn, row.user_id, row.family_id, ttl).await?;
    Ok(Rotation::Rotated { user_id: row.user_id, family_id: row.family_id, token })
}

pub async fn revoke_family(conn: &mut AsyncPgConnection, family: Uuid) -> diesel::QueryResult<usize> {
    diesel::update(
        refresh_tokens::table.filter(refresh_tokens::family_id.eq(family)).filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Utc::now()))
    .execute(conn)
    .await
}

/// The family of a presented token, if it is one of ours.
pub async fn family_of(conn: &mut AsyncPgConnection, presented: &str) -> diesel::QueryResult<Option<(Uuid, Uuid)>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash_token(presented)))
        .select((refresh_tokens::user_id, refresh_tokens::family_id))
        .first(conn)
        .await
        .optional()
}
