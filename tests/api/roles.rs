use ekyc::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn admin_endpoints_refuse_applicants_and_reviewers() {
    let app = spawn_app().await;
    let applicant = app.applicant().await;
    let reviewer = app.staff(Role::Reviewer).await;
    let admin = app.staff(Role::Admin).await;

    for token in [&applicant, &reviewer] {
        let r = app.get("/api/v1/admin/users", Some(token)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.code(), "forbidden");
    }
    let r = app.get("/api/v1/admin/users", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 3);

    let me = app.get("/api/v1/me", Some(&admin)).await;
    assert_eq!(me.body["roles"], json!(["admin", "reviewer"]));
}

#[tokio::test]
async fn admin_pages_through_users_and_sets_roles() {
    let app = spawn_app().await;
    let admin = app.staff(Role::Admin).await;
    for i in 0..4 {
        app.register(&format!("page{i}@example.com")).await;
    }
    let first = app.get("/api/v1/admin/users?limit=2", Some(&admin)).await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 2);
    let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
    let second = app.get(&format!("/api/v1/admin/users?limit=2&cursor={cursor}"), Some(&admin)).await;
    assert_eq!(second.body["items"].as_array().unwrap().len(), 2);
    let third = app
        .get(
            &format!("/api/v1/admin/users?limit=2&cursor={}", second.body["next_cursor"].as_str().unwrap()),
            Some(&admin),
        )
        .await;
    assert_eq!(third.body["items"].as_array().unwrap().len(), 1);
    assert!(third.body["next_cursor"].is_null());
    let mut ids: Vec<String> = [&first, &second, &third]
        .iter()
        .flat_map(|p| p.body["items"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()))
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 5);

    let target = first.body["items"][1]["id"].as_str().unwrap().to_owned();
    let r = app
        .request(
            Method::PUT,
            &format!("/api/v1/admin/users/{target}/roles"),
            Some(&admin),
            Some(json!({"roles": ["reviewer"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["roles"], json!(["reviewer"]));
    let missing = app
        .request(
            Method::PUT,
            &format!("/api/v1/admin/users/{}/roles", uuid::Uuid::new_v4()),
            Some(&admin),
            Some(json!({"roles": ["reviewer"]})),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let bad = app
        .request(
            Method::PUT,
            &format!("/api/v1/admin/users/{target}/roles"),
            Some(&admin),
            Some(json!({"roles": ["god"]})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}
