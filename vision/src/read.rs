//! Reading what a document says by machine: the MRZ (OCR + ICAO check digits) and the
//! PDF417 barcode of driving licences. Runs on the original photo, flattened at high
//! resolution from the corners the quality gate found.

use image::{DynamicImage, GrayImage, Luma, Rgb, RgbImage};
use imageproc::geometric_transformations::{Border, Interpolation, Projection, warp_into};
use serde::Serialize;

use crate::barcode::{self, Aamva};
use crate::document::{Pt, sides};
use crate::mrz::{self, CharClass, MrzRead};
use crate::{ocr, ocrb};

/// Width of the flattened document for the MRZ: characters come out ~33 px tall on a card
/// (ID-1), ~23 px on a passport page (ID-3).
pub const OCR_WIDTH: u32 = 1200;

/// The document flattened from the original photo (`corners` in its pixels).
pub fn flatten(img: &DynamicImage, corners: &[Pt; 4], width: u32) -> Option<RgbImage> {
    let s = sides(corners);
    let (horizontal, vertical) = ((s[0] + s[2]) / 2.0, (s[1] + s[3]) / 2.0);
    let aspect = (horizontal.max(vertical) / horizontal.min(vertical).max(1.0)).clamp(1.2, 1.9);
    let height = (width as f32 / aspect).round() as u32;
    let (ow, oh) = if horizontal >= vertical { (width, height) } else { (height, width) };
    let to = [(0.0, 0.0), (ow as f32 - 1.0, 0.0), (ow as f32 - 1.0, oh as f32 - 1.0), (0.0, oh as f32 - 1.0)];
    let projection = Projection::from_control_points(*corners, to)?;
    let rgb = img.to_rgb8();
    let mut out = RgbImage::new(ow, oh);
    warp_into(&rgb, projection, Interpolation::Bilinear, Border::Constant(Rgb([255, 255, 255])), &mut out);
    Some(out)
}

/// OCR reads OCR-B's filler `<` mostly as K (sometimes C), and splits or merges filler runs.
/// A run that starts with `<`, holds only `<`, K and C and at least two `<` is fillers (X, S
/// and E are left alone: they are too common in codes and names); then the longest filler run
/// is stretched or shrunk until the line has its format's length. Check digits still decide
/// what is valid: this only gives the parser lines of the right shape.
pub fn normalise_line(line: &str, target: usize) -> String {
    let mut chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '<' {
            let start = i;
            while i < chars.len() && "<KC".contains(chars[i]) {
                i += 1;
            }
            let run = &mut chars[start..i];
            if run.iter().filter(|c| **c == '<').count() >= 2 && run.len() >= 3 {
                for c in run.iter_mut() {
                    *c = '<';
                }
            }
        } else {
            i += 1;
        }
    }
    while chars.len() != target {
        // The longest run of fillers absorbs the difference.
        let (mut best, mut best_len, mut cur, mut cur_len) = (None, 0usize, 0usize, 0usize);
        for (j, c) in chars.iter().enumerate() {
            if *c == '<' {
                if cur_len == 0 {
                    cur = j;
                }
                cur_len += 1;
                if cur_len > best_len {
                    best_len = cur_len;
                    best = Some(cur);
                }
            } else {
                cur_len = 0;
            }
        }
        match best {
            Some(at) if chars.len() < target => chars.insert(at, '<'),
            Some(at) if best_len > 1 => {
                chars.remove(at);
            }
            _ => break,
        }
    }
    chars.into_iter().collect()
}

/// Candidate MRZ line groups among OCR output: the last 3 lines of TD1 length, or the last
/// 2 of TD3 or TD2 length (loosely), normalised to the exact length.
fn pick_lines(lines: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (len, count, lo, hi) in [(30usize, 3usize, 22usize, 40usize), (44, 2, 38, 52), (36, 2, 31, 41)] {
        let near: Vec<&String> = lines.iter().filter(|l| (lo..=hi).contains(&l.len())).collect();
        if near.len() >= count {
            out.push(near[near.len() - count..].iter().map(|l| normalise_line(l, len)).collect());
        }
    }
    out
}

fn key(r: &MrzRead) -> (String, Option<chrono::NaiveDate>, Option<chrono::NaiveDate>, String) {
    (r.mrz.document_number.clone(), r.mrz.date_of_birth, r.mrz.expiry_date, r.mrz.nationality.clone())
}

/// Structure the check digits do not cover: a known document code, and state codes of
/// three letters (specimens included), or Germany's `D<<` (the parser drops the fillers: `D`).
/// A line shifted by an inserted or dropped character fails here even when its check digits
/// happen to hold.
fn plausible(r: &MrzRead) -> bool {
    let state = |s: &str| {
        let b = s.as_bytes();
        s == "D"
            || (b.len() == 3 && b[0].is_ascii_uppercase() && b.iter().all(|c| c.is_ascii_uppercase() || *c == b'<'))
    };
    r.mrz.document_code.starts_with(['I', 'A', 'C', 'P', 'V'])
        && state(&r.mrz.issuing_state)
        && state(&r.mrz.nationality)
}

/// Share of the flattened document, from the bottom, searched for the MRZ.
pub const MRZ_BAND: f32 = 0.5;
/// Margin added round the flattened document, share of its size on each side.
const BAND_MARGIN: f32 = 0.04;

/// The bottom `share` of the document flattened to `width`, in grey, straight from the
/// original photo (no full-size copy): each output pixel averages a few bilinear samples when
/// the photo has more pixels than the output.
pub fn flatten_band(img: &DynamicImage, corners: &[Pt; 4], width: u32, share: f32) -> Option<GrayImage> {
    let s = sides(corners);
    let (horizontal, vertical) = ((s[0] + s[2]) / 2.0, (s[1] + s[3]) / 2.0);
    let aspect = (horizontal.max(vertical) / horizontal.min(vertical).max(1.0)).clamp(1.2, 1.9);
    let height = (width as f32 / aspect).round() as u32;
    let (ow, oh) = if horizontal >= vertical { (width, height) } else { (height, width) };
    // A margin round the document: a corner fitted a little inside the card must not cut
    // off the first or last character.
    let (mx, my) = (ow as f32 * BAND_MARGIN, oh as f32 * BAND_MARGIN);
    let to = [
        (mx, my),
        (ow as f32 - 1.0 - mx, my),
        (ow as f32 - 1.0 - mx, oh as f32 - 1.0 - my),
        (mx, oh as f32 - 1.0 - my),
    ];
    // Output → photo.
    let back = Projection::from_control_points(to, *corners)?;
    let top = (oh as f32 * (1.0 - share)).floor() as u32;
    let bh = oh - top;
    let ratio = horizontal.max(vertical) / ow.max(oh) as f32;
    let k = ratio.ceil().clamp(1.0, 2.0) as u32;
    let converted;
    let rgb: &RgbImage = match img {
        DynamicImage::ImageRgb8(rgb) => rgb,
        other => {
            converted = other.to_rgb8();
            &converted
        }
    };
    let (iw, ih) = rgb.dimensions();
    let luma_at = |x: i64, y: i64| -> f32 {
        if x < 0 || y < 0 || x >= i64::from(iw) || y >= i64::from(ih) {
            return 255.0;
        }
        let p = rgb.get_pixel(x as u32, y as u32).0;
        0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])
    };
    let bilinear = |x: f32, y: f32| -> f32 {
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let (xi, yi) = (x0 as i64, y0 as i64);
        let a = luma_at(xi, yi) * (1.0 - fx) + luma_at(xi + 1, yi) * fx;
        let b = luma_at(xi, yi + 1) * (1.0 - fx) + luma_at(xi + 1, yi + 1) * fx;
        a * (1.0 - fy) + b * fy
    };
    let kf = k as f32;
    let mut out = GrayImage::new(ow, bh);
    for y in 0..bh {
        for x in 0..ow {
            let mut acc = 0.0;
            for b in 0..k {
                for a in 0..k {
                    let u = x as f32 + (a as f32 + 0.5) / kf - 0.5;
                    let v = (y + top) as f32 + (b as f32 + 0.5) / kf - 0.5;
                    let (sx, sy) = back * (u, v);
                    acc += bilinear(sx, sy);
                }
            }
            out.put_pixel(x, y, Luma([(acc / (kf * kf)).round().clamp(0.0, 255.0) as u8]));
        }
    }
    Some(out)
}

/// Two templates this close in score make a position ambiguous.
const AMBIGUOUS: f32 = 0.03;
/// At most this many ambiguous positions are tried both ways (2^6 readings).
const MAX_AMBIGUOUS: usize = 6;
/// In fields that take letters and digits, OCR-B twins (`0`/`O`/`Q`/`D`, `1`/`I`, …) this
/// close are ambiguous too: at a passport page's small size their templates score alike, and
/// two swaps can satisfy a check digit together (`C01X00T47` read as a valid `CO1XOQT47`).
const AMBIGUOUS_TWIN: f32 = 0.06;

/// The characters an OCR-B reading of `c` is easily confused with.
fn twins(c: u8) -> &'static [u8] {
    match c {
        b'0' | b'O' | b'Q' | b'D' => b"0OQD",
        b'1' | b'I' => b"1I",
        b'2' | b'Z' => b"2Z",
        b'5' | b'S' => b"5S",
        b'6' | b'G' => b"6G",
        b'8' | b'B' => b"8B",
        _ => b"",
    }
}

/// A cell where the classifier hesitated: its reading's runner-up among the characters the
/// cell admits (or its OCR-B twin), and by how much it trailed.
#[derive(Debug, Clone, Copy)]
pub struct Hesitant {
    pub line: usize,
    pub column: usize,
    pub first: u8,
    pub alt: u8,
    /// Score of `first` less score of `alt` (≥ 0).
    pub margin: f32,
    /// [`likeness`] of the cell to `first` and to `alt`.
    pub like_first: Option<f32>,
    pub like_alt: Option<f32>,
}

/// One combination of the hesitant cells' readings whose check digits hold (after the
/// parser's own repair) and whose codes are plausible.
#[derive(Debug, Clone)]
pub struct Combination {
    pub read: MrzRead,
    /// Template score lost against the classifier's first choices: the sum of the margins of
    /// the hesitant cells switched to their runner-up.
    pub cost: f32,
}

/// What one candidate reading of the band (one MRZ shape) offers.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// (lines, characters per line) of the reading.
    pub shape: (usize, usize),
    pub hesitant: Vec<Hesitant>,
    /// Cells whose OCR-B twin was settled by [`twin_verdict`] (`first` the one kept).
    pub settled: Vec<Hesitant>,
    /// Every distinct valid combination, cheapest first.
    pub valid: Vec<Combination>,
    /// The classifier's first choices, parsed, when they are not valid.
    pub fallback: Option<MrzRead>,
}

/// A cell at least this like the MRZ's own clear examples of one twin, with no clear example
/// of the other to compare, holds that twin. On the fixtures, a cell is never more than 0.961
/// like the examples of its twin (`0` against `O` on a sharp card), and a `0` is 0.97–0.998
/// like the MRZ's other zeros.
const SAME_GLYPH: f32 = 0.985;
/// With clear examples of both twins, the cell must be this much more like one than the
/// other. On the fixtures a cell is at least 0.027 more like its own character's examples
/// than its twin's (0.1 on a passport page's `0`/`O`), never less.
const TWIN_GAP: f32 = 0.03;
/// …and at least this like it (a misplaced cell is unlike everything; 0.947 the least a
/// fixture cell is like its own character's examples).
const LIKE_FLOOR: f32 = 0.9;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Twin {
    First,
    Alt,
}

/// Which of two OCR-B twins a cell holds, from its [`likeness`] to the MRZ's own examples of
/// each (`None`: no example of that one), or `None` when they do not say clearly. Templates
/// from the sheet barely tell `0` from `O` at a passport page's size, but every cell of one
/// MRZ shares the print, blur and scale: a cell looks far more like another cell holding the
/// same character than like its twin. The dates and check digits give examples of digits, the
/// names and codes examples of letters.
fn twin_verdict(like_first: Option<f32>, like_alt: Option<f32>) -> Option<Twin> {
    match (like_first, like_alt) {
        (Some(f), Some(a)) if f - a >= TWIN_GAP && f >= LIKE_FLOOR => Some(Twin::First),
        (Some(f), Some(a)) if a - f >= TWIN_GAP && a >= LIKE_FLOOR => Some(Twin::Alt),
        (Some(f), None) if f >= SAME_GLYPH => Some(Twin::First),
        (None, Some(a)) if a >= SAME_GLYPH => Some(Twin::Alt),
        _ => None,
    }
}

/// How alike cell `at` is to the MRZ's own clear examples of `ch` (the best
/// [`ocrb::Glyph::similarity`]): the other cells whose position admits only digits or only
/// letters and whose reading there is `ch` by at least [`AMBIGUOUS`]. `None` without any.
pub fn likeness(glyphs: &[Vec<ocrb::Glyph>], classes: &[Vec<CharClass>], at: (usize, usize), ch: u8) -> Option<f32> {
    let cell = glyphs.get(at.0)?.get(at.1)?;
    let mut best: Option<f32> = None;
    for (l, (row, row_classes)) in glyphs.iter().zip(classes).enumerate() {
        for (c, (g, class)) in row.iter().zip(row_classes).enumerate() {
            let allowed = |x: u8| match class {
                CharClass::Digit => x.is_ascii_digit(),
                CharClass::Letter => x.is_ascii_uppercase(),
                CharClass::Any => false,
            };
            if (l, c) == at || !allowed(ch) {
                continue;
            }
            let (first, score) = g.best_of(|x| x == b'<' || allowed(x));
            let (_, second) = g.best_of(|x| x != first && (x == b'<' || allowed(x)));
            if first == ch && score - second >= AMBIGUOUS {
                let s = cell.similarity(g);
                best = Some(best.map_or(s, |b| b.max(s)));
            }
        }
    }
    best
}

/// The MRZ options of a flattened band: per candidate reading ([`ocrb::read_band`]), each
/// cell restricted to what its position admits (digits in dates and check digits, letters in
/// codes and names), and every combination of the hesitant cells tried against the check
/// digits. Fixed-pitch cells cannot insert or drop a character, so a wrong reading must be a
/// substitution.
pub fn mrz_options(band: &GrayImage) -> Vec<Options> {
    let mut out = Vec::new();
    for reading in ocrb::read_band(band) {
        let Some(classes) = mrz::position_classes(reading.lines.len(), reading.glyphs[0].len()) else { continue };
        let mut lines: Vec<Vec<u8>> = Vec::new();
        let mut hesitant: Vec<Hesitant> = Vec::new();
        let mut settled: Vec<Hesitant> = Vec::new();
        for (l, row) in reading.glyphs.iter().enumerate() {
            let mut line = Vec::new();
            for (c, g) in row.iter().enumerate() {
                let class = classes[l][c];
                let allowed = |ch: u8| {
                    ch == b'<'
                        || match class {
                            CharClass::Digit => ch.is_ascii_digit(),
                            CharClass::Letter => ch.is_ascii_uppercase(),
                            CharClass::Any => true,
                        }
                };
                let (mut first, mut score) = g.best_of(allowed);
                let like = |ch| likeness(&reading.glyphs, &classes, (l, c), ch);
                if class == CharClass::Any && !twins(first).is_empty() {
                    // Between OCR-B twins the MRZ's own clear examples decide when they can.
                    let (twin, twin_score) = g.best_of(|ch| ch != first && twins(first).contains(&ch));
                    let (like_first, like_twin) = (like(first), like(twin));
                    let verdict = twin_verdict(like_first, like_twin);
                    let mut decided = Hesitant {
                        line: l,
                        column: c,
                        first,
                        alt: twin,
                        margin: score - twin_score,
                        like_first,
                        like_alt: like_twin,
                    };
                    match verdict {
                        Some(Twin::First) => settled.push(decided),
                        Some(Twin::Alt) => {
                            (first, score) = (twin, twin_score);
                            (decided.first, decided.alt) = (twin, decided.first);
                            (decided.like_first, decided.like_alt) = (like_twin, like_first);
                            settled.push(decided);
                        }
                        None if score - twin_score < AMBIGUOUS_TWIN => {
                            hesitant.push(decided);
                            line.push(first);
                            continue;
                        }
                        None => {}
                    }
                }
                // Any other character this close (the twins are settled by now).
                let settled_set = if class == CharClass::Any { twins(first) } else { b"" };
                let (second, second_score) = g.best_of(|ch| ch != first && !settled_set.contains(&ch) && allowed(ch));
                if score - second_score < AMBIGUOUS && class != CharClass::Letter {
                    hesitant.push(Hesitant {
                        line: l,
                        column: c,
                        first,
                        alt: second,
                        margin: (score - second_score).max(0.0),
                        like_first: None,
                        like_alt: None,
                    });
                }
                line.push(first);
            }
            lines.push(line);
        }
        hesitant.sort_by(|a, b| a.margin.total_cmp(&b.margin));
        hesitant.truncate(MAX_AMBIGUOUS);
        let shape = (reading.lines.len(), reading.glyphs[0].len());
        let mut options = Options { shape, hesitant, settled, ..Options::default() };
        for mask in 0u32..(1 << options.hesitant.len()) {
            let mut candidate = lines.clone();
            let mut cost = 0.0;
            for (i, h) in options.hesitant.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    candidate[h.line][h.column] = h.alt;
                    cost += h.margin;
                }
            }
            let text: Vec<String> = candidate.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect();
            let refs: Vec<&str> = text.iter().map(String::as_str).collect();
            let Ok(read) = mrz::parse(&refs) else { continue };
            if read.valid && plausible(&read) {
                // The same fields reached another way: keep the cheapest way.
                match options.valid.iter_mut().find(|f| f.read.mrz == read.mrz) {
                    Some(f) => f.cost = f.cost.min(cost),
                    None => options.valid.push(Combination { read, cost }),
                }
            } else if mask == 0 {
                options.fallback = Some(read);
            }
        }
        options.valid.sort_by(|a, b| a.cost.total_cmp(&b.cost));
        out.push(options);
    }
    out
}

/// Reads and validates the MRZ from the bottom band of the flattened document
/// ([`mrz_options`]). A reading counts as valid only when every check digit holds and the
/// codes are plausible ([`plausible`]).
///
/// In cells that take letters and digits, a reading with an OCR-B twin (`0`/`O`, `1`/`I`, …)
/// is first settled by the MRZ's own clear examples of each twin ([`twin_verdict`]). Where the
/// classifier still hesitates between two characters (scores within [`AMBIGUOUS`], twins
/// within [`AMBIGUOUS_TWIN`]), both are tried; a combination is accepted only when it is the
/// *only* one whose check digits hold (two valid combinations — a swap the check digits are
/// blind to — give no valid reading).
pub fn read_mrz(img: &DynamicImage, corners: &[Pt; 4]) -> Option<MrzRead> {
    let band = flatten_band(img, corners, OCR_WIDTH, MRZ_BAND)?;
    let mut best: Option<MrzRead> = None;
    for mut options in mrz_options(&band) {
        match options.valid.len() {
            1 => return options.valid.pop().map(|c| c.read),
            0 => {
                if best.is_none() {
                    best = options.fallback;
                }
            }
            _ => {
                // Check digits cannot choose: report the first reading, not valid.
                let mut read = options.valid.swap_remove(0).read;
                read.valid = false;
                best = Some(read);
            }
        }
    }
    // Nothing valid: report what was read, as not valid.
    let mut out = best?;
    out.valid = false;
    Some(out)
}

/// The previous reader, Tesseract over three crops of the bottom band: kept for comparison
/// (`make accuracy` prints both).
pub fn read_mrz_tesseract(img: &DynamicImage, corners: &[Pt; 4]) -> Option<MrzRead> {
    let flat = flatten(img, corners, 1400)?;
    let mut valid: Vec<MrzRead> = Vec::new();
    let mut best: Option<MrzRead> = None;
    for share in [0.36, 0.42, 0.5] {
        let Ok(lines) = ocr::read_mrz_lines(&flat, share) else { continue };
        for candidate in pick_lines(&lines) {
            let refs: Vec<&str> = candidate.iter().map(String::as_str).collect();
            if let Ok(read) = mrz::parse(&refs) {
                if read.valid && plausible(&read) {
                    if valid.iter().any(|v| key(v) == key(&read)) {
                        return Some(read);
                    }
                    valid.push(read);
                } else {
                    best.get_or_insert(read);
                }
            }
        }
    }
    let mut out = valid.into_iter().next().or(best)?;
    out.valid = false;
    Some(out)
}

#[derive(Debug, Clone, Serialize)]
pub struct BarcodeRead {
    pub format: &'static str,
    /// Parsed AAMVA fields (the raw text is not kept: it is all PII).
    pub aamva: Option<Aamva>,
}

/// Decodes a PDF417 on the flattened document, then on the whole photo as a fallback.
pub fn read_pdf417(img: &DynamicImage, corners: Option<&[Pt; 4]>) -> Option<(String, BarcodeRead)> {
    let mut attempts: Vec<image::GrayImage> = Vec::new();
    if let Some(flat) = corners.and_then(|c| flatten(img, c, 1600)) {
        attempts.push(image::imageops::grayscale(&flat));
    }
    let whole = if img.width().max(img.height()) > 2400 { img.thumbnail(2400, 2400) } else { img.clone() };
    attempts.push(whole.to_luma8());
    for gray in attempts {
        if let Some(text) = barcode::decode_pdf417(&gray) {
            let aamva = barcode::parse_aamva(&text);
            return Some((text, BarcodeRead { format: "pdf417", aamva }));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(lines: &[&str]) -> MrzRead {
        mrz::parse_at(lines, chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// The tie-break between OCR-B twins: the MRZ's own examples settle a cell only when they
    /// say so clearly; otherwise the cell stays hesitant and the check digits must agree on a
    /// single combination.
    #[test]
    fn twins_are_settled_by_the_mrzs_own_examples_only_when_clear() {
        // A passport page's zero (seed 2, passport 0010): like the zeros of its dates, unlike
        // the O of its names, whatever the templates said.
        assert_eq!(twin_verdict(Some(0.985), Some(0.876)), Some(Twin::First));
        assert_eq!(twin_verdict(Some(0.876), Some(0.985)), Some(Twin::Alt));
        // A sharp card's zero is 0.961 like its O: too close to call either way.
        assert_eq!(twin_verdict(Some(0.975), Some(0.961)), None);
        assert_eq!(twin_verdict(Some(0.961), Some(0.975)), None);
        // A misplaced cell is unlike both: nothing to say.
        assert_eq!(twin_verdict(Some(0.60), Some(0.40)), None);
        // Examples of one twin only: the cell must be all but identical to them.
        assert_eq!(twin_verdict(Some(0.99), None), Some(Twin::First));
        assert_eq!(twin_verdict(None, Some(0.99)), Some(Twin::Alt));
        assert_eq!(twin_verdict(Some(0.97), None), None);
        assert_eq!(twin_verdict(None, Some(0.97)), None);
        assert_eq!(twin_verdict(None, None), None);
    }

    /// A band with TD3 lines typeset from the template sheet at its own size, every `0` drawn
    /// as an even blend of the sheet's `0` and `O`: a print whose zero the templates cannot
    /// place, but that is the same in every cell.
    fn typeset_blended_zeros(lines: &[&str]) -> GrayImage {
        let sheet = image::load_from_memory(include_bytes!("../data/ocrb.png")).expect("embedded sheet").to_luma8();
        let (pitch, cell_h) = (52u32, sheet.height());
        let cell = |ch: u8| {
            let i = ocrb::ALPHABET.iter().position(|&a| a == ch).expect("MRZ character") as u32;
            image::imageops::crop_imm(&sheet, i * pitch, 0, pitch, cell_h).to_image()
        };
        let (zero, letter_o) = (cell(b'0'), cell(b'O'));
        let blend = GrayImage::from_fn(pitch, cell_h, |x, y| {
            Luma([((u16::from(zero.get_pixel(x, y).0[0]) + u16::from(letter_o.get_pixel(x, y).0[0])) / 2) as u8])
        });
        let width = 44 * pitch + 120;
        let mut band = GrayImage::from_pixel(width, 40 + lines.len() as u32 * (cell_h + 8) + 40, Luma([245]));
        for (row, line) in lines.iter().enumerate() {
            for (col, ch) in line.bytes().enumerate() {
                let glyph = if ch == b'0' { blend.clone() } else { cell(ch) };
                let (x, y) = (60 + col as u32 * pitch, 40 + row as u32 * (cell_h + 8));
                image::imageops::overlay(&mut band, &glyph, i64::from(x), i64::from(y));
            }
        }
        band
    }

    /// `00AB12345`: its two zeros sit at weights 7 and 3, so reading both as `O` (+24 each)
    /// holds the number's check digit and the composite as well as the truth does. Templates
    /// alone hesitate on both cells and the check digits cannot choose (no valid reading);
    /// the zeros of the dates, drawn alike, settle them.
    #[test]
    fn the_mrzs_own_zeros_settle_a_swap_the_check_digits_are_blind_to() {
        let number = "00AB12345";
        let digit = |s: &str| char::from(b'0' + mrz::check_digit(s).expect("MRZ characters"));
        let (birth, expiry, personal) = ("740812", "300630", "<".repeat(14));
        let mut l2 = format!(
            "{number}{}D<<{birth}{}F{expiry}{}{personal}{}",
            digit(number),
            digit(birth),
            digit(expiry),
            digit(&personal)
        );
        let composite = format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..43]);
        l2.push(digit(&composite));
        let l1 = format!("P<D<<{:<<39}", "MUSTERMANN<<ERIKA");
        let options = mrz_options(&typeset_blended_zeros(&[&l1, &l2]));
        let td3 = options.iter().find(|o| o.shape == (2, 44)).expect("a TD3 reading");
        let valid: Vec<&str> = td3.valid.iter().map(|c| c.read.mrz.document_number.as_str()).collect();
        assert_eq!(valid, [number], "hesitant {:?}, settled {:?}", td3.hesitant, td3.settled);
        assert!(td3.settled.iter().any(|h| (h.line, h.column, h.first) == (1, 0, b'0')), "{:?}", td3.settled);
    }

    #[test]
    fn germanys_one_letter_code_is_a_state_but_a_shifted_code_is_not() {
        // ICAO 9303 part 5's German ID card specimen layout, with D<< for state and nationality.
        let german = read(&[
            "IDD<<T220001293<<<<<<<<<<<<<<<",
            "6408125<2010315D<<<<<<<<<<<<<4",
            "MUSTERMANN<<ERIKA<<<<<<<<<<<<<",
        ]);
        assert_eq!(german.mrz.issuing_state, "D");
        assert!(german.valid && plausible(&german));
        let mut shifted = german.clone();
        shifted.mrz.issuing_state = "DE".into();
        assert!(!plausible(&shifted));
        shifted.mrz.issuing_state = "E".into();
        assert!(!plausible(&shifted));
    }
}
