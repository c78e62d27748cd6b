//! Passwords: the NIST SP 800-63B policy (length, blocklist, no composition rules) and
//! argon2id hashing.

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::FieldError;

pub const MIN_LENGTH: usize = 10;
/// SP 800-63B asks verifiers to accept at least 64 characters.
pub const MAX_LENGTH: usize = 128;

/// Commonly used passwords of at least [`MIN_LENGTH`] characters (shorter ones are refused by
/// length anyway). Source and licence in the file's header.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Words specific to this service and its users, refused as passwords (SP 800-63B §3.1.1.2).
const CONTEXT_WORDS: &[&str] = &["ekyc", "password", "verification", "identity"];

/// Checks a new password; `email` is the account's, to refuse passwords built on it.
pub fn check_policy(password: &str, email: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if chars < MIN_LENGTH {
        return Err(FieldError::new(
            "password",
            "too_short",
            format!("Use at least {MIN_LENGTH} characters; a few unrelated words work well."),
        ));
    }
    if chars > MAX_LENGTH {
        return Err(FieldError::new("password", "too_long", format!("Use at most {MAX_LENGTH} characters.")));
    }
    let lower = password.to_lowercase();
    if COMMON.contains(lower.as_str()) {
        return Err(FieldError::new(
            "password",
            "common_password",
            "This password is too common; choose one that is hard to guess.",
        ));
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    let repetitive = lower.chars().collect::<HashSet<_>>().len() < 4;
    let contextual = (local.len() >= 4 && lower.contains(&local))
        || CONTEXT_WORDS
            .iter()
            .any(|w| lower.trim_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation()) == *w)
        || lower == email.to_lowercase();
    if repetitive || contextual {
        return Err(FieldError::new(
            "password",
            "common_password",
            "This password is easy to guess from your email or repeats characters; choose another.",
        ));
    }
    Ok(())
}

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (CPU-heavy: call from a blocking thread).
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing: {e}"))
}

/// Verifies a password against a stored PHC string (CPU-heavy: call from a blocking thread).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A real hash to verify against when the account does not exist, so that a login for an
/// unknown email costs the same time as one for a known email.
pub static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash("not-a-real-password-for-timing").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rules() {
        assert_eq!(check_policy("short", "a@b.co").unwrap_err().code, "too_short");
        assert_eq!(check_policy(&"x".repeat(129), "a@b.co").unwrap_err().code, "too_long");
        assert!(check_policy("correct horse battery", "a@b.co").is_ok());
        // No composition rules: lower-case words only is fine.
        assert!(check_policy("plainwordsonly", "a@b.co").is_ok());
        // Length counts characters, not bytes.
        assert_eq!(check_policy("ééééé", "a@b.co").unwrap_err().code, "too_short");
    }

    #[test]
    fn common_and_contextual_passwords_are_refused() {
        assert!(COMMON.len() > 1000, "blocklist has {} entries", COMMON.len());
        for p in ["1234567890", "qwertyuiop", "Password123", "aaaaaaaaaaaa", "ekyc123456", "jane.doe.rocks"] {
            assert_eq!(check_policy(p, "jane.doe@example.com").unwrap_err().code, "common_password", "{p}");
        }
    }

    #[test]
    fn hash_round_trip() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterx", &h));
        assert!(!verify("anything", "not a hash"));
    }
}
