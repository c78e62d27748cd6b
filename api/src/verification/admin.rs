//! `POST /api/v1/admin/verifications/{id}/decision`: an admin records a decision. A support
//! tool until the review console lands, and kept afterwards for support.

use actix_web::{HttpRequest, post, web};
use chrono::Utc;
use uuid::Uuid;

use super::json::{DecisionInput, VerificationView};
use super::model::{Decision, DecisionKind};
use super::service;
use crate::app::AppState;
use crate::auth::Admin;
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use crate::telemetry::request_id;

/// Approve, or reject with reasons tied to steps and fields (retry or final).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = DecisionInput,
    responses(
        (status = 200, description = "Decided", body = VerificationView),
        (status = 403, description = "`forbidden`: admins only", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`invalid_state`: not awaiting a decision; `verification_closed`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/admin/verifications/{id}/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    admin: Admin,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<DecisionInput>,
) -> ApiResult<web::Json<VerificationView>> {
    let input = body.into_inner();
    input.validate().map_err(ApiError::validation)?;
    let mut conn = state.db.get().await?;
    let row = service::load(&mut conn, id.into_inner()).await.map_err(ApiError::from)?;
    match row.status() {
        super::domain::Status::Submitted | super::domain::Status::Processing | super::domain::Status::InReview => {}
        s if s.is_closed() => return Err(ApiError::new(ErrorCode::VerificationClosed, "This verification is closed.")),
        _ => return Err(ApiError::new(ErrorCode::InvalidState, "This verification is not awaiting a decision.")),
    }
    let decision = Decision {
        decision: input.decision,
        reject_type: if input.decision == DecisionKind::Reject { input.reject_type } else { None },
        reasons: input.reasons,
        message: input.message,
        internal_note: input.internal_note,
        decided_by: Some(admin.0.id),
        decided_at: Utc::now(),
        attempt: row.attempt,
    };
    service::decide(
        &mut conn,
        &row,
        decision,
        state.config.verification.max_attempts_per_day,
        request_id(&req).as_deref(),
    )
    .await?;
    let row = service::load(&mut conn, row.id).await?;
    Ok(web::Json(service::view(&state, &mut conn, &row).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(decide);
}
