//! SMS over a Twilio-compatible HTTP API: a form-encoded POST with basic auth to
//! `{base}/2010-04-01/Accounts/{sid}/Messages.json`.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;

use super::SendError;
use crate::config::SmsConfig;
use crate::storage::BoxFuture;

/// One rendered SMS. Not `Debug`: the number is PII.
pub struct SmsMessage {
    /// E.164.
    pub to: String,
    pub body: String,
    /// Our reference (the outbox row id): the provider drops a second request with it.
    pub reference: String,
}

/// Sends SMS; returns the provider's message id.
pub trait SmsSender: Send + Sync {
    fn send<'a>(&'a self, message: &'a SmsMessage) -> BoxFuture<'a, Result<String, SendError>>;
}

pub struct TwilioSms {
    client: reqwest::Client,
    url: String,
    account_sid: String,
    auth_token: crate::config::Secret,
    from: String,
}

impl TwilioSms {
    pub fn new(config: &SmsConfig) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("ekyc/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            client,
            url: format!("{}/2010-04-01/Accounts/{}/Messages.json", config.base_url, config.account_sid),
            account_sid: config.account_sid.clone(),
            auth_token: config.auth_token.clone(),
            from: config.from.clone(),
        })
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare for APIs; it reads as absent).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let secs: u64 = headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(secs.min(3600)))
}

impl SmsSender for TwilioSms {
    fn send<'a>(&'a self, m: &'a SmsMessage) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            let response = self
                .client
                .post(&self.url)
                .basic_auth(&self.account_sid, Some(self.auth_token.expose()))
                .header("I-Twilio-Idempotency-Token", &m.reference)
                .header("X-Ekyc-Message-Ref", &m.reference)
                .form(&[("To", m.to.as_str()), ("From", self.from.as_str()), ("Body", m.body.as_str())])
                .send()
                .await
                // The error text of reqwest holds the URL, which holds no PII (account sid only).
                .map_err(|e| SendError::transient(format!("SMS provider unreachable: {e}")))?;
            let status = response.status();
            let wait = retry_after(response.headers());
            if status.is_success() {
                let body: serde_json::Value = response.json().await.unwrap_or_default();
                return Ok(body.get("sid").and_then(|s| s.as_str()).unwrap_or_default().to_owned());
            }
            // The provider's own error code says what went wrong, without the number.
            let code = response
                .json::<serde_json::Value>()
                .await
                .ok()
                .and_then(|b| b.get("code").and_then(serde_json::Value::as_i64));
            let message = format!("SMS provider answered {status} (code {})", code.unwrap_or_default());
            let retryable = status == StatusCode::TOO_MANY_REQUESTS
                || status == StatusCode::REQUEST_TIMEOUT
                || status.is_server_error();
            Err(SendError { message, permanent: !retryable, retry_after: wait })
        })
    }
}
