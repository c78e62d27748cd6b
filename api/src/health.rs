//! Liveness and readiness probes.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::error::{ApiError, ErrorBody, FieldError};

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The process is up.
#[utoipa::path(tag = "health", responses((status = 200, description = "The process is up", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    #[schema(example = "ok")]
    pub status: &'static str,
    /// `ok` or `unavailable`, per dependency.
    pub database: &'static str,
    pub object_storage: &'static str,
    /// The face models' files (selfie, liveness and face-match checks need them).
    pub face_models: &'static str,
}

/// The database and the object storage answer. 503 names what does not.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Ready", body = Readiness),
        (status = 503, description = "`dependency_unavailable`; `fields` names each dependency that is down", body = ErrorBody),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let timeout = Duration::from_secs(3);
    let db = async {
        let mut conn = state.db.get().await.map_err(anyhow::Error::new)?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await.map_err(anyhow::Error::new)?;
        Ok::<_, anyhow::Error>(())
    };
    let (db, s3) = tokio::join!(tokio::time::timeout(timeout, db), tokio::time::timeout(timeout, state.storage.ping()));
    let db_ok = matches!(db, Ok(Ok(())));
    let s3_ok = matches!(s3, Ok(Ok(())));
    let faces_ok = state.faces.present();
    if db_ok && s3_ok && faces_ok {
        return Ok(HttpResponse::Ok().json(Readiness {
            status: "ok",
            database: "ok",
            object_storage: "ok",
            face_models: "ok",
        }));
    }
    let mut down = Vec::new();
    if !db_ok {
        down.push(FieldError::new("database", "unavailable", "The database does not answer."));
    }
    if !s3_ok {
        down.push(FieldError::new("object_storage", "unavailable", "The object storage does not answer."));
    }
    if !faces_ok {
        down.push(FieldError::new(
            "face_models",
            "unavailable",
            "The face model files are missing (see EKYC_FACE_MODELS_DIR).",
        ));
    }
    let names: Vec<&str> = down.iter().map(|f| f.field.as_str()).collect();
    tracing::warn!(unavailable = ?names, "not ready");
    let mut err = ApiError::new(
        crate::error::ErrorCode::DependencyUnavailable,
        format!("Not ready: {} unavailable.", names.join(", ")),
    )
    .with_retry_after(5);
    for f in down {
        err = err.push_field(f);
    }
    Err(err)
}
