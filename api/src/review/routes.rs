//! The reviewer API (role reviewer; admins too): the queue, claims, the case view, decisions
//! and one's own audit trail. Every case view and every decision writes an audit event.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::json;
use uuid::Uuid;

use super::cases::{self, CaseRow, CaseState};
use super::json::{
    AuditEntry, AuditPage, AuditQuery, CaseView, DecisionOutcome, DecisionResult, QueueItem, QueuePage, QueueQuery,
};
use super::view;
use crate::app::AppState;
use crate::audit::{self, AuditEvent};
use crate::auth::{Reviewer, Role};
use crate::db::schema::{audit_events, review_cases, verifications};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode, FieldError};
use crate::idempotency;
use crate::telemetry::request_id;
use crate::verification::domain::Status;
use crate::verification::json::DecisionInput;
use crate::verification::model::{Decision, DecisionKind, RejectType};
use crate::verification::service;

fn bad_cursor() -> ApiError {
    ApiError::validation(vec![FieldError::new("cursor", "invalid", "Use next_cursor from the previous page.")])
}

fn encode_cursor(at: DateTime<Utc>, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{id}", at.to_rfc3339()))
}

fn decode_cursor(c: &str) -> ApiResult<(DateTime<Utc>, String)> {
    let raw = URL_SAFE_NO_PAD.decode(c).map_err(|_| bad_cursor())?;
    let s = String::from_utf8(raw).map_err(|_| bad_cursor())?;
    let (at, id) = s.split_once('|').ok_or_else(bad_cursor)?;
    let at = DateTime::parse_from_rfc3339(at).map_err(|_| bad_cursor())?.with_timezone(&Utc);
    Ok((at, id.to_owned()))
}

fn limit(raw: Option<u32>, max: u32) -> ApiResult<i64> {
    match raw.unwrap_or(50) {
        n if (1..=max).contains(&n) => Ok(i64::from(n)),
        _ => Err(ApiError::validation(vec![FieldError::new("limit", "out_of_range", format!("From 1 to {max}."))])),
    }
}

/// Cases waiting for a decision, oldest first.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(QueueQuery),
    responses(
        (status = 200, description = "A page of cases", body = QueuePage),
        (status = 403, description = "`forbidden`: reviewers only", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`cursor`, `limit`)", body = ErrorBody),
    )
)]
#[get("/review/cases")]
pub async fn queue(
    state: web::Data<AppState>,
    me: Reviewer,
    query: web::Query<QueueQuery>,
) -> ApiResult<web::Json<QueuePage>> {
    let q = query.into_inner();
    let limit = limit(q.limit, 100)?;
    let cursor = match q.cursor.as_deref() {
        Some(c) => {
            let (at, id) = decode_cursor(c)?;
            Some((at, id.parse::<Uuid>().map_err(|_| bad_cursor())?))
        }
        None => None,
    };
    let now = Utc::now();
    let mut conn = state.db.get().await?;
    let mut sql = review_cases::table
        .inner_join(verifications::table)
        .filter(review_cases::state.ne(CaseState::Decided.as_str()))
        .into_boxed();
    if let Some(s) = q.state {
        sql = sql.filter(review_cases::state.eq(s.as_str()));
    }
    if let Some(c) = &q.country {
        sql = sql.filter(verifications::issuing_country.eq(c.to_ascii_uppercase()));
    }
    if let Some(t) = q.document_type {
        sql = sql.filter(verifications::document_type.eq(t.as_str()));
    }
    if let Some(f) = &q.flag {
        sql = sql.filter(review_cases::flags.contains(vec![Some(f.clone())]));
    }
    if let Some(since) = q.waiting_since {
        sql = sql.filter(review_cases::queued_at.le(since));
    }
    match q.claimed {
        Some(true) => sql = sql.filter(review_cases::claim_expires_at.gt(now)),
        Some(false) => {
            sql = sql.filter(review_cases::claim_expires_at.is_null().or(review_cases::claim_expires_at.le(now)));
        }
        None => {}
    }
    if let Some((at, id)) = cursor {
        sql = sql.filter(
            review_cases::queued_at.gt(at).or(review_cases::queued_at.eq(at).and(review_cases::verification_id.gt(id))),
        );
    }
    let rows: Vec<(CaseRow, String, Option<String>, Option<String>)> = sql
        .order((review_cases::queued_at.asc(), review_cases::verification_id.asc()))
        .limit(limit + 1)
        .select((
            CaseRow::as_select(),
            verifications::level,
            verifications::issuing_country,
            verifications::document_type,
        ))
        .load(&mut conn)
        .await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    let items: Vec<QueueItem> = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|(case, level, country, document_type)| QueueItem {
            verification_id: case.verification_id,
            attempt: case.attempt,
            level,
            state: case.state(),
            flags: case.flags(),
            country,
            document_type,
            queued_at: case.queued_at,
            waiting_seconds: (now - case.queued_at).num_seconds(),
            claim: view::claim_view(&case, me.0.id, now),
            proposed_by: case.proposed_by,
        })
        .collect();
    let next_cursor =
        if more { items.last().map(|i| encode_cursor(i.queued_at, &i.verification_id.to_string())) } else { None };
    Ok(web::Json(QueuePage { items, next_cursor }))
}

async fn load_case(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> ApiResult<(crate::verification::model::VerificationRow, CaseRow)> {
    let row = service::load(conn, id).await.optional()?.ok_or_else(ApiError::not_found)?;
    let case = cases::current(conn, id).await?.filter(|c| c.attempt == row.attempt).ok_or_else(|| {
        ApiError::new(ErrorCode::InvalidState, "This verification has no review case for its current attempt.")
    })?;
    Ok((row, case))
}

fn claimed_by_other(case: &CaseRow, now: DateTime<Utc>) -> ApiError {
    let until = case.claim_expires_at.map(|t| t.to_rfc3339()).unwrap_or_default();
    ApiError::new(ErrorCode::ClaimedByOther, format!("Another reviewer holds this case until {until}."))
        .with_retry_after(case.claim_expires_at.map_or(0, |t| u64::try_from((t - now).num_seconds()).unwrap_or(0)))
}

/// Takes the case for the caller (or renews the caller's claim).
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "Claimed until `claim.expires_at`", body = super::json::CaseSummary),
        (status = 403, description = "`forbidden`: reviewers only", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`claimed_by_other` (with `Retry-After`); `invalid_state`: no open case; `second_reviewer_required`: the caller proposed the pending final rejection", body = ErrorBody),
    )
)]
#[post("/review/cases/{id}/claim")]
pub async fn claim(
    state: web::Data<AppState>,
    me: Reviewer,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<super::json::CaseSummary>> {
    let id = id.into_inner();
    let mut conn = state.db.get().await?;
    let (_, case) = load_case(&mut conn, id).await?;
    let now = Utc::now();
    match case.state() {
        CaseState::Decided => return Err(ApiError::new(ErrorCode::InvalidState, "This case is decided.")),
        CaseState::AwaitingSecond if case.proposed_by == Some(me.0.id) => {
            return Err(ApiError::new(
                ErrorCode::SecondReviewerRequired,
                "You proposed this final rejection: another reviewer must confirm it.",
            ));
        }
        _ => {}
    }
    let until = now + state.config.review.claim_ttl;
    let rid = request_id(&req);
    let taken = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            let taken = cases::claim(conn, &case, me.0.id, until, now).await?;
            if taken {
                let event = AuditEvent::new(Some(me.0.id), "review.claimed", "verification", id)
                    .request(rid.as_deref())
                    .details(json!({ "attempt": case.attempt }));
                audit::record(conn, event).await?;
            }
            Ok(taken)
        })
        .await?;
    if !taken {
        return Err(claimed_by_other(&case, now));
    }
    let (_, case) = load_case(&mut conn, id).await?;
    Ok(web::Json(view::summary(&case, me.0.id, Utc::now())))
}

/// Gives the claim up.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "Released"),
        (status = 403, description = "`forbidden`: reviewers only", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`claim_required`: the caller does not hold the case", body = ErrorBody),
    )
)]
#[delete("/review/cases/{id}/claim")]
pub async fn release(
    state: web::Data<AppState>,
    me: Reviewer,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let mut conn = state.db.get().await?;
    let (_, case) = load_case(&mut conn, id).await?;
    let rid = request_id(&req);
    let released = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            let released = cases::release(conn, &case, me.0.id).await?;
            if released {
                let event = AuditEvent::new(Some(me.0.id), "review.released", "verification", id)
                    .request(rid.as_deref())
                    .details(json!({ "attempt": case.attempt }));
                audit::record(conn, event).await?;
            }
            Ok(released)
        })
        .await?;
    if !released {
        return Err(ApiError::new(ErrorCode::ClaimRequired, "You do not hold this case."));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// The case with its evidence. Writes a `review.case_viewed` audit event.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The case", body = CaseView),
        (status = 403, description = "`forbidden`: reviewers only", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/review/cases/{id}")]
pub async fn show_case(
    state: web::Data<AppState>,
    me: Reviewer,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<CaseView>> {
    let id = id.into_inner();
    let mut conn = state.db.get().await?;
    let row = service::load(&mut conn, id).await.optional()?.ok_or_else(ApiError::not_found)?;
    // Nothing about an applicant's draft is a reviewer's business.
    if row.status() == Status::Draft && row.attempt == 1 {
        return Err(ApiError::not_found());
    }
    let event = AuditEvent::new(Some(me.0.id), "review.case_viewed", "verification", id)
        .request(request_id(&req).as_deref())
        .details(json!({ "attempt": row.attempt, "status": row.status().as_str() }));
    audit::record(&mut conn, event).await?;
    Ok(web::Json(view::case_view(&state, &mut conn, &row, me.0.id).await?))
}

/// Decides the claimed case: approve, or reject with reasons (retry or final). With
/// `EKYC_FINAL_REJECTION_SECOND_REVIEWER`, a final rejection waits for another reviewer,
/// who confirms it with a final rejection of their own or overrules it.
#[utoipa::path(
    tag = "review",
    operation_id = "review_decide",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for the same key and body"),
    ),
    request_body = DecisionInput,
    responses(
        (status = 200, description = "Decided, or proposed for a second reviewer", body = DecisionResult),
        (status = 403, description = "`forbidden`: reviewers only", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`claim_required`: claim the case first; `claimed_by_other`; `second_reviewer_required`; `invalid_state`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: reasons, field paths, message", body = ErrorBody),
    )
)]
#[post("/review/cases/{id}/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    me: Reviewer,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<DecisionInput>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let input = body.into_inner();
    input.validate().map_err(ApiError::validation)?;
    let hash = idempotency::request_hash(
        &format!("review-decision:{id}"),
        &serde_json::to_vec(&input).map_err(ApiError::internal)?,
    );
    let reviewer = me.0.id;
    idempotency::run(&state.db, &req, reviewer, hash, async {
        let mut conn = state.db.get().await?;
        let (row, case) = load_case(&mut conn, id).await?;
        let now = Utc::now();
        if case.state() == CaseState::Decided {
            return Err(ApiError::new(ErrorCode::InvalidState, "This case is decided."));
        }
        match case.holder(now) {
            Some(h) if h == reviewer => {}
            Some(_) => return Err(claimed_by_other(&case, now)),
            None => return Err(ApiError::new(ErrorCode::ClaimRequired, "Claim the case before deciding it.")),
        }
        let final_rejection = input.decision == DecisionKind::Reject && input.reject_type == Some(RejectType::Final);
        let codes: Vec<&str> = input.reasons.iter().map(|r| r.code.as_str()).collect();
        let rid = request_id(&req);
        let decision = Decision {
            decision: input.decision,
            reject_type: if input.decision == DecisionKind::Reject { input.reject_type } else { None },
            reasons: input.reasons.clone(),
            message: input.message.clone(),
            internal_note: input.internal_note.clone(),
            decided_by: Some(reviewer),
            decided_at: now,
            attempt: row.attempt,
        };
        if final_rejection && state.config.review.second_reviewer_for_final {
            match case.state() {
                CaseState::Open => {
                    let proposal = serde_json::to_value(&decision).map_err(ApiError::internal)?;
                    let ok = conn
                        .transaction::<_, diesel::result::Error, _>(async |conn| {
                            let ok = cases::propose(conn, &case, reviewer, &proposal).await?;
                            if ok {
                                let event = AuditEvent::new(
                                    Some(reviewer),
                                    "review.final_rejection_proposed",
                                    "verification",
                                    id,
                                )
                                .request(rid.as_deref())
                                .details(json!({ "attempt": row.attempt, "reason_codes": codes }));
                                audit::record(conn, event).await?;
                            }
                            Ok(ok)
                        })
                        .await?;
                    if !ok {
                        return Err(ApiError::new(ErrorCode::Conflict, "The case changed meanwhile; reload it."));
                    }
                    let body = DecisionResult {
                        outcome: DecisionOutcome::AwaitingSecondReview,
                        verification_status: row.status(),
                        case_state: CaseState::AwaitingSecond,
                    };
                    return Ok((StatusCode::OK, serde_json::to_value(body).map_err(ApiError::internal)?));
                }
                CaseState::AwaitingSecond if case.proposed_by == Some(reviewer) => {
                    return Err(ApiError::new(
                        ErrorCode::SecondReviewerRequired,
                        "A second reviewer must confirm your final rejection.",
                    ));
                }
                _ => {}
            }
        }
        let status = service::decide(
            &mut conn,
            &row,
            decision.clone(),
            state.config.verification.max_attempts_per_day,
            rid.as_deref(),
        )
        .await?;
        let event = AuditEvent::new(Some(reviewer), "review.decided", "verification", id)
            .request(rid.as_deref())
            .details(json!({
                "attempt": row.attempt,
                "decision": decision.decision,
                "reject_type": decision.reject_type,
                "reason_codes": codes,
                "proposal_by": if case.state() == CaseState::AwaitingSecond { case.proposed_by } else { None },
            }));
        audit::record(&mut conn, event).await?;
        let body = DecisionResult {
            outcome: DecisionOutcome::Decided,
            verification_status: status,
            case_state: CaseState::Decided,
        };
        Ok((StatusCode::OK, serde_json::to_value(body).map_err(ApiError::internal)?))
    })
    .await
}

/// The caller's own actions, newest first (admins may ask for another reviewer's).
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of audit events", body = AuditPage),
        (status = 403, description = "`forbidden`: reviewers only; another actor's trail is for admins", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`cursor`, `limit`)", body = ErrorBody),
    )
)]
#[get("/review/audit")]
pub async fn audit_trail(
    state: web::Data<AppState>,
    me: Reviewer,
    query: web::Query<AuditQuery>,
) -> ApiResult<web::Json<AuditPage>> {
    let q = query.into_inner();
    let limit = limit(q.limit, 200)?;
    let actor = match q.actor {
        Some(a) if a != me.0.id && !me.0.has(Role::Admin) => return Err(ApiError::forbidden()),
        Some(a) => a,
        None => me.0.id,
    };
    let before: Option<i64> = match q.cursor.as_deref() {
        Some(c) => Some(decode_cursor(c)?.1.parse().map_err(|_| bad_cursor())?),
        None => None,
    };
    let mut conn = state.db.get().await?;
    let mut sql = audit_events::table.filter(audit_events::actor_user_id.eq(actor)).into_boxed();
    if let Some(v) = q.verification_id {
        sql = sql
            .filter(audit_events::subject_type.eq("verification"))
            .filter(audit_events::subject_id.eq(v.to_string()));
    }
    if let Some(b) = before {
        sql = sql.filter(audit_events::id.lt(b));
    }
    type Row = (i64, DateTime<Utc>, Option<Uuid>, String, String, String, serde_json::Value);
    let rows: Vec<Row> = sql
        .order(audit_events::id.desc())
        .limit(limit + 1)
        .select((
            audit_events::id,
            audit_events::occurred_at,
            audit_events::actor_user_id,
            audit_events::action,
            audit_events::subject_type,
            audit_events::subject_id,
            audit_events::details,
        ))
        .load(&mut conn)
        .await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    let items: Vec<AuditEntry> = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|(id, occurred_at, actor_user_id, action, subject_type, subject_id, details)| AuditEntry {
            id,
            occurred_at,
            actor_user_id,
            action,
            subject_type,
            subject_id,
            details,
        })
        .collect();
    let next_cursor = if more { items.last().map(|i| encode_cursor(i.occurred_at, &i.id.to_string())) } else { None };
    Ok(web::Json(AuditPage { items, next_cursor }))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(queue).service(claim).service(release).service(show_case).service(decide).service(audit_trail);
}
