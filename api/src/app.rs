//! Shared application state, built once per process and handed to handlers.

use std::sync::Arc;

use actix_web::HttpRequest;

use crate::auth::jwt::JwtKeys;
use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::db::DbPool;
use crate::notify::Notifier;
use crate::pii::PiiCipher;
use crate::storage::ObjectStore;
use crate::verification::quality::QualityGate;

pub struct AppState {
    pub config: Arc<Config>,
    pub db: DbPool,
    pub storage: Arc<dyn ObjectStore>,
    pub jwt: Arc<JwtKeys>,
    pub catalogue: Arc<Catalogue>,
    pub pii: Arc<PiiCipher>,
    pub quality: Arc<dyn QualityGate>,
    /// Email and SMS senders (used by the worker; the API only queues).
    pub notify: Arc<Notifier>,
    /// Bounds how many images are decoded at once: a 12 MP photo takes ~80 MB while it is
    /// processed, and the work is CPU-bound anyway.
    pub image_slots: Arc<tokio::sync::Semaphore>,
    pub faces: Arc<crate::faces::FaceModels>,
}

/// The client's IP: the peer address, or the first `X-Forwarded-For` hop when configured
/// to trust a proxy in front of us.
pub fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for
        && let Some(first) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
        && let Ok(ip) = first.parse::<std::net::IpAddr>()
    {
        return ip.to_string();
    }
    req.peer_addr().map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string())
}
