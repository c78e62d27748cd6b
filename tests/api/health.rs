use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::{Options, env_or, spawn_app, spawn_app_with};

#[tokio::test]
async fn healthz_and_readyz_answer() {
    let app = spawn_app().await;
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["database"], "ok");
    assert_eq!(r.body["object_storage"], "ok");
}

/// An s3s-fs of the test's own, so stopping it disturbs no other test.
struct OwnS3 {
    child: Option<Child>,
    port: u16,
    dir: std::path::PathBuf,
}

impl OwnS3 {
    fn start(port: u16, dir: &std::path::Path) -> Self {
        let home = env_or("HOME", "/root");
        let bin = env_or("EKYC_S3S_FS_BIN", &format!("{home}/.cache/ekyc/tools/s3s-fs/bin/s3s-fs"));
        std::fs::create_dir_all(dir).unwrap();
        let child = Command::new(&bin)
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--access-key",
                "ekyc-dev",
                "--secret-key",
                "ekyc-dev-secret-key-0123456789",
            ])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {bin}: {e} (run scripts/install-deps.sh)"));
        Self { child: Some(child), port, dir: dir.to_owned() }
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for OwnS3 {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn wait_ready(app: &crate::helpers::TestApp, want: StatusCode) -> crate::helpers::Resp {
    let mut last = app.get("/readyz", None).await;
    for _ in 0..50 {
        if last.status == want {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        last = app.get("/readyz", None).await;
    }
    last
}

#[tokio::test]
async fn readyz_follows_the_object_storage() {
    let port = free_port();
    let dir = std::env::temp_dir().join(format!("ekyc-s3-{}", uuid::Uuid::new_v4().simple()));
    let mut s3 = OwnS3::start(port, &dir);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let app = spawn_app_with(Options::default().set("S3_ENDPOINT", &format!("http://127.0.0.1:{port}"))).await;
    let r = wait_ready(&app, StatusCode::OK).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);

    s3.stop();
    let r = wait_ready(&app, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.code(), "dependency_unavailable");
    assert_eq!(r.field_codes(), vec![("object_storage".into(), "unavailable".into())]);
    assert!(r.headers.contains_key("retry-after"));

    let _s3 = OwnS3::start(s3.port, &dir);
    let r = wait_ready(&app, StatusCode::OK).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
}

#[tokio::test]
async fn a_database_that_is_down_is_503_not_500() {
    let app = spawn_app().await;
    // Point a second server at a port where no database listens.
    let dead = spawn_app_with(
        Options::default().set("DATABASE_URL", &format!("postgres://postgres@127.0.0.1:{}/x", free_port())),
    )
    .await;
    let r = dead.get("/readyz", None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.field_codes(), vec![("database".into(), "unavailable".into())]);
    let r = dead
        .post("/api/v1/auth/login", serde_json::json!({"email": "a@example.com", "password": "whatever long"}))
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.code(), "dependency_unavailable");
    assert!(r.headers.contains_key("retry-after"));
    // The healthy one is unaffected.
    assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
}
