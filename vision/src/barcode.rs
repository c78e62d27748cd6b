//! PDF417 on the back of driving licences (rxing) and the AAMVA fields it carries.

use image::GrayImage;
use rxing::BarcodeFormat;
use serde::Serialize;

/// The barcode's text, if a PDF417 symbol is found.
pub fn decode_pdf417(gray: &GrayImage) -> Option<String> {
    let (w, h) = gray.dimensions();
    rxing::helpers::detect_in_luma(gray.as_raw().clone(), w, h, Some(BarcodeFormat::PDF_417))
        .ok()
        .map(|r| r.getText().to_owned())
}

/// Fields of an AAMVA driver's licence record. Holds PII: never log it.
#[derive(Clone, Default, Serialize, PartialEq, Eq)]
pub struct Aamva {
    pub document_number: Option<String>,
    pub surname: Option<String>,
    pub given_names: Option<String>,
    pub date_of_birth: Option<chrono::NaiveDate>,
    pub expiry_date: Option<chrono::NaiveDate>,
    pub sex: Option<String>,
    pub country: Option<String>,
}

impl std::fmt::Debug for Aamva {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Aamva([redacted])")
    }
}

/// AAMVA dates are MMDDCCYY in the US and CCYYMMDD in Canada; the country field decides,
/// else the form that gives a valid date.
fn date(raw: &str, canada: bool) -> Option<chrono::NaiveDate> {
    let raw = raw.trim();
    if raw.len() != 8 || !raw.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let us = chrono::NaiveDate::parse_from_str(raw, "%m%d%Y").ok();
    let ca = chrono::NaiveDate::parse_from_str(raw, "%Y%m%d").ok();
    if canada { ca.or(us) } else { us.or(ca) }
}

/// Parses the data elements (`DAQ…`, `DCS…` one per line) of an AAMVA record.
pub fn parse_aamva(text: &str) -> Option<Aamva> {
    if !text.starts_with('@') || !text.contains("ANSI ") && !text.contains("AAMVA") {
        return None;
    }
    let mut fields = std::collections::HashMap::new();
    for line in text.split(['\n', '\r', '\u{1e}']) {
        // The first element of the subfile follows the header and the subfile type:
        // "ANSI 6360…DL00410278…DLDAQ123" → "DAQ123".
        let line = match line.rfind("DLD") {
            Some(p) if line.starts_with("ANSI ") || line.starts_with("AAMVA") || p == 0 => &line[p + 2..],
            _ => line,
        };
        if line.len() > 3 && line.chars().take(3).all(|c| c.is_ascii_uppercase()) {
            fields.entry(line[..3].to_owned()).or_insert_with(|| line[3..].trim().to_owned());
        }
    }
    let country = fields.get("DCG").cloned();
    let canada = country.as_deref() == Some("CAN");
    let given = fields.get("DAC").or_else(|| fields.get("DCT")).cloned();
    Some(Aamva {
        document_number: fields.get("DAQ").cloned(),
        surname: fields.get("DCS").cloned(),
        given_names: given.map(|g| g.replace(',', " ")),
        date_of_birth: fields.get("DBB").and_then(|d| date(d, canada)),
        expiry_date: fields.get("DBA").and_then(|d| date(d, canada)),
        sex: fields.get("DBC").map(|s| match s.as_str() {
            "1" => "M".to_owned(),
            "2" => "F".to_owned(),
            other => other.to_owned(),
        }),
        country,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_aamva_record() {
        let text = "@\n\u{1e}\rANSI 636000100002DL00410278ZV03190008DLDAQT64235789\nDCSSAMPLE\nDACMICHAEL\nDBB06061986\nDBA12102030\nDBC1\nDCGUSA\n";
        let a = parse_aamva(text).unwrap();
        assert_eq!(a.document_number.as_deref(), Some("T64235789"));
        assert_eq!(a.surname.as_deref(), Some("SAMPLE"));
        assert_eq!(a.given_names.as_deref(), Some("MICHAEL"));
        assert_eq!(a.date_of_birth, chrono::NaiveDate::from_ymd_opt(1986, 6, 6));
        assert_eq!(a.expiry_date, chrono::NaiveDate::from_ymd_opt(2030, 12, 10));
        assert_eq!(a.sex.as_deref(), Some("M"));
        assert!(parse_aamva("hello").is_none());
        assert!(!format!("{a:?}").contains("SAMPLE"));
    }
}
