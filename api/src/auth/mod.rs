//! Accounts, sessions and the request extractors that say who is calling.
//!
//! People authenticate with a short-lived EdDSA access token (`Authorization: Bearer`) and
//! renew it with an opaque, rotating refresh token (JSON body for apps, an HttpOnly cookie
//! for the SPA). Role checks are extractors: a handler that takes [`Reviewer`] cannot run
//! for an applicant.

pub mod email;
pub mod jwt;
pub mod model;
pub mod password;
pub mod routes;
pub mod session;

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::error::{ApiError, ErrorCode};
use jwt::TokenError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Applicant,
    Reviewer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applicant => "applicant",
            Self::Reviewer => "reviewer",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "applicant" => Some(Self::Applicant),
            "reviewer" => Some(Self::Reviewer),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// The caller, proven by a valid access token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: Uuid,
    pub session: Uuid,
    pub roles: Vec<Role>,
}

impl AuthUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Prefix of the capture sessions a phone gets from a continue-on-your-phone link
/// (`crate::handoff`). Only the capture routes of one verification accept them.
pub const CAPTURE_PREFIX: &str = "ekyc_cs_";

/// The token of `Authorization: Bearer <token>`.
pub fn bearer_token(req: &HttpRequest) -> Result<&str, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized(ErrorCode::Unauthorized, "Sign in first: send a Bearer access token."))?;
    value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(ErrorCode::InvalidToken, "The Authorization header must be `Bearer <token>`.")
        })
}

fn authenticate(req: &HttpRequest) -> Result<AuthUser, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("application state missing")))?;
    let token = bearer_token(req)?;
    if token.starts_with(CAPTURE_PREFIX) {
        // A phone's capture session is not a sign-in: it never reaches account routes.
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "A phone capture session can only take the photos of its own verification.",
        ));
    }
    match state.jwt.verify(token) {
        Ok(claims) => Ok(AuthUser { id: claims.sub, session: claims.sid, roles: claims.roles }),
        Err(TokenError::Expired) => {
            Err(ApiError::unauthorized(ErrorCode::TokenExpired, "The access token has expired; refresh it."))
        }
        Err(TokenError::Invalid) => {
            Err(ApiError::unauthorized(ErrorCode::InvalidToken, "The access token is not valid."))
        }
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

/// A caller with the reviewer role (admins included).
#[derive(Debug, Clone)]
pub struct Reviewer(pub AuthUser);

impl FromRequest for Reviewer {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).and_then(|u| {
            if u.has(Role::Reviewer) || u.has(Role::Admin) { Ok(Self(u)) } else { Err(ApiError::forbidden()) }
        }))
    }
}

/// A caller with the admin role.
#[derive(Debug, Clone)]
pub struct Admin(pub AuthUser);

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).and_then(|u| if u.has(Role::Admin) { Ok(Self(u)) } else { Err(ApiError::forbidden()) }))
    }
}
