//! Field-level encryption of PII at rest, and the keyed hash (blind index) that finds
//! duplicate document numbers without storing them in clear.
//!
//! Each value is sealed on its own with XChaCha20-Poly1305; the associated data binds it to
//! its record and field, so a ciphertext moved to another row or column does not open.
//! Stored form: `v1.<kid>.<base64url(nonce ‖ ciphertext)>`; the kid selects the key, so keys
//! rotate by adding a new first key and re-encrypting at leisure.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::config::{ConfigError, VerificationConfig};

/// Published development keys: anyone can read data sealed with them. `Config` refuses to
/// start in production without real keys.
const DEV_PII_KEY: [u8; 32] = *b"ekyc-development-pii-key-000001!";
const DEV_BLIND_KEY: [u8; 32] = *b"ekyc-development-blind-index-01!";

pub struct PiiCipher {
    keys: Vec<(String, XChaCha20Poly1305)>,
    blind: Vec<u8>,
}

impl fmt::Debug for PiiCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PiiCipher([redacted])")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("a sealed value could not be opened")]
pub struct OpenError;

fn decode_key(name: &'static str, b64: &str) -> Result<[u8; 32], ConfigError> {
    let bytes =
        STANDARD.decode(b64.trim()).map_err(|_| ConfigError { name, problem: "a key is not valid base64".into() })?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| ConfigError { name, problem: "a key must be 32 bytes".into() })
}

impl PiiCipher {
    pub fn from_config(config: &VerificationConfig) -> Result<Self, ConfigError> {
        let mut keys = Vec::new();
        for (kid, b64) in &config.pii_keys {
            let key = decode_key("EKYC_PII_KEYS", b64.expose())?;
            keys.push((kid.clone(), XChaCha20Poly1305::new(&key.into())));
        }
        if keys.is_empty() {
            tracing::warn!("EKYC_PII_KEYS is not set: PII is sealed with the published development key");
            keys.push(("dev".to_owned(), XChaCha20Poly1305::new(&DEV_PII_KEY.into())));
        }
        let blind = match config.blind_index_key.expose() {
            "" => DEV_BLIND_KEY.to_vec(),
            b64 => decode_key("EKYC_BLIND_INDEX_KEY", b64)?.to_vec(),
        };
        Ok(Self { keys, blind })
    }

    /// The id of the key new values are sealed with.
    pub fn current_kid(&self) -> &str {
        self.keys.first().map_or("", |(k, _)| k.as_str())
    }

    /// Seals `value`; `context` (record id and field name) must be given again to open it.
    pub fn seal(&self, context: &str, value: &str) -> anyhow::Result<String> {
        let (kid, cipher) = self.keys.first().ok_or_else(|| anyhow::anyhow!("no PII key"))?;
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: value.as_bytes(), aad: context.as_bytes() })
            .map_err(|_| anyhow::anyhow!("sealing failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("v1.{kid}.{}", URL_SAFE_NO_PAD.encode(out)))
    }

    pub fn open(&self, context: &str, stored: &str) -> Result<String, OpenError> {
        let mut parts = stored.splitn(3, '.');
        let (Some("v1"), Some(kid), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(OpenError);
        };
        let cipher = self.keys.iter().find(|(k, _)| k == kid).map(|(_, c)| c).ok_or(OpenError)?;
        let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| OpenError)?;
        if bytes.len() < 24 {
            return Err(OpenError);
        }
        let (nonce, sealed) = bytes.split_at(24);
        let nonce = XNonce::from(<[u8; 24]>::try_from(nonce).map_err(|_| OpenError)?);
        let plain = cipher.decrypt(&nonce, Payload { msg: sealed, aad: context.as_bytes() }).map_err(|_| OpenError)?;
        String::from_utf8(plain).map_err(|_| OpenError)
    }

    /// Keyed hash of a normalised value (the blind index).
    pub fn blind_index(&self, value: &str) -> Vec<u8> {
        // HMAC accepts keys of any length, so this cannot fail.
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&self.blind) else { return Vec::new() };
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

/// A new random 32-byte key, base64, for `EKYC_PII_KEYS` / `EKYC_BLIND_INDEX_KEY`.
pub fn generate_secret_b64() -> String {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    STANDARD.encode(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    fn cipher(keys: &[(&str, String)]) -> PiiCipher {
        let config = VerificationConfig {
            pii_keys: keys.iter().map(|(k, v)| ((*k).to_owned(), Secret::new(v.clone()))).collect(),
            blind_index_key: Secret::new(generate_secret_b64()),
            default_level: "basic".into(),
            levels_file: None,
            max_attempts_per_day: 5,
            max_upload_bytes: 1,
            max_image_pixels: 1,
            quality: Default::default(),
            faces: crate::config::FaceConfig {
                models_dir: "models/face".into(),
                instances: 1,
                matching: Default::default(),
                liveness_ttl: std::time::Duration::from_secs(120),
                frames_retention_hours: 0,
            },
        };
        PiiCipher::from_config(&config).unwrap()
    }

    #[test]
    fn seal_open_and_context_binding() {
        let c = cipher(&[("k1", generate_secret_b64())]);
        let sealed = c.seal("v1/first_name", "Zoë").unwrap();
        assert!(sealed.starts_with("v1.k1.") && !sealed.contains("Zoë"));
        assert_eq!(c.open("v1/first_name", &sealed).unwrap(), "Zoë");
        assert!(c.open("v1/last_name", &sealed).is_err(), "moved to another field");
        assert!(c.open("v2/first_name", &sealed).is_err(), "moved to another record");
        assert_ne!(sealed, c.seal("v1/first_name", "Zoë").unwrap(), "nonces are random");
    }

    #[test]
    fn rotation_keeps_old_values_readable() {
        let old = generate_secret_b64();
        let before = cipher(&[("old", old.clone())]);
        let sealed = before.seal("x", "value").unwrap();
        let after = cipher(&[("new", generate_secret_b64()), ("old", old)]);
        assert_eq!(after.open("x", &sealed).unwrap(), "value");
        assert!(after.seal("x", "value").unwrap().starts_with("v1.new."));
        let gone = cipher(&[("new", generate_secret_b64())]);
        assert!(gone.open("x", &sealed).is_err());
    }

    #[test]
    fn bad_keys_are_config_errors() {
        let config = VerificationConfig {
            pii_keys: vec![("k".into(), Secret::new("c2hvcnQ="))],
            blind_index_key: Secret::new(""),
            default_level: "basic".into(),
            levels_file: None,
            max_attempts_per_day: 5,
            max_upload_bytes: 1,
            max_image_pixels: 1,
            quality: Default::default(),
            faces: crate::config::FaceConfig {
                models_dir: "models/face".into(),
                instances: 1,
                matching: Default::default(),
                liveness_ttl: std::time::Duration::from_secs(120),
                frames_retention_hours: 0,
            },
        };
        assert_eq!(PiiCipher::from_config(&config).unwrap_err().name, "EKYC_PII_KEYS");
    }
}
