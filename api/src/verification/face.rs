//! The face step at upload time: the selfie must show exactly one usable face, and the
//! document's portrait side must carry a face. What is found is kept as a summary (box, pose,
//! metrics — not biometric) and as a sealed descriptor for the face match and liveness.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ekyc_face::selfie::{self, SelfieThresholds};
use ekyc_face::{Embedding, Face, FaceEngine};
use image::DynamicImage;
use image::GrayImage;
use serde_json::json;
use uuid::Uuid;

use super::quality::{ImageKind, QualityReason};
use crate::pii::PiiCipher;

/// What the face step found on an accepted image.
pub struct FaceFound {
    pub summary: serde_json::Value,
    pub embedding: Embedding,
}

pub fn hint(code: &str) -> &'static str {
    match code {
        "face_not_found" => "We could not see a face. Face the camera, in good light, with nothing covering your face.",
        "portrait_not_found" => {
            "We could not see the photo on the document. Photograph the side with your portrait, without glare on it."
        }
        "multiple_faces" => "More than one face is in the photo. Make sure you are alone in the picture.",
        "face_too_small" => "Your face is too small in the photo. Hold the camera closer, at arm's length.",
        "face_not_frontal" => "Look straight into the camera, with your head upright.",
        "face_blurred" => "The photo is blurred. Hold still and let the camera focus.",
        "face_dark" => "Your face is too dark. Face a light source or move to a brighter place.",
        "face_overexposed" => "Your face is too bright. Avoid direct light or the flash.",
        "eyes_not_visible" => {
            "We cannot see your eyes. Take off sunglasses and keep hands and hair away from your eyes."
        }
        _ => "Retake the photo following the guidelines.",
    }
}

fn reason(code: &str) -> QualityReason {
    QualityReason { code: code.to_owned(), message_key: format!("reason.{code}"), hint: hint(code).to_owned() }
}

fn summary(face: &Face, metrics: serde_json::Value) -> serde_json::Value {
    json!({
        "box": face.rect,
        "yaw": face.pose.yaw,
        "roll_deg": face.pose.roll_deg,
        "metrics": metrics,
    })
}

/// The selfie checks. Blocking: call from a blocking thread.
pub fn check_selfie(engine: &FaceEngine, image: &DynamicImage) -> Result<FaceFound, Vec<QualityReason>> {
    let rgb = image.to_rgb8();
    let faces = engine.analyse(&rgb);
    let report = selfie::assess(&rgb, faces, &SelfieThresholds::default());
    match report.face {
        Some(face) if report.failures.is_empty() => Ok(FaceFound {
            summary: summary(&face, serde_json::to_value(&report.metrics).unwrap_or_default()),
            embedding: face.embedding,
        }),
        _ => Err(report.failures.iter().map(|f| reason(f.code())).collect()),
    }
}

/// The portrait on the document: flattened with the corners the quality gate found, then the
/// largest face. Blocking.
pub fn check_portrait(
    engine: &FaceEngine,
    image: &DynamicImage,
    corners: Option<[(f32, f32); 4]>,
) -> Result<FaceFound, Vec<QualityReason>> {
    let rgb = image.to_rgb8();
    let flat = corners.and_then(|c| {
        let mask = GrayImage::from_pixel(rgb.width(), rgb.height(), image::Luma([255]));
        ekyc_vision::document::warp(&rgb, &mask, &c, 1000).map(|(img, _)| img)
    });
    let doc = flat.as_ref().unwrap_or(&rgb);
    let mut faces = engine.analyse(doc);
    faces.sort_by(|a, b| b.rect.width.total_cmp(&a.rect.width));
    let Some(face) = faces.into_iter().next() else {
        return Err(vec![reason("portrait_not_found")]);
    };
    let (sharpness, brightness) = selfie::face_sharpness_brightness(doc, &face);
    Ok(FaceFound {
        summary: summary(
            &face,
            json!({ "face_px": face.rect.width, "sharpness": sharpness, "brightness": brightness }),
        ),
        embedding: face.embedding,
    })
}

/// Which images the face step looks at: the selfie, and the side of a document with the
/// portrait (the front of every document type we know).
pub fn applies(kind: ImageKind) -> bool {
    matches!(kind, ImageKind::Selfie | ImageKind::Front)
}

/// The right check for `kind`. Blocking.
pub fn check(
    engine: &FaceEngine,
    kind: ImageKind,
    image: &DynamicImage,
    corners: Option<[(f32, f32); 4]>,
) -> Result<FaceFound, Vec<QualityReason>> {
    match kind {
        ImageKind::Selfie => check_selfie(engine, image),
        _ => check_portrait(engine, image, corners),
    }
}

pub fn seal_embedding(pii: &PiiCipher, image_id: Uuid, e: &Embedding) -> anyhow::Result<String> {
    pii.seal(&format!("{image_id}/face"), &STANDARD.encode(e.to_bytes()))
}

pub fn open_embedding(pii: &PiiCipher, image_id: Uuid, sealed: &str) -> Option<Embedding> {
    let b64 = pii.open(&format!("{image_id}/face"), sealed).ok()?;
    Embedding::from_bytes(&STANDARD.decode(b64).ok()?)
}
