//! The append-only audit trail: who did what to which subject, when. Never PII: ids,
//! action names and codes only. The table refuses UPDATE, DELETE and TRUNCATE.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::audit_events;

#[derive(Insertable)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    actor_user_id: Option<Uuid>,
    action: &'static str,
    subject_type: &'static str,
    subject_id: String,
    request_id: Option<String>,
    details: serde_json::Value,
}

impl AuditEvent {
    pub fn new(
        actor: Option<Uuid>,
        action: &'static str,
        subject_type: &'static str,
        subject_id: impl ToString,
    ) -> Self {
        Self {
            actor_user_id: actor,
            action,
            subject_type,
            subject_id: subject_id.to_string(),
            request_id: None,
            details: serde_json::Value::Object(serde_json::Map::new()),
        }
    }

    pub fn request(mut self, request_id: Option<&str>) -> Self {
        self.request_id = request_id.map(str::to_owned);
        self
    }

    /// Extra non-PII facts (codes, counts, ids).
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

pub async fn record(conn: &mut AsyncPgConnection, event: AuditEvent) -> QueryResult<()> {
    diesel::insert_into(audit_events::table).values(event).execute(conn).await.map(|_| ())
}
