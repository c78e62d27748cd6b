//! `GET /api/v1/admin/notifications`: what was not delivered (failed, or still pending),
//! and `POST …/{id}/retry` to queue a failed one again. No PII: ids, states and our own
//! error texts only.

use actix_web::{HttpRequest, get, post, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{Channel, Event};
use crate::app::AppState;
use crate::audit::{self, AuditEvent};
use crate::auth::Admin;
use crate::db::schema::notifications;
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode, FieldError};
use crate::telemetry::request_id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Sending,
    Sent,
    Failed,
    Skipped,
}

impl DeliveryStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Sending, Self::Sent, Self::Failed, Self::Skipped].into_iter().find(|d| d.as_str() == s)
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = notifications, check_for_backend(diesel::pg::Pg))]
struct Row {
    id: Uuid,
    verification_id: Uuid,
    attempt: i32,
    event: String,
    channel: String,
    status: String,
    attempts: i32,
    run_at: DateTime<Utc>,
    last_error: Option<String>,
    sent_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// One outbox row as admins see it.
#[derive(Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Uuid,
    pub verification_id: Uuid,
    /// The verification attempt the event belongs to.
    pub attempt: i32,
    pub event: Event,
    pub channel: Channel,
    pub status: DeliveryStatus,
    /// Delivery attempts so far, and the cap.
    pub attempts: i32,
    pub max_attempts: i32,
    /// When it is next due (pending).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed or why it was skipped.
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    pub items: Vec<NotificationView>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `failed`, `pending`, `sending`, `sent` or `skipped`; default: everything not delivered
    /// (`failed`, `pending`, `sending`).
    pub status: Option<String>,
    /// Only this verification's notifications.
    pub verification_id: Option<Uuid>,
    /// At most this many, newest first (1–200, default 50).
    pub limit: Option<i64>,
}

fn view(r: Row, max_attempts: i32) -> Option<NotificationView> {
    let status = DeliveryStatus::parse(&r.status)?;
    Some(NotificationView {
        id: r.id,
        verification_id: r.verification_id,
        attempt: r.attempt,
        event: Event::parse(&r.event)?,
        channel: Channel::parse(&r.channel)?,
        next_attempt_at: (status == DeliveryStatus::Pending).then_some(r.run_at),
        status,
        attempts: r.attempts,
        max_attempts,
        last_error: r.last_error,
        sent_at: r.sent_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// Notifications that were not delivered (or any status on request).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "Newest first", body = NotificationList),
        (status = 400, description = "`invalid_parameter`", body = ErrorBody),
        (status = 403, description = "`forbidden`: admins only", body = ErrorBody),
    )
)]
#[get("/admin/notifications")]
pub async fn list(
    state: web::Data<AppState>,
    _admin: Admin,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<NotificationList>> {
    let q = query.into_inner();
    let statuses: Vec<&str> = match q.status.as_deref() {
        None => vec!["failed", "pending", "sending"],
        Some(s) => vec![DeliveryStatus::parse(s).map(DeliveryStatus::as_str).ok_or_else(|| {
            ApiError::field(
                ErrorCode::InvalidParameter,
                "Unknown status.",
                FieldError::new("status", "invalid_format", "Use failed, pending, sending, sent or skipped."),
            )
        })?],
    };
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let mut conn = state.db.get().await?;
    let mut query = notifications::table
        .filter(notifications::status.eq_any(statuses))
        .order(notifications::created_at.desc())
        .limit(limit)
        .select(Row::as_select())
        .into_boxed();
    if let Some(v) = q.verification_id {
        query = query.filter(notifications::verification_id.eq(v));
    }
    let rows: Vec<Row> = query.load(&mut conn).await?;
    let max = state.config.notify.max_attempts;
    Ok(web::Json(NotificationList { items: rows.into_iter().filter_map(|r| view(r, max)).collect() }))
}

/// Queue a failed notification again, with a fresh allowance of attempts.
#[utoipa::path(
    operation_id = "retry_notification",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "Queued again", body = NotificationView),
        (status = 403, description = "`forbidden`: admins only", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`invalid_state`: only failed notifications can be retried", body = ErrorBody),
    )
)]
#[post("/admin/notifications/{id}/retry")]
pub async fn retry(
    state: web::Data<AppState>,
    admin: Admin,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<NotificationView>> {
    let id = id.into_inner();
    let mut conn = state.db.get().await?;
    let n = diesel::update(notifications::table.find(id).filter(notifications::status.eq("failed")))
        .set((notifications::status.eq("pending"), notifications::attempts.eq(0), notifications::run_at.eq(Utc::now())))
        .execute(&mut conn)
        .await?;
    if n == 0 {
        let exists: i64 = notifications::table.find(id).count().get_result(&mut conn).await?;
        return Err(if exists == 0 {
            ApiError::not_found()
        } else {
            ApiError::new(ErrorCode::InvalidState, "Only failed notifications can be retried.")
        });
    }
    audit::record(
        &mut conn,
        AuditEvent::new(Some(admin.0.id), "notification.requeued", "notification", id)
            .request(request_id(&req).as_deref()),
    )
    .await?;
    let row: Row = notifications::table.find(id).select(Row::as_select()).first(&mut conn).await?;
    view(row, state.config.notify.max_attempts)
        .map(web::Json)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("bad row")))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(list).service(retry);
}
