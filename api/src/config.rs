//! Typed configuration, read once from environment variables.
//!
//! Every variable is listed in [`VARIABLES`] with its default and meaning; `.env.example`
//! mirrors that list and a unit test keeps the two in step. Invalid values stop the process
//! at start with a message naming the variable. Secrets are wrapped in [`Secret`], whose
//! `Debug` never prints the value.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// One documented environment variable.
pub struct VarDoc {
    pub name: &'static str,
    /// The default as written in `.env.example`; empty when there is none.
    pub default: &'static str,
    pub help: &'static str,
    pub secret: bool,
}

macro_rules! vars {
    ($($name:literal, $default:literal, $secret:literal, $help:literal;)*) => {
        /// Every environment variable the service reads.
        pub const VARIABLES: &[VarDoc] = &[$(VarDoc { name: $name, default: $default, help: $help, secret: $secret }),*];
    };
}

vars! {
    "EKYC_ENV", "development", false, "development or production; production refuses development defaults (generated JWT key, dev S3 keys)";
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ekyc", true, "PostgreSQL connection URL";
    "EKYC_DB_POOL_SIZE", "10", false, "maximum pooled database connections per process";
    "EKYC_MIGRATE_ON_START", "true", false, "run pending migrations when `serve` starts";
    "EKYC_BIND_ADDR", "127.0.0.1:8080", false, "address the HTTP server listens on";
    "EKYC_PUBLIC_URL", "http://127.0.0.1:8080", false, "public base URL of the API and SPA (links, cookie security)";
    "EKYC_WEB_DIR", "", false, "directory of the built SPA to serve at / (empty: API only)";
    "EKYC_LOG_FORMAT", "pretty", false, "pretty or json";
    "RUST_LOG", "info", false, "log filter (tracing-subscriber EnvFilter syntax)";
    "EKYC_TRUST_FORWARDED_FOR", "false", false, "take the client IP from X-Forwarded-For (only behind a trusted proxy)";
    "EKYC_JWT_SIGNING_KEYS", "", true, "comma-separated kid:base64(PKCS#8 DER Ed25519) pairs; the first signs, all verify. Empty: a key is generated at start (development only)";
    "EKYC_JWT_ISSUER", "", false, "iss of access tokens (default: EKYC_PUBLIC_URL)";
    "EKYC_JWT_AUDIENCE", "ekyc-api", false, "aud of access tokens";
    "EKYC_ACCESS_TOKEN_TTL_SECS", "900", false, "access token lifetime in seconds (at most 900)";
    "EKYC_REFRESH_TOKEN_TTL_SECS", "1209600", false, "refresh token lifetime in seconds";
    "EKYC_RATE_LIMIT_LOGIN_IP", "30/300", false, "login attempts per client IP: count/window-seconds";
    "EKYC_RATE_LIMIT_LOGIN_ACCOUNT", "10/900", false, "login attempts per account: count/window-seconds";
    "EKYC_RATE_LIMIT_REGISTER_IP", "10/3600", false, "registrations per client IP: count/window-seconds";
    "EKYC_PII_KEYS", "", true, "comma-separated kid:base64(32 random bytes) keys that encrypt PII; the first encrypts, all decrypt. Empty: a fixed, published development key (refused in production)";
    "EKYC_BLIND_INDEX_KEY", "", true, "base64(32 random bytes) key of the keyed hash that finds duplicate document numbers. Empty: a development key (refused in production)";
    "EKYC_DEFAULT_LEVEL", "basic", false, "level a new verification starts at";
    "EKYC_LEVELS_FILE", "", false, "JSON file of verification levels (empty: the built-in api/data/levels.json)";
    "EKYC_MAX_ATTEMPTS_PER_DAY", "5", false, "submissions allowed per verification in 24 hours; a retryable rejection past it is final";
    "EKYC_MAX_UPLOAD_BYTES", "10485760", false, "largest accepted image upload in bytes";
    "EKYC_MAX_IMAGE_PIXELS", "40000000", false, "largest accepted image, in pixels (checked before decoding)";
    "EKYC_QUALITY_THRESHOLDS", "", false, "capture-quality thresholds to override, as name=value pairs separated by commas (e.g. min_sharpness=150,max_glare=0.03); the names and published defaults are in docs/quality.md";
    "EKYC_FACE_MODELS_DIR", "models/face", false, "directory holding dlib_face_recognition_resnet_model_v1.dat and shape_predictor_5_face_landmarks.dat (scripts/face-assets.sh puts them in ~/.cache/ekyc/tools/face/models); the worker refuses to start without them";
    "EKYC_FACE_INSTANCES", "2", false, "face model copies per process (how many images are analysed at once)";
    "EKYC_FACE_MATCH_DISTANCE", "0.5", false, "selfie-to-document descriptor distance at or below which the faces match (docs/faces.md has the calibration)";
    "EKYC_FACE_MISMATCH_DISTANCE", "0.6", false, "distance above which the faces do not match; between the two a reviewer decides";
    "EKYC_LIVENESS_TTL_SECS", "120", false, "lifetime of a liveness challenge in seconds";
    "EKYC_LIVENESS_FRAMES_RETENTION_HOURS", "72", false, "how long raw liveness frames are kept in object storage (0: not kept)";
    "EKYC_AUTO_APPROVE", "false", false, "approve without a person when every automated check passes (otherwise such cases go to the review queue)";
    "EKYC_AUTO_RETRY_CODES", "blurred_photo,dark_photo,glare_on_photo,cut_off_document,covered_photo,damaged_document,no_document_in_image,low_resolution,incorrect_side,data_mismatch,document_expired,face_not_found,liveness_failed", false, "reason codes the rules may send back to the applicant (action_required) without a person, when no other check failed or was inconclusive; any other failure goes to review (docs/review.md)";
    "EKYC_DUPLICATE_FACE_DISTANCE", "0.4", false, "selfie descriptor distance to another applicant's selfie at or below which the check flags a duplicate identity";
    "EKYC_REVIEW_CLAIM_TTL_SECS", "1800", false, "how long a reviewer's claim on a case lasts before others may take it";
    "EKYC_FINAL_REJECTION_SECOND_REVIEWER", "true", false, "a final rejection takes effect only when a second reviewer confirms it";
    "S3_ENDPOINT", "http://127.0.0.1:9000", false, "S3-compatible endpoint URL";
    "S3_REGION", "us-east-1", false, "S3 region";
    "S3_BUCKET", "ekyc", false, "bucket for images (created at start when missing)";
    "S3_ACCESS_KEY_ID", "ekyc-dev", false, "S3 access key id";
    "S3_SECRET_ACCESS_KEY", "ekyc-dev-secret-key-0123456789", true, "S3 secret access key";
    "S3_FORCE_PATH_STYLE", "true", false, "path-style bucket addressing (needed by MinIO and s3s-fs)";
    "S3_PRESIGN_TTL_SECS", "300", false, "lifetime of presigned image URLs in seconds (at most 300)";
    "EKYC_APP_URL", "", false, "public URL of the web app, for the deep links in email and SMS and the continue-on-your-phone links (empty: EKYC_PUBLIC_URL)";
    "EKYC_HANDOFF_TTL_SECS", "900", false, "lifetime of a continue-on-your-phone link in seconds (it works once)";
    "EKYC_HANDOFF_SESSION_TTL_SECS", "1800", false, "lifetime of the capture session a phone gets for that link, in seconds";
    "EKYC_RATE_LIMIT_HANDOFF", "5/3600", false, "continue-on-your-phone links per verification: count/window-seconds";
    "EKYC_NOTIFY_MAX_ATTEMPTS", "8", false, "delivery attempts of one email or SMS (exponential backoff between them) before it is marked failed for admins";
    "SMTP_HOST", "127.0.0.1", false, "SMTP relay host";
    "SMTP_PORT", "1025", false, "SMTP relay port";
    "SMTP_TLS", "none", false, "none, starttls or tls";
    "SMTP_USERNAME", "", false, "SMTP user (empty: no authentication)";
    "SMTP_PASSWORD", "", true, "SMTP password";
    "SMTP_FROM", "ekyc <no-reply@ekyc.local>", false, "From header of outgoing email";
    "SMTP_TIMEOUT_SECS", "10", false, "SMTP connection and command timeout in seconds";
    "SMS_BASE_URL", "http://127.0.0.1:1090", false, "base URL of the Twilio-compatible SMS API";
    "SMS_ACCOUNT_SID", "ACdev", false, "SMS provider account id";
    "SMS_AUTH_TOKEN", "dev-token", true, "SMS provider auth token";
    "SMS_FROM", "+15005550006", false, "sender number or id for SMS";
    "SMS_PER_PHONE_LIMIT", "3/3600", false, "SMS to one phone number: count/window-seconds; notifications past it are skipped (email still goes)";
}

/// `.env.example`: every variable with its help text and default.
pub fn env_example() -> String {
    let mut out = String::from(
        "# ekyc configuration: every variable the service reads, with its default.\n\
         # Generated by `ekyc admin env-example`; copy to .env and change what you need.\n\
         # Variables marked [secret] must be set to real values in production.\n",
    );
    for v in VARIABLES {
        out.push('\n');
        out.push_str(&format!("# {}{}\n", v.help, if v.secret { " [secret]" } else { "" }));
        out.push_str(&format!("{}={}\n", v.name, v.default));
    }
    out
}

/// A configuration value that must never be printed.
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    None,
    StartTls,
    Tls,
}

/// `count` events per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub count: u32,
    pub window: Duration,
}

#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    pub url: Secret,
    pub pool_size: usize,
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone)]
pub struct S3Config {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub force_path_style: bool,
    pub presign_ttl: Duration,
}

#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// `(kid, PKCS#8 DER)`; empty means "generate a development key".
    pub signing_keys: Vec<(String, Secret)>,
    pub issuer: String,
    pub audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub login_per_ip: RateLimit,
    pub login_per_account: RateLimit,
    pub register_per_ip: RateLimit,
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: String,
    pub password: Secret,
    pub from: String,
    pub timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct SmsConfig {
    pub base_url: String,
    pub account_sid: String,
    pub auth_token: Secret,
    pub from: String,
    pub per_phone: RateLimit,
}

#[derive(Debug, Clone)]
pub struct NotifyConfig {
    /// Base of the deep links (the web app), without a trailing slash.
    pub app_url: String,
    pub max_attempts: i32,
}

/// Continue on another device (`handoff`).
#[derive(Debug, Clone)]
pub struct HandoffConfig {
    pub link_ttl: Duration,
    pub session_ttl: Duration,
    pub per_verification: RateLimit,
}

#[derive(Debug, Clone)]
pub struct VerificationConfig {
    /// `(kid, 32-byte key)`; the first encrypts.
    pub pii_keys: Vec<(String, Secret)>,
    pub blind_index_key: Secret,
    pub default_level: String,
    pub levels_file: Option<PathBuf>,
    pub max_attempts_per_day: u32,
    pub max_upload_bytes: usize,
    pub max_image_pixels: u64,
    pub quality: ekyc_vision::quality::Thresholds,
    pub faces: FaceConfig,
}

#[derive(Debug, Clone)]
pub struct FaceConfig {
    pub models_dir: PathBuf,
    pub instances: usize,
    pub matching: ekyc_face::MatchThresholds,
    pub liveness_ttl: Duration,
    pub frames_retention_hours: i64,
}

#[derive(Debug, Clone)]
pub struct ReviewConfig {
    pub auto_approve: bool,
    pub auto_retry_codes: Vec<String>,
    pub duplicate_face_distance: f64,
    pub claim_ttl: Duration,
    pub second_reviewer_for_final: bool,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub bind_addr: SocketAddr,
    pub public_url: String,
    pub web_dir: Option<PathBuf>,
    pub log_format: LogFormat,
    pub trust_forwarded_for: bool,
    pub database: DatabaseConfig,
    pub s3: S3Config,
    pub auth: AuthConfig,
    pub verification: VerificationConfig,
    pub smtp: SmtpConfig,
    pub sms: SmsConfig,
    pub notify: NotifyConfig,
    pub review: ReviewConfig,
    pub handoff: HandoffConfig,
}

/// A configuration problem, naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

struct Source<'a> {
    values: &'a HashMap<String, String>,
}

impl Source<'_> {
    fn raw(&self, name: &'static str) -> String {
        match self.values.get(name) {
            Some(v) => v.trim().to_owned(),
            None => VARIABLES.iter().find(|v| v.name == name).map(|v| v.default.to_owned()).unwrap_or_default(),
        }
    }

    fn parse<T: std::str::FromStr>(&self, name: &'static str, what: &str) -> Result<T, ConfigError> {
        let raw = self.raw(name);
        raw.parse().map_err(|_| ConfigError { name, problem: format!("expected {what}") })
    }

    fn boolean(&self, name: &'static str) -> Result<bool, ConfigError> {
        match self.raw(name).to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(ConfigError { name, problem: "expected true or false".into() }),
        }
    }

    fn secs(&self, name: &'static str, min: u64, max: u64) -> Result<Duration, ConfigError> {
        let v: u64 = self.parse(name, "a whole number of seconds")?;
        if !(min..=max).contains(&v) {
            return Err(ConfigError { name, problem: format!("must be between {min} and {max} seconds") });
        }
        Ok(Duration::from_secs(v))
    }

    fn rate(&self, name: &'static str) -> Result<RateLimit, ConfigError> {
        let raw = self.raw(name);
        let bad = || ConfigError { name, problem: "expected count/window-seconds, e.g. 10/900".into() };
        let (count, window) = raw.split_once('/').ok_or_else(bad)?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        let window: u64 = window.trim().parse().map_err(|_| bad())?;
        if count == 0 || window == 0 {
            return Err(bad());
        }
        Ok(RateLimit { count, window: Duration::from_secs(window) })
    }

    fn url(&self, name: &'static str) -> Result<String, ConfigError> {
        let raw = self.raw(name);
        if !(raw.starts_with("http://") || raw.starts_with("https://")) || raw.len() < 10 {
            return Err(ConfigError { name, problem: "expected an http:// or https:// URL".into() });
        }
        Ok(raw.trim_end_matches('/').to_owned())
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        let values: HashMap<String, String> = std::env::vars().collect();
        Self::from_map(&values)
    }

    /// Reads configuration from a map of variables (missing ones take their defaults).
    pub fn from_map(values: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let src = Source { values };
        let environment = match src.raw("EKYC_ENV").as_str() {
            "development" | "dev" => Environment::Development,
            "production" | "prod" => Environment::Production,
            _ => {
                return Err(ConfigError { name: "EKYC_ENV", problem: "expected development or production".into() });
            }
        };
        let public_url = src.url("EKYC_PUBLIC_URL")?;
        let web_dir = match src.raw("EKYC_WEB_DIR") {
            d if d.is_empty() => None,
            d => {
                let path = PathBuf::from(d);
                if !path.join("index.html").is_file() {
                    return Err(ConfigError {
                        name: "EKYC_WEB_DIR",
                        problem: "no index.html in that directory".into(),
                    });
                }
                Some(path)
            }
        };
        let log_format = match src.raw("EKYC_LOG_FORMAT").as_str() {
            "pretty" => LogFormat::Pretty,
            "json" => LogFormat::Json,
            _ => return Err(ConfigError { name: "EKYC_LOG_FORMAT", problem: "expected pretty or json".into() }),
        };
        let database_url = src.raw("DATABASE_URL");
        if !(database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(ConfigError { name: "DATABASE_URL", problem: "expected a postgres:// URL".into() });
        }
        let pool_size: usize = src.parse("EKYC_DB_POOL_SIZE", "a positive number")?;
        if pool_size == 0 {
            return Err(ConfigError { name: "EKYC_DB_POOL_SIZE", problem: "must be at least 1".into() });
        }
        let signing_keys = parse_signing_keys(&src.raw("EKYC_JWT_SIGNING_KEYS"))?;
        if environment == Environment::Production && signing_keys.is_empty() {
            return Err(ConfigError {
                name: "EKYC_JWT_SIGNING_KEYS",
                problem: "required in production (generate one with `ekyc admin gen-jwt-key`)".into(),
            });
        }
        let issuer = match src.raw("EKYC_JWT_ISSUER") {
            i if i.is_empty() => public_url.clone(),
            i => i,
        };
        let s3_secret = src.raw("S3_SECRET_ACCESS_KEY");
        if environment == Environment::Production && s3_secret == "ekyc-dev-secret-key-0123456789" {
            return Err(ConfigError {
                name: "S3_SECRET_ACCESS_KEY",
                problem: "the development default is refused in production".into(),
            });
        }
        let pii_keys = parse_key_list("EKYC_PII_KEYS", &src.raw("EKYC_PII_KEYS"))?;
        let blind_index_key = src.raw("EKYC_BLIND_INDEX_KEY");
        if environment == Environment::Production && (pii_keys.is_empty() || blind_index_key.is_empty()) {
            let name = if pii_keys.is_empty() { "EKYC_PII_KEYS" } else { "EKYC_BLIND_INDEX_KEY" };
            return Err(ConfigError {
                name,
                problem: "required in production (make one with `ekyc admin gen-secret`)".into(),
            });
        }
        let max_attempts_per_day: u32 = src.parse("EKYC_MAX_ATTEMPTS_PER_DAY", "a positive number")?;
        if max_attempts_per_day == 0 {
            return Err(ConfigError { name: "EKYC_MAX_ATTEMPTS_PER_DAY", problem: "must be at least 1".into() });
        }
        let smtp_port: u16 = src.parse("SMTP_PORT", "a port number")?;
        let smtp_tls = match src.raw("SMTP_TLS").as_str() {
            "none" => SmtpTls::None,
            "starttls" => SmtpTls::StartTls,
            "tls" => SmtpTls::Tls,
            _ => return Err(ConfigError { name: "SMTP_TLS", problem: "expected none, starttls or tls".into() }),
        };
        let sms_token = src.raw("SMS_AUTH_TOKEN");
        let sms_base = src.url("SMS_BASE_URL")?;
        if environment == Environment::Production {
            if sms_token == "dev-token" {
                return Err(ConfigError {
                    name: "SMS_AUTH_TOKEN",
                    problem: "the development stand-in's token is refused in production".into(),
                });
            }
            if smtp_tls == SmtpTls::None && !src.raw("SMTP_USERNAME").is_empty() {
                return Err(ConfigError {
                    name: "SMTP_TLS",
                    problem: "SMTP credentials would travel in clear: use starttls or tls in production".into(),
                });
            }
        }
        let app_url = match src.raw("EKYC_APP_URL") {
            u if u.is_empty() => public_url.clone(),
            _ => src.url("EKYC_APP_URL")?,
        };
        let notify_attempts: i32 = src.parse("EKYC_NOTIFY_MAX_ATTEMPTS", "a number from 1 to 30")?;
        if !(1..=30).contains(&notify_attempts) {
            return Err(ConfigError { name: "EKYC_NOTIFY_MAX_ATTEMPTS", problem: "must be between 1 and 30".into() });
        }
        Ok(Self {
            environment,
            bind_addr: src.parse("EKYC_BIND_ADDR", "host:port, e.g. 127.0.0.1:8080")?,
            public_url,
            web_dir,
            log_format,
            trust_forwarded_for: src.boolean("EKYC_TRUST_FORWARDED_FOR")?,
            database: DatabaseConfig {
                url: Secret::new(database_url),
                pool_size,
                migrate_on_start: src.boolean("EKYC_MIGRATE_ON_START")?,
            },
            s3: S3Config {
                endpoint: src.url("S3_ENDPOINT")?,
                region: src.raw("S3_REGION"),
                bucket: non_empty(&src, "S3_BUCKET")?,
                access_key_id: non_empty(&src, "S3_ACCESS_KEY_ID")?,
                secret_access_key: Secret::new(s3_secret),
                force_path_style: src.boolean("S3_FORCE_PATH_STYLE")?,
                presign_ttl: src.secs("S3_PRESIGN_TTL_SECS", 10, 300)?,
            },
            auth: AuthConfig {
                signing_keys,
                issuer,
                audience: non_empty(&src, "EKYC_JWT_AUDIENCE")?,
                access_ttl: src.secs("EKYC_ACCESS_TOKEN_TTL_SECS", 30, 900)?,
                refresh_ttl: src.secs("EKYC_REFRESH_TOKEN_TTL_SECS", 300, 90 * 24 * 3600)?,
                login_per_ip: src.rate("EKYC_RATE_LIMIT_LOGIN_IP")?,
                login_per_account: src.rate("EKYC_RATE_LIMIT_LOGIN_ACCOUNT")?,
                register_per_ip: src.rate("EKYC_RATE_LIMIT_REGISTER_IP")?,
            },
            verification: VerificationConfig {
                pii_keys,
                blind_index_key: Secret::new(blind_index_key),
                default_level: non_empty(&src, "EKYC_DEFAULT_LEVEL")?,
                levels_file: Some(src.raw("EKYC_LEVELS_FILE")).filter(|s| !s.is_empty()).map(PathBuf::from),
                max_attempts_per_day,
                max_upload_bytes: src.parse("EKYC_MAX_UPLOAD_BYTES", "a number of bytes")?,
                max_image_pixels: src.parse("EKYC_MAX_IMAGE_PIXELS", "a number of pixels")?,
                quality: parse_thresholds(&src.raw("EKYC_QUALITY_THRESHOLDS"))?,
                faces: FaceConfig {
                    models_dir: PathBuf::from(non_empty(&src, "EKYC_FACE_MODELS_DIR")?),
                    instances: src.parse("EKYC_FACE_INSTANCES", "a number")?,
                    matching: face_thresholds(&src)?,
                    liveness_ttl: src.secs("EKYC_LIVENESS_TTL_SECS", 30, 600)?,
                    frames_retention_hours: src.parse("EKYC_LIVENESS_FRAMES_RETENTION_HOURS", "a number of hours")?,
                },
            },
            smtp: SmtpConfig {
                host: non_empty(&src, "SMTP_HOST")?,
                port: smtp_port,
                tls: smtp_tls,
                username: src.raw("SMTP_USERNAME"),
                password: Secret::new(src.raw("SMTP_PASSWORD")),
                from: non_empty(&src, "SMTP_FROM")?,
                timeout: src.secs("SMTP_TIMEOUT_SECS", 1, 300)?,
            },
            sms: SmsConfig {
                base_url: sms_base,
                account_sid: non_empty(&src, "SMS_ACCOUNT_SID")?,
                auth_token: Secret::new(sms_token),
                from: non_empty(&src, "SMS_FROM")?,
                per_phone: src.rate("SMS_PER_PHONE_LIMIT")?,
            },
            notify: NotifyConfig { app_url, max_attempts: notify_attempts },
            review: review_config(&src)?,
            handoff: HandoffConfig {
                link_ttl: src.secs("EKYC_HANDOFF_TTL_SECS", 60, 3600)?,
                session_ttl: src.secs("EKYC_HANDOFF_SESSION_TTL_SECS", 300, 4 * 3600)?,
                per_verification: src.rate("EKYC_RATE_LIMIT_HANDOFF")?,
            },
        })
    }

    /// Cookies get `Secure` when the public URL is HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

fn face_thresholds(src: &Source<'_>) -> Result<ekyc_face::MatchThresholds, ConfigError> {
    let match_distance: f64 = src.parse("EKYC_FACE_MATCH_DISTANCE", "a distance such as 0.5")?;
    let mismatch_distance: f64 = src.parse("EKYC_FACE_MISMATCH_DISTANCE", "a distance such as 0.6")?;
    if !(0.1..=1.0).contains(&match_distance) {
        return Err(ConfigError { name: "EKYC_FACE_MATCH_DISTANCE", problem: "must be between 0.1 and 1.0".into() });
    }
    if !(match_distance..=1.5).contains(&mismatch_distance) {
        return Err(ConfigError {
            name: "EKYC_FACE_MISMATCH_DISTANCE",
            problem: "must be at least EKYC_FACE_MATCH_DISTANCE and at most 1.5".into(),
        });
    }
    Ok(ekyc_face::MatchThresholds { match_distance, mismatch_distance })
}

fn review_config(src: &Source<'_>) -> Result<ReviewConfig, ConfigError> {
    let codes: Vec<String> = src
        .raw("EKYC_AUTO_RETRY_CODES")
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(bad) = codes.iter().find(|c| !crate::verification::model::REASON_CODES.contains(&c.as_str())) {
        return Err(ConfigError { name: "EKYC_AUTO_RETRY_CODES", problem: format!("{bad} is not a reason code") });
    }
    let duplicate_face_distance: f64 = src.parse("EKYC_DUPLICATE_FACE_DISTANCE", "a distance such as 0.4")?;
    if !(0.0..=1.0).contains(&duplicate_face_distance) {
        return Err(ConfigError { name: "EKYC_DUPLICATE_FACE_DISTANCE", problem: "must be between 0 and 1".into() });
    }
    Ok(ReviewConfig {
        auto_approve: src.boolean("EKYC_AUTO_APPROVE")?,
        auto_retry_codes: codes,
        duplicate_face_distance,
        claim_ttl: src.secs("EKYC_REVIEW_CLAIM_TTL_SECS", 60, 24 * 3600)?,
        second_reviewer_for_final: src.boolean("EKYC_FINAL_REJECTION_SECOND_REVIEWER")?,
    })
}

fn non_empty(src: &Source<'_>, name: &'static str) -> Result<String, ConfigError> {
    let v = src.raw(name);
    if v.is_empty() {
        return Err(ConfigError { name, problem: "must not be empty".into() });
    }
    Ok(v)
}

fn parse_signing_keys(raw: &str) -> Result<Vec<(String, Secret)>, ConfigError> {
    parse_key_list("EKYC_JWT_SIGNING_KEYS", raw)
}

/// `name=value,…` over the published defaults.
fn parse_thresholds(raw: &str) -> Result<ekyc_vision::quality::Thresholds, ConfigError> {
    const NAME: &str = "EKYC_QUALITY_THRESHOLDS";
    let mut t = ekyc_vision::quality::Thresholds::default();
    for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (k, v) =
            item.split_once('=').ok_or(ConfigError { name: NAME, problem: format!("{item}: expected name=value") })?;
        let v: f32 = v.trim().parse().map_err(|_| ConfigError { name: NAME, problem: format!("{k}: not a number") })?;
        let slot = match k.trim() {
            "min_document_px" => &mut t.min_document_px,
            "min_sharpness" => &mut t.min_sharpness,
            "max_edge_width" => &mut t.max_edge_width,
            "min_brightness" => &mut t.min_brightness,
            "max_brightness" => &mut t.max_brightness,
            "max_glare" => &mut t.max_glare,
            "max_covered" => &mut t.max_covered,
            "max_protrusion" => &mut t.max_protrusion,
            "max_missing_corner" => &mut t.max_missing_corner,
            "max_screen" => &mut t.max_screen,
            "max_border_contact" => &mut t.max_border_contact,
            "min_fill" => &mut t.min_fill,
            "min_corner_fill" => &mut t.min_corner_fill,
            "min_print" => &mut t.min_print,
            "max_roundness" => &mut t.max_roundness,
            "min_small_print" => &mut t.min_small_print,
            other => return Err(ConfigError { name: NAME, problem: format!("unknown threshold {other}") }),
        };
        *slot = v;
    }
    Ok(t)
}

/// `kid:value,kid:value`, kids unique and plain.
fn parse_key_list(name: &'static str, raw: &str) -> Result<Vec<(String, Secret)>, ConfigError> {
    let mut keys = Vec::new();
    for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (kid, key) =
            item.split_once(':').ok_or(ConfigError { name, problem: "each entry must be kid:base64-key".into() })?;
        let kid = kid.trim();
        if kid.is_empty() || !kid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(ConfigError { name, problem: "a kid must be letters, digits, - or _".into() });
        }
        if keys.iter().any(|(k, _): &(String, Secret)| k == kid) {
            return Err(ConfigError { name, problem: format!("kid {kid} appears twice") });
        }
        keys.push((kid.to_owned(), Secret::new(key.trim())));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Config::from_map(&map)
    }

    #[test]
    fn defaults_are_valid() {
        let c = with(&[]).unwrap();
        assert_eq!(c.environment, Environment::Development);
        assert_eq!(c.auth.access_ttl, Duration::from_secs(900));
        assert_eq!(c.auth.issuer, "http://127.0.0.1:8080");
        assert_eq!(c.auth.login_per_account, RateLimit { count: 10, window: Duration::from_secs(900) });
    }

    #[test]
    fn invalid_values_name_the_variable() {
        let cases = [
            ("EKYC_BIND_ADDR", "nope"),
            ("EKYC_ACCESS_TOKEN_TTL_SECS", "3600"),
            ("EKYC_RATE_LIMIT_LOGIN_IP", "10"),
            ("S3_FORCE_PATH_STYLE", "maybe"),
            ("DATABASE_URL", "mysql://x"),
            ("EKYC_JWT_SIGNING_KEYS", "no-colon"),
            ("SMTP_TLS", "ssl"),
            ("SMS_PER_PHONE_LIMIT", "3"),
            ("EKYC_NOTIFY_MAX_ATTEMPTS", "0"),
            ("EKYC_APP_URL", "ftp://x"),
        ];
        for (name, value) in cases {
            let err = with(&[(name, value)]).unwrap_err();
            assert_eq!(err.name, name, "{value}");
        }
    }

    #[test]
    fn quality_thresholds_override_the_published_defaults() {
        let c = with(&[("EKYC_QUALITY_THRESHOLDS", "min_sharpness=150, max_glare=0.05")]).unwrap();
        assert_eq!(c.verification.quality.min_sharpness, 150.0);
        assert_eq!(c.verification.quality.max_glare, 0.05);
        let d = ekyc_vision::quality::Thresholds::default();
        assert_eq!(c.verification.quality.min_brightness, d.min_brightness);
        for bad in ["min_sharpness", "min_sharpness=x", "made_up=1"] {
            assert_eq!(with(&[("EKYC_QUALITY_THRESHOLDS", bad)]).unwrap_err().name, "EKYC_QUALITY_THRESHOLDS", "{bad}");
        }
        // Every published threshold can be overridden by its own name.
        let published = serde_json::to_value(&d).unwrap();
        for name in published.as_object().unwrap().keys() {
            let c = with(&[("EKYC_QUALITY_THRESHOLDS", &format!("{name}=0.125"))]).unwrap();
            let set = serde_json::to_value(&c.verification.quality).unwrap();
            assert_eq!(set[name], 0.125, "{name}");
        }
    }

    #[test]
    fn production_refuses_development_secrets() {
        let err = with(&[("EKYC_ENV", "production")]).unwrap_err();
        assert_eq!(err.name, "EKYC_JWT_SIGNING_KEYS");
        let err = with(&[("EKYC_ENV", "production"), ("EKYC_JWT_SIGNING_KEYS", "k1:abc")]).unwrap_err();
        assert_eq!(err.name, "S3_SECRET_ACCESS_KEY");
        let prod = [
            ("EKYC_ENV", "production"),
            ("EKYC_JWT_SIGNING_KEYS", "k1:abc"),
            ("S3_SECRET_ACCESS_KEY", "real"),
            ("EKYC_PII_KEYS", "k1:abc"),
            ("EKYC_BLIND_INDEX_KEY", "abc"),
        ];
        assert_eq!(with(&prod).unwrap_err().name, "SMS_AUTH_TOKEN", "the SMS stand-in's token");
        let mut real_sms = prod.to_vec();
        real_sms.push(("SMS_AUTH_TOKEN", "live"));
        real_sms.push(("SMTP_USERNAME", "mailer"));
        assert_eq!(with(&real_sms).unwrap_err().name, "SMTP_TLS", "SMTP credentials in clear");
        real_sms.push(("SMTP_TLS", "starttls"));
        assert!(with(&real_sms).is_ok());
    }

    #[test]
    fn secrets_are_not_printed() {
        let c = with(&[("DATABASE_URL", "postgres://u:hunter2@db/ekyc")]).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn env_example_is_current() {
        let committed = include_str!("../../.env.example");
        assert!(committed == env_example(), ".env.example is out of date: run `ekyc admin env-example > .env.example`");
        assert!(with(&[]).is_ok(), "the documented defaults must form a valid configuration");
    }
}
