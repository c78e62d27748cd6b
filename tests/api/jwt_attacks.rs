//! Forged and broken access tokens are all refused with 401 and a code. A control token
//! built the same way with the server's real key is accepted, so each refusal is due to the
//! one thing the case changes.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::Utc;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

struct Forge {
    kid: String,
    der: Vec<u8>,
    claims: Value,
}

impl Forge {
    async fn new(app: &TestApp) -> Self {
        let session = app.register("victim@example.com").await;
        let (kid, b64) = app.signing_key.clone();
        let now = Utc::now().timestamp();
        let claims = json!({
            "iss": app.state.config.auth.issuer,
            "aud": app.state.config.auth.audience,
            "sub": session.body["user"]["id"],
            "exp": now + 600,
            "iat": now,
            "jti": uuid::Uuid::new_v4(),
            "sid": uuid::Uuid::new_v4(),
            "roles": ["applicant"],
        });
        Self { kid, der: STANDARD.decode(b64).unwrap(), claims }
    }

    fn sign(&self, header: Header, claims: &Value, der: &[u8]) -> String {
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_ed_der(der)).unwrap()
    }

    fn header(&self) -> Header {
        let mut h = Header::new(Algorithm::EdDSA);
        h.typ = Some("at+jwt".into());
        h.kid = Some(self.kid.clone());
        h
    }

    fn with(&self, key: &str, value: Value) -> Value {
        let mut c = self.claims.clone();
        c[key] = value;
        c
    }

    fn good(&self) -> String {
        self.sign(self.header(), &self.claims, &self.der)
    }
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

async fn me_with(app: &TestApp, token: &str) -> crate::helpers::Resp {
    app.get("/api/v1/me", Some(token)).await
}

#[tokio::test]
async fn control_token_is_accepted() {
    let app = spawn_app().await;
    let f = Forge::new(&app).await;
    let r = me_with(&app, &f.good()).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
}

#[tokio::test]
async fn forged_tokens_are_refused() {
    let app = spawn_app().await;
    let f = Forge::new(&app).await;
    let now = Utc::now().timestamp();
    let public = SigningKey::from_pkcs8_der(&f.der).unwrap().verifying_key();

    let mut cases: Vec<(&str, String, &str)> = Vec::new();

    let none = format!("{}.{}.", b64(&json!({"alg": "none", "typ": "at+jwt", "kid": f.kid})), b64(&f.claims));
    cases.push(("alg none", none, "invalid_token"));

    let mut hs = Header::new(Algorithm::HS256);
    hs.typ = Some("at+jwt".into());
    hs.kid = Some(f.kid.clone());
    let hs_raw = jsonwebtoken::encode(&hs, &f.claims, &EncodingKey::from_secret(public.as_bytes())).unwrap();
    cases.push(("HS256 keyed with the raw public key", hs_raw, "invalid_token"));
    let jwk_x = URL_SAFE_NO_PAD.encode(public.as_bytes());
    let hs_jwk = jsonwebtoken::encode(&hs, &f.claims, &EncodingKey::from_secret(jwk_x.as_bytes())).unwrap();
    cases.push(("HS256 keyed with the JWK x", hs_jwk, "invalid_token"));

    let other = SigningKey::generate(&mut rand::rngs::OsRng).to_pkcs8_der().unwrap();
    cases.push(("another key, same kid", f.sign(f.header(), &f.claims, other.as_bytes()), "invalid_token"));

    let mut unknown_kid = f.header();
    unknown_kid.kid = Some("nope".into());
    cases.push(("unknown kid", f.sign(unknown_kid, &f.claims, &f.der), "invalid_token"));
    let mut no_kid = f.header();
    no_kid.kid = None;
    cases.push(("no kid", f.sign(no_kid, &f.claims, &f.der), "invalid_token"));

    let expired = json!({"exp": now - 120, "iat": now - 900});
    let mut c = f.claims.clone();
    c["exp"] = expired["exp"].clone();
    c["iat"] = expired["iat"].clone();
    cases.push(("expired", f.sign(f.header(), &c, &f.der), "token_expired"));

    cases.push(("wrong aud", f.sign(f.header(), &f.with("aud", json!("someone-else")), &f.der), "invalid_token"));
    cases.push((
        "wrong iss",
        f.sign(f.header(), &f.with("iss", json!("https://evil.example")), &f.der),
        "invalid_token",
    ));
    let mut jwt_typ = f.header();
    jwt_typ.typ = Some("JWT".into());
    cases.push(("wrong typ", f.sign(jwt_typ, &f.claims, &f.der), "invalid_token"));
    cases.push((
        "issued in the future",
        f.sign(f.header(), &f.with("iat", json!(now + 3600)), &f.der),
        "invalid_token",
    ));
    cases.push((
        "lifetime longer than ever issued",
        f.sign(f.header(), &f.with("exp", json!(now + 86400)), &f.der),
        "invalid_token",
    ));
    let mut no_exp = f.claims.clone();
    no_exp.as_object_mut().unwrap().remove("exp");
    cases.push(("no exp", f.sign(f.header(), &no_exp, &f.der), "invalid_token"));

    let good = f.good();
    let parts: Vec<&str> = good.split('.').collect();
    let tampered = format!("{}.{}.{}", parts[0], b64(&f.with("roles", json!(["admin"]))), parts[2]);
    cases.push(("tampered payload", tampered, "invalid_token"));
    cases.push(("truncated signature", format!("{}.{}.{}", parts[0], parts[1], &parts[2][..20]), "invalid_token"));
    cases.push(("not a JWT", "hello".into(), "invalid_token"));

    let session = app
        .post("/api/v1/auth/login", json!({"email": "victim@example.com", "password": "correct horse battery"}))
        .await;
    cases.push(("a refresh token", session.body["refresh_token"].as_str().unwrap().to_owned(), "invalid_token"));

    for (name, token, code) in cases {
        let r = me_with(&app, &token).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{name}: {:?}", r.body);
        assert_eq!(r.code(), code, "{name}");
    }
}

#[tokio::test]
async fn jwks_verifies_issued_tokens() {
    let app = spawn_app().await;
    let s = app.register("jwks@example.com").await;
    let r = app.get("/.well-known/jwks.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let key = &r.body["keys"][0];
    assert_eq!(key["kty"], "OKP");
    assert_eq!(key["crv"], "Ed25519");
    assert_eq!(key["kid"], app.signing_key.0);
    let token = s.body["access_token"].as_str().unwrap();
    let header = jsonwebtoken::decode_header(token).unwrap();
    assert_eq!(header.alg, Algorithm::EdDSA);
    assert_eq!(header.kid.as_deref(), key["kid"].as_str());
    let dk = jsonwebtoken::DecodingKey::from_ed_components(key["x"].as_str().unwrap()).unwrap();
    let mut v = jsonwebtoken::Validation::new(Algorithm::EdDSA);
    v.set_audience(&["ekyc-api"]);
    let data = jsonwebtoken::decode::<Value>(token, &dk, &v).unwrap();
    assert_eq!(data.claims["sub"], s.body["user"]["id"]);
    let life = data.claims["exp"].as_i64().unwrap() - data.claims["iat"].as_i64().unwrap();
    assert!(life <= 900, "access tokens live at most 15 minutes, got {life}s");
}

#[tokio::test]
async fn rotated_keys_keep_verifying_old_tokens() {
    use crate::helpers::{Options, spawn_app_with};
    let old = ekyc::auth::jwt::generate_key_b64().unwrap();
    let new = ekyc::auth::jwt::generate_key_b64().unwrap();
    let before = spawn_app_with(Options::default().set("EKYC_JWT_SIGNING_KEYS", &format!("old:{old}"))).await;
    let token = before.applicant().await;
    // The same database, now with a new signing key in front and the old one kept.
    let after = spawn_app_with(
        Options::default()
            .set("EKYC_JWT_SIGNING_KEYS", &format!("new:{new},old:{old}"))
            .set("DATABASE_URL", &before.db_url),
    )
    .await;
    assert_eq!(after.get("/api/v1/me", Some(&token)).await.status, StatusCode::OK);
    let fresh = after.applicant().await;
    assert_eq!(jsonwebtoken::decode_header(&fresh).unwrap().kid.as_deref(), Some("new"));
    let jwks = after.get("/.well-known/jwks.json", None).await;
    assert_eq!(jwks.body["keys"].as_array().unwrap().len(), 2);
    // Dropping the old key ends its tokens.
    let dropped = spawn_app_with(
        Options::default().set("EKYC_JWT_SIGNING_KEYS", &format!("new:{new}")).set("DATABASE_URL", &before.db_url),
    )
    .await;
    assert_eq!(dropped.get("/api/v1/me", Some(&token)).await.code(), "invalid_token");
}
