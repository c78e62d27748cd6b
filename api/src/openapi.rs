//! The OpenAPI document. Paths come from the same registration that builds the server
//! (`router::api` through utoipa-actix-web), so the two cannot differ; `openapi.yaml` at the
//! repository root is this document, and `ekyc openapi --check` fails when it drifts.

use actix_web::App;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::{ErrorBody, ErrorCode, ErrorDetail, FieldError};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ekyc API",
        description = "Self-hostable identity verification. Every error answers `{\"error\": {\"code\", \"message\", \"fields\"}}` with a stable `code` (see the `ErrorCode` schema).",
        license(name = "AGPL-3.0-or-later"),
    ),
    servers((url = "/", description = "this server")),
    tags(
        (name = "auth", description = "Accounts, sign-in and sessions"),
        (name = "catalogue", description = "Countries, their documents and rules; verification levels"),
        (name = "verifications", description = "The applicant's verification: personal information, images, submit, retry"),
        (name = "handoff", description = "Continue on a phone: a one-time link, the phone's capture session, the desktop following it"),
        (name = "notifications", description = "How the applicant hears about their verification: language, phone, email and SMS switches"),
        (name = "review", description = "Human review (reviewer role): the queue, claims, the case with its evidence, decisions, the audit trail"),
        (name = "admin", description = "Account administration (admin role)"),
        (name = "keys", description = "Public keys that verify access tokens"),
        (name = "health", description = "Liveness and readiness"),
    ),
    components(schemas(ErrorBody, ErrorDetail, ErrorCode, FieldError)),
    modifiers(&Security)
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("EdDSA access token from /api/v1/auth/login; keys at /.well-known/jwks.json"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "capture",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A phone's capture session (`ekyc_cs_…`) from /api/v1/handoff/exchange; only the capture routes of its verification accept it",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document as the server registers it, with the shared error responses added to
/// every operation.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(crate::router::api).split_for_parts();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    for item in api.paths.paths.values_mut() {
        let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in ops.into_iter().flatten() {
            add_common_errors(op);
        }
    }
    api
}

fn error_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
        .build()
}

fn add_common_errors(op: &mut Operation) {
    let has_body = op.request_body.is_some();
    let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let responses = &mut op.responses.responses;
    let mut add = |status: &str, description: &str| {
        responses.entry(status.to_owned()).or_insert_with(|| error_response(description).into());
    };
    if has_body {
        add("400", "`malformed_json`");
        add("413", "`payload_too_large`");
        add("415", "`unsupported_media_type`");
    } else if has_params {
        add("400", "`invalid_parameter`");
    }
    add("500", "`internal_error` (opaque; the cause is logged)");
    add("503", "`dependency_unavailable`, with Retry-After");
}

pub fn to_yaml() -> anyhow::Result<String> {
    document().to_yaml().map_err(|e| anyhow::anyhow!("serialising the spec: {e}"))
}
