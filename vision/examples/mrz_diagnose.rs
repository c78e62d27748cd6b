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
    // EKYC_MRZ_OPTIONS=1: also the hesitant cells and the valid combinations of every capture
    // whose MRZ is not read valid and right (or of every capture, with EKYC_MRZ_OPTIONS=all).
    let options_mode = std::env::var("EKYC_MRZ_OPTIONS").unwrap_or_default();
    let verbose = options_mode == "all";
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
        if !options_mode.is_empty() {
            let t = &img["truth"];
            let right = |r: &ekyc_vision::mrz::MrzRead| {
                r.mrz.document_number == t["document_number"].as_str().unwrap_or_default()
                    && r.mrz.date_of_birth.map(|d| d.to_string()).as_deref() == t["date_of_birth"].as_str()
                    && r.mrz.expiry_date.map(|d| d.to_string()).as_deref() == t["expiry_date"].as_str()
            };
            let started = std::time::Instant::now();
            let read = ekyc_vision::read::read_mrz(&d, &c);
            println!("TIME read_mrz {:.1} ms {file}", started.elapsed().as_secs_f64() * 1e3);
            let verdict = match &read {
                Some(r) if r.valid && right(r) => "valid, right",
                Some(r) if r.valid => "VALID BUT WRONG",
                Some(_) => "not valid",
                None => "not found",
            };
            if verbose || verdict != "valid, right" {
                println!("{file}: {verdict}");
                let shape = (truth.len(), truth.first().map_or(0, String::len));
                for o in ekyc_vision::read::mrz_options(&band).into_iter().filter(|o| o.shape == shape) {
                    let cells: Vec<String> = o
                        .hesitant
                        .iter()
                        .map(|h| {
                            let want =
                                truth.get(h.line).and_then(|l| l.as_bytes().get(h.column)).copied().unwrap_or(b'?');
                            format!(
                                "{}:{} {}/{} {:.3} (truth {}) like {:?}/{:?}",
                                h.line,
                                h.column,
                                char::from(h.first),
                                char::from(h.alt),
                                h.margin,
                                char::from(want),
                                h.like_first,
                                h.like_alt
                            )
                        })
                        .collect();
                    println!("  shape {} hesitant {cells:?}", o.hesitant.len());
                    let settled: Vec<String> = o
                        .settled
                        .iter()
                        .map(|h| {
                            let want =
                                truth.get(h.line).and_then(|l| l.as_bytes().get(h.column)).copied().unwrap_or(b'?');
                            let mark = if h.first == want { "" } else { " WRONG" };
                            format!("{}:{} {} not {}{mark}", h.line, h.column, char::from(h.first), char::from(h.alt))
                        })
                        .collect();
                    println!("  settled {settled:?}");
                    for v in &o.valid {
                        println!(
                            "    valid cost {:.3} right {} repairs {}",
                            v.cost,
                            right(&v.read),
                            v.read.repairs.len()
                        );
                    }
                }
            }
        }
        let hit = readings.iter().find(|r| r.lines.len() == truth.len());
        if std::env::var("EKYC_MRZ_LIKENESS").is_ok()
            && let Some(r) = hit
            && let Some(classes) = ekyc_vision::mrz::position_classes(r.lines.len(), r.lines[0].len())
        {
            // How alike each twin-prone cell is to the MRZ's clear examples of its own character
            // and of its twins: "self" and "cross" lines, to see the gap the tie-break relies on.
            for (l, line) in truth.iter().enumerate() {
                for (c, t) in line.bytes().enumerate() {
                    let Some(set) =
                        [&b"0OQD"[..], b"1I", b"2Z", b"5S", b"6G", b"8B"].into_iter().find(|s| s.contains(&t))
                    else {
                        continue;
                    };
                    for &x in set {
                        if let Some(like) = ekyc_vision::read::likeness(&r.glyphs, &classes, (l, c), x) {
                            let kind = if x == t { "self" } else { "cross" };
                            println!("LIKE {kind} {like:.3} {} as {} {file} {l}:{c}", char::from(t), char::from(x));
                        }
                    }
                }
            }
        }
        match hit {
            Some(r) if r.lines == truth && !verbose => {
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
