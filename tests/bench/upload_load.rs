//! Load script: upload latency of a 12-megapixel, ~4 MB JPEG to stored (p50/p99) at a given
//! concurrency, against a running server. Driven by `scripts/bench-upload.sh`, which also
//! reads the server's peak memory.
//!
//!   upload-load <base-url> <concurrency> <uploads-per-worker>
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::io::Cursor;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A 12 MP (4032 × 3024) good capture of a passport page from the labelled fixtures
/// (`EKYC_FIXTURES_DIR`): a photo the gate keeps, so every upload pays for the whole path
/// (gate, full decode, re-encode, face and extraction, storage).
fn photo() -> Vec<u8> {
    let dir =
        std::path::PathBuf::from(std::env::var("EKYC_FIXTURES_DIR").expect("EKYC_FIXTURES_DIR: the labelled fixtures"));
    let manifest: Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let img = manifest["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["label"] == "good" && i["kind"] == "passport" && i["hard"] == false && i["width"].as_u64() == Some(4032)
        })
        .expect("a 12 MP good passport page in the fixtures");
    let capture = image::open(dir.join(img["file"].as_str().unwrap())).unwrap().to_rgb8();
    // A phone's photo carries sensor noise the renderer's does not, and its JPEG is ~4 MB
    // rather than the fixture's ~0.4 MB: a little noise and a high quality give both.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let noisy = image::RgbImage::from_fn(capture.width(), capture.height(), |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let n = (state & 0x0F) as i16 - 8;
        image::Rgb(capture.get_pixel(x, y).0.map(|c| (i16::from(c) + n).clamp(0, 255) as u8))
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut out), 92)
        .encode_image(&image::DynamicImage::ImageRgb8(noisy))
        .unwrap();
    out
}

async fn applicant(client: &reqwest::Client, base: &str, i: usize) -> (String, String) {
    let email = format!("load-{}-{i}@example.com", uuid::Uuid::new_v4().simple());
    let r: Value = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"email": email, "password": "correct horse battery"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token =
        r["access_token"].as_str().expect("register (raise EKYC_RATE_LIMIT_REGISTER_IP for load runs)").to_owned();
    let v: Value = client
        .post(format!("{base}/api/v1/verifications"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = v["id"].as_str().unwrap().to_owned();
    let info = json!({"issuing_country": "DE", "document_type": "passport", "first_name": "Load", "last_name": "Test",
        "date_of_birth": "1980-01-01", "nationality": "DE", "document_number": "C01X00T47", "expiry_date": "2031-01-01"});
    let r = client
        .put(format!("{base}/api/v1/verifications/{id}/personal-info"))
        .bearer_auth(&token)
        .json(&info)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "personal info: {}", r.status());
    (token, id)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base = args.get(1).cloned().unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let concurrency: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let per_worker: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let bytes = photo();
    let client = reqwest::Client::new();
    let mut workers = Vec::new();
    for i in 0..concurrency {
        workers.push(applicant(&client, &base, i).await);
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (token, id) in workers {
        let (client, base, bytes) = (client.clone(), base.clone(), bytes.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for _ in 0..per_worker {
                let part = reqwest::multipart::Part::bytes(bytes.clone()).file_name("p.jpg");
                let form = reqwest::multipart::Form::new().part("file", part);
                let t = Instant::now();
                let r = client
                    .post(format!("{base}/api/v1/verifications/{id}/documents/front"))
                    .bearer_auth(&token)
                    .multipart(form)
                    .send()
                    .await
                    .unwrap();
                let status = r.status();
                let _ = r.bytes().await;
                assert!(status.is_success(), "upload answered {status}");
                times.push(t.elapsed());
            }
            times
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let wall = started.elapsed();
    all.sort();
    println!(
        "uploads={} concurrency={} image_bytes={} p50_ms={:.0} p99_ms={:.0} max_ms={:.0} throughput_per_s={:.2}",
        all.len(),
        concurrency,
        bytes.len(),
        percentile(&all, 0.5).as_secs_f64() * 1000.0,
        percentile(&all, 0.99).as_secs_f64() * 1000.0,
        all.last().unwrap().as_secs_f64() * 1000.0,
        all.len() as f64 / wall.as_secs_f64()
    );
}
