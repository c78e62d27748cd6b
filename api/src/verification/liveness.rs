//! Active liveness: `POST …/liveness/challenge` hands out a single-use nonce and a random
//! sequence of head movements; `POST …/liveness` takes the burst of frames the client captured
//! for it and checks them (one face per frame, the movements in order, the same person as the
//! selfie, frames not replayed). The judgement is `ekyc_face::liveness`; this module owns the
//! challenge lifecycle, the frames and the step.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use ekyc_face::liveness::{self, Action, FrameObservation, LivenessFailure, LivenessThresholds};
use ekyc_face::{Embedding, FaceEngine};
use image::imageops::FilterType;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::domain::{Status, StepStatus};
use super::json::VerificationView;
use super::{images, service, upload};
use crate::app::AppState;
use crate::audit::{self, AuditEvent};
use crate::catalogue::StepKind;
use crate::config::RateLimit;
use crate::db::schema::{document_images, image_faces, liveness_challenges, verifications};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode, FieldError};
use crate::handoff::Caller;
use crate::telemetry::request_id;

const MAX_FRAME_BYTES: usize = 2 * 1024 * 1024;
/// A frame larger than this (e.g. 4K) is refused; the web client sends 640 px wide.
const MAX_FRAME_PIXELS: u64 = 9_000_000;
/// A whole burst: ~40 camera frames of a few hundred KB fit easily.
const MAX_BURST_BYTES: usize = 24 * 1024 * 1024;
/// Challenges per verification per hour: enough for honest retries, not for probing.
const CHALLENGES_PER_HOUR: RateLimit = RateLimit { count: 10, window: std::time::Duration::from_secs(3600) };

#[derive(Serialize, ToSchema)]
pub struct ChallengeView {
    pub id: Uuid,
    /// Send it back with the frames; it works once.
    pub nonce: String,
    /// What to ask the person to do, in order. `turn_left` is the person's own left (in the
    /// unmirrored camera image their nose moves towards the right edge).
    #[schema(value_type = Vec<String>, example = json!(["turn_left", "move_closer"]))]
    pub actions: Vec<String>,
    pub expires_at: DateTime<Utc>,
    pub min_frames: usize,
    pub max_frames: usize,
    /// Largest accepted frame, bytes.
    pub max_frame_bytes: usize,
}

/// The JSON part (`challenge`) sent with the frames.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LivenessSubmission {
    pub challenge_id: Uuid,
    pub nonce: String,
    /// Capture time of each `frame` part, in order, milliseconds (any origin).
    pub captured_at_ms: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct LivenessResult {
    pub passed: bool,
    /// For each action, the frame where it was seen.
    pub seen_at: Vec<Option<usize>>,
    pub verification: VerificationView,
}

fn nonce_hash(nonce: &str) -> Vec<u8> {
    images::sha256(nonce.as_bytes())
}

/// Start a liveness challenge (after the selfie).
#[utoipa::path(
    operation_id = "liveness_challenge",
    tag = "verifications",
    security(("bearer" = []), ("capture" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 201, description = "The challenge", body = ChallengeView),
        (status = 409, description = "`invalid_state` (no liveness step, locked, or no selfie yet), `verification_closed`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    )
)]
#[post("/verifications/{id}/liveness/challenge")]
pub async fn challenge(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let vid = id.into_inner();
    let mut conn = state.db.get().await?;
    let (row, user) = caller.authorize(&mut conn, vid).await?;
    service::ensure_editable(&row)?;
    ensure_liveness_open(&row)?;
    if selfie_embedding(&state, &mut conn, vid).await?.is_none() {
        return Err(ApiError::field(
            ErrorCode::InvalidState,
            "Take the selfie first.",
            FieldError::new("selfie", "required", "The liveness check compares you with your selfie."),
        ));
    }
    crate::ratelimit::hit(&mut conn, &format!("liveness:{vid}"), CHALLENGES_PER_HOUR).await?;
    let mut seed = [0u8; 8];
    let mut nonce = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let actions = liveness::challenge_from(u64::from_le_bytes(seed));
    let nonce = URL_SAFE_NO_PAD.encode(nonce);
    let cid = Uuid::now_v7();
    let ttl = chrono::Duration::from_std(state.config.verification.faces.liveness_ttl).map_err(ApiError::internal)?;
    let expires_at = Utc::now() + ttl;
    let names: Vec<String> = actions.iter().map(|a| a.as_str().to_owned()).collect();
    let rid = request_id(&req);
    conn.transaction::<_, diesel::result::Error, _>(async |conn| {
        diesel::insert_into(liveness_challenges::table)
            .values((
                liveness_challenges::id.eq(cid),
                liveness_challenges::verification_id.eq(vid),
                liveness_challenges::attempt.eq(row.attempt),
                liveness_challenges::actions.eq(serde_json::json!(names)),
                liveness_challenges::nonce_hash.eq(nonce_hash(&nonce)),
                liveness_challenges::expires_at.eq(expires_at),
            ))
            .execute(conn)
            .await?;
        audit::record(
            conn,
            AuditEvent::new(Some(user.user_id), "verification.liveness_challenge", "verification", vid)
                .request(rid.as_deref())
                .details(serde_json::json!({ "challenge": cid })),
        )
        .await
    })
    .await?;
    let t = LivenessThresholds::default();
    Ok(HttpResponse::Created().json(ChallengeView {
        id: cid,
        nonce,
        actions: names,
        expires_at,
        min_frames: t.min_frames,
        max_frames: t.max_frames,
        max_frame_bytes: MAX_FRAME_BYTES,
    }))
}

/// Answer a challenge: `multipart/form-data` with a JSON part `challenge`
/// ([`LivenessSubmission`]) and the frames as parts named `frame`, in capture order.
#[utoipa::path(
    operation_id = "submit_liveness",
    tag = "verifications",
    security(("bearer" = []), ("capture" = [])),
    params(("id" = Uuid, Path)),
    request_body(content_type = "multipart/form-data", description = "A part `challenge` (JSON: challenge_id, nonce, captured_at_ms[]) and the `frame` parts (JPEG/PNG/WebP)"),
    responses(
        (status = 200, description = "Passed; the liveness step is complete", body = LivenessResult),
        (status = 409, description = "`challenge_invalid` (`challenge`: `unknown`, `used` or `expired`), `invalid_state`, `verification_closed`", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 422, description = "`liveness_failed` (`liveness`: the failure, e.g. `action_not_performed` naming the action) or `validation_failed` (`challenge`, `frame`)", body = ErrorBody),
    )
)]
#[post("/verifications/{id}/liveness")]
pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let vid = id.into_inner();
    let t = LivenessThresholds::default();
    // The (bounded) body is read before anything answers, so an early refusal never cuts a
    // client off mid-upload.
    let parts = upload::read_parts(&req, payload, MAX_BURST_BYTES, t.max_frames + 1).await?;
    let mut conn = state.db.get().await?;
    let (row, user) = caller.authorize(&mut conn, vid).await?;
    service::ensure_editable(&row)?;
    ensure_liveness_open(&row)?;
    let (meta, frames) = parse_parts(parts, &t)?;
    let actions = consume(&mut conn, vid, row.attempt, &meta).await?;
    let reference = selfie_embedding(&state, &mut conn, vid).await?;
    drop(conn);
    let engine = state.faces.for_request().await?;
    let slot = state.image_slots.clone().acquire_owned().await.map_err(ApiError::internal)?;
    // Camera frames, not photos: a burst of 40 full-size images would be a decoding bomb.
    let max_pixels = state.config.verification.max_image_pixels.min(MAX_FRAME_PIXELS);
    let times = meta.captured_at_ms.clone();
    let analysed =
        web::block(move || analyse(&engine, frames, &times, max_pixels)).await.map_err(ApiError::internal)?;
    drop(slot);
    let (observations, jpegs) = analysed.map_err(|f| ApiError::validation(vec![f]))?;
    let report = liveness::evaluate(&actions, &observations, reference.as_ref(), &t);

    // Keep the frames only as long as the retention setting says.
    let retention = state.config.verification.faces.frames_retention_hours;
    let prefix = format!("liveness/{vid}/{}/", meta.challenge_id);
    let mut kept = false;
    if retention > 0 {
        kept = true;
        for (i, jpeg) in jpegs.into_iter().enumerate() {
            if let Err(e) = state.storage.put(&format!("{prefix}{i:02}.jpg"), jpeg, "image/jpeg").await {
                tracing::warn!(verification.id = %vid, error = format!("{e:#}"), "could not keep a liveness frame");
            }
        }
    }
    let mut conn = state.db.get().await?;
    let rid = request_id(&req);
    let passed = report.passed;
    let report_json = serde_json::to_value(&report).map_err(ApiError::internal)?;
    let mut steps = row.steps();
    if passed && let Some(s) = steps.get_mut(StepKind::Liveness.as_str()) {
        s.status = StepStatus::Complete;
        s.field_paths.clear();
    }
    conn.transaction::<_, diesel::result::Error, _>(async |conn| {
        diesel::update(liveness_challenges::table.find(meta.challenge_id))
            .set((
                liveness_challenges::passed.eq(passed),
                liveness_challenges::report.eq(&report_json),
                liveness_challenges::frames_prefix.eq(kept.then_some(&prefix)),
                liveness_challenges::frames_purge_after
                    .eq(kept.then(|| Utc::now() + chrono::Duration::hours(retention))),
            ))
            .execute(conn)
            .await?;
        if passed {
            let n =
                diesel::update(verifications::table.find(vid).filter(verifications::status.eq(Status::Draft.as_str())))
                    .set(verifications::steps.eq(service::steps_json(&steps)))
                    .execute(conn)
                    .await?;
            if n == 0 {
                return Err(diesel::result::Error::RollbackTransaction);
            }
        }
        audit::record(
            conn,
            AuditEvent::new(Some(user.user_id), "verification.liveness_checked", "verification", vid)
                .request(rid.as_deref())
                .details(serde_json::json!({ "challenge": meta.challenge_id, "passed": passed })),
        )
        .await
    })
    .await
    .map_err(|e| match e {
        diesel::result::Error::RollbackTransaction => {
            ApiError::new(ErrorCode::Conflict, "The verification changed at the same time; reload and try again.")
        }
        other => other.into(),
    })?;
    if !passed {
        let mut e = ApiError::new(ErrorCode::LivenessFailed, "We could not confirm a live person; try again.");
        for f in &report.failures {
            e = e.push_field(failure_field(f));
        }
        return Err(e);
    }
    let row = service::load(&mut conn, vid).await?;
    let view = user.redact(service::view(&state, &mut conn, &row).await?);
    Ok(HttpResponse::build(StatusCode::OK).json(LivenessResult { passed, seen_at: report.seen_at, verification: view }))
}

fn ensure_liveness_open(row: &super::model::VerificationRow) -> ApiResult<()> {
    match row.steps().get(StepKind::Liveness.as_str()).map(|s| s.status) {
        None => Err(ApiError::new(ErrorCode::InvalidState, "This verification level has no liveness step.")),
        Some(StepStatus::Accepted) => {
            Err(ApiError::new(ErrorCode::InvalidState, "This step was accepted and is locked."))
        }
        Some(_) => Ok(()),
    }
}

/// The descriptor of the current selfie.
async fn selfie_embedding(
    state: &AppState,
    conn: &mut diesel_async::AsyncPgConnection,
    vid: Uuid,
) -> ApiResult<Option<Embedding>> {
    let selfie: Option<(Uuid, String)> = document_images::table
        .inner_join(image_faces::table)
        .filter(document_images::verification_id.eq(vid))
        .filter(document_images::kind.eq("selfie"))
        .filter(document_images::replaced_at.is_null())
        .order(document_images::created_at.desc())
        .select((document_images::id, image_faces::embedding_sealed))
        .first(conn)
        .await
        .optional()?;
    Ok(selfie.and_then(|(id, sealed)| super::face::open_embedding(&state.pii, id, &sealed)))
}

fn parse_parts(parts: Vec<upload::Part>, t: &LivenessThresholds) -> ApiResult<(LivenessSubmission, Vec<Vec<u8>>)> {
    let mut meta = None;
    let mut frames = Vec::new();
    for p in parts {
        match p.name.as_str() {
            "challenge" => {
                let m: LivenessSubmission = serde_json::from_slice(&p.bytes).map_err(|e| {
                    ApiError::validation(vec![FieldError::new(
                        "challenge",
                        "invalid_format",
                        format!("Not valid JSON: {e}."),
                    )])
                })?;
                meta = Some(m);
            }
            "frame" => {
                if p.bytes.len() > MAX_FRAME_BYTES {
                    return Err(ApiError::field(
                        ErrorCode::PayloadTooLarge,
                        "A frame is too large.",
                        FieldError::new(
                            format!("frame[{}]", frames.len()),
                            "too_large",
                            "Send frames of at most 2 MB.",
                        ),
                    ));
                }
                frames.push(p.bytes);
            }
            _ => {}
        }
    }
    let meta = meta.ok_or_else(|| {
        ApiError::validation(vec![FieldError::new(
            "challenge",
            "required",
            "Send the challenge id and nonce in a part named `challenge`.",
        )])
    })?;
    if frames.len() < t.min_frames || frames.len() > t.max_frames {
        return Err(ApiError::validation(vec![FieldError::new(
            "frame",
            "count",
            format!("Send between {} and {} frames.", t.min_frames, t.max_frames),
        )]));
    }
    if meta.captured_at_ms.len() != frames.len() {
        return Err(ApiError::validation(vec![FieldError::new(
            "challenge.captured_at_ms",
            "count",
            "Give one capture time per frame.",
        )]));
    }
    Ok((meta, frames))
}

/// Uses the nonce up: exactly once, before it expires, for this verification's current attempt.
async fn consume(
    conn: &mut diesel_async::AsyncPgConnection,
    vid: Uuid,
    attempt: i32,
    meta: &LivenessSubmission,
) -> ApiResult<Vec<Action>> {
    let hash = nonce_hash(&meta.nonce);
    let used: Option<serde_json::Value> = diesel::update(
        liveness_challenges::table
            .find(meta.challenge_id)
            .filter(liveness_challenges::verification_id.eq(vid))
            .filter(liveness_challenges::attempt.eq(attempt))
            .filter(liveness_challenges::nonce_hash.eq(&hash))
            .filter(liveness_challenges::used_at.is_null())
            .filter(liveness_challenges::expires_at.gt(Utc::now())),
    )
    .set(liveness_challenges::used_at.eq(Utc::now()))
    .returning(liveness_challenges::actions)
    .get_result(conn)
    .await
    .optional()?;
    if let Some(actions) = used {
        let names: Vec<String> = serde_json::from_value(actions).map_err(ApiError::internal)?;
        return names
            .iter()
            .map(|n| Action::parse(n))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("unknown action stored")));
    }
    // Why not: the answer names it, without telling a stranger anything (the id is theirs).
    let known: Option<ChallengeState> = liveness_challenges::table
        .find(meta.challenge_id)
        .filter(liveness_challenges::verification_id.eq(vid))
        .select((
            liveness_challenges::nonce_hash,
            liveness_challenges::used_at,
            liveness_challenges::expires_at,
            liveness_challenges::attempt,
        ))
        .first(conn)
        .await
        .optional()?;
    let (code, message) = match known {
        Some((h, _, _, a)) if h != hash || a != attempt => ("unknown", "This challenge is not valid here."),
        Some((_, Some(_), _, _)) => ("used", "This challenge was already answered; start a new one."),
        Some(_) => ("expired", "This challenge expired; start a new one."),
        None => ("unknown", "This challenge is not valid here."),
    };
    Err(ApiError::field(
        ErrorCode::ChallengeInvalid,
        "The liveness challenge cannot be used.",
        FieldError::new("challenge", code, message),
    ))
}

/// Nonce hash, used at, expires at, attempt.
type ChallengeState = (Vec<u8>, Option<DateTime<Utc>>, DateTime<Utc>, i32);

type Analysed = (Vec<FrameObservation>, Vec<Vec<u8>>);

/// Decodes every frame (same rules as any upload) and measures the face on it. Blocking.
fn analyse(
    engine: &Arc<FaceEngine>,
    frames: Vec<Vec<u8>>,
    times: &[i64],
    max_pixels: u64,
) -> Result<Analysed, FieldError> {
    let mut observations = Vec::with_capacity(frames.len());
    let mut jpegs = Vec::with_capacity(frames.len());
    for (i, (bytes, t)) in frames.iter().zip(times).enumerate() {
        let p = images::process(bytes, max_pixels).map_err(|f| {
            let message = if f.code == "too_many_pixels" {
                format!("Send camera frames of at most {} megapixels.", max_pixels / 1_000_000)
            } else {
                f.message
            };
            FieldError::new(format!("frame[{i}]"), f.code, message)
        })?;
        let rgb = p.image.to_rgb8();
        let faces = engine.analyse(&rgb);
        let one = if faces.len() == 1 { <[_]>::first(&faces) } else { None };
        let thumb = image::imageops::resize(
            &image::DynamicImage::ImageRgb8(rgb.clone()).into_luma8(),
            16,
            16,
            FilterType::Triangle,
        );
        observations.push(FrameObservation {
            t_ms: *t,
            faces: faces.len(),
            yaw: one.map(|f| f.pose.yaw),
            face_width: one.map(|f| f.pose.interocular / f64::from(rgb.width().max(1))),
            embedding: one.map(|f| f.embedding.clone()),
            thumbnail: thumb.into_raw(),
        });
        jpegs.push(p.jpeg);
    }
    Ok((observations, jpegs))
}

/// The applicant-facing field error of one failure.
fn failure_field(f: &LivenessFailure) -> FieldError {
    let action = |a: Action| match a {
        Action::TurnLeft => "turn your head to your left",
        Action::TurnRight => "turn your head to your right",
        Action::MoveCloser => "move closer to the camera",
    };
    let (code, message) = match f {
        LivenessFailure::FrameCount { .. } => ("frame_count", "Too few or too many frames were captured.".to_owned()),
        LivenessFailure::CaptureTimes => ("capture_times", "The frames' capture times are not plausible.".to_owned()),
        LivenessFailure::MultipleFaces { .. } => {
            ("multiple_faces", "More than one face was seen; be alone in the picture.".to_owned())
        }
        LivenessFailure::FaceMissing { .. } => {
            ("face_missing", "Your face was not visible in enough frames.".to_owned())
        }
        LivenessFailure::DifferentPerson { .. } => {
            ("different_person", "The person in the frames is not the person in the selfie.".to_owned())
        }
        LivenessFailure::RepeatedFrames => ("repeated_frames", "The frames do not show live movement.".to_owned()),
        LivenessFailure::NotNeutralAtStart => {
            ("not_neutral_at_start", "Start by looking straight into the camera.".to_owned())
        }
        LivenessFailure::ActionOutOfOrder { expected, .. } => {
            ("action_out_of_order", format!("Follow the order shown: we expected you to {} next.", action(*expected)))
        }
        LivenessFailure::ActionNotPerformed { action: a, .. } => {
            ("action_not_performed", format!("We did not see you {}.", action(*a)))
        }
    };
    FieldError::new("liveness", code, message)
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(challenge).service(submit);
}
