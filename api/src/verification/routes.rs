//! `/api/v1/verifications/*`: the applicant's journey. Every handler loads the verification
//! through `service::load_owned`, so another applicant's id answers 404.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::domain::{self, Status, StepStatus, TransitionError, transition};
use super::json::{StartVerification, UploadResult, VerificationView};
use super::model::{Decision, VerificationRow};
use super::personal::{self, PersonalInfoInput};
use super::quality::ImageKind;
use super::{images, service, upload};
use crate::app::AppState;
use crate::audit::{self, AuditEvent};
use crate::auth::AuthUser;
use crate::catalogue::StepKind;
use crate::db::schema::{document_images, image_faces, refused_images, verification_attempts, verifications};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode, FieldError};
use crate::handoff::Caller;
use crate::telemetry::request_id;
use crate::{idempotency, jobs};

fn to_json<T: serde::Serialize>(v: &T) -> ApiResult<serde_json::Value> {
    serde_json::to_value(v).map_err(ApiError::internal)
}

/// Start a verification (one active at a time).
#[utoipa::path(
    tag = "verifications",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for the same key and body")),
    request_body(content = StartVerification, description = "Optional; `{}` starts at the default level"),
    responses(
        (status = 201, description = "Started", body = VerificationView),
        (status = 409, description = "`verification_exists`: finish or retry the active one", body = ErrorBody),
        (status = 422, description = "`validation_failed` (unknown level) or `idempotency_key_reused`", body = ErrorBody),
    )
)]
#[post("/verifications")]
pub async fn start(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    body: Option<web::Json<StartVerification>>,
) -> ApiResult<HttpResponse> {
    let level_name =
        body.and_then(|b| b.into_inner().level).unwrap_or_else(|| state.catalogue.default_level().to_owned());
    let hash = idempotency::request_hash("start", level_name.as_bytes());
    idempotency::run(&state.db, &req, user.id, hash, async {
        let level = state.catalogue.level(&level_name).ok_or_else(|| {
            ApiError::validation(vec![FieldError::new(
                "level",
                "unknown_level",
                "No level of that name (see /levels).",
            )])
        })?;
        let mut conn = state.db.get().await?;
        let applicant = service::applicant_for(&mut conn, user.id).await?;
        let id = Uuid::now_v7();
        let steps = domain::initial_steps(&level.steps);
        let rid = request_id(&req);
        let inserted = conn
            .transaction::<_, diesel::result::Error, _>(async |conn| {
                let n = diesel::insert_into(verifications::table)
                    .values((
                        verifications::id.eq(id),
                        verifications::applicant_id.eq(applicant),
                        verifications::level.eq(&level.name),
                        verifications::steps.eq(service::steps_json(&steps)),
                    ))
                    .on_conflict_do_nothing()
                    .execute(conn)
                    .await?;
                if n == 1 {
                    audit::record(
                        conn,
                        AuditEvent::new(Some(user.id), "verification.started", "verification", id)
                            .request(rid.as_deref())
                            .details(serde_json::json!({ "level": level.name })),
                    )
                    .await?;
                }
                Ok(n == 1)
            })
            .await?;
        if !inserted {
            return Err(ApiError::new(
                ErrorCode::VerificationExists,
                "You already have a verification in progress; continue it (GET /verifications/current).",
            ));
        }
        let row = service::load(&mut conn, id).await?;
        Ok((StatusCode::CREATED, to_json(&service::view(&state, &mut conn, &row).await?)?))
    })
    .await
}

/// The caller's latest verification: everything needed to draw the wizard.
#[utoipa::path(
    tag = "verifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The latest verification", body = VerificationView),
        (status = 404, description = "`not_found`: none started yet", body = ErrorBody),
    )
)]
#[get("/verifications/current")]
pub async fn current(state: web::Data<AppState>, user: AuthUser) -> ApiResult<web::Json<VerificationView>> {
    let mut conn = state.db.get().await?;
    let row = service::latest_for(&mut conn, user.id).await?.ok_or_else(ApiError::not_found)?;
    Ok(web::Json(service::view(&state, &mut conn, &row).await?))
}

/// One of the caller's verifications.
#[utoipa::path(
    tag = "verifications",
    security(("bearer" = []), ("capture" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The verification (without `personal_info` for a phone's capture session)", body = VerificationView), (status = 404, description = "`not_found`", body = ErrorBody))
)]
#[get("/verifications/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<VerificationView>> {
    let mut conn = state.db.get().await?;
    let (row, who) = caller.authorize(&mut conn, id.into_inner()).await?;
    Ok(web::Json(who.redact(service::view(&state, &mut conn, &row).await?)))
}

fn locked_changes(
    reopened: &[String],
    old: Option<&personal::PersonalInfo>,
    new: &personal::PersonalInfo,
) -> Vec<FieldError> {
    let Some(old) = old else { return Vec::new() };
    if reopened.is_empty() {
        return Vec::new();
    }
    let as_map = |p: &personal::PersonalInfo| {
        let mut m: std::collections::BTreeMap<&'static str, String> = p.sealed_values().into_iter().collect();
        m.insert("issuing_country", p.issuing_country.clone());
        m.insert("document_type", p.document_type.as_str().to_owned());
        m
    };
    let (a, b) = (as_map(old), as_map(new));
    let mut fields: Vec<&str> = a.keys().chain(b.keys()).copied().collect();
    fields.sort_unstable();
    fields.dedup();
    fields
        .into_iter()
        .filter(|f| a.get(f) != b.get(f))
        .filter(|f| !reopened.iter().any(|r| r == f || r.starts_with(&format!("{f}."))))
        .map(|f| FieldError::new(f, "locked", "This was accepted and cannot change in this attempt."))
        .collect()
}

/// Enter or correct personal information, as printed on the document.
#[utoipa::path(
    tag = "verifications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = PersonalInfoInput,
    responses(
        (status = 200, description = "Saved", body = VerificationView),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`verification_closed` or `invalid_state`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: every field problem at once", body = ErrorBody),
    )
)]
#[put("/verifications/{id}/personal-info")]
pub async fn put_personal_info(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<PersonalInfoInput>,
) -> ApiResult<web::Json<VerificationView>> {
    let mut conn = state.db.get().await?;
    let row = service::load_owned(&mut conn, user.id, id.into_inner()).await?;
    service::ensure_editable(&row)?;
    let mut steps = row.steps();
    if !domain::step_open(&steps, StepKind::PersonalInfo) {
        return Err(ApiError::new(ErrorCode::InvalidState, "Your personal information was accepted and is locked."));
    }
    let level =
        state.catalogue.level(&row.level).ok_or_else(|| ApiError::internal(anyhow::anyhow!("unknown level")))?;
    let info =
        personal::parse(&body, &state.catalogue, level, Utc::now().date_naive()).map_err(ApiError::validation)?;
    let reopened = steps.get(StepKind::PersonalInfo.as_str()).map(|s| s.field_paths.clone()).unwrap_or_default();
    let locked = locked_changes(&reopened, service::stored_info(&state.pii, &row).as_ref(), &info);
    if !locked.is_empty() {
        return Err(ApiError::validation(locked));
    }
    let mut sealed = serde_json::Map::new();
    for (field, value) in info.sealed_values() {
        let s = state.pii.seal(&format!("{}/{field}", row.id), &value).map_err(ApiError::internal)?;
        sealed.insert(field.to_owned(), serde_json::Value::String(s));
    }
    let blind = state.pii.blind_index(&format!(
        "{}:{}:{}",
        info.issuing_country,
        info.document_type.as_str(),
        info.document_number
    ));
    let doc_changed = row.issuing_country.as_deref() != Some(info.issuing_country.as_str())
        || row.document_type.as_deref() != Some(info.document_type.as_str());
    if let Some(s) = steps.get_mut(StepKind::PersonalInfo.as_str()) {
        s.status = StepStatus::Complete;
        s.field_paths.clear();
    }
    let required = service::required_sides(Some((&info.issuing_country, info.document_type)), &state);
    let images = service::current_images(&mut conn, row.id).await?;
    // Photos of another document are of no use any more.
    let stale: Vec<_> =
        if doc_changed { images.iter().filter(|i| i.kind != "selfie").cloned().collect() } else { Vec::new() };
    let present: Vec<ImageKind> = images
        .iter()
        .filter(|i| !stale.iter().any(|s| s.id == i.id))
        .filter_map(|i| ImageKind::parse(&i.kind))
        .collect();
    service::document_step(&mut steps, &required, &present);
    let rid = request_id(&req);
    let vid = row.id;
    let kid = state.pii.current_kid().to_owned();
    let stale_ids: Vec<Uuid> = stale.iter().map(|s| s.id).collect();
    // The phone number belongs to the applicant's notification settings, not to the sealed
    // document data: it is sealed for the applicant and stays across verifications.
    let phone_sealed = match &info.phone {
        Some(p) => Some(
            state.pii.seal(&crate::notify::outbox::phone_context(row.applicant_id), p).map_err(ApiError::internal)?,
        ),
        None => None,
    };
    let applicant = row.applicant_id;
    conn.transaction::<_, diesel::result::Error, _>(async |conn| {
        if let Some(sealed) = &phone_sealed {
            diesel::update(crate::db::schema::applicants::table.find(applicant))
                .set(crate::db::schema::applicants::phone_sealed.eq(sealed))
                .execute(conn)
                .await?;
        }
        diesel::update(verifications::table.find(vid).filter(verifications::status.eq(Status::Draft.as_str())))
            .set((
                verifications::pii.eq(serde_json::Value::Object(sealed)),
                verifications::pii_key_id.eq(&kid),
                verifications::issuing_country.eq(&info.issuing_country),
                verifications::document_type.eq(info.document_type.as_str()),
                verifications::document_number_hash.eq(&blind),
                verifications::steps.eq(service::steps_json(&steps)),
            ))
            .execute(conn)
            .await?;
        if !stale_ids.is_empty() {
            diesel::update(document_images::table.filter(document_images::id.eq_any(&stale_ids)))
                .set(document_images::replaced_at.eq(Utc::now()))
                .execute(conn)
                .await?;
        }
        audit::record(
            conn,
            AuditEvent::new(Some(user.id), "verification.personal_info_saved", "verification", vid)
                .request(rid.as_deref()),
        )
        .await
    })
    .await?;
    for s in &stale {
        if let Err(e) = state.storage.delete(&s.storage_key).await {
            tracing::warn!(verification.id = %vid, error = format!("{e:#}"), "could not delete a replaced image");
        }
    }
    let row = service::load(&mut conn, vid).await?;
    Ok(web::Json(service::view(&state, &mut conn, &row).await?))
}

async fn store_image(
    state: &AppState,
    req: &HttpRequest,
    caller: &Caller,
    vid: Uuid,
    kind: ImageKind,
    bytes: Vec<u8>,
) -> ApiResult<(StatusCode, serde_json::Value)> {
    let mut conn = state.db.get().await?;
    let (row, user) = caller.authorize(&mut conn, vid).await?;
    service::ensure_editable(&row)?;
    let mut steps = row.steps();
    let step = if kind == ImageKind::Selfie { StepKind::Selfie } else { StepKind::Document };
    if !domain::step_open(&steps, step) {
        return Err(ApiError::new(ErrorCode::InvalidState, "This step was accepted and is locked."));
    }
    let path = format!("images.{}", kind.as_str());
    let reopened = steps.get(step.as_str()).map(|s| s.field_paths.clone()).unwrap_or_default();
    if row.attempt > 1 && !reopened.is_empty() && !reopened.contains(&path) {
        return Err(ApiError::validation(vec![FieldError::new(
            "side",
            "locked",
            "This photo was accepted; only the flagged photos can be replaced.",
        )]));
    }
    let doc = match (
        row.issuing_country.as_deref(),
        row.document_type.as_deref().and_then(crate::catalogue::DocumentType::parse),
    ) {
        (Some(c), Some(t)) => Some((c, t)),
        _ => None,
    };
    if step == StepKind::Document {
        if doc.is_none() {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                "Enter your personal information (the document type) first.",
            ));
        }
        if !service::required_sides(doc, state).contains(&kind) {
            return Err(ApiError::validation(vec![FieldError::new(
                "side",
                "no_back_side",
                "This document has no back side to photograph.",
            )]));
        }
    }
    let upload_sha = images::sha256(&bytes);
    // The same bytes that were refused before get the same answer, without new analysis.
    let refused: Option<serde_json::Value> = refused_images::table
        .find((vid, kind.as_str(), &upload_sha))
        .select(refused_images::reasons)
        .first(&mut conn)
        .await
        .optional()?;
    if let Some(reasons) = refused {
        return Err(quality_refusal(serde_json::from_value(reasons).unwrap_or_default()));
    }
    let max_pixels = state.config.verification.max_image_pixels;
    let gate = state.quality.clone();
    let slot = state.image_slots.clone().acquire_owned().await.map_err(ApiError::internal)?;
    // The gate first, on a reduced decode (a JPEG at a DCT scale): an unusable photo is
    // refused before the full-size decode and re-encode that only a kept photo needs.
    let (report, processed) = web::block(move || {
        images::inspect(&bytes, max_pixels)?;
        let report = gate.assess(kind, &bytes, max_pixels)?;
        let processed = if report.accepted { Some(images::process(&bytes, max_pixels)?) } else { None };
        Ok::<_, FieldError>((report, processed))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|f| ApiError::validation(vec![f]))?;
    drop(slot);
    let Some(processed) = processed else {
        return Err(refuse(&mut conn, vid, kind, &upload_sha, report.reasons).await);
    };
    let spec = doc.and_then(|(c, t)| state.catalogue.document(c, t)).cloned();
    // Loaded on first use; a missing model answers 503 before any work is done.
    let engine = if super::face::applies(kind) { Some(state.faces.for_request().await?) } else { None };
    let slot = state.image_slots.clone().acquire_owned().await.map_err(ApiError::internal)?;
    // The face step, then machine reading: CPU-bound, off the async runtime.
    let (processed, mut report, extraction, face) = web::block(move || {
        let mut report = report;
        let face = match &engine {
            Some(engine) => match super::face::check(engine, kind, &processed.image, report.corners) {
                Ok(found) => Some(found),
                Err(reasons) => {
                    report.accepted = false;
                    report.reasons.extend(reasons);
                    None
                }
            },
            None => None,
        };
        let extraction = match (&spec, report.accepted, kind) {
            (Some(spec), true, ImageKind::Front | ImageKind::Back) => {
                Some(super::extract::extract(&processed.image, report.corners, spec, kind))
            }
            _ => None,
        };
        (processed, report, extraction, face)
    })
    .await
    .map_err(ApiError::internal)?;
    drop(slot);
    if !report.accepted {
        return Err(refuse(&mut conn, vid, kind, &upload_sha, report.reasons).await);
    }
    let image_id = Uuid::now_v7();
    let key = format!("images/{vid}/{image_id}.jpg");
    state
        .storage
        .put(&key, processed.jpeg.clone(), "image/jpeg")
        .await
        .map_err(|e| ApiError::unavailable("object_storage", e))?;
    let old = service::current_images(&mut conn, vid).await?.into_iter().find(|i| i.kind == kind.as_str());
    if let Some(s) = steps.get_mut(step.as_str()) {
        s.field_paths.retain(|p| p != &path);
    }
    let mut present: Vec<ImageKind> =
        service::current_images(&mut conn, vid).await?.iter().filter_map(|i| ImageKind::parse(&i.kind)).collect();
    present.push(kind);
    if step == StepKind::Document {
        service::document_step(&mut steps, &service::required_sides(doc, state), &present);
    } else if let Some(s) = steps.get_mut(step.as_str())
        && s.field_paths.is_empty()
    {
        s.status = StepStatus::Complete;
    }
    // Liveness is proven against the selfie: a new selfie needs a new liveness check.
    if kind == ImageKind::Selfie
        && let Some(l) = steps.get_mut(StepKind::Liveness.as_str())
        && l.status == StepStatus::Complete
    {
        l.status = StepStatus::NotStarted;
    }
    if let Some(f) = &face {
        report.checks["face"] = f.summary.clone();
    }
    let quality = to_json(&report)?;
    let face_summary = face.as_ref().map(|f| f.summary.clone());
    let face_sealed = match &face {
        Some(f) => Some(super::face::seal_embedding(&state.pii, image_id, &f.embedding).map_err(ApiError::internal)?),
        None => None,
    };
    let summary = extraction.as_ref().map_or_else(|| serde_json::json!({}), |e| e.summary.clone());
    let sealed = match extraction.and_then(|e| e.fields) {
        Some(fields) => {
            Some(state.pii.seal(&format!("{image_id}/extracted"), &fields.to_string()).map_err(ApiError::internal)?)
        }
        None => None,
    };
    let (w, h) = (processed.image.width(), processed.image.height());
    let size = i32::try_from(processed.jpeg.len()).unwrap_or(i32::MAX);
    let old_id = old.as_ref().map(|o| o.id);
    let rid = request_id(req);
    let attempt = row.attempt;
    let saved = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            if let Some(old_id) = old_id {
                diesel::update(document_images::table.find(old_id))
                    .set(document_images::replaced_at.eq(Utc::now()))
                    .execute(conn)
                    .await?;
            }
            diesel::insert_into(document_images::table)
                .values((
                    document_images::id.eq(image_id),
                    document_images::verification_id.eq(vid),
                    document_images::attempt.eq(attempt),
                    document_images::kind.eq(kind.as_str()),
                    document_images::storage_key.eq(&key),
                    document_images::upload_sha256.eq(&processed.upload_sha256),
                    document_images::stored_sha256.eq(&processed.stored_sha256),
                    document_images::content_type.eq("image/jpeg"),
                    document_images::byte_size.eq(size),
                    document_images::width.eq(i32::try_from(w).unwrap_or(0)),
                    document_images::height.eq(i32::try_from(h).unwrap_or(0)),
                    document_images::quality.eq(&quality),
                    document_images::extraction.eq(&summary),
                    document_images::extracted_sealed.eq(&sealed),
                ))
                .execute(conn)
                .await?;
            if let (Some(summary), Some(sealed)) = (&face_summary, &face_sealed) {
                diesel::insert_into(image_faces::table)
                    .values((
                        image_faces::image_id.eq(image_id),
                        image_faces::summary.eq(summary),
                        image_faces::embedding_sealed.eq(sealed),
                    ))
                    .execute(conn)
                    .await?;
            }
            let n =
                diesel::update(verifications::table.find(vid).filter(verifications::status.eq(Status::Draft.as_str())))
                    .set(verifications::steps.eq(service::steps_json(&steps)))
                    .execute(conn)
                    .await?;
            if n == 0 {
                return Err(diesel::result::Error::RollbackTransaction);
            }
            audit::record(
                conn,
                AuditEvent::new(Some(user.user_id), "verification.image_stored", "verification", vid)
                    .request(rid.as_deref())
                    .details(serde_json::json!({ "kind": kind.as_str(), "image": image_id, "handoff": user.handoff })),
            )
            .await
        })
        .await;
    if let Err(e) = saved {
        // Nothing half-stored: the new object goes if its row did not make it.
        let _ = state.storage.delete(&key).await;
        return Err(match e {
            diesel::result::Error::RollbackTransaction => {
                ApiError::new(ErrorCode::Conflict, "The verification changed at the same time; reload and try again.")
            }
            other => other.into(),
        });
    }
    if let Some(old) = old
        && let Err(e) = state.storage.delete(&old.storage_key).await
    {
        tracing::warn!(verification.id = %vid, error = format!("{e:#}"), "could not delete a replaced image");
    }
    let row = service::load(&mut conn, vid).await?;
    let view = user.redact(service::view(state, &mut conn, &row).await?);
    let image = super::json::ImageView {
        kind,
        width: i32::try_from(w).unwrap_or(0),
        height: i32::try_from(h).unwrap_or(0),
        byte_size: size,
        attempt,
        uploaded_at: Utc::now(),
    };
    Ok((StatusCode::CREATED, to_json(&UploadResult { image, verification: view })?))
}

/// Reads the upload and stores it at most once per Idempotency-Key.
async fn receive(
    state: &AppState,
    req: &HttpRequest,
    caller: &Caller,
    vid: Uuid,
    kind: ImageKind,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let bytes = upload::read_file(req, payload, state.config.verification.max_upload_bytes).await?;
    let mut conn = state.db.get().await?;
    // Authorised before the idempotency record, which is keyed by the owner's account.
    let owner = caller.authorize(&mut conn, vid).await?.1.user_id;
    drop(conn);
    let hash = idempotency::request_hash(&format!("image:{vid}:{}", kind.as_str()), &bytes);
    idempotency::run(&state.db, req, owner, hash, store_image(state, req, caller, vid, kind, bytes)).await
}

/// Remembers a refused upload (the same bytes then get the same answer without new analysis)
/// and builds the 422.
async fn refuse(
    conn: &mut AsyncPgConnection,
    vid: Uuid,
    kind: ImageKind,
    upload_sha: &[u8],
    reasons: Vec<super::quality::QualityReason>,
) -> ApiError {
    let json = match to_json(&reasons) {
        Ok(json) => json,
        Err(e) => return e,
    };
    let remembered = diesel::insert_into(refused_images::table)
        .values((
            refused_images::verification_id.eq(vid),
            refused_images::upload_sha256.eq(upload_sha),
            refused_images::kind.eq(kind.as_str()),
            refused_images::reasons.eq(json),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await;
    match remembered {
        Ok(_) => quality_refusal(reasons),
        Err(e) => e.into(),
    }
}

fn quality_refusal(reasons: Vec<super::quality::QualityReason>) -> ApiError {
    let fields = reasons.into_iter().map(|r| FieldError::new("file", r.code, r.hint)).collect();
    let mut e = ApiError::validation(fields);
    e = e.with_message("The photo cannot be used; see the reasons and retake it.");
    e
}

/// Upload the front or back of the document (`multipart/form-data`, part `file`; JPEG, PNG
/// or WebP up to 10 MB). The image is re-encoded without metadata before it is stored.
#[utoipa::path(
    tag = "verifications",
    security(("bearer" = []), ("capture" = [])),
    params(
        ("id" = Uuid, Path),
        ("side" = String, Path, description = "`front` or `back`"),
        ("Idempotency-Key" = Option<String>, Header),
    ),
    request_body(content_type = "multipart/form-data", description = "A part named `file` with the image"),
    responses(
        (status = 201, description = "Stored", body = UploadResult),
        (status = 409, description = "`verification_closed` or `invalid_state`", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not multipart", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `file` (`unsupported_type`, `corrupt_image`, `too_many_pixels`, `too_small`, `empty_file`, or a quality reason) or `side` (`no_back_side`, `locked`)", body = ErrorBody),
    )
)]
#[post("/verifications/{id}/documents/{side}")]
pub async fn upload_document(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(Uuid, String)>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let (vid, side) = path.into_inner();
    let kind = match ImageKind::parse(&side) {
        Some(k @ (ImageKind::Front | ImageKind::Back)) => k,
        _ => {
            return Err(ApiError::field(
                ErrorCode::InvalidParameter,
                "Unknown side.",
                FieldError::new("side", "invalid_format", "Use front or back."),
            ));
        }
    };
    receive(&state, &req, &caller, vid, kind, payload).await
}

/// Upload the selfie (`multipart/form-data`, part `file`).
#[utoipa::path(
    tag = "verifications",
    security(("bearer" = []), ("capture" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content_type = "multipart/form-data", description = "A part named `file` with the image"),
    responses(
        (status = 201, description = "Stored", body = UploadResult),
        (status = 409, description = "`verification_closed` or `invalid_state`", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/verifications/{id}/selfie")]
pub async fn upload_selfie(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    receive(&state, &req, &caller, id.into_inner(), ImageKind::Selfie, payload).await
}

/// Submit for checking, once every step is complete. The automated checks are queued in the
/// same transaction.
#[utoipa::path(
    tag = "verifications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "Submitted", body = VerificationView),
        (status = 409, description = "`invalid_state` (steps missing, listed in `fields`), `verification_closed`, `attempts_exhausted`, `idempotency_in_progress`", body = ErrorBody),
        (status = 422, description = "`idempotency_key_reused`", body = ErrorBody),
    )
)]
#[post("/verifications/{id}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let vid = id.into_inner();
    let hash = idempotency::request_hash(&format!("submit:{vid}"), b"");
    idempotency::run(&state.db, &req, user.id, hash, async {
        let mut conn = state.db.get().await?;
        let row = service::load_owned(&mut conn, user.id, vid).await?;
        service::ensure_editable(&row)?;
        let steps = row.steps();
        let missing: Vec<FieldError> = steps
            .iter()
            .filter(|(_, s)| !matches!(s.status, StepStatus::Complete | StepStatus::Accepted))
            .map(|(name, _)| FieldError::new(name.clone(), "incomplete", "Complete this step first."))
            .collect();
        if !missing.is_empty() {
            let mut e = ApiError::new(ErrorCode::InvalidState, "Some steps are not complete.");
            for f in missing {
                e = e.push_field(f);
            }
            return Err(e);
        }
        service::ensure_attempts_left(&mut conn, vid, state.config.verification.max_attempts_per_day).await?;
        let rid = request_id(&req);
        let attempt = row.attempt;
        let applicant = row.applicant_id;
        let language = crate::notify::settings::requested_language(&req);
        conn.transaction::<_, TransitionError, _>(async |conn| {
            // The "submission received" message is written in the language the applicant uses.
            crate::notify::settings::remember_language(conn, applicant, language).await?;
            transition(conn, vid, Status::Draft, Status::Submitted, Some(user.id), rid.as_deref()).await?;
            diesel::update(verifications::table.find(vid))
                .set(verifications::submitted_at.eq(Utc::now()))
                .execute(conn)
                .await?;
            diesel::insert_into(verification_attempts::table)
                .values((verification_attempts::verification_id.eq(vid), verification_attempts::attempt.eq(attempt)))
                .execute(conn)
                .await?;
            jobs::enqueue(
                conn,
                service::PROCESS_JOB,
                serde_json::json!({ "verification_id": vid, "attempt": attempt }),
                Some(&format!("{}:{vid}:{attempt}", service::PROCESS_JOB)),
                Utc::now(),
            )
            .await?;
            Ok(())
        })
        .await
        .map_err(service::transition_error)?;
        let row = service::load(&mut conn, vid).await?;
        Ok((StatusCode::OK, to_json(&service::view(&state, &mut conn, &row).await?)?))
    })
    .await
}

/// After `action_required`: start the next attempt. Accepted steps stay accepted and locked;
/// only the flagged steps and fields reopen.
#[utoipa::path(
    tag = "verifications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "A new draft attempt", body = VerificationView),
        (status = 409, description = "`invalid_state` (nothing to retry), `verification_closed` (final), `attempts_exhausted`", body = ErrorBody),
    )
)]
#[post("/verifications/{id}/retry")]
pub async fn retry(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let vid = id.into_inner();
    let mut conn = state.db.get().await?;
    let attempt_now = service::load_owned(&mut conn, user.id, vid).await?.attempt;
    drop(conn);
    let hash = idempotency::request_hash(&format!("retry:{vid}:{attempt_now}"), b"");
    idempotency::run(&state.db, &req, user.id, hash, async {
        let mut conn = state.db.get().await?;
        let row: VerificationRow = service::load_owned(&mut conn, user.id, vid).await?;
        match row.status() {
            Status::ActionRequired => {}
            s if s.is_closed() => {
                return Err(ApiError::new(ErrorCode::VerificationClosed, "This verification cannot be retried."));
            }
            _ => return Err(ApiError::new(ErrorCode::InvalidState, "There is nothing to retry.")),
        }
        service::ensure_attempts_left(&mut conn, vid, state.config.verification.max_attempts_per_day).await?;
        let decision: Option<Decision> = row.decision();
        let reasons = decision.map(|d| d.reasons).unwrap_or_default();
        let mut steps = row.steps();
        let sides = service::required_sides(
            match (
                row.issuing_country.as_deref(),
                row.document_type.as_deref().and_then(crate::catalogue::DocumentType::parse),
            ) {
                (Some(c), Some(t)) => Some((c, t)),
                _ => None,
            },
            &state,
        );
        // Liveness is proven against the selfie: a flagged selfie reopens it too.
        let selfie_flagged = reasons.iter().any(|r| r.step == StepKind::Selfie);
        for (name, s) in &mut steps {
            let flagged: Vec<&super::model::Reason> = reasons.iter().filter(|r| r.step.as_str() == name).collect();
            if flagged.is_empty() && !(selfie_flagged && name == StepKind::Liveness.as_str()) {
                s.status = StepStatus::Accepted;
                s.field_paths.clear();
                continue;
            }
            let mut paths: Vec<String> = flagged.iter().flat_map(|r| r.field_paths.clone()).collect();
            if paths.is_empty() && name == StepKind::Document.as_str() {
                paths = sides.iter().map(|k| format!("images.{}", k.as_str())).collect();
            }
            if paths.is_empty() && name == StepKind::Selfie.as_str() {
                paths = vec!["images.selfie".into()];
            }
            if paths.is_empty() && name == StepKind::Liveness.as_str() {
                paths = vec!["liveness".into()];
            }
            paths.sort();
            paths.dedup();
            s.status = StepStatus::NotStarted;
            s.field_paths = paths;
        }
        let rid = request_id(&req);
        conn.transaction::<_, TransitionError, _>(async |conn| {
            transition(conn, vid, Status::ActionRequired, Status::Draft, Some(user.id), rid.as_deref()).await?;
            diesel::update(verifications::table.find(vid))
                .set((
                    verifications::attempt.eq(row.attempt + 1),
                    verifications::steps.eq(service::steps_json(&steps)),
                    verifications::submitted_at.eq(None::<chrono::DateTime<Utc>>),
                ))
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
        .map_err(service::transition_error)?;
        let row = service::load(&mut conn, vid).await?;
        Ok((StatusCode::OK, to_json(&service::view(&state, &mut conn, &row).await?)?))
    })
    .await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(start)
        .service(current)
        .service(get_one)
        .service(put_personal_info)
        .service(upload_document)
        .service(upload_selfie)
        .service(submit)
        .service(retry);
}
