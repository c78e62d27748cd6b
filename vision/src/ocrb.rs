//! Reading an MRZ printed in OCR-B (the font ICAO 9303 prescribes) without a general OCR
//! engine: find the MRZ rows on the flattened document, split each row into its fixed-pitch
//! character cells (TD1 3×30, TD2 2×36, TD3 2×44) and classify every cell by normalised
//! correlation against templates of the 37 MRZ characters.
//!
//! The templates are a sprite sheet rendered from Debian's `fonts-ocr-b` (public domain /
//! freely redistributable, see `vision/data/ocrb_templates.py`) and embedded in the
//! binary: the product does not need the font at run time.

use std::sync::OnceLock;

use image::{GrayImage, Luma};
use imageproc::region_labelling::{Connectivity, connected_components};

/// Characters an MRZ can hold, in the order of the template sheet.
pub const ALPHABET: &[u8; 37] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

const SHEET: &[u8] = include_bytes!("../data/ocrb.png");
const SHEET_PITCH: f32 = 52.0;
const SHEET_CAP: f32 = 48.0;
const SHEET_MARGIN: f32 = 12.0;

/// Normalised glyph size (pixels across one pitch, and down the cap height plus padding).
const NW: usize = 18;
const NH: usize = 24;
const N: usize = NW * NH;
/// The sampled window runs this share of the cap height above the cap line and below the baseline.
const V_PAD: f32 = 0.15;

type Vector = [f32; N];

/// One classified character cell.
#[derive(Debug, Clone, Copy)]
pub struct Glyph {
    pub best: u8,
    /// Score of the best template (1 = identical shape and height).
    pub score: f32,
    pub second: u8,
    pub second_score: f32,
    /// Score of every template, in [`ALPHABET`] order: the correlation, less a penalty for a
    /// character height unlike the template's.
    pub scores: [f32; 37],
    /// The cell's ink, sampled one grid pixel wider all round than a template (for
    /// [`Glyph::similarity`]).
    padded: [f32; PW * PH],
}

impl Glyph {
    /// The best character among those `allowed`, and its score.
    pub fn best_of(&self, allowed: impl Fn(u8) -> bool) -> (u8, f32) {
        ALPHABET
            .iter()
            .zip(self.scores)
            .filter(|(c, _)| allowed(**c))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or((self.best, self.score), |(c, s)| (*c, s))
    }

    /// How alike two cells look: the best normalised correlation of `other`'s centred window
    /// with this cell's window shifted by up to one grid pixel. Two cells of one MRZ share its
    /// print, blur and scale, so a cell is far more like another cell holding the same
    /// character than like the sheet's template of it.
    pub fn similarity(&self, other: &Glyph) -> f32 {
        let (mut a, mut b) = ([0.0; N], [0.0; N]);
        window(&other.padded, 1, 1, &mut b);
        normalise(&mut b);
        let mut best = f32::MIN;
        for dy in 0..3 {
            for dx in 0..3 {
                window(&self.padded, dx, dy, &mut a);
                normalise(&mut a);
                best = best.max(dot(&a, &b));
            }
        }
        best
    }
}

/// The MRZ rows read off a band, one string per row, plus the cells' scores.
#[derive(Debug, Clone)]
pub struct Reading {
    pub lines: Vec<String>,
    pub glyphs: Vec<Vec<Glyph>>,
}

impl Reading {
    /// The lowest best-template correlation of any cell.
    pub fn min_score(&self) -> f32 {
        self.glyphs.iter().flatten().map(|g| g.score).fold(1.0, f32::min)
    }
}

struct Template {
    vector: Vector,
    /// Ink height over the cap height (OCR-B digits stand taller than letters; `<` is short).
    height: f32,
    /// Ink bottom below the baseline, over the cap height (`<` sits above it).
    drop: f32,
}

fn templates() -> &'static [Template] {
    static TEMPLATES: OnceLock<Vec<Template>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let Ok(sheet) = image::load_from_memory(SHEET) else { return Vec::new() };
        let sheet = sheet.to_luma8();
        (0..ALPHABET.len())
            .map(|i| {
                let mut padded = [0.0; PW * PH];
                let mut vector = [0.0; N];
                let cx = (i as f32 + 0.5) * SHEET_PITCH;
                sample_padded(&sheet, cx, SHEET_MARGIN, SHEET_CAP, &mut padded);
                window(&padded, 1, 1, &mut vector);
                normalise(&mut vector);
                let x0 = (i as f32 * SHEET_PITCH) as u32;
                let inked: Vec<u32> = (0..sheet.height())
                    .filter(|&y| (x0..x0 + SHEET_PITCH as u32).any(|x| sheet.get_pixel(x, y).0[0] < 128))
                    .collect();
                let (height, drop) = match (inked.first(), inked.last()) {
                    (Some(a), Some(b)) => {
                        ((b - a + 1) as f32 / SHEET_CAP, ((b + 1) as f32 - SHEET_MARGIN - SHEET_CAP) / SHEET_CAP)
                    }
                    _ => (1.0, 0.0),
                };
                Template { vector, height, drop }
            })
            .collect()
    })
}

fn pixel(img: &GrayImage, x: i64, y: i64) -> f32 {
    let (w, h) = img.dimensions();
    if x < 0 || y < 0 || x >= i64::from(w) || y >= i64::from(h) {
        return 0.0;
    }
    255.0 - f32::from(img.get_pixel(x as u32, y as u32).0[0])
}

/// Ink (255 − grey) at a continuous position, bilinear; pixel `x` covers `[x, x + 1)`.
fn ink_at(img: &GrayImage, x: f32, y: f32) -> f32 {
    let (u, v) = (x - 0.5, y - 0.5);
    let (x0, y0) = (u.floor(), v.floor());
    let (fx, fy) = (u - x0, v - y0);
    let (x0, y0) = (x0 as i64, y0 as i64);
    let top = pixel(img, x0, y0) * (1.0 - fx) + pixel(img, x0 + 1, y0) * fx;
    let bottom = pixel(img, x0, y0 + 1) * (1.0 - fx) + pixel(img, x0 + 1, y0 + 1) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// Width of the sampled window over the cap height (the sheet's pitch over its cap height):
/// glyphs scale with the font size, whatever the pitch of the document.
const WINDOW_RATIO: f32 = SHEET_PITCH / SHEET_CAP;
/// Grid with one pixel of margin all round, for the ±1 pixel shifts.
const PW: usize = NW + 2;
const PH: usize = NH + 2;

/// Samples the window centred on `cx` whose cap line is at `top` (cap height `cap`) into a
/// grid one pixel larger on every side, averaging over the area each grid pixel covers.
fn sample_padded(img: &GrayImage, cx: f32, top: f32, cap: f32, out: &mut [f32; PW * PH]) {
    let (sx, sy) = (cap * WINDOW_RATIO / NW as f32, cap * (1.0 + 2.0 * V_PAD) / NH as f32);
    let (x0, y0) = (cx - cap * WINDOW_RATIO / 2.0 - sx, top - V_PAD * cap - sy);
    let k = sx.max(sy).ceil().clamp(1.0, 4.0) as usize;
    let kf = k as f32;
    for j in 0..PH {
        for i in 0..PW {
            let mut acc = 0.0;
            for b in 0..k {
                for a in 0..k {
                    let x = x0 + (i as f32 + (a as f32 + 0.5) / kf) * sx;
                    let y = y0 + (j as f32 + (b as f32 + 0.5) / kf) * sy;
                    acc += ink_at(img, x, y);
                }
            }
            out[j * PW + i] = acc / (kf * kf);
        }
    }
}

/// The `NW × NH` window of a padded grid shifted by (`dx`, `dy`) ∈ {0, 1, 2}².
fn window(padded: &[f32; PW * PH], dx: usize, dy: usize, out: &mut Vector) {
    for j in 0..NH {
        out[j * NW..(j + 1) * NW].copy_from_slice(&padded[(j + dy) * PW + dx..(j + dy) * PW + dx + NW]);
    }
}

/// Zero mean, unit norm (a flat cell stays all zeros).
fn normalise(v: &mut Vector) {
    let mean = v.iter().sum::<f32>() / N as f32;
    let mut norm = 0.0;
    for x in v.iter_mut() {
        *x -= mean;
        norm += *x * *x;
    }
    let norm = norm.sqrt();
    if norm > 1e-3 {
        for x in v.iter_mut() {
            *x /= norm;
        }
    }
}

fn dot(a: &Vector, b: &Vector) -> f32 {
    a.iter().zip(b.iter()).map(|(x, y)| x * y).sum()
}

/// Classifies the cell, trying shifts of one grid pixel either way.
fn classify(img: &GrayImage, cx: f32, top: f32, cap: f32) -> Option<Glyph> {
    let templates = templates();
    if templates.len() != ALPHABET.len() {
        return None;
    }
    let mut scores = [f32::MIN; 37];
    let mut padded = [0.0; PW * PH];
    let mut v = [0.0; N];
    sample_padded(img, cx, top, cap, &mut padded);
    for dy in 0..3 {
        for dx in 0..3 {
            window(&padded, dx, dy, &mut v);
            normalise(&mut v);
            for (s, t) in scores.iter_mut().zip(templates) {
                *s = s.max(dot(&v, &t.vector));
            }
        }
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]));
    Some(Glyph {
        best: ALPHABET[order[0]],
        score: scores[order[0]],
        second: ALPHABET[order[1]],
        second_score: scores[order[1]],
        scores,
        padded,
    })
}

/// Recomputes best and second from the scores.
fn rank(g: &mut Glyph) {
    let mut order: Vec<usize> = (0..g.scores.len()).collect();
    order.sort_by(|a, b| g.scores[*b].total_cmp(&g.scores[*a]));
    g.best = ALPHABET[order[0]];
    g.score = g.scores[order[0]];
    g.second = ALPHABET[order[1]];
    g.second_score = g.scores[order[1]];
}

/// Score lost per unit of height mismatch (blob height over cap height vs the template's).
const HEIGHT_WEIGHT: f32 = 0.5;

fn template(c: u8) -> Option<&'static Template> {
    ALPHABET.iter().position(|&a| a == c).and_then(|i| templates().get(i))
}

/// Ink mask by Sauvola's local threshold (window `2r + 1`), robust to uneven light.
fn ink_mask(g: &GrayImage, r: u32) -> GrayImage {
    let (w, h) = g.dimensions();
    let (wu, hu) = (w as usize, h as usize);
    let stride = wu + 1;
    let mut sum = vec![0f64; stride * (hu + 1)];
    let mut sq = vec![0f64; stride * (hu + 1)];
    for y in 0..hu {
        let (mut row, mut row2) = (0f64, 0f64);
        for x in 0..wu {
            let p = f64::from(g.get_pixel(x as u32, y as u32).0[0]);
            row += p;
            row2 += p * p;
            sum[(y + 1) * stride + x + 1] = sum[y * stride + x + 1] + row;
            sq[(y + 1) * stride + x + 1] = sq[y * stride + x + 1] + row2;
        }
    }
    let mut out = GrayImage::new(w, h);
    let r = r as usize;
    for y in 0..hu {
        let (ya, yb) = (y.saturating_sub(r), (y + r + 1).min(hu));
        for x in 0..wu {
            let (xa, xb) = (x.saturating_sub(r), (x + r + 1).min(wu));
            let n = ((yb - ya) * (xb - xa)) as f64;
            let s = sum[yb * stride + xb] - sum[ya * stride + xb] - sum[yb * stride + xa] + sum[ya * stride + xa];
            let s2 = sq[yb * stride + xb] - sq[ya * stride + xb] - sq[yb * stride + xa] + sq[ya * stride + xa];
            let mean = s / n;
            let sd = (s2 / n - mean * mean).max(0.0).sqrt();
            let t = mean * (1.0 + 0.2 * (sd / 128.0 - 1.0));
            let p = f64::from(g.get_pixel(x as u32, y as u32).0[0]);
            if p < t && mean - p > 12.0 {
                out.put_pixel(x as u32, y as u32, Luma([255]));
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy)]
struct Blob {
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
}

impl Blob {
    fn w(&self) -> f32 {
        (self.x1 - self.x0 + 1) as f32
    }
    fn h(&self) -> f32 {
        (self.y1 - self.y0 + 1) as f32
    }
    fn cx(&self) -> f32 {
        (self.x0 + self.x1 + 1) as f32 / 2.0
    }
    fn cy(&self) -> f32 {
        (self.y0 + self.y1 + 1) as f32 / 2.0
    }
}

fn blobs(mask: &GrayImage) -> Vec<Blob> {
    let labels = connected_components(mask, Connectivity::Eight, Luma([0u8]));
    let mut out: Vec<Option<Blob>> = Vec::new();
    for (x, y, p) in labels.enumerate_pixels() {
        let l = p.0[0] as usize;
        if l == 0 {
            continue;
        }
        if l >= out.len() {
            out.resize(l + 1, None);
        }
        let b = out[l].get_or_insert(Blob { x0: x, y0: y, x1: x, y1: y });
        b.x0 = b.x0.min(x);
        b.x1 = b.x1.max(x);
        b.y0 = b.y0.min(y);
        b.y1 = b.y1.max(y);
    }
    out.into_iter().flatten().collect()
}

fn median(mut v: Vec<f32>) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

/// A text row: its blobs sorted left to right.
struct Row {
    blobs: Vec<Blob>,
    height: f32,
}

/// Groups glyph-sized blobs into rows (by vertical centre), bottom row last.
fn rows(blobs: &[Blob], band_w: u32, band_h: u32) -> Vec<Row> {
    let mut glyphs: Vec<Blob> = blobs
        .iter()
        .copied()
        .filter(|b| b.h() >= 6.0 && b.h() <= band_h as f32 / 3.0 && b.w() <= 2.5 * b.h() + 3.0)
        .filter(|b| b.x0 > 0 && b.y0 > 0 && b.x1 + 1 < band_w && b.y1 + 1 < band_h)
        .collect();
    glyphs.sort_by(|a, b| a.cy().total_cmp(&b.cy()));
    let mut groups: Vec<Vec<Blob>> = Vec::new();
    for b in glyphs {
        match groups.last_mut() {
            Some(g) if g.last().is_some_and(|l| b.cy() - l.cy() <= 0.35 * l.h().max(b.h())) => g.push(b),
            _ => groups.push(vec![b]),
        }
    }
    groups
        .into_iter()
        .filter(|g| g.len() >= 15)
        .map(|mut g| {
            let height = median(g.iter().map(Blob::h).collect());
            // Specks far smaller than the row's characters are noise (a `<` is about half as tall).
            g.retain(|b| b.h() >= 0.3 * height);
            g.sort_by(|a, b| a.cx().total_cmp(&b.cx()));
            Row { blobs: g, height }
        })
        .collect()
}

/// Straight-line fit `y = a + b x` (slope bounded: the document is flattened).
fn fit_line(points: &[(f32, f32)]) -> (f32, f32) {
    let m = points.len().max(1) as f32;
    let mx = points.iter().map(|p| p.0).sum::<f32>() / m;
    let my = points.iter().map(|p| p.1).sum::<f32>() / m;
    let sxx: f32 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f32 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let slope = if sxx > 0.0 { (sxy / sxx).clamp(-0.1, 0.1) } else { 0.0 };
    (my - slope * mx, slope)
}

/// Cell centres of a row of `n` fixed-pitch characters: blobs are numbered by their distance
/// from the previous one in pitches, a comb is fitted through them, and the `n` consecutive
/// cells holding the most blobs are kept (a stray mark beside the MRZ falls outside).
fn comb(blobs: &[Blob], height: f32, n: usize) -> Option<(f32, f32, f32)> {
    let gaps: Vec<f32> = blobs.windows(2).map(|w| w[1].cx() - w[0].cx()).filter(|g| *g > 0.5 * height).collect();
    let pitch0 = median(gaps.clone());
    if pitch0 <= 0.0 {
        return None;
    }
    let mut index = vec![0i64];
    for w in blobs.windows(2) {
        let step = ((w[1].cx() - w[0].cx()) / pitch0).round() as i64;
        index.push(index.last().copied().unwrap_or(0) + step);
    }
    let span = index.last().copied().unwrap_or(0) + 1;

    let n = n as i64;
    if span < n - 1 {
        return None;
    }
    // The window of n cells with the most blobs (the leftmost on ties).
    let mut best = (0usize, 0i64);
    for start in 0..=(span - n).max(0) {
        let count = index.iter().filter(|&&i| i >= start && i < start + n).count();
        if count > best.0 {
            best = (count, start);
        }
    }
    let start = best.1;
    let points: Vec<(f32, f32)> = blobs
        .iter()
        .zip(&index)
        .filter(|(_, i)| **i >= start && **i < start + n)
        .map(|(b, i)| ((*i - start) as f32, b.cx()))
        .collect();
    if points.len() < (n as usize) / 2 {
        return None;
    }
    let fit = fit_quadratic(&points)?;
    let pitch_at = |i: f32| fit.1 + 2.0 * fit.2 * i;
    // The pitch may change along the row (perspective left by an imperfect flattening), but
    // not by much, and never reverse.
    let (p0, p1) = (pitch_at(0.0), pitch_at(n as f32 - 1.0));
    if p0.min(p1) < 0.6 * pitch0 || p0.max(p1) > 1.4 * pitch0 {
        return None;
    }
    Some(fit)
}

/// Least-squares `x = a + b i + c i²` through (i, x) points.
fn fit_quadratic(points: &[(f32, f32)]) -> Option<(f32, f32, f32)> {
    let mut m = [[0f64; 4]; 3];
    for &(i, x) in points {
        let (i, x) = (f64::from(i), f64::from(x));
        let row = [1.0, i, i * i];
        for r in 0..3 {
            for c in 0..3 {
                m[r][c] += row[r] * row[c];
            }
            m[r][3] += row[r] * x;
        }
    }
    // Gaussian elimination with partial pivoting.
    for col in 0..3 {
        let pivot = (col..3).max_by(|a, b| m[*a][col].abs().total_cmp(&m[*b][col].abs()))?;
        m.swap(col, pivot);
        if m[col][col].abs() < 1e-9 {
            return None;
        }
        let pivot_row = m[col];
        for (r, row) in m.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / pivot_row[col];
                for (x, p) in row.iter_mut().zip(pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    Some(((m[0][3] / m[0][0]) as f32, (m[1][3] / m[1][1]) as f32, (m[2][3] / m[2][2]) as f32))
}

/// Reads one row as `n` fixed-pitch cells. `None` when the row does not fit `n` cells.
fn read_row(gray: &GrayImage, row: &Row, n: usize) -> Option<Vec<Glyph>> {
    let blobs = &row.blobs;
    let (a, b, c) = comb(blobs, row.height, n)?;

    // Baseline as a straight line through the bottoms of the characters.
    let full: Vec<(f32, f32)> =
        blobs.iter().filter(|b| b.h() >= 0.8 * row.height).map(|b| (b.cx(), (b.y1 + 1) as f32)).collect();
    if full.len() < 3 {
        return None;
    }
    let (mut ba, mut bb) = fit_line(&full);
    let centres: Vec<(f32, f32, Option<&Blob>)> = (0..n)
        .map(|k| {
            let k = k as f32;
            let (cx, pitch) = (a + b * k + c * k * k, b + 2.0 * c * k);
            // Centre on the character found in this cell, when there is exactly one.
            let near: Vec<&Blob> = blobs.iter().filter(|b| (b.cx() - cx).abs() < 0.35 * pitch).collect();
            match near.as_slice() {
                [b] if b.w() < 1.2 * pitch => (b.cx(), pitch, Some(*b)),
                _ => (cx, pitch, None),
            }
        })
        .collect();
    // The characters' size follows the local pitch (perspective); one scale for the row.
    let mean_pitch = centres.iter().map(|c| c.1).sum::<f32>() / n as f32;
    // First pass with the median height as the cap height; then the cap height the clearly
    // classified characters imply (OCR-B digits stand taller than letters), and a second pass.
    let mut cap_ref = row.height;
    let mut out = Vec::new();
    for pass in 0..2 {
        out.clear();
        for &(cx, pitch, _) in &centres {
            let base = ba + bb * cx;
            let cap = cap_ref * pitch / mean_pitch;
            out.push(classify(gray, cx, base - cap, cap)?);
        }
        if pass == 0 {
            // (x, implied cap at the row's mean pitch, implied baseline) per clear character.
            let clear: Vec<(f32, f32, f32)> = out
                .iter()
                .zip(&centres)
                .filter_map(|(g, (_, pitch, b))| {
                    let b = (*b)?;
                    let t = template(g.best)?;
                    let clear = g.best != b'<' && g.score > 0.6 && g.score - g.second_score > 0.04;
                    let cap = b.h() / t.height;
                    clear.then(|| (b.cx(), cap * mean_pitch / pitch, (b.y1 + 1) as f32 - t.drop * cap))
                })
                .collect();
            if clear.len() < 5 {
                break;
            }
            cap_ref = median(clear.iter().map(|c| c.1).collect());
            (ba, bb) = fit_line(&clear.iter().map(|c| (c.0, c.2)).collect::<Vec<_>>());
        }
    }
    // Shape alone barely tells OCR-B's `0` from `O` (or `1`/`I`, `8`/`B`, …), but the digits
    // stand taller than the capitals: the closer height decides between two close templates,
    // and that difference is applied to every score (a height-consistent template gains).
    for (g, &(_, pitch, blob)) in out.iter_mut().zip(&centres) {
        let Some(b) = blob else { continue };
        let cap = cap_ref * pitch / mean_pitch;
        let ratio = b.h() / cap;
        for (i, score) in g.scores.iter_mut().enumerate() {
            if let Some(t) = templates().get(i) {
                *score -= HEIGHT_WEIGHT * (ratio - t.height).abs();
            }
        }
        rank(g);
    }
    Some(out)
}

/// The candidate MRZ readings of a band (bottom part of the flattened document, greyscale):
/// the last three rows read as TD1, the last two as TD3 and as TD2 — whichever fit.
pub fn read_band(gray: &GrayImage) -> Vec<Reading> {
    let (w, h) = gray.dimensions();
    if w < 50 || h < 20 {
        return Vec::new();
    }
    let mask = ink_mask(gray, (w / 60).max(8));
    let rows = rows(&blobs(&mask), w, h);
    let mut out = Vec::new();
    for (count, len) in [(3usize, 30usize), (2, 44), (2, 36)] {
        if rows.len() < count {
            continue;
        }
        let mut lines = Vec::new();
        let mut glyphs = Vec::new();
        for row in &rows[rows.len() - count..] {
            let Some(cells) = read_row(gray, row, len) else { break };
            lines.push(cells.iter().map(|g| char::from(g.best)).collect::<String>());
            glyphs.push(cells);
        }
        if lines.len() == count {
            out.push(Reading { lines, glyphs });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A band with the given MRZ lines typeset from the template sheet at its own size.
    fn typeset(lines: &[&str]) -> GrayImage {
        let sheet = image::load_from_memory(SHEET).expect("embedded sheet").to_luma8();
        let (pitch, cell_h) = (SHEET_PITCH as u32, sheet.height());
        let width = lines.iter().map(|l| l.len() as u32).max().unwrap_or(0) * pitch + 120;
        let mut band = GrayImage::from_pixel(width, 40 + lines.len() as u32 * (cell_h + 8) + 40, Luma([245]));
        for (row, line) in lines.iter().enumerate() {
            for (col, ch) in line.bytes().enumerate() {
                let i = ALPHABET.iter().position(|&a| a == ch).expect("MRZ character") as u32;
                let cell = image::imageops::crop_imm(&sheet, i * pitch, 0, pitch, cell_h).to_image();
                let (x, y) = (60 + col as u32 * pitch, 40 + row as u32 * (cell_h + 8));
                image::imageops::overlay(&mut band, &cell, i64::from(x), i64::from(y));
            }
        }
        band
    }

    #[test]
    fn a_typeset_mrz_is_read_back_exactly() {
        let td3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"];
        let td1 =
            ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"];
        for lines in [&td3[..], &td1[..]] {
            let readings = read_band(&typeset(lines));
            let hit = readings.iter().find(|r| r.lines.len() == lines.len()).expect("a reading of the right shape");
            assert_eq!(hit.lines, lines);
        }
    }

    #[test]
    fn a_cell_is_most_like_the_cells_holding_the_same_character() {
        let readings = read_band(&typeset(&[
            "P<UTOOLSSON<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<<<",
            "C01X00T471UTO7408122F1204159ZE184226B<<<<<10",
        ]));
        let td3 = readings.iter().find(|r| r.lines.len() == 2 && r.lines[0].len() == 44).expect("a TD3 reading");
        let (zero, other_zero, letter_o) = (&td3.glyphs[1][1], &td3.glyphs[1][4], &td3.glyphs[0][5]);
        let (same, twin) = (zero.similarity(other_zero), zero.similarity(letter_o));
        assert!(same > 0.99 && same - twin > 0.05, "0~0 {same}, 0~O {twin}");
    }

    #[test]
    fn every_template_is_recognised_as_itself() {
        let sheet = image::load_from_memory(SHEET).expect("embedded sheet").to_luma8();
        assert_eq!(templates().len(), ALPHABET.len());
        for (i, &c) in ALPHABET.iter().enumerate() {
            let cx = (i as f32 + 0.5) * SHEET_PITCH;
            let g = classify(&sheet, cx, SHEET_MARGIN, SHEET_CAP).expect("templates");
            assert_eq!(g.best, c, "{} read as {}", char::from(c), char::from(g.best));
            assert!(g.score > 0.99 && g.second_score < g.score, "{g:?}");
        }
    }
}
