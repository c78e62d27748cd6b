//! Camera photos of documents whose MRZ is typeset in OCR-B from the reader's own sprite sheet,
//! at ICAO geometry, on a card lying on a desk.

use std::io::Cursor;
use std::sync::OnceLock;

use image::codecs::jpeg::JpegEncoder;
use image::{GrayImage, Rgb, RgbImage};

use super::mrz_lines::number;
use super::{DocData, td1_lines, td3_lines, transliterate};

/// ID-1 (cards) and ID-3 (passport pages), millimetres.
const ID1_MM: (f32, f32) = (85.60, 53.98);
const ID3_MM: (f32, f32) = (125.0, 88.0);
/// ICAO 9303: 10 characters per inch, 2.35 mm cap height.
const MRZ_PITCH_MM: f32 = 2.54;
const MRZ_CAP_MM: f32 = 2.35;

/// The reader's templates, drawn from the OCR-B font: 37 cells of `SHEET_PITCH` px, the cap
/// line `SHEET_MARGIN` px from the top, the baseline `SHEET_CAP` px below it, ink dark on white
/// (vision/data/ocrb_templates.py).
const SHEET_PNG: &[u8] = include_bytes!("../../../vision/data/ocrb.png");
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
