//! Every route, registered once: the server and the OpenAPI document both come from
//! [`api`]. Unknown routes and wrong methods are answered by [`fallback`].

use std::path::PathBuf;

use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::AppState;
use crate::auth::jwt::JwkSet;
use crate::error::ApiError;
use crate::{admin, auth, catalogue, handoff, health, notify, review, verification};

pub fn api(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health::healthz).service(health::readyz).service(jwks).service(
        utoipa_actix_web::scope("/api/v1")
            .configure(auth::routes::configure)
            .configure(catalogue::routes::configure)
            .configure(verification::routes::configure)
            .configure(verification::liveness::configure)
            .configure(handoff::routes::configure)
            .configure(admin::routes::configure)
            .configure(verification::admin::configure)
            .configure(notify::settings::configure)
            .configure(notify::admin::configure)
            .configure(review::routes::configure),
    );
}

/// The public keys that verify access tokens (RFC 7517).
#[utoipa::path(tag = "keys", responses((status = 200, description = "The JSON Web Key Set", body = JwkSet)))]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().insert_header(("Cache-Control", "public, max-age=300")).json(state.jwt.jwks())
}

/// Route templates and their methods, taken from the OpenAPI document, so that a known
/// path with the wrong method answers 405 with `Allow` instead of 404.
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<Method>)>,
}

impl RouteTable {
    pub fn from_spec(api: &utoipa::openapi::OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.trim_matches('/').split('/').map(str::to_owned).collect();
                let mut methods = Vec::new();
                for (present, m) in [
                    (item.get.is_some(), Method::GET),
                    (item.post.is_some(), Method::POST),
                    (item.put.is_some(), Method::PUT),
                    (item.delete.is_some(), Method::DELETE),
                    (item.patch.is_some(), Method::PATCH),
                ] {
                    if present {
                        methods.push(m);
                    }
                }
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// Methods allowed on `path`, if some route template matches it.
    pub fn allowed(&self, path: &str) -> Option<&[Method]> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.routes
            .iter()
            .find(|(segments, _)| {
                segments.len() == parts.len()
                    && segments.iter().zip(&parts).all(|(s, p)| (s.starts_with('{') && !p.is_empty()) || s == p)
            })
            .map(|(_, m)| m.as_slice())
    }
}

/// Where the SPA lives, when this process serves it.
#[derive(Clone)]
pub struct WebDir(pub PathBuf);

fn is_api_path(path: &str) -> bool {
    path == "/api"
        || path.starts_with("/api/")
        || path.starts_with("/.well-known/")
        || path == "/healthz"
        || path == "/readyz"
}

/// Unknown route → 404, known route with another method → 405 (with `Allow`), and for the
/// SPA's own client-side routes (GET of a non-API path) → its `index.html`.
pub async fn fallback(req: HttpRequest, table: web::Data<RouteTable>) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if let Some(methods) = table.allowed(path) {
        let mut allow: Vec<&str> = methods.iter().map(Method::as_str).collect();
        if methods.contains(&Method::GET) {
            allow.push("HEAD");
        }
        if req.method() == Method::HEAD && methods.contains(&Method::GET) {
            return Err(ApiError::not_found());
        }
        return Err(ApiError::method_not_allowed(allow.join(", ")));
    }
    if (req.method() == Method::GET || req.method() == Method::HEAD)
        && !is_api_path(path)
        && let Some(dir) = req.app_data::<web::Data<WebDir>>()
    {
        let file = actix_files::NamedFile::open_async(dir.0.join("index.html")).await.map_err(ApiError::internal)?;
        return Ok(file.use_etag(true).into_response(&req));
    }
    Err(ApiError::not_found())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_table_matches_templates() {
        let table = RouteTable {
            routes: vec![
                (vec!["api".into(), "v1".into(), "me".into()], vec![Method::GET]),
                (vec!["api".into(), "v1".into(), "things".into(), "{id}".into()], vec![Method::PUT, Method::DELETE]),
            ],
        };
        assert_eq!(table.allowed("/api/v1/me"), Some(&[Method::GET][..]));
        assert_eq!(table.allowed("/api/v1/things/42").map(<[Method]>::len), Some(2));
        assert!(table.allowed("/api/v1/things/").is_none());
        assert!(table.allowed("/api/v1/other").is_none());
    }
}
