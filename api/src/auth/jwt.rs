//! Access tokens: EdDSA (Ed25519) JWTs, algorithm pinned, `kid` in the header, published
//! at `/.well-known/jwks.json`. Several keys verify (rotation); the first configured signs.

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::Utc;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use super::Role;
use crate::config::{AuthConfig, ConfigError};

/// The JOSE `typ` of our access tokens (RFC 9068).
pub const ACCESS_TOKEN_TYP: &str = "at+jwt";
pub const LEEWAY_SECS: u64 = 30;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    pub sub: Uuid,
    pub exp: i64,
    pub iat: i64,
    pub jti: Uuid,
    /// The refresh-token family (the sign-in session) this token belongs to.
    pub sid: Uuid,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Expired,
    Invalid,
}

/// A public key in JWK form.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Jwk {
    pub kty: &'static str,
    pub crv: &'static str,
    pub alg: &'static str,
    #[serde(rename = "use")]
    pub use_: &'static str,
    pub kid: String,
    /// The Ed25519 public key, base64url without padding.
    pub x: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

pub struct JwtKeys {
    signing_kid: String,
    signing: EncodingKey,
    verifying: HashMap<String, DecodingKey>,
    jwks: JwkSet,
    issuer: String,
    audience: String,
    ttl: Duration,
}

impl JwtKeys {
    /// Loads the configured keys, or generates a development key when none is configured
    /// (`Config` already refuses that in production).
    pub fn from_config(config: &AuthConfig) -> Result<Self, ConfigError> {
        let mut pairs = Vec::new();
        for (kid, b64) in &config.signing_keys {
            let der = STANDARD.decode(b64.expose()).map_err(|_| ConfigError {
                name: "EKYC_JWT_SIGNING_KEYS",
                problem: format!("key {kid} is not valid base64"),
            })?;
            let key = SigningKey::from_pkcs8_der(&der).map_err(|_| ConfigError {
                name: "EKYC_JWT_SIGNING_KEYS",
                problem: format!("key {kid} is not a PKCS#8 Ed25519 private key"),
            })?;
            pairs.push((kid.clone(), key));
        }
        if pairs.is_empty() {
            let key = SigningKey::generate(&mut rand::rngs::OsRng);
            let kid = format!("dev-{}", &hex::encode(Sha256::digest(key.verifying_key().as_bytes()))[..12]);
            tracing::warn!(
                kid,
                "EKYC_JWT_SIGNING_KEYS is not set: using a key generated for this process only (development)"
            );
            pairs.push((kid, key));
        }
        Self::from_keys(pairs, config.issuer.clone(), config.audience.clone(), config.access_ttl)
    }

    fn from_keys(
        pairs: Vec<(String, SigningKey)>,
        issuer: String,
        audience: String,
        ttl: Duration,
    ) -> Result<Self, ConfigError> {
        let bad = |problem: &str| ConfigError { name: "EKYC_JWT_SIGNING_KEYS", problem: problem.to_owned() };
        let (signing_kid, first) = pairs.first().ok_or_else(|| bad("no key"))?;
        let der = first.to_pkcs8_der().map_err(|_| bad("cannot encode the key"))?;
        let signing = EncodingKey::from_ed_der(der.as_bytes());
        let mut verifying = HashMap::new();
        let mut keys = Vec::new();
        for (kid, key) in &pairs {
            let public = key.verifying_key();
            verifying.insert(kid.clone(), DecodingKey::from_ed_der(public.as_bytes()));
            keys.push(Jwk {
                kty: "OKP",
                crv: "Ed25519",
                alg: "EdDSA",
                use_: "sig",
                kid: kid.clone(),
                x: URL_SAFE_NO_PAD.encode(public.as_bytes()),
            });
        }
        Ok(Self { signing_kid: signing_kid.clone(), signing, verifying, jwks: JwkSet { keys }, issuer, audience, ttl })
    }

    pub fn jwks(&self) -> &JwkSet {
        &self.jwks
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    pub fn issue(&self, user: Uuid, session: Uuid, roles: Vec<Role>) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user,
            iat: now,
            exp: now + i64::try_from(self.ttl.as_secs()).unwrap_or(900),
            jti: Uuid::new_v4(),
            sid: session,
            roles,
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(ACCESS_TOKEN_TYP.to_owned());
        header.kid = Some(self.signing_kid.clone());
        Ok(jsonwebtoken::encode(&header, &claims, &self.signing)?)
    }

    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        if header.alg != Algorithm::EdDSA || header.typ.as_deref() != Some(ACCESS_TOKEN_TYP) {
            return Err(TokenError::Invalid);
        }
        let key = header.kid.as_deref().and_then(|kid| self.verifying.get(kid)).ok_or(TokenError::Invalid)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.algorithms = vec![Algorithm::EdDSA];
        validation.leeway = LEEWAY_SECS;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        let data = jsonwebtoken::decode::<AccessClaims>(token, key, &validation).map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => TokenError::Expired,
            _ => TokenError::Invalid,
        })?;
        let claims = data.claims;
        let now = Utc::now().timestamp();
        let leeway = i64::try_from(LEEWAY_SECS).unwrap_or(30);
        let max_life = i64::try_from(self.ttl.as_secs()).unwrap_or(900);
        // A token "issued in the future" or living longer than we ever issue is not ours.
        if claims.iat > now + leeway || claims.exp - claims.iat > max_life {
            return Err(TokenError::Invalid);
        }
        Ok(claims)
    }
}

/// Generates a new signing key as `base64(PKCS#8 DER)` for `EKYC_JWT_SIGNING_KEYS`.
pub fn generate_key_b64() -> anyhow::Result<String> {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let der = key.to_pkcs8_der().map_err(|e| anyhow::anyhow!("encoding the key: {e}"))?;
    Ok(STANDARD.encode(der.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(kid: &str, ttl: u64) -> JwtKeys {
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        JwtKeys::from_keys(vec![(kid.into(), key)], "iss".into(), "aud".into(), Duration::from_secs(ttl)).unwrap()
    }

    #[test]
    fn round_trip_and_claims() {
        let k = keys("k1", 900);
        let user = Uuid::new_v4();
        let token = k.issue(user, Uuid::new_v4(), vec![Role::Applicant]).unwrap();
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.kid.as_deref(), Some("k1"));
        assert_eq!(header.typ.as_deref(), Some("at+jwt"));
        let claims = k.verify(&token).unwrap();
        assert_eq!(claims.sub, user);
        assert_eq!(claims.exp - claims.iat, 900);
    }

    #[test]
    fn other_keys_and_tampering_are_refused() {
        let a = keys("k1", 900);
        let b = keys("k1", 900);
        let token = b.issue(Uuid::new_v4(), Uuid::new_v4(), vec![Role::Admin]).unwrap();
        assert_eq!(a.verify(&token).unwrap_err(), TokenError::Invalid);
        let good = a.issue(Uuid::new_v4(), Uuid::new_v4(), vec![Role::Applicant]).unwrap();
        let mut parts: Vec<&str> = good.split('.').collect();
        let payload = URL_SAFE_NO_PAD.decode(parts[1]).unwrap();
        let forged = String::from_utf8(payload).unwrap().replace("applicant", "admin");
        let forged = URL_SAFE_NO_PAD.encode(forged);
        parts[1] = &forged;
        assert_eq!(a.verify(&parts.join(".")).unwrap_err(), TokenError::Invalid);
    }

    #[test]
    fn generated_key_loads() {
        let b64 = generate_key_b64().unwrap();
        let der = STANDARD.decode(b64).unwrap();
        assert!(SigningKey::from_pkcs8_der(&der).is_ok());
    }
}
