//! `/api/v1/auth/*` and `/api/v1/me`.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::email::Email;
use super::model::{NewUser, UserRow};
use super::session::{self, Rotation};
use super::{AuthUser, Role, password};
use crate::app::{AppState, client_ip};
use crate::audit::{self, AuditEvent};
use crate::db::schema::users;
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode, FieldError};
use crate::ratelimit;
use crate::telemetry::request_id;

pub const REFRESH_COOKIE: &str = "ekyc_refresh";
const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

/// Email and password. Not `Debug`: it holds a password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    #[schema(example = "jane@example.com")]
    pub email: String,
    #[schema(example = "correct horse battery staple", format = Password)]
    pub password: String,
}

/// A refresh token from the body (apps) or, when absent, the `ekyc_refresh` cookie (SPA).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub roles: Vec<Role>,
    pub created_at: DateTime<Utc>,
}

impl From<&UserRow> for Me {
    fn from(u: &UserRow) -> Self {
        Self { id: u.id, email: u.email.clone(), roles: u.roles(), created_at: u.created_at }
    }
}

/// A signed-in session.
#[derive(Serialize, ToSchema)]
pub struct AuthSession {
    /// EdDSA JWT for `Authorization: Bearer`; short-lived.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Opaque, single-use; exchange it at `/auth/refresh` for a new session pair.
    pub refresh_token: String,
    pub refresh_expires_in: u64,
    pub user: Me,
}

fn session_response(
    state: &AppState,
    status: actix_web::http::StatusCode,
    user: &UserRow,
    family: Uuid,
    refresh_token: String,
) -> ApiResult<HttpResponse> {
    let access_token = state.jwt.issue(user.id, family, user.roles()).map_err(ApiError::internal)?;
    let refresh_ttl = state.config.auth.refresh_ttl.as_secs();
    let cookie = Cookie::build(REFRESH_COOKIE, refresh_token.clone())
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Strict)
        .max_age(time::Duration::seconds(i64::try_from(refresh_ttl).unwrap_or(0)))
        .finish();
    Ok(HttpResponse::build(status).insert_header(("Cache-Control", "no-store")).cookie(cookie).json(AuthSession {
        access_token,
        token_type: "Bearer",
        expires_in: state.jwt.ttl().as_secs(),
        refresh_token,
        refresh_expires_in: refresh_ttl,
        user: Me::from(user),
    }))
}

fn clear_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = Cookie::build(REFRESH_COOKIE, "")
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Strict)
        .finish();
    c.make_removal();
    c
}

/// Create an applicant account and sign in.
#[utoipa::path(
    tag = "auth",
    request_body = Credentials,
    responses(
        (status = 201, description = "Account created and signed in", body = AuthSession),
        (status = 409, description = "`email_taken`", body = ErrorBody),
        (status = 422, description = "`validation_failed` with field errors", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<Credentials>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let email = Email::parse(&body.email);
    let policy = password::check_policy(&body.password, &body.email);
    let email = match (email, policy) {
        (Ok(e), Ok(())) => e,
        (e, p) => return Err(ApiError::validation([e.err(), p.err()].into_iter().flatten().collect())),
    };
    let mut conn = state.db.get().await?;
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    ratelimit::hit(&mut conn, &format!("register:ip:{ip}"), state.config.auth.register_per_ip).await?;

    let hash = hash_blocking(body.password).await?;
    let rid = request_id(&req);
    let ttl = state.config.auth.refresh_ttl;
    let created = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            let user: UserRow = diesel::insert_into(users::table)
                .values(NewUser {
                    id: Uuid::now_v7(),
                    email: email.as_str(),
                    password_hash: &hash,
                    roles: vec![Some(Role::Applicant.as_str().to_owned())],
                })
                .on_conflict_do_nothing()
                .returning(UserRow::as_returning())
                .get_result(conn)
                .await
                .optional()?
                .ok_or(diesel::result::Error::RollbackTransaction)?;
            let family = Uuid::now_v7();
            let token = session::issue(conn, user.id, family, ttl).await?;
            audit::record(
                conn,
                AuditEvent::new(Some(user.id), "user.registered", "user", user.id).request(rid.as_deref()),
            )
            .await?;
            Ok((user, family, token))
        })
        .await;
    match created {
        Ok((user, family, token)) => {
            tracing::info!(user.id = %user.id, "account registered");
            session_response(&state, actix_web::http::StatusCode::CREATED, &user, family, token)
        }
        Err(diesel::result::Error::RollbackTransaction) => Err(ApiError::field(
            ErrorCode::EmailTaken,
            "An account with this email already exists.",
            FieldError::new("email", "email_taken", "An account with this email already exists; sign in instead."),
        )),
        Err(e) => Err(e.into()),
    }
}

async fn hash_blocking(password: String) -> ApiResult<String> {
    web::block(move || password::hash(&password)).await.map_err(ApiError::internal)?.map_err(ApiError::internal)
}

/// Sign in with email and password.
#[utoipa::path(
    tag = "auth",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in", body = AuthSession),
        (status = 401, description = "`invalid_credentials`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
        (status = 429, description = "`rate_limited` (per IP and per account)", body = ErrorBody),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<Credentials>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let mut missing = Vec::new();
    if body.email.trim().is_empty() {
        missing.push(FieldError::new("email", "required", "Enter your email address."));
    }
    if body.password.is_empty() {
        missing.push(FieldError::new("password", "required", "Enter your password."));
    }
    if !missing.is_empty() {
        return Err(ApiError::validation(missing));
    }
    let normalised = body.email.trim().to_lowercase();
    let mut conn = state.db.get().await?;
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    ratelimit::hit(&mut conn, &format!("login:ip:{ip}"), state.config.auth.login_per_ip).await?;
    ratelimit::hit(
        &mut conn,
        &ratelimit::hashed_bucket("login:account", &normalised),
        state.config.auth.login_per_account,
    )
    .await?;

    let user: Option<UserRow> = users::table
        .filter(users::email.eq(&normalised))
        .select(UserRow::as_select())
        .first(&mut conn)
        .await
        .optional()?;
    let stored = user.as_ref().map_or_else(|| password::DUMMY_HASH.clone(), |u| u.password_hash.clone());
    let password = body.password;
    let ok = web::block(move || password::verify(&password, &stored)).await.map_err(ApiError::internal)?;
    let rid = request_id(&req);
    let user = match user {
        Some(u) if ok && u.disabled_at.is_none() => u,
        other => {
            if let Some(u) = other {
                audit::record(
                    &mut conn,
                    AuditEvent::new(Some(u.id), "session.login_failed", "user", u.id).request(rid.as_deref()),
                )
                .await?;
            }
            return Err(ApiError::unauthorized(ErrorCode::InvalidCredentials, "The email or password is not correct."));
        }
    };
    let ttl = state.config.auth.refresh_ttl;
    let (family, token) = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            let family = Uuid::now_v7();
            let token = session::issue(conn, user.id, family, ttl).await?;
            audit::record(
                conn,
                AuditEvent::new(Some(user.id), "session.created", "session", family).request(rid.as_deref()),
            )
            .await?;
            Ok((family, token))
        })
        .await?;
    session_response(&state, actix_web::http::StatusCode::OK, &user, family, token)
}

fn presented_refresh(req: &HttpRequest, body: Option<web::Json<RefreshRequest>>) -> Option<String> {
    body.and_then(|b| b.into_inner().refresh_token)
        .filter(|t| !t.is_empty())
        .or_else(|| req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned()).filter(|t| !t.is_empty()))
}

/// Exchange a refresh token for a new access token and a new refresh token.
///
/// Each refresh token works once. Presenting one that was already used ends the whole
/// session (every token of its family), as it means the token was copied.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new session pair", body = AuthSession),
        (status = 401, description = "`invalid_token`: unknown, expired, revoked or reused", body = ErrorBody),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> ApiResult<HttpResponse> {
    let presented = presented_refresh(&req, body)
        .ok_or_else(|| ApiError::unauthorized(ErrorCode::InvalidToken, "No refresh token was presented."))?;
    let rid = request_id(&req);
    let ttl = state.config.auth.refresh_ttl;
    let mut conn = state.db.get().await?;
    let outcome = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            session::rotate(conn, &presented, ttl, rid.as_deref()).await
        })
        .await?;
    match outcome {
        Rotation::Rotated { user_id, family_id, token } => {
            let user: UserRow = users::table.find(user_id).select(UserRow::as_select()).first(&mut conn).await?;
            if user.disabled_at.is_some() {
                return Err(ApiError::unauthorized(ErrorCode::InvalidToken, "This account is disabled."));
            }
            session_response(&state, actix_web::http::StatusCode::OK, &user, family_id, token)
        }
        Rotation::Invalid | Rotation::ReuseDetected => {
            Err(ApiError::unauthorized(ErrorCode::InvalidToken, "The refresh token is not valid; sign in again."))
        }
    }
}

/// End the session of a refresh token (every token of its family).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out (also when the token was already invalid)"))
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> ApiResult<HttpResponse> {
    if let Some(presented) = presented_refresh(&req, body) {
        let mut conn = state.db.get().await?;
        if let Some((user_id, family)) = session::family_of(&mut conn, &presented).await? {
            let rid = request_id(&req);
            conn.transaction::<_, diesel::result::Error, _>(async |conn| {
                session::revoke_family(conn, family).await?;
                audit::record(
                    conn,
                    AuditEvent::new(Some(user_id), "session.logged_out", "session", family).request(rid.as_deref()),
                )
                .await
            })
            .await?;
        }
    }
    Ok(HttpResponse::NoContent().cookie(clear_cookie(&state)).finish())
}

/// The signed-in account.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = Me),
        (status = 401, description = "`unauthorized`, `invalid_token` or `token_expired`", body = ErrorBody),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, user: AuthUser) -> ApiResult<web::Json<Me>> {
    let mut conn = state.db.get().await?;
    let row: Option<UserRow> =
        users::table.find(user.id).select(UserRow::as_select()).first(&mut conn).await.optional()?;
    match row {
        Some(u) if u.disabled_at.is_none() => Ok(web::Json(Me::from(&u))),
        _ => Err(ApiError::unauthorized(ErrorCode::InvalidToken, "This account no longer exists or is disabled.")),
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(register).service(login).service(refresh).service(logout).service(me);
}
