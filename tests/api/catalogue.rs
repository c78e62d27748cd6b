use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn every_country_has_a_passport_and_rules() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/countries", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let countries = r.body["countries"].as_array().unwrap();
    assert!(countries.len() >= 249, "{} countries", countries.len());
    for c in countries {
        let docs = c["documents"].as_array().unwrap();
        assert!(docs.iter().any(|d| d["type"] == "passport" && d["back_side"] == false), "{}", c["code"]);
        assert!(docs.iter().all(|d| d["number"]["pattern"].is_string()), "{}", c["code"]);
        assert!(c["min_age"].as_u64().unwrap() >= 16);
    }
    let precise = countries
        .iter()
        .filter(|c| c["documents"].as_array().unwrap().iter().any(|d| d["number"]["example"].is_string()))
        .count();
    assert!(precise >= 15, "precise number rules for {precise} countries");

    let de = app.get("/api/v1/countries/de", None).await;
    assert_eq!(de.status, StatusCode::OK);
    assert_eq!(de.body["code"], "DE");
    assert!(de.body["documents"].as_array().unwrap().iter().any(|d| d["type"] == "id_card" && d["back_side"] == true));
    let us = app.get("/api/v1/countries/US", None).await;
    assert!(!us.body["documents"].as_array().unwrap().iter().any(|d| d["type"] == "id_card"));
    assert_eq!(app.get("/api/v1/countries/ZZ", None).await.status, StatusCode::NOT_FOUND);

    let levels = app.get("/api/v1/levels", None).await;
    assert_eq!(levels.body["default_level"], "basic");
    let basic = &levels.body["levels"][0];
    assert_eq!(basic["steps"], serde_json::json!(["personal_info", "document", "selfie", "liveness"]));
}
