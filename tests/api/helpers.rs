//! Test harness: every test gets the real server on port 0, its own PostgreSQL database
//! cloned from a migrated template, and the real S3 server and mail catcher started by
//! `scripts/services.sh`.

use std::collections::HashMap;
use std::time::Duration;

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use ekyc::app::AppState;
use ekyc::config::Config;
use ekyc::jobs::{self, JobContext};
use ekyc::startup::Application;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::documents::{self, DocData, id_back_td1};
use crate::faces_fixtures::{self, Person};

pub fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_owned())
}

/// The server's maintenance database URL (tests create databases through it).
fn admin_url() -> String {
    env_or("EKYC_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
}

fn url_for(db: &str) -> String {
    let admin = admin_url();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    format!("{base}/{db}")
}

/// Name of the template, derived from the migrations so a changed migration builds a new one.
fn template_name() -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations"));
    let mut entries: Vec<_> = walk(dir);
    entries.sort();
    for p in entries {
        // The relative name and the content: the same migrations in two checkouts share a template.
        p.strip_prefix(dir).unwrap_or(&p).hash(&mut h);
        std::fs::read(&p).expect("reading a migration").hash(&mut h);
    }
    // And what this binary embeds: a binary built before a migration was added must not make
    // (or use) the template of the newer set.
    use diesel::migration::MigrationSource;
    let embedded: Vec<String> = MigrationSource::<diesel::pg::Pg>::migrations(&ekyc::db::MIGRATIONS)
        .unwrap()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    embedded.hash(&mut h);
    format!("ekyc_tpl_{:016x}", h.finish())
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    exists: bool,
}

/// Creates the migrated template once (across the test processes nextest starts), then
/// clones it for this test.
async fn fresh_database() -> String {
    let template = template_name();
    let mut admin =
        AsyncPgConnection::establish(&admin_url()).await.expect("PostgreSQL must be running: scripts/services.sh up");
    diesel::sql_query("SELECT pg_advisory_lock(727274)").execute(&mut admin).await.unwrap();
    let exists: Exists = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
        .bind::<diesel::sql_types::Text, _>(&template)
        .get_result(&mut admin)
        .await
        .unwrap();
    if !exists.exists {
        let building = format!("{template}_building");
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {building}")).execute(&mut admin).await.unwrap();
        diesel::sql_query(format!("CREATE DATABASE {building}")).execute(&mut admin).await.unwrap();
        ekyc::db::run_migrations(&url_for(&building)).await.unwrap();
        diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {template}")).execute(&mut admin).await.unwrap();
    }
    let name = format!("ekyc_t_{}", Uuid::new_v4().simple());
    let mut result = Ok(0);
    for _ in 0..20 {
        result = diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}")).execute(&mut admin).await;
        if result.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    diesel::sql_query("SELECT pg_advisory_unlock(727274)").execute(&mut admin).await.unwrap();
    result.expect("cloning the template database");
    name
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db_url: String,
    pub state: actix_web::web::Data<AppState>,
    /// The signing key the server uses (kid, base64 PKCS#8), so tests can forge tokens.
    pub signing_key: (String, String),
}

#[derive(Default)]
pub struct Options {
    pub env: HashMap<String, String>,
}

impl Options {
    pub fn set(mut self, k: &str, v: &str) -> Self {
        self.env.insert(k.to_owned(), v.to_owned());
        self
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    ekyc::telemetry::init(ekyc::config::LogFormat::Pretty);
    let db = fresh_database().await;
    let db_url = url_for(&db);
    let key = ekyc::auth::jwt::generate_key_b64().unwrap();
    let mut env: HashMap<String, String> = HashMap::new();
    for var in ekyc::config::VARIABLES {
        if let Ok(v) = std::env::var(var.name) {
            env.insert(var.name.to_owned(), v);
        }
    }
    env.insert("DATABASE_URL".into(), db_url.clone());
    env.insert("EKYC_BIND_ADDR".into(), "127.0.0.1:0".into());
    env.insert("EKYC_MIGRATE_ON_START".into(), "false".into());
    env.insert("EKYC_WEB_DIR".into(), String::new());
    env.insert("EKYC_DB_POOL_SIZE".into(), "4".into());
    env.insert("S3_BUCKET".into(), env_or("EKYC_TEST_S3_BUCKET", "ekyc-test"));
    env.insert("EKYC_JWT_SIGNING_KEYS".into(), format!("test1:{key}"));
    if !env.contains_key("EKYC_FACE_MODELS_DIR") {
        let home = std::env::var("HOME").unwrap_or_default();
        env.insert("EKYC_FACE_MODELS_DIR".into(), format!("{home}/.cache/ekyc/tools/face/models"));
    }
    env.extend(options.env);
    let signing_key = env["EKYC_JWT_SIGNING_KEYS"]
        .split(',')
        .next()
        .and_then(|s| s.split_once(':'))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .unwrap();
    let config = Config::from_map(&env).expect("test configuration");
    let app = Application::build(config).await.expect("building the app");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    // Idle connections are dropped before the server's keep-alive (5 s) could close one under
    // a request being sent.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    TestApp { base, client, db_url, state, signing_key }
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Resp {
    /// The error code of an error response.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("<no error code>")
    }

    pub fn field_codes(&self) -> Vec<(String, String)> {
        self.body["error"]["fields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| {
                        (f["field"].as_str().unwrap_or("").to_owned(), f["code"].as_str().unwrap_or("").to_owned())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub async fn into_resp(res: reqwest::Response) -> Resp {
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    Resp { status, headers, body }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Resp {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        into_resp(req.send().await.unwrap()).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.request(Method::POST, path, None, Some(body)).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.request(Method::GET, path, token, None).await
    }

    pub async fn register(&self, email: &str) -> Resp {
        let r = self.post("/api/v1/auth/register", json!({"email": email, "password": "correct horse battery"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        r
    }

    /// Registers an applicant and returns its access token.
    pub async fn applicant(&self) -> String {
        let email = format!("applicant-{}@example.com", Uuid::new_v4().simple());
        self.register(&email).await.body["access_token"].as_str().unwrap().to_owned()
    }

    /// Creates a staff account through the same code as `ekyc admin create-user`, signs it in.
    pub async fn staff(&self, role: ekyc::auth::Role) -> String {
        let email = ekyc::auth::email::Email::parse(&format!("staff-{}@example.com", Uuid::new_v4().simple())).unwrap();
        let hash = ekyc::admin::hash_new_password("staff password long".into(), &email).await.unwrap();
        let mut conn = self.db().await;
        ekyc::admin::create_staff(&mut conn, &email, &[role], &hash).await.unwrap();
        let r =
            self.post("/api/v1/auth/login", json!({"email": email.as_str(), "password": "staff password long"})).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        r.body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn db(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.db_url).await.unwrap()
    }

    pub fn jobs(&self) -> JobContext {
        JobContext::from_state(&self.state)
    }

    /// Runs the queue until nothing is ready and fails the test if any job is left queued
    /// or running (a retry scheduled for later counts as left).
    pub async fn drain_jobs(&self) -> Vec<jobs::Outcome> {
        let outcomes = jobs::run_until_empty(&self.jobs(), "test-worker").await.unwrap();
        let mut conn = self.db().await;
        assert_eq!(jobs::pending(&mut conn).await.unwrap(), 0, "jobs were left unprocessed");
        outcomes
    }
}

/// Personal information that passes every rule (a German ID card).
pub fn good_info() -> Value {
    json!({
        "issuing_country": "DE",
        "document_type": "id_card",
        "first_name": "Erika",
        "last_name": "Mustermann",
        "date_of_birth": "1984-08-12",
        "nationality": "DE",
        "document_number": "L01X00T47",
        "expiry_date": "2031-06-30"
    })
}

impl TestApp {
    pub async fn upload(&self, token: &str, path: &str, bytes: Vec<u8>, key: Option<&str>) -> Resp {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("photo.jpg").mime_str("image/jpeg").unwrap();
        let form = reqwest::multipart::Form::new().part("file", part);
        let mut req = self.client.post(self.url(path)).bearer_auth(token).multipart(form);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        into_resp(req.send().await.unwrap()).await
    }

    pub async fn start(&self, token: &str) -> String {
        let r = self.request(Method::POST, "/api/v1/verifications", Some(token), Some(json!({}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        r.body["id"].as_str().unwrap().to_owned()
    }

    pub async fn put_info(&self, token: &str, id: &str, info: Value) -> Resp {
        self.request(Method::PUT, &format!("/api/v1/verifications/{id}/personal-info"), Some(token), Some(info)).await
    }

    /// A verification with every step complete, ready to submit: `good_info()` and a card
    /// whose MRZ says the same.
    pub async fn complete_draft(&self, token: &str) -> String {
        let doc = DocData::from_info(&good_info());
        self.complete_draft_with(token, good_info(), &doc, Person::A).await
    }

    /// A verification with every step complete: `info` entered, A's card photographed (a
    /// passport page carrying `doc`'s TD3 when `doc` is a passport, else a front and a back
    /// carrying `doc`'s TD1), `selfie`'s selfie, and `selfie` passing liveness.
    pub async fn complete_draft_with(&self, token: &str, info: Value, doc: &DocData, selfie: Person) -> String {
        let id = self.start(token).await;
        let r = self.put_info(token, &id, info).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        let mut images = if doc.document_code.starts_with('P') {
            vec![("documents/front", documents::passport_page_td3(doc, Person::A, 0))]
        } else {
            vec![("documents/front", faces_fixtures::id_front(Person::A, 0)), ("documents/back", id_back_td1(doc, 1))]
        };
        images.push(("selfie", faces_fixtures::selfie(selfie, 2)));
        for (side, bytes) in images {
            let r = self.upload(token, &format!("/api/v1/verifications/{id}/{side}"), bytes, None).await;
            assert_eq!(r.status, StatusCode::CREATED, "{side}: {:?}", r.body);
        }
        self.pass_liveness_as(token, &id, selfie).await;
        id
    }

    pub async fn liveness_challenge(&self, token: &str, id: &str) -> Resp {
        self.request(Method::POST, &format!("/api/v1/verifications/{id}/liveness/challenge"), Some(token), None).await
    }

    /// Answers a challenge with `frames`, 250 ms apart.
    pub async fn liveness_submit(&self, token: &str, id: &str, challenge: &Value, frames: Vec<Vec<u8>>) -> Resp {
        let times: Vec<i64> = (0..frames.len() as i64).map(|i| 1_000 + i * 250).collect();
        let meta = json!({"challenge_id": challenge["id"], "nonce": challenge["nonce"], "captured_at_ms": times});
        let mut form = reqwest::multipart::Form::new().part(
            "challenge",
            reqwest::multipart::Part::bytes(meta.to_string().into_bytes()).mime_str("application/json").unwrap(),
        );
        for (i, f) in frames.into_iter().enumerate() {
            form = form.part(
                "frame",
                reqwest::multipart::Part::bytes(f).file_name(format!("f{i}.jpg")).mime_str("image/jpeg").unwrap(),
            );
        }
        let req = self.client.post(self.url(&format!("/api/v1/verifications/{id}/liveness"))).bearer_auth(token);
        into_resp(req.multipart(form).send().await.unwrap()).await
    }

    /// The actions a challenge asks for.
    pub fn actions(challenge: &Value) -> Vec<ekyc_face::Action> {
        challenge["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| ekyc_face::Action::parse(a.as_str().unwrap()).unwrap())
            .collect()
    }

    /// A challenge answered by person A performing what it asks.
    pub async fn pass_liveness(&self, token: &str, id: &str) -> Resp {
        self.pass_liveness_as(token, id, crate::faces_fixtures::Person::A).await
    }

    pub async fn pass_liveness_as(&self, token: &str, id: &str, who: crate::faces_fixtures::Person) -> Resp {
        let c = self.liveness_challenge(token, id).await;
        assert_eq!(c.status, StatusCode::CREATED, "{:?}", c.body);
        let engine = self.state.faces.engine().await.unwrap();
        let frames = crate::faces_fixtures::burst(&engine, who, Some(&Self::actions(&c.body)));
        let r = self.liveness_submit(token, id, &c.body, frames).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        r
    }

    pub async fn submit(&self, token: &str, id: &str) -> Resp {
        self.request(Method::POST, &format!("/api/v1/verifications/{id}/submit"), Some(token), None).await
    }

    pub async fn decide(&self, admin: &str, id: &str, body: Value) -> Resp {
        self.request(Method::POST, &format!("/api/v1/admin/verifications/{id}/decision"), Some(admin), Some(body)).await
    }
}
