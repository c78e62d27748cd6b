//! Throughput of the checks worker (issue: checks and review): verifications fully checked
//! per minute, with one worker and then two, over complete drafts made from the test documents
//! and faces. A benchmark, not a test: it asserts nothing about time and is `#[ignore]`d; run it
//! with `make bench` (or `cargo nextest run -p ekyc-tests --run-ignored only bench::`) and read
//! the printed figures.

use std::time::Instant;

use reqwest::StatusCode;
use serde_json::json;

use crate::documents::DocData;
use crate::faces_fixtures::Person;
use crate::helpers::{Options, TestApp, good_info, spawn_app_with};

async fn drafts(app: &TestApp, n: usize, offset: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for i in 0..n {
        let token = app.applicant().await;
        let mut info = good_info();
        info["document_number"] = json!(format!("L{:08}", offset + i));
        let doc = DocData::from_info(&info);
        let id = app.complete_draft_with(&token, info, &doc, Person::A).await;
        out.push((token, id));
    }
    out
}

async fn submit_all(app: &TestApp, batch: &[(String, String)]) {
    for (token, id) in batch {
        assert_eq!(app.submit(token, id).await.status, StatusCode::OK);
    }
}

#[tokio::test]
#[ignore = "benchmark: run with make bench"]
async fn checks_worker_throughput() {
    let n: usize = std::env::var("EKYC_BENCH_VERIFICATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let app = spawn_app_with(Options::default().set("EKYC_RATE_LIMIT_REGISTER_IP", "1000/60")).await;
    let prep = Instant::now();
    let one = drafts(&app, n, 0).await;
    let two = drafts(&app, n, n).await;
    println!("prepared {} complete drafts in {:.1} s", 2 * n, prep.elapsed().as_secs_f64());

    submit_all(&app, &one).await;
    let ctx = app.jobs();
    let t = Instant::now();
    let done = ekyc::jobs::run_until_empty(&ctx, "bench-1").await.unwrap().len();
    let secs = t.elapsed().as_secs_f64();
    println!("1 worker : {done} verifications checked in {secs:.2} s = {:.0} per minute", done as f64 * 60.0 / secs);

    submit_all(&app, &two).await;
    let (a, b) = (app.jobs(), app.jobs());
    let t = Instant::now();
    let (x, y) = tokio::join!(ekyc::jobs::run_until_empty(&a, "bench-2a"), ekyc::jobs::run_until_empty(&b, "bench-2b"));
    let done = x.unwrap().len() + y.unwrap().len();
    let secs = t.elapsed().as_secs_f64();
    println!("2 workers: {done} verifications checked in {secs:.2} s = {:.0} per minute", done as f64 * 60.0 / secs);
    println!(
        "(each: 8 checks incl. a duplicate-face scan over every earlier selfie; machine: {} cores)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
}
