//! `/api/v1/admin/*`: account administration (admin role only).

use actix_web::{get, put, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::AppState;
use crate::audit::{self, AuditEvent};
use crate::auth::model::UserRow;
use crate::auth::{Admin, Role};
use crate::db::schema::users;
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode, FieldError};
use crate::telemetry::request_id;

#[derive(Serialize, ToSchema)]
pub struct UserSummary {
    pub id: Uuid,
    pub email: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

impl From<UserRow> for UserSummary {
    fn from(u: UserRow) -> Self {
        Self { id: u.id, roles: u.roles(), email: u.email, disabled: u.disabled_at.is_some(), created_at: u.created_at }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Opaque cursor from the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 50).
    pub limit: Option<u32>,
}

fn decode_cursor(cursor: &str) -> Option<Uuid> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    Uuid::from_slice(&bytes).ok()
}

/// Accounts, oldest first, with cursor pagination.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "One page of accounts", body = UserPage),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`forbidden`: admins only", body = ErrorBody),
    )
)]
#[get("/admin/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    _admin: Admin,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<UserPage>> {
    let limit = i64::from(query.limit.unwrap_or(50));
    if !(1..=100).contains(&limit) {
        return Err(ApiError::field(
            ErrorCode::InvalidParameter,
            "A query parameter is not valid.",
            FieldError::new("limit", "out_of_range", "limit must be between 1 and 100"),
        ));
    }
    let after = match query.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => Some(decode_cursor(c).ok_or_else(|| {
            ApiError::field(
                ErrorCode::InvalidParameter,
                "A query parameter is not valid.",
                FieldError::new("cursor", "invalid_format", "use next_cursor from the previous page"),
            )
        })?),
    };
    let mut conn = state.db.get().await?;
    let mut q = users::table.select(UserRow::as_select()).order(users::id.asc()).limit(limit + 1).into_boxed();
    if let Some(after) = after {
        q = q.filter(users::id.gt(after));
    }
    let mut rows: Vec<UserRow> = q.load(&mut conn).await?;
    let next_cursor = if rows.len() > usize::try_from(limit).unwrap_or(50) {
        rows.truncate(usize::try_from(limit).unwrap_or(50));
        rows.last().map(|u| URL_SAFE_NO_PAD.encode(u.id.as_bytes()))
    } else {
        None
    };
    Ok(web::Json(UserPage { items: rows.into_iter().map(UserSummary::from).collect(), next_cursor }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRoles {
    /// The complete new set; `admin` implies `reviewer`.
    pub roles: Vec<Role>,
}

/// Replace an account's roles.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Account id")),
    request_body = SetRoles,
    responses(
        (status = 200, description = "The account with its new roles", body = UserSummary),
        (status = 403, description = "`forbidden`: admins only", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[put("/admin/users/{id}/roles")]
pub async fn set_roles(
    state: web::Data<AppState>,
    admin: Admin,
    req: actix_web::HttpRequest,
    path: web::Path<Uuid>,
    body: web::Json<SetRoles>,
) -> ApiResult<web::Json<UserSummary>> {
    let id = path.into_inner();
    if body.roles.is_empty() {
        return Err(ApiError::validation(vec![FieldError::new("roles", "required", "Give at least one role.")]));
    }
    if id == admin.0.id && !body.roles.contains(&Role::Admin) {
        return Err(ApiError::validation(vec![FieldError::new(
            "roles",
            "cannot_demote_self",
            "You cannot remove your own admin role.",
        )]));
    }
    let column = super::role_column(&body.roles);
    let rid = request_id(&req);
    let mut conn = state.db.get().await?;
    let row = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            let row: UserRow = diesel::update(users::table.find(id))
                .set(users::roles.eq(&column))
                .returning(UserRow::as_returning())
                .get_result(conn)
                .await?;
            let names: Vec<&str> = row.roles().iter().map(|r| r.as_str()).collect();
            audit::record(
                conn,
                AuditEvent::new(Some(admin.0.id), "user.roles_set", "user", id)
                    .request(rid.as_deref())
                    .details(serde_json::json!({ "roles": names })),
            )
            .await?;
            Ok(row)
        })
        .await?;
    Ok(web::Json(UserSummary::from(row)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(list_users).service(set_roles);
}
