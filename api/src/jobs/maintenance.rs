//! Hourly housekeeping: expired refresh tokens and finished rate-limit windows.

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::JobContext;
use crate::db::schema::refresh_tokens;

pub const PURGE: &str = "maintenance.purge";

pub async fn purge(ctx: &JobContext) -> anyhow::Result<()> {
    let mut conn = ctx.db.get().await?;
    // Keep expired tokens a day, so a late reuse still reads as reuse, not as unknown.
    let cutoff = Utc::now() - chrono::Duration::days(1);
    let tokens =
        diesel::delete(refresh_tokens::table.filter(refresh_tokens::expires_at.lt(cutoff))).execute(&mut conn).await?;
    let windows = crate::ratelimit::purge_expired(&mut conn).await?;
    tracing::info!(tokens, windows, "purged expired rows");
    Ok(())
}
