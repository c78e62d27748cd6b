//! ICAO 9303 TD1 and TD3 lines from a [`DocData`] (a Rust twin of scripts/fixtures/mrz.py).

use chrono::NaiveDate;
use ekyc_vision::mrz::check_digit;

use super::DocData;

/// Upper-case MRZ letters (ICAO 9303 part 3): diacritics transliterated, spaces and hyphens
/// become one `<`, apostrophes and dots are dropped.
pub fn transliterate(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_uppercase) {
        let mapped = match c {
            'A'..='Z' | '0'..='9' => {
                out.push(c);
                continue;
            }
            'Ä' | 'Æ' => "AE",
            'Å' => "AA",
            'Ö' | 'Ø' | 'Œ' => "OE",
            'Ü' => "UE",
            'Þ' => "TH",
            'À' | 'Á' | 'Â' | 'Ã' | 'Ā' | 'Ă' | 'Ą' => "A",
            'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
            'Ð' | 'Đ' | 'Ď' => "D",
            'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
            'Ğ' | 'Ģ' => "G",
            'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Į' | 'İ' => "I",
            'Ł' | 'Ľ' | 'Ĺ' | 'Ļ' => "L",
            'Ñ' | 'Ń' | 'Ň' | 'Ņ' => "N",
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ō' | 'Ő' => "O",
            'Ř' | 'Ŕ' => "R",
            'Ś' | 'Š' | 'Ş' | 'Ș' => "S",
            'Ť' | 'Ţ' | 'Ț' => "T",
            'Ù' | 'Ú' | 'Û' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
            'Ý' | 'Ÿ' => "Y",
            'Ź' | 'Ż' | 'Ž' => "Z",
            ' ' | '-' => "<",
            _ => "",
        };
        out.push_str(mapped);
    }
    while out.contains("<<") {
        out = out.replace("<<", "<");
    }
    out.trim_matches('<').to_owned()
}

fn pad(s: &str, n: usize) -> String {
    assert!(s.len() <= n, "{s:?} is longer than {n}");
    format!("{s:<<n$}")
}

pub(super) fn digit(field: &str) -> char {
    char::from(b'0' + check_digit(field).unwrap_or_else(|| panic!("not MRZ characters: {field:?}")))
}

/// `SURNAME<<GIVEN<NAMES` padded to `len`, truncated as ICAO 9303 part 3 asks: the given
/// names first, then the surname, keeping at least the first letter of the given names.
pub fn name_field(surname: &str, given_names: &str, len: usize) -> String {
    let (sur, giv) = (transliterate(surname), transliterate(given_names));
    let full = if giv.is_empty() { sur.clone() } else { format!("{sur}<<{giv}") };
    if full.len() <= len {
        return pad(&full, len);
    }
    let field = if giv.is_empty() {
        sur[..len].trim_end_matches('<').to_owned()
    } else if sur.len() + 3 <= len {
        format!("{sur}<<{}", giv[..len - sur.len() - 2].trim_end_matches('<'))
    } else {
        format!("{}<<{}", sur[..len - 3].trim_end_matches('<'), &giv[..1])
    };
    pad(&field, len)
}

pub(super) fn number(d: &DocData) -> String {
    let n = transliterate(&d.document_number);
    assert!(!n.contains('<'), "a document number is letters and digits: {n:?}");
    n
}

fn sex(d: &DocData) -> char {
    if matches!(d.sex, 'M' | 'F') { d.sex } else { '<' }
}

fn yymmdd(date: NaiveDate) -> String {
    date.format("%y%m%d").to_string()
}

/// The three 30-character lines of an ID-1 card's MRZ (ICAO 9303 part 5). A document number
/// over nine characters continues in the optional data, after a `<` in the check position.
pub fn td1_lines(d: &DocData) -> [String; 3] {
    let num = number(d);
    let optional = transliterate(&d.optional_data);
    let number_and_optional = if num.len() <= 9 {
        format!("{}{}{}", pad(&num, 9), digit(&pad(&num, 9)), pad(&optional, 15))
    } else {
        let rest = format!("{}{}<{optional}", &num[9..], digit(&num));
        format!("{}<{}", &num[..9], pad(&rest, 15))
    };
    let l1 = format!("{}{}{number_and_optional}", pad(&d.document_code, 2), pad(&d.issuing_state, 3));
    let (b, e) = (yymmdd(d.date_of_birth), yymmdd(d.expiry_date));
    let mut l2 = format!("{b}{}{}{e}{}{}{}", digit(&b), sex(d), digit(&e), pad(&d.nationality, 3), pad("", 11));
    let composite = format!("{}{}{}{}", &l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]);
    l2.push(digit(&composite));
    let l3 = name_field(&d.surname, &d.given_names, 30);
    [l1, l2, l3]
}

/// The two 44-character lines of a passport data page (ICAO 9303 part 4). An unused personal
/// number is all fillers with check digit 0.
pub fn td3_lines(d: &DocData) -> [String; 2] {
    let l1 = format!(
        "{}{}{}",
        pad(&d.document_code, 2),
        pad(&d.issuing_state, 3),
        name_field(&d.surname, &d.given_names, 39)
    );
    let num = pad(&number(d), 9);
    let (b, e) = (yymmdd(d.date_of_birth), yymmdd(d.expiry_date));
    let personal = pad(&transliterate(&d.optional_data), 14);
    let mut l2 = format!(
        "{num}{}{}{b}{}{}{e}{}{personal}{}",
        digit(&num),
        pad(&d.nationality, 3),
        digit(&b),
        sex(d),
        digit(&e),
        digit(&personal)
    );
    let composite = format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..43]);
    l2.push(digit(&composite));
    [l1, l2]
}
