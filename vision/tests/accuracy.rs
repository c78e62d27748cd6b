//! Accuracy of the quality gate and of machine reading over the labelled fixture set that
//! `scripts/fixtures` generates (`EKYC_FIXTURES_DIR`; scripts/test.sh and `make fixtures`
//! make it). Prints the confusion table and checks the published targets that are met:
//!
//! - quality gate: at most 2 % of good captures refused; recall ≥ 0.95 at severities 2–3 for
//!   the defects in [`ASSERTED`]. The others are printed with their recall and listed as
//!   open in docs/quality.md (`NOT_MET_YET`), `damaged_document` (a warning, not a refusal) is
//!   best effort;
//! - reading: MRZ valid and correct on ≥ 95 % of good captures that carry one, never a valid
//!   MRZ with wrong fields; PDF417 decoded on ≥ 95 % of good licence backs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use ekyc_vision::quality::{Thresholds, assess_encoded};
use serde_json::Value;

/// Defects whose recall target (≥ 0.95 at severities 2–3) is met and asserted.
const ASSERTED: &[&str] = &[
    "blurred_photo",
    "covered_photo",
    "cut_off_document",
    "dark_photo",
    "glare_on_photo",
    "low_resolution",
    "no_document_in_image",
    "photo_of_screen",
];
/// Defects with a recall target not met yet: printed, not asserted (docs/quality.md).
const NOT_MET_YET: &[&str] = &[];

struct Outcome {
    label: String,
    severity: u64,
    hard: bool,
    file: String,
    /// Refusals and warnings (a warning counts as a detection, not as a refusal).
    failures: Vec<&'static str>,
    refused: bool,
    metrics: Value,
}

fn fixtures() -> (PathBuf, Vec<Value>) {
    // Default: what `make fixtures` writes.
    let dir = std::env::var("EKYC_FIXTURES_DIR")
        .map_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.local/fixtures"), PathBuf::from);
    let manifest = std::fs::read(dir.join("manifest.json")).unwrap_or_else(|e| {
        panic!("no fixture set in {} ({e}): run `make fixtures`, or set EKYC_FIXTURES_DIR", dir.display())
    });
    let manifest: Value = serde_json::from_slice(&manifest).unwrap();
    (dir, manifest["images"].as_array().unwrap().clone())
}

fn run_all(dir: &std::path::Path, images: &[Value], t: &Thresholds) -> Vec<Outcome> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunks: Vec<&[Value]> = images.chunks(images.len().div_ceil(threads).max(1)).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|img| {
                            let file = img["file"].as_str().unwrap().to_owned();
                            // The upload endpoint's path: bytes in, DCT-scaled JPEG decode.
                            let bytes = std::fs::read(dir.join(&file)).unwrap();
                            let r = assess_encoded(&bytes, 40_000_000, t).unwrap();
                            Outcome {
                                label: img["label"].as_str().unwrap().to_owned(),
                                severity: img["severity"].as_u64().unwrap_or(0),
                                hard: img["hard"].as_bool().unwrap_or(false),
                                file,
                                failures: r.failures.iter().chain(r.warnings.iter()).copied().collect(),
                                refused: !r.failures.is_empty(),
                                metrics: serde_json::to_value(&r.metrics).unwrap(),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn quality_gate_meets_its_published_accuracy() {
    let (dir, images) = fixtures();
    let t = Thresholds::default();
    let outcomes = run_all(&dir, &images, &t);

    // Confusion: (label, severity) → main verdict counts.
    let mut table: BTreeMap<(String, u64), BTreeMap<String, u32>> = BTreeMap::new();
    for o in &outcomes {
        let verdict = o.failures.first().map_or("accepted".to_owned(), |f| (*f).to_owned());
        *table.entry((o.label.clone(), o.severity)).or_default().entry(verdict).or_default() += 1;
    }
    println!("\nquality gate confusion (rows: label/severity; cells: main verdict)");
    for ((label, sev), cells) in &table {
        let total: u32 = cells.values().sum();
        let row: Vec<String> = cells.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!("  {label:<22} s{sev}  n={total:<4} {}", row.join("  "));
    }

    let good: Vec<&Outcome> = outcomes.iter().filter(|o| o.label == "good").collect();
    let refused: Vec<&&Outcome> = good.iter().filter(|o| o.refused).collect();
    let false_refusal = refused.len() as f64 / good.len().max(1) as f64;
    println!(
        "\ngood captures refused: {}/{} = {:.3} (hard ones: {})",
        refused.len(),
        good.len(),
        false_refusal,
        good.iter().filter(|o| o.hard).count()
    );
    for o in refused.iter().take(15) {
        println!("    {} → {:?} {}", o.file, o.failures, o.metrics);
    }

    let mut failed = Vec::new();
    let labels: std::collections::BTreeSet<&str> =
        outcomes.iter().map(|o| o.label.as_str()).filter(|l| *l != "good").collect();
    for label in labels {
        let strong: Vec<&Outcome> = outcomes.iter().filter(|o| o.label == label && o.severity >= 2).collect();
        let hit = strong.iter().filter(|o| o.failures.contains(&label)).count();
        let recall = hit as f64 / strong.len().max(1) as f64;
        let asserted = ASSERTED.contains(&label);
        println!(
            "recall {label:<22} (severity 2–3) {hit}/{} = {recall:.3}{}",
            strong.len(),
            if asserted {
                ""
            } else if NOT_MET_YET.contains(&label) {
                "  [target 0.95 not met yet: not asserted]"
            } else {
                "  [best effort]"
            }
        );
        for o in strong.iter().filter(|o| !o.failures.contains(&label)).take(6) {
            println!("    missed {} → {:?} {}", o.file, o.failures, o.metrics);
        }
        if asserted && recall < 0.95 {
            failed.push(format!("{label} recall {recall:.3}"));
        }
    }
    if false_refusal > 0.02 {
        failed.push(format!("false refusal {false_refusal:.3}"));
    }
    assert!(failed.is_empty(), "targets missed: {failed:?}");
}

/// Machine reading over good captures: MRZ valid on ≥ 95 % of those that carry one, never a
/// "valid" MRZ whose fields differ from the truth; PDF417 decoded on ≥ 95 % of licence backs.
#[test]
fn reading_meets_its_published_accuracy() {
    let (dir, images) = fixtures();
    let t = Thresholds::default();
    let good: Vec<&Value> = images.iter().filter(|i| i["label"] == "good").collect();
    let (mut mrz_total, mut mrz_valid, mut mrz_wrong) = (0, 0, Vec::new());
    let (mut bc_total, mut bc_ok) = (0, 0);
    for img in good {
        let has_mrz = !img["mrz"].is_null();
        let has_bc = !img["barcode"].is_null();
        if !has_mrz && !has_bc {
            continue;
        }
        let file = img["file"].as_str().unwrap();
        // As the upload endpoint does: corners from the gate, reading on the full-size image.
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let corners = assess_encoded(&bytes, 40_000_000, &t).unwrap().corners;
        let decoded = image::load_from_memory(&bytes).unwrap();
        if has_mrz {
            mrz_total += 1;
            match corners.and_then(|c| ekyc_vision::read::read_mrz(&decoded, &c)) {
                Some(r) if r.valid => {
                    let truth = &img["truth"];
                    let same = r.mrz.document_number == truth["document_number"].as_str().unwrap_or_default()
                        && r.mrz.date_of_birth.map(|d| d.to_string()).as_deref() == truth["date_of_birth"].as_str()
                        && r.mrz.expiry_date.map(|d| d.to_string()).as_deref() == truth["expiry_date"].as_str();
                    if same {
                        mrz_valid += 1;
                    } else {
                        mrz_wrong.push(file.to_owned());
                    }
                }
                Some(_) => println!("    mrz read, check digits fail: {file}"),
                None => println!("    mrz not found: {file}"),
            }
        }
        if has_bc {
            bc_total += 1;
            let text = ekyc_vision::read::read_pdf417(&decoded, corners.as_ref()).map(|(t, _)| t);
            if text.as_deref() == img["barcode"]["text"].as_str() {
                bc_ok += 1;
            } else {
                println!("    pdf417 not read: {file}");
            }
        }
    }
    let mrz_rate = f64::from(mrz_valid) / f64::from(mrz_total.max(1));
    let bc_rate = f64::from(bc_ok) / f64::from(bc_total.max(1));
    println!("MRZ valid and correct: {mrz_valid}/{mrz_total} = {mrz_rate:.3}; valid but wrong: {}", mrz_wrong.len());
    println!("PDF417 decoded: {bc_ok}/{bc_total} = {bc_rate:.3}");
    assert!(mrz_wrong.is_empty(), "a valid MRZ with wrong fields: {mrz_wrong:?}");
    assert!(mrz_rate >= 0.95, "MRZ read rate {mrz_rate:.3}");
    assert!(bc_rate >= 0.95, "PDF417 read rate {bc_rate:.3}");
}
