//! The outbox: rows written with the status change, claimed and delivered by workers.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::templates::{self, MessageContext};
use super::{Channel, EmailMessage, Event, Language, SendError, SmsMessage};
use crate::catalogue::StepKind;
use crate::db::schema::{applicants, notifications, users, verification_attempts, verifications};
use crate::jobs::JobContext;
use crate::verification::domain::Status;
use crate::verification::model::Decision;

/// A claim older than this is taken to be lost with its worker, and delivered again. Far
/// longer than one send (SMTP and SMS time out within seconds).
pub const STALE_AFTER: Duration = Duration::from_secs(5 * 60);

/// The event a status change announces, if any.
pub fn event_for(status: Status) -> Option<Event> {
    match status {
        Status::Submitted => Some(Event::SubmissionReceived),
        Status::ActionRequired => Some(Event::ActionRequired),
        Status::Approved => Some(Event::Approved),
        Status::Rejected => Some(Event::Rejected),
        _ => None,
    }
}

pub fn dedup_key(verification: Uuid, attempt: i32, event: Event, channel: Channel) -> String {
    format!("{verification}:{attempt}:{}:{}", event.as_str(), channel.as_str())
}

/// Called by `domain::transition` inside the transaction that changes the status: queues
/// one row per channel the applicant receives (email unless turned off; SMS when a phone
/// number is on file and SMS is not turned off). Queuing the same event twice is a no-op.
pub async fn on_status_change(conn: &mut AsyncPgConnection, verification: Uuid, to: Status) -> QueryResult<usize> {
    let Some(event) = event_for(to) else { return Ok(0) };
    let (attempt, email_on, sms_on, phone): (i32, bool, bool, Option<String>) = verifications::table
        .inner_join(applicants::table)
        .filter(verifications::id.eq(verification))
        .select((verifications::attempt, applicants::email_enabled, applicants::sms_enabled, applicants::phone_sealed))
        .first(conn)
        .await?;
    let mut channels = Vec::new();
    if email_on {
        channels.push(Channel::Email);
    }
    if sms_on && phone.is_some() {
        channels.push(Channel::Sms);
    }
    let mut queued = 0;
    for channel in channels {
        queued += diesel::insert_into(notifications::table)
            .values((
                notifications::id.eq(Uuid::now_v7()),
                notifications::verification_id.eq(verification),
                notifications::attempt.eq(attempt),
                notifications::event.eq(event.as_str()),
                notifications::channel.eq(channel.as_str()),
                notifications::dedup_key.eq(dedup_key(verification, attempt, event, channel)),
            ))
            .on_conflict(notifications::dedup_key)
            .do_nothing()
            .execute(conn)
            .await?;
    }
    Ok(queued)
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    applicant_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    verification_id: Uuid,
    #[diesel(sql_type = Integer)]
    attempt: i32,
    #[diesel(sql_type = Text)]
    event: String,
    #[diesel(sql_type = Text)]
    channel: String,
    #[diesel(sql_type = Integer)]
    attempts: i32,
}

/// Takes one row that is due (or whose claim went stale) for this worker. The claim is
/// committed before sending, so no other worker takes the row while it is being sent.
async fn claim(conn: &mut AsyncPgConnection, worker: &str) -> QueryResult<Option<Claimed>> {
    diesel::sql_query(
        "UPDATE notifications SET status = 'sending', locked_at = now(), locked_by = $1, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM notifications \
                     WHERE (status = 'pending' AND run_at <= now()) \
                        OR (status = 'sending' AND locked_at < now() - make_interval(secs => $2)) \
                     ORDER BY run_at, id FOR UPDATE SKIP LOCKED LIMIT 1) \
         RETURNING id, (SELECT v.applicant_id FROM verifications v WHERE v.id = notifications.verification_id) AS applicant_id, \
                   verification_id, attempt, event, channel, attempts",
    )
    .bind::<Text, _>(worker)
    .bind::<Integer, _>(i32::try_from(STALE_AFTER.as_secs()).unwrap_or(300))
    .get_result(conn)
    .await
    .optional()
}

/// What became of one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    Sent,
    /// Failed for now; due again after a backoff.
    Retry,
    /// Out of attempts, or refused for good: admins see it.
    Failed,
    /// Not sent on purpose: channel turned off, no address, per-phone cap.
    Skipped,
}

impl Delivered {
    fn status(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Retry => "pending",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryOutcome {
    pub id: Uuid,
    pub channel: Channel,
    pub event: Event,
    pub result: Delivered,
}

/// Everything a message is made from, read at delivery time.
struct Recipient {
    language: Language,
    email: Option<String>,
    phone: Option<String>,
    email_on: bool,
    sms_on: bool,
    first_name: Option<String>,
    reasons: Vec<(String, StepKind)>,
}

async fn recipient(ctx: &JobContext, conn: &mut AsyncPgConnection, n: &Claimed) -> anyhow::Result<Recipient> {
    let (user, language, phone_sealed, email_on, sms_on): (Option<Uuid>, Option<String>, Option<String>, bool, bool) =
        applicants::table
            .find(n.applicant_id)
            .select((
                applicants::user_id,
                applicants::language,
                applicants::phone_sealed,
                applicants::email_enabled,
                applicants::sms_enabled,
            ))
            .first(conn)
            .await?;
    let email: Option<String> = match user {
        Some(u) => users::table.find(u).select(users::email).first(conn).await.optional()?,
        None => None,
    };
    let pii = &ctx.notify.pii;
    let phone = phone_sealed.and_then(|s| pii.open(&phone_context(n.applicant_id), &s).ok());
    let sealed: Option<serde_json::Value> =
        verifications::table.find(n.verification_id).select(verifications::pii).first(conn).await?;
    let first_name = sealed
        .as_ref()
        .and_then(|p| p.get("first_name"))
        .and_then(|v| v.as_str())
        .and_then(|s| pii.open(&format!("{}/first_name", n.verification_id), s).ok());
    let decision: Option<serde_json::Value> = verification_attempts::table
        .find((n.verification_id, n.attempt))
        .select(verification_attempts::decision)
        .first(conn)
        .await
        .optional()?
        .flatten();
    let reasons = decision
        .and_then(|d| serde_json::from_value::<Decision>(d).ok())
        .map(|d| d.reasons.into_iter().map(|r| (r.code, r.step)).collect())
        .unwrap_or_default();
    Ok(Recipient {
        language: language.as_deref().and_then(Language::parse).unwrap_or(Language::En),
        email,
        phone,
        email_on,
        sms_on,
        first_name,
        reasons,
    })
}

/// The associated data the phone number is sealed with.
pub fn phone_context(applicant: Uuid) -> String {
    format!("applicant/{applicant}/phone")
}

enum Attempt {
    Sent(String),
    Skip(&'static str),
    Error(SendError),
}

async fn send(
    ctx: &JobContext,
    conn: &mut AsyncPgConnection,
    n: &Claimed,
    event: Event,
    channel: Channel,
) -> anyhow::Result<Attempt> {
    let r = recipient(ctx, conn, n).await?;
    let steps: Vec<StepKind> = r.reasons.iter().map(|(_, s)| *s).collect();
    let link = templates::deep_link(&ctx.config.notify.app_url, event, &steps);
    match channel {
        Channel::Email => {
            if !r.email_on {
                return Ok(Attempt::Skip("email turned off by the applicant"));
            }
            let Some(to) = r.email else { return Ok(Attempt::Skip("no email address on file")) };
            let codes: Vec<String> = r.reasons.into_iter().map(|(c, _)| c).collect();
            let rendered = templates::email(&MessageContext {
                language: r.language,
                event,
                first_name: r.first_name.as_deref(),
                reasons: &codes,
                link: &link,
            })?;
            let host = ctx.config.smtp.from.rsplit('@').next().unwrap_or("ekyc.local").trim_end_matches('>');
            let message = EmailMessage {
                to,
                subject: rendered.subject,
                text: rendered.text,
                html: rendered.html,
                message_id: format!("<{}@{host}>", n.id),
                language: r.language,
            };
            Ok(match ctx.notify.mailer.send(&message).await {
                Ok(reference) => Attempt::Sent(reference),
                Err(e) => Attempt::Error(e),
            })
        }
        Channel::Sms => {
            if !r.sms_on {
                return Ok(Attempt::Skip("SMS turned off by the applicant"));
            }
            let Some(to) = r.phone else { return Ok(Attempt::Skip("no phone number on file")) };
            // The cap counts messages, not tries: only the first try of a row takes a slot.
            if n.attempts == 1 {
                let bucket =
                    format!("sms-phone:{}", hex::encode(&ctx.notify.pii.blind_index(&format!("phone:{to}"))[..16]));
                match crate::ratelimit::hit(conn, &bucket, ctx.config.sms.per_phone).await {
                    Ok(()) => {}
                    Err(e) if e.code() == crate::error::ErrorCode::RateLimited => {
                        return Ok(Attempt::Skip("per-phone SMS cap reached"));
                    }
                    Err(e) => anyhow::bail!("per-phone SMS cap: {e}"),
                }
            }
            let message =
                SmsMessage { to, body: templates::sms(r.language, event, &link), reference: n.id.to_string() };
            Ok(match ctx.notify.sms.send(&message).await {
                Ok(sid) => Attempt::Sent(sid),
                Err(e) => Attempt::Error(e),
            })
        }
    }
}

/// Claims and delivers at most one due notification.
pub async fn deliver_one(ctx: &JobContext, worker: &str) -> anyhow::Result<Option<DeliveryOutcome>> {
    let mut conn = ctx.db.get().await?;
    let Some(n) = claim(&mut conn, worker).await? else { return Ok(None) };
    let (Some(event), Some(channel)) = (Event::parse(&n.event), Channel::parse(&n.channel)) else {
        anyhow::bail!("notification {} has an unknown event or channel", n.id);
    };
    let attempt = match send(ctx, &mut conn, &n, event, channel).await {
        Ok(a) => a,
        // Our own failure (database, template): retried like a provider failure.
        Err(e) => Attempt::Error(SendError::transient(format!("{e:#}"))),
    };
    let now = Utc::now();
    let (result, error, reference, run_at) = match attempt {
        Attempt::Sent(reference) => (Delivered::Sent, None, Some(reference), now),
        Attempt::Skip(why) => (Delivered::Skipped, Some(why.to_owned()), None, now),
        Attempt::Error(e) => {
            let out_of_tries = n.attempts >= ctx.config.notify.max_attempts;
            let result = if e.permanent || out_of_tries { Delivered::Failed } else { Delivered::Retry };
            // Exponential backoff, and never sooner than the provider asked.
            let wait = crate::jobs::backoff(n.attempts).max(e.retry_after.unwrap_or_default());
            (result, Some(e.message), None, now + chrono::Duration::from_std(wait).unwrap_or_default())
        }
    };
    let sent_at: Option<DateTime<Utc>> = (result == Delivered::Sent).then_some(now);
    // Only our own claim is marked: a row reclaimed by another worker meanwhile is theirs.
    diesel::update(
        notifications::table
            .find(n.id)
            .filter(notifications::status.eq("sending"))
            .filter(notifications::locked_by.eq(worker)),
    )
    .set((
        notifications::status.eq(result.status()),
        notifications::run_at.eq(run_at),
        notifications::locked_at.eq(None::<DateTime<Utc>>),
        notifications::locked_by.eq(None::<String>),
        notifications::last_error.eq(&error),
        notifications::provider_ref.eq(&reference),
        notifications::sent_at.eq(sent_at),
    ))
    .execute(&mut conn)
    .await?;
    match result {
        Delivered::Sent => {
            tracing::info!(notification.id = %n.id, channel = channel.as_str(), event = event.as_str(), "notification sent")
        }
        Delivered::Skipped => {
            tracing::info!(notification.id = %n.id, channel = channel.as_str(), reason = error.as_deref(), "notification skipped")
        }
        Delivered::Retry | Delivered::Failed => tracing::warn!(
            notification.id = %n.id,
            channel = channel.as_str(),
            attempts = n.attempts,
            failed = result == Delivered::Failed,
            error = error.as_deref(),
            "notification not delivered"
        ),
    }
    Ok(Some(DeliveryOutcome { id: n.id, channel, event, result }))
}

/// Delivers due notifications until none is left; for tests and `worker --once`.
pub async fn deliver_until_empty(ctx: &JobContext, worker: &str) -> anyhow::Result<Vec<DeliveryOutcome>> {
    let mut out = Vec::new();
    while let Some(o) = deliver_one(ctx, worker).await? {
        out.push(o);
    }
    Ok(out)
}

/// Notifications not delivered yet (pending, or being sent).
pub async fn pending(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    notifications::table.filter(notifications::status.eq_any(["pending", "sending"])).count().get_result(conn).await
}
