//! Fixed-window rate limits kept in PostgreSQL, so that every API replica shares them.

use chrono::{DateTime, TimeZone, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};

use crate::config::RateLimit;
use crate::db::schema::rate_limits;
use crate::error::{ApiError, ApiResult};

/// A bucket name for something that must not be stored in clear (an email, say).
pub fn hashed_bucket(prefix: &str, value: &str) -> String {
    format!("{prefix}:{}", hex::encode(&Sha256::digest(format!("ekyc-rate:{value}").as_bytes())[..16]))
}

/// Counts one hit in `bucket`; `Err(429)` with `Retry-After` once the window is full.
pub async fn hit(conn: &mut AsyncPgConnection, bucket: &str, limit: RateLimit) -> ApiResult<()> {
    let now = Utc::now();
    let window = i64::try_from(limit.window.as_secs()).unwrap_or(60).max(1);
    let start_secs = now.timestamp() - now.timestamp().rem_euclid(window);
    let start: DateTime<Utc> = Utc.timestamp_opt(start_secs, 0).single().unwrap_or(now);
    let end = start + chrono::Duration::seconds(window);
    let hits: i32 = diesel::insert_into(rate_limits::table)
        .values((
            rate_limits::bucket.eq(bucket),
            rate_limits::window_start.eq(start),
            rate_limits::hits.eq(1),
            rate_limits::expires_at.eq(end),
        ))
        .on_conflict((rate_limits::bucket, rate_limits::window_start))
        .do_update()
        .set(rate_limits::hits.eq(rate_limits::hits + excluded(rate_limits::hits)))
        .returning(rate_limits::hits)
        .get_result(conn)
        .await?;
    if u32::try_from(hits).unwrap_or(u32::MAX) > limit.count {
        let retry = u64::try_from((end - now).num_seconds()).unwrap_or(1).max(1);
        return Err(ApiError::rate_limited(retry));
    }
    Ok(())
}

/// Removes windows that have ended (run by the maintenance job).
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    diesel::delete(rate_limits::table.filter(rate_limits::expires_at.lt(Utc::now()))).execute(conn).await
}
