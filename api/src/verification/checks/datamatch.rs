//! Entered data against the data read off the document (MRZ or PDF417), field by field.
//! Pure: no I/O, PII in and verdicts out (the verdicts carry field names only).
//!
//! Names are compared after transliteration to A–Z: ICAO 9303's rules first (`Müller` →
//! `MUELLER`, as passports print it), else plain folding (`deunicode`: `Müller` → `MULLER`,
//! as some issuers do). Order of the name parts, hyphens, apostrophes and particles do not
//! matter (`de la Cruz` = `DE<LA<CRUZ`), nor does a name the MRZ had to truncate. Spelling
//! does: there is no fuzzy matching, so a different person never passes as a typo.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// The document's data as the extraction stored it (sealed JSON).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Extracted {
    pub source: String,
    /// MRZ: every check digit verified. PDF417 has no check digits and is taken as read.
    #[serde(default = "yes")]
    pub valid: bool,
    pub document_number: Option<String>,
    pub surname: Option<String>,
    pub given_names: Option<String>,
    pub nationality: Option<String>,
    pub issuing_state: Option<String>,
    /// PDF417 (AAMVA) country.
    pub country: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub expiry_date: Option<NaiveDate>,
    /// The MRZ name field was full: trailing name parts may be cut.
    #[serde(default)]
    pub name_truncated: bool,
}

fn yes() -> bool {
    true
}

/// What the applicant entered, with countries as ICAO alpha-3 codes.
#[derive(Debug, Clone)]
pub struct Entered<'a> {
    pub first_name: &'a str,
    pub middle_name: Option<&'a str>,
    pub last_name: &'a str,
    /// Latin spellings, when the names are in another script: these are what the MRZ holds.
    pub latin_first_name: Option<&'a str>,
    pub latin_last_name: Option<&'a str>,
    pub date_of_birth: NaiveDate,
    pub document_number: &'a str,
    pub expiry_date: Option<NaiveDate>,
    pub nationality_alpha3: Option<&'a str>,
    pub issuing_alpha3: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Match,
    Mismatch,
    /// The document does not carry this field (or it was not read).
    Unavailable,
}

/// One compared field, named by its path in the personal-information step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldVerdict {
    pub field: &'static str,
    pub verdict: Verdict,
}

/// ICAO 9303 part 3 transliterations that differ from plain folding.
fn icao_letters(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'Ä' | 'ä' | 'Æ' | 'æ' => out.push_str("AE"),
            'Ö' | 'ö' | 'Ø' | 'ø' | 'Œ' | 'œ' => out.push_str("OE"),
            'Ü' | 'ü' => out.push_str("UE"),
            'Å' | 'å' => out.push_str("AA"),
            'ß' => out.push_str("SS"),
            'Þ' | 'þ' => out.push_str("TH"),
            'Ĳ' | 'ĳ' => out.push_str("IJ"),
            _ => out.push(c),
        }
    }
    out
}

/// A–Z tokens of a name. Apostrophes vanish (`O'Brien` → `OBRIEN`); every other
/// non-letter separates.
pub fn tokens(name: &str, icao: bool) -> Vec<String> {
    let kept: String = name.chars().filter(|c| !matches!(c, '\'' | '’' | '`')).collect();
    let kept = if icao { icao_letters(&kept) } else { kept };
    deunicode::deunicode(&kept)
        .to_ascii_uppercase()
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every document token is one of the entered tokens (the last one may be cut short when the
/// field was truncated) and every entered token is used, unless the field was truncated.
fn same_tokens(entered: &[String], document: &[String], truncated: bool) -> bool {
    if document.is_empty() {
        return false;
    }
    let mut left: Vec<&String> = entered.iter().collect();
    for (i, d) in document.iter().enumerate() {
        let last = i + 1 == document.len();
        let hit = left
            .iter()
            .position(|e| *e == d)
            .or_else(|| if truncated && last { left.iter().position(|e| e.starts_with(d.as_str())) } else { None });
        match hit {
            Some(p) => {
                left.remove(p);
            }
            None => return false,
        }
    }
    left.is_empty() || truncated
}

/// The entered name parts against the document's, under either transliteration; the
/// parts may also be written joined (`DELACRUZ`).
fn names_match(entered: &[&str], document: &str, truncated: bool) -> bool {
    let doc = tokens(document, false);
    [true, false].into_iter().any(|icao| {
        let e: Vec<String> = entered.iter().flat_map(|p| tokens(p, icao)).collect();
        same_tokens(&e, &doc, truncated) || (!e.is_empty() && e.concat() == doc.concat())
    })
}

/// The two numbers differ only where OCR-B glyphs are easily confused (`0`/`O`/`Q`/`D`,
/// `1`/`I`, `2`/`Z`, `5`/`S`, `6`/`G`, `8`/`B`). A check digit cannot always tell such a
/// misread from the truth, so neither can we: a person compares the photo.
pub fn confusable_only(entered: &str, read: &str) -> bool {
    fn class(c: char) -> char {
        match c {
            '0' | 'O' | 'Q' | 'D' => '0',
            '1' | 'I' => '1',
            '2' | 'Z' => '2',
            '5' | 'S' => '5',
            '6' | 'G' => '6',
            '8' | 'B' => '8',
            c => c,
        }
    }
    let (a, b) = (normalise_number(entered), normalise_number(read));
    a != b && a.len() == b.len() && a.chars().zip(b.chars()).all(|(x, y)| class(x) == class(y))
}

fn normalise_number(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// MRZ dates carry two-digit years: the century is the reader's guess, so it does not count.
fn same_date(entered: NaiveDate, document: NaiveDate, two_digit_years: bool) -> bool {
    if two_digit_years {
        entered.month() == document.month()
            && entered.day() == document.day()
            && entered.year().rem_euclid(100) == document.year().rem_euclid(100)
    } else {
        entered == document
    }
}

/// An ICAO state code against a country's alpha-3 code (Germany is `D`; the United Kingdom
/// issues five `GB…` codes).
pub fn same_state(alpha3: &str, document: &str) -> bool {
    let d = document.trim_end_matches('<').trim();
    d == alpha3 || (alpha3 == "DEU" && d == "D") || (alpha3 == "GBR" && d.len() == 3 && d.starts_with("GB"))
}

fn verdict(available: bool, ok: bool) -> Verdict {
    match (available, ok) {
        (false, _) => Verdict::Unavailable,
        (true, true) => Verdict::Match,
        (true, false) => Verdict::Mismatch,
    }
}

/// Field-by-field verdicts. Name parts are judged together first (order does not matter);
/// only when the whole name differs is each part judged against its own field.
pub fn compare(entered: &Entered<'_>, doc: &Extracted) -> Vec<FieldVerdict> {
    let mrz = doc.source == "mrz";
    let (first_field, last_field, first, last) = match (entered.latin_first_name, entered.latin_last_name) {
        (Some(f), Some(l)) => ("latin_first_name", "latin_last_name", f, l),
        _ => ("first_name", "last_name", entered.first_name, entered.last_name),
    };
    let given_parts: Vec<&str> = std::iter::once(first).chain(entered.middle_name).collect();
    let surname = doc.surname.as_deref().unwrap_or("");
    let given = doc.given_names.as_deref().unwrap_or("");
    let mut out = Vec::new();
    let names_available = !surname.is_empty();
    let whole = format!("{surname} {given}");
    let all_parts: Vec<&str> = given_parts.iter().copied().chain(std::iter::once(last)).collect();
    if !names_available || names_match(&all_parts, &whole, doc.name_truncated) {
        let v = verdict(names_available, true);
        out.push(FieldVerdict { field: first_field, verdict: v });
        out.push(FieldVerdict { field: last_field, verdict: v });
    } else {
        // The surname comes first in the field, so only the given names can be truncated.
        let last_ok = names_match(&[last], surname, false);
        let given_ok = names_match(&given_parts, given, doc.name_truncated);
        out.push(FieldVerdict { field: first_field, verdict: verdict(true, given_ok) });
        if entered.middle_name.is_some() {
            out.push(FieldVerdict { field: "middle_name", verdict: verdict(true, given_ok) });
        }
        out.push(FieldVerdict { field: last_field, verdict: verdict(true, last_ok) });
    }
    out.push(FieldVerdict {
        field: "date_of_birth",
        verdict: match doc.date_of_birth {
            Some(d) => verdict(true, same_date(entered.date_of_birth, d, mrz)),
            None => Verdict::Unavailable,
        },
    });
    out.push(FieldVerdict {
        field: "document_number",
        verdict: match doc.document_number.as_deref().map(normalise_number).filter(|n| !n.is_empty()) {
            Some(n) => verdict(true, n == normalise_number(entered.document_number)),
            None => Verdict::Unavailable,
        },
    });
    out.push(FieldVerdict {
        field: "expiry_date",
        verdict: match (entered.expiry_date, doc.expiry_date) {
            (Some(e), Some(d)) => verdict(true, same_date(e, d, mrz)),
            _ => Verdict::Unavailable,
        },
    });
    out.push(FieldVerdict {
        field: "nationality",
        verdict: match (entered.nationality_alpha3, doc.nationality.as_deref().filter(|n| !n.is_empty())) {
            (Some(e), Some(d)) => verdict(true, same_state(e, d)),
            _ => Verdict::Unavailable,
        },
    });
    let issuing = doc.issuing_state.as_deref().or(doc.country.as_deref()).filter(|s| !s.is_empty());
    out.push(FieldVerdict {
        field: "issuing_country",
        verdict: match (entered.issuing_alpha3, issuing) {
            (Some(e), Some(d)) => verdict(true, same_state(e, d)),
            _ => Verdict::Unavailable,
        },
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn erika() -> Entered<'static> {
        Entered {
            first_name: "Erika",
            middle_name: None,
            last_name: "Mustermann",
            latin_first_name: None,
            latin_last_name: None,
            date_of_birth: date("1984-08-12"),
            document_number: "L01X00T47",
            expiry_date: Some(date("2031-06-30")),
            nationality_alpha3: Some("DEU"),
            issuing_alpha3: Some("DEU"),
        }
    }

    fn mrz() -> Extracted {
        Extracted {
            source: "mrz".into(),
            valid: true,
            document_number: Some("L01X00T47".into()),
            surname: Some("MUSTERMANN".into()),
            given_names: Some("ERIKA".into()),
            nationality: Some("D".into()),
            issuing_state: Some("D".into()),
            country: None,
            date_of_birth: Some(date("1984-08-12")),
            expiry_date: Some(date("2031-06-30")),
            name_truncated: false,
        }
    }

    fn mismatches(e: &Entered<'_>, d: &Extracted) -> Vec<&'static str> {
        compare(e, d).into_iter().filter(|v| v.verdict == Verdict::Mismatch).map(|v| v.field).collect()
    }

    #[test]
    fn identical_data_matches_every_field() {
        let v = compare(&erika(), &mrz());
        assert!(v.iter().all(|f| f.verdict == Verdict::Match), "{v:?}");
        assert_eq!(v.len(), 7);
    }

    #[test]
    fn a_typo_in_the_number_names_exactly_that_field() {
        let mut e = erika();
        e.document_number = "L01X00T48";
        assert_eq!(mismatches(&e, &mrz()), vec!["document_number"]);
        // Separators and case in the entry are not typos.
        e.document_number = "l01x-00t47";
        assert!(mismatches(&e, &mrz()).is_empty());
    }

    #[test]
    fn names_tolerate_order_transliteration_particles_and_truncation() {
        let mut e = erika();
        e.first_name = "Mustermann";
        e.last_name = "Erika";
        assert!(mismatches(&e, &mrz()).is_empty(), "swapped order");

        let mut d = mrz();
        d.surname = Some("MUELLER".into());
        let mut e = erika();
        e.last_name = "Müller";
        assert!(mismatches(&e, &d).is_empty(), "ICAO ü → UE");
        d.surname = Some("MULLER".into());
        assert!(mismatches(&e, &d).is_empty(), "plain folding ü → U");

        d.surname = Some("DE LA CRUZ".into());
        e.last_name = "de la Cruz";
        assert!(mismatches(&e, &d).is_empty());
        d.surname = Some("OBRIEN".into());
        e.last_name = "O'Brien";
        assert!(mismatches(&e, &d).is_empty());

        let mut d = mrz();
        d.surname = Some("WOLFESCHLEGELSTEINHAUSEN".into());
        d.given_names = Some("MARIA ANNA KATHARI".into());
        d.name_truncated = true;
        let mut e = erika();
        e.last_name = "Wolfeschlegelsteinhausen";
        e.first_name = "Maria Anna";
        e.middle_name = Some("Katharina Theresia");
        assert!(mismatches(&e, &d).is_empty(), "truncated given names");
        d.name_truncated = false;
        assert_eq!(mismatches(&e, &d), vec!["first_name", "middle_name"], "not truncated: a part is missing");
    }

    #[test]
    fn a_different_person_is_not_a_typo() {
        let mut e = erika();
        e.first_name = "Erik";
        assert_eq!(mismatches(&e, &mrz()), vec!["first_name"]);
        let mut e = erika();
        e.last_name = "Musterfrau";
        assert_eq!(mismatches(&e, &mrz()), vec!["last_name"]);
        let mut e = erika();
        e.first_name = "John";
        e.last_name = "Smith";
        assert_eq!(mismatches(&e, &mrz()), vec!["first_name", "last_name"]);
    }

    #[test]
    fn latin_spellings_are_compared_when_given() {
        let mut e = erika();
        e.first_name = "Эрика";
        e.last_name = "Мустерманн";
        e.latin_first_name = Some("Erika");
        e.latin_last_name = Some("Mustermann");
        let v = compare(&e, &mrz());
        assert!(v.iter().any(|f| f.field == "latin_last_name" && f.verdict == Verdict::Match), "{v:?}");
        assert!(mismatches(&e, &mrz()).is_empty());
    }

    #[test]
    fn dates_and_states() {
        let mut e = erika();
        e.date_of_birth = date("1984-08-21");
        assert_eq!(mismatches(&e, &mrz()), vec!["date_of_birth"]);
        // The MRZ century is a guess: 1925 read as 2025 is still the same date.
        let mut d = mrz();
        d.date_of_birth = Some(date("2025-01-02"));
        let mut e = erika();
        e.date_of_birth = date("1925-01-02");
        assert!(mismatches(&e, &d).is_empty());
        // A barcode's full dates are compared as they are.
        d.source = "pdf417".into();
        assert_eq!(mismatches(&e, &d), vec!["date_of_birth"]);

        assert!(same_state("DEU", "D<<") && same_state("GBR", "GBD") && !same_state("FRA", "D"));
        let mut e = erika();
        e.nationality_alpha3 = Some("AUT");
        assert_eq!(mismatches(&e, &mrz()), vec!["nationality"]);
    }

    #[test]
    fn numbers_that_differ_only_in_confusable_glyphs_are_told_apart() {
        assert!(confusable_only("C01X00T47", "CO1XOQT47"));
        assert!(confusable_only("l01x-00t47", "LO1X00T47"));
        assert!(!confusable_only("C01X00T47", "C01X00T47"), "equal is not a doubt");
        assert!(!confusable_only("C01X00T47", "C01X00T48"));
        assert!(!confusable_only("C01X00T47", "C01X00T4"));
    }

    #[test]
    fn missing_fields_are_unavailable_not_mismatched() {
        let d = Extracted {
            source: "pdf417".into(),
            valid: true,
            document_number: Some("L01X00T47".into()),
            ..Extracted::default()
        };
        let v = compare(&erika(), &d);
        assert!(v.iter().filter(|f| f.field != "document_number").all(|f| f.verdict == Verdict::Unavailable), "{v:?}");
    }
}
