//! Prints the quality report of image files: `cargo run -p ekyc-vision --example assess -- FILE…`.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

fn main() {
    let t = ekyc_vision::quality::Thresholds::default();
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        let started = std::time::Instant::now();
        let r = ekyc_vision::quality::assess_encoded(&bytes, 40_000_000, &t).unwrap();
        println!(
            "{path}: {:?} in {:?} corners {:?}\n  {}",
            r.failures,
            started.elapsed(),
            r.corners,
            serde_json::to_string(&r.metrics).unwrap()
        );
    }
}
