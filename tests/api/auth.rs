use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Options, into_resp, spawn_app, spawn_app_with};

#[tokio::test]
async fn register_creates_an_applicant_and_signs_in() {
    let app = spawn_app().await;
    let r = app
        .post("/api/v1/auth/register", json!({"email": "  Jane.Doe@Example.com ", "password": "correct horse battery"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["user"]["email"], "jane.doe@example.com");
    assert_eq!(r.body["user"]["roles"], json!(["applicant"]));
    assert_eq!(r.body["token_type"], "Bearer");
    assert!(r.body["expires_in"].as_u64().unwrap() <= 900);
    assert!(r.body["refresh_token"].as_str().unwrap().starts_with("ekyc_rt_"));
    let cookie = r.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.starts_with("ekyc_refresh=ekyc_rt_"), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/api/v1/auth"));

    let me = app.get("/api/v1/me", r.body["access_token"].as_str()).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], "jane.doe@example.com");
    assert_eq!(me.body["id"], r.body["user"]["id"]);
}

#[tokio::test]
async fn duplicate_email_is_a_conflict() {
    let app = spawn_app().await;
    app.register("dup@example.com").await;
    let r = app
        .post("/api/v1/auth/register", json!({"email": "DUP@example.com", "password": "another long passphrase"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "email_taken");
    assert_eq!(r.field_codes(), vec![("email".into(), "email_taken".into())]);
}

#[tokio::test]
async fn weak_passwords_and_bad_emails_are_field_errors() {
    let app = spawn_app().await;
    let cases = [
        (json!({"email": "a@example.com", "password": "short"}), vec![("password", "too_short")]),
        (json!({"email": "a@example.com", "password": "1234567890"}), vec![("password", "common_password")]),
        (json!({"email": "a@example.com", "password": "qwertyuiop"}), vec![("password", "common_password")]),
        (
            json!({"email": "not-an-email", "password": "x"}),
            vec![("email", "invalid_email"), ("password", "too_short")],
        ),
        (json!({"email": "a@example.com"}), vec![("password", "required")]),
        (
            json!({"email": "a@example.com", "password": "correct horse battery", "role": "admin"}),
            vec![("role", "invalid_type")],
        ),
    ];
    for (body, expected) in cases {
        let r = app.post("/api/v1/auth/register", body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(r.code(), "validation_failed");
        let expected: Vec<(String, String)> = expected.iter().map(|(f, c)| ((*f).into(), (*c).into())).collect();
        assert_eq!(r.field_codes(), expected, "{body}");
    }
    // Nothing was created by the refused attempts.
    let login =
        app.post("/api/v1/auth/login", json!({"email": "a@example.com", "password": "correct horse battery"})).await;
    assert_eq!(login.code(), "invalid_credentials");
}

#[tokio::test]
async fn login_checks_the_password() {
    let app = spawn_app().await;
    app.register("login@example.com").await;
    let ok = app
        .post("/api/v1/auth/login", json!({"email": "LOGIN@example.com", "password": "correct horse battery"}))
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body["user"]["email"], "login@example.com");
    let wrong = app
        .post("/api/v1/auth/login", json!({"email": "login@example.com", "password": "correct horse batterx"}))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.code(), "invalid_credentials");
    let unknown = app
        .post("/api/v1/auth/login", json!({"email": "nobody@example.com", "password": "correct horse battery"}))
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    // Same answer whether or not the account exists.
    assert_eq!(unknown.body, wrong.body);
}

#[tokio::test]
async fn login_is_rate_limited_per_account() {
    let app = spawn_app_with(Options::default().set("EKYC_RATE_LIMIT_LOGIN_ACCOUNT", "3/600")).await;
    app.register("limited@example.com").await;
    for _ in 0..3 {
        let r = app
            .post("/api/v1/auth/login", json!({"email": "limited@example.com", "password": "wrong password here"}))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while the window is full.
    let r = app
        .post("/api/v1/auth/login", json!({"email": "Limited@example.com", "password": "correct horse battery"}))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.code(), "rate_limited");
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=600).contains(&retry));
    // Another account from the same IP is not affected by this account's limit.
    app.register("other@example.com").await;
    let other = app
        .post("/api/v1/auth/login", json!({"email": "other@example.com", "password": "correct horse battery"}))
        .await;
    assert_eq!(other.status, StatusCode::OK);
}

#[tokio::test]
async fn login_and_register_are_rate_limited_per_ip() {
    let app = spawn_app_with(
        Options::default().set("EKYC_RATE_LIMIT_LOGIN_IP", "4/600").set("EKYC_RATE_LIMIT_REGISTER_IP", "2/600"),
    )
    .await;
    for i in 0..4 {
        let r = app
            .post("/api/v1/auth/login", json!({"email": format!("u{i}@example.com"), "password": "whatever long"}))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = app.post("/api/v1/auth/login", json!({"email": "u9@example.com", "password": "whatever long"})).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key("retry-after"));

    app.register("r1@example.com").await;
    app.register("r2@example.com").await;
    let r = app
        .post("/api/v1/auth/register", json!({"email": "r3@example.com", "password": "correct horse battery"}))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let app = spawn_app().await;
    let first = app.register("rotate@example.com").await;
    let t1 = first.body["refresh_token"].as_str().unwrap().to_owned();

    let second = app.post("/api/v1/auth/refresh", json!({"refresh_token": t1})).await;
    assert_eq!(second.status, StatusCode::OK);
    let t2 = second.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(t1, t2);
    assert_eq!(app.get("/api/v1/me", second.body["access_token"].as_str()).await.status, StatusCode::OK);

    // A second login is a separate session and must survive the theft below.
    let other = app
        .post("/api/v1/auth/login", json!({"email": "rotate@example.com", "password": "correct horse battery"}))
        .await;
    let other_token = other.body["refresh_token"].as_str().unwrap().to_owned();

    // t1 again: reuse. Refused, and the successor t2 dies with it.
    let reuse = app.post("/api/v1/auth/refresh", json!({"refresh_token": t1})).await;
    assert_eq!(reuse.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reuse.code(), "invalid_token");
    let after = app.post("/api/v1/auth/refresh", json!({"refresh_token": t2})).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);

    let survivor = app.post("/api/v1/auth/refresh", json!({"refresh_token": other_token})).await;
    assert_eq!(survivor.status, StatusCode::OK);

    let mut conn = app.db().await;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use ekyc::db::schema::audit_events::dsl::*;
    let n: i64 =
        audit_events.filter(action.eq("session.refresh_reuse_detected")).count().get_result(&mut conn).await.unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn garbage_and_missing_refresh_tokens_are_refused() {
    let app = spawn_app().await;
    for body in [json!({"refresh_token": "ekyc_rt_nope"}), json!({}), json!({"refresh_token": ""})] {
        let r = app.post("/api/v1/auth/refresh", body).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.code(), "invalid_token");
    }
}

#[tokio::test]
async fn the_cookie_carries_the_session_for_the_browser() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let reg = client
        .post(app.url("/api/v1/auth/register"))
        .json(&json!({"email": "cookie@example.com", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reg.status(), StatusCode::CREATED);
    let refreshed =
        into_resp(client.post(app.url("/api/v1/auth/refresh")).json(&json!({})).send().await.unwrap()).await;
    assert_eq!(refreshed.status, StatusCode::OK, "{:?}", refreshed.body);
    assert_eq!(refreshed.body["user"]["email"], "cookie@example.com");

    let out = client.post(app.url("/api/v1/auth/logout")).json(&json!({})).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let cleared = out.headers()["set-cookie"].to_str().unwrap();
    assert!(cleared.starts_with("ekyc_refresh=;"), "{cleared}");
    let again = into_resp(
        client
            .post(app.url("/api/v1/auth/refresh"))
            .header("cookie", format!("ekyc_refresh={}", refreshed.body["refresh_token"].as_str().unwrap()))
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let app = spawn_app().await;
    let s = app.register("logout@example.com").await;
    let token = s.body["refresh_token"].as_str().unwrap();
    let r = app.post("/api/v1/auth/logout", json!({"refresh_token": token})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let again = app.post("/api/v1/auth/refresh", json!({"refresh_token": token})).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    // Logging out twice is fine.
    assert_eq!(app.post("/api/v1/auth/logout", json!({"refresh_token": token})).await.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn me_needs_a_token() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/me", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "unauthorized");
    let r = app.client.get(app.url("/api/v1/me")).header("authorization", "Basic Zm9vOmJhcg==").send().await.unwrap();
    assert_eq!(into_resp(r).await.code(), "invalid_token");
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id() {
    let app = spawn_app().await;
    app.register("hash@example.com").await;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use ekyc::db::schema::users::dsl::*;
    let mut conn = app.db().await;
    let stored: String =
        users.filter(email.eq("hash@example.com")).select(password_hash).first(&mut conn).await.unwrap();
    assert!(stored.starts_with("$argon2id$v=19$"), "{stored}");
    assert!(!stored.contains("correct horse"));
}
