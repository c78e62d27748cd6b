//! Reading one image from a `multipart/form-data` body (part `file`), within a byte limit.

use actix_multipart::{Multipart, MultipartError};
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;

use crate::error::{ApiError, ApiResult, ErrorCode, FieldError};

fn too_large(max: usize) -> ApiError {
    ApiError::field(
        ErrorCode::PayloadTooLarge,
        "The image is too large.",
        FieldError::new("file", "too_large", format!("Upload at most {} MB.", max / (1024 * 1024))),
    )
}

/// The bytes of the part named `file`; other parts are ignored.
pub async fn read_file(req: &HttpRequest, payload: web::Payload, max: usize) -> ApiResult<Vec<u8>> {
    // Refuse what announces itself as too large before reading it.
    let announced = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > max + 64 * 1024) {
        return Err(too_large(max));
    }
    let mut multipart = Multipart::new(req.headers(), payload);
    let mut file: Option<Vec<u8>> = None;
    // Other parts are skipped, but count towards the limit: a body is never unbounded.
    let mut total = 0usize;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(multipart_error)?;
        let is_file = field.name() == Some("file");
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(multipart_error)?;
            total += chunk.len();
            if total > max + 64 * 1024 {
                return Err(too_large(max));
            }
            if is_file {
                if buf.len() + chunk.len() > max {
                    return Err(too_large(max));
                }
                buf.extend_from_slice(&chunk);
            }
        }
        if is_file && file.is_none() {
            file = Some(buf);
        }
    }
    file.ok_or_else(|| {
        ApiError::validation(vec![FieldError::new("file", "required", "Send the image in a form part named `file`.")])
    })
}

fn multipart_error(e: MultipartError) -> ApiError {
    match e {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the image as multipart/form-data with a part named `file`.",
        ),
        other => ApiError::new(ErrorCode::InvalidParameter, format!("The upload could not be read: {other}.")),
    }
}

/// One part of a multipart body.
pub struct Part {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Every part of a multipart body, in order, within `max_total` bytes and `max_parts` parts
/// (a burst of liveness frames and its JSON description).
pub async fn read_parts(
    req: &HttpRequest,
    payload: web::Payload,
    max_total: usize,
    max_parts: usize,
) -> ApiResult<Vec<Part>> {
    let announced = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > max_total + 64 * 1024) {
        return Err(too_large(max_total));
    }
    let mut multipart = Multipart::new(req.headers(), payload);
    let mut parts = Vec::new();
    let mut total = 0usize;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(multipart_error)?;
        if parts.len() >= max_parts {
            return Err(ApiError::validation(vec![FieldError::new(
                "frame",
                "too_many",
                format!("Send at most {} parts.", max_parts),
            )]));
        }
        let name = field.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(multipart_error)?;
            total += chunk.len();
            if total > max_total {
                return Err(too_large(max_total));
            }
            bytes.extend_from_slice(&chunk);
        }
        parts.push(Part { name, bytes });
    }
    Ok(parts)
}
