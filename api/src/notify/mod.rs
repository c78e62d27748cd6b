//! Notifications to applicants: a transactional outbox, email over SMTP and SMS over a
//! Twilio-compatible HTTP API.
//!
//! A status change writes one outbox row per channel in the same transaction
//! ([`outbox::on_status_change`], called from `verification::domain::transition`), keyed by
//! verification + attempt + event + channel so an event is never queued twice. Workers claim
//! rows with `FOR UPDATE SKIP LOCKED`, render the message at delivery (so the outbox holds
//! ids, never an address, a phone number or a name), send it, and retry with exponential
//! backoff up to an attempt cap; then the row is `failed`, which admins see at
//! `GET /admin/notifications`. Delivery is at-least-once: a crash between sending and
//! marking resends once after the stale claim is reclaimed; SMS carry our message reference
//! (`X-Ekyc-Message-Ref` / `I-Twilio-Idempotency-Token`) so the provider drops the twin, and
//! email carries a stable `Message-ID`.

pub mod admin;
pub mod email;
pub mod outbox;
pub mod settings;
pub mod sms;
pub mod templates;

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::config::Config;
use crate::pii::PiiCipher;

pub use email::{EmailMessage, Mailer, SmtpMailer};
pub use sms::{SmsMessage, SmsSender, TwilioSms};

/// What the worker needs to deliver notifications. The senders are traits so that another
/// transport can be plugged in; the real ones are used everywhere, tests included.
pub struct Notifier {
    pub mailer: Arc<dyn Mailer>,
    pub sms: Arc<dyn SmsSender>,
    pub pii: Arc<PiiCipher>,
}

impl Notifier {
    pub fn from_config(config: &Config, pii: Arc<PiiCipher>) -> anyhow::Result<Self> {
        Ok(Self { mailer: Arc::new(SmtpMailer::new(&config.smtp)?), sms: Arc::new(TwilioSms::new(&config.sms)?), pii })
    }
}

/// The events an applicant hears about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    SubmissionReceived,
    ActionRequired,
    Approved,
    /// Rejected for good.
    Rejected,
}

impl Event {
    pub const ALL: [Self; 4] = [Self::SubmissionReceived, Self::ActionRequired, Self::Approved, Self::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SubmissionReceived => "submission_received",
            Self::ActionRequired => "action_required",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Email, Self::Sms].into_iter().find(|c| c.as_str() == s)
    }
}

/// The languages notifications are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Language {
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "es")]
    Es,
}

impl Language {
    pub const ALL: [Self; 3] = [Self::En, Self::ZhCn, Self::Es];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::ZhCn => "zh-CN",
            Self::Es => "es",
        }
    }

    /// An exact tag as stored (`en`, `zh-CN`, `es`), case-insensitively.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// A language tag as a browser sends it: `zh`, `zh-Hans-CN`, `es-419`, `en-GB`…
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Self::En),
            "zh" => Some(Self::ZhCn),
            "es" => Some(Self::Es),
            _ => None,
        }
    }

    /// The best supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(f32, usize, Self)> = None;
        for (i, item) in header.split(',').enumerate().take(20) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("");
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let Some(lang) = Self::from_tag(tag) else { continue };
            if q <= 0.0 {
                continue;
            }
            if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                best = Some((q, i, lang));
            }
        }
        best.map(|(_, _, l)| l)
    }
}

/// Why a send failed, and whether trying again can help.
#[derive(Debug)]
pub struct SendError {
    /// Ours, without PII (no address, number or content).
    pub message: String,
    /// The provider will never accept this message (bad address, auth refused…).
    pub permanent: bool,
    /// The provider asked us to wait this long (`Retry-After`).
    pub retry_after: Option<Duration>,
}

impl SendError {
    pub fn transient(message: impl Into<String>) -> Self {
        Self { message: message.into(), permanent: false, retry_after: None }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        Self { message: message.into(), permanent: true, retry_after: None }
    }
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(Language::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"), Some(Language::ZhCn));
        assert_eq!(Language::from_accept_language("fr-FR, es-419;q=0.7, en;q=0.5"), Some(Language::Es));
        assert_eq!(Language::from_accept_language("de, en-GB;q=0.3"), Some(Language::En));
        assert_eq!(Language::from_accept_language("en;q=0.2, es;q=0.8"), Some(Language::Es));
        assert_eq!(Language::from_accept_language("de, fr"), None);
        assert_eq!(Language::from_accept_language("es;q=0, en"), Some(Language::En));
        assert_eq!(Language::parse("zh-cn"), Some(Language::ZhCn));
        assert_eq!(Language::parse("zh"), None);
    }
}
