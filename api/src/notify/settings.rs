//! The applicant's notification settings: language, phone number and channel switches.
//! `GET`/`PUT /api/v1/notification-settings`. The phone number is validated as E.164 at
//! entry (also when given with the personal information) and stored sealed.

use actix_web::{HttpRequest, get, put, web};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::Language;
use super::outbox::phone_context;
use crate::app::AppState;
use crate::audit::{self, AuditEvent};
use crate::auth::AuthUser;
use crate::db::schema::applicants;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::pii::PiiCipher;
use crate::telemetry::request_id;

/// A phone number in international form, normalised to E.164 (`+4915123456789`). Spaces,
/// hyphens, dots and brackets are ignored.
pub fn parse_phone(field: &str, raw: &str) -> Result<String, FieldError> {
    let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}')).collect();
    let invalid = || {
        FieldError::new(
            field,
            "invalid_phone",
            "Enter a mobile number in international format: + and the country code, e.g. +49 151 23456789.",
        )
    };
    if !compact.starts_with('+') || compact.len() > 16 || !compact[1..].chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid());
    }
    let number = phonenumber::parse(None, &compact).map_err(|_| invalid())?;
    if !phonenumber::is_valid(&number) {
        return Err(invalid());
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

/// Stores the applicant's phone number, sealed (None removes it).
pub async fn save_phone(
    conn: &mut AsyncPgConnection,
    pii: &PiiCipher,
    applicant: Uuid,
    phone: Option<&str>,
) -> ApiResult<()> {
    let sealed = match phone {
        Some(p) => Some(pii.seal(&phone_context(applicant), p).map_err(ApiError::internal)?),
        None => None,
    };
    diesel::update(applicants::table.find(applicant)).set(applicants::phone_sealed.eq(sealed)).execute(conn).await?;
    Ok(())
}

/// The supported language a request's `Accept-Language` asks for.
pub fn requested_language(req: &HttpRequest) -> Option<Language> {
    req.headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language)
}

/// Until the applicant chooses a language, the one their browser or app asks for is kept.
pub async fn remember_language(
    conn: &mut AsyncPgConnection,
    applicant: Uuid,
    requested: Option<Language>,
) -> QueryResult<()> {
    let Some(lang) = requested else { return Ok(()) };
    diesel::update(applicants::table.find(applicant).filter(applicants::language.is_null()))
        .set(applicants::language.eq(lang.as_str()))
        .execute(conn)
        .await?;
    Ok(())
}

/// How the applicant hears about their verification.
#[derive(Serialize, ToSchema)]
pub struct NotificationSettings {
    /// The language of email and SMS; null until chosen (the browser's language is used).
    pub language: Option<Language>,
    /// E.164; the owner's own number.
    pub phone: Option<String>,
    pub email_enabled: bool,
    pub sms_enabled: bool,
    /// Whether SMS will actually be sent: a number is on file and SMS is on.
    pub sms_active: bool,
}

/// Any subset; absent fields stay as they are.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettingsInput {
    /// `en`, `zh-CN` or `es`.
    #[schema(example = "es")]
    pub language: Option<String>,
    /// A mobile number in international format; an empty string removes it.
    #[schema(example = "+49 151 23456789")]
    pub phone: Option<String>,
    pub email_enabled: Option<bool>,
    pub sms_enabled: Option<bool>,
}

async fn load(state: &AppState, conn: &mut AsyncPgConnection, applicant: Uuid) -> ApiResult<NotificationSettings> {
    let (language, phone, email_enabled, sms_enabled): (Option<String>, Option<String>, bool, bool) = applicants::table
        .find(applicant)
        .select((applicants::language, applicants::phone_sealed, applicants::email_enabled, applicants::sms_enabled))
        .first(conn)
        .await?;
    let phone = phone.and_then(|p| state.pii.open(&phone_context(applicant), &p).ok());
    Ok(NotificationSettings {
        language: language.as_deref().and_then(Language::parse),
        sms_active: sms_enabled && phone.is_some(),
        phone,
        email_enabled,
        sms_enabled,
    })
}

/// The caller's notification settings.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    responses((status = 200, description = "The settings", body = NotificationSettings))
)]
#[get("/notification-settings")]
pub async fn get_settings(state: web::Data<AppState>, user: AuthUser) -> ApiResult<web::Json<NotificationSettings>> {
    let mut conn = state.db.get().await?;
    let applicant = crate::verification::service::applicant_for(&mut conn, user.id).await?;
    Ok(web::Json(load(&state, &mut conn, applicant).await?))
}

/// Change the language, the phone number, or turn a channel on or off.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    request_body = NotificationSettingsInput,
    responses(
        (status = 200, description = "Saved", body = NotificationSettings),
        (status = 422, description = "`validation_failed`: `phone` (`invalid_phone`), `language` (`unsupported_language`)", body = ErrorBody),
    )
)]
#[put("/notification-settings")]
pub async fn put_settings(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    body: web::Json<NotificationSettingsInput>,
) -> ApiResult<web::Json<NotificationSettings>> {
    let input = body.into_inner();
    let mut errors = Vec::new();
    let language = match input.language.as_deref() {
        None => None,
        Some(raw) => match Language::parse(raw) {
            Some(l) => Some(l),
            None => {
                errors.push(FieldError::new("language", "unsupported_language", "Choose en, zh-CN or es."));
                None
            }
        },
    };
    // Some(None) removes the number.
    let phone = match input.phone.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(raw) => match parse_phone("phone", raw) {
            Ok(p) => Some(Some(p)),
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let mut conn = state.db.get().await?;
    let applicant = crate::verification::service::applicant_for(&mut conn, user.id).await?;
    if let Some(phone) = &phone {
        save_phone(&mut conn, &state.pii, applicant, phone.as_deref()).await?;
    }
    if let Some(l) = language {
        diesel::update(applicants::table.find(applicant))
            .set(applicants::language.eq(l.as_str()))
            .execute(&mut conn)
            .await?;
    }
    if let Some(on) = input.email_enabled {
        diesel::update(applicants::table.find(applicant))
            .set(applicants::email_enabled.eq(on))
            .execute(&mut conn)
            .await?;
    }
    if let Some(on) = input.sms_enabled {
        diesel::update(applicants::table.find(applicant))
            .set(applicants::sms_enabled.eq(on))
            .execute(&mut conn)
            .await?;
    }
    audit::record(
        &mut conn,
        AuditEvent::new(Some(user.id), "notification_settings.changed", "applicant", applicant)
            .request(request_id(&req).as_deref())
            .details(serde_json::json!({
                "language": language.map(Language::as_str),
                "phone_changed": phone.is_some(),
                "email_enabled": input.email_enabled,
                "sms_enabled": input.sms_enabled,
            })),
    )
    .await?;
    Ok(web::Json(load(&state, &mut conn, applicant).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(get_settings).service(put_settings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised_to_e164_or_refused() {
        assert_eq!(parse_phone("phone", "+49 151 2345 6789").unwrap(), "+4915123456789");
        assert_eq!(parse_phone("phone", "+1 (201) 555-0123").unwrap(), "+12015550123");
        assert_eq!(parse_phone("phone", "+86 138 0013 8000").unwrap(), "+8613800138000");
        for bad in [
            "0151 23456789",
            "+49 1",
            "+1 555",
            "+999 123456789",
            "+49abc",
            "",
            "++4915123456789",
            "+4915123456789012345",
        ] {
            let e = parse_phone("phone", bad).unwrap_err();
            assert_eq!((e.field.as_str(), e.code.as_str()), ("phone", "invalid_phone"), "{bad}");
        }
    }
}
