//! The background job queue, kept in PostgreSQL.
//!
//! Jobs are enqueued in the same transaction as the change that causes them. Workers claim
//! one at a time with `FOR UPDATE SKIP LOCKED`, so any number of `ekyc worker` processes can
//! share the queue without running a job twice at once. A failed job is retried with
//! exponential backoff and, after `max_attempts`, parked as `dead` for an admin to look at.
//! A job whose worker died mid-run is reclaimed after [`STALE_AFTER`]. Jobs must therefore
//! be idempotent.

pub mod maintenance;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Jsonb, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::config::Config;
use crate::db::DbPool;
use crate::db::schema::jobs;
use crate::notify::Notifier;
use crate::notify::outbox::{self, DeliveryOutcome};
use crate::storage::ObjectStore;

/// A running job not finished after this long is assumed lost and queued again.
pub const STALE_AFTER: Duration = Duration::from_secs(15 * 60);
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Everything a job handler may use.
#[derive(Clone)]
pub struct JobContext {
    pub db: DbPool,
    pub storage: Arc<dyn ObjectStore>,
    pub config: Arc<Config>,
    pub pii: Arc<crate::pii::PiiCipher>,
    pub faces: Arc<crate::faces::FaceModels>,
    pub notify: Arc<Notifier>,
    pub catalogue: Arc<crate::catalogue::Catalogue>,
}

impl JobContext {
    pub fn from_state(state: &crate::app::AppState) -> Self {
        Self {
            db: state.db.clone(),
            storage: state.storage.clone(),
            config: state.config.clone(),
            pii: state.pii.clone(),
            faces: state.faces.clone(),
            notify: state.notify.clone(),
            catalogue: state.catalogue.clone(),
        }
    }
}

/// Adds a job. With a `dedup_key`, nothing is added while a job with that key is queued
/// or running.
pub async fn enqueue(
    conn: &mut AsyncPgConnection,
    kind: &str,
    payload: serde_json::Value,
    dedup_key: Option<&str>,
    run_at: DateTime<Utc>,
) -> QueryResult<bool> {
    let n = diesel::insert_into(jobs::table)
        .values((
            jobs::kind.eq(kind),
            jobs::payload.eq(payload),
            jobs::dedup_key.eq(dedup_key),
            jobs::run_at.eq(run_at),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(n == 1)
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Jsonb)]
    payload: serde_json::Value,
    #[diesel(sql_type = Integer)]
    attempts: i32,
    #[diesel(sql_type = Integer)]
    max_attempts: i32,
}

/// What happened to one claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done { kind: String },
    Retry { kind: String },
    Dead { kind: String },
}

async fn claim(conn: &mut AsyncPgConnection, worker: &str) -> QueryResult<Option<Claimed>> {
    diesel::sql_query(
        "UPDATE jobs SET status = 'running', locked_at = now(), locked_by = $1, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= now() \
                     ORDER BY run_at, id FOR UPDATE SKIP LOCKED LIMIT 1) \
         RETURNING id, kind, payload, attempts, max_attempts",
    )
    .bind::<Text, _>(worker)
    .get_result(conn)
    .await
    .optional()
}

/// Backoff before attempt `n + 1`: 2^n seconds, capped at an hour.
pub fn backoff(attempts: i32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(u32::try_from(attempts).unwrap_or(0)).min(3600))
}

/// Claims and runs at most one ready job.
pub async fn run_one(ctx: &JobContext, worker: &str) -> anyhow::Result<Option<Outcome>> {
    let mut conn = ctx.db.get().await?;
    let Some(job) = claim(&mut conn, worker).await? else { return Ok(None) };
    drop(conn);
    let result = dispatch(ctx, &job.kind, &job.payload).await;
    let mut conn = ctx.db.get().await?;
    let outcome = match result {
        Ok(()) => {
            diesel::update(jobs::table.find(job.id))
                .set((
                    jobs::status.eq("done"),
                    jobs::locked_at.eq(None::<DateTime<Utc>>),
                    jobs::last_error.eq(None::<String>),
                ))
                .execute(&mut conn)
                .await?;
            Outcome::Done { kind: job.kind }
        }
        Err(err) => {
            // The error text is ours (handlers must not put PII in it).
            let message = format!("{err:#}");
            let dead = job.attempts >= job.max_attempts;
            let run_at = Utc::now() + chrono::Duration::from_std(backoff(job.attempts)).unwrap_or_default();
            diesel::update(jobs::table.find(job.id))
                .set((
                    jobs::status.eq(if dead { "dead" } else { "queued" }),
                    jobs::run_at.eq(run_at),
                    jobs::locked_at.eq(None::<DateTime<Utc>>),
                    jobs::locked_by.eq(None::<String>),
                    jobs::last_error.eq(&message),
                ))
                .execute(&mut conn)
                .await?;
            tracing::warn!(job.id = job.id, job.kind = %job.kind, job.attempts = job.attempts, dead, error = %message, "job failed");
            if dead { Outcome::Dead { kind: job.kind } } else { Outcome::Retry { kind: job.kind } }
        }
    };
    Ok(Some(outcome))
}

async fn dispatch(ctx: &JobContext, kind: &str, payload: &serde_json::Value) -> anyhow::Result<()> {
    match kind {
        maintenance::PURGE => maintenance::purge(ctx).await,
        crate::verification::service::PROCESS_JOB => {
            let id = payload
                .get("verification_id")
                .and_then(|v| v.as_str())
                .and_then(|v| uuid::Uuid::parse_str(v).ok())
                .ok_or_else(|| anyhow::anyhow!("payload without verification_id"))?;
            crate::verification::service::process(ctx, id).await
        }
        other => Err(anyhow::anyhow!("unknown job kind {other}")),
    }
}

/// Runs ready jobs and delivers due notifications (which jobs may queue) until neither is
/// left; returns the jobs that ran. For tests and `worker --once`.
pub async fn run_until_empty(ctx: &JobContext, worker: &str) -> anyhow::Result<Vec<Outcome>> {
    Ok(run_all_until_empty(ctx, worker).await?.0)
}

/// As [`run_until_empty`], with the notification deliveries too.
pub async fn run_all_until_empty(
    ctx: &JobContext,
    worker: &str,
) -> anyhow::Result<(Vec<Outcome>, Vec<DeliveryOutcome>)> {
    let mut outcomes = Vec::new();
    let mut deliveries = Vec::new();
    loop {
        let mut progressed = false;
        while let Some(o) = run_one(ctx, worker).await? {
            outcomes.push(o);
            progressed = true;
        }
        while let Some(d) = outbox::deliver_one(ctx, worker).await? {
            deliveries.push(d);
            progressed = true;
        }
        if !progressed {
            return Ok((outcomes, deliveries));
        }
    }
}

/// Puts jobs whose worker vanished back in the queue.
pub async fn reclaim_stale(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    let cutoff = Utc::now() - chrono::Duration::from_std(STALE_AFTER).unwrap_or_default();
    diesel::update(jobs::table.filter(jobs::status.eq("running")).filter(jobs::locked_at.lt(cutoff)))
        .set((jobs::status.eq("queued"), jobs::locked_at.eq(None::<DateTime<Utc>>), jobs::locked_by.eq(None::<String>)))
        .execute(conn)
        .await
}

/// Counts jobs that are not finished (queued or running) and notifications not delivered
/// yet (pending or being sent): the work a worker still has.
pub async fn pending(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    let jobs: i64 = jobs::table.filter(jobs::status.eq_any(["queued", "running"])).count().get_result(conn).await?;
    Ok(jobs + outbox::pending(conn).await?)
}

/// The worker loop: schedules periodic maintenance, then runs jobs until `shutdown` fires.
pub async fn run_worker(ctx: JobContext, shutdown: tokio::sync::watch::Receiver<bool>) -> anyhow::Result<()> {
    let worker = format!("{}-{}", hostname(), std::process::id());
    tracing::info!(worker = %worker, "worker started");
    let mut last_housekeeping = None;
    loop {
        if *shutdown.borrow() {
            break;
        }
        let hour = Utc::now().format("%Y%m%d%H").to_string();
        if last_housekeeping.as_ref() != Some(&hour) {
            match ctx.db.get().await {
                Ok(mut conn) => {
                    let _ = reclaim_stale(&mut conn).await;
                    let key = format!("{}:{hour}", maintenance::PURGE);
                    if enqueue(&mut conn, maintenance::PURGE, serde_json::json!({}), Some(&key), Utc::now())
                        .await
                        .is_ok()
                    {
                        last_housekeeping = Some(hour);
                    }
                }
                Err(e) => tracing::warn!(error = %e, "database unavailable; worker waiting"),
            }
        }
        let ran = match run_one(&ctx, &worker).await {
            Ok(o) => o.is_some(),
            Err(e) => {
                tracing::warn!(error = format!("{e:#}"), "worker could not run a job");
                false
            }
        };
        let delivered = match outbox::deliver_one(&ctx, &worker).await {
            Ok(d) => d.is_some(),
            Err(e) => {
                tracing::warn!(error = format!("{e:#}"), "worker could not deliver a notification");
                false
            }
        };
        let ran = ran || delivered;
        if !ran {
            let mut rx = shutdown.clone();
            tokio::select! {
                () = tokio::time::sleep(POLL_INTERVAL) => {}
                _ = rx.changed() => {}
            }
        }
    }
    tracing::info!("worker stopped");
    Ok(())
}

fn hostname() -> String {
    std::env::var("HOSTNAME").ok().filter(|h| !h.is_empty()).unwrap_or_else(|| "worker".to_owned())
}
