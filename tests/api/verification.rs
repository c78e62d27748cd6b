use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ekyc::auth::Role;
use ekyc::db::schema::{document_images, verifications};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::faces_fixtures::{self, Person, id_front};
use crate::fixtures;
use crate::helpers::{Options, good_info, spawn_app, spawn_app_with};

#[tokio::test]
async fn the_whole_happy_path() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    assert_eq!(app.get("/api/v1/verifications/current", Some(&token)).await.status, StatusCode::NOT_FOUND);

    let id = app.start(&token).await;
    let cur = app.get("/api/v1/verifications/current", Some(&token)).await;
    assert_eq!(cur.body["status"], "draft");
    assert_eq!(cur.body["next"], "personal_info");
    assert_eq!(cur.body["attempts_left"], 5);

    let r = app.put_info(&token, &id, good_info()).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["next"], "document");
    assert_eq!(r.body["required_sides"], json!(["front", "back"]));
    assert_eq!(r.body["personal_info"]["document_number"], "L01X00T47");

    let front =
        app.upload(&token, &format!("/api/v1/verifications/{id}/documents/front"), id_front(Person::A, 1), None).await;
    assert_eq!(front.status, StatusCode::CREATED, "{:?}", front.body);
    assert_eq!(front.body["verification"]["steps"][1]["status"], "in_progress");
    let back_photo = crate::documents::id_back_td1(&crate::documents::DocData::from_info(&good_info()), 2);
    let back = app.upload(&token, &format!("/api/v1/verifications/{id}/documents/back"), back_photo, None).await;
    assert_eq!(back.body["verification"]["steps"][1]["status"], "complete");
    assert_eq!(back.body["verification"]["next"], "selfie");
    // Submitting early names the missing step.
    let early = app.submit(&token, &id).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.code(), "invalid_state");
    assert_eq!(
        early.field_codes(),
        vec![("liveness".into(), "incomplete".into()), ("selfie".into(), "incomplete".into())]
    );

    let selfie = app
        .upload(&token, &format!("/api/v1/verifications/{id}/selfie"), faces_fixtures::selfie(Person::A, 3), None)
        .await;
    assert_eq!(selfie.status, StatusCode::CREATED, "{:?}", selfie.body);
    assert_eq!(selfie.body["verification"]["next"], "liveness");
    let live = app.pass_liveness(&token, &id).await;
    assert_eq!(live.body["verification"]["next"], "submit");

    let sub = app.submit(&token, &id).await;
    assert_eq!(sub.status, StatusCode::OK, "{:?}", sub.body);
    assert_eq!(sub.body["status"], "submitted");
    assert_eq!(sub.body["waiting"]["stage"], "checks_queued");
    let ran = app.drain_jobs().await;
    assert_eq!(ran.len(), 1);
    // The worker's automated checks are on record for the reviewer.
    {
        use ekyc::db::schema::checks;
        let mut conn = app.db().await;
        let mut rows: Vec<(String, String)> =
            checks::table.select((checks::kind, checks::result)).load(&mut conn).await.unwrap();
        rows.sort();
        let kinds = ["age", "data_match", "duplicate", "expiry", "face_match", "liveness", "mrz", "quality"];
        assert_eq!(rows, kinds.map(|k| (k.to_owned(), "pass".to_owned())).to_vec());
    }
    let cur = app.get("/api/v1/verifications/current", Some(&token)).await;
    assert_eq!(cur.body["status"], "in_review");
    assert_eq!(cur.body["waiting"]["stage"], "in_review");
    assert_eq!(cur.body["can_edit"], false);

    let admin = app.staff(Role::Admin).await;
    let d = app.decide(&admin, &id, json!({"decision": "approve"})).await;
    assert_eq!(d.status, StatusCode::OK, "{:?}", d.body);
    assert_eq!(d.body["status"], "approved");

    // Approved is frozen.
    let put = app.put_info(&token, &id, good_info()).await;
    assert_eq!(put.status, StatusCode::CONFLICT);
    assert_eq!(put.code(), "verification_closed");
    let up = app
        .upload(&token, &format!("/api/v1/verifications/{id}/selfie"), faces_fixtures::selfie(Person::A, 9), None)
        .await;
    assert_eq!(up.code(), "verification_closed");
    assert_eq!(app.submit(&token, &id).await.code(), "verification_closed");
    let retry = app.request(Method::POST, &format!("/api/v1/verifications/{id}/retry"), Some(&token), None).await;
    assert_eq!(retry.code(), "verification_closed");
    let again = app.decide(&admin, &id, json!({"decision": "approve"})).await;
    assert_eq!(again.code(), "verification_closed");

    // Every transition is audited, without PII.
    let mut conn = app.db().await;
    use ekyc::db::schema::audit_events;
    let changes: Vec<serde_json::Value> = audit_events::table
        .filter(audit_events::action.eq("verification.status_changed"))
        .order(audit_events::id.asc())
        .select(audit_events::details)
        .load(&mut conn)
        .await
        .unwrap();
    let path: Vec<String> =
        changes.iter().map(|d| format!("{}>{}", d["from"].as_str().unwrap(), d["to"].as_str().unwrap())).collect();
    assert_eq!(path, vec!["draft>submitted", "submitted>processing", "processing>in_review", "in_review>approved"]);
}

#[tokio::test]
async fn one_active_verification_and_unknown_levels() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    app.start(&token).await;
    let r = app.request(Method::POST, "/api/v1/verifications", Some(&token), Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "verification_exists");
    let other = app.applicant().await;
    let r = app.request(Method::POST, "/api/v1/verifications", Some(&other), Some(json!({"level": "platinum"}))).await;
    assert_eq!(r.field_codes(), vec![("level".into(), "unknown_level".into())]);
}

#[tokio::test]
async fn personal_info_rules_come_back_all_at_once() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = app.start(&token).await;
    let r = app
        .put_info(
            &token,
            &id,
            json!({
                "issuing_country": "US",
                "document_type": "id_card",
                "first_name": "Eve\u{202e}",
                "date_of_birth": "2099-01-01",
                "nationality": "ZZ",
                "document_number": "??",
                "expiry_date": "2001-01-01"
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let got = r.field_codes();
    for want in [
        ("document_type", "not_supported"),
        ("first_name", "invalid_characters"),
        ("last_name", "required"),
        ("date_of_birth", "invalid_date"),
        ("nationality", "unknown_country"),
        ("document_number", "invalid_format"),
        ("expiry_date", "expired"),
    ] {
        assert!(got.contains(&(want.0.into(), want.1.into())), "{want:?} in {got:?}");
    }
    let mut young = good_info();
    young["date_of_birth"] = json!((chrono::Utc::now().date_naive() - chrono::Duration::days(365 * 17)).to_string());
    assert_eq!(
        app.put_info(&token, &id, young).await.field_codes(),
        vec![("date_of_birth".into(), "under_age".into())]
    );
    let mut bad_number = good_info();
    bad_number["document_number"] = json!("12345");
    assert_eq!(
        app.put_info(&token, &id, bad_number).await.field_codes(),
        vec![("document_number".into(), "invalid_format".into())]
    );
    let mut unknown = good_info();
    unknown["favourite_colour"] = json!("blue");
    assert_eq!(app.put_info(&token, &id, unknown).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing was saved by the refused attempts.
    let cur = app.get("/api/v1/verifications/current", Some(&token)).await;
    assert!(cur.body["personal_info"].is_null());
}

#[tokio::test]
async fn pii_is_encrypted_at_rest() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = app.start(&token).await;
    let mut info = good_info();
    info["first_name"] = json!("Zebulonia");
    info["document_number"] = json!("T22000129");
    assert_eq!(app.put_info(&token, &id, info).await.status, StatusCode::OK);
    let mut conn = app.db().await;
    let (pii, hash): (Option<serde_json::Value>, Option<Vec<u8>>) = verifications::table
        .select((verifications::pii, verifications::document_number_hash))
        .first(&mut conn)
        .await
        .unwrap();
    let text = pii.unwrap().to_string();
    for plain in ["Zebulonia", "T22000129", "Mustermann", "1984-08-12", "2031-06-30"] {
        assert!(!text.contains(plain), "{plain} stored in clear");
    }
    assert!(text.contains("v1."), "sealed values carry their format and key id");
    assert_eq!(hash.unwrap().len(), 32);
    // The owner reads it back decrypted.
    let cur = app.get("/api/v1/verifications/current", Some(&token)).await;
    assert_eq!(cur.body["personal_info"]["first_name"], "Zebulonia");
}

#[tokio::test]
async fn bad_images_are_refused_and_nothing_is_left_behind() {
    let app = spawn_app_with(Options::default().set("EKYC_MAX_UPLOAD_BYTES", &(10 * 1024 * 1024).to_string())).await;
    let token = app.applicant().await;
    let id = app.start(&token).await;
    let mut passport = good_info();
    passport["document_type"] = json!("passport");
    passport["document_number"] = json!("C01X00T47");
    assert_eq!(app.put_info(&token, &id, passport).await.status, StatusCode::OK);
    let front = format!("/api/v1/verifications/{id}/documents/front");
    let mut truncated = fixtures::jpeg(800, 600, 1);
    truncated.truncate(truncated.len() / 3);
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "wrong magic bytes",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unsupported_type",
        ),
        (
            "a PDF named .jpg",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unsupported_type",
        ),
        ("truncated JPEG", truncated, StatusCode::UNPROCESSABLE_ENTITY, "corrupt_image"),
        ("PNG declaring 50000x50000", fixtures::png_bomb(), StatusCode::UNPROCESSABLE_ENTITY, "too_many_pixels"),
        ("empty file", Vec::new(), StatusCode::UNPROCESSABLE_ENTITY, "empty_file"),
        ("tiny image", fixtures::png(64, 64), StatusCode::UNPROCESSABLE_ENTITY, "too_small"),
        ("11 MB", vec![0xFF; 11 * 1024 * 1024], StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
    ];
    for (name, bytes, status, code) in cases {
        let r = app.upload(&token, &front, bytes, None).await;
        assert_eq!(r.status, status, "{name}: {:?}", r.body);
        assert_eq!(r.field_codes()[0].1, code, "{name}");
    }
    // Whole and well-formed outside, noise inside its scan, and large enough for the gate's
    // DCT-scaled decoder: refused as unreadable, never a 500.
    let mut scrambled = fixtures::jpeg(2400, 1800, 2);
    let sos = scrambled.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let end = scrambled.len() - 2;
    for (i, b) in scrambled[sos + 20..end].iter_mut().enumerate() {
        *b = if (i * 7919) % 13 == 0 { 0xFF } else { (i * 31 % 251) as u8 };
    }
    let r = app.upload(&token, &front, scrambled, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.field_codes(), vec![("file".into(), "corrupt_image".into())]);
    let back = app
        .upload(&token, &format!("/api/v1/verifications/{id}/documents/back"), fixtures::jpeg(800, 600, 1), None)
        .await;
    assert_eq!(back.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(back.field_codes(), vec![("side".into(), "no_back_side".into())]);
    let side = app
        .upload(&token, &format!("/api/v1/verifications/{id}/documents/left"), fixtures::jpeg(800, 600, 1), None)
        .await;
    assert_eq!(side.status, StatusCode::BAD_REQUEST);
    // Padding in another form part counts towards the limit too.
    let form = reqwest::multipart::Form::new()
        .part("junk", reqwest::multipart::Part::bytes(vec![b'x'; 11 * 1024 * 1024]))
        .part("file", reqwest::multipart::Part::bytes(fixtures::jpeg(800, 600, 1)).file_name("a.jpg"));
    let padded = app.client.post(app.url(&front)).bearer_auth(&token).multipart(form).send().await.unwrap();
    assert_eq!(padded.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Not multipart at all.
    let raw =
        app.client.post(app.url(&front)).bearer_auth(&token).body(fixtures::jpeg(800, 600, 1)).send().await.unwrap();
    assert_eq!(raw.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let keys = app.state.storage.list(&format!("images/{id}/")).await.unwrap();
    assert!(keys.is_empty(), "objects left behind: {keys:?}");
    let mut conn = app.db().await;
    let rows: i64 = document_images::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn stored_images_lose_their_metadata_and_replacements_delete_the_old_object() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = app.start(&token).await;
    assert_eq!(app.put_info(&token, &id, good_info()).await.status, StatusCode::OK);
    let original = fixtures::jpeg_with_gps_and_orientation(800, 600);
    assert!(original.windows(4).any(|w| w == b"Exif"));
    // The back: the same upload path, without the portrait check of the front.
    let front = format!("/api/v1/verifications/{id}/documents/back");
    let r = app.upload(&token, &front, original, None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    // Orientation 6 was applied: 800x600 becomes 600x800.
    assert_eq!((r.body["image"]["width"].as_i64(), r.body["image"]["height"].as_i64()), (Some(600), Some(800)));

    let mut conn = app.db().await;
    let key: String = document_images::table.select(document_images::storage_key).first(&mut conn).await.unwrap();
    assert!(key.starts_with(&format!("images/{id}/")) && !key.contains("Erika"));
    let stored = app.state.storage.get(&key).await.unwrap().unwrap();
    assert_eq!(&stored[..3], &[0xFF, 0xD8, 0xFF]);
    assert!(!stored.windows(4).any(|w| w == b"Exif"), "EXIF survived");
    let decoded = image::load_from_memory(&stored).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (600, 800));

    let r = app.upload(&token, &front, fixtures::jpeg(800, 600, 5), None).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(app.state.storage.get(&key).await.unwrap().is_none(), "the replaced object is gone");
    assert_eq!(app.state.storage.list(&format!("images/{id}/")).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_draft_survives_a_new_sign_in() {
    let app = spawn_app().await;
    let s = app.register("resume@example.com").await;
    let token = s.body["access_token"].as_str().unwrap().to_owned();
    let id = app.start(&token).await;
    assert_eq!(app.put_info(&token, &id, good_info()).await.status, StatusCode::OK);
    app.upload(&token, &format!("/api/v1/verifications/{id}/documents/front"), id_front(Person::A, 1), None).await;
    // Another device: a fresh login.
    let other = app
        .post("/api/v1/auth/login", json!({"email": "resume@example.com", "password": "correct horse battery"}))
        .await;
    let token2 = other.body["access_token"].as_str().unwrap();
    let cur = app.get("/api/v1/verifications/current", Some(token2)).await;
    assert_eq!(cur.body["id"], id.as_str());
    assert_eq!(cur.body["personal_info"]["last_name"], "Mustermann");
    assert_eq!(cur.body["next"], "document");
    assert_eq!(cur.body["images"][0]["kind"], "front");
}

#[tokio::test]
async fn retry_reopens_only_what_was_flagged() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let admin = app.staff(Role::Admin).await;
    let id = app.complete_draft(&token).await;
    assert_eq!(app.submit(&token, &id).await.status, StatusCode::OK);
    app.drain_jobs().await;
    let d = app
        .decide(
            &admin,
            &id,
            json!({"decision": "reject", "reject_type": "retry", "message": "Please fix the number.", "reasons": [
                {"code": "data_mismatch", "step": "personal_info", "field_paths": ["document_number"], "internal_note": "MRZ says L01X00T48"},
                {"code": "blurred_photo", "step": "document", "field_paths": ["images.front"]}
            ]}),
        )
        .await;
    assert_eq!(d.status, StatusCode::OK, "{:?}", d.body);
    let cur = app.get("/api/v1/verifications/current", Some(&token)).await;
    assert_eq!(cur.body["status"], "action_required");
    let reasons = cur.body["decision"]["reasons"].as_array().unwrap();
    assert_eq!(reasons[0]["field_paths"], json!(["document_number"]));
    assert_eq!(reasons[0]["message_key"], "reason.data_mismatch");
    assert!(!cur.body.to_string().contains("MRZ says"), "internal notes never reach the applicant");
    assert_eq!(cur.body["steps"][0]["reasons"][0]["code"], "data_mismatch");
    // Nothing changes before the retry starts.
    assert_eq!(app.put_info(&token, &id, good_info()).await.code(), "invalid_state");

    let r = app.request(Method::POST, &format!("/api/v1/verifications/{id}/retry"), Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["attempt"], 2);
    assert_eq!(r.body["status"], "draft");
    let steps = &r.body["steps"];
    assert_eq!(steps[0]["status"], "not_started");
    assert_eq!(steps[0]["field_paths"], json!(["document_number"]));
    assert_eq!(steps[1]["field_paths"], json!(["images.front"]));
    assert_eq!(steps[2]["status"], "accepted");
    assert_eq!(r.body["personal_info"]["first_name"], "Erika", "everything else stays filled in");

    let mut changed_name = good_info();
    changed_name["first_name"] = json!("Erik");
    changed_name["document_number"] = json!("L01X00T48");
    let locked = app.put_info(&token, &id, changed_name).await;
    assert_eq!(locked.field_codes(), vec![("first_name".into(), "locked".into())]);
    let mut fixed = good_info();
    fixed["document_number"] = json!("L01X00T48");
    assert_eq!(app.put_info(&token, &id, fixed).await.status, StatusCode::OK);
    let selfie = app
        .upload(&token, &format!("/api/v1/verifications/{id}/selfie"), faces_fixtures::selfie(Person::A, 4), None)
        .await;
    assert_eq!(selfie.code(), "invalid_state", "the accepted selfie is locked");
    let back = app
        .upload(&token, &format!("/api/v1/verifications/{id}/documents/back"), fixtures::jpeg(800, 600, 4), None)
        .await;
    assert_eq!(back.field_codes(), vec![("side".into(), "locked".into())]);
    assert_eq!(app.submit(&token, &id).await.code(), "invalid_state", "the front is still to be retaken");
    let front =
        app.upload(&token, &format!("/api/v1/verifications/{id}/documents/front"), id_front(Person::A, 6), None).await;
    assert_eq!(front.status, StatusCode::CREATED);
    let sub = app.submit(&token, &id).await;
    assert_eq!(sub.status, StatusCode::OK, "{:?}", sub.body);
    assert_eq!(sub.body["attempt"], 2);
    assert_eq!(sub.body["attempts_left"], 3);
    app.drain_jobs().await;
}

#[tokio::test]
async fn attempts_are_capped_and_final_rejections_end_it() {
    let app = spawn_app_with(Options::default().set("EKYC_MAX_ATTEMPTS_PER_DAY", "2")).await;
    let token = app.applicant().await;
    let admin = app.staff(Role::Admin).await;
    let id = app.complete_draft(&token).await;
    let reject =
        json!({"decision": "reject", "reject_type": "retry", "reasons": [{"code": "blurred_photo", "step": "selfie"}]});
    for attempt in 1..=2 {
        assert_eq!(app.submit(&token, &id).await.status, StatusCode::OK);
        app.drain_jobs().await;
        let d = app.decide(&admin, &id, reject.clone()).await;
        assert_eq!(d.status, StatusCode::OK);
        if attempt == 1 {
            assert_eq!(d.body["status"], "action_required");
            let r = app.request(Method::POST, &format!("/api/v1/verifications/{id}/retry"), Some(&token), None).await;
            assert_eq!(r.status, StatusCode::OK);
            app.upload(
                &token,
                &format!("/api/v1/verifications/{id}/selfie"),
                faces_fixtures::selfie(Person::A, 8),
                None,
            )
            .await;
            // Liveness is proven against the selfie, so a new selfie means a new liveness check.
            app.pass_liveness(&token, &id).await;
        } else {
            // The last attempt of the day: a retryable rejection becomes final.
            assert_eq!(d.body["status"], "rejected");
            assert_eq!(d.body["decision"]["reject_type"], "final");
        }
    }
    let r = app.request(Method::POST, &format!("/api/v1/verifications/{id}/retry"), Some(&token), None).await;
    assert_eq!(r.code(), "verification_closed");
    // A closed verification lets the applicant start afresh later; the rejection stays on record.
    assert_eq!(app.get(&format!("/api/v1/verifications/{id}"), Some(&token)).await.body["status"], "rejected");
}

#[tokio::test]
async fn decisions_are_checked() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let admin = app.staff(Role::Admin).await;
    let id = app.complete_draft(&token).await;
    // Not submitted yet.
    assert_eq!(app.decide(&admin, &id, json!({"decision": "approve"})).await.code(), "invalid_state");
    app.submit(&token, &id).await;
    let bad = app
        .decide(&admin, &id, json!({"decision": "reject", "reasons": [{"code": "made_up", "step": "document", "field_paths": ["first_name"]}]}))
        .await;
    let got = bad.field_codes();
    assert!(got.contains(&("reject_type".into(), "required".into())), "{got:?}");
    assert!(got.contains(&("reasons[0].code".into(), "unknown_reason".into())), "{got:?}");
    assert!(got.contains(&("reasons[0].field_paths".into(), "invalid_field_path".into())), "{got:?}");
    assert_eq!(app.decide(&token, &id, json!({"decision": "approve"})).await.status, StatusCode::FORBIDDEN);
    let reviewer = app.staff(Role::Reviewer).await;
    assert_eq!(app.decide(&reviewer, &id, json!({"decision": "approve"})).await.status, StatusCode::FORBIDDEN);
    app.drain_jobs().await;
}

#[tokio::test]
async fn another_applicant_gets_404_everywhere() {
    let app = spawn_app().await;
    let alice = app.applicant().await;
    let mallory = app.applicant().await;
    let id = app.complete_draft(&alice).await;
    let img = || fixtures::jpeg(800, 600, 3);
    let attempts = [
        app.get(&format!("/api/v1/verifications/{id}"), Some(&mallory)).await,
        app.put_info(&mallory, &id, good_info()).await,
        app.upload(&mallory, &format!("/api/v1/verifications/{id}/documents/front"), img(), None).await,
        app.upload(&mallory, &format!("/api/v1/verifications/{id}/documents/back"), img(), None).await,
        app.upload(&mallory, &format!("/api/v1/verifications/{id}/selfie"), img(), None).await,
        app.submit(&mallory, &id).await,
        app.request(Method::POST, &format!("/api/v1/verifications/{id}/retry"), Some(&mallory), None).await,
    ];
    for (i, r) in attempts.iter().enumerate() {
        assert_eq!(r.status, StatusCode::NOT_FOUND, "endpoint {i}: {:?}", r.body);
        assert_eq!(r.code(), "not_found");
    }
    // Mallory's own "current" is not Alice's.
    assert_eq!(app.get("/api/v1/verifications/current", Some(&mallory)).await.status, StatusCode::NOT_FOUND);
    // And Alice's verification is untouched.
    let cur = app.get("/api/v1/verifications/current", Some(&alice)).await;
    assert_eq!(cur.body["status"], "draft");
    assert_eq!(cur.body["next"], "submit");
}

#[tokio::test]
async fn idempotency_keys_replay_refuse_and_wait() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let start = |key: &'static str, body: serde_json::Value| {
        app.client
            .post(app.url("/api/v1/verifications"))
            .bearer_auth(&token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = crate::helpers::into_resp(start("k-1", json!({})).await.unwrap()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let second = crate::helpers::into_resp(start("k-1", json!({})).await.unwrap()).await;
    assert_eq!(second.status, StatusCode::CREATED, "the stored first response, not verification_exists");
    assert_eq!(second.body["id"], first.body["id"]);
    assert_eq!(second.headers["idempotent-replayed"], "true");
    let different = crate::helpers::into_resp(start("k-1", json!({"level": "enhanced"})).await.unwrap()).await;
    assert_eq!(different.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(different.code(), "idempotency_key_reused");

    // A first request still running: its key row exists without a response.
    let me = app.get("/api/v1/me", Some(&token)).await;
    let user: uuid::Uuid = me.body["id"].as_str().unwrap().parse().unwrap();
    let id = first.body["id"].as_str().unwrap();
    let hash = ekyc::idempotency::request_hash(&format!("submit:{id}"), b"");
    let mut conn = app.db().await;
    use ekyc::db::schema::idempotency_keys as ik;
    diesel::insert_into(ik::table)
        .values((ik::user_id.eq(user), ik::key.eq("k-2"), ik::request_hash.eq(hash)))
        .execute(&mut conn)
        .await
        .unwrap();
    let busy = app
        .client
        .post(app.url(&format!("/api/v1/verifications/{id}/submit")))
        .bearer_auth(&token)
        .header("Idempotency-Key", "k-2")
        .send()
        .await
        .unwrap();
    let busy = crate::helpers::into_resp(busy).await;
    assert_eq!(busy.status, StatusCode::CONFLICT);
    assert_eq!(busy.code(), "idempotency_in_progress");
}

#[tokio::test]
async fn submit_with_a_key_runs_once() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = app.complete_draft(&token).await;
    let submit = || {
        app.client
            .post(app.url(&format!("/api/v1/verifications/{id}/submit")))
            .bearer_auth(&token)
            .header("Idempotency-Key", "s-1")
            .send()
    };
    let a = crate::helpers::into_resp(submit().await.unwrap()).await;
    let b = crate::helpers::into_resp(submit().await.unwrap()).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(b.status, StatusCode::OK);
    assert_eq!(a.body, b.body);
    // Without the key, a second submit is refused: the case is no longer a draft.
    assert_eq!(app.submit(&token, &id).await.code(), "invalid_state");
    assert_eq!(app.drain_jobs().await.len(), 1);
}

#[tokio::test]
async fn unusable_photos_are_refused_with_reasons_and_remembered() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = app.start(&token).await;
    assert_eq!(app.put_info(&token, &id, good_info()).await.status, StatusCode::OK);
    let front = format!("/api/v1/verifications/{id}/documents/front");
    let wall = fixtures::no_document(1024, 768);
    let r = app.upload(&token, &front, wall.clone(), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.field_codes(), vec![("file".into(), "no_document_in_image".into())]);
    assert!(r.body["error"]["fields"][0]["message"].as_str().unwrap().contains("Place it flat"));
    // The same bytes again: the same answer, from the record of refused images.
    let again = app.upload(&token, &front, wall, None).await;
    assert_eq!(again.body, r.body);
    let mut conn = app.db().await;
    use ekyc::db::schema::refused_images;
    let n: i64 = refused_images::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(n, 1);
    assert!(app.state.storage.list(&format!("images/{id}/")).await.unwrap().is_empty(), "nothing stored");
    // A usable photo then goes through, with its quality report kept for reviewers.
    let ok = app.upload(&token, &front, id_front(Person::A, 3), None).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{:?}", ok.body);
    let report: serde_json::Value =
        document_images::table.select(document_images::quality).first(&mut conn).await.unwrap();
    assert_eq!(report["gate"], "vision-v1");
    assert!(report["checks"]["metrics"]["sharpness"]["value"].as_f64().unwrap() > 0.0);
}
