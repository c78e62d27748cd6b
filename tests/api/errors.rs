//! Every failure answers in the one JSON error shape.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{into_resp, spawn_app};

fn assert_shape(body: &serde_json::Value) {
    let err = &body["error"];
    assert!(err["code"].is_string(), "no code in {body}");
    assert!(err["message"].is_string(), "no message in {body}");
}

#[tokio::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    let r = into_resp(r).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "malformed_json");
    assert_shape(&r.body);
}

#[tokio::test]
async fn wrong_content_type_is_415() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "text/plain")
        .body("email=a&password=b")
        .send()
        .await
        .unwrap();
    let r = into_resp(r).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.code(), "unsupported_media_type");
}

#[tokio::test]
async fn oversized_body_is_413() {
    let app = spawn_app().await;
    let big = json!({"email": "a@example.com", "password": "x".repeat(200 * 1024)});
    let r = app.post("/api/v1/auth/register", big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.code(), "payload_too_large");
}

#[tokio::test]
async fn wrong_json_types_name_the_field() {
    let app = spawn_app().await;
    let r = app.post("/api/v1/auth/login", json!({"email": 42, "password": "x"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "validation_failed");
    assert_eq!(r.field_codes()[0].1, "invalid_type");
}

#[tokio::test]
async fn unknown_route_is_404_json() {
    let app = spawn_app().await;
    for path in ["/api/v1/nope", "/nope", "/api/v2/me"] {
        let r = app.get(path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.code(), "not_found");
        assert_eq!(r.headers["content-type"], "application/json");
    }
    let r = app.post("/api/v1/nope", json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn wrong_method_is_405_with_allow() {
    let app = spawn_app().await;
    let r = app.request(reqwest::Method::DELETE, "/api/v1/me", None, None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.code(), "method_not_allowed");
    assert_eq!(r.headers["allow"], "GET, HEAD");
    let r = app.get("/api/v1/auth/login", None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers["allow"], "POST");
}

#[tokio::test]
async fn bad_query_and_path_parameters_are_400() {
    let app = spawn_app().await;
    let admin = app.staff(ekyc::auth::Role::Admin).await;
    let r = app.get("/api/v1/admin/users?limit=abc", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "invalid_parameter");
    let r = app.get("/api/v1/admin/users?limit=1000", Some(&admin)).await;
    assert_eq!(r.field_codes(), vec![("limit".into(), "out_of_range".into())]);
    let r = app.get("/api/v1/admin/users?cursor=%%%", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/admin/users/not-a-uuid/roles",
            Some(&admin),
            Some(json!({"roles": ["reviewer"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "invalid_parameter");
}

#[tokio::test]
async fn every_response_has_a_request_id() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/healthz")).header("x-request-id", "abc-123").send().await.unwrap();
    assert_eq!(r.headers()["x-request-id"], "abc-123");
    let r = app.client.get(app.url("/nope")).header("x-request-id", "bad id with spaces").send().await.unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a fresh uuid replaces an unusable id: {id}");
}
