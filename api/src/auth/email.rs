//! Email addresses, parsed once at the edge.

use std::fmt;

use crate::error::FieldError;

/// A syntactically plausible, normalised (trimmed, lower-case) email address.
/// `Debug` does not print it: emails are PII.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new("email", "invalid_email", "Enter an email address like name@example.com.");
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(FieldError::new("email", "required", "Enter your email address."));
        }
        if s.len() > 254 {
            return Err(FieldError::new("email", "too_long", "An email address has at most 254 characters."));
        }
        let (local, domain) = s.rsplit_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| tld.len() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()));
        if !(local_ok && domain_ok) {
            return Err(invalid());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(Email::parse("  Jane.Doe+kyc@Example.COM ").unwrap().as_str(), "jane.doe+kyc@example.com");
        assert!(Email::parse("a@b.co").is_ok());
    }

    #[test]
    fn refuses_malformed() {
        for bad in ["", "plain", "a@b", "@b.co", "a@.co", "a..b@c.co", "a@b..co", "a b@c.co", "a@-b.co", "a@b.123"] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(Email::parse("").unwrap_err().code, "required");
        assert_eq!(Email::parse(&format!("{}@b.co", "a".repeat(260))).unwrap_err().code, "too_long");
    }

    #[test]
    fn debug_hides_the_address() {
        assert!(!format!("{:?}", Email::parse("jane@example.com").unwrap()).contains("jane"));
    }
}
