//! Face-match calibration over the real portraits that ship in PyPI archives, with
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a development tool that prints its findings"
)]
//! augmentations (rotation, light, JPEG, low resolution, a print re-photographed on a card).
//! Prints the genuine and impostor distance distributions and the error rates at several
//! thresholds. Run: `make face-calibration` (docs/faces.md has the last output).
use std::path::PathBuf;

use ekyc_face::{Embedding, FaceEngine};
use image::imageops::{self, FilterType};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

fn augment(img: &RgbImage) -> Vec<(&'static str, RgbImage)> {
    let mut out = vec![("original", img.clone())];
    let (w, h) = img.dimensions();
    for (name, deg) in [("rotate+12", 12f32), ("rotate-12", -12f32)] {
        let r = imageproc_rotate(img, deg.to_radians());
        out.push((name, r));
    }
    for (name, k) in [("dark", 0.45f32), ("bright", 1.5f32)] {
        let mut d = img.clone();
        for p in d.pixels_mut() {
            for c in &mut p.0 {
                *c = (f32::from(*c) * k).clamp(0.0, 255.0) as u8;
            }
        }
        out.push((name, d));
    }
    let mut jpeg = Vec::new();
    let _ = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 25)
        .encode_image(&DynamicImage::ImageRgb8(img.clone()));
    if let Ok(j) = image::load_from_memory_with_format(&jpeg, ImageFormat::Jpeg) {
        out.push(("jpeg-q25", j.to_rgb8()));
    }
    let small = imageops::resize(img, w / 4, h / 4, FilterType::Triangle);
    out.push(("quarter-res", imageops::resize(&small, w, h, FilterType::Triangle)));
    // A print on a card, photographed: smaller, softer, a colour cast and a desk around it.
    let pw = 220u32;
    let ph = pw * h / w;
    let mut print = imageops::resize(img, pw, ph, FilterType::Triangle);
    print = imageops::blur(&print, 0.8);
    for p in print.pixels_mut() {
        p.0 = [p.0[0].saturating_add(10), p.0[1], p.0[2].saturating_sub(8)];
    }
    let mut desk = RgbImage::from_pixel(pw * 3, ph * 2, Rgb([70, 68, 75]));
    imageops::overlay(&mut desk, &print, i64::from(pw), i64::from(ph / 2));
    out.push(("printed-card", desk));
    out
}

fn imageproc_rotate(img: &RgbImage, theta: f32) -> RgbImage {
    let (w, h) = img.dimensions();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (s, c) = theta.sin_cos();
    RgbImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let sx = c * dx + s * dy + cx;
        let sy = -s * dx + c * dy + cy;
        if sx >= 0.0 && sy >= 0.0 && (sx as u32) < w && (sy as u32) < h {
            *img.get_pixel(sx as u32, sy as u32)
        } else {
            Rgb([128, 128, 128])
        }
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let models = std::env::var("EKYC_FACE_MODELS_DIR").map(PathBuf::from)?;
    let photos = std::env::var("EKYC_FACE_PHOTOS_DIR").map(PathBuf::from)?;
    let engine = FaceEngine::load(&models, 1)?;
    // (identity, file). 32bit.png is obama2.jpg re-saved: left out, it would be a duplicate.
    let mut sources: Vec<(&str, PathBuf)> = vec![
        ("A", photos.join("obama.jpg")),
        ("A", photos.join("obama2.jpg")),
        ("A", photos.join("obama3.jpg")),
        ("A", photos.join("obama_partial_face.jpg")),
        ("A", photos.join("obama_partial_face2.jpg")),
        ("B", photos.join("biden.jpg")),
    ];
    if let Ok(extra) = std::env::var("EKYC_FACE_EXTRA") {
        for item in extra.split(',') {
            if let Some((who, path)) = item.split_once('=') {
                sources.push((Box::leak(who.to_owned().into_boxed_str()), PathBuf::from(path)));
            }
        }
    }
    let mut samples: Vec<(String, String, String, Embedding)> = Vec::new();
    let mut missed = 0;
    for (who, path) in &sources {
        if !path.is_file() {
            eprintln!("skipping {} (not there)", path.display());
            continue;
        }
        let img = image::open(path)?.to_rgb8();
        for (aug, variant) in augment(&img) {
            let mut faces = engine.analyse(&variant);
            faces.sort_by(|a, b| b.rect.width.total_cmp(&a.rect.width));
            match faces.into_iter().next() {
                Some(f) => samples.push((
                    who.to_string(),
                    path.file_name().unwrap_or_default().to_string_lossy().into(),
                    aug.to_owned(),
                    f.embedding,
                )),
                None => {
                    missed += 1;
                    eprintln!("no face: {} {aug}", path.display());
                }
            }
        }
    }
    let mut genuine = Vec::new();
    let mut impostor = Vec::new();
    for i in 0..samples.len() {
        for j in i + 1..samples.len() {
            let (a, b) = (&samples[i], &samples[j]);
            if a.1 == b.1 && a.2 == b.2 {
                continue;
            }
            let d = a.3.distance(&b.3);
            if a.0 == b.0 { genuine.push(d) } else { impostor.push(d) }
        }
    }
    genuine.sort_by(f64::total_cmp);
    impostor.sort_by(f64::total_cmp);
    let pct = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    println!("samples {} (no face found in {missed}), identities {}", samples.len(), {
        let mut ids: Vec<&str> = samples.iter().map(|s| s.0.as_str()).collect();
        ids.sort();
        ids.dedup();
        ids.len()
    });
    println!(
        "genuine pairs  {:5}: min {:.3} p50 {:.3} p95 {:.3} p99 {:.3} max {:.3}",
        genuine.len(),
        genuine[0],
        pct(&genuine, 0.5),
        pct(&genuine, 0.95),
        pct(&genuine, 0.99),
        genuine[genuine.len() - 1]
    );
    println!(
        "impostor pairs {:5}: min {:.3} p01 {:.3} p50 {:.3} max {:.3}",
        impostor.len(),
        impostor[0],
        pct(&impostor, 0.01),
        pct(&impostor, 0.5),
        impostor[impostor.len() - 1]
    );
    println!("| threshold | false non-match (genuine > t) | false match (impostor <= t) |");
    println!("|---|---|---|");
    for t in [0.40, 0.45, 0.50, 0.55, 0.60] {
        let fnm = genuine.iter().filter(|d| **d > t).count();
        let fm = impostor.iter().filter(|d| **d <= t).count();
        println!(
            "| {t:.2} | {fnm}/{} ({:.2} %) | {fm}/{} ({:.3} %) |",
            genuine.len(),
            100.0 * fnm as f64 / genuine.len() as f64,
            impostor.len(),
            100.0 * fm as f64 / impostor.len() as f64
        );
    }
    Ok(())
}
