//! The seam where the image quality gate decides whether an upload is usable: the report
//! and reason types the upload endpoint answers with. The gate itself is
//! [`super::gate::VisionGate`].

use crate::error::FieldError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImageKind {
    Front,
    Back,
    Selfie,
}

impl ImageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Front => "front",
            Self::Back => "back",
            Self::Selfie => "selfie",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "front" => Some(Self::Front),
            "back" => Some(Self::Back),
            "selfie" => Some(Self::Selfie),
            _ => None,
        }
    }
}

/// One reason an image is refused.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct QualityReason {
    /// e.g. `blurred_photo`, `glare_on_photo`.
    pub code: String,
    pub message_key: String,
    /// A short instruction to fix it.
    pub hint: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QualityReport {
    pub accepted: bool,
    pub reasons: Vec<QualityReason>,
    /// Which gate produced this report.
    pub gate: &'static str,
    /// Per-check scores, when the gate computes them.
    #[schema(value_type = Object)]
    pub checks: serde_json::Value,
    /// Document corners in the photo, for reading it afterwards.
    #[serde(skip)]
    pub corners: Option<[(f32, f32); 4]>,
}

pub trait QualityGate: Send + Sync {
    /// Assesses an upload from its bytes, which [`super::images::inspect`] has accepted.
    /// Pixel data the gate cannot decode is a field error on `file`, not a refusal.
    fn assess(&self, kind: ImageKind, bytes: &[u8], max_pixels: u64) -> Result<QualityReport, FieldError>;
}
