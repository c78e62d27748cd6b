//! Building and running the HTTP server. Tests use [`Application::build`] with port 0.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpServer, guard, web};
use anyhow::Context;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::app::AppState;
use crate::auth::jwt::JwtKeys;
use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::notify::Notifier;
use crate::pii::PiiCipher;
use crate::router::{RouteTable, WebDir};
use crate::storage::S3Store;
use crate::verification::gate::VisionGate;
use crate::{db, error, openapi, router, telemetry};

pub struct Application {
    server: Server,
    port: u16,
    state: web::Data<AppState>,
}

/// Builds the shared state: pool, object store (bucket ensured), signing keys.
pub async fn build_state(config: Config) -> anyhow::Result<AppState> {
    let config = Arc::new(config);
    let db = db::pool(&config.database)?;
    let store = S3Store::new(&config.s3);
    if let Err(e) = store.ensure_bucket().await {
        // Not fatal: readiness reports it until the store answers.
        tracing::warn!(error = format!("{e:#}"), "object storage not ready at start");
    }
    let jwt = JwtKeys::from_config(&config.auth)?;
    let catalogue = Catalogue::load(&config.verification)?;
    let pii = Arc::new(PiiCipher::from_config(&config.verification)?);
    let notify = Notifier::from_config(&config, pii.clone())?;
    let gate = VisionGate { thresholds: config.verification.quality.clone() };
    Ok(AppState {
        db,
        storage: Arc::new(store),
        jwt: Arc::new(jwt),
        catalogue: Arc::new(catalogue),
        pii,
        quality: Arc::new(gate),
        notify: Arc::new(notify),
        image_slots: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, std::num::NonZero::get).max(2),
        )),
        faces: Arc::new(crate::faces::FaceModels::new(
            config.verification.faces.models_dir.clone(),
            config.verification.faces.instances,
        )),
        config,
    })
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        if config.database.migrate_on_start {
            let applied = db::run_migrations(config.database.url.expose()).await?;
            if !applied.is_empty() {
                tracing::info!(count = applied.len(), "applied migrations");
            }
        }
        let listener = TcpListener::bind(config.bind_addr).with_context(|| format!("binding {}", config.bind_addr))?;
        let state = web::Data::new(build_state(config).await?);
        Self::with_listener(state, listener)
    }

    pub fn with_listener(state: web::Data<AppState>, listener: TcpListener) -> anyhow::Result<Self> {
        let port = listener.local_addr()?.port();
        let spec = openapi::document();
        let table = web::Data::new(RouteTable::from_spec(&spec));
        let web_dir = state.config.web_dir.clone().map(|d| web::Data::new(WebDir(d)));
        let data = state.clone();
        let server = HttpServer::new(move || {
            let (app, _) = App::new()
                .into_utoipa_app()
                .app_data(data.clone())
                .app_data(table.clone())
                .app_data(error::json_config())
                .app_data(error::query_config())
                .app_data(error::path_config())
                .configure(router::api)
                .split_for_parts();
            let mut app = app
                .wrap(ErrorHandlers::new().default_handler(error::normalise_error_response))
                .wrap(from_fn(telemetry::request_context))
                .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", spec.clone()));
            if let Some(dir) = &web_dir {
                app = app.app_data(dir.clone()).service(
                    actix_files::Files::new("/", dir.0.clone())
                        .index_file("index.html")
                        .guard(guard::Any(guard::Get()).or(guard::Head()))
                        .default_handler(web::to(router::fallback)),
                );
            }
            app.default_service(web::to(router::fallback))
        })
        .listen(listener)?
        .shutdown_timeout(10)
        .run();
        Ok(Self { server, port, state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
