//! Hourly housekeeping: expired refresh tokens, finished rate-limit windows, handoff links
//! and phone sessions long over, and liveness frames past their retention.

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::JobContext;
use crate::db::schema::{handoffs, liveness_challenges, refresh_tokens};

pub const PURGE: &str = "maintenance.purge";

pub async fn purge(ctx: &JobContext) -> anyhow::Result<()> {
    let mut conn = ctx.db.get().await?;
    // Keep expired tokens a day, so a late reuse still reads as reuse, not as unknown.
    let cutoff = Utc::now() - chrono::Duration::days(1);
    let tokens =
        diesel::delete(refresh_tokens::table.filter(refresh_tokens::expires_at.lt(cutoff))).execute(&mut conn).await?;
    let windows = crate::ratelimit::purge_expired(&mut conn).await?;
    // Hashes of links and sessions that ended a day ago serve nobody (the audit log keeps the facts).
    let links = diesel::delete(
        handoffs::table
            .filter(handoffs::expires_at.lt(cutoff))
            .filter(handoffs::session_expires_at.is_null().or(handoffs::session_expires_at.lt(cutoff))),
    )
    .execute(&mut conn)
    .await?;
    let due: Vec<(uuid::Uuid, Option<String>)> = liveness_challenges::table
        .filter(liveness_challenges::frames_prefix.is_not_null())
        .filter(liveness_challenges::frames_purge_after.lt(Utc::now()))
        .select((liveness_challenges::id, liveness_challenges::frames_prefix))
        .limit(500)
        .load(&mut conn)
        .await?;
    let mut frames = 0usize;
    for (id, prefix) in due {
        let Some(prefix) = prefix else { continue };
        for key in ctx.storage.list(&prefix).await? {
            ctx.storage.delete(&key).await?;
            frames += 1;
        }
        diesel::update(liveness_challenges::table.find(id))
            .set(liveness_challenges::frames_prefix.eq(None::<String>))
            .execute(&mut conn)
            .await?;
    }
    tracing::info!(tokens, windows, links, frames, "purged expired rows and objects");
    Ok(())
}
