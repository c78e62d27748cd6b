//! The document quality gate: `ekyc_vision::quality` behind the upload seam, with the
//! applicant-facing reasons and fix hints. Selfies are checked by the face step, not here.

use ekyc_vision::quality::{Thresholds, assess_encoded};

use super::quality::{ImageKind, QualityGate, QualityReason, QualityReport};
use crate::error::FieldError;

pub struct VisionGate {
    pub thresholds: Thresholds,
}

/// The hint shown with each reason: what to do, in one sentence.
pub fn hint(code: &str) -> &'static str {
    match code {
        "no_document_in_image" => {
            "We could not find a document. Place it flat on a plain, contrasting surface, inside the frame."
        }
        "low_resolution" => "The document is too small in the photo. Move the camera closer so it fills the frame.",
        "cut_off_document" => {
            "Part of the document is outside the photo. Keep all four edges and corners inside the frame."
        }
        "dark_photo" => "The photo is too dark. Move to a well-lit place or turn on more light.",
        "overexposed_photo" => "The photo is too bright. Avoid direct light on the document.",
        "blurred_photo" => "The photo is blurred. Hold the camera steady and tap to focus before taking it.",
        "glare_on_photo" => "Light is reflecting off the document. Tilt it slightly or move away from direct light.",
        "covered_photo" => "Something covers the document. Keep fingers and objects off it.",
        "damaged_document" => "The document looks damaged (a missing corner or tear). Use an undamaged document.",
        "photo_of_screen" => "This looks like a photo of a screen. Photograph the original document.",
        _ => "Retake the photo following the guidelines.",
    }
}

impl QualityGate for VisionGate {
    fn assess(&self, kind: ImageKind, bytes: &[u8], max_pixels: u64) -> Result<QualityReport, FieldError> {
        if kind == ImageKind::Selfie {
            return Ok(QualityReport {
                accepted: true,
                reasons: Vec::new(),
                gate: "none",
                checks: serde_json::json!({}),
                corners: None,
            });
        }
        let result = assess_encoded(bytes, max_pixels, &self.thresholds).map_err(|e| super::images::undecodable(&e))?;
        let reasons = result
            .failures
            .iter()
            .map(|code| QualityReason {
                code: (*code).to_owned(),
                message_key: format!("reason.{code}"),
                hint: hint(code).to_owned(),
            })
            .collect();
        Ok(QualityReport {
            accepted: result.accepted,
            reasons,
            gate: "vision-v1",
            checks: serde_json::to_value(&result).unwrap_or_default(),
            corners: result.corners,
        })
    }
}
