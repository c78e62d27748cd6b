//! The one error type of the API and the policy that maps failures onto HTTP.
//!
//! Policy:
//! - Every error answers `{"error": {"code", "message", "fields"?}}` with a stable
//!   snake_case [`ErrorCode`]; clients switch on the code, never on the message.
//! - Bad input is the client's problem: 400/404/405/413/415/422 with the field concerned.
//! - A dependency that is down (database, object storage) is 503 with `Retry-After`.
//! - Anything unexpected is an opaque 500; its cause chain is logged once, here, and never
//!   sent to the client.
//! - Extractor failures, unknown routes and wrong methods use the same shape (see
//!   [`json_config`] and friends, and `router::fallback`).

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// Machine-readable error codes. Stable: clients translate them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    ValidationFailed,
    MalformedJson,
    UnsupportedMediaType,
    PayloadTooLarge,
    InvalidParameter,
    NotFound,
    MethodNotAllowed,
    Unauthorized,
    InvalidCredentials,
    TokenExpired,
    InvalidToken,
    Forbidden,
    EmailTaken,
    RateLimited,
    Conflict,
    VerificationExists,
    VerificationClosed,
    InvalidState,
    AttemptsExhausted,
    IdempotencyKeyReused,
    IdempotencyInProgress,
    LivenessFailed,
    ChallengeInvalid,
    ClaimedByOther,
    ClaimRequired,
    SecondReviewerRequired,
    /// A continue-on-your-phone link that was used, expired, replaced or never existed
    /// (`fields[0]` says which: `token` with `used`, `expired`, `revoked` or `unknown`).
    HandoffInvalid,
    DependencyUnavailable,
    InternalError,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ValidationFailed => "validation_failed",
            Self::MalformedJson => "malformed_json",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge => "payload_too_large",
            Self::InvalidParameter => "invalid_parameter",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Unauthorized => "unauthorized",
            Self::InvalidCredentials => "invalid_credentials",
            Self::TokenExpired => "token_expired",
            Self::InvalidToken => "invalid_token",
            Self::Forbidden => "forbidden",
            Self::EmailTaken => "email_taken",
            Self::RateLimited => "rate_limited",
            Self::Conflict => "conflict",
            Self::VerificationExists => "verification_exists",
            Self::VerificationClosed => "verification_closed",
            Self::InvalidState => "invalid_state",
            Self::AttemptsExhausted => "attempts_exhausted",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::IdempotencyInProgress => "idempotency_in_progress",
            Self::LivenessFailed => "liveness_failed",
            Self::ChallengeInvalid => "challenge_invalid",
            Self::ClaimedByOther => "claimed_by_other",
            Self::ClaimRequired => "claim_required",
            Self::SecondReviewerRequired => "second_reviewer_required",
            Self::HandoffInvalid => "handoff_invalid",
            Self::DependencyUnavailable => "dependency_unavailable",
            Self::InternalError => "internal_error",
        }
    }

    /// The status each code answers with.
    pub fn status(self) -> StatusCode {
        match self {
            Self::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            Self::MalformedJson | Self::InvalidParameter => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Unauthorized | Self::InvalidCredentials | Self::TokenExpired | Self::InvalidToken => {
                StatusCode::UNAUTHORIZED
            }
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::EmailTaken
            | Self::Conflict
            | Self::VerificationExists
            | Self::VerificationClosed
            | Self::InvalidState
            | Self::AttemptsExhausted
            | Self::IdempotencyInProgress
            | Self::ChallengeInvalid
            | Self::ClaimedByOther
            | Self::ClaimRequired
            | Self::SecondReviewerRequired => StatusCode::CONFLICT,
            Self::IdempotencyKeyReused | Self::LivenessFailed => StatusCode::UNPROCESSABLE_ENTITY,
            Self::HandoffInvalid => StatusCode::GONE,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::DependencyUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// A problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `password` or `address.postcode`.
    pub field: String,
    /// Machine-readable reason, e.g. `required`, `too_short`, `invalid_format`.
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.into(), message: message.into() }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// Human-readable English text; for people, not for program logic.
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

pub struct ApiError {
    code: ErrorCode,
    message: String,
    fields: Vec<FieldError>,
    retry_after: Option<u64>,
    allow: Option<String>,
    /// The cause of an internal error; logged, never sent.
    source: Option<anyhow::Error>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), fields: Vec::new(), retry_after: None, allow: None, source: None }
    }

    pub fn validation(fields: Vec<FieldError>) -> Self {
        let mut e = Self::new(ErrorCode::ValidationFailed, "Some fields are not valid.");
        e.fields = fields;
        e
    }

    pub fn field(code: ErrorCode, message: impl Into<String>, field: FieldError) -> Self {
        let mut e = Self::new(code, message);
        e.fields.push(field);
        e
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound, "Nothing was found at this address.")
    }

    pub fn unauthorized(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(code, message)
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden, "Your account may not do this.")
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        let mut e = Self::new(ErrorCode::RateLimited, "Too many attempts. Try again later.");
        e.retry_after = Some(retry_after.max(1));
        e
    }

    /// A dependency (named, not described) is down; clients should retry.
    pub fn unavailable(dependency: &'static str, cause: impl Into<anyhow::Error>) -> Self {
        let mut e = Self::new(ErrorCode::DependencyUnavailable, format!("A dependency is unavailable: {dependency}."));
        e.retry_after = Some(5);
        e.source = Some(cause.into());
        e
    }

    pub fn method_not_allowed(allow: String) -> Self {
        let mut e = Self::new(ErrorCode::MethodNotAllowed, "This method is not allowed here.");
        e.allow = Some(allow);
        e
    }

    /// Something we did not expect: logged with its cause, answered as an opaque 500.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        let mut e = Self::new(ErrorCode::InternalError, "Something went wrong on our side.");
        e.source = Some(cause.into());
        e
    }

    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    pub fn push_field(mut self, field: FieldError) -> Self {
        self.fields.push(field);
        self
    }

    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn fields(&self) -> &[FieldError] {
        &self.fields
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("fields", &self.fields.len())
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        match (&self.source, self.code) {
            (Some(cause), ErrorCode::InternalError) => {
                tracing::error!(
                    error.code = self.code.as_str(),
                    error.cause = format!("{cause:#}"),
                    "unexpected error"
                );
            }
            (Some(cause), _) => {
                tracing::warn!(error.code = self.code.as_str(), error.cause = format!("{cause:#}"), "dependency error");
            }
            (None, _) => {}
        }
        let mut res = HttpResponse::build(self.status_code());
        if let Some(secs) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if let Some(allow) = &self.allow
            && let Ok(v) = HeaderValue::from_str(allow)
        {
            res.insert_header((header::ALLOW, v));
        }
        res.insert_header((header::CACHE_CONTROL, "no-store"));
        res.json(ErrorBody {
            error: ErrorDetail { code: self.code, message: self.message.clone(), fields: self.fields.clone() },
        })
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match &e {
            Error::NotFound => Self::not_found(),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                Self::new(ErrorCode::Conflict, "This conflicts with something that already exists.")
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => Self::unavailable("database", e),
            _ => Self::internal(e),
        }
    }
}

impl From<crate::db::PoolError> for ApiError {
    fn from(e: crate::db::PoolError) -> Self {
        Self::unavailable("database", e)
    }
}

// ---- extractor errors, in the same shape ----

/// JSON bodies: 64 KiB at most, `application/json` only.
pub fn json_config() -> actix_web::web::JsonConfig {
    actix_web::web::JsonConfig::default().limit(64 * 1024).error_handler(|err, _req| json_error(&err).into())
}

fn json_error(err: &actix_web::error::JsonPayloadError) -> ApiError {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::ContentType => {
            ApiError::new(ErrorCode::UnsupportedMediaType, "Send the body as JSON with Content-Type: application/json.")
        }
        E::Overflow { .. } | E::OverflowKnownLength { .. } => {
            ApiError::new(ErrorCode::PayloadTooLarge, "The request body is too large.")
        }
        E::Deserialize(de) if de.is_data() => {
            // serde names the field in its message ("missing field `password`", "unknown
            // field `x`"); take it out so clients can highlight the right input.
            let text = de.to_string();
            let field = text.split('`').nth(1).unwrap_or("body").to_owned();
            let code = if text.starts_with("missing field") { "required" } else { "invalid_type" };
            ApiError::field(
                ErrorCode::ValidationFailed,
                "The request body does not have the expected fields.",
                FieldError::new(field, code, strip_position(&text)),
            )
        }
        E::Deserialize(de) => ApiError::new(
            ErrorCode::MalformedJson,
            format!("The body is not valid JSON: {}.", strip_position(&de.to_string())),
        ),
        _ => ApiError::new(ErrorCode::MalformedJson, "The request body could not be read."),
    }
}

fn strip_position(text: &str) -> String {
    text.split(" at line ").next().unwrap_or(text).to_owned()
}

pub fn query_config() -> actix_web::web::QueryConfig {
    actix_web::web::QueryConfig::default().error_handler(|err, _req| {
        ApiError::field(
            ErrorCode::InvalidParameter,
            "A query parameter is not valid.",
            FieldError::new("query", "invalid_format", strip_position(&err.to_string())),
        )
        .into()
    })
}

pub fn path_config() -> actix_web::web::PathConfig {
    actix_web::web::PathConfig::default().error_handler(|err, _req| {
        ApiError::field(
            ErrorCode::InvalidParameter,
            "A path parameter is not valid.",
            FieldError::new("path", "invalid_format", err.to_string()),
        )
        .into()
    })
}

/// Last line of defence: any error response that is not already our JSON (actix's own
/// plain-text errors) is rewritten into the shape, keeping its status.
pub fn normalise_error_response<B>(
    res: actix_web::dev::ServiceResponse<B>,
) -> actix_web::Result<actix_web::middleware::ErrorHandlerResponse<B>> {
    let is_json = res
        .response()
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return Ok(actix_web::middleware::ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let code = match status {
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::UNAUTHORIZED => ErrorCode::Unauthorized,
        StatusCode::FORBIDDEN => ErrorCode::Forbidden,
        StatusCode::TOO_MANY_REQUESTS => ErrorCode::RateLimited,
        StatusCode::SERVICE_UNAVAILABLE => ErrorCode::DependencyUnavailable,
        s if s.is_client_error() => ErrorCode::InvalidParameter,
        _ => ErrorCode::InternalError,
    };
    let (req, old) = res.into_parts();
    let mut body = ApiError::new(code, status.canonical_reason().unwrap_or("Error").to_owned()).error_response();
    *body.status_mut() = status;
    for (name, value) in old.headers() {
        if name == header::ALLOW || name == header::RETRY_AFTER {
            body.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(actix_web::middleware::ErrorHandlerResponse::Response(
        actix_web::dev::ServiceResponse::new(req, body).map_into_right_body(),
    ))
}
