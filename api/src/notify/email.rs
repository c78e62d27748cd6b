//! Email over SMTP with lettre: multipart text + HTML, TLS as configured.

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Language, SendError};
use crate::config::{SmtpConfig, SmtpTls};
use crate::storage::BoxFuture;

/// One rendered email. Not `Debug`: the address is PII.
pub struct EmailMessage {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Stable per outbox row (`<id@host>`), so a resend after a crash is recognisably the
    /// same message.
    pub message_id: String,
    pub language: Language,
}

/// Sends email; returns the server's answer (a queue id, for the outbox row).
pub trait Mailer: Send + Sync {
    fn send<'a>(&'a self, message: &'a EmailMessage) -> BoxFuture<'a, Result<String, SendError>>;
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(config: &SmtpConfig) -> anyhow::Result<Self> {
        let builder = match config.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)?,
        };
        let mut builder = builder.port(config.port).timeout(Some(config.timeout));
        if !config.username.is_empty() {
            builder =
                builder.credentials(Credentials::new(config.username.clone(), config.password.expose().to_owned()));
        }
        let from: Mailbox =
            config.from.parse().map_err(|e| anyhow::anyhow!("SMTP_FROM is not a valid mailbox: {e}"))?;
        Ok(Self { transport: builder.build(), from })
    }

    fn build(&self, m: &EmailMessage) -> Result<Message, SendError> {
        let to: Mailbox = m.to.parse().map_err(|_| SendError::permanent("the recipient address is not valid"))?;
        let mut message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(m.message_id.clone()))
            .multipart(MultiPart::alternative_plain_html(m.text.clone(), m.html.clone()))
            .map_err(|e| SendError::permanent(format!("the message could not be built: {e}")))?;
        message.headers_mut().insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("Content-Language"),
            m.language.as_str().to_owned(),
        ));
        Ok(message)
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, m: &'a EmailMessage) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            let message = self.build(m)?;
            match self.transport.send(message).await {
                Ok(response) => Ok(response.message().collect::<Vec<_>>().join(" ").chars().take(200).collect()),
                // 5xx: the server will never take this message. Everything else (refused
                // connection, timeout, 4xx) may pass later. Only the reply code is kept: the
                // server's text may quote the address.
                Err(e) if e.is_permanent() => Err(SendError::permanent(format!(
                    "SMTP refused the message ({})",
                    e.status().map(|c| c.to_string()).unwrap_or_default()
                ))),
                Err(e) if e.is_timeout() => Err(SendError::transient("SMTP timed out")),
                Err(e) => Err(SendError::transient(match e.status() {
                    Some(code) => format!("SMTP answered {code}"),
                    None => "SMTP unavailable (could not connect or the connection broke)".to_owned(),
                })),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    // The transport's connection pool lives on the Tokio runtime, as in the server.
    #[tokio::test]
    async fn every_tls_mode_builds_and_a_bad_sender_is_refused() {
        let base = Config::from_map(&Default::default()).unwrap().smtp;
        for tls in [SmtpTls::None, SmtpTls::StartTls, SmtpTls::Tls] {
            let config = SmtpConfig { tls, username: "u".into(), ..base.clone() };
            assert!(SmtpMailer::new(&config).is_ok(), "{tls:?}");
        }
        let bad = SmtpConfig { from: "not an address".into(), ..base };
        assert!(SmtpMailer::new(&bad).is_err());
    }

    #[tokio::test]
    async fn a_message_has_both_parts_its_language_and_our_message_id() {
        let mailer = SmtpMailer::new(&Config::from_map(&Default::default()).unwrap().smtp).unwrap();
        let m = EmailMessage {
            to: "ana@example.com".into(),
            subject: "Tu identidad está verificada".into(),
            text: "plain".into(),
            html: "<p>html</p>".into(),
            message_id: "<abc@ekyc.local>".into(),
            language: Language::Es,
        };
        let raw = String::from_utf8(mailer.build(&m).ok().unwrap().formatted()).unwrap();
        for want in
            ["Content-Language: es", "Message-ID: <abc@ekyc.local>", "multipart/alternative", "text/plain", "text/html"]
        {
            assert!(raw.contains(want), "{want} in {raw}");
        }
        let bad = EmailMessage { to: "nobody".into(), ..m };
        assert!(mailer.build(&bad).is_err_and(|e| e.permanent));
    }
}
