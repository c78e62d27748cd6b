//! The automated checks, the decision rules and the reviewer API, through HTTP with
//! documents whose MRZ the server reads (tests/api/documents.rs) and real faces.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ekyc::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::documents::DocData;
use crate::faces_fixtures::Person;
use crate::helpers::{Options, Resp, TestApp, good_info, spawn_app, spawn_app_with};

/// Submits a complete draft and runs the worker: the checks and the rules.
async fn submitted(app: &TestApp, token: &str, info: Value, doc: &DocData, selfie: Person) -> String {
    let id = app.complete_draft_with(token, info, doc, selfie).await;
    let r = app.submit(token, &id).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    app.drain_jobs().await;
    id
}

/// The attempt's checks by kind: (result, reasons).
async fn checks(app: &TestApp, id: &str) -> BTreeMap<String, (String, Value)> {
    use ekyc::db::schema::checks;
    let mut conn = app.db().await;
    let rows: Vec<(String, String, Value)> = checks::table
        .filter(checks::verification_id.eq(id.parse::<uuid::Uuid>().unwrap()))
        .select((checks::kind, checks::result, checks::reasons))
        .load(&mut conn)
        .await
        .unwrap();
    rows.into_iter().map(|(k, r, reasons)| (k, (r, reasons))).collect()
}

async fn current(app: &TestApp, token: &str) -> Resp {
    app.get("/api/v1/verifications/current", Some(token)).await
}

async fn claim(app: &TestApp, who: &str, id: &str) -> Resp {
    app.request(Method::POST, &format!("/api/v1/review/cases/{id}/claim"), Some(who), None).await
}

async fn decide(app: &TestApp, who: &str, id: &str, body: Value) -> Resp {
    app.request(Method::POST, &format!("/api/v1/review/cases/{id}/decision"), Some(who), Some(body)).await
}

fn results(c: &BTreeMap<String, (String, Value)>) -> Vec<(&str, &str)> {
    c.iter().map(|(k, (r, _))| (k.as_str(), r.as_str())).collect()
}

#[tokio::test]
async fn a_matching_case_passes_every_check_and_is_approved_only_when_configured() {
    // Default: a person looks at every case.
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = submitted(&app, &token, good_info(), &DocData::from_info(&good_info()), Person::A).await;
    let c = checks(&app, &id).await;
    assert_eq!(
        results(&c),
        vec![
            ("age", "pass"),
            ("data_match", "pass"),
            ("duplicate", "pass"),
            ("expiry", "pass"),
            ("face_match", "pass"),
            ("liveness", "pass"),
            ("mrz", "pass"),
            ("quality", "pass"),
        ]
    );
    let cur = current(&app, &token).await;
    assert_eq!(cur.body["status"], "in_review");
    assert_eq!(cur.body["waiting"]["stage"], "in_review");
    let reviewer = app.staff(Role::Reviewer).await;
    let q = app.get("/api/v1/review/cases", Some(&reviewer)).await;
    assert_eq!(q.status, StatusCode::OK, "{:?}", q.body);
    assert_eq!(q.body["items"][0]["verification_id"], id.as_str());
    assert_eq!(q.body["items"][0]["flags"], json!(["auto_approve_off"]));

    // Configured to approve what passes everything.
    let app = spawn_app_with(Options::default().set("EKYC_AUTO_APPROVE", "true")).await;
    let token = app.applicant().await;
    submitted(&app, &token, good_info(), &DocData::from_info(&good_info()), Person::A).await;
    let cur = current(&app, &token).await;
    assert_eq!(cur.body["status"], "approved", "{:?}", cur.body);
    assert!(cur.body["steps"].as_array().unwrap().iter().all(|s| s["status"] == "accepted"));
}

#[tokio::test]
async fn a_typo_in_the_document_number_comes_back_on_exactly_that_field() {
    let app = spawn_app_with(Options::default().set("EKYC_AUTO_APPROVE", "true")).await;
    let token = app.applicant().await;
    let doc = DocData::from_info(&good_info());
    let mut typo = good_info();
    typo["document_number"] = json!("L01X00T74");
    let id = submitted(&app, &token, typo, &doc, Person::A).await;
    let c = checks(&app, &id).await;
    assert_eq!(c["data_match"].0, "fail");
    assert_eq!(
        c["data_match"].1,
        json!([{"code": "data_mismatch", "step": "personal_info", "field_paths": ["document_number"]}])
    );
    // A fixable failure goes straight back to the applicant, with the field to fix.
    let cur = current(&app, &token).await;
    assert_eq!(cur.body["status"], "action_required", "{:?}", cur.body);
    assert_eq!(cur.body["decision"]["reject_type"], "retry");
    assert_eq!(cur.body["steps"][0]["reasons"][0]["code"], "data_mismatch");
    assert_eq!(cur.body["steps"][0]["reasons"][0]["field_paths"], json!(["document_number"]));
    let reviewer = app.staff(Role::Reviewer).await;
    let q = app.get("/api/v1/review/cases", Some(&reviewer)).await;
    assert_eq!(q.body["items"], json!([]), "no person was needed");

    // The applicant fixes the number; the retry passes.
    let r = app.request(Method::POST, &format!("/api/v1/verifications/{id}/retry"), Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["steps"][0]["field_paths"], json!(["document_number"]));
    assert_eq!(app.put_info(&token, &id, good_info()).await.status, StatusCode::OK);
    assert_eq!(app.submit(&token, &id).await.status, StatusCode::OK);
    app.drain_jobs().await;
    assert_eq!(current(&app, &token).await.body["status"], "approved");
}

#[tokio::test]
async fn an_expired_document_is_sent_back() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    // The applicant types a valid-looking date; the document says it expired last month.
    let mut doc = DocData::from_info(&good_info());
    doc.expiry_date = (Utc::now() - Duration::days(30)).date_naive();
    let id = submitted(&app, &token, good_info(), &doc, Person::A).await;
    let c = checks(&app, &id).await;
    assert_eq!(c["expiry"].0, "fail");
    assert_eq!(c["expiry"].1[0]["code"], "document_expired");
    assert_eq!(c["data_match"].1[0]["field_paths"], json!(["expiry_date"]));
    let cur = current(&app, &token).await;
    assert_eq!(cur.body["status"], "action_required", "{:?}", cur.body);
    let codes: Vec<&str> =
        cur.body["decision"]["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"document_expired"), "{codes:?}");
    assert_eq!(cur.body["steps"][1]["reasons"][0]["code"], "document_expired", "the photos must change too");
}

#[tokio::test]
async fn an_under_age_holder_goes_to_a_person() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    // The form refuses an under-age date, so the applicant entered an adult's; the document
    // tells the truth: 16 years old.
    let mut doc = DocData::from_info(&good_info());
    doc.date_of_birth = (Utc::now() - Duration::days(16 * 365 + 30)).date_naive();
    let id = submitted(&app, &token, good_info(), &doc, Person::A).await;
    let c = checks(&app, &id).await;
    assert_eq!(c["age"].0, "fail");
    assert_eq!(c["age"].1[0]["code"], "under_age");
    assert_eq!(c["data_match"].1[0]["field_paths"], json!(["date_of_birth"]));
    assert_eq!(current(&app, &token).await.body["status"], "in_review");
    let reviewer = app.staff(Role::Reviewer).await;
    let q = app.get("/api/v1/review/cases?flag=under_age", Some(&reviewer)).await;
    assert_eq!(q.body["items"][0]["verification_id"], id.as_str(), "{:?}", q.body);
    let flags = q.body["items"][0]["flags"].as_array().unwrap();
    assert!(flags.contains(&json!("data_mismatch")) && flags.contains(&json!("under_age")), "{flags:?}");
}

#[tokio::test]
async fn the_same_document_on_a_second_account_is_flagged() {
    let app = spawn_app().await;
    let first = app.applicant().await;
    let doc = DocData::from_info(&good_info());
    let first_id = submitted(&app, &first, good_info(), &doc, Person::A).await;
    assert_eq!(checks(&app, &first_id).await["duplicate"].0, "pass");
    let second = app.applicant().await;
    let id = submitted(&app, &second, good_info(), &doc, Person::A).await;
    let c = checks(&app, &id).await;
    assert_eq!(c["duplicate"].0, "fail");
    // Both the number and the face point at the first applicant.
    let paths: Vec<&Value> = c["duplicate"].1.as_array().unwrap().iter().map(|r| &r["field_paths"][0]).collect();
    assert_eq!(paths, vec![&json!("document_number"), &json!("images.selfie")]);
    assert_eq!(current(&app, &second).await.body["status"], "in_review");
    let reviewer = app.staff(Role::Reviewer).await;
    let case = app.get(&format!("/api/v1/review/cases/{id}"), Some(&reviewer)).await;
    let dup = case.body["checks"].as_array().unwrap().iter().find(|c| c["kind"] == "duplicate").unwrap().clone();
    assert_eq!(dup["details"]["same_document"], json!([first_id]));
    assert_eq!(dup["details"]["same_face"][0]["verification_id"], first_id.as_str());
}

#[tokio::test]
async fn a_face_that_does_not_match_the_portrait_goes_to_review() {
    let app = spawn_app_with(Options::default().set("EKYC_AUTO_APPROVE", "true")).await;
    let token = app.applicant().await;
    // The card carries B's portrait; A takes the selfie and passes the liveness challenge.
    let id = app.start(&token).await;
    assert_eq!(app.put_info(&token, &id, good_info()).await.status, StatusCode::OK);
    let doc = DocData::from_info(&good_info());
    for (side, bytes) in [
        ("documents/front", crate::faces_fixtures::id_front(Person::B, 0)),
        ("documents/back", crate::documents::id_back_td1(&doc, 1)),
        ("selfie", crate::faces_fixtures::selfie(Person::A, 2)),
    ] {
        let r = app.upload(&token, &format!("/api/v1/verifications/{id}/{side}"), bytes, None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{side}: {:?}", r.body);
    }
    app.pass_liveness(&token, &id).await;
    assert_eq!(app.submit(&token, &id).await.status, StatusCode::OK);
    app.drain_jobs().await;
    let c = checks(&app, &id).await;
    assert_eq!(c["face_match"].0, "fail");
    assert_eq!(c["face_match"].1[0]["code"], "face_mismatch");
    assert_eq!(c["data_match"].0, "pass", "the rest of the document is fine");
    assert_eq!(current(&app, &token).await.body["status"], "in_review", "never settled without a person");
    let reviewer = app.staff(Role::Reviewer).await;
    let q = app.get("/api/v1/review/cases?flag=face_mismatch", Some(&reviewer)).await;
    assert_eq!(q.body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_reviewers_rejection_reaches_the_applicant_with_its_field_paths() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = submitted(&app, &token, good_info(), &DocData::from_info(&good_info()), Person::A).await;
    let reviewer = app.staff(Role::Reviewer).await;

    let case = app.get(&format!("/api/v1/review/cases/{id}"), Some(&reviewer)).await;
    assert_eq!(case.status, StatusCode::OK, "{:?}", case.body);
    assert_eq!(case.body["entered"]["document_number"], "L01X00T47");
    assert_eq!(case.body["extracted"]["fields"]["document_number"], "L01X00T47");
    assert_eq!(case.body["extracted"]["source"], "mrz");
    let row = case.body["comparison"].as_array().unwrap().iter().find(|r| r["field"] == "last_name").unwrap().clone();
    assert_eq!(
        (&row["entered"], &row["extracted"], &row["verdict"]),
        (&json!("Mustermann"), &json!("MUSTERMANN"), &json!("match"))
    );
    assert_eq!(case.body["checks"].as_array().unwrap().len(), 8);
    // The images come through short-lived presigned URLs that work.
    let images = case.body["images"].as_array().unwrap();
    assert_eq!(images.len(), 3);
    let expires: chrono::DateTime<Utc> = serde_json::from_value(images[0]["url_expires_at"].clone()).unwrap();
    assert!(expires <= Utc::now() + Duration::seconds(301));
    let img = app.client.get(images[0]["url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(img.status(), StatusCode::OK);
    assert_eq!(&img.bytes().await.unwrap()[..2], &[0xFF, 0xD8]);

    // Deciding needs the claim.
    let body = json!({"decision": "reject", "reject_type": "retry", "message": "The number is hard to read.",
        "internal_note": "digit 7 looks altered",
        "reasons": [{"code": "data_mismatch", "step": "personal_info", "field_paths": ["document_number"]}]});
    assert_eq!(decide(&app, &reviewer, &id, body.clone()).await.code(), "claim_required");
    let c = claim(&app, &reviewer, &id).await;
    assert_eq!(c.status, StatusCode::OK, "{:?}", c.body);
    assert_eq!(c.body["claim"]["mine"], true);
    // Reasons are checked against the taxonomy and the step's fields.
    let bad = decide(
        &app,
        &reviewer,
        &id,
        json!({"decision": "reject", "reject_type": "retry",
        "reasons": [{"code": "made_up", "step": "personal_info", "field_paths": ["images.front"]}]}),
    )
    .await;
    assert_eq!(
        bad.field_codes(),
        vec![
            ("reasons[0].code".into(), "unknown_reason".into()),
            ("reasons[0].field_paths".into(), "invalid_field_path".into())
        ]
    );
    let d = decide(&app, &reviewer, &id, body).await;
    assert_eq!(d.status, StatusCode::OK, "{:?}", d.body);
    assert_eq!(d.body["outcome"], "decided");
    assert_eq!(d.body["verification_status"], "action_required");

    let cur = current(&app, &token).await;
    assert_eq!(cur.body["status"], "action_required");
    assert_eq!(cur.body["steps"][0]["reasons"][0]["field_paths"], json!(["document_number"]));
    assert_eq!(cur.body["decision"]["message"], "The number is hard to read.");
    assert!(!cur.body.to_string().contains("altered"), "internal notes never reach the applicant");
    // The case is closed and out of the queue; the history keeps it.
    let q = app.get("/api/v1/review/cases", Some(&reviewer)).await;
    assert_eq!(q.body["items"], json!([]));
}

#[tokio::test]
async fn applicants_cannot_reach_any_reviewer_endpoint() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = submitted(&app, &token, good_info(), &DocData::from_info(&good_info()), Person::A).await;
    for (method, path, body) in [
        (Method::GET, "/api/v1/review/cases".to_owned(), None),
        (Method::GET, format!("/api/v1/review/cases/{id}"), None),
        (Method::POST, format!("/api/v1/review/cases/{id}/claim"), None),
        (Method::DELETE, format!("/api/v1/review/cases/{id}/claim"), None),
        (Method::POST, format!("/api/v1/review/cases/{id}/decision"), Some(json!({"decision": "approve"}))),
        (Method::GET, "/api/v1/review/audit".to_owned(), None),
    ] {
        let r = app.request(method.clone(), &path, Some(&token), body.clone()).await;
        assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"), "{method} {path}");
        let anon = app.request(method.clone(), &path, None, body).await;
        assert_eq!(anon.status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    assert_eq!(current(&app, &token).await.body["status"], "in_review", "nothing changed");
}

#[tokio::test]
async fn one_reviewer_at_a_time_and_final_rejections_need_a_second() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = submitted(&app, &token, good_info(), &DocData::from_info(&good_info()), Person::A).await;
    let (a, b) = (app.staff(Role::Reviewer).await, app.staff(Role::Reviewer).await);

    assert_eq!(claim(&app, &a, &id).await.status, StatusCode::OK);
    let taken = claim(&app, &b, &id).await;
    assert_eq!((taken.status, taken.code()), (StatusCode::CONFLICT, "claimed_by_other"));
    assert!(taken.headers.get("retry-after").is_some());
    let approve = json!({"decision": "approve"});
    assert_eq!(decide(&app, &b, &id, approve.clone()).await.code(), "claimed_by_other");
    let q = app.get("/api/v1/review/cases?claimed=false", Some(&b)).await;
    assert_eq!(q.body["items"], json!([]));
    // Releasing is the holder's alone.
    let r = app.request(Method::DELETE, &format!("/api/v1/review/cases/{id}/claim"), Some(&b), None).await;
    assert_eq!(r.code(), "claim_required");

    let final_reject = json!({"decision": "reject", "reject_type": "final",
        "reasons": [{"code": "suspected_forgery", "step": "document", "field_paths": ["images.front"]}]});
    let p = decide(&app, &a, &id, final_reject.clone()).await;
    assert_eq!(p.status, StatusCode::OK, "{:?}", p.body);
    assert_eq!(p.body["outcome"], "awaiting_second_review");
    assert_eq!(current(&app, &token).await.body["status"], "in_review", "not yet final");
    // The proposer cannot confirm it.
    assert_eq!(claim(&app, &a, &id).await.code(), "second_reviewer_required");
    let q = app.get("/api/v1/review/cases?state=awaiting_second", Some(&b)).await;
    assert_eq!(q.body["items"][0]["verification_id"], id.as_str());
    let case = app.get(&format!("/api/v1/review/cases/{id}"), Some(&b)).await;
    assert_eq!(case.body["review"]["proposal"]["reasons"][0]["code"], "suspected_forgery");
    assert_eq!(case.body["review"]["proposed_by"], case.body["review"]["proposal"]["decided_by"]);

    assert_eq!(claim(&app, &b, &id).await.status, StatusCode::OK);
    let d = decide(&app, &b, &id, final_reject).await;
    assert_eq!(d.body["outcome"], "decided", "{:?}", d.body);
    assert_eq!(d.body["verification_status"], "rejected");
    let cur = current(&app, &token).await;
    assert_eq!(cur.body["status"], "rejected");
    assert_eq!(cur.body["decision"]["reject_type"], "final");
    assert_eq!(decide(&app, &b, &id, approve).await.code(), "invalid_state");
}

#[tokio::test]
async fn views_and_decisions_are_audited_without_pii_and_the_audit_cannot_change() {
    let app = spawn_app().await;
    let token = app.applicant().await;
    let id = submitted(&app, &token, good_info(), &DocData::from_info(&good_info()), Person::A).await;
    let reviewer = app.staff(Role::Reviewer).await;
    assert_eq!(app.get(&format!("/api/v1/review/cases/{id}"), Some(&reviewer)).await.status, StatusCode::OK);
    assert_eq!(claim(&app, &reviewer, &id).await.status, StatusCode::OK);
    let d = decide(&app, &reviewer, &id, json!({"decision": "approve", "internal_note": "Mustermann checked"})).await;
    assert_eq!(d.body["verification_status"], "approved", "{:?}", d.body);

    let trail = app.get("/api/v1/review/audit", Some(&reviewer)).await;
    assert_eq!(trail.status, StatusCode::OK, "{:?}", trail.body);
    let about_case: Vec<&str> = trail.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject_id"] == id.as_str())
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        about_case,
        vec!["review.decided", "verification.status_changed", "review.claimed", "review.case_viewed"]
    );
    let text = trail.body.to_string();
    for pii in ["Mustermann", "MUSTERMANN", "Erika", "L01X00T47", "1984-08-12"] {
        assert!(!text.contains(pii), "{pii} in the audit trail");
    }
    // Another reviewer's trail is for admins.
    let other = app.staff(Role::Reviewer).await;
    let me = trail.body["items"][0]["actor_user_id"].as_str().unwrap().to_owned();
    let r = app.get(&format!("/api/v1/review/audit?actor={me}"), Some(&other)).await;
    assert_eq!(r.code(), "forbidden");
    let admin = app.staff(Role::Admin).await;
    let r = app.get(&format!("/api/v1/review/audit?actor={me}&verification_id={id}"), Some(&admin)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 4);

    // The application's connection can add audit rows, never change or remove them.
    let mut conn = app.db().await;
    for sql in [
        "UPDATE audit_events SET action = 'nothing' WHERE action = 'review.decided'",
        "DELETE FROM audit_events WHERE action = 'review.case_viewed'",
        "TRUNCATE audit_events",
    ] {
        let err = diesel::sql_query(sql).execute(&mut conn).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    let still: i64 = {
        use ekyc::db::schema::audit_events;
        audit_events::table
            .filter(audit_events::action.eq("review.decided"))
            .count()
            .get_result(&mut conn)
            .await
            .unwrap()
    };
    assert_eq!(still, 1);
}

#[tokio::test]
async fn the_queue_filters_and_pages_oldest_first() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let token = app.applicant().await;
        let mut info = good_info();
        // Different people's documents (no duplicate flags), same face is fine for the queue.
        info["document_number"] = json!(format!("L01X00T{}", 40 + ids.len()));
        let doc = DocData::from_info(&info);
        ids.push(submitted(&app, &token, info, &doc, Person::A).await);
    }
    let reviewer = app.staff(Role::Reviewer).await;
    let p1 = app.get("/api/v1/review/cases?limit=2", Some(&reviewer)).await;
    let got: Vec<&str> =
        p1.body["items"].as_array().unwrap().iter().map(|i| i["verification_id"].as_str().unwrap()).collect();
    assert_eq!(got, vec![ids[0].as_str(), ids[1].as_str()]);
    let cursor = p1.body["next_cursor"].as_str().unwrap();
    let p2 = app.get(&format!("/api/v1/review/cases?limit=2&cursor={cursor}"), Some(&reviewer)).await;
    assert_eq!(p2.body["items"][0]["verification_id"], ids[2].as_str());
    assert_eq!(p2.body["next_cursor"], Value::Null);
    let de = app.get("/api/v1/review/cases?country=DE&document_type=id_card", Some(&reviewer)).await;
    assert_eq!(de.body["items"].as_array().unwrap().len(), 3);
    let fr = app.get("/api/v1/review/cases?country=FR", Some(&reviewer)).await;
    assert_eq!(fr.body["items"], json!([]));
    let old = app.get("/api/v1/review/cases?waiting_since=2020-01-01T00:00:00Z", Some(&reviewer)).await;
    assert_eq!(old.body["items"], json!([]));
    let bad = app.get("/api/v1/review/cases?cursor=nonsense", Some(&reviewer)).await;
    assert_eq!(bad.field_codes(), vec![("cursor".into(), "invalid".into())]);
    let bad = app.get("/api/v1/review/cases?limit=0", Some(&reviewer)).await;
    assert_eq!(bad.field_codes(), vec![("limit".into(), "out_of_range".into())]);
}

#[tokio::test]
async fn the_rules_never_reject_for_good_on_the_last_attempt() {
    let app = spawn_app_with(Options::default().set("EKYC_MAX_ATTEMPTS_PER_DAY", "1")).await;
    let token = app.applicant().await;
    let mut typo = good_info();
    typo["document_number"] = json!("L01X00T74");
    let id = submitted(&app, &token, typo, &DocData::from_info(&good_info()), Person::A).await;
    assert_eq!(checks(&app, &id).await["data_match"].0, "fail");
    // A retryable rejection now would be final: a person decides instead.
    assert_eq!(current(&app, &token).await.body["status"], "in_review");
    let reviewer = app.staff(Role::Reviewer).await;
    let q = app.get("/api/v1/review/cases?flag=attempts_exhausted", Some(&reviewer)).await;
    assert_eq!(q.body["items"][0]["verification_id"], id.as_str(), "{:?}", q.body);
    assert_eq!(q.body["items"][0]["flags"], json!(["data_mismatch", "attempts_exhausted"]));
}
