//! Notifications end to end: the real server queues them with the status change, the real
//! worker code delivers them to the real mail catcher (maildev) and to the SMS stand-in,
//! and the tests read them back from there. Failure tests start their own maildev or SMS
//! stand-in, so stopping one disturbs no other test.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ekyc::auth::Role;
use ekyc::db::schema::notifications;
use ekyc::notify::outbox::{Delivered, deliver_one, deliver_until_empty};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Options, TestApp, env_or, good_info, into_resp, spawn_app_with};

const APP_URL: &str = "https://kyc.example.test";

fn mail_api() -> String {
    format!("http://127.0.0.1:{}", env_or("EKYC_TEST_MAILDEV_WEB_PORT", "1080"))
}

fn sms_api() -> String {
    env_or("SMS_BASE_URL", "http://127.0.0.1:1090")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A valid German mobile number nobody else uses.
fn phone() -> String {
    format!("+49151{:08}", rand::random::<u32>() % 100_000_000)
}

/// A child process stopped when dropped.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn wait_ready(url: &str) {
    for _ in 0..100 {
        if reqwest::get(url).await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not come up");
}

fn maildev_bin() -> String {
    let tools = env_or("EKYC_TOOLS_DIR", &format!("{}/.cache/ekyc/tools", env_or("HOME", "/root")));
    format!("{tools}/maildev/node_modules/.bin/maildev")
}

/// A private maildev on the given ports.
async fn start_maildev(smtp: u16, web: u16) -> Proc {
    let child = Command::new(maildev_bin())
        .args(["--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "-s", &smtp.to_string(), "-w", &web.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("maildev (scripts/install-deps.sh installs it)");
    let p = Proc(child);
    wait_ready(&format!("http://127.0.0.1:{web}/api/email")).await;
    p
}

/// A private SMS stand-in.
async fn start_sms_standin(port: u16) -> (Proc, tempdir::Dir) {
    let dir = tempdir::Dir::new();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/sms-standin.py");
    let child = Command::new("python3")
        .args([script, "--host", "127.0.0.1", "--port", &port.to_string(), "--data-dir", dir.path()])
        .env("SMS_ACCOUNT_SID", "ACdev")
        .env("SMS_AUTH_TOKEN", "dev-token")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let p = Proc(child);
    wait_ready(&format!("http://127.0.0.1:{port}/_health")).await;
    (p, dir)
}

mod tempdir {
    pub struct Dir(std::path::PathBuf);
    impl Dir {
        pub fn new() -> Self {
            let p = std::env::temp_dir().join(format!("ekyc-sms-{}", uuid::Uuid::new_v4().simple()));
            std::fs::create_dir_all(&p).unwrap();
            Self(p)
        }
        pub fn path(&self) -> &str {
            self.0.to_str().unwrap()
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// The emails the catcher at `api` holds for `to`.
async fn emails(api: &str, to: &str) -> Vec<Value> {
    let r = reqwest::get(format!("{api}/api/email?to.address={to}")).await.unwrap();
    r.json::<Vec<Value>>().await.unwrap()
}

/// Waits until `n` emails are there for `to` (maildev stores a message just after the SMTP
/// exchange ends).
async fn wait_emails(api: &str, to: &str, n: usize) -> Vec<Value> {
    for _ in 0..50 {
        let got = emails(api, to).await;
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    emails(api, to).await
}

async fn sms_to(api: &str, phone: &str) -> Vec<Value> {
    let r = reqwest::get(format!("{api}/_messages?to={}", phone.replace('+', "%2B"))).await.unwrap();
    r.json::<Vec<Value>>().await.unwrap()
}

fn header<'a>(mail: &'a Value, name: &str) -> Option<&'a str> {
    mail["headers"].as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str())
}

/// A new applicant: (token, email address).
async fn applicant(app: &TestApp) -> (String, String) {
    let email = format!("notify-{}@example.com", Uuid::new_v4().simple());
    let token = app.register(&email).await.body["access_token"].as_str().unwrap().to_owned();
    (token, email)
}

async fn settings(app: &TestApp, token: &str, body: Value) -> crate::helpers::Resp {
    app.request(Method::PUT, "/api/v1/notification-settings", Some(token), Some(body)).await
}

/// Completes a draft and submits it, in the given browser language.
async fn submit_in(app: &TestApp, token: &str, accept_language: Option<&str>) -> String {
    let id = app.complete_draft(token).await;
    let mut req = app.client.post(app.url(&format!("/api/v1/verifications/{id}/submit"))).bearer_auth(token);
    if let Some(l) = accept_language {
        req = req.header("Accept-Language", l);
    }
    let r = into_resp(req.send().await.unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    id
}

/// Seconds until the (only) notification is due.
async fn due_in(conn: &mut diesel_async::AsyncPgConnection) -> i64 {
    let at: chrono::DateTime<Utc> = notifications::table.select(notifications::run_at).first(conn).await.unwrap();
    (at - Utc::now()).num_seconds()
}

fn check_no_pii(mail: &Value) {
    let all = mail.to_string();
    for pii in ["Mustermann", "L01X00T47", "1984-08-12", "+49151"] {
        assert!(!all.contains(pii), "{pii} must not be in an email");
    }
}

#[tokio::test]
async fn each_event_sends_the_right_email_and_sms_in_the_applicants_language() {
    let app = spawn_app_with(Options::default().set("EKYC_APP_URL", APP_URL)).await;
    let admin = app.staff(Role::Admin).await;
    let (mail, sms) = (mail_api(), sms_api());

    // Spanish, chosen in the settings, with a phone number: email and SMS.
    let (token, address) = applicant(&app).await;
    let number = phone();
    let r = settings(&app, &token, json!({"language": "es", "phone": number})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["sms_active"], true);
    let id = submit_in(&app, &token, Some("en-GB")).await;
    app.drain_jobs().await;
    let got = wait_emails(&mail, &address, 1).await;
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(m["subject"], "Hemos recibido tu verificación de identidad");
    assert_eq!(header(m, "content-language"), Some("es"), "the chosen language wins over the browser's");
    let text = m["text"].as_str().unwrap();
    let html = m["html"].as_str().unwrap();
    assert!(text.starts_with("Hola, Erika:"), "{text}");
    assert!(html.contains("Hola, Erika:") && html.contains("<html lang=\"es\">"));
    for part in [text, html] {
        assert!(part.contains(&format!("{APP_URL}/")), "deep link in both parts");
    }
    check_no_pii(m);
    let texts = sms_to(&sms, &number).await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    let body = texts[0]["body"].as_str().unwrap();
    assert!(body.starts_with("ekyc: hemos recibido") && body.ends_with(&format!("{APP_URL}/")), "{body}");
    assert!(body.chars().count() <= 160);

    // Action required: one sentence per reason, and the link goes to the first step to fix.
    let d = app
        .decide(
            &admin,
            &id,
            json!({"decision": "reject", "reject_type": "retry", "reasons": [
                {"code": "blurred_photo", "step": "document", "field_paths": ["images.front"], "internal_note": "secret note"},
                {"code": "data_mismatch", "step": "personal_info", "field_paths": ["document_number"]}
            ]}),
        )
        .await;
    assert_eq!(d.status, StatusCode::OK, "{:?}", d.body);
    app.drain_jobs().await;
    let got = wait_emails(&mail, &address, 2).await;
    assert_eq!(got.len(), 2);
    let m = got.iter().find(|m| m["subject"] == "Acción necesaria: tu verificación de identidad").unwrap();
    let text = m["text"].as_str().unwrap();
    assert!(text.contains("- La foto de tu documento está borrosa: repítela con la cámara estable."), "{text}");
    assert!(text.contains("- Los datos que introdujiste no coinciden con tu documento"), "{text}");
    assert!(!m.to_string().contains("secret note"));
    let link = format!("{APP_URL}/verify/personal-info");
    assert!(text.contains(&link) && m["html"].as_str().unwrap().contains(&format!("href=\"{link}\"")));
    assert_eq!(m["html"].as_str().unwrap().matches("<li>").count(), 2);
    check_no_pii(m);
    let texts = sms_to(&sms, &number).await;
    assert_eq!(texts.len(), 2);
    assert!(texts.iter().any(|t| t["body"].as_str().unwrap().ends_with(&link)));

    // Chinese from the browser's language, approved; no phone: email only.
    let (token, address) = applicant(&app).await;
    let id = submit_in(&app, &token, Some("zh-CN,zh;q=0.9,en;q=0.8")).await;
    app.drain_jobs().await;
    assert_eq!(app.decide(&admin, &id, json!({"decision": "approve"})).await.status, StatusCode::OK);
    app.drain_jobs().await;
    let got = wait_emails(&mail, &address, 2).await;
    let subjects: Vec<&str> = got.iter().map(|m| m["subject"].as_str().unwrap()).collect();
    assert_eq!(got.len(), 2, "{subjects:?}");
    assert!(
        subjects.contains(&"我们已收到您的身份验证申请") && subjects.contains(&"您的身份验证已通过"),
        "{subjects:?}"
    );
    let approved = got.iter().find(|m| m["subject"] == "您的身份验证已通过").unwrap();
    assert!(approved["text"].as_str().unwrap().starts_with("Erika，您好："));
    assert_eq!(header(approved, "content-language"), Some("zh-CN"));

    // English by default; rejected for good.
    let (token, address) = applicant(&app).await;
    let id = submit_in(&app, &token, None).await;
    app.drain_jobs().await;
    let d = app
        .decide(
            &admin,
            &id,
            json!({"decision": "reject", "reject_type": "final", "reasons": [{"code": "suspected_forgery", "step": "document"}]}),
        )
        .await;
    assert_eq!(d.status, StatusCode::OK);
    app.drain_jobs().await;
    let got = wait_emails(&mail, &address, 2).await;
    let rejected = got.iter().find(|m| m["subject"] == "Your identity verification was not successful").unwrap();
    let text = rejected["text"].as_str().unwrap();
    assert!(text.starts_with("Hello Erika,") && text.contains("this decision is final"), "{text}");
    assert!(!text.contains("genuine"), "the reasons of a final rejection are not spelled out");

    // Every event was queued once per channel, and everything went out.
    let mut conn = app.db().await;
    let statuses: Vec<String> = notifications::table.select(notifications::status).load(&mut conn).await.unwrap();
    assert_eq!(statuses.len(), 2 + 2 + 2 + 2, "{statuses:?}");
    assert!(statuses.iter().all(|s| s == "sent"), "{statuses:?}");
}

/// An app whose SMTP server is a private maildev, stopped; an applicant who has just
/// submitted. Returns the app, the maildev's ports, the applicant's token and address.
async fn submitted_while_smtp_is_down(max_attempts: &str) -> (TestApp, (u16, u16), String, String) {
    let (smtp, web) = (free_port(), free_port());
    let maildev = start_maildev(smtp, web).await;
    let app = spawn_app_with(
        Options::default()
            .set("SMTP_PORT", &smtp.to_string())
            .set("SMTP_TIMEOUT_SECS", "3")
            .set("EKYC_NOTIFY_MAX_ATTEMPTS", max_attempts),
    )
    .await;
    let (token, address) = applicant(&app).await;
    drop(maildev); // the SMTP server goes away
    submit_in(&app, &token, None).await;
    (app, (smtp, web), token, address)
}

#[tokio::test]
async fn an_email_is_retried_while_smtp_is_down_and_arrives_once_it_is_back() {
    let (app, (smtp, web), _, address) = submitted_while_smtp_is_down("8").await;
    let ctx = app.jobs();
    let first = deliver_one(&ctx, "w").await.unwrap().unwrap();
    assert_eq!(first.result, Delivered::Retry);
    let mut conn = app.db().await;
    let (status, attempts, err, run_at): (String, i32, Option<String>, chrono::DateTime<Utc>) = notifications::table
        .select((notifications::status, notifications::attempts, notifications::last_error, notifications::run_at))
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(err.unwrap().starts_with("SMTP unavailable"));
    assert!(run_at > Utc::now(), "backed off");
    assert!(deliver_one(&ctx, "w").await.unwrap().is_none(), "not due again before its backoff");

    // The server is back; once the backoff has passed, the email goes out, once.
    let _maildev = start_maildev(smtp, web).await;
    diesel::update(notifications::table).set(notifications::run_at.eq(Utc::now())).execute(&mut conn).await.unwrap();
    app.drain_jobs().await;
    let api = format!("http://127.0.0.1:{web}");
    let got = wait_emails(&api, &address, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(emails(&api, &address).await.len(), 1, "exactly one email");
    assert_eq!(got[0]["subject"], "We received your identity verification");
    let (status, attempts): (String, i32) =
        notifications::table.select((notifications::status, notifications::attempts)).first(&mut conn).await.unwrap();
    assert_eq!((status.as_str(), attempts), ("sent", 2));
}

#[tokio::test]
async fn an_email_out_of_attempts_is_failed_for_admins_who_can_queue_it_again() {
    let (app, (smtp, web), token, address) = submitted_while_smtp_is_down("2").await;
    let ctx = app.jobs();
    let mut conn = app.db().await;
    assert_eq!(deliver_one(&ctx, "w").await.unwrap().unwrap().result, Delivered::Retry);
    // The last allowed attempt fails too: the row is `failed` and admins see it.
    diesel::update(notifications::table).set(notifications::run_at.eq(Utc::now())).execute(&mut conn).await.unwrap();
    assert_eq!(deliver_one(&ctx, "w").await.unwrap().unwrap().result, Delivered::Failed);
    let admin = app.staff(Role::Admin).await;
    let list = app.get("/api/v1/admin/notifications", Some(&admin)).await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.body["items"].as_array().unwrap();
    let failed: Vec<&Value> = items.iter().filter(|i| i["status"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{items:?}");
    assert_eq!(
        (failed[0]["channel"].as_str(), failed[0]["event"].as_str()),
        (Some("email"), Some("submission_received"))
    );
    assert_eq!((failed[0]["attempts"].as_i64(), failed[0]["max_attempts"].as_i64()), (Some(2), Some(2)));
    assert!(!list.body.to_string().contains(&address), "no address in the admin view");
    assert_eq!(app.get("/api/v1/admin/notifications", Some(&token)).await.status, StatusCode::FORBIDDEN);
    let bad = app.get("/api/v1/admin/notifications?status=lost", Some(&admin)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // The server is back; an admin queues the email again; it arrives once.
    let _maildev = start_maildev(smtp, web).await;
    let nid = failed[0]["id"].as_str().unwrap();
    let r = app.request(Method::POST, &format!("/api/v1/admin/notifications/{nid}/retry"), Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["status"], "pending");
    let again =
        app.request(Method::POST, &format!("/api/v1/admin/notifications/{nid}/retry"), Some(&admin), None).await;
    assert_eq!(again.code(), "invalid_state");
    let missing = app
        .request(Method::POST, &format!("/api/v1/admin/notifications/{}/retry", Uuid::new_v4()), Some(&admin), None)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    app.drain_jobs().await;
    let api = format!("http://127.0.0.1:{web}");
    wait_emails(&api, &address, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(emails(&api, &address).await.len(), 1, "exactly one email");
    let status: String = notifications::table.select(notifications::status).first(&mut conn).await.unwrap();
    assert_eq!(status, "sent");
}

#[tokio::test]
async fn sms_refused_with_500_then_429_is_retried_after_retry_after_and_sent_once() {
    let port = free_port();
    let (_standin, _dir) = start_sms_standin(port).await;
    let api = format!("http://127.0.0.1:{port}");
    let app = spawn_app_with(Options::default().set("SMS_BASE_URL", &api)).await;
    let (token, _) = applicant(&app).await;
    let number = phone();
    assert_eq!(settings(&app, &token, json!({"phone": number, "email_enabled": false})).await.status, StatusCode::OK);
    let fail = reqwest::Client::new()
        .post(format!("{api}/_fail"))
        .json(&json!({"responses": [{"status": 500}, {"status": 429, "retry_after": 30}]}))
        .send()
        .await
        .unwrap();
    assert!(fail.status().is_success());
    submit_in(&app, &token, None).await;
    let ctx = app.jobs();
    let mut conn = app.db().await;

    assert_eq!(deliver_one(&ctx, "w").await.unwrap().unwrap().result, Delivered::Retry, "500");
    let wait = due_in(&mut conn).await;
    assert!((0..=2).contains(&wait), "exponential backoff after the first try: {wait}");
    diesel::update(notifications::table).set(notifications::run_at.eq(Utc::now())).execute(&mut conn).await.unwrap();
    assert_eq!(deliver_one(&ctx, "w").await.unwrap().unwrap().result, Delivered::Retry, "429");
    let wait = due_in(&mut conn).await;
    assert!((28..=30).contains(&wait), "Retry-After is honoured over the 4 s backoff: {wait}");
    assert!(deliver_one(&ctx, "w").await.unwrap().is_none());
    diesel::update(notifications::table).set(notifications::run_at.eq(Utc::now())).execute(&mut conn).await.unwrap();
    let sent = deliver_one(&ctx, "w").await.unwrap().unwrap();
    assert_eq!(sent.result, Delivered::Sent);

    let texts = sms_to(&api, &number).await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert_eq!(texts[0]["from"], "+15005550006");
    assert!(texts[0]["body"].as_str().unwrap().starts_with("ekyc: we received"));
    let requests: Vec<Value> =
        reqwest::get(format!("{api}/_requests")).await.unwrap().json::<Vec<Value>>().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r["idempotency_ref"] == sent.id.to_string()), "{requests:?}");
    assert!(requests.iter().all(|r| r["auth_user"] == "ACdev"));
    assert!(
        requests.iter().all(|r| r["content_type"].as_str().unwrap().starts_with("application/x-www-form-urlencoded"))
    );

    // A worker that dies between sending and marking: the claim goes stale, another worker
    // sends again with the same reference, and the provider keeps one message.
    diesel::update(notifications::table)
        .set((
            notifications::status.eq("sending"),
            notifications::locked_at.eq(Utc::now() - chrono::Duration::minutes(10)),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(deliver_one(&ctx, "w2").await.unwrap().unwrap().result, Delivered::Sent);
    assert_eq!(sms_to(&api, &number).await.len(), 1, "the provider dropped the twin");
    app.drain_jobs().await;
}

#[tokio::test]
async fn two_workers_on_the_same_queue_send_each_notification_once() {
    let app = spawn_app_with(Options::default()).await;
    let mut people = Vec::new();
    let mut ids = Vec::new();
    for _ in 0..4 {
        let (token, address) = applicant(&app).await;
        let number = phone();
        assert_eq!(settings(&app, &token, json!({"phone": number})).await.status, StatusCode::OK);
        let id = submit_in(&app, &token, None).await;
        people.push((address, number));
        ids.push(id.parse::<Uuid>().unwrap());
    }
    // Written with the status change, before any worker ran; the same event cannot be
    // queued twice.
    let mut conn = app.db().await;
    let queued: i64 =
        notifications::table.filter(notifications::status.eq("pending")).count().get_result(&mut conn).await.unwrap();
    assert_eq!(queued, 8);
    let again =
        ekyc::notify::outbox::on_status_change(&mut conn, ids[0], ekyc::verification::domain::Status::Submitted)
            .await
            .unwrap();
    assert_eq!(again, 0);
    let (a, b) = (app.jobs(), app.jobs());
    let (ra, rb) = tokio::join!(deliver_until_empty(&a, "a"), deliver_until_empty(&b, "b"));
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.len() + rb.len(), 8);
    let mut ids: Vec<Uuid> = ra.iter().chain(&rb).map(|o| o.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 8, "no row was delivered twice");
    assert!(ra.iter().chain(&rb).all(|o| o.result == Delivered::Sent));
    let attempts: Vec<i32> = notifications::table.select(notifications::attempts).load(&mut conn).await.unwrap();
    assert!(attempts.iter().all(|&n| n == 1), "{attempts:?}");
    for (address, number) in &people {
        assert_eq!(wait_emails(&mail_api(), address, 1).await.len(), 1);
        assert_eq!(sms_to(&sms_api(), number).await.len(), 1);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    for (address, _) in &people {
        assert_eq!(emails(&mail_api(), address).await.len(), 1, "no duplicate email");
    }
    app.drain_jobs().await;
}

#[tokio::test]
async fn an_invalid_phone_is_refused_at_entry() {
    let app = spawn_app_with(Options::default()).await;
    let (token, _) = applicant(&app).await;
    let r = settings(&app, &token, json!({"phone": "0151 2345678", "language": "fr"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.field_codes(),
        vec![("language".into(), "unsupported_language".into()), ("phone".into(), "invalid_phone".into())]
    );
    let id = app.start(&token).await;
    let mut info = good_info();
    info["phone"] = json!("+49 12");
    let r = app.put_info(&token, &id, info.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_codes(), vec![("phone".into(), "invalid_phone".into())]);

    // A good number is normalised to E.164 and lands in the settings.
    info["phone"] = json!("+49 (151) 2345-6789");
    assert_eq!(app.put_info(&token, &id, info).await.status, StatusCode::OK);
    let s = app.get("/api/v1/notification-settings", Some(&token)).await;
    assert_eq!(s.body["phone"], "+4915123456789");
    assert_eq!(s.body["email_enabled"], true);
    assert_eq!(s.body["sms_active"], true);
    // Stored sealed, never in clear.
    let mut conn = app.db().await;
    let sealed: Option<String> = ekyc::db::schema::applicants::table
        .select(ekyc::db::schema::applicants::phone_sealed)
        .first(&mut conn)
        .await
        .unwrap();
    assert!(sealed.is_some_and(|s| s.starts_with("v1.") && !s.contains("4915123456789")));
    // Removing it turns SMS off.
    let r = settings(&app, &token, json!({"phone": ""})).await;
    assert_eq!((r.body["phone"].clone(), r.body["sms_active"].clone()), (Value::Null, json!(false)));
}

#[tokio::test]
async fn turned_off_channels_and_the_per_phone_cap_are_respected() {
    let app = spawn_app_with(Options::default().set("SMS_PER_PHONE_LIMIT", "1/3600")).await;
    let admin = app.staff(Role::Admin).await;
    // Both channels off: nothing is queued.
    let (token, _) = applicant(&app).await;
    let r = settings(&app, &token, json!({"phone": phone(), "email_enabled": false, "sms_enabled": false})).await;
    assert_eq!(r.body["sms_active"], false);
    submit_in(&app, &token, None).await;
    let mut conn = app.db().await;
    let n: i64 = notifications::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(n, 0);

    // One SMS an hour to this phone: the second event's SMS is skipped, its email is not.
    let (token, address) = applicant(&app).await;
    let number = phone();
    settings(&app, &token, json!({"phone": number})).await;
    let id = submit_in(&app, &token, None).await;
    app.drain_jobs().await;
    let d = app
        .decide(&admin, &id, json!({"decision": "reject", "reject_type": "retry", "reasons": [{"code": "dark_photo", "step": "selfie"}]}))
        .await;
    assert_eq!(d.status, StatusCode::OK);
    app.drain_jobs().await;
    assert_eq!(sms_to(&sms_api(), &number).await.len(), 1);
    assert_eq!(wait_emails(&mail_api(), &address, 2).await.len(), 2);
    let skipped = app.get("/api/v1/admin/notifications?status=skipped", Some(&admin)).await;
    let items = skipped.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["channel"], "sms");
    assert_eq!(items[0]["last_error"], "per-phone SMS cap reached");
    // Selfie only flagged: the link opens the selfie step.
    let got = emails(&mail_api(), &address).await;
    let m = got.iter().find(|m| m["subject"] == "Action needed: your identity verification").unwrap();
    assert!(m["text"].as_str().unwrap().contains("/verify/selfie"));
}
