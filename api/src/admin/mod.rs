//! Administration of accounts: staff creation (CLI) and the admin API.

pub mod routes;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::auth::email::Email;
use crate::auth::{Role, password};
use crate::db::schema::users;

/// What [`create_staff`] did.
pub enum StaffOutcome {
    Created(Uuid),
    /// The account existed; its roles were replaced and its password left alone.
    Updated(Uuid),
}

/// The stored form of a role set: admins are reviewers too.
pub fn role_column(roles: &[Role]) -> Vec<Option<String>> {
    let mut out: Vec<Role> = roles.to_vec();
    if out.contains(&Role::Admin) && !out.contains(&Role::Reviewer) {
        out.push(Role::Reviewer);
    }
    out.sort_by_key(|r| r.as_str());
    out.dedup();
    out.into_iter().map(|r| Some(r.as_str().to_owned())).collect()
}

/// Creates a staff account with `roles`, or gives an existing account those roles.
/// `password` must already satisfy the policy.
pub async fn create_staff(
    conn: &mut AsyncPgConnection,
    email: &Email,
    roles: &[Role],
    password_hash: &str,
) -> QueryResult<StaffOutcome> {
    let column = role_column(roles);
    let existing: Option<Uuid> =
        users::table.filter(users::email.eq(email.as_str())).select(users::id).first(conn).await.optional()?;
    let outcome = if let Some(id) = existing {
        diesel::update(users::table.find(id)).set(users::roles.eq(&column)).execute(conn).await?;
        StaffOutcome::Updated(id)
    } else {
        let id = Uuid::now_v7();
        diesel::insert_into(users::table)
            .values((
                users::id.eq(id),
                users::email.eq(email.as_str()),
                users::password_hash.eq(password_hash),
                users::roles.eq(&column),
            ))
            .execute(conn)
            .await?;
        StaffOutcome::Created(id)
    };
    let id = match outcome {
        StaffOutcome::Created(id) | StaffOutcome::Updated(id) => id,
    };
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    audit::record(
        conn,
        AuditEvent::new(None, "user.roles_set_by_cli", "user", id).details(serde_json::json!({ "roles": names })),
    )
    .await?;
    Ok(outcome)
}

/// Checks the policy and hashes, off the async runtime.
pub async fn hash_new_password(password: String, email: &Email) -> anyhow::Result<String> {
    password::check_policy(&password, email.as_str()).map_err(|e| anyhow::anyhow!("password: {}", e.message))?;
    tokio::task::spawn_blocking(move || password::hash(&password)).await?
}
