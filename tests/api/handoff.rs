//! Continue on a phone: the one-time link, the capture session it gives, and everything that
//! session must not reach.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ekyc::db::schema::{handoffs, idempotency_keys};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::faces_fixtures::{self, Person, id_front};
use crate::fixtures;
use crate::helpers::{Options, Resp, TestApp, good_info, spawn_app, spawn_app_with};

/// An applicant with a draft whose personal information is in: (token, verification id).
async fn draft(app: &TestApp) -> (String, String) {
    let token = app.applicant().await;
    let id = app.start(&token).await;
    let r = app.put_info(&token, &id, good_info()).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    (token, id)
}

async fn create(app: &TestApp, token: &str, id: &str) -> Resp {
    app.request(Method::POST, &format!("/api/v1/verifications/{id}/handoff"), Some(token), None).await
}

fn link_token(link: &Value) -> String {
    link["url"].as_str().unwrap().split_once('#').unwrap().1.to_owned()
}

async fn exchange(app: &TestApp, token: &str) -> Resp {
    app.post("/api/v1/handoff/exchange", json!({ "token": token })).await
}

/// A new link, exchanged: the phone's capture token.
async fn phone(app: &TestApp, token: &str, id: &str) -> String {
    let link = create(app, token, id).await;
    assert_eq!(link.status, StatusCode::CREATED, "{:?}", link.body);
    let s = exchange(app, &link_token(&link.body)).await;
    assert_eq!(s.status, StatusCode::OK, "{:?}", s.body);
    s.body["capture_token"].as_str().unwrap().to_owned()
}

async fn state_of(app: &TestApp, token: &str, id: &str) -> String {
    let r = app.get(&format!("/api/v1/verifications/{id}/handoff"), Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body["state"].as_str().unwrap().to_owned()
}

fn sha(token: &str) -> Vec<u8> {
    Sha256::digest(format!("ekyc-handoff:{token}").as_bytes()).to_vec()
}

#[tokio::test]
async fn a_link_is_made_and_only_its_hash_is_stored() {
    let app = spawn_app().await;
    let (token, id) = draft(&app).await;
    assert_eq!(state_of(&app, &token, &id).await, "none");
    let r = app
        .client
        .post(app.url(&format!("/api/v1/verifications/{id}/handoff")))
        .bearer_auth(&token)
        .header("Idempotency-Key", "link-1")
        .send()
        .await
        .unwrap();
    let link = crate::helpers::into_resp(r).await;
    assert_eq!(link.status, StatusCode::CREATED, "{:?}", link.body);
    let url = link.body["url"].as_str().unwrap();
    let app_url = &app.state.config.notify.app_url;
    assert!(url.starts_with(&format!("{app_url}/handoff#ekyc_ho_")), "{url}");
    assert!(link.body["qr_svg"].as_str().unwrap().contains("<svg"));
    let expires: chrono::DateTime<chrono::Utc> = link.body["expires_at"].as_str().unwrap().parse().unwrap();
    let left = expires - chrono::Utc::now();
    assert!(left > chrono::Duration::minutes(14) && left <= chrono::Duration::minutes(15), "{left}");
    assert_eq!(state_of(&app, &token, &id).await, "pending");

    // The same key replays the same link without making another.
    let again = app
        .client
        .post(app.url(&format!("/api/v1/verifications/{id}/handoff")))
        .bearer_auth(&token)
        .header("Idempotency-Key", "link-1")
        .send()
        .await
        .unwrap();
    let again = crate::helpers::into_resp(again).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(again.body["url"], link.body["url"]);

    // Neither the link's row nor the stored response holds the token in clear.
    let secret = link_token(&link.body);
    let mut conn = app.db().await;
    let hashes: Vec<Vec<u8>> = handoffs::table.select(handoffs::token_hash).load(&mut conn).await.unwrap();
    assert_eq!(hashes, vec![sha(&secret)]);
    #[derive(QueryableByName)]
    struct Text {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
    }
    let dump: Vec<Text> =
        diesel::sql_query("SELECT row_to_json(h)::text AS t FROM handoffs h").load(&mut conn).await.unwrap();
    assert!(dump.iter().all(|r| !r.t.contains(&secret)));
    let stored: Vec<Option<Value>> =
        idempotency_keys::table.select(idempotency_keys::response_body).load(&mut conn).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].as_ref().unwrap().to_string().contains(&secret));
}

#[tokio::test]
async fn a_link_is_exchanged_once() {
    let app = spawn_app().await;
    let (token, id) = draft(&app).await;
    let link = create(&app, &token, &id).await;
    let secret = link_token(&link.body);
    let s = exchange(&app, &secret).await;
    assert_eq!(s.status, StatusCode::OK, "{:?}", s.body);
    assert_eq!(s.body["verification_id"], id.as_str());
    let capture = s.body["capture_token"].as_str().unwrap();
    assert!(capture.starts_with("ekyc_cs_"));
    assert!(s.body["expires_in"].as_i64().unwrap() <= 1800);
    let mut conn = app.db().await;
    let session: Option<Vec<u8>> = handoffs::table.select(handoffs::session_hash).first(&mut conn).await.unwrap();
    assert_eq!(session, Some(sha(capture)));
    assert_eq!(state_of(&app, &token, &id).await, "opened");

    let twice = exchange(&app, &secret).await;
    assert_eq!(twice.status, StatusCode::GONE);
    assert_eq!(twice.code(), "handoff_invalid");
    assert_eq!(twice.field_codes(), vec![("token".into(), "used".into())]);
    let unknown = exchange(&app, "ekyc_ho_nothing-like-this").await;
    assert_eq!(unknown.status, StatusCode::GONE);
    assert_eq!(unknown.field_codes(), vec![("token".into(), "unknown".into())]);
}

#[tokio::test]
async fn a_new_link_revokes_the_unused_one() {
    let app = spawn_app().await;
    let (token, id) = draft(&app).await;
    let first = link_token(&create(&app, &token, &id).await.body);
    let second = link_token(&create(&app, &token, &id).await.body);
    let r = exchange(&app, &first).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert_eq!(r.field_codes(), vec![("token".into(), "revoked".into())]);
    assert_eq!(exchange(&app, &second).await.status, StatusCode::OK);
}

#[tokio::test]
async fn expired_links_and_sessions_are_refused() {
    let app = spawn_app().await;
    let (token, id) = draft(&app).await;
    let secret = link_token(&create(&app, &token, &id).await.body);
    let mut conn = app.db().await;
    let past = chrono::Utc::now() - chrono::Duration::seconds(1);
    diesel::update(handoffs::table).set(handoffs::expires_at.eq(past)).execute(&mut conn).await.unwrap();
    assert_eq!(state_of(&app, &token, &id).await, "expired");
    let r = exchange(&app, &secret).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert_eq!(r.field_codes(), vec![("token".into(), "expired".into())]);

    let capture = phone(&app, &token, &id).await;
    let view = format!("/api/v1/verifications/{id}");
    assert_eq!(app.get(&view, Some(&capture)).await.status, StatusCode::OK);
    diesel::update(handoffs::table.filter(handoffs::session_hash.is_not_null()))
        .set(handoffs::session_expires_at.eq(past))
        .execute(&mut conn)
        .await
        .unwrap();
    let r = app.get(&view, Some(&capture)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "token_expired");
}

#[tokio::test]
async fn the_phone_captures_and_the_desktop_continues() {
    let app = spawn_app().await;
    let (token, id) = draft(&app).await;
    let capture = phone(&app, &token, &id).await;
    let base = format!("/api/v1/verifications/{id}");

    // It sees the steps, not the personal information.
    let v = app.get(&base, Some(&capture)).await;
    assert_eq!(v.status, StatusCode::OK, "{:?}", v.body);
    assert_eq!(v.body["next"], "document");
    assert_eq!(v.body["personal_info"], Value::Null);

    let front = app.upload(&capture, &format!("{base}/documents/front"), id_front(Person::A, 1), None).await;
    assert_eq!(front.status, StatusCode::CREATED, "{:?}", front.body);
    assert_eq!(front.body["verification"]["personal_info"], Value::Null);
    let back = app.upload(&capture, &format!("{base}/documents/back"), fixtures::jpeg(1024, 640, 2), None).await;
    assert_eq!(back.status, StatusCode::CREATED, "{:?}", back.body);
    let selfie = app.upload(&capture, &format!("{base}/selfie"), faces_fixtures::selfie(Person::A, 3), None).await;
    assert_eq!(selfie.status, StatusCode::CREATED, "{:?}", selfie.body);
    let live = app.pass_liveness(&capture, &id).await;
    assert_eq!(live.body["verification"]["next"], "submit");
    assert_eq!(live.body["verification"]["personal_info"], Value::Null);

    // The desktop sees the photos arrive.
    let desk = app.get(&base, Some(&token)).await;
    assert_eq!(desk.body["images"].as_array().unwrap().len(), 3);
    assert_eq!(desk.body["personal_info"]["document_number"], "L01X00T47");
    assert_eq!(state_of(&app, &token, &id).await, "opened");

    // Only the phone completes; then its session is over.
    let r = app.request(Method::POST, &format!("{base}/handoff/complete"), Some(&token), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let done = app.request(Method::POST, &format!("{base}/handoff/complete"), Some(&capture), None).await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    assert_eq!(done.body["state"], "completed");
    assert_eq!(state_of(&app, &token, &id).await, "completed");
    let after = app.get(&base, Some(&capture)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.code(), "invalid_token");

    // The desktop submits.
    let sub = app.submit(&token, &id).await;
    assert_eq!(sub.status, StatusCode::OK, "{:?}", sub.body);
    app.drain_jobs().await;
}

#[tokio::test]
async fn the_capture_session_reaches_nothing_else() {
    let app = spawn_app().await;
    let (token, id) = draft(&app).await;
    let capture = phone(&app, &token, &id).await;
    let base = format!("/api/v1/verifications/{id}");
    let forbidden: Vec<(Method, String, Option<Value>)> = vec![
        (Method::PUT, format!("{base}/personal-info"), Some(good_info())),
        (Method::POST, format!("{base}/submit"), None),
        (Method::POST, format!("{base}/retry"), None),
        (Method::POST, format!("{base}/handoff"), None),
        (Method::GET, format!("{base}/handoff"), None),
        (Method::DELETE, format!("{base}/handoff"), None),
        (Method::GET, "/api/v1/verifications/current".into(), None),
        (Method::POST, "/api/v1/verifications".into(), Some(json!({}))),
        (Method::GET, "/api/v1/me".into(), None),
        (Method::GET, "/api/v1/notification-settings".into(), None),
        (Method::PUT, "/api/v1/notification-settings".into(), Some(json!({"language": "en"}))),
        (Method::GET, "/api/v1/admin/users".into(), None),
    ];
    for (method, path, body) in forbidden {
        let r = app.request(method.clone(), &path, Some(&capture), body).await;
        assert!(
            r.status == StatusCode::FORBIDDEN || r.status == StatusCode::UNAUTHORIZED,
            "{method} {path} answered {}: {:?}",
            r.status,
            r.body
        );
        assert_ne!(r.status, StatusCode::OK);
    }

    // Another applicant's verification does not exist for it.
    let (other_token, other) = draft(&app).await;
    let r = app.get(&format!("/api/v1/verifications/{other}"), Some(&capture)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let up = app
        .upload(&capture, &format!("/api/v1/verifications/{other}/documents/front"), id_front(Person::A, 1), None)
        .await;
    assert_eq!(up.status, StatusCode::NOT_FOUND);
    let c = app.liveness_challenge(&capture, &other).await;
    assert_eq!(c.status, StatusCode::NOT_FOUND);
    let v = app.get(&format!("/api/v1/verifications/{other}"), Some(&other_token)).await;
    assert!(v.body["images"].as_array().unwrap().is_empty());

    // The desktop's "continue here" ends it.
    let r = app.request(Method::DELETE, &format!("{base}/handoff"), Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["state"], "cancelled");
    assert_eq!(app.get(&base, Some(&capture)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_the_owner_of_a_draft_makes_links() {
    let app = spawn_app().await;
    let (_, id) = draft(&app).await;
    let stranger = app.applicant().await;
    assert_eq!(create(&app, &stranger, &id).await.status, StatusCode::NOT_FOUND);
    let r = app.get(&format!("/api/v1/verifications/{id}/handoff"), Some(&stranger)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.request(Method::POST, &format!("/api/v1/verifications/{id}/handoff"), None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // A link made before submitting cannot be opened after.
    let token = app.applicant().await;
    let done = app.complete_draft(&token).await;
    let secret = link_token(&create(&app, &token, &done).await.body);
    assert_eq!(app.submit(&token, &done).await.status, StatusCode::OK);
    let r = exchange(&app, &secret).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    let r = create(&app, &token, &done).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "invalid_state");
    app.drain_jobs().await;
}

#[tokio::test]
async fn links_are_rate_limited() {
    let app = spawn_app_with(Options::default().set("EKYC_RATE_LIMIT_HANDOFF", "3/3600")).await;
    let (token, id) = draft(&app).await;
    for _ in 0..3 {
        assert_eq!(create(&app, &token, &id).await.status, StatusCode::CREATED);
    }
    let r = create(&app, &token, &id).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.code(), "rate_limited");
    let retry: u64 = r.headers.get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry));
}

#[tokio::test]
async fn links_long_over_are_purged() {
    let app = spawn_app().await;
    let (token, id) = draft(&app).await;
    let old = create(&app, &token, &id).await.body["id"].as_str().unwrap().parse::<uuid::Uuid>().unwrap();
    let mut conn = app.db().await;
    let two_days_ago = chrono::Utc::now() - chrono::Duration::days(2);
    diesel::update(handoffs::table.find(old))
        .set(handoffs::expires_at.eq(two_days_ago))
        .execute(&mut conn)
        .await
        .unwrap();
    let fresh = create(&app, &token, &id).await.body["id"].as_str().unwrap().parse::<uuid::Uuid>().unwrap();
    ekyc::jobs::maintenance::purge(&app.jobs()).await.unwrap();
    let left: Vec<uuid::Uuid> = handoffs::table.select(handoffs::id).load(&mut conn).await.unwrap();
    assert_eq!(left, vec![fresh]);
}
