//! Document photos whose machine-readable zone the server actually reads, carrying data the
//! test chooses: ICAO 9303 TD1 and TD3 lines built from a [`DocData`] (a Rust twin of
//! scripts/fixtures/mrz.py) and typeset in OCR-B on a card photographed on a desk.
//!
//! The glyphs are cut from the sprite sheet the reader's templates come from
//! (vision/data/ocrb.png), scaled to the card: these photos prove the server stores what it
//! reads, not that the reader copes with real prints (the labelled fixture set does that).
//!
//! Germany prints `D<<` as its state code. The reader's plausibility check
//! (vision/src/read.rs `plausible`) wants three letters once trailing fillers are trimmed, so
//! a `D<<` zone reads as not valid: the state codes here are the catalogue's alpha-3 (`DEU`).

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::OnceLock;

use chrono::NaiveDate;
use ekyc_vision::mrz::check_digit;
use image::codecs::jpeg::JpegEncoder;
use image::{GrayImage, Rgb, RgbImage};
use serde_json::Value;

/// What a document's MRZ says. Names as printed (diacritics allowed): the lines transliterate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocData {
    /// `ID`, `P`, `AR`, … (padded with `<` to two characters).
    pub document_code: String,
    /// ICAO state code (`DEU`; see the module docs for Germany's `D`).
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
            issuing_state: alpha3(text("issuing_country").unwrap_or_default()),
            document_number: text("document_number").unwrap_or_default().to_owned(),
            surname: text("latin_last_name").or(text("last_name")).unwrap_or_default().to_owned(),
            given_names: given,
            nationality: alpha3(text("nationality").unwrap_or_default()),
            date_of_birth: date("date_of_birth"),
            sex: '<',
            expiry_date: date("expiry_date"),
            optional_data: String::new(),
        }
    }
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

fn digit(field: &str) -> char {
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

fn number(d: &DocData) -> String {
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

// --- drawing ---------------------------------------------------------------------------------

/// ID-1 (cards) and ID-3 (passport pages), millimetres.
const ID1_MM: (f32, f32) = (85.60, 53.98);
const ID3_MM: (f32, f32) = (125.0, 88.0);
/// ICAO 9303: 10 characters per inch, 2.35 mm cap height.
const MRZ_PITCH_MM: f32 = 2.54;
const MRZ_CAP_MM: f32 = 2.35;

/// The reader's templates, drawn from the OCR-B font: 37 cells of `SHEET_PITCH` px, the cap
/// line `SHEET_MARGIN` px from the top, the baseline `SHEET_CAP` px below it, ink dark on white
/// (vision/data/ocrb_templates.py).
const SHEET_PNG: &[u8] = include_bytes!("../../vision/data/ocrb.png");
const SHEET_ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
const SHEET_PITCH: f32 = 52.0;
const SHEET_CAP: f32 = 48.0;
const SHEET_MARGIN: f32 = 12.0;

fn sheet() -> &'static GrayImage {
    static SHEET: OnceLock<GrayImage> = OnceLock::new();
    SHEET.get_or_init(|| image::load_from_memory(SHEET_PNG).unwrap().to_luma8())
}

/// A flat render of a document at `px_per_mm`.
struct Page {
    img: RgbImage,
    px_per_mm: f32,
}

impl Page {
    /// A light card with a faint guilloche, so the paper is not one flat colour.
    fn new(size_mm: (f32, f32), px_per_mm: f32, seed: u8) -> Self {
        let (w, h) = ((size_mm.0 * px_per_mm).round() as u32, (size_mm.1 * px_per_mm).round() as u32);
        let phase = f32::from(seed) * 0.7;
        let img = RgbImage::from_fn(w, h, |x, y| {
            let (u, v) = (x as f32 / px_per_mm, y as f32 / px_per_mm);
            let wave = ((u * 0.9 + (v * 0.35 + phase).sin() * 3.0).sin() * 3.0) as i16;
            let c = |base: i16| (base + wave) as u8;
            Rgb([c(214), c(222), c(232)])
        });
        Self { img, px_per_mm }
    }

    fn px(&self, mm: f32) -> f32 {
        mm * self.px_per_mm
    }

    fn fill(&mut self, (x0, y0, x1, y1): (f32, f32, f32, f32), colour: [u8; 3]) {
        let (w, h) = self.img.dimensions();
        let clamp = |v: f32, max: u32| (v.round().max(0.0) as u32).min(max);
        for y in clamp(self.px(y0), h)..clamp(self.px(y1), h) {
            for x in clamp(self.px(x0), w)..clamp(self.px(x1), w) {
                self.img.put_pixel(x, y, Rgb(colour));
            }
        }
    }

    /// `text` in OCR-B, one glyph per `pitch_mm` cell from `left_mm`, on the baseline at
    /// `base_mm`, cap height `cap_mm`. Characters outside the MRZ alphabet leave their cell empty.
    fn text(&mut self, text: &str, left_mm: f32, base_mm: f32, cap_mm: f32, pitch_mm: f32, ink: [u8; 3]) {
        let sheet = sheet();
        let s = self.px(cap_mm) / SHEET_CAP;
        let (cell_w, cell_h) = (SHEET_PITCH * s, (SHEET_CAP + 2.0 * SHEET_MARGIN) * s);
        let top = self.px(base_mm) - (SHEET_MARGIN + SHEET_CAP) * s;
        let (w, h) = self.img.dimensions();
        // Each page pixel averages 3×3 samples of the sheet (it is ~1.5 sheet pixels wide).
        const K: u32 = 3;
        for (j, ch) in text.chars().enumerate() {
            let Some(i) = SHEET_ALPHABET.find(ch) else { continue };
            let left = self.px(left_mm + pitch_mm * (j as f32 + 0.5)) - cell_w / 2.0;
            let (x0, y0) = (left.floor().max(0.0) as u32, top.floor().max(0.0) as u32);
            let (x1, y1) = (((left + cell_w).ceil() as u32).min(w), ((top + cell_h).ceil() as u32).min(h));
            for y in y0..y1 {
                for x in x0..x1 {
                    let mut ink_sum = 0u32;
                    for b in 0..K {
                        for a in 0..K {
                            let sx = (x as f32 + (a as f32 + 0.5) / K as f32 - left) / s;
                            let sy = (y as f32 + (b as f32 + 0.5) / K as f32 - top) / s;
                            if sx < 0.0 || sy < 0.0 || sx >= SHEET_PITCH || sy >= sheet.height() as f32 {
                                continue;
                            }
                            let px = sheet.get_pixel(i as u32 * SHEET_PITCH as u32 + sx as u32, sy as u32).0[0];
                            ink_sum += u32::from(255 - px);
                        }
                    }
                    let a = ink_sum as f32 / (255 * K * K) as f32;
                    if a > 0.0 {
                        let p = self.img.get_pixel_mut(x, y);
                        for (c, k) in p.0.iter_mut().zip(ink) {
                            *c = (f32::from(*c) * (1.0 - a) + f32::from(k) * a).round() as u8;
                        }
                    }
                }
            }
        }
    }

    /// MRZ lines at the ICAO pitch, centred across the page, first baseline at `first_base_mm`.
    fn mrz(&mut self, lines: &[String], first_base_mm: f32, line_pitch_mm: f32) {
        let width_mm = self.img.width() as f32 / self.px_per_mm;
        let left = (width_mm - lines[0].len() as f32 * MRZ_PITCH_MM) / 2.0;
        for (i, line) in lines.iter().enumerate() {
            let base = first_base_mm + i as f32 * line_pitch_mm;
            self.text(line, left, base, MRZ_CAP_MM, MRZ_PITCH_MM, [24, 24, 28]);
        }
    }
}

/// Deterministic noise source (xorshift) for the desk and the sensor.
struct Noise(u32);

impl Noise {
    fn new(seed: u8) -> Self {
        Self(u32::from(seed).wrapping_mul(2_654_435_761).wrapping_add(0x9E37_79B9))
    }

    fn next(&mut self, amp: i16) -> i16 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        (self.0 % (2 * amp as u32 + 1)) as i16 - amp
    }
}

/// Photo size: the document fills about three quarters of its width.
const PHOTO: (u32, u32) = (1600, 1200);

/// A camera photo of `page` on a dark desk: centred with a margin, turned by `angle_deg`,
/// moved a little by `seed`, with rounded corners of `radius_mm` and sensor noise; JPEG.
fn photograph(page: &Page, radius_mm: f32, angle_deg: f32, seed: u8) -> Vec<u8> {
    let card = &page.img;
    let (cw, ch) = (card.width() as f32, card.height() as f32);
    let r = page.px(radius_mm);
    let (pw, ph) = PHOTO;
    let centre =
        (pw as f32 / 2.0 + f32::from(seed % 7) * 6.0 - 18.0, ph as f32 / 2.0 + f32::from(seed % 5) * 5.0 - 10.0);
    let (sin, cos) = angle_deg.to_radians().sin_cos();
    let mut noise = Noise::new(seed);
    let bilinear = |u: f32, v: f32, c: usize| -> f32 {
        let (u, v) = ((u - 0.5).clamp(0.0, cw - 1.0), (v - 0.5).clamp(0.0, ch - 1.0));
        let (x0, y0) = (u.floor() as u32, v.floor() as u32);
        let (x1, y1) = ((x0 + 1).min(card.width() - 1), (y0 + 1).min(card.height() - 1));
        let (fx, fy) = (u - x0 as f32, v - y0 as f32);
        let p = |x, y| f32::from(card.get_pixel(x, y).0[c]);
        (p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx) * (1.0 - fy) + (p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx) * fy
    };
    let photo = RgbImage::from_fn(pw, ph, |x, y| {
        // Photo → card coordinates (the card's centre at `centre`, turned by the angle).
        let (dx, dy) = (x as f32 + 0.5 - centre.0, y as f32 + 0.5 - centre.1);
        let (u, v) = (cos * dx + sin * dy + cw / 2.0, -sin * dx + cos * dy + ch / 2.0);
        // Signed distance outside the rounded rectangle, for an anti-aliased edge.
        let (qx, qy) = ((u - cw / 2.0).abs() - (cw / 2.0 - r), (v - ch / 2.0).abs() - (ch / 2.0 - r));
        let outside = qx.max(0.0).hypot(qy.max(0.0)) + qx.max(qy).min(0.0) - r;
        let cover = (0.5 - outside).clamp(0.0, 1.0);
        let desk = 58.0 + 18.0 * x as f32 / pw as f32 + 6.0 * y as f32 / ph as f32;
        let mut rgb = [0u8; 3];
        for (c, out) in rgb.iter_mut().enumerate() {
            let back = desk + [4.0, 0.0, -6.0][c];
            let front = if cover > 0.0 { bilinear(u, v, c) } else { 0.0 };
            let value = back * (1.0 - cover) + front * cover + f32::from(noise.next(3));
            *out = value.round().clamp(0.0, 255.0) as u8;
        }
        Rgb(rgb)
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut Cursor::new(&mut out), 90).encode_image(&photo).unwrap();
    out
}

/// The page's resolution in the photo: the document ~1200 px wide, the width the reader
/// flattens it to (characters ~33 px tall on a card, ~23 px on a passport page).
const DOC_PX: f32 = 1200.0;

/// A photo of the back of an ID-1 card: a few lines of text above and the TD1 MRZ of `d` in
/// its band at the bottom, at the geometry of scripts/fixtures/render.py (`id_back`).
pub fn id_back_td1(d: &DocData, seed: u8) -> Vec<u8> {
    let mut page = Page::new(ID1_MM, DOC_PX / ID1_MM.0, seed);
    let ink = [38, 52, 96];
    let lines = [
        ("ANSCHRIFT ADDRESS", 4.5, 1.5),
        ("HAUPTSTRASSE 12 10115 BERLIN", 8.5, 2.0),
        ("GROESSE HEIGHT 172 CM", 13.5, 1.6),
        ("AUGENFARBE EYES BLAU", 17.5, 1.6),
        ("BEHOERDE STADT BERLIN 2021", 22.0, 1.6),
    ];
    for (text, base, cap) in lines {
        page.text(text, 4.0, base, cap, cap * 1.08, ink);
    }
    let band_top = ID1_MM.1 - 18.0;
    page.fill((0.0, band_top, ID1_MM.0, ID1_MM.1), [236, 238, 238]);
    page.mrz(&td1_lines(d), band_top + 5.45, 4.2);
    photograph(&page, 3.18, angle(seed), seed)
}

/// A photo of a passport data page: `portrait`'s face on the left, a few lines of text and the
/// TD3 MRZ of `d` at the bottom (scripts/fixtures/render.py `passport_page`).
///
/// The reader flattens a page to 1200 px, so its characters are ~23 px tall: there it does not
/// tell `0` from `O` reliably inside a document number once the photo is turned a little, and
/// a few such swaps can even hold every check digit (`C01X00T47` read as `CO1XOQT47`, valid).
/// Use numbers without `0` where the test needs the reading to be right.
pub fn passport_page_td3(d: &DocData, portrait: crate::faces_fixtures::Person, seed: u8) -> Vec<u8> {
    let mut page = Page::new(ID3_MM, DOC_PX / ID3_MM.0, seed);
    let ink = [38, 52, 96];
    let face = crate::faces_fixtures::portrait(portrait);
    let (fw, fh) = (page.px(33.0).round() as u32, page.px(41.25).round() as u32);
    let face = image::imageops::resize(&face, fw, fh, image::imageops::FilterType::Triangle);
    let (fx, fy) = (page.px(5.0).round() as i64, page.px(14.0).round() as i64);
    image::imageops::overlay(&mut page.img, &face, fx, fy);
    let given = transliterate(&d.given_names).replace('<', " ");
    let lines = [
        ("PASSPORT".to_owned(), 6.0, 3.0),
        (transliterate(&d.surname).replace('<', " "), 18.0, 2.4),
        (given, 25.0, 2.4),
        (format!("{} {}", d.nationality, d.date_of_birth.format("%d %m %Y")), 32.0, 2.4),
        (format!("{} {}", number(d), d.expiry_date.format("%d %m %Y")), 39.0, 2.4),
    ];
    for (text, base, cap) in lines {
        page.text(&text, 43.0, base, cap, cap * 1.08, ink);
    }
    let band_top = ID3_MM.1 - 23.2;
    page.fill((0.0, band_top, ID3_MM.0, ID3_MM.1), [236, 238, 238]);
    page.mrz(&td3_lines(d), ID3_MM.1 - 11.5, 6.5);
    photograph(&page, 0.0, angle(seed), seed)
}

/// A slight turn of the camera, different per seed (−0.8° to 0.8°).
fn angle(seed: u8) -> f32 {
    f32::from(seed % 5) * 0.4 - 0.8
}

mod tests {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use ekyc::db::schema::document_images;
    use ekyc_vision::mrz::{MrzFormat, MrzRead};
    use ekyc_vision::quality::{Thresholds, assess};
    use reqwest::StatusCode;
    use serde_json::Value;
    use uuid::Uuid;

    use super::*;
    use crate::faces_fixtures::{Person, id_front};
    use crate::helpers::{good_info, spawn_app};

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The ICAO 9303 specimens (part 4 TD3, part 5 TD1), character for character.
    #[test]
    fn the_lines_are_the_icao_specimens() {
        let eriksson = DocData {
            document_code: "I".into(),
            issuing_state: "UTO".into(),
            document_number: "D23145890".into(),
            surname: "Eriksson".into(),
            given_names: "Anna María".into(),
            nationality: "UTO".into(),
            date_of_birth: date("1974-08-12"),
            sex: 'F',
            expiry_date: date("2012-04-15"),
            optional_data: String::new(),
        };
        assert_eq!(
            td1_lines(&eriksson),
            ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
        );
        let passport = DocData {
            document_code: "P".into(),
            document_number: "L898902C3".into(),
            optional_data: "ZE184226B".into(),
            ..eriksson
        };
        assert_eq!(
            td3_lines(&passport),
            ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
        );
    }

    #[test]
    fn names_are_transliterated_and_truncated_as_icao_asks() {
        assert_eq!(transliterate("Müller-Lüdenscheidt"), "MUELLER<LUEDENSCHEIDT");
        assert_eq!(transliterate("Łukasiewicz"), "LUKASIEWICZ");
        assert_eq!(transliterate("O'Brien"), "OBRIEN");
        assert_eq!(transliterate("Jean  -  Luc"), "JEAN<LUC");
        assert_eq!(name_field("Oh", "Bo", 30), format!("OH<<BO{}", "<".repeat(24)));
        let f = name_field("Featherstonehaugh-Abercrombie", "Maximilianus Bartholomew", 30);
        assert_eq!(f, "FEATHERSTONEHAUGH<ABERCROMB<<M");
        assert_eq!(name_field("Schmidt", "Anna Maria Theresia Josefine", 30), "SCHMIDT<<ANNA<MARIA<THERESIA<J");
        // A surname cut on a separator does not leave three fillers before the given name.
        assert_eq!(name_field("Abcdefghijklmnopqrstuvwxyz Smith", "Hans", 30), "ABCDEFGHIJKLMNOPQRSTUVWXYZ<<H<");
    }

    #[test]
    fn a_long_document_number_continues_in_the_optional_data() {
        let d = DocData { document_number: "LZ6311T47X12".into(), ..DocData::from_info(&good_info()) };
        let [l1, _, _] = td1_lines(&d);
        let check = digit("LZ6311T47X12");
        assert_eq!(l1, format!("IDDEULZ6311T47<X12{check}<<<<<<<<<<<"));
    }

    /// What the reader finds on the photo, through the gate's own detection (as the server does).
    fn read_back(photo: &[u8]) -> MrzRead {
        let img = image::load_from_memory(photo).unwrap();
        let q = assess(&img, &Thresholds::default());
        assert!(q.accepted, "refused by the gate: {:?} {:?}", q.failures, q.metrics);
        ekyc_vision::read::read_mrz(&img, &q.corners.unwrap()).expect("an MRZ on the photo")
    }

    /// (document number, surname, given names, optional data) as the reader must return them.
    type Expected = (&'static str, &'static str, &'static str, &'static str);

    fn assert_read(r: &MrzRead, d: &DocData, format: MrzFormat, (number, surname, given, optional): Expected) {
        assert!(r.valid && r.mrz.checks.all_valid(), "{number}: {:?}", r.mrz.checks);
        let m = &r.mrz;
        assert_eq!(m.format, format);
        assert_eq!(m.document_code, d.document_code.trim_end_matches('<'));
        assert_eq!(
            (m.issuing_state.as_str(), m.nationality.as_str()),
            (d.issuing_state.as_str(), d.nationality.as_str())
        );
        assert_eq!(m.document_number, number);
        assert_eq!((m.surname.as_str(), m.given_names.as_str()), (surname, given));
        assert_eq!(m.optional_data, optional);
        assert_eq!(m.date_of_birth, Some(d.date_of_birth));
        assert_eq!(m.expiry_date, Some(d.expiry_date));
        assert_eq!(m.sex, Some(d.sex).filter(|s| *s != '<'));
    }

    #[test]
    fn the_reader_reads_back_the_td1_it_was_given() {
        let erika = DocData::from_info(&good_info());
        let cases: Vec<(DocData, Expected)> = vec![
            (erika.clone(), ("L01X00T47", "MUSTERMANN", "ERIKA", "")),
            (
                DocData { document_number: "X4Y7R".into(), sex: 'F', expiry_date: date("2019-02-28"), ..erika.clone() },
                ("X4Y7R", "MUSTERMANN", "ERIKA", ""),
            ),
            (
                DocData {
                    surname: "Wolfeschlegelsteinhausenbergerdorff".into(),
                    given_names: "Hubert Blaine".into(),
                    date_of_birth: date("1950-01-31"),
                    ..erika.clone()
                },
                ("L01X00T47", "WOLFESCHLEGELSTEINHAUSENBER", "H", ""),
            ),
            (
                DocData {
                    surname: "Müller-Lüdenscheidt".into(),
                    given_names: "Jürgen".into(),
                    sex: 'M',
                    optional_data: "T22000129".into(),
                    ..erika.clone()
                },
                ("L01X00T47", "MUELLER LUEDENSCHEIDT", "JUERGEN", "T22000129"),
            ),
            (
                DocData {
                    document_number: "LZ6311T47X12".into(),
                    given_names: "Anna Maria Theresia Josefine".into(),
                    ..erika.clone()
                },
                ("LZ6311T47X12", "MUSTERMANN", "ANNA MARIA THERESI", ""),
            ),
        ];
        for (seed, (d, expected)) in cases.iter().enumerate() {
            let r = read_back(&id_back_td1(d, seed as u8));
            assert_read(&r, d, MrzFormat::Td1, *expected);
        }
    }

    #[test]
    fn the_reader_reads_back_a_passport_page() {
        // No 0 in the number: on a passport page (characters ~23 px where the reader flattens
        // it) 0 and O are not told apart reliably once the photo is turned (see the report on
        // `passport_page_td3`).
        let d = DocData {
            document_code: "P".into(),
            document_number: "C4X7T3M94".into(),
            given_names: "Erika Anna".into(),
            sex: 'F',
            ..DocData::from_info(&good_info())
        };
        let r = read_back(&passport_page_td3(&d, Person::A, 3));
        assert_read(&r, &d, MrzFormat::Td3, ("C4X7T3M94", "MUSTERMANN", "ERIKA ANNA", ""));
    }

    /// The extraction summary of the current `kind` image of `id`, and its sealed fields opened.
    async fn extraction(app: &crate::helpers::TestApp, id: &str, kind: &str) -> (Value, Value) {
        let mut conn = app.db().await;
        let (image_id, summary, sealed): (Uuid, Value, Option<String>) = document_images::table
            .filter(document_images::verification_id.eq(Uuid::parse_str(id).unwrap()))
            .filter(document_images::kind.eq(kind))
            .filter(document_images::replaced_at.is_null())
            .select((document_images::id, document_images::extraction, document_images::extracted_sealed))
            .first(&mut conn)
            .await
            .unwrap();
        let opened = app.state.pii.open(&format!("{image_id}/extracted"), &sealed.expect("sealed fields")).unwrap();
        (summary, serde_json::from_str(&opened).unwrap())
    }

    #[tokio::test]
    async fn the_server_reads_the_mrz_on_the_back_and_seals_what_it_read() {
        let app = spawn_app().await;
        let token = app.applicant().await;
        let id = app.start(&token).await;
        assert_eq!(app.put_info(&token, &id, good_info()).await.status, StatusCode::OK);
        let front = app
            .upload(&token, &format!("/api/v1/verifications/{id}/documents/front"), id_front(Person::A, 0), None)
            .await;
        assert_eq!(front.status, StatusCode::CREATED, "{:?}", front.body);
        let back_path = format!("/api/v1/verifications/{id}/documents/back");
        let back = app.upload(&token, &back_path, id_back_td1(&DocData::from_info(&good_info()), 1), None).await;
        assert_eq!(back.status, StatusCode::CREATED, "{:?}", back.body);

        let (summary, fields) = extraction(&app, &id, "back").await;
        assert_eq!(summary["mrz"]["found"], true, "{summary}");
        assert_eq!(summary["mrz"]["valid"], true, "{summary}");
        assert_eq!(summary["mrz"]["format"], "td1", "{summary}");
        assert_eq!(summary["mrz"]["repairs"], 0, "{summary}");
        assert_eq!(fields["source"], "mrz");
        assert_eq!(fields["valid"], true);
        assert_eq!(fields["document_number"], "L01X00T47");
        assert_eq!(fields["surname"], "MUSTERMANN");
        assert_eq!(fields["given_names"], "ERIKA");
        assert_eq!(fields["date_of_birth"], "1984-08-12");
        assert_eq!(fields["expiry_date"], "2031-06-30");
        assert_eq!(fields["issuing_state"], "DEU");
        assert_eq!(fields["nationality"], "DEU");

        // The stored reading follows the photo, not what was entered: another back, another number.
        let other = DocData {
            document_number: "T22000129".into(),
            expiry_date: date("2020-01-31"),
            ..DocData::from_info(&good_info())
        };
        let back = app.upload(&token, &back_path, id_back_td1(&other, 2), None).await;
        assert_eq!(back.status, StatusCode::CREATED, "{:?}", back.body);
        let (summary, fields) = extraction(&app, &id, "back").await;
        assert_eq!(summary["mrz"]["valid"], true, "{summary}");
        assert_eq!(fields["document_number"], "T22000129");
        assert_eq!(fields["expiry_date"], "2020-01-31");
    }

    #[tokio::test]
    async fn a_passport_draft_carries_a_readable_data_page() {
        let app = spawn_app().await;
        let token = app.applicant().await;
        let mut info = good_info();
        info["document_type"] = "passport".into();
        info["document_number"] = "C4X7T3M94".into();
        let doc = DocData::from_info(&info);
        let id = app.complete_draft_with(&token, info, &doc, Person::A).await;
        let (summary, fields) = extraction(&app, &id, "front").await;
        assert_eq!(summary["mrz"]["valid"], true, "{summary}");
        assert_eq!(summary["mrz"]["format"], "td3", "{summary}");
        assert_eq!(fields["document_number"], "C4X7T3M94");
        assert_eq!((&fields["surname"], &fields["given_names"]), (&"MUSTERMANN".into(), &"ERIKA".into()));
        assert_eq!(app.submit(&token, &id).await.status, StatusCode::OK);
    }
}
