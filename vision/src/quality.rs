//! The capture-quality rulebook: each check computes a score on the photo and compares it
//! with a published threshold ([`Thresholds`]). The first failed rule, in the order a person
//! would fix them (find the document, get all of it, the card itself rather than a screen,
//! then light, focus, glare, fingers, damage), is the main reason; every failure is reported.

use image::{DynamicImage, GrayImage, RgbImage};
use serde::Serialize;

use crate::decode::{self, DecodeError, Working};
use crate::document::{self, Detection, Pt};

pub use crate::decode::WORKING_SIZE;
/// Width of the flattened document the in-document checks use.
pub const FLAT_WIDTH: u32 = 800;

/// Published thresholds. Defaults come from the labelled fixture set (docs/quality.md).
#[derive(Debug, Clone, Serialize)]
pub struct Thresholds {
    /// Document long side in the original photo, pixels (below: `low_resolution`).
    pub min_document_px: f32,
    /// Variance of the Laplacian of the flattened document (below: `blurred_photo`).
    pub min_sharpness: f32,
    /// Width of the flattened document's strong edges, pixels (above: `blurred_photo`).
    pub max_edge_width: f32,
    /// Mean brightness of the document, 0–255 (below: `dark_photo`).
    pub min_brightness: f32,
    /// Mean brightness of the document (above: `overexposed_photo`).
    pub max_brightness: f32,
    /// Share of the document that is clipped white in one blob (above: `glare_on_photo`).
    pub max_glare: f32,
    /// Share of the document hidden by a skin-coloured object from its edge (above: `covered_photo`).
    pub max_covered: f32,
    /// Region sticking out over the document's edges, share of its area (above: `covered_photo`).
    pub max_protrusion: f32,
    /// Share of a corner patch that is background (above: `damaged_document`).
    pub max_missing_corner: f32,
    /// Screen evidence: colour moiré, plus a bonus for a dark bezel (above: `photo_of_screen`).
    pub max_screen: f32,
    /// Share of the frame border the document runs over (above: `cut_off_document`).
    pub max_border_contact: f32,
    /// How well the region fills its four-cornered outline (below: `no_document_in_image`).
    pub min_fill: f32,
    /// Third-best corner of the outline covered by the region (below, with too little print
    /// or too round a shape: `no_document_in_image`).
    pub min_corner_fill: f32,
    /// Share of the flattened document on a sharp step in brightness: a card's print (below,
    /// with empty corners: `no_document_in_image`).
    pub min_print: f32,
    /// Isoperimetric ratio of the region's hull (above, with empty corners: `no_document_in_image`).
    pub max_roundness: f32,
    /// Print (as `min_print`) below which a region too small to read is no document rather
    /// than a document far from the camera (`no_document_in_image` instead of `low_resolution`).
    pub min_small_print: f32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            min_document_px: 250.0,
            min_sharpness: 175.0,
            max_edge_width: 6.0,
            min_brightness: 80.0,
            max_brightness: 238.0,
            max_glare: 0.02,
            max_covered: 0.03,
            max_protrusion: 0.04,
            max_missing_corner: 0.45,
            max_screen: 0.06,
            max_border_contact: 0.01,
            min_fill: 0.75,
            min_corner_fill: 0.5,
            min_print: 0.06,
            max_roundness: 0.89,
            min_small_print: 0.12,
        }
    }
}

/// One measured value and its verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub value: f32,
    pub threshold: f32,
    pub pass: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Metrics {
    pub document_px: Option<Score>,
    pub border_contact: Option<Score>,
    pub brightness: Option<Score>,
    pub overexposure: Option<Score>,
    pub sharpness: Option<Score>,
    pub edge_width: Option<Score>,
    pub glare: Option<Score>,
    pub screen: Option<Score>,
    pub covered: Option<Score>,
    pub protrusion: Option<Score>,
    pub missing_corner: Option<Score>,
    pub corner_fill: Option<Score>,
    pub print: Option<Score>,
    pub roundness: Option<Score>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QualityResult {
    pub accepted: bool,
    /// Failed rules, most important first (codes from the reason taxonomy).
    pub failures: Vec<&'static str>,
    /// Signals too unreliable to refuse a photo on (today: `damaged_document`): kept in the
    /// report for reviewers, never shown to the applicant as a refusal.
    pub warnings: Vec<&'static str>,
    pub metrics: Metrics,
    /// Document corners in the original photo (TL, TR, BR, BL), when found.
    pub corners: Option<[Pt; 4]>,
    /// Size of the original photo.
    pub width: u32,
    pub height: u32,
    /// Checks the gate does not perform (honesty: listed, not silently passed).
    pub not_checked: Vec<&'static str>,
}

fn score_min(value: f32, threshold: f32) -> Score {
    Score { value, threshold, pass: value >= threshold }
}

fn score_max(value: f32, threshold: f32) -> Score {
    Score { value, threshold, pass: value <= threshold }
}

fn luma(p: [u8; 3]) -> f32 {
    0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])
}

/// Variance of the 4-neighbour Laplacian over the document's interior, normalised by the
/// document's contrast (a dim but sharp photo is not blurred).
fn sharpness(gray: &GrayImage, mask: &GrayImage) -> f32 {
    let mut values: Vec<u8> = gray
        .enumerate_pixels()
        .filter(|(x, y, _)| x % 2 == 0 && y % 2 == 0 && mask.get_pixel(*x, *y).0[0] != 0)
        .map(|(_, _, p)| p.0[0])
        .collect();
    values.sort_unstable();
    let spread = match (values.get(values.len() / 100), values.get(values.len() * 99 / 100)) {
        (Some(lo), Some(hi)) => f32::from(hi.saturating_sub(*lo)).max(20.0),
        _ => 100.0,
    };
    raw_sharpness(gray, mask) * (128.0 / spread).powi(2)
}

/// Width in pixels of the document's strong edges, the larger of the two axes' (Marziliano
/// et al., 2002). A printed edge is a step, so its width is the blur's, whatever the amount
/// of print: a barcode or a machine-readable zone keeps the Laplacian's variance high under
/// a motion blur, but not its edges narrow.
pub fn edge_width(gray: &GrayImage, mask: &GrayImage) -> f32 {
    edge_width_along(gray, mask, true).max(edge_width_along(gray, mask, false))
}

/// Edge width scanning rows (`horizontal`) or columns: at each local maximum of the
/// brightness step, the walk to the nearest extremum of brightness on either side; the mean
/// of the middle half of the widths of the strongest fifth of the edges (print, not the
/// paper's fine pattern or noise).
fn edge_width_along(gray: &GrayImage, mask: &GrayImage, horizontal: bool) -> f32 {
    /// Smallest step over two pixels that counts as an edge.
    const MIN_STEP: i32 = 16;
    /// Longest walk from an edge's centre: wider is blurred beyond measure anyway.
    const MAX_WALK: u32 = 30;
    let (w, h) = gray.dimensions();
    let (along, across) = if horizontal { (w, h) } else { (h, w) };
    let at = |i: u32, j: u32| if horizontal { (i, j) } else { (j, i) };
    let px = |i: u32, j: u32| {
        let (x, y) = at(i, j);
        i32::from(gray.get_pixel(x, y).0[0])
    };
    let margin = 6u32;
    let end = along.saturating_sub(margin + 2);
    let mut edges: Vec<(i32, u32)> = Vec::new();
    for j in (margin..across.saturating_sub(margin)).step_by(2) {
        for i in margin + 2..end {
            let (x, y) = at(i, j);
            if mask.get_pixel(x, y).0[0] == 0 {
                continue;
            }
            let step = px(i + 1, j) - px(i - 1, j);
            let (before, after) = (px(i, j) - px(i - 2, j), px(i + 2, j) - px(i, j));
            if step.abs() < MIN_STEP || step.abs() < before.abs() || step.abs() <= after.abs() {
                continue;
            }
            let s = step.signum();
            let mut lo = i;
            while lo > margin && (px(lo, j) - px(lo - 1, j)) * s > 0 && i - lo < MAX_WALK {
                lo -= 1;
            }
            let mut hi = i;
            while hi < end && (px(hi + 1, j) - px(hi, j)) * s > 0 && hi - i < MAX_WALK {
                hi += 1;
            }
            edges.push(((px(hi, j) - px(lo, j)).abs(), hi - lo));
        }
    }
    if edges.is_empty() {
        return 0.0;
    }
    edges.sort_unstable_by_key(|e| std::cmp::Reverse(e.0));
    let mut widths: Vec<u32> = edges.iter().take((edges.len() / 5).max(1)).map(|e| e.1).collect();
    widths.sort_unstable();
    let (q1, q3) = (widths.len() / 4, (widths.len() * 3 / 4).max(widths.len() / 4 + 1));
    widths[q1..q3].iter().sum::<u32>() as f32 / (q3 - q1) as f32
}

fn raw_sharpness(gray: &GrayImage, mask: &GrayImage) -> f32 {
    let (w, h) = gray.dimensions();
    let (mut n, mut sum, mut sum2) = (0f64, 0f64, 0f64);
    let margin = 6;
    for y in margin..h.saturating_sub(margin) {
        for x in margin..w.saturating_sub(margin) {
            if mask.get_pixel(x, y).0[0] == 0 {
                continue;
            }
            let c = f64::from(gray.get_pixel(x, y).0[0]);
            let l = f64::from(gray.get_pixel(x - 1, y).0[0])
                + f64::from(gray.get_pixel(x + 1, y).0[0])
                + f64::from(gray.get_pixel(x, y - 1).0[0])
                + f64::from(gray.get_pixel(x, y + 1).0[0])
                - 4.0 * c;
            n += 1.0;
            sum += l;
            sum2 += l * l;
        }
    }
    if n == 0.0 {
        return 0.0;
    }
    let mean = sum / n;
    (sum2 / n - mean * mean) as f32
}

/// Smallest Sobel magnitude that counts as print: the step from a card's paper to its ink
/// (and a few grey levels above a photo's soft shading).
const PRINT_EDGE: u16 = 120;

/// Share of the flattened document's own pixels (a margin off its outline) on a sharp step
/// in brightness: text lines and a portrait's outline on a card, far fewer on a mug's glaze
/// or the smooth shading of a photograph.
fn print_density(gray: &GrayImage, mask: &GrayImage) -> f32 {
    let grad = crate::gradient::sobel(gray);
    let (w, h) = gray.dimensions();
    let margin = 4;
    let (mut n, mut print) = (0u32, 0u32);
    for (x, y, p) in grad.enumerate_pixels() {
        if x < margin || y < margin || x + margin >= w || y + margin >= h || mask.get_pixel(x, y).0[0] == 0 {
            continue;
        }
        n += 1;
        if p.0[0] > PRINT_EDGE {
            print += 1;
        }
    }
    if n == 0 { 0.0 } else { print as f32 / n as f32 }
}

/// Largest 8-connected blob of pixels where `pred` holds, as a share of the masked area,
/// optionally only blobs touching the border.
fn largest_blob(img: &RgbImage, mask: &GrayImage, touching_border: bool, pred: impl Fn([u8; 3]) -> bool) -> f32 {
    let (w, h) = img.dimensions();
    let mut sel = GrayImage::new(w, h);
    let mut total = 0u32;
    for (x, y, p) in img.enumerate_pixels() {
        if mask.get_pixel(x, y).0[0] != 0 {
            total += 1;
            if pred(p.0) {
                sel.put_pixel(x, y, image::Luma([255]));
            }
        }
    }
    if total == 0 {
        return 0.0;
    }
    let labels = imageproc::region_labelling::connected_components(
        &sel,
        imageproc::region_labelling::Connectivity::Eight,
        image::Luma([0u8]),
    );
    let mut counts: Vec<u32> = Vec::new();
    let mut touches: Vec<bool> = Vec::new();
    let edge = (w.min(h) / 40).max(2);
    for (x, y, p) in labels.enumerate_pixels() {
        let l = p.0[0] as usize;
        if l == 0 {
            continue;
        }
        if l >= counts.len() {
            counts.resize(l + 1, 0);
            touches.resize(l + 1, false);
        }
        counts[l] += 1;
        if x < edge || y < edge || x >= w - edge || y >= h - edge {
            touches[l] = true;
        }
    }
    let best = counts.iter().enumerate().filter(|(l, _)| !touching_border || touches[*l]).map(|(_, c)| *c).max();
    best.unwrap_or(0) as f32 / total as f32
}

/// Median colour of the flattened document's own pixels (its paper).
fn paper_colour(flat: &RgbImage, mask: &GrayImage) -> [u8; 3] {
    let mut ch: [Vec<u8>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for (x, y, p) in flat.enumerate_pixels() {
        if x % 3 == 0 && y % 3 == 0 && mask.get_pixel(x, y).0[0] != 0 {
            for (channel, value) in ch.iter_mut().zip(p.0) {
                channel.push(value);
            }
        }
    }
    ch.map(|mut v| {
        if v.is_empty() {
            return 0;
        }
        let mid = v.len() / 2;
        *v.select_nth_unstable(mid).1
    })
}

fn skin(p: [u8; 3]) -> bool {
    let (r, g, b) = (f32::from(p[0]), f32::from(p[1]), f32::from(p[2]));
    let y = 0.299 * r + 0.587 * g + 0.114 * b;
    let cb = 128.0 - 0.168_736 * r - 0.331_264 * g + 0.5 * b;
    let cr = 128.0 + 0.5 * r - 0.418_688 * g - 0.081_312 * b;
    y > 50.0 && y < 235.0 && (80.0..=125.0).contains(&cb) && (138.0..=180.0).contains(&cr) && r > g && g > b
}

/// Share of background-coloured pixels in each corner patch of the flattened mask (max).
fn missing_corner(mask: &GrayImage) -> f32 {
    let (w, h) = mask.dimensions();
    let (pw, ph) = ((w / 14).max(4), (h / 14).max(4));
    let mut worst = 0f32;
    for (x0, y0) in [(0, 0), (w - pw, 0), (w - pw, h - ph), (0, h - ph)] {
        let mut empty = 0u32;
        for y in y0..y0 + ph {
            for x in x0..x0 + pw {
                if mask.get_pixel(x, y).0[0] == 0 {
                    empty += 1;
                }
            }
        }
        worst = worst.max(empty as f32 / (pw * ph) as f32);
    }
    worst
}

/// The verdict when no document is found: `no_document_in_image`, and `dark_photo` beside
/// it when the whole frame is dark (the outline, print and corners the search relies on may
/// be lost in the dark; a dark table with nothing on it reads the same, so the missing
/// document stays the main reason).
fn no_document(dark: bool) -> Vec<&'static str> {
    if dark { vec!["no_document_in_image", "dark_photo"] } else { vec!["no_document_in_image"] }
}

/// Mean brightness of the whole working copy (every fourth pixel of every fourth row).
fn frame_brightness(img: &RgbImage) -> f32 {
    let (mut sum, mut n) = (0f64, 0f64);
    for y in (0..img.height()).step_by(4) {
        for x in (0..img.width()).step_by(4) {
            sum += f64::from(luma(img.get_pixel(x, y).0));
            n += 1.0;
        }
    }
    if n == 0.0 { 0.0 } else { (sum / n) as f32 }
}

/// Assesses one photo of a document side, already decoded and upright.
pub fn assess(image: &DynamicImage, t: &Thresholds) -> QualityResult {
    assess_working(&decode::reduce(image), t)
}

/// Assesses one uploaded photo from its bytes (JPEG, PNG or WebP): what the upload endpoint
/// calls. A JPEG is decoded at a DCT scale ([`decode`]), so a refusal comes back fast.
pub fn assess_encoded(bytes: &[u8], max_pixels: u64, t: &Thresholds) -> Result<QualityResult, DecodeError> {
    Ok(assess_working(&decode::working_copy(bytes, max_pixels)?, t))
}

/// Assesses a working copy ([`decode::Working`]).
pub fn assess_working(working: &Working, t: &Thresholds) -> QualityResult {
    let work = &working.image;
    let (width, height) = working.original;
    let scale = working.scale();
    let mut metrics = Metrics::default();
    let mut failures = Vec::new();
    let mut warnings = Vec::new();
    let not_checked = Vec::new();
    // The whole frame's light, not the region's: a dark mug on a bright table is no dark photo.
    let frame_dark = frame_brightness(work) < t.min_brightness;
    let Some(det) = document::detect(work) else {
        return QualityResult {
            accepted: false,
            failures: no_document(frame_dark),
            warnings: Vec::new(),
            metrics,
            corners: None,
            width,
            height,
            not_checked,
        };
    };
    let Detection { corners, border_contact, protrusion, fill, corner_fill, roundness, ref mask, .. } = det;
    // A region running along most of the frame's edge is the surface itself, and an
    // irregular one (far from filling its quadrilateral) is an object, not a card.
    if border_contact > 0.3 {
        return QualityResult {
            accepted: false,
            failures: no_document(frame_dark),
            warnings: Vec::new(),
            metrics,
            corners: None,
            width,
            height,
            not_checked,
        };
    }
    let original = corners.map(|(x, y)| (x / scale, y / scale));
    let long_side = document::sides(&original).into_iter().fold(0f32, f32::max);
    let res = score_min(long_side, t.min_document_px);
    let contact = score_max(border_contact, t.max_border_contact);
    if !res.pass {
        failures.push("low_resolution");
    }
    if !contact.pass {
        failures.push("cut_off_document");
    }
    let (too_small, off_frame) = (!res.pass, !contact.pass);
    metrics.document_px = Some(res);
    metrics.border_contact = Some(contact);
    // Flatten at (at most) the document's own resolution: upsampling would fake blur.
    let native = document::sides(&corners).into_iter().fold(0f32, f32::max).round() as u32;
    if let Some((flat, flat_mask)) = document::warp(work, mask, &corners, FLAT_WIDTH.min(native.max(64))) {
        // A document shown on a monitor (screen.rs): the first thing to fix is to photograph
        // the card itself, so it comes before light, focus and glare.
        let screen = score_max(crate::screen::evidence(&flat).score(), t.max_screen);
        if !screen.pass {
            failures.push("photo_of_screen");
        }
        metrics.screen = Some(screen);
        let gray = image::imageops::grayscale(&flat);
        metrics.print = Some(score_min(print_density(&gray, &flat_mask), t.min_print));
        let (mut sum, mut n) = (0f64, 0f64);
        for (x, y, p) in flat.enumerate_pixels() {
            if flat_mask.get_pixel(x, y).0[0] != 0 {
                sum += f64::from(luma(p.0));
                n += 1.0;
            }
        }
        let brightness = if n > 0.0 { (sum / n) as f32 } else { 0.0 };
        let dark = score_min(brightness, t.min_brightness);
        let bright = score_max(brightness, t.max_brightness);
        if !dark.pass {
            failures.push("dark_photo");
        }
        if !bright.pass {
            failures.push("overexposed_photo");
        }
        metrics.brightness = Some(dark);
        metrics.overexposure = Some(bright);
        // Two measures of focus: the Laplacian's variance misses a motion blur over dense
        // print (a barcode, a machine-readable zone); the edges' width misses a blur on a
        // document with little print, whose few edges it measures badly.
        let sharp = score_min(sharpness(&gray, &flat_mask), t.min_sharpness);
        let edges = score_max(edge_width(&gray, &flat_mask), t.max_edge_width);
        if (!sharp.pass || !edges.pass) && metrics.brightness.as_ref().is_some_and(|b| b.pass) {
            failures.push("blurred_photo");
        }
        metrics.sharpness = Some(sharp);
        metrics.edge_width = Some(edges);
        let glare = score_max(largest_blob(&flat, &flat_mask, false, |p| luma(p) >= 248.0), t.max_glare);
        if !glare.pass {
            failures.push("glare_on_photo");
        }
        metrics.glare = Some(glare);
        // Skin over the whole flattened quadrilateral (a finger may match the table and fall
        // outside the region), ignoring colours close to the document's own paper.
        let paper = paper_colour(&flat, &flat_mask);
        let full = GrayImage::from_pixel(flat.width(), flat.height(), image::Luma([255]));
        let far_from_paper = |p: [u8; 3]| {
            let d: f32 = (0..3).map(|i| (f32::from(p[i]) - f32::from(paper[i])).powi(2)).sum::<f32>().sqrt();
            d > 45.0
        };
        let covered = score_max(largest_blob(&flat, &full, true, |p| skin(p) && far_from_paper(p)), t.max_covered);
        let sticking = score_max(protrusion, t.max_protrusion);
        if !covered.pass || !sticking.pass {
            failures.push("covered_photo");
        }
        metrics.covered = Some(covered);
        metrics.protrusion = Some(sticking);
        let corner = score_max(missing_corner(&flat_mask), t.max_missing_corner);
        if !corner.pass && border_contact <= t.max_border_contact {
            warnings.push("damaged_document");
        }
        metrics.missing_corner = Some(corner);
    } else {
        failures.push("no_document_in_image");
    }
    // An outline the region fills poorly is an object, not a card — unless a finger over the
    // card, or a screen whose picture matches the table, explains the hole.
    if fill < t.min_fill && !failures.iter().any(|f| *f == "covered_photo" || *f == "photo_of_screen") {
        failures = no_document(frame_dark);
    }
    // A card has its corners, or (under a finger, off the frame) its print and its straight
    // sides. Empty corners with neither print nor a four-sided shape are a mug, coins or a
    // patch of a photograph — whatever else the other rules said about that patch, and with
    // no exemption for `covered_photo` (a coffee or a cat passes for a finger, shading for
    // blur). Measured on seeds 1–2: no good capture and no other defect's hit has both.
    let corners_kept = score_min(corner_fill, t.min_corner_fill);
    let round = score_max(roundness, t.max_roundness);
    let no_print = metrics.print.as_ref().is_none_or(|p| !p.pass);
    if !corners_kept.pass && (no_print || !round.pass) {
        failures = no_document(frame_dark);
    }
    metrics.corner_fill = Some(corners_kept);
    metrics.roundness = Some(round);
    // A region too small to read is a card far from the camera when it shows print (its
    // text is dense at that size: ≥ 0.18 on every low-resolution capture measured) and keys,
    // a pen or coins when it does not.
    let print = metrics.print.as_ref().map_or(0.0, |p| p.value);
    if too_small && print < t.min_small_print {
        failures = no_document(frame_dark);
    }
    // A region running off the frame with no print is a patch of a photograph or of the
    // surface, not a card cut at the frame — unless a finger or a screen explains it.
    let explained = failures.iter().any(|f| *f == "covered_photo" || *f == "photo_of_screen");
    if off_frame && no_print && !explained {
        failures = no_document(frame_dark);
    }
    QualityResult {
        accepted: failures.is_empty(),
        failures,
        warnings,
        metrics,
        corners: Some(original),
        width,
        height,
        not_checked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mug seen from above on a wooden table: a glazed rim, coffee inside, a handle.
    fn mug() -> DynamicImage {
        let (cx, cy, r) = (600.0, 450.0, 190.0);
        DynamicImage::ImageRgb8(RgbImage::from_fn(1200, 900, |x, y| {
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            let d = (dx * dx + dy * dy).sqrt();
            let handle = dx > r * 0.9 && dx < r * 1.5 && dy.abs() < r * 0.18;
            if d < r * 0.86 {
                image::Rgb([70, 42, 26])
            } else if d < r || handle {
                image::Rgb([30, 80, 140])
            } else {
                // Wood: a gentle grain of a few grey levels.
                let g = (f32::from(u8::try_from(y % 23).unwrap_or(0)) * 0.3) as u8;
                image::Rgb([196 + g, 156 + g, 98 + g])
            }
        }))
    }

    #[test]
    fn a_mug_seen_from_above_is_no_document() {
        let t = Thresholds::default();
        // The premise: without the corner rule the mug passes for a card.
        let without = Thresholds { min_corner_fill: 0.0, ..t.clone() };
        let r = assess(&mug(), &without);
        assert!(!r.failures.contains(&"no_document_in_image"), "without the rule: {:?}", r.failures);
        let r = assess(&mug(), &t);
        assert_eq!(r.failures, vec!["no_document_in_image"], "{:?}", r.metrics);
    }

    /// A grey table with one thing on it: `w`×`h` at (`x0`, `y0`), printed with text lines or
    /// plain (a pen, a key fob: one smooth colour with a soft shading).
    fn thing_on_a_table(x0: i64, y0: i64, w: i64, h: i64, printed: bool) -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_fn(1600, 1200, |x, y| {
            let (u, v) = (i64::from(x) - x0, i64::from(y) - y0);
            if (0..w).contains(&u) && (0..h).contains(&v) {
                if !printed {
                    let shade = (40 + v * 30 / h) as u8;
                    return image::Rgb([shade + 20, shade, shade / 2]);
                }
                let ink = v % 12 < 4 && u % 7 < 4 && v > 8 && u > 8 && u < w - 8;
                return if ink { image::Rgb([30, 30, 40]) } else { image::Rgb([236, 232, 220]) };
            }
            image::Rgb([128, 130, 134])
        }))
    }

    #[test]
    fn a_small_thing_without_print_is_no_document_a_small_card_is_too_far() {
        let t = Thresholds::default();
        let card = assess(&thing_on_a_table(700, 550, 170, 108, true), &t);
        assert_eq!(card.failures.first(), Some(&"low_resolution"), "{:?}", card.metrics);
        let fob = assess(&thing_on_a_table(700, 550, 170, 108, false), &t);
        assert_eq!(fob.failures, vec!["no_document_in_image"], "{:?}", fob.metrics);
        // The premise: without the rule the plain thing reads as a card too far away.
        let without = Thresholds { min_small_print: 0.0, ..t };
        let fob = assess(&thing_on_a_table(700, 550, 170, 108, false), &without);
        assert_eq!(fob.failures.first(), Some(&"low_resolution"), "{:?}", fob.metrics);
    }

    #[test]
    fn a_plain_patch_running_off_the_frame_is_no_document_a_printed_card_is_cut_off() {
        let t = Thresholds::default();
        let card = assess(&thing_on_a_table(-200, 300, 900, 570, true), &t);
        assert_eq!(card.failures.first(), Some(&"cut_off_document"), "{:?}", card.metrics);
        let patch = assess(&thing_on_a_table(-200, 300, 900, 570, false), &t);
        assert_eq!(patch.failures, vec!["no_document_in_image"], "{:?}", patch.metrics);
    }

    #[test]
    fn an_empty_frame_too_dark_to_tell_says_so_too() {
        let t = Thresholds::default();
        let table = |level: u8| {
            DynamicImage::ImageRgb8(RgbImage::from_fn(1200, 900, |x, y| {
                let grain = ((x * 31 + y * 17) % 7) as u8;
                image::Rgb([level + grain, level + grain, level])
            }))
        };
        assert_eq!(assess(&table(20), &t).failures, vec!["no_document_in_image", "dark_photo"]);
        assert_eq!(assess(&table(140), &t).failures, vec!["no_document_in_image"]);
    }

    /// Rows of block letters (strokes two to four pixels wide) on pale paper, with a little
    /// sensor noise, and the same page under a horizontal motion blur of `blur` pixels.
    fn printed_page(blur: u32) -> GrayImage {
        let (w, h) = (600u32, 360u32);
        let sharp = GrayImage::from_fn(w, h, |x, y| {
            let (row, col) = (y / 30, x / 14);
            let (u, v) = (x % 14, y % 30);
            let glyph = (row * 7 + col * 13) % 5;
            let ink = (8..26).contains(&v)
                && match glyph {
                    0 => !(3..=9).contains(&u),
                    1 => !(11..=22).contains(&v),
                    2 => (u + v) % 12 < 3,
                    3 => u > 4 && u < 8,
                    _ => u < 3 || v > 23,
                };
            let noise = ((x * 7919 + y * 104_729) % 5) as u8;
            image::Luma([if ink { 40 + noise } else { 222 + noise }])
        });
        if blur <= 1 {
            return sharp;
        }
        GrayImage::from_fn(w, h, |x, y| {
            let xs = (0..blur).map(|k| (x + k).saturating_sub(blur / 2).min(w - 1));
            let sum: u32 = xs.map(|xx| u32::from(sharp.get_pixel(xx, y).0[0])).sum();
            image::Luma([(sum / blur) as u8])
        })
    }

    #[test]
    fn edge_width_tells_a_motion_blur_over_dense_print() {
        let t = Thresholds::default();
        let mask = GrayImage::from_pixel(600, 360, image::Luma([255]));
        let (sharp, blurred) = (printed_page(1), printed_page(9));
        let (ws, wb) = (edge_width(&sharp, &mask), edge_width(&blurred, &mask));
        assert!(ws <= t.max_edge_width, "sharp page: edges {ws} px wide");
        assert!(wb > t.max_edge_width, "blurred page: edges {wb} px wide");
        // The premise: dense print keeps the Laplacian's variance above its bar.
        let lap = sharpness(&blurred, &mask);
        assert!(lap >= t.min_sharpness, "Laplacian variance {lap}");
    }

    #[test]
    fn print_density_tells_print_from_shading() {
        let mask = GrayImage::from_pixel(400, 250, image::Luma([255]));
        // Text lines: dark strokes on pale paper.
        let printed = GrayImage::from_fn(400, 250, |x, y| {
            let ink = y % 20 < 6 && x % 9 < 5 && y > 20;
            image::Luma([if ink { 40 } else { 230 }])
        });
        // A photograph's smooth shading across the whole patch.
        let shaded = GrayImage::from_fn(400, 250, |x, y| image::Luma([(60 + x / 3 + y / 4) as u8]));
        let (p, s) = (print_density(&printed, &mask), print_density(&shaded, &mask));
        let t = Thresholds::default();
        assert!(p > t.min_print * 2.0, "print {p}");
        assert!(s < t.min_print / 2.0, "shading {s}");
    }
}
