//! The dlib side: a small pool of model instances (dlib's detector and network are not safe to
//! share between threads), and `analyse` = detect → 5-point landmarks → 128-D descriptor.

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

use dlib_face_recognition::{
    FaceDetector, FaceDetectorTrait, FaceEncoderNetwork, FaceEncoderTrait, FaceLandmarks, ImageMatrix,
    LandmarkPredictor, LandmarkPredictorTrait,
};
use image::RgbImage;
use image::imageops::{self, FilterType};
use serde::{Deserialize, Serialize};

use crate::pose::{Point, Pose};

pub const DESCRIPTOR_MODEL: &str = "dlib_face_recognition_resnet_model_v1.dat";
pub const LANDMARK_MODEL: &str = "shape_predictor_5_face_landmarks.dat";

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("face model file {0} is missing: run scripts/face-assets.sh (or set EKYC_FACE_MODELS_DIR)")]
    Missing(PathBuf),
    #[error("face model file {path} could not be loaded: {reason}")]
    Load { path: PathBuf, reason: String },
}

/// A 128-D face descriptor. Biometric data: never logged (`Debug` is redacted), stored sealed.
#[derive(Clone, PartialEq)]
pub struct Embedding(pub [f32; 128]);

impl std::fmt::Debug for Embedding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Embedding([redacted])")
    }
}

impl Embedding {
    /// Euclidean distance, the metric the ResNet descriptor was trained for.
    pub fn distance(&self, other: &Self) -> f64 {
        self.0.iter().zip(other.0.iter()).map(|(a, b)| f64::from(a - b).powi(2)).sum::<f64>().sqrt()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != 128 * 4 {
            return None;
        }
        let mut out = [0f32; 128];
        for (i, chunk) in bytes.chunks_exact(4).enumerate() {
            out[i] = f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Some(Self(out))
    }
}

/// A box in pixels of the analysed image.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// One face found in an image; coordinates in the pixels of the image given to `analyse`.
#[derive(Debug, Clone)]
pub struct Face {
    pub rect: Rect,
    pub landmarks: [Point; 5],
    pub pose: Pose,
    pub embedding: Embedding,
}

struct Models {
    detector: FaceDetector,
    predictor: LandmarkPredictor,
    encoder: FaceEncoderNetwork,
}

/// Loaded models, `instances` copies so that many requests can analyse at once.
pub struct FaceEngine {
    pool: Mutex<Vec<Models>>,
    available: Condvar,
    /// Long side the image is scaled to before detection (HOG finds faces from ~80 px).
    pub max_side: u32,
}

impl FaceEngine {
    pub fn load(dir: &Path, instances: usize) -> Result<Self, ModelError> {
        let lm_path = dir.join(LANDMARK_MODEL);
        let nn_path = dir.join(DESCRIPTOR_MODEL);
        for p in [&lm_path, &nn_path] {
            if !p.is_file() {
                return Err(ModelError::Missing(p.clone()));
            }
        }
        let predictor =
            LandmarkPredictor::open(&lm_path).map_err(|reason| ModelError::Load { path: lm_path.clone(), reason })?;
        let encoder =
            FaceEncoderNetwork::open(&nn_path).map_err(|reason| ModelError::Load { path: nn_path.clone(), reason })?;
        let pool = (0..instances.max(1))
            .map(|_| Models { detector: FaceDetector::new(), predictor: predictor.clone(), encoder: encoder.clone() })
            .collect();
        Ok(Self { pool: Mutex::new(pool), available: Condvar::new(), max_side: 800 })
    }

    /// Every face in `img`. Blocking (tens of milliseconds): call it from a blocking thread.
    pub fn analyse(&self, img: &RgbImage) -> Vec<Face> {
        let (w, h) = img.dimensions();
        let long = w.max(h).max(1);
        // Scale so the long side is max_side; small images are doubled so faces of ~40 px count.
        let scale = if long > self.max_side {
            f64::from(self.max_side) / f64::from(long)
        } else if long * 2 <= self.max_side {
            2.0
        } else {
            1.0
        };
        let scaled;
        let work: &RgbImage = if (scale - 1.0).abs() > f64::EPSILON {
            let sw = ((f64::from(w) * scale).round() as u32).max(1);
            let sh = ((f64::from(h) * scale).round() as u32).max(1);
            scaled = imageops::resize(img, sw, sh, FilterType::Triangle);
            &scaled
        } else {
            img
        };
        let Some(buffer) = image024::RgbImage::from_raw(work.width(), work.height(), work.as_raw().clone()) else {
            return Vec::new();
        };
        let matrix = ImageMatrix::from_image(&buffer);
        self.with_models(|m| {
            let rects = m.detector.face_locations(&matrix);
            let landmarks: Vec<FaceLandmarks> = rects.iter().map(|r| m.predictor.face_landmarks(&matrix, r)).collect();
            let encodings = m.encoder.get_face_encodings(&matrix, &landmarks, 0);
            rects
                .iter()
                .zip(landmarks.iter())
                .zip(encodings.iter())
                .filter_map(|((r, lm), enc)| {
                    let pts: Vec<Point> =
                        lm.iter().map(|p| Point { x: p.x() as f64 / scale, y: p.y() as f64 / scale }).collect();
                    let landmarks: [Point; 5] = pts.try_into().ok()?;
                    let values: &[f64] = enc.as_ref();
                    let mut e = [0f32; 128];
                    if values.len() != 128 {
                        return None;
                    }
                    for (dst, v) in e.iter_mut().zip(values) {
                        *dst = *v as f32;
                    }
                    Some(Face {
                        rect: Rect {
                            x: r.left as f64 / scale,
                            y: r.top as f64 / scale,
                            width: r.width() as f64 / scale,
                            height: r.height() as f64 / scale,
                        },
                        pose: Pose::from_landmarks(&landmarks)?,
                        landmarks,
                        embedding: Embedding(e),
                    })
                })
                .collect()
        })
    }

    fn with_models<T>(&self, f: impl FnOnce(&Models) -> T) -> T {
        let mut pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        let models = loop {
            if let Some(m) = pool.pop() {
                break m;
            }
            pool = self.available.wait(pool).unwrap_or_else(|e| e.into_inner());
        };
        drop(pool);
        // Back into the pool even if `f` panics: a lost instance would leave the others waiting.
        let guard = Checkout { engine: self, models: Some(models) };
        guard.models.as_ref().map(f).unwrap_or_else(|| unreachable!("checked out above"))
    }
}

struct Checkout<'a> {
    engine: &'a FaceEngine,
    models: Option<Models>,
}

impl Drop for Checkout<'_> {
    fn drop(&mut self) {
        if let Some(m) = self.models.take() {
            self.engine.pool.lock().unwrap_or_else(|e| e.into_inner()).push(m);
            self.engine.available.notify_one();
        }
    }
}
