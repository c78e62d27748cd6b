//! The face step through the API with real photos: selfie checks, the document portrait, the
//! face match run by the worker, and active liveness (challenge, frames, nonce rules).

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ekyc::db::schema::{checks, document_images, image_faces, liveness_challenges};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::faces_fixtures::{self, Person, burst, id_front, selfie};
use crate::fixtures;
use crate::helpers::{Options, TestApp, good_info, spawn_app, spawn_app_with};

async fn draft_with_document(app: &TestApp, token: &str, portrait: Person) -> String {
    let id = app.start(token).await;
    assert_eq!(app.put_info(token, &id, good_info()).await.status, StatusCode::OK);
    let front =
        app.upload(token, &format!("/api/v1/verifications/{id}/documents/front"), id_front(portrait, 1), None).await;
    assert_eq!(front.status, StatusCode::CREATED, "{:?}", front.body);
    let back = app
        .upload(token, &format!("/api/v1/verifications/{id}/documents/back"), fixtures::jpeg(800, 600, 2), None)
        .await;
    assert_eq!(back.status, StatusCode::CREATED, "{:?}", back.body);
    id
}

#[tokio::test]
async fn selfies_need_exactly_one_usable_face() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = draft_with_document(&app, &token, Person::A).await;
    let path = format!("/api/v1/verifications/{id}/selfie");
    for (bytes, code) in [
        (fixtures::jpeg(960, 720, 4), "face_not_found"),
        (faces_fixtures::two_faces(), "multiple_faces"),
        (faces_fixtures::tiny_face(), "face_too_small"),
    ] {
        let r = app.upload(&token, &path, bytes, None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}: {:?}", r.body);
        assert_eq!(r.field_codes(), vec![("file".into(), code.into())], "{:?}", r.body);
        assert!(!r.body["error"]["fields"][0]["message"].as_str().unwrap().is_empty());
    }
    let ok = app.upload(&token, &path, selfie(Person::A, 1), None).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{:?}", ok.body);
    assert_eq!(ok.body["verification"]["next"], "liveness");

    // What is kept: a summary without biometrics, and the descriptor sealed.
    let mut conn = app.db().await;
    let (img_id, face, sealed): (uuid::Uuid, Value, String) = document_images::table
        .inner_join(image_faces::table)
        .filter(document_images::kind.eq("selfie"))
        .select((document_images::id, image_faces::summary, image_faces::embedding_sealed))
        .first(&mut conn)
        .await
        .unwrap();
    assert!(face["box"]["width"].as_f64().unwrap() > 100.0, "{face}");
    assert!(face.get("embedding").is_none());
    assert!(sealed.starts_with("v1."), "sealed with a key id");
    let opened = ekyc::verification::face::open_embedding(&app.state.pii, img_id, &sealed).expect("opens");
    assert!(opened.0.iter().any(|v| *v != 0.0));
    // Bound to its record: under another id it does not open.
    assert!(ekyc::verification::face::open_embedding(&app.state.pii, uuid::Uuid::new_v4(), &sealed).is_none());
}

#[tokio::test]
async fn the_document_front_must_show_a_portrait() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = app.start(&token).await;
    assert_eq!(app.put_info(&token, &id, good_info()).await.status, StatusCode::OK);
    let front = format!("/api/v1/verifications/{id}/documents/front");
    let r = app.upload(&token, &front, fixtures::jpeg(1024, 768, 1), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.field_codes(), vec![("file".into(), "portrait_not_found".into())]);
    let ok = app.upload(&token, &front, id_front(Person::A, 2), None).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{:?}", ok.body);
}

async fn face_match_of(app: &TestApp, portrait: Person, me: Person) -> (String, Option<f64>, Value) {
    let token = app.applicant().await;
    let id = draft_with_document(app, &token, portrait).await;
    let r = app.upload(&token, &format!("/api/v1/verifications/{id}/selfie"), selfie(me, 5), None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(app.submit(&token, &id).await.status, StatusCode::OK);
    app.drain_jobs().await;
    let mut conn = app.db().await;
    let vid = uuid::Uuid::parse_str(&id).unwrap();
    let (result, score, details): (String, Option<f64>, Value) = checks::table
        .filter(checks::verification_id.eq(vid))
        .filter(checks::kind.eq("face_match"))
        .select((checks::result, checks::score, checks::details))
        .first(&mut conn)
        .await
        .unwrap();
    (result, score, details)
}

/// A level without the liveness step: the face match is what these tests are about.
fn without_liveness() -> Options {
    let path = std::env::temp_dir().join(format!("ekyc-levels-{}.json", uuid::Uuid::new_v4().simple()));
    let levels = json!({"levels": [{
        "name": "basic", "description": "No liveness (tests)",
        "steps": ["personal_info", "document", "selfie"], "requires_address": false
    }]});
    std::fs::write(&path, levels.to_string()).unwrap();
    Options::default().set("EKYC_LEVELS_FILE", path.to_str().unwrap())
}

#[tokio::test]
async fn the_worker_matches_the_selfie_to_the_document_portrait() {
    let app = spawn_app_with(without_liveness()).await;
    // Genuine: A's selfie against A's card (a different crop, printed and re-photographed).
    let (result, score, details) = face_match_of(&app, Person::A, Person::A).await;
    assert_eq!(result, "pass", "{details}");
    assert!(score.unwrap() > 0.5 && details["distance"].as_f64().unwrap() < 0.5, "{details}");
    // Impostor: B's selfie against A's card.
    let (result, score, details) = face_match_of(&app, Person::A, Person::B).await;
    assert_eq!(result, "fail", "{details}");
    assert!(score.unwrap() < 0.5 && details["distance"].as_f64().unwrap() > 0.6, "{details}");
    // The case still goes to a person, with the evidence.
    let mut conn = app.db().await;
    let reasons: Vec<Value> = checks::table
        .filter(checks::kind.eq("face_match"))
        .filter(checks::result.eq("fail"))
        .select(checks::reasons)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(reasons[0][0]["code"], "face_mismatch");
}

#[tokio::test]
async fn liveness_passes_for_the_person_doing_what_was_asked() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = draft_with_document(&app, &token, Person::A).await;
    // No selfie yet: nothing to compare with.
    let early = app.liveness_challenge(&token, &id).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{:?}", early.body);
    assert_eq!(early.field_codes(), vec![("selfie".into(), "required".into())]);
    app.upload(&token, &format!("/api/v1/verifications/{id}/selfie"), selfie(Person::A, 1), None).await;

    let c = app.liveness_challenge(&token, &id).await;
    assert_eq!(c.status, StatusCode::CREATED, "{:?}", c.body);
    let actions = TestApp::actions(&c.body);
    assert!((2..=3).contains(&actions.len()));
    let engine = app.state.faces.engine().await.unwrap();
    let r = app.liveness_submit(&token, &id, &c.body, burst(&engine, Person::A, Some(&actions))).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["passed"], true);
    assert_eq!(r.body["verification"]["next"], "submit");
    assert!(r.body["seen_at"].as_array().unwrap().iter().all(|v| v.is_number()));

    // The nonce works once.
    let again = app.liveness_submit(&token, &id, &c.body, burst(&engine, Person::A, Some(&actions))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "challenge_invalid");
    assert_eq!(again.field_codes(), vec![("challenge".into(), "used".into())]);
    // A wrong nonce for a real challenge is not a way in either.
    let c2 = app.liveness_challenge(&token, &id).await;
    let mut forged = c2.body.clone();
    forged["nonce"] = json!("AAAA");
    let r =
        app.liveness_submit(&token, &id, &forged, burst(&engine, Person::A, Some(&TestApp::actions(&c2.body)))).await;
    assert_eq!(r.field_codes(), vec![("challenge".into(), "unknown".into())]);

    // The frames are kept under the retention setting, and a new selfie needs a new liveness.
    let kept = app.state.storage.list(&format!("liveness/{id}/")).await.unwrap();
    assert!(kept.len() >= 4, "{kept:?}");
    let mut conn = app.db().await;
    let vid = uuid::Uuid::parse_str(&id).unwrap();
    // Not due yet: the hourly purge leaves them.
    ekyc::jobs::maintenance::purge(&app.jobs()).await.unwrap();
    assert_eq!(app.state.storage.list(&format!("liveness/{id}/")).await.unwrap().len(), kept.len());
    diesel::update(liveness_challenges::table.filter(liveness_challenges::verification_id.eq(vid)))
        .set(liveness_challenges::frames_purge_after.eq(chrono::Utc::now() - chrono::Duration::minutes(1)))
        .execute(&mut conn)
        .await
        .unwrap();
    ekyc::jobs::maintenance::purge(&app.jobs()).await.unwrap();
    assert!(app.state.storage.list(&format!("liveness/{id}/")).await.unwrap().is_empty(), "purged after retention");
    let r = app.upload(&token, &format!("/api/v1/verifications/{id}/selfie"), selfie(Person::A, 7), None).await;
    assert_eq!(r.body["verification"]["next"], "liveness");
}

#[tokio::test]
async fn liveness_refuses_a_photo_moved_around_another_person_and_stale_challenges() {
    let app = spawn_app_with(Options::default().set("EKYC_LIVENESS_FRAMES_RETENTION_HOURS", "0")).await;
    let token = app.applicant().await;
    let id = draft_with_document(&app, &token, Person::A).await;
    app.upload(&token, &format!("/api/v1/verifications/{id}/selfie"), selfie(Person::A, 1), None).await;
    let engine = app.state.faces.engine().await.unwrap();

    // A's photo held up and moved about: no turn can come out of it.
    let c = app.liveness_challenge(&token, &id).await;
    let r = app.liveness_submit(&token, &id, &c.body, burst(&engine, Person::A, None)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.code(), "liveness_failed");
    let fields = r.field_codes();
    assert!(fields.iter().any(|(f, c)| f == "liveness" && (c == "action_not_performed")), "{:?}", r.body);
    let msg = r.body["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(msg.contains("turn") || msg.contains("closer"), "names the action: {msg}");

    // B performing A's challenge perfectly: not the person of the selfie.
    let c = app.liveness_challenge(&token, &id).await;
    let r =
        app.liveness_submit(&token, &id, &c.body, burst(&engine, Person::B, Some(&TestApp::actions(&c.body)))).await;
    assert_eq!(r.code(), "liveness_failed", "{:?}", r.body);
    assert!(r.field_codes().contains(&("liveness".into(), "different_person".into())), "{:?}", r.body);

    // A replayed still: the same frame again and again.
    let c = app.liveness_challenge(&token, &id).await;
    let still = burst(&engine, Person::A, None).remove(0);
    let r = app.liveness_submit(&token, &id, &c.body, vec![still; 8]).await;
    assert!(r.field_codes().contains(&("liveness".into(), "repeated_frames".into())), "{:?}", r.body);

    // An expired challenge.
    let c = app.liveness_challenge(&token, &id).await;
    let cid = uuid::Uuid::parse_str(c.body["id"].as_str().unwrap()).unwrap();
    let mut conn = app.db().await;
    diesel::update(liveness_challenges::table.find(cid))
        .set(liveness_challenges::expires_at.eq(chrono::Utc::now() - chrono::Duration::seconds(1)))
        .execute(&mut conn)
        .await
        .unwrap();
    let r =
        app.liveness_submit(&token, &id, &c.body, burst(&engine, Person::A, Some(&TestApp::actions(&c.body)))).await;
    assert_eq!(r.field_codes(), vec![("challenge".into(), "expired".into())]);

    // Bad input is a clear 422, never a 500.
    let c = app.liveness_challenge(&token, &id).await;
    let r = app.liveness_submit(&token, &id, &c.body, vec![b"not an image".to_vec(); 5]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_codes()[0].1, "unsupported_type");
    let r = app.liveness_submit(&token, &id, &c.body, vec![selfie(Person::A, 1)]).await;
    assert_eq!(r.field_codes(), vec![("frame".into(), "count".into())]);

    // Nothing passed, nothing kept (retention 0), and the step is still open.
    assert!(app.state.storage.list(&format!("liveness/{id}/")).await.unwrap().is_empty());
    let cur = app.get("/api/v1/verifications/current", Some(&token)).await;
    assert_eq!(cur.body["next"], "liveness");
    let stored: i64 = liveness_challenges::table
        .filter(liveness_challenges::passed.eq(true))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn another_applicant_cannot_touch_my_liveness() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = draft_with_document(&app, &token, Person::A).await;
    app.upload(&token, &format!("/api/v1/verifications/{id}/selfie"), selfie(Person::A, 1), None).await;
    let c = app.liveness_challenge(&token, &id).await;
    let mallory = app.applicant().await;
    assert_eq!(app.liveness_challenge(&mallory, &id).await.status, StatusCode::NOT_FOUND);
    let engine = app.state.faces.engine().await.unwrap();
    let r =
        app.liveness_submit(&mallory, &id, &c.body, burst(&engine, Person::A, Some(&TestApp::actions(&c.body)))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_models_readiness_says_so_and_face_steps_answer_503() {
    let app = spawn_app_with(Options::default().set("EKYC_FACE_MODELS_DIR", "/nonexistent/models")).await;
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.field_codes(), vec![("face_models".into(), "unavailable".into())]);
    let token = app.applicant().await;
    let id = app.start(&token).await;
    app.put_info(&token, &id, good_info()).await;
    let r = app.upload(&token, &format!("/api/v1/verifications/{id}/selfie"), selfie(Person::A, 1), None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.code(), "dependency_unavailable");
}
