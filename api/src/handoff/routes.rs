//! `/api/v1/verifications/{id}/handoff*` and `/api/v1/handoff/exchange`: making a
//! continue-on-your-phone link, following it from the desktop, and the phone's side.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::json::{CaptureSession, ExchangeRequest, HandoffLink, HandoffState, HandoffStatus};
use super::{CAPTURE_PREFIX, Caller, HandoffRow, LINK_PREFIX, new_secret, token_hash};
use crate::app::{AppState, client_ip};
use crate::audit::{self, AuditEvent};
use crate::auth::AuthUser;
use crate::config::RateLimit;
use crate::db::schema::handoffs;
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode, FieldError};
use crate::telemetry::request_id;
use crate::verification::service;
use crate::{idempotency, ratelimit};

/// Exchanges per client IP: tokens are 256-bit, so this only slows down noise.
const EXCHANGES_PER_IP: RateLimit = RateLimit { count: 30, window: std::time::Duration::from_secs(300) };

fn invalid_link(reason: &'static str, message: &'static str) -> ApiError {
    ApiError::field(ErrorCode::HandoffInvalid, message, FieldError::new("token", reason, message))
}

fn seal_context(id: Uuid) -> String {
    format!("handoff/{id}")
}

/// The stored (idempotency) form of a new link keeps the token sealed; this opens it and
/// draws the link and its QR code.
fn reveal(state: &AppState, stored: serde_json::Value) -> ApiResult<serde_json::Value> {
    let bad = || ApiError::internal(anyhow::anyhow!("stored handoff response is malformed"));
    let id: Uuid = stored["id"].as_str().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let expires_at: DateTime<Utc> = stored["expires_at"].as_str().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let sealed = stored["token_sealed"].as_str().ok_or_else(bad)?;
    let token = state
        .pii
        .open(&seal_context(id), sealed)
        .map_err(|_| ApiError::internal(anyhow::anyhow!("cannot open a stored handoff token")))?;
    let url = format!("{}/handoff#{token}", state.config.notify.app_url);
    let qr = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("QR code: {e}")))?;
    let qr_svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(232, 232)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    serde_json::to_value(HandoffLink { id, url, expires_at, qr_svg }).map_err(ApiError::internal)
}

/// Make a link to continue the capture on a phone: open it there (or scan its QR code). It
/// works once, for 15 minutes by default; a new link replaces earlier unopened ones. The
/// verification must be a draft.
#[utoipa::path(
    tag = "handoff",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Replays the first response (the same link)")),
    responses(
        (status = 201, description = "The link", body = HandoffLink),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`invalid_state` or `verification_closed`: not a draft", body = ErrorBody),
        (status = 429, description = "`rate_limited` (5 links per verification per hour by default)", body = ErrorBody),
    )
)]
#[post("/verifications/{id}/handoff")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let vid = id.into_inner();
    let hash = idempotency::request_hash(&format!("handoff:{vid}"), b"");
    let work = async {
        let mut conn = state.db.get().await?;
        let row = service::load_owned(&mut conn, user.id, vid).await?;
        service::ensure_editable(&row)?;
        ratelimit::hit(&mut conn, &format!("handoff:{vid}"), state.config.handoff.per_verification).await?;
        let hid = Uuid::now_v7();
        let token = new_secret(LINK_PREFIX);
        let token_sealed = state.pii.seal(&seal_context(hid), &token).map_err(ApiError::internal)?;
        let ttl = chrono::Duration::from_std(state.config.handoff.link_ttl).map_err(ApiError::internal)?;
        let now = Utc::now();
        let expires_at = now + ttl;
        let rid = request_id(&req);
        conn.transaction::<_, diesel::result::Error, _>(async |conn| {
            // Only one link is live at a time.
            let revoked = diesel::update(
                handoffs::table
                    .filter(handoffs::verification_id.eq(vid))
                    .filter(handoffs::opened_at.is_null())
                    .filter(handoffs::revoked_at.is_null()),
            )
            .set(handoffs::revoked_at.eq(now))
            .execute(conn)
            .await?;
            diesel::insert_into(handoffs::table)
                .values((
                    handoffs::id.eq(hid),
                    handoffs::verification_id.eq(vid),
                    handoffs::user_id.eq(user.id),
                    handoffs::token_hash.eq(token_hash(&token)),
                    handoffs::expires_at.eq(expires_at),
                ))
                .execute(conn)
                .await?;
            audit::record(
                conn,
                AuditEvent::new(Some(user.id), "handoff.created", "verification", vid)
                    .request(rid.as_deref())
                    .details(serde_json::json!({ "handoff": hid, "revoked": revoked })),
            )
            .await
        })
        .await?;
        // Microseconds, as stored: a replay reads back exactly what was sent.
        let expires_at = expires_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        Ok((
            StatusCode::CREATED,
            serde_json::json!({ "id": hid, "expires_at": expires_at, "token_sealed": token_sealed }),
        ))
    };
    idempotency::run_revealing(&state.db, &req, user.id, hash, work, |stored| reveal(&state, stored)).await
}

async fn latest(conn: &mut AsyncPgConnection, vid: Uuid) -> QueryResult<Option<HandoffRow>> {
    handoffs::table
        .filter(handoffs::verification_id.eq(vid))
        .order(handoffs::created_at.desc())
        .select(HandoffRow::as_select())
        .first(conn)
        .await
        .optional()
}

fn status_of(h: Option<&HandoffRow>) -> HandoffStatus {
    let Some(h) = h else {
        return HandoffStatus {
            state: HandoffState::None,
            id: None,
            expires_at: None,
            opened_at: None,
            completed_at: None,
        };
    };
    let state = h.state(Utc::now());
    HandoffStatus {
        state,
        id: Some(h.id),
        expires_at: if h.opened_at.is_some() { h.session_expires_at } else { Some(h.expires_at) },
        opened_at: h.opened_at,
        completed_at: h.completed_at,
    }
}

/// Where the latest link stands, for the desktop to follow (poll it every few seconds; the
/// verification itself shows the photos as they arrive).
#[utoipa::path(
    tag = "handoff",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The latest link's state (`none` when there is none)", body = HandoffStatus),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/verifications/{id}/handoff")]
pub async fn status(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<HandoffStatus>> {
    let mut conn = state.db.get().await?;
    let row = service::load_owned(&mut conn, user.id, id.into_inner()).await?;
    Ok(web::Json(status_of(latest(&mut conn, row.id).await?.as_ref())))
}

/// Continue here instead: ends every link and phone session of this verification.
#[utoipa::path(
    tag = "handoff",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "Ended; the state is now `cancelled` (or `none`/`completed`)", body = HandoffStatus),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[delete("/verifications/{id}/handoff")]
pub async fn cancel(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<HandoffStatus>> {
    let mut conn = state.db.get().await?;
    let vid = service::load_owned(&mut conn, user.id, id.into_inner()).await?.id;
    let rid = request_id(&req);
    conn.transaction::<_, diesel::result::Error, _>(async |conn| {
        let n = diesel::update(
            handoffs::table
                .filter(handoffs::verification_id.eq(vid))
                .filter(handoffs::revoked_at.is_null())
                .filter(handoffs::completed_at.is_null()),
        )
        .set(handoffs::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await?;
        if n > 0 {
            audit::record(
                conn,
                AuditEvent::new(Some(user.id), "handoff.cancelled", "verification", vid).request(rid.as_deref()),
            )
            .await?;
        }
        Ok(())
    })
    .await?;
    Ok(web::Json(status_of(latest(&mut conn, vid).await?.as_ref())))
}

/// The phone's side: exchange the link's token, once, for a capture session.
#[utoipa::path(
    tag = "handoff",
    request_body = ExchangeRequest,
    responses(
        (status = 200, description = "The capture session", body = CaptureSession),
        (status = 409, description = "`verification_closed` or `invalid_state`: the verification is no longer a draft", body = ErrorBody),
        (status = 410, description = "`handoff_invalid`: `token` is `unknown`, `used`, `expired` or `revoked` (a newer link replaced it)", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    )
)]
#[post("/handoff/exchange")]
pub async fn exchange(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<ExchangeRequest>,
) -> ApiResult<web::Json<CaptureSession>> {
    let mut conn = state.db.get().await?;
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    ratelimit::hit(&mut conn, &ratelimit::hashed_bucket("handoff-ip", &ip), EXCHANGES_PER_IP).await?;
    let hash = token_hash(body.token.trim());
    let h: HandoffRow = handoffs::table
        .filter(handoffs::token_hash.eq(&hash))
        .select(HandoffRow::as_select())
        .first(&mut conn)
        .await
        .optional()?
        .ok_or_else(|| invalid_link("unknown", "This link is not valid; make a new one on your computer."))?;
    let now = Utc::now();
    if h.revoked_at.is_some() {
        return Err(invalid_link("revoked", "A newer link replaced this one; scan the latest QR code."));
    }
    if h.opened_at.is_some() {
        return Err(invalid_link("used", "This link was already used; make a new one on your computer."));
    }
    if h.expires_at <= now {
        return Err(invalid_link("expired", "This link has expired; make a new one on your computer."));
    }
    let row = service::load(&mut conn, h.verification_id).await?;
    service::ensure_editable(&row)?;
    let session = new_secret(CAPTURE_PREFIX);
    let ttl = chrono::Duration::from_std(state.config.handoff.session_ttl).map_err(ApiError::internal)?;
    let expires_at = now + ttl;
    let rid = request_id(&req);
    let opened = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            // Guarded: of two phones racing with one link, one wins.
            let n = diesel::update(
                handoffs::table
                    .find(h.id)
                    .filter(handoffs::opened_at.is_null())
                    .filter(handoffs::revoked_at.is_null())
                    .filter(handoffs::expires_at.gt(now)),
            )
            .set((
                handoffs::opened_at.eq(now),
                handoffs::session_hash.eq(token_hash(&session)),
                handoffs::session_expires_at.eq(expires_at),
            ))
            .execute(conn)
            .await?;
            if n == 1 {
                audit::record(
                    conn,
                    AuditEvent::new(Some(h.user_id), "handoff.opened", "verification", h.verification_id)
                        .request(rid.as_deref())
                        .details(serde_json::json!({ "handoff": h.id })),
                )
                .await?;
            }
            Ok(n == 1)
        })
        .await?;
    if !opened {
        return Err(invalid_link("used", "This link was already used; make a new one on your computer."));
    }
    Ok(web::Json(CaptureSession {
        capture_token: session,
        verification_id: h.verification_id,
        expires_in: ttl.num_seconds(),
        expires_at,
    }))
}

/// The phone is done: its session ends and the desktop continues.
#[utoipa::path(
    tag = "handoff",
    security(("capture" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "Completed", body = HandoffStatus),
        (status = 401, description = "`invalid_token` / `token_expired`: the session has ended", body = ErrorBody),
        (status = 403, description = "`forbidden`: only a phone's capture session completes a handoff", body = ErrorBody),
        (status = 404, description = "`not_found`: another verification", body = ErrorBody),
    )
)]
#[post("/verifications/{id}/handoff/complete")]
pub async fn complete(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<HandoffStatus>> {
    let mut conn = state.db.get().await?;
    let (row, who) = caller.authorize(&mut conn, id.into_inner()).await?;
    let Some(hid) = who.handoff else { return Err(ApiError::forbidden()) };
    let rid = request_id(&req);
    conn.transaction::<_, diesel::result::Error, _>(async |conn| {
        diesel::update(handoffs::table.find(hid).filter(handoffs::completed_at.is_null()))
            .set(handoffs::completed_at.eq(Utc::now()))
            .execute(conn)
            .await?;
        audit::record(
            conn,
            AuditEvent::new(Some(who.user_id), "handoff.completed", "verification", row.id)
                .request(rid.as_deref())
                .details(serde_json::json!({ "handoff": hid })),
        )
        .await
    })
    .await?;
    Ok(web::Json(status_of(latest(&mut conn, row.id).await?.as_ref())))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(create).service(status).service(cancel).service(exchange).service(complete);
}
