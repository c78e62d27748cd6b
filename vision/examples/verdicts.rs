//! The gate's verdict on every capture of a fixture set, one JSON line each (file, label,
//! severity, failures, warnings, metrics), for looking into misses beyond the few the accuracy
//! test prints: `cargo run --release -p ekyc-vision --example verdicts -- DIR > verdicts.jsonl`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use serde_json::{Value, json};

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: verdicts FIXTURES_DIR"));
    let manifest: Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let images = manifest["images"].as_array().unwrap();
    let t = ekyc_vision::quality::Thresholds::default();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let lines: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = images
            .chunks(images.len().div_ceil(threads).max(1))
            .map(|chunk| {
                let (dir, t) = (&dir, &t);
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|img| {
                            let file = img["file"].as_str().unwrap();
                            let bytes = std::fs::read(dir.join(file)).unwrap();
                            let r = ekyc_vision::quality::assess_encoded(&bytes, 40_000_000, t).unwrap();
                            json!({
                                "file": file,
                                "label": img["label"],
                                "severity": img["severity"],
                                "hard": img["hard"],
                                "failures": r.failures,
                                "warnings": r.warnings,
                                "metrics": r.metrics,
                            })
                            .to_string()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    for line in lines {
        println!("{line}");
    }
}
