//! Personal information: the wire form, the rules, and the validated form. Every violation
//! is collected into one list of field errors.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::catalogue::{Catalogue, DocumentType, Level, normalise_document_number};
use crate::error::FieldError;

pub const NAME_MAX: usize = 100;
pub const MAX_AGE: u32 = 120;

/// As entered. Every field is optional here so that a missing one is reported as a field
/// error (`required`), not as unreadable JSON. Not `Debug`: it is PII.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct PersonalInfoInput {
    /// ISO 3166-1 alpha-2 code of the country that issued the document.
    #[schema(example = "DE")]
    pub issuing_country: Option<String>,
    /// One of the types the issuing country supports (see `/countries/{code}`).
    #[schema(example = "id_card")]
    pub document_type: Option<String>,
    /// As printed on the document, in its script.
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    /// Latin transliteration, when the document's script is not Latin.
    pub latin_first_name: Option<String>,
    pub latin_last_name: Option<String>,
    #[schema(example = "1990-04-23", format = Date)]
    pub date_of_birth: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "DE")]
    pub nationality: Option<String>,
    /// Spaces and hyphens are ignored; letters are upper-cased.
    pub document_number: Option<String>,
    #[schema(example = "2031-01-31", format = Date)]
    pub expiry_date: Option<String>,
    /// Required by levels that ask for an address.
    pub address: Option<AddressInput>,
    /// Optional mobile number for SMS updates, in international format (`+` and the country
    /// code). Kept in the notification settings, not with the document data.
    #[schema(example = "+49 151 23456789")]
    pub phone: Option<String>,
}

#[derive(Deserialize, Serialize, ToSchema, Default, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
}

/// Validated personal information. Not `Debug`: it is PII.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonalInfo {
    pub issuing_country: String,
    pub document_type: DocumentType,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub latin_first_name: Option<String>,
    pub latin_last_name: Option<String>,
    pub date_of_birth: NaiveDate,
    pub nationality: String,
    pub document_number: String,
    pub expiry_date: Option<NaiveDate>,
    pub address: Option<Address>,
    /// E.164; saved to the notification settings (not sealed with the document data).
    pub phone: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Address {
    pub line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    pub city: String,
    pub postcode: String,
    pub country: String,
}

/// The sealed fields, in the order they are stored.
pub const SEALED_FIELDS: &[&str] = &[
    "first_name",
    "middle_name",
    "last_name",
    "latin_first_name",
    "latin_last_name",
    "date_of_birth",
    "nationality",
    "document_number",
    "expiry_date",
    "address",
];

impl PersonalInfo {
    /// `(field, value)` pairs to seal; absent optional fields are left out.
    pub fn sealed_values(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("first_name", self.first_name.clone()), ("last_name", self.last_name.clone())];
        for (name, v) in [
            ("middle_name", &self.middle_name),
            ("latin_first_name", &self.latin_first_name),
            ("latin_last_name", &self.latin_last_name),
        ] {
            if let Some(v) = v {
                out.push((name, v.clone()));
            }
        }
        out.push(("date_of_birth", self.date_of_birth.to_string()));
        out.push(("nationality", self.nationality.clone()));
        out.push(("document_number", self.document_number.clone()));
        if let Some(e) = self.expiry_date {
            out.push(("expiry_date", e.to_string()));
        }
        if let Some(a) = &self.address {
            out.push(("address", serde_json::to_string(a).unwrap_or_default()));
        }
        out
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A name as printed: letters of any script with combining marks, spaces, apostrophes,
/// hyphens and dots; no digits, control or direction-override characters.
fn name(field: &str, value: Option<&str>, required: bool, errors: &mut Vec<FieldError>) -> Option<String> {
    let v = value.map(str::trim).filter(|v| !v.is_empty());
    let Some(v) = v else {
        if required {
            errors.push(FieldError::new(field, "required", "Enter this as printed on your document."));
        }
        return None;
    };
    if v.chars().count() > NAME_MAX {
        errors.push(FieldError::new(field, "too_long", format!("Use at most {NAME_MAX} characters.")));
        return None;
    }
    if v.chars().any(|c| c.is_control() || is_bidi_control(c) || c == '\u{FEFF}') {
        errors.push(FieldError::new(field, "invalid_characters", "Remove invisible or control characters."));
        return None;
    }
    let symbol = |c: char| c.is_numeric() || "<>{}[]()@#$%^&*_=+|\\/;:\"?!~`,".contains(c);
    if v.chars().any(symbol) || !v.chars().any(char::is_alphabetic) {
        errors.push(FieldError::new(field, "invalid_characters", "Use letters as printed on your document."));
        return None;
    }
    Some(v.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn latin(field: &str, value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    if v.len() > NAME_MAX || !v.chars().all(|c| c.is_ascii_alphabetic() || " '-.".contains(c)) {
        errors.push(FieldError::new(field, "invalid_characters", "Use Latin letters (A–Z) only."));
        return None;
    }
    Some(v.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn date(field: &str, value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let v = value.map(str::trim).filter(|v| !v.is_empty());
    let Some(v) = v else {
        errors.push(FieldError::new(field, "required", "Enter a date as YYYY-MM-DD."));
        return None;
    };
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if v.len() == 10 => Some(d),
        _ => {
            errors.push(FieldError::new(field, "invalid_date", "Enter a real date as YYYY-MM-DD."));
            None
        }
    }
}

/// Full years between `born` and `today`.
pub fn age_on(born: NaiveDate, today: NaiveDate) -> i32 {
    let mut age = today.year() - born.year();
    if (today.month(), today.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    age
}

fn country_code(
    field: &str,
    value: Option<&str>,
    catalogue: &Catalogue,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let v = value.map(|v| v.trim().to_ascii_uppercase()).filter(|v| !v.is_empty());
    let Some(v) = v else {
        errors.push(FieldError::new(field, "required", "Choose a country or region."));
        return None;
    };
    if catalogue.country(&v).is_none() {
        errors.push(FieldError::new(field, "unknown_country", "Use an ISO 3166-1 two-letter code, e.g. DE."));
        return None;
    }
    Some(v)
}

fn text(field: &str, value: Option<&str>, max: usize, required: bool, errors: &mut Vec<FieldError>) -> Option<String> {
    let v = value.map(str::trim).filter(|v| !v.is_empty());
    let Some(v) = v else {
        if required {
            errors.push(FieldError::new(field, "required", "This is required."));
        }
        return None;
    };
    if v.chars().count() > max || v.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        errors.push(FieldError::new(field, "invalid_format", format!("Use at most {max} plain characters.")));
        return None;
    }
    Some(v.to_owned())
}

/// Checks everything and returns the validated form, or every problem at once.
pub fn parse(
    input: &PersonalInfoInput,
    catalogue: &Catalogue,
    level: &Level,
    today: NaiveDate,
) -> Result<PersonalInfo, Vec<FieldError>> {
    let mut errors = Vec::new();
    let issuing = country_code("issuing_country", input.issuing_country.as_deref(), catalogue, &mut errors);
    let doc_type = match input.document_type.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.push(FieldError::new("document_type", "required", "Choose a document type."));
            None
        }
        Some(raw) => match DocumentType::parse(raw) {
            None => {
                errors.push(FieldError::new("document_type", "invalid_format", "Unknown document type."));
                None
            }
            Some(t) => Some(t),
        },
    };
    let spec = match (&issuing, doc_type) {
        (Some(c), Some(t)) => {
            let spec = catalogue.document(c, t);
            if spec.is_none() {
                errors.push(FieldError::new(
                    "document_type",
                    "not_supported",
                    "This country does not issue this document; choose another.",
                ));
            }
            spec
        }
        _ => None,
    };
    let first_name = name("first_name", input.first_name.as_deref(), true, &mut errors);
    let middle_name = name("middle_name", input.middle_name.as_deref(), false, &mut errors);
    let last_name = name("last_name", input.last_name.as_deref(), true, &mut errors);
    let latin_first_name = latin("latin_first_name", input.latin_first_name.as_deref(), &mut errors);
    let latin_last_name = latin("latin_last_name", input.latin_last_name.as_deref(), &mut errors);
    let nationality = country_code("nationality", input.nationality.as_deref(), catalogue, &mut errors);

    let dob = date("date_of_birth", input.date_of_birth.as_deref(), &mut errors);
    if let Some(d) = dob {
        let age = age_on(d, today);
        let min_age = issuing.as_deref().and_then(|c| catalogue.country(c)).map_or(18, |c| c.min_age);
        if d > today {
            errors.push(FieldError::new("date_of_birth", "invalid_date", "The date of birth is in the future."));
        } else if age < i32::try_from(min_age).unwrap_or(18) {
            errors.push(FieldError::new(
                "date_of_birth",
                "under_age",
                format!("You must be at least {min_age} years old."),
            ));
        } else if age > i32::try_from(MAX_AGE).unwrap_or(120) {
            errors.push(FieldError::new("date_of_birth", "too_old", "Check the year of birth."));
        }
    }

    let number = match input.document_number.as_deref().map(normalise_document_number).filter(|n| !n.is_empty()) {
        None => {
            errors.push(FieldError::new("document_number", "required", "Enter the document number."));
            None
        }
        Some(n) if n.chars().count() > 30 || !n.chars().all(|c| c.is_ascii_alphanumeric()) => {
            errors.push(FieldError::new(
                "document_number",
                "invalid_format",
                "Use the letters and digits of the number.",
            ));
            None
        }
        Some(n) => match spec {
            Some(s) if !catalogue.number_matches(s, &n) => {
                let rule = s.number.as_ref().map_or("", |r| r.description.as_str());
                errors.push(FieldError::new("document_number", "invalid_format", format!("Expected {rule}.")));
                None
            }
            _ => Some(n),
        },
    };

    let expiry = match (spec, input.expiry_date.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
        (Some(s), None) if s.has_expiry => {
            errors.push(FieldError::new("expiry_date", "required", "Enter the expiry date printed on the document."));
            None
        }
        (_, None) => None,
        (_, Some(_)) => date("expiry_date", input.expiry_date.as_deref(), &mut errors).and_then(|e| {
            if e <= today {
                errors.push(FieldError::new("expiry_date", "expired", "This document has expired; use a valid one."));
                None
            } else if e.year() > today.year() + 30 {
                errors.push(FieldError::new("expiry_date", "invalid_date", "Check the expiry year."));
                None
            } else {
                Some(e)
            }
        }),
    };

    let address = match (&input.address, level.requires_address) {
        (None, true) => {
            errors.push(FieldError::new("address", "required", "This level needs your residential address."));
            None
        }
        (None, false) => None,
        (Some(a), _) => {
            let before = errors.len();
            let line1 = text("address.line1", a.line1.as_deref(), 200, true, &mut errors);
            let line2 = text("address.line2", a.line2.as_deref(), 200, false, &mut errors);
            let city = text("address.city", a.city.as_deref(), 100, true, &mut errors);
            let postcode = text("address.postcode", a.postcode.as_deref(), 20, true, &mut errors);
            let country = country_code("address.country", a.country.as_deref(), catalogue, &mut errors);
            match (line1, city, postcode, country) {
                (Some(line1), Some(city), Some(postcode), Some(country)) if errors.len() == before => {
                    Some(Address { line1, line2, city, postcode, country })
                }
                _ => None,
            }
        }
    };

    let phone = match input.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(raw) => match crate::notify::settings::parse_phone("phone", raw) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };

    match (issuing, doc_type, first_name, last_name, dob, nationality, number) {
        (
            Some(issuing_country),
            Some(document_type),
            Some(first_name),
            Some(last_name),
            Some(date_of_birth),
            Some(nationality),
            Some(document_number),
        ) if errors.is_empty() => Ok(PersonalInfo {
            issuing_country,
            document_type,
            first_name,
            middle_name,
            last_name,
            latin_first_name,
            latin_last_name,
            date_of_birth,
            nationality,
            document_number,
            expiry_date: expiry,
            address,
            phone,
        }),
        _ => Err(errors),
    }
}

/// What the owner sees of their own entries (to pre-fill the form).
#[derive(Serialize, ToSchema)]
pub struct PersonalInfoView {
    pub issuing_country: String,
    pub document_type: DocumentType,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub latin_first_name: Option<String>,
    pub latin_last_name: Option<String>,
    #[schema(format = Date)]
    pub date_of_birth: String,
    pub nationality: String,
    pub document_number: String,
    #[schema(format = Date)]
    pub expiry_date: Option<String>,
    pub address: Option<Address>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn catalogue() -> Catalogue {
        Catalogue::load(&Config::from_map(&Default::default()).unwrap().verification).unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn good() -> PersonalInfoInput {
        PersonalInfoInput {
            issuing_country: Some("de".into()),
            document_type: Some("passport".into()),
            first_name: Some("Jürgen  Émile".into()),
            last_name: Some("Müller-Lüdenscheidt".into()),
            date_of_birth: Some("1990-04-23".into()),
            nationality: Some("DE".into()),
            document_number: Some("c01x 00t47".into()),
            expiry_date: Some("2031-01-31".into()),
            ..Default::default()
        }
    }

    fn codes(r: Result<PersonalInfo, Vec<FieldError>>) -> Vec<(String, String)> {
        r.err().unwrap_or_default().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_good_entry_is_normalised() {
        let c = catalogue();
        let level = c.level("basic").unwrap().clone();
        let p = parse(&good(), &c, &level, today()).ok().unwrap();
        assert_eq!(p.issuing_country, "DE");
        assert_eq!(p.first_name, "Jürgen Émile");
        assert_eq!(p.document_number, "C01X00T47");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let c = catalogue();
        let level = c.level("basic").unwrap().clone();
        let mut bad = good();
        bad.first_name = Some("Ali\u{202E}ce".into());
        bad.last_name = Some("R2D2".into());
        bad.date_of_birth = Some("2015-02-30".into());
        bad.document_number = Some("123".into());
        bad.expiry_date = Some("2020-01-01".into());
        bad.nationality = Some("XX".into());
        bad.phone = Some("0151 2345678".into());
        let got = codes(parse(&bad, &c, &level, today()));
        for want in [
            ("first_name", "invalid_characters"),
            ("last_name", "invalid_characters"),
            ("date_of_birth", "invalid_date"),
            ("document_number", "invalid_format"),
            ("expiry_date", "expired"),
            ("nationality", "unknown_country"),
            ("phone", "invalid_phone"),
        ] {
            assert!(got.contains(&(want.0.into(), want.1.into())), "{want:?} in {got:?}");
        }
    }

    #[test]
    fn age_rules() {
        let c = catalogue();
        let level = c.level("basic").unwrap().clone();
        let mut young = good();
        young.date_of_birth = Some("2008-11-26".into());
        assert_eq!(codes(parse(&young, &c, &level, today())), vec![("date_of_birth".into(), "under_age".into())]);
        young.date_of_birth = Some("2008-11-25".into());
        assert!(parse(&young, &c, &level, today()).is_ok(), "18 today");
        let mut old = good();
        old.date_of_birth = Some("1890-01-01".into());
        assert_eq!(codes(parse(&old, &c, &level, today())), vec![("date_of_birth".into(), "too_old".into())]);
    }

    #[test]
    fn document_type_must_exist_in_the_country_and_address_follows_the_level() {
        let c = catalogue();
        let mut us = good();
        us.issuing_country = Some("US".into());
        us.document_type = Some("id_card".into());
        let basic = c.level("basic").unwrap().clone();
        assert!(codes(parse(&us, &c, &basic, today())).contains(&("document_type".into(), "not_supported".into())));
        let enhanced = c.level("enhanced").unwrap().clone();
        assert!(codes(parse(&good(), &c, &enhanced, today())).contains(&("address".into(), "required".into())));
    }
}
