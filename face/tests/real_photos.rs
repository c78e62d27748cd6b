//! The engine and the selfie rules on the real portraits that ship in PyPI archives
//! (scripts/face-assets.sh), and on labelled variants made here: synthetic opaque sunglasses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use ekyc_face::FaceEngine;
use ekyc_face::selfie::{self, SelfieFailure, SelfieThresholds};
use image::{Rgb, RgbImage};

fn tools() -> PathBuf {
    std::env::var("EKYC_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/ekyc/tools"))
}

fn engine() -> FaceEngine {
    let dir = std::env::var("EKYC_FACE_MODELS_DIR").map(PathBuf::from).unwrap_or_else(|_| tools().join("face/models"));
    FaceEngine::load(&dir, 1).expect("face models (run scripts/face-assets.sh)")
}

const PHOTOS: [&str; 6] =
    ["obama.jpg", "obama2.jpg", "obama3.jpg", "obama_partial_face.jpg", "obama_partial_face2.jpg", "biden.jpg"];

fn photo(name: &str) -> RgbImage {
    image::open(tools().join("face/photos").join(name)).unwrap().to_rgb8()
}

/// Paints opaque dark lenses over both eyes.
fn sunglasses(img: &RgbImage, face: &ekyc_face::Face) -> RgbImage {
    let mut out = img.clone();
    let p = &face.landmarks;
    for (a, b) in [(p[0], p[1]), (p[2], p[3])] {
        let (cx, cy) = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
        let w = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
        let (rx, ry) = (1.1 * w, 0.7 * w);
        for y in (cy - ry) as u32..=(cy + ry) as u32 {
            for x in (cx - rx) as u32..=(cx + rx) as u32 {
                let (dx, dy) = ((f64::from(x) - cx) / rx, (f64::from(y) - cy) / ry);
                if dx * dx + dy * dy <= 1.0 && x < out.width() && y < out.height() {
                    let shade = 18 + ((x + y) % 5) as u8;
                    out.put_pixel(x, y, Rgb([shade, shade, shade + 4]));
                }
            }
        }
    }
    out
}

#[test]
fn real_selfies_pass_and_opaque_sunglasses_are_caught() {
    let engine = engine();
    let t = SelfieThresholds::default();
    for name in PHOTOS {
        let img = photo(name);
        let report = selfie::assess(&img, engine.analyse(&img), &t);
        assert!(report.failures.is_empty(), "{name}: {:?} {:?}", report.failures, report.metrics);
        eprintln!("{name}: eye_contrast {:.1}", report.metrics.eye_contrast);
        let face = report.face.unwrap();
        let covered = sunglasses(&img, &face);
        let report = selfie::assess(&covered, engine.analyse(&covered), &t);
        eprintln!("{name} covered: eye_contrast {:.1} {:?}", report.metrics.eye_contrast, report.failures);
        // Either the detector no longer sees a face, or the eyes are reported covered.
        assert!(
            report.failures.contains(&SelfieFailure::EyesNotVisible)
                || report.failures.contains(&SelfieFailure::FaceNotFound),
            "{name} with sunglasses: {:?} {:?}",
            report.failures,
            report.metrics
        );
    }
}

#[test]
fn the_same_person_matches_and_another_does_not() {
    let engine = engine();
    let t = ekyc_face::MatchThresholds::default();
    let emb = |n: &str| engine.analyse(&photo(n)).remove(0).embedding;
    let a = emb("obama.jpg");
    for other in ["obama2.jpg", "obama3.jpg", "obama_partial_face.jpg"] {
        let d = a.distance(&emb(other));
        assert_eq!(ekyc_face::matching::decide(d, &t), ekyc_face::MatchDecision::Match, "{other}: {d}");
    }
    let d = a.distance(&emb("biden.jpg"));
    assert_eq!(ekyc_face::matching::decide(d, &t), ekyc_face::MatchDecision::Mismatch, "biden: {d}");
}
