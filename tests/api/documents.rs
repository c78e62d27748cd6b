//! Document photos whose machine-readable zone the server actually reads, carrying data the
//! test chooses: ICAO 9303 TD1 and TD3 lines built from a [`DocData`] (a Rust twin of
//! scripts/fixtures/mrz.py) and typeset in OCR-B on a card photographed on a desk.
//!
//! The glyphs are cut from the sprite sheet the reader's templates come from
//! (vision/data/ocrb.png), scaled to the card: these photos prove the server stores what it
//! reads, not that the reader copes with real prints (the labelled fixture set does that).
//!
//! State codes are ICAO's: the catalogue's alpha-3, except Germany's `D<<`, as German
//! documents print it (the server's data match accepts both).

mod mrz_lines;
mod photo;
mod tests;

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde_json::Value;

pub use mrz_lines::{name_field, td1_lines, td3_lines, transliterate};
pub use photo::{id_back_td1, passport_page_td3};

/// What a document's MRZ says. Names as printed (diacritics allowed): the lines transliterate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocData {
    /// `ID`, `P`, `AR`, … (padded with `<` to two characters).
    pub document_code: String,
    /// ICAO state code (`D` for Germany, else the alpha-3).
    pub issuing_state: String,
    pub document_number: String,
    pub surname: String,
    pub given_names: String,
    pub nationality: String,
    pub date_of_birth: NaiveDate,
    /// `M`, `F`, or `<` (unspecified).
    pub sex: char,
    pub expiry_date: NaiveDate,
    /// TD1: optional data of line 1 (after a long number's overflow); TD3: personal number.
    pub optional_data: String,
}

impl DocData {
    /// The document the applicant described in `info` (the personal-information JSON, as
    /// `helpers::good_info()`): Latin names when given, first and middle names as given
    /// names, countries as alpha-3. The entered data has no sex: `<`.
    pub fn from_info(info: &Value) -> Self {
        let text = |k: &str| info.get(k).and_then(Value::as_str).filter(|v| !v.is_empty());
        let date = |k: &str| NaiveDate::parse_from_str(text(k).unwrap_or_default(), "%Y-%m-%d").expect(k);
        let first = text("latin_first_name").or(text("first_name")).unwrap_or_default();
        let given = match text("middle_name") {
            Some(middle) => format!("{first} {middle}"),
            None => first.to_owned(),
        };
        let document_code = match text("document_type") {
            Some("passport") => "P",
            Some("residence_permit") => "AR",
            _ => "ID",
        };
        Self {
            document_code: document_code.to_owned(),
            issuing_state: icao_state(text("issuing_country").unwrap_or_default()),
            document_number: text("document_number").unwrap_or_default().to_owned(),
            surname: text("latin_last_name").or(text("last_name")).unwrap_or_default().to_owned(),
            given_names: given,
            nationality: icao_state(text("nationality").unwrap_or_default()),
            date_of_birth: date("date_of_birth"),
            sex: '<',
            expiry_date: date("expiry_date"),
            optional_data: String::new(),
        }
    }
}

/// The code an MRZ carries for a country: Germany's `D`, else the alpha-3.
pub fn icao_state(alpha2: &str) -> String {
    if alpha2 == "DE" { "D".to_owned() } else { alpha3(alpha2) }
}

/// The catalogue's alpha-3 code for an alpha-2 one (api/data/countries.json).
pub fn alpha3(alpha2: &str) -> String {
    static TABLE: OnceLock<HashMap<String, String>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let file: Value = serde_json::from_str(include_str!("../../api/data/countries.json")).unwrap();
        file["countries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["code"].as_str().unwrap().to_owned(), c["alpha3"].as_str().unwrap().to_owned()))
            .collect()
    });
    table.get(alpha2).cloned().unwrap_or_else(|| panic!("no country {alpha2} in the catalogue"))
}
