//! Logging: `tracing` with pretty or JSON output, and a request-id middleware.
//!
//! What must never be logged: names, dates of birth, document numbers, addresses, emails,
//! phone numbers, passwords, tokens, presigned URLs, raw request paths of routes that carry
//! tokens. The request log therefore records the route *pattern*, never the path or query.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest};
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    // A second init (tests build many apps in one process) is harmless.
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
}

#[derive(Clone)]
pub struct RequestId(pub String);

pub fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(|r| r.0.clone())
}

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Accepts a caller's `X-Request-Id` when it is short and plain, else makes one; logs one
/// line per request with the route pattern, status and latency.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let span = tracing::info_span!("request", request_id = %id);
    let started = Instant::now();
    let mut res = next.call(req).instrument(span.clone()).await?;
    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    let status = res.status().as_u16();
    let _enter = span.enter();
    tracing::info!(http.method = %method, http.route = %route, http.status = status, latency_ms = started.elapsed().as_millis() as u64, "request");
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(X_REQUEST_ID, v);
    }
    Ok(res)
}
