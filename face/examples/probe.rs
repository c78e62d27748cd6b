//! Prints what the engine sees in each photo given on the command line (development aid).
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a development tool that prints its findings"
)]
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::var("EKYC_FACE_MODELS_DIR").map(PathBuf::from)?;
    let t = Instant::now();
    let engine = ekyc_face::FaceEngine::load(&dir, 1)?;
    eprintln!("load {:?}", t.elapsed());
    let mut embs = Vec::new();
    for path in std::env::args().skip(1) {
        let img = image::open(&path)?.to_rgb8();
        let t = Instant::now();
        let faces = engine.analyse(&img);
        let dt = t.elapsed();
        let report = ekyc_face::selfie::assess(&img, faces.clone(), &Default::default());
        eprintln!(
            "{path} {}x{} {:?} faces={} {:?} {:?}",
            img.width(),
            img.height(),
            dt,
            faces.len(),
            report.failures,
            report.metrics
        );
        if let Some(f) = report.face {
            embs.push((path.clone(), f.embedding));
        }
    }
    for (a, ea) in &embs {
        for (b, eb) in &embs {
            if a < b {
                eprintln!("{:.3} {a} {b}", ea.distance(eb));
            }
        }
    }
    Ok(())
}
