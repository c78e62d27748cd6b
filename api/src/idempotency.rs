//! `Idempotency-Key` for creating POSTs: the first successful response is stored and
//! replayed for the same key and body; the same key with another body is 422; a key whose
//! first request is still running is 409. Failed requests are not stored, so they can be
//! retried with the same key. Keys are scoped to the caller.

use std::future::Future;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::DbPool;
use crate::db::schema::idempotency_keys;
use crate::error::{ApiError, ApiResult, ErrorCode, FieldError};

pub const HEADER: &str = "Idempotency-Key";

/// The key from the request, if any (1–200 printable ASCII characters).
pub fn key_of(req: &HttpRequest) -> ApiResult<Option<String>> {
    let Some(value) = req.headers().get(HEADER) else { return Ok(None) };
    let key = value.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= 200);
    match key {
        Some(k) => Ok(Some(k.to_owned())),
        None => Err(ApiError::field(
            ErrorCode::InvalidParameter,
            "The Idempotency-Key header is not valid.",
            FieldError::new("Idempotency-Key", "invalid_format", "Use 1 to 200 printable characters, e.g. a UUID."),
        )),
    }
}

/// Hash of what identifies "the same request": the route and the body.
pub fn request_hash(route: &str, body: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(route.as_bytes());
    h.update([0]);
    h.update(body);
    h.finalize().to_vec()
}

#[derive(Queryable)]
struct Stored {
    request_hash: Vec<u8>,
    status_code: Option<i32>,
    response_body: Option<serde_json::Value>,
}

/// Runs `work` at most once per (caller, key); without a key it simply runs it.
pub async fn run<F>(db: &DbPool, req: &HttpRequest, user: Uuid, hash: Vec<u8>, work: F) -> ApiResult<HttpResponse>
where
    F: Future<Output = ApiResult<(StatusCode, serde_json::Value)>>,
{
    run_revealing(db, req, user, hash, work, Ok).await
}

/// [`run`] for a response that carries a secret which must not be stored in clear: `work`
/// returns the body to store (the secret sealed), and `reveal` turns a stored body into the
/// one sent, both the first time and on every replay.
pub async fn run_revealing<F, R>(
    db: &DbPool,
    req: &HttpRequest,
    user: Uuid,
    hash: Vec<u8>,
    work: F,
    reveal: R,
) -> ApiResult<HttpResponse>
where
    F: Future<Output = ApiResult<(StatusCode, serde_json::Value)>>,
    R: Fn(serde_json::Value) -> ApiResult<serde_json::Value>,
{
    let Some(key) = key_of(req)? else {
        let (status, body) = work.await?;
        return Ok(HttpResponse::build(status).json(reveal(body)?));
    };
    let mut conn = db.get().await?;
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user),
            idempotency_keys::key.eq(&key),
            idempotency_keys::request_hash.eq(&hash),
        ))
        .on_conflict_do_nothing()
        .execute(&mut conn)
        .await?;
    if inserted == 0 {
        let stored: Stored = idempotency_keys::table
            .find((user, &key))
            .select((idempotency_keys::request_hash, idempotency_keys::status_code, idempotency_keys::response_body))
            .first(&mut conn)
            .await?;
        if stored.request_hash != hash {
            return Err(ApiError::new(
                ErrorCode::IdempotencyKeyReused,
                "This Idempotency-Key was used for a different request.",
            ));
        }
        return match (stored.status_code, stored.response_body) {
            (Some(code), Some(body)) => {
                let status =
                    u16::try_from(code).ok().and_then(|c| StatusCode::from_u16(c).ok()).unwrap_or(StatusCode::OK);
                Ok(HttpResponse::build(status).insert_header(("Idempotent-Replayed", "true")).json(reveal(body)?))
            }
            _ => Err(ApiError::new(
                ErrorCode::IdempotencyInProgress,
                "A request with this Idempotency-Key is still being processed.",
            )
            .with_retry_after(1)),
        };
    }
    drop(conn);
    let outcome = work.await;
    let mut conn = db.get().await?;
    match outcome {
        Ok((status, body)) => {
            diesel::update(idempotency_keys::table.find((user, &key)))
                .set((
                    idempotency_keys::status_code.eq(i32::from(status.as_u16())),
                    idempotency_keys::response_body.eq(&body),
                ))
                .execute(&mut conn)
                .await?;
            Ok(HttpResponse::build(status).json(reveal(body)?))
        }
        Err(e) => {
            diesel::delete(idempotency_keys::table.find((user, &key))).execute(&mut conn).await?;
            Err(e)
        }
    }
}
