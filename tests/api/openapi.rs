use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[test]
fn openapi_yaml_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = ekyc::openapi::to_yaml().unwrap();
    assert!(committed == generated, "openapi.yaml is out of date: run `make openapi`");
}

#[tokio::test]
async fn the_server_serves_the_same_document_and_offline_docs() {
    let app = spawn_app().await;
    let served = app.get("/api/openapi.json", None).await;
    assert_eq!(served.status, StatusCode::OK);
    let expected = serde_json::to_value(ekyc::openapi::document()).unwrap();
    assert_eq!(served.body, expected);

    // Every operation documents its errors and every error code is in the spec.
    for (path, item) in served.body["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("500") && responses.contains_key("503"), "{method} {path}");
        }
    }
    let codes = served.body["components"]["schemas"]["ErrorCode"]["enum"].as_array().unwrap();
    for code in ["validation_failed", "not_found", "method_not_allowed", "rate_limited", "dependency_unavailable"] {
        assert!(codes.iter().any(|c| c == code), "{code}");
    }

    let docs = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    let html = docs.text().await.unwrap();
    assert!(html.contains("swagger-ui"));
    // Served from the binary, not a CDN.
    assert!(!html.contains("https://"), "the docs page must work offline");
    let bundle = app.client.get(app.url("/api/docs/swagger-ui-bundle.js")).send().await.unwrap();
    assert_eq!(bundle.status(), StatusCode::OK);
}

/// Two handlers with the same name (say `submit`) would share an operationId, and generated
/// clients would type one path with the other's request and response.
#[test]
fn operation_ids_are_unique() {
    let doc = serde_json::to_value(ekyc::openapi::document()).unwrap();
    let mut seen = std::collections::HashMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op["operationId"].as_str()
                && let Some(other) = seen.insert(id.to_owned(), format!("{method} {path}"))
            {
                panic!("operationId {id} used by {other} and {method} {path}");
            }
        }
    }
    assert!(seen.len() > 20);
}
