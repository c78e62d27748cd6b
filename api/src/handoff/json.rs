//! Wire types of the handoff API.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A link to continue on a phone. It works once.
#[derive(Serialize, ToSchema)]
pub struct HandoffLink {
    pub id: Uuid,
    /// `{EKYC_APP_URL}/handoff#<token>`: the token travels in the fragment, so it never reaches
    /// a server log or a `Referer` header.
    pub url: String,
    /// The link stops working at this time if it has not been opened.
    pub expires_at: DateTime<Utc>,
    /// The same link as a QR code, an SVG document (black on white, with its quiet zone).
    pub qr_svg: String,
}

/// Where the latest handoff of a verification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HandoffState {
    /// No link was made.
    None,
    /// A link is waiting to be opened.
    Pending,
    /// The phone opened it and is taking the photos.
    Opened,
    /// The phone said it is done.
    Completed,
    /// The link (or the phone's session) ran out.
    Expired,
    /// The desktop took over ("continue here").
    Cancelled,
}

#[derive(Serialize, ToSchema)]
pub struct HandoffStatus {
    pub state: HandoffState,
    pub id: Option<Uuid>,
    /// When the link stops working (while `pending`) or the phone's session ends (`opened`).
    pub expires_at: Option<DateTime<Utc>>,
    pub opened_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExchangeRequest {
    /// The token from the link's fragment.
    pub token: String,
}

/// A phone's capture session.
#[derive(Serialize, ToSchema)]
pub struct CaptureSession {
    /// Send as `Authorization: Bearer <capture_token>`. Only the capture routes of
    /// `verification_id` accept it: reading the verification, the document and selfie uploads,
    /// the liveness challenge and answer, and `…/handoff/complete`. Keep it in memory only.
    pub capture_token: String,
    pub verification_id: Uuid,
    /// Seconds until the session ends.
    pub expires_in: i64,
    pub expires_at: DateTime<Utc>,
}
