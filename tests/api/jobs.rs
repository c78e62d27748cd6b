use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ekyc::db::schema::{audit_events, jobs};
use ekyc::jobs::{Outcome, enqueue, run_one};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn jobs_run_once_and_dedup_keys_hold() {
    let app = spawn_app().await;
    let mut conn = app.db().await;
    assert!(enqueue(&mut conn, "maintenance.purge", json!({}), Some("k"), Utc::now()).await.unwrap());
    assert!(!enqueue(&mut conn, "maintenance.purge", json!({}), Some("k"), Utc::now()).await.unwrap());
    let outcomes = app.drain_jobs().await;
    assert_eq!(outcomes, vec![Outcome::Done { kind: "maintenance.purge".into() }]);
    // Once done, the key may be used again.
    assert!(enqueue(&mut conn, "maintenance.purge", json!({}), Some("k"), Utc::now()).await.unwrap());
    app.drain_jobs().await;
}

#[tokio::test]
async fn failing_jobs_back_off_then_die() {
    let app = spawn_app().await;
    let mut conn = app.db().await;
    diesel::insert_into(jobs::table)
        .values((jobs::kind.eq("no.such.kind"), jobs::max_attempts.eq(2)))
        .execute(&mut conn)
        .await
        .unwrap();
    let ctx = app.jobs();
    assert_eq!(run_one(&ctx, "w").await.unwrap(), Some(Outcome::Retry { kind: "no.such.kind".into() }));
    // Not ready again until its backoff has passed.
    assert_eq!(run_one(&ctx, "w").await.unwrap(), None);
    diesel::update(jobs::table).set(jobs::run_at.eq(Utc::now())).execute(&mut conn).await.unwrap();
    assert_eq!(run_one(&ctx, "w").await.unwrap(), Some(Outcome::Dead { kind: "no.such.kind".into() }));
    let (status, err): (String, Option<String>) =
        jobs::table.select((jobs::status, jobs::last_error)).first(&mut conn).await.unwrap();
    assert_eq!(status, "dead");
    assert!(err.unwrap().contains("unknown job kind"));
}

#[tokio::test]
async fn two_workers_never_run_the_same_job() {
    let app = spawn_app().await;
    let mut conn = app.db().await;
    for i in 0..30 {
        enqueue(&mut conn, "maintenance.purge", json!({}), Some(&format!("p{i}")), Utc::now()).await.unwrap();
    }
    let (a, b) = (app.jobs(), app.jobs());
    let (ra, rb) = tokio::join!(ekyc::jobs::run_until_empty(&a, "a"), ekyc::jobs::run_until_empty(&b, "b"));
    assert_eq!(ra.unwrap().len() + rb.unwrap().len(), 30);
    let attempts: Vec<i32> = jobs::table.select(jobs::attempts).load(&mut conn).await.unwrap();
    assert!(attempts.iter().all(|&a| a == 1), "{attempts:?}");
    app.drain_jobs().await;
}

#[tokio::test]
async fn audit_rows_cannot_be_changed() {
    let app = spawn_app().await;
    app.register("audit@example.com").await;
    let mut conn = app.db().await;
    let n: i64 = audit_events::table
        .filter(audit_events::action.eq("user.registered"))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(n, 1);
    let upd = diesel::update(audit_events::table).set(audit_events::action.eq("nothing")).execute(&mut conn).await;
    assert!(upd.is_err());
    let del = diesel::delete(audit_events::table).execute(&mut conn).await;
    assert!(del.is_err());
    let trunc = diesel::sql_query("TRUNCATE audit_events").execute(&mut conn).await;
    assert!(trunc.is_err());
    // And the audit trail holds no email.
    let details: Vec<String> = diesel::sql_query("SELECT row_to_json(a)::text AS t FROM audit_events a")
        .load::<Row>(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.t)
        .collect();
    assert!(details.iter().all(|d| !d.contains("audit@example.com")));
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
}
