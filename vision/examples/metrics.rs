//! Sharpness (variance of the Laplacian) and exposure (mean grey) of whole images, timed, to
//! compare with OpenCV on the same files (`scripts/bench-opencv.sh`). Prints one JSON line.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::time::Instant;

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let (mut decode, mut compute) = (0f64, 0f64);
    let mut results = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let t = Instant::now();
        let gray = image::load_from_memory(&bytes).unwrap().to_luma8();
        decode += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let lap = imageproc::filter::laplacian_filter(&gray);
        let n = f64::from(gray.width() * gray.height());
        let mean_lap = lap.pixels().map(|p| f64::from(p.0[0])).sum::<f64>() / n;
        let var = lap.pixels().map(|p| (f64::from(p.0[0]) - mean_lap).powi(2)).sum::<f64>() / n;
        let mean = gray.pixels().map(|p| f64::from(p.0[0])).sum::<f64>() / n;
        compute += t.elapsed().as_secs_f64();
        results.push((var, mean));
    }
    let out = serde_json::json!({
        "files": files.len(),
        "decode_ms_per_image": decode * 1000.0 / files.len() as f64,
        "metrics_ms_per_image": compute * 1000.0 / files.len() as f64,
        "first": results.first().map(|r| [r.0, r.1]),
    });
    println!("{out}");
}
