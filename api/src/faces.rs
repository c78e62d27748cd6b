//! The face models, loaded once per process on first use (loading takes about a second, and
//! most processes — and most tests — never look at a face). `serve` runs without them and says
//! so in `/readyz`; `worker` refuses to start without them.

use std::path::PathBuf;
use std::sync::Arc;

use ekyc_face::FaceEngine;
use tokio::sync::OnceCell;

use crate::error::{ApiError, ErrorCode};

pub struct FaceModels {
    dir: PathBuf,
    instances: usize,
    engine: OnceCell<Arc<FaceEngine>>,
}

impl FaceModels {
    pub fn new(dir: PathBuf, instances: usize) -> Self {
        Self { dir, instances, engine: OnceCell::new() }
    }

    /// Whether both model files are there (cheap; for readiness).
    pub fn present(&self) -> bool {
        [ekyc_face::engine::DESCRIPTOR_MODEL, ekyc_face::engine::LANDMARK_MODEL]
            .iter()
            .all(|f| self.dir.join(f).is_file())
    }

    /// The engine, loading it the first time.
    pub async fn engine(&self) -> Result<Arc<FaceEngine>, ekyc_face::ModelError> {
        self.engine
            .get_or_try_init(|| async {
                let (dir, n) = (self.dir.clone(), self.instances);
                match tokio::task::spawn_blocking(move || FaceEngine::load(&dir, n)).await {
                    Ok(r) => r.map(Arc::new),
                    Err(e) => Err(ekyc_face::ModelError::Load { path: self.dir.clone(), reason: e.to_string() }),
                }
            })
            .await
            .cloned()
    }

    /// The engine for a request: a missing model is a dependency outage (503), not our bug.
    pub async fn for_request(&self) -> Result<Arc<FaceEngine>, ApiError> {
        self.engine().await.map_err(|e| {
            tracing::error!(error = %e, "face models unavailable");
            ApiError::new(ErrorCode::DependencyUnavailable, "Face checks are unavailable right now.")
                .with_retry_after(30)
        })
    }
}
