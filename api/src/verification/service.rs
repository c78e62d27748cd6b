//! Operations on verifications, shared by the applicant routes, the admin decision and the
//! worker. Handlers authorise (ownership) through [`load_owned`]: anything else is 404.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::domain::{self, Status, StepState, StepStatus, Steps, TransitionError, transition};
use super::json::{DecisionView, ImageView, ReasonView, StepView, VerificationView, WaitingStage, WaitingView};
use super::model::{Decision, DecisionKind, ImageRow, RejectType, VerificationRow};
use super::personal::{Address, PersonalInfo, PersonalInfoView};
use super::quality::ImageKind;
use crate::app::AppState;
use crate::catalogue::{DocumentType, StepKind};
use crate::db::schema::{applicants, document_images, verification_attempts, verifications};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::pii::PiiCipher;

pub const PROCESS_JOB: &str = "verification.process";

pub async fn applicant_for(conn: &mut AsyncPgConnection, user: Uuid) -> QueryResult<Uuid> {
    diesel::insert_into(applicants::table)
        .values((applicants::id.eq(Uuid::now_v7()), applicants::user_id.eq(user)))
        .on_conflict(applicants::user_id)
        .do_nothing()
        .execute(conn)
        .await?;
    applicants::table.filter(applicants::user_id.eq(user)).select(applicants::id).first(conn).await
}

/// The verification if it belongs to `user`; 404 otherwise (no hint that it exists).
pub async fn load_owned(conn: &mut AsyncPgConnection, user: Uuid, id: Uuid) -> ApiResult<VerificationRow> {
    verifications::table
        .inner_join(applicants::table)
        .filter(verifications::id.eq(id))
        .filter(applicants::user_id.eq(user))
        .select(VerificationRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(ApiError::not_found)
}

pub async fn load(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<VerificationRow> {
    verifications::table.find(id).select(VerificationRow::as_select()).first(conn).await
}

/// The applicant's most recent verification.
pub async fn latest_for(conn: &mut AsyncPgConnection, user: Uuid) -> QueryResult<Option<VerificationRow>> {
    verifications::table
        .inner_join(applicants::table)
        .filter(applicants::user_id.eq(user))
        .order(verifications::created_at.desc())
        .select(VerificationRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn current_images(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Vec<ImageRow>> {
    document_images::table
        .filter(document_images::verification_id.eq(id))
        .filter(document_images::replaced_at.is_null())
        .order(document_images::created_at.asc())
        .select(ImageRow::as_select())
        .load(conn)
        .await
}

pub async fn attempts_last_day(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<i64> {
    let since = Utc::now() - chrono::Duration::hours(24);
    verification_attempts::table
        .filter(verification_attempts::verification_id.eq(id))
        .filter(verification_attempts::submitted_at.gt(since))
        .count()
        .get_result(conn)
        .await
}

/// 409 `attempts_exhausted` once the 24-hour allowance of submissions is used.
pub async fn ensure_attempts_left(conn: &mut AsyncPgConnection, id: Uuid, per_day: u32) -> ApiResult<()> {
    if attempts_last_day(conn, id).await? >= i64::from(per_day) {
        return Err(ApiError::new(ErrorCode::AttemptsExhausted, "You have used today's attempts; try again tomorrow."));
    }
    Ok(())
}

pub fn required_sides(doc: Option<(&str, DocumentType)>, state: &AppState) -> Vec<ImageKind> {
    match doc.and_then(|(c, t)| state.catalogue.document(c, t)) {
        Some(spec) if spec.back_side => vec![ImageKind::Front, ImageKind::Back],
        _ => vec![ImageKind::Front],
    }
}

fn doc_of(row: &VerificationRow) -> Option<(&str, DocumentType)> {
    Some((row.issuing_country.as_deref()?, DocumentType::parse(row.document_type.as_deref()?)?))
}

/// Refuses changes unless the verification is an editable draft.
pub fn ensure_editable(row: &VerificationRow) -> ApiResult<()> {
    match row.status() {
        Status::Draft => Ok(()),
        s if s.is_closed() => Err(ApiError::new(
            ErrorCode::VerificationClosed,
            format!("This verification is {} and can no longer change.", s.as_str()),
        )),
        Status::ActionRequired => {
            Err(ApiError::new(ErrorCode::InvalidState, "Start a retry before changing anything."))
        }
        s => Err(ApiError::new(
            ErrorCode::InvalidState,
            format!("This verification is {} and cannot change now.", s.as_str()),
        )),
    }
}

pub fn open_pii(cipher: &PiiCipher, row: &VerificationRow) -> Option<PersonalInfoView> {
    let pii = row.pii.as_ref()?.as_object()?;
    let get = |field: &str| {
        pii.get(field).and_then(|v| v.as_str()).and_then(|s| cipher.open(&format!("{}/{field}", row.id), s).ok())
    };
    Some(PersonalInfoView {
        issuing_country: row.issuing_country.clone()?,
        document_type: DocumentType::parse(row.document_type.as_deref()?)?,
        first_name: get("first_name")?,
        middle_name: get("middle_name"),
        last_name: get("last_name")?,
        latin_first_name: get("latin_first_name"),
        latin_last_name: get("latin_last_name"),
        date_of_birth: get("date_of_birth")?,
        nationality: get("nationality")?,
        document_number: get("document_number")?,
        expiry_date: get("expiry_date"),
        address: get("address").and_then(|a| serde_json::from_str::<Address>(&a).ok()),
    })
}

/// The stored entries in their validated form, for comparing with a new entry.
pub fn stored_info(cipher: &PiiCipher, row: &VerificationRow) -> Option<PersonalInfo> {
    let v = open_pii(cipher, row)?;
    Some(PersonalInfo {
        issuing_country: v.issuing_country,
        document_type: v.document_type,
        first_name: v.first_name,
        middle_name: v.middle_name,
        last_name: v.last_name,
        latin_first_name: v.latin_first_name,
        latin_last_name: v.latin_last_name,
        date_of_birth: v.date_of_birth.parse().ok()?,
        nationality: v.nationality,
        document_number: v.document_number,
        expiry_date: v.expiry_date.and_then(|d| d.parse().ok()),
        address: v.address,
        phone: None,
    })
}

fn next_step(status: Status, steps: &Steps, order: &[StepKind]) -> Option<String> {
    if status != Status::Draft {
        return None;
    }
    order
        .iter()
        .find(|k| {
            steps.get(k.as_str()).is_some_and(|s| !matches!(s.status, StepStatus::Complete | StepStatus::Accepted))
        })
        .map(|k| k.as_str().to_owned())
        .or_else(|| Some("submit".to_owned()))
}

/// Median of recent review durations, as the waiting estimate (None without history).
async fn review_estimate(conn: &mut AsyncPgConnection) -> QueryResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct Est {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
        secs: Option<f64>,
    }
    let est: Est = diesel::sql_query(
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - submitted_at)) AS secs \
         FROM (SELECT decided_at, submitted_at FROM verification_attempts WHERE decided_at IS NOT NULL \
               ORDER BY decided_at DESC LIMIT 200) recent",
    )
    .get_result(conn)
    .await?;
    #[expect(clippy::cast_possible_truncation, reason = "seconds of a review fit in i64")]
    Ok(est.secs.map(|s| s.round() as i64))
}

pub async fn view(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    row: &VerificationRow,
) -> ApiResult<VerificationView> {
    let status = row.status();
    let steps = row.steps();
    let level = state.catalogue.level(&row.level);
    let order: Vec<StepKind> = level.map(|l| l.steps.clone()).unwrap_or_default();
    let decision = row.decision();
    let show_reasons =
        matches!(status, Status::ActionRequired | Status::Rejected) || (status == Status::Draft && row.attempt > 1);
    let reasons_for = |k: StepKind| -> Vec<ReasonView> {
        match (&decision, show_reasons) {
            (Some(d), true) => d.reasons.iter().filter(|r| r.step == k).map(ReasonView::from).collect(),
            _ => Vec::new(),
        }
    };
    let step_views = order
        .iter()
        .map(|&k| {
            let st = steps
                .get(k.as_str())
                .cloned()
                .unwrap_or(StepState { status: StepStatus::NotStarted, field_paths: vec![] });
            StepView { name: k, status: st.status, field_paths: st.field_paths, reasons: reasons_for(k) }
        })
        .collect();
    let used = u32::try_from(attempts_last_day(conn, row.id).await?).unwrap_or(u32::MAX);
    let per_day = state.config.verification.max_attempts_per_day;
    let images = current_images(conn, row.id)
        .await?
        .into_iter()
        .filter_map(|i| {
            Some(ImageView {
                kind: ImageKind::parse(&i.kind)?,
                width: i.width,
                height: i.height,
                byte_size: i.byte_size,
                attempt: i.attempt,
                uploaded_at: i.created_at,
            })
        })
        .collect();
    let waiting = match status {
        Status::Submitted => Some(WaitingView {
            stage: WaitingStage::ChecksQueued,
            message_key: "waiting.checks_queued".into(),
            estimate_seconds: None,
        }),
        Status::Processing => Some(WaitingView {
            stage: WaitingStage::ChecksRunning,
            message_key: "waiting.checks_running".into(),
            estimate_seconds: None,
        }),
        Status::InReview => Some(WaitingView {
            stage: WaitingStage::InReview,
            message_key: "waiting.in_review".into(),
            estimate_seconds: review_estimate(conn).await?,
        }),
        _ => None,
    };
    Ok(VerificationView {
        id: row.id,
        level: row.level.clone(),
        status,
        attempt: row.attempt,
        attempts_per_day: per_day,
        attempts_left: per_day.saturating_sub(used),
        next: next_step(status, &steps, &order),
        steps: step_views,
        required_sides: required_sides(doc_of(row), state),
        personal_info: open_pii(&state.pii, row),
        images,
        decision: decision.map(|d| DecisionView {
            decision: d.decision,
            reject_type: d.reject_type,
            reasons: d.reasons.iter().map(ReasonView::from).collect(),
            message: d.message,
            decided_at: d.decided_at,
        }),
        waiting,
        can_edit: status == Status::Draft,
        created_at: row.created_at,
        submitted_at: row.submitted_at,
    })
}

/// Recomputes the document step after an upload or a change of document type.
pub fn document_step(steps: &mut Steps, required: &[ImageKind], present: &[ImageKind]) {
    let Some(step) = steps.get_mut(StepKind::Document.as_str()) else { return };
    if step.status == StepStatus::Accepted {
        return;
    }
    let missing_flagged = step
        .field_paths
        .iter()
        .any(|p| p.strip_prefix("images.").and_then(ImageKind::parse).is_some_and(|k| required.contains(&k)));
    let all_present = required.iter().all(|k| present.contains(k));
    step.status = match (all_present && !missing_flagged, present.iter().any(|k| required.contains(k))) {
        (true, _) => StepStatus::Complete,
        (false, true) => StepStatus::InProgress,
        (false, false) => StepStatus::NotStarted,
    };
}

pub fn steps_json(steps: &Steps) -> serde_json::Value {
    serde_json::to_value(steps).unwrap_or_default()
}

/// Maps a failed transition to the API error for it.
pub fn transition_error(e: TransitionError) -> ApiError {
    match e {
        TransitionError::NotAllowed(from, _) if from.is_closed() => {
            ApiError::new(ErrorCode::VerificationClosed, "This verification can no longer change.")
        }
        TransitionError::NotAllowed(from, to) => ApiError::new(
            ErrorCode::InvalidState,
            format!("A {} verification cannot become {}.", from.as_str(), to.as_str()),
        ),
        TransitionError::Stale => {
            ApiError::new(ErrorCode::Conflict, "The verification changed at the same time; reload and try again.")
        }
        TransitionError::Db(e) => e.into(),
    }
}

/// Records a decision on the current attempt (the rules, a reviewer, or the admin tool) and
/// closes its review case.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    row: &VerificationRow,
    mut decision: Decision,
    max_per_day: u32,
    request_id: Option<&str>,
) -> ApiResult<Status> {
    let from = row.status();
    let used = attempts_last_day(conn, row.id).await?;
    let to = match (decision.decision, decision.reject_type) {
        (DecisionKind::Approve, _) => Status::Approved,
        (_, Some(RejectType::Retry)) if used < i64::from(max_per_day) => Status::ActionRequired,
        _ => {
            // Out of attempts: a retryable rejection becomes final.
            decision.reject_type = Some(RejectType::Final);
            Status::Rejected
        }
    };
    let now: DateTime<Utc> = decision.decided_at;
    let attempt = row.attempt;
    let id = row.id;
    let actor = decision.decided_by;
    let approved = to == Status::Approved;
    let mut steps = row.steps();
    if approved {
        for s in steps.values_mut() {
            s.status = StepStatus::Accepted;
            s.field_paths.clear();
        }
    }
    let decision_json = serde_json::to_value(&decision).map_err(ApiError::internal)?;
    conn.transaction::<_, TransitionError, _>(async |conn| {
        transition(conn, id, from, to, actor, request_id).await?;
        diesel::update(verifications::table.find(id))
            .set((
                verifications::decision.eq(&decision_json),
                verifications::decided_at.eq(now),
                verifications::steps.eq(steps_json(&steps)),
            ))
            .execute(conn)
            .await?;
        diesel::update(verification_attempts::table.find((id, attempt)))
            .set((
                verification_attempts::decided_at.eq(now),
                verification_attempts::outcome.eq(to.as_str()),
                verification_attempts::decision.eq(&decision_json),
            ))
            .execute(conn)
            .await?;
        crate::review::cases::close(conn, id, attempt, now).await?;
        Ok(())
    })
    .await
    .map_err(transition_error)?;
    Ok(to)
}

/// The worker's job for a submitted attempt: every automated check, stored as `checks` rows,
/// then the decision rules (super::rules): back to the applicant, approved, or a review case.
pub async fn process(ctx: &crate::jobs::JobContext, id: Uuid) -> anyhow::Result<()> {
    let mut conn = ctx.db.get().await?;
    let conn = &mut *conn;
    let row = load(conn, id).await?;
    match row.status() {
        Status::Submitted => {
            conn.transaction::<_, TransitionError, _>(async |conn| {
                transition(conn, id, Status::Submitted, Status::Processing, None, None).await
            })
            .await?;
        }
        // A job that died half-way runs the checks again.
        Status::Processing => {}
        // Already moved on (a retried job): nothing to do.
        _ => return Ok(()),
    }
    let results = super::checks::run_all(ctx, conn, &row).await?;
    let attempt = row.attempt;
    conn.transaction::<_, diesel::result::Error, _>(async |conn| {
        for c in &results {
            super::checks::store(conn, id, attempt, c).await?;
        }
        Ok(())
    })
    .await?;
    let row = load(conn, id).await?;
    let automatic = |decision, reject_type, reasons| Decision {
        decision,
        reject_type,
        reasons,
        message: None,
        internal_note: None,
        decided_by: None,
        decided_at: Utc::now(),
        attempt,
    };
    let max_per_day = ctx.config.verification.max_attempts_per_day;
    let mut outcome = super::rules::decide(&results, &ctx.config.review);
    if let super::rules::Outcome::ActionRequired(reasons) = &outcome
        && attempts_last_day(conn, id).await? >= i64::from(max_per_day)
    {
        // Out of attempts, a rejection would be final: a machine never says that alone.
        let mut flags: Vec<String> = reasons.iter().map(|r| r.code.clone()).collect();
        flags.push("attempts_exhausted".to_owned());
        flags.dedup();
        outcome = super::rules::Outcome::Review(flags);
    }
    match outcome {
        super::rules::Outcome::Review(flags) => {
            conn.transaction::<_, TransitionError, _>(async |conn| {
                transition(conn, id, Status::Processing, Status::InReview, None, None).await?;
                crate::review::cases::open(conn, id, attempt, &flags).await?;
                Ok(())
            })
            .await?;
        }
        super::rules::Outcome::ActionRequired(reasons) => {
            let d = automatic(DecisionKind::Reject, Some(RejectType::Retry), reasons);
            decide(conn, &row, d, max_per_day, None).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
        super::rules::Outcome::Approve => {
            let d = automatic(DecisionKind::Approve, None, Vec::new());
            decide(conn, &row, d, max_per_day, None).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
    }
    Ok(())
}

pub fn all_steps_complete(row: &VerificationRow) -> bool {
    domain::all_complete(&row.steps())
}
