//! Per-capture diagnosis of the OCR-B MRZ reader on the fixture set: what each good capture's
//! MRZ was read as, character by character against the truth, with the template scores of
//! every misread; the bands that were misread are saved to /tmp/mrz-<file>.png.
//!
//!   EKYC_FIXTURES_DIR=.local/fixtures cargo run --release -p ekyc-vision --example mrz_diagnose [FILTER]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
use ekyc_vision::quality::{Thresholds, assess};
use std::path::PathBuf;
fn main() {
    let dir = PathBuf::from(std::env::var("EKYC_FIXTURES_DIR").unwrap());
    let filter = std::env::args().nth(1).unwrap_or_default();
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let (mut ok, mut tot, mut chars_bad) = (0, 0, 0);
    for img in m["images"].as_array().unwrap() {
        if img["label"] != "good" || img["mrz"].is_null() {
            continue;
        }
        let file = img["file"].as_str().unwrap();
        if !file.contains(&filter) {
            continue;
        }
        tot += 1;
        let d = image::open(dir.join(file)).unwrap();
        let r = assess(&d, &Thresholds::default());
        let Some(c) = r.corners else {
            println!("{file}: no corners");
            continue;
        };
        let t0 = std::time::Instant::now();
        let band =
            ekyc_vision::read::flatten_band(&d, &c, ekyc_vision::read::OCR_WIDTH, ekyc_vision::read::MRZ_BAND).unwrap();
        let t1 = t0.elapsed();
        let readings = ekyc_vision::ocrb::read_band(&band);
        let t2 = t0.elapsed();
        let truth: Vec<String> =
            img["mrz"]["lines"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_owned()).collect();
        let hit = readings.iter().find(|r| r.lines.len() == truth.len());
        match hit {
            Some(r) if r.lines == truth => {
                ok += 1;
                println!("{file}: exact (lowest score {:.2}; flatten {t1:?}, read {:?})", r.min_score(), t2 - t1);
            }
            Some(r) => {
                let mut diffs = Vec::new();
                for (i, (a, b)) in r.lines.iter().zip(&truth).enumerate() {
                    for (j, (x, y)) in a.chars().zip(b.chars()).enumerate() {
                        if x != y {
                            diffs.push(format!(
                                "{i}:{j} {y}->{x} ({:.2}/{:.2})",
                                r.glyphs[i][j].score, r.glyphs[i][j].second_score
                            ));
                        }
                    }
                }
                chars_bad += diffs.len();
                println!("{file}: {} diffs {:?}", diffs.len(), &diffs[..diffs.len().min(8)]);
                band.save(format!("/tmp/mrz-{}.png", file.replace('/', "_"))).unwrap();
            }
            None => {
                println!("{file}: no reading ({} candidates)", readings.len());
                band.save(format!("/tmp/mrz-{}.png", file.replace('/', "_"))).unwrap();
            }
        }
    }
    println!("exact {ok}/{tot}, bad chars {chars_bad}");
}
