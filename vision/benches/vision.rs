//! Criterion benchmarks: the quality gate on a 12-megapixel JPEG (decode included) and MRZ
//! reading on a flattened card. Images come from the fixture set (`EKYC_FIXTURES_DIR`).
//!
//!   EKYC_FIXTURES_DIR=.local/fixtures cargo bench -p ekyc-vision
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use ekyc_vision::quality::{Thresholds, assess, assess_encoded};

/// The upload endpoint's pixel limit (`EKYC_MAX_IMAGE_PIXELS` default).
const MAX_PIXELS: u64 = 40_000_000;

fn fixture(pred: impl Fn(&serde_json::Value) -> bool) -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var("EKYC_FIXTURES_DIR").ok()?);
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).ok()?).ok()?;
    let img = manifest["images"].as_array()?.iter().find(|i| pred(i))?;
    Some(dir.join(img["file"].as_str()?))
}

fn quality(c: &mut Criterion) {
    let path = fixture(|i| i["label"] == "good" && i["width"].as_u64() == Some(4032))
        .expect("a 12 MP good capture in the fixtures");
    let bytes = std::fs::read(&path).unwrap();
    let t = Thresholds::default();
    c.bench_function("quality gate, 12 MP JPEG incl. decode", |b| {
        b.iter(|| assess_encoded(&bytes, MAX_PIXELS, &t).unwrap());
    });
    // For comparison: the whole photo decoded first (what the gate did before DCT scaling).
    c.bench_function("quality gate, 12 MP JPEG, full decode then reduce", |b| {
        b.iter(|| assess(&image::load_from_memory(&bytes).unwrap(), &t));
    });
    let small = fixture(|i| i["label"] == "good" && i["width"].as_u64() == Some(1600)).unwrap();
    let bytes = std::fs::read(&small).unwrap();
    c.bench_function("quality gate, 1600x1200 JPEG incl. decode", |b| {
        b.iter(|| assess_encoded(&bytes, MAX_PIXELS, &t).unwrap());
    });
}

fn mrz(c: &mut Criterion) {
    let t = Thresholds::default();
    for (width, name) in
        [(1600, "MRZ read (flatten + OCR + parse), 1600x1200"), (4032, "MRZ read (flatten + OCR + parse), 12 MP")]
    {
        let Some(path) = fixture(|i| i["label"] == "good" && !i["mrz"].is_null() && i["width"].as_u64() == Some(width))
        else {
            continue;
        };
        let img = image::open(path).unwrap();
        let corners = assess(&img, &t).corners.unwrap();
        c.bench_function(name, |b| {
            b.iter(|| ekyc_vision::read::read_mrz(&img, &corners));
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = quality, mrz
}
criterion_main!(benches);
