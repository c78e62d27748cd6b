//! Finding the document in a photo: separate it from the background, fit its four corners
//! and flatten it.
//!
//! The background is modelled from the frame's outer ring (a photo of a card is taken with
//! some table around it); pixels far from that colour are foreground. The largest foreground
//! region is the document candidate. Its corners come from the convex hull: the four longest
//! edges of the simplified hull are the document's sides and their intersections are the
//! corners — so a torn-off corner still yields the true corner (outside the region), which
//! is how a missing corner becomes measurable.

use image::{GrayImage, Luma, Rgb, RgbImage};
use imageproc::geometric_transformations::{Border, Interpolation, Projection, warp_into};
use imageproc::geometry::{contour_area, convex_hull};
use imageproc::point::Point;
use imageproc::region_labelling::{Connectivity, connected_components};

/// A point in working-image pixels.
pub type Pt = (f32, f32);

/// The document found in a working image.
#[derive(Debug, Clone)]
pub struct Detection {
    /// Corners clockwise from top-left, in working-image pixels.
    pub corners: [Pt; 4],
    /// Share of the frame covered by the document region.
    pub area_fraction: f32,
    /// Share of the frame's outermost ring taken by the region (> 0: it runs off the frame).
    pub border_contact: f32,
    /// Region pixels outside the fitted quadrilateral, as a share of its area (something
    /// sticking out over an edge: a finger, an object).
    pub protrusion: f32,
    /// Region area over the fitted quadrilateral's area: ~1 for a card, low for an
    /// irregular object.
    pub fill: f32,
    /// Third-best coverage of the four corner patches of the quadrilateral by the region
    /// ([`corner_fill`]): ~1 for a card (even with one corner torn off or under a finger),
    /// ~0 for a round thing (a mug, coins) whose outline cuts every corner.
    pub corner_fill: f32,
    /// Isoperimetric ratio of the region's convex hull, 4πA/P²: no quadrilateral exceeds
    /// π/4 ≈ 0.785 (a card with rounded corners measures ~0.78–0.80), a disc measures 1.
    pub roundness: f32,
    /// Foreground mask of the region (255 inside), working-image size.
    pub mask: GrayImage,
    /// Median background colour.
    pub background: [u8; 3],
}

fn ring_pixels(img: &RgbImage, width: u32) -> Vec<[u8; 3]> {
    let (w, h) = img.dimensions();
    let mut out = Vec::new();
    for y in 0..h {
        for x in 0..w {
            if x < width || y < width || x >= w - width || y >= h - width {
                out.push(img.get_pixel(x, y).0);
            }
        }
    }
    out
}

fn median(mut v: Vec<u8>) -> u8 {
    if v.is_empty() {
        return 0;
    }
    let mid = v.len() / 2;
    *v.select_nth_unstable(mid).1
}

fn dist(a: [u8; 3], b: [u8; 3]) -> f32 {
    let d = |i: usize| f32::from(a[i]) - f32::from(b[i]);
    (d(0) * d(0) + d(1) * d(1) + d(2) * d(2)).sqrt()
}

/// Stretches levels so the 1st–99th percentiles of brightness span the range: a dim photo
/// still separates document from table (brightness itself is judged on the original).
fn auto_levels(img: &RgbImage) -> RgbImage {
    let mut hist = [0u32; 256];
    for p in img.pixels() {
        let l = (0.299 * f32::from(p.0[0]) + 0.587 * f32::from(p.0[1]) + 0.114 * f32::from(p.0[2])) as usize;
        hist[l.min(255)] += 1;
    }
    let total: u32 = hist.iter().sum();
    let (mut acc, mut lo, mut hi) = (0u32, 0usize, 255usize);
    for (i, h) in hist.iter().enumerate() {
        acc += h;
        if acc * 100 <= total {
            lo = i;
        }
        if acc * 100 <= total * 99 {
            hi = i;
        }
    }
    if hi <= lo + 10 || (lo < 8 && hi > 240) {
        return img.clone();
    }
    let scale = 255.0 / (hi - lo) as f32;
    let mut out = img.clone();
    for p in out.pixels_mut() {
        for c in &mut p.0 {
            *c = ((f32::from(*c) - lo as f32) * scale).clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// The table as the frame's outer ring shows it: its median colour and how far each ring
/// pixel strays from it (texture, light gradient), sorted.
fn ring_model(img: &RgbImage, width: u32) -> ([u8; 3], Vec<f32>) {
    let ring = ring_pixels(img, width);
    let bg = [
        median(ring.iter().map(|p| p[0]).collect()),
        median(ring.iter().map(|p| p[1]).collect()),
        median(ring.iter().map(|p| p[2]).collect()),
    ];
    let mut spread: Vec<f32> = ring.iter().map(|p| dist(*p, bg)).collect();
    spread.sort_by(f32::total_cmp);
    (bg, spread)
}

/// Foreground mask by colour distance from the background, and the background colour.
fn foreground(img: &RgbImage) -> (GrayImage, [u8; 3]) {
    let img = &auto_levels(img);
    let (w, h) = img.dimensions();
    let (bg, spread) = ring_model(img, (w.min(h) / 50).max(2));
    let p95 = spread.get(spread.len() * 95 / 100).copied().unwrap_or(0.0);
    let threshold = (p95 * 1.4 + 12.0).clamp(28.0, 110.0);
    let mut mask = GrayImage::new(w, h);
    for (x, y, p) in img.enumerate_pixels() {
        if dist(p.0, bg) > threshold {
            mask.put_pixel(x, y, Luma([255]));
        }
    }
    (mask, bg)
}

fn line_intersection(a1: Pt, a2: Pt, b1: Pt, b2: Pt) -> Option<Pt> {
    let d = (a1.0 - a2.0) * (b1.1 - b2.1) - (a1.1 - a2.1) * (b1.0 - b2.0);
    if d.abs() < 1e-6 {
        return None;
    }
    let t = ((a1.0 - b1.0) * (b1.1 - b2.1) - (a1.1 - b1.1) * (b1.0 - b2.0)) / d;
    Some((a1.0 + t * (a2.0 - a1.0), a1.1 + t * (a2.1 - a1.1)))
}

/// Orders four points clockwise starting at the top-left.
pub fn order_corners(mut pts: [Pt; 4]) -> [Pt; 4] {
    let cx = pts.iter().map(|p| p.0).sum::<f32>() / 4.0;
    let cy = pts.iter().map(|p| p.1).sum::<f32>() / 4.0;
    pts.sort_by(|a, b| (a.1 - cy).atan2(a.0 - cx).total_cmp(&(b.1 - cy).atan2(b.0 - cx)));
    // atan2 order from -pi: TL(-3pi/4), TR(-pi/4), BR(pi/4), BL(3pi/4) in image coordinates.
    let start = pts.iter().enumerate().min_by(|a, b| (a.1.0 + a.1.1).total_cmp(&(b.1.0 + b.1.1))).map_or(0, |(i, _)| i);
    [pts[start], pts[(start + 1) % 4], pts[(start + 2) % 4], pts[(start + 3) % 4]]
}

/// Four corners from the hull: intersections of the four longest edges of the simplified hull.
fn fit_quad(hull: &[Point<i32>], perimeter: f32) -> Option<[Pt; 4]> {
    // Visvalingam simplification: drop the vertex that spans the smallest triangle until
    // every remaining one matters; nearly collinear pieces of a side merge into one edge.
    let mut simplified: Vec<Point<i32>> = hull.to_vec();
    let tolerance = (perimeter * 0.01).powi(2);
    while simplified.len() > 4 {
        let n = simplified.len();
        let (idx, area) = (0..n)
            .map(|i| {
                let (a, b, c) = (simplified[(i + n - 1) % n], simplified[i], simplified[(i + 1) % n]);
                let area =
                    ((b.x - a.x) as f32 * (c.y - a.y) as f32 - (c.x - a.x) as f32 * (b.y - a.y) as f32).abs() / 2.0;
                (i, area)
            })
            .min_by(|x, y| x.1.total_cmp(&y.1))
            .unwrap_or((0, f32::MAX));
        if area > tolerance {
            break;
        }
        simplified.remove(idx);
    }
    let n = simplified.len();
    if n < 4 {
        return None;
    }
    let pts: Vec<Pt> = simplified.iter().map(|p| (p.x as f32, p.y as f32)).collect();
    let mut edges: Vec<(usize, f32)> = (0..n)
        .map(|i| {
            let (a, b) = (pts[i], pts[(i + 1) % n]);
            (i, ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt())
        })
        .collect();
    edges.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut four: Vec<usize> = edges.iter().take(4).map(|e| e.0).collect();
    four.sort_unstable();
    let mut corners = [(0.0, 0.0); 4];
    for k in 0..4 {
        let (e1, e2) = (four[k], four[(k + 1) % 4]);
        let c = line_intersection(pts[e1], pts[(e1 + 1) % n], pts[e2], pts[(e2 + 1) % n])?;
        corners[k] = c;
    }
    Some(order_corners(corners))
}

fn point_in_quad(q: &[Pt; 4], p: Pt) -> bool {
    let mut sign = 0i8;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        let cross = (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
        let s = if cross > 0.0 {
            1
        } else if cross < 0.0 {
            -1
        } else {
            0
        };
        if s != 0 {
            if sign == 0 {
                sign = s;
            } else if s != sign {
                return false;
            }
        }
    }
    true
}

pub fn quad_area(q: &[Pt; 4]) -> f32 {
    let mut a = 0.0;
    for i in 0..4 {
        let (p, n) = (q[i], q[(i + 1) % 4]);
        a += p.0 * n.1 - n.0 * p.1;
    }
    (a / 2.0).abs()
}

/// Regions enclosed by sharp edges, holes filled: a card's outline is a closed step in
/// brightness even where its paper is close to the table's colour (white on light grey), and
/// soft things (shadows, uneven light) have no such step.
fn edge_regions(small: &RgbImage, k: u8) -> GrayImage {
    let (sw, sh) = small.dimensions();
    let gray = imageproc::filter::gaussian_blur_f32(&image::imageops::grayscale(small), 0.8);
    let grad = crate::gradient::sobel(&gray);
    let ring = (sw.min(sh) / 50).max(2);
    let threshold = edge_threshold(&grad, ring);
    let mut edges = GrayImage::new(sw, sh);
    for (x, y, p) in grad.enumerate_pixels() {
        if f32::from(p.0[0]) > threshold {
            edges.put_pixel(x, y, Luma([255]));
        }
    }
    let norm = imageproc::distance_transform::Norm::LInf;
    let filled = enclosed(&edges, &background_seeds(small, ring));
    // Lines that enclose nothing (text strokes, grain, seams) do not survive the opening.
    let opened = imageproc::morphology::open(&filled, norm, k);
    // The filled region reaches the outer side of the edge's blur (and of the thickening);
    // pull it back inside the card so no table shows along the flattened document's sides.
    imageproc::morphology::erode(&opened, norm, 3)
}

/// What the edges enclose: every pixel the flood from the seeds cannot reach. The edges are
/// thickened by a pixel first, so a break of up to two pixels does not let the flood in. A
/// card's rounded corner on its lit side is its faintest stretch of outline and often breaks
/// on a diagonal, which a closing does not mend (the gap lies on the convex side of the arc).
fn enclosed(edges: &GrayImage, seeds: &[(u32, u32)]) -> GrayImage {
    fill_holes(&imageproc::morphology::dilate(edges, imageproc::distance_transform::Norm::LInf, 1), seeds)
}

/// Sobel magnitude above which a pixel is an edge.
fn edge_threshold(grad: &crate::gradient::Gradient, ring: u32) -> f32 {
    let (sw, sh) = grad.dimensions();
    // The table's own texture sets the bar: the 90th percentile of the outer ring, not the
    // maximum: a card running off the frame puts its own edges in the ring. A pale card cut
    // along much of one side can fill more than a tenth of the ring with its print and raise
    // the bar above its own soft outline, so a side far busier than the others is left out.
    let mut sides: [Vec<u16>; 4] = Default::default();
    for (x, y, p) in grad.enumerate_pixels() {
        let side = if y < ring {
            0
        } else if y >= sh - ring {
            2
        } else if x < ring {
            3
        } else if x >= sw - ring {
            1
        } else {
            continue;
        };
        sides[side].push(p.0[0]);
    }
    let p90 = |v: &mut Vec<u16>| {
        v.sort_unstable();
        v.get(v.len() * 9 / 10).copied().unwrap_or(0)
    };
    let mut by_side: Vec<(u16, usize)> = (0..4).map(|i| (p90(&mut sides[i]), i)).collect();
    by_side.sort_unstable();
    let (loudest, others) = (by_side[3], by_side[1].0);
    let busy = f32::from(loudest.0) > f32::from(others) * BUSY_SIDE;
    let mut ring_values: Vec<u16> = sides
        .iter()
        .enumerate()
        .filter(|(i, _)| !(busy && *i == loudest.1))
        .flat_map(|(_, v)| v.iter().copied())
        .collect();
    let p90 = f32::from(p90(&mut ring_values));
    (p90 * 5.0).clamp(EDGE_MIN, 160.0)
}

/// How many times busier than the table's other sides (their middle 90th percentile) one
/// side of the frame's ring must be to be a card's print rather than the table: a table's
/// sides differ by under 3× (wood grain across one pair, light falling off: 2.8× measured
/// on seed 2), a card's print on a plain table is ~15× busier.
const BUSY_SIDE: f32 = 4.0;

/// Smallest Sobel magnitude that counts as an edge (a step of about 8 grey levels).
const EDGE_MIN: f32 = 32.0;

/// Frame-border pixels that are surely table: within the median distance of the ring's
/// median colour. A card running off the frame has its paper on the border too; flooding
/// from there would empty it, so those pixels are no seeds and the card stays a region
/// (which then touches the border: `cut_off_document`).
fn background_seeds(img: &RgbImage, ring: u32) -> Vec<(u32, u32)> {
    let (w, h) = img.dimensions();
    let (bg, d) = ring_model(img, ring);
    let limit = d.get(d.len() / 2).copied().unwrap_or(0.0).max(6.0);
    let mut seeds = Vec::new();
    let mut push = |x: u32, y: u32| {
        if dist(img.get_pixel(x, y).0, bg) <= limit {
            seeds.push((x, y));
        }
    };
    for x in 0..w {
        push(x, 0);
        push(x, h - 1);
    }
    for y in 0..h {
        push(0, y);
        push(w - 1, y);
    }
    seeds
}

/// Sets every pixel not reachable from the seeds without crossing the mask.
fn fill_holes(mask: &GrayImage, seeds: &[(u32, u32)]) -> GrayImage {
    let (w, h) = mask.dimensions();
    let mut out = GrayImage::from_pixel(w, h, Luma([255]));
    let mut stack: Vec<(u32, u32)> = seeds.to_vec();
    while let Some((x, y)) = stack.pop() {
        if mask.get_pixel(x, y).0[0] != 0 || out.get_pixel(x, y).0[0] == 0 {
            continue;
        }
        out.put_pixel(x, y, Luma([0]));
        if x > 0 {
            stack.push((x - 1, y));
        }
        if x + 1 < w {
            stack.push((x + 1, y));
        }
        if y > 0 {
            stack.push((x, y - 1));
        }
        if y + 1 < h {
            stack.push((x, y + 1));
        }
    }
    out
}

/// Finds the document; `None` when no region is large enough to be one.
///
/// Two candidates: the largest region far from the background's colour, and the largest
/// region enclosed by sharp edges. The colour region is the default; the edge region wins
/// when it holds the colour region (the colour only found the card's print, not its pale
/// paper) or when the colour region is no card shape and the edge region is.
pub fn detect(img: &RgbImage) -> Option<Detection> {
    let (w, h) = img.dimensions();
    // The outline needs no more than half the working size; the checks inside the document
    // use the full working copy through the corners.
    let long = w.max(h);
    let factor = long.div_ceil(DETECT_SIZE);
    // Working pixels per detection pixel, per axis.
    let (small, sx, sy) = if factor < 2 {
        (img.clone(), 1.0, 1.0)
    } else if long / factor >= DETECT_SIZE * 95 / 100 {
        // A whole-number block average (a 1008-px working copy: 504) costs a fraction of a
        // fractional resample and averages the same way.
        (crate::decode::block_average(img, factor), factor as f32, factor as f32)
    } else {
        let scale = DETECT_SIZE as f32 / long as f32;
        let (tw, th) = (((w as f32 * scale).round() as u32).max(1), ((h as f32 * scale).round() as u32).max(1));
        (image::imageops::thumbnail(img, tw, th), w as f32 / tw as f32, h as f32 / th as f32)
    };
    let (sw, sh) = small.dimensions();
    let (raw, background) = foreground(&small);
    // Close small gaps, then open with a radius that cuts thin lines (plank seams, cables)
    // that would otherwise join the document to the surface.
    let norm = imageproc::distance_transform::Norm::LInf;
    let k = u8::try_from((sw.min(sh) / 120).clamp(2, 6)).unwrap_or(3);
    let mask = imageproc::morphology::open(&imageproc::morphology::close(&raw, norm, 1), norm, k);
    let by_colour = candidate(&mask, background);
    let by_edges = candidate(&edge_regions(&small, k), background);
    let found = match (by_colour, by_edges) {
        (Some(c), Some(e)) => {
            if prefer_edges(&c, &e) {
                e
            } else {
                c
            }
        }
        (c, e) => c.or(e)?,
    };
    if factor < 2 {
        return Some(found);
    }
    Some(Detection {
        corners: found.corners.map(|(x, y)| (x * sx, y * sy)),
        mask: upscale_nearest(&found.mask, w, h),
        ..found
    })
}

/// Nearest-neighbour enlargement of a mask: each output pixel takes the source pixel under
/// its centre. (`imageops::resize` with `Nearest` goes through its general resampler: a fifth
/// of the whole gate's time on a 12 MP photo.)
fn upscale_nearest(mask: &GrayImage, w: u32, h: u32) -> GrayImage {
    let (sw, sh) = mask.dimensions();
    let src = |i: u32, n: u32, sn: u32| ((u64::from(i) * 2 + 1) * u64::from(sn) / (2 * u64::from(n))) as u32;
    let xs: Vec<u32> = (0..w).map(|x| src(x, w, sw).min(sw.saturating_sub(1))).collect();
    let mut out = GrayImage::new(w, h);
    for y in 0..h {
        let sy = src(y, h, sh).min(sh.saturating_sub(1));
        for (x, &sx) in xs.iter().enumerate() {
            out.put_pixel(x as u32, y, *mask.get_pixel(sx, sy));
        }
    }
    out
}

/// Long side of the copy the outline is found on.
const DETECT_SIZE: u32 = 512;

/// Share of `inner`'s region pixels that fall inside `outer`'s quadrilateral.
fn share_inside(inner: &Detection, outer: &Detection) -> f32 {
    let (mut n, mut inside) = (0u32, 0u32);
    for (x, y, p) in inner.mask.enumerate_pixels() {
        if p.0[0] != 0 && x % 3 == 0 && y % 3 == 0 {
            n += 1;
            if point_in_quad(&outer.corners, (x as f32, y as f32)) {
                inside += 1;
            }
        }
    }
    if n == 0 { 0.0 } else { inside as f32 / n as f32 }
}

/// Share of `inner`'s region pixels that are also in `mask`.
fn share_in_mask(inner: &Detection, mask: &GrayImage) -> f32 {
    let (mut n, mut both) = (0u32, 0u32);
    for (x, y, p) in inner.mask.enumerate_pixels() {
        if p.0[0] != 0 && x % 3 == 0 && y % 3 == 0 {
            n += 1;
            if mask.get_pixel(x, y).0[0] != 0 {
                both += 1;
            }
        }
    }
    if n == 0 { 0.0 } else { both as f32 / n as f32 }
}

fn prefer_edges(colour: &Detection, edges: &Detection) -> bool {
    const CARD_FILL: f32 = 0.85;
    if edges.fill < CARD_FILL || edges.protrusion > 0.04 {
        return false;
    }
    // The colour region is no card shape (a patch of light, a smear of shadow) and the
    // outline lies elsewhere — not a picture or a box printed on the card the colour found.
    if colour.fill < 0.75 && share_in_mask(edges, &colour.mask) < 0.5 {
        return true;
    }
    // The colour region is a shapeless patch with empty corners wholly inside the frame
    // (uneven light on a pale table, which the levels stretch; not a card under a hand,
    // which comes in over the frame's edge) and the outline is a whole card inside the
    // frame: the card, however small, wherever it lies — inside the patch too.
    if colour.fill < 0.75
        && colour.corner_fill < CARD_CORNERS
        && colour.border_contact == 0.0
        && edges.corner_fill >= CARD_CORNERS
        && edges.border_contact == 0.0
    {
        return true;
    }
    let (area_c, area_e) = (quad_area(&colour.corners), quad_area(&edges.corners));
    // The outline holds the colour region: the colour found only the card's print.
    area_e >= area_c * 0.9 && share_inside(colour, edges) > 0.9
}

/// Fits the document to the largest region of a foreground mask.
fn candidate(mask: &GrayImage, background: [u8; 3]) -> Option<Detection> {
    let labels = connected_components(mask, Connectivity::Eight, Luma([0u8]));
    let mut counts: Vec<u32> = Vec::new();
    for p in labels.pixels() {
        let l = p.0[0] as usize;
        if l >= counts.len() {
            counts.resize(l + 1, 0);
        }
        counts[l] += 1;
    }
    let mut by_size: Vec<(u32, u32)> = counts.iter().enumerate().skip(1).map(|(l, c)| (l as u32, *c)).collect();
    by_size.sort_by_key(|b| std::cmp::Reverse(b.1));
    // The largest region that has a document's shape: a plank seam or a cable is long and
    // thin, and the card may be the second region after it; a patch of light or a mug can
    // be larger than a card far from the camera, but leaves its outline's corners empty.
    let fits: Vec<Detection> = by_size
        .into_iter()
        .take(3)
        .filter_map(|(label, area)| {
            fit_region(&labels, label, area, background).filter(|d| {
                let s = sides(&d.corners);
                let (long, short) = ((s[0] + s[2]).max(s[1] + s[3]), (s[0] + s[2]).min(s[1] + s[3]));
                long <= short * MAX_ASPECT
            })
        })
        .collect();
    // Only a region wholly inside the frame: a patch of a full-frame photograph running off
    // the frame can have corners too.
    let cornered = fits.iter().position(|d| d.corner_fill >= CARD_CORNERS && d.border_contact == 0.0).unwrap_or(0);
    fits.into_iter().nth(cornered)
}

/// Corner fill ([`corner_fill`]) from which a region is taken for a card over a larger one
/// without corners. A card measures ~0.9 (one torn corner does not count; a finger over
/// two can lower it, and then the largest region is kept as before); a disc or a round
/// patch of light measures ~0.
const CARD_CORNERS: f32 = 0.5;

/// Long over short side beyond which a quadrilateral is no document, however tilted.
const MAX_ASPECT: f32 = 3.0;

fn fit_region(
    labels: &image::ImageBuffer<Luma<u32>, Vec<u32>>,
    label: u32,
    area: u32,
    background: [u8; 3],
) -> Option<Detection> {
    let (w, h) = labels.dimensions();
    let frame = (w * h) as f32;
    // Small regions still count: a document far from the camera is `low_resolution`, not absent.
    if (area as f32) < frame * 0.001 {
        return None;
    }
    let mut region = GrayImage::new(w, h);
    let mut points = Vec::new();
    let mut border = 0u32;
    for (x, y, p) in labels.enumerate_pixels() {
        if p.0[0] == label {
            region.put_pixel(x, y, Luma([255]));
            if x % 2 == 0 && y % 2 == 0 {
                points.push(Point::new(x as i32, y as i32));
            }
            if x == 0 || y == 0 || x == w - 1 || y == h - 1 {
                border += 1;
            }
        }
    }
    let hull = convex_hull(points);
    if hull.len() < 4 {
        return None;
    }
    let perimeter: f32 = (0..hull.len())
        .map(|i| {
            let (a, b) = (hull[i], hull[(i + 1) % hull.len()]);
            (((a.x - b.x).pow(2) + (a.y - b.y).pow(2)) as f32).sqrt()
        })
        .sum();
    let mut corners = fit_quad(&hull, perimeter)?;
    // Nearly parallel "sides" (a bad fit) put corners far outside the region: fall back to
    // the minimum-area rectangle of the hull.
    let (min_x, max_x) = hull.iter().fold((i32::MAX, i32::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
    let (min_y, max_y) = hull.iter().fold((i32::MAX, i32::MIN), |(a, b), p| (a.min(p.y), b.max(p.y)));
    let slack_x = (max_x - min_x) as f32 * 0.12;
    let slack_y = (max_y - min_y) as f32 * 0.12;
    let outside = corners.iter().any(|c| {
        c.0 < min_x as f32 - slack_x
            || c.0 > max_x as f32 + slack_x
            || c.1 < min_y as f32 - slack_y
            || c.1 > max_y as f32 + slack_y
    });
    if outside {
        let r = imageproc::geometry::min_area_rect(&hull);
        corners = order_corners(r.map(|p| (p.x as f32, p.y as f32)));
    }
    let qa = quad_area(&corners);
    let hull_area = contour_area(&hull) as f32;
    if qa < frame * 0.001 || qa > frame * 4.0 || hull_area <= 0.0 {
        return None;
    }
    let mut outside = 0u32;
    for (x, y, p) in region.enumerate_pixels() {
        if p.0[0] == 255 && x % 2 == 0 && y % 2 == 0 && !point_in_quad(&corners, (x as f32, y as f32)) {
            outside += 4;
        }
    }
    Some(Detection {
        corners,
        area_fraction: area as f32 / frame,
        border_contact: border as f32 / (2 * (w + h)) as f32,
        protrusion: outside as f32 / qa,
        fill: area as f32 / qa,
        corner_fill: corner_fill(&region, &corners),
        roundness: 4.0 * std::f32::consts::PI * hull_area / perimeter.max(1.0).powi(2),
        mask: region,
        background,
    })
}

/// Side of a corner patch as a share of the quadrilateral's sides: a card's rounded corner
/// (radius ~6 % of its short side) leaves ~3 % of such a patch empty; a disc inscribed in
/// its square leaves the whole patch empty.
const CORNER_PATCH: f32 = 0.12;

/// Point at `(u, v)` ∈ [0, 1]² of the quadrilateral (bilinear in its corners TL, TR, BR, BL).
fn quad_point(q: &[Pt; 4], u: f32, v: f32) -> Pt {
    let top = (q[0].0 + (q[1].0 - q[0].0) * u, q[0].1 + (q[1].1 - q[0].1) * u);
    let bottom = (q[3].0 + (q[2].0 - q[3].0) * u, q[3].1 + (q[2].1 - q[3].1) * u);
    (top.0 + (bottom.0 - top.0) * v, top.1 + (bottom.1 - top.1) * v)
}

/// Coverage of each corner patch of the quadrilateral by the region (10 × 10 samples), the
/// third best of the four. Samples off the frame count as covered: a card running off the
/// frame is `cut_off_document`, judged elsewhere.
fn corner_fill(region: &GrayImage, q: &[Pt; 4]) -> f32 {
    const N: u32 = 10;
    let (w, h) = region.dimensions();
    let mut cover: Vec<f32> =
        [(0.0, 0.0, 1.0, 1.0), (1.0, 0.0, -1.0, 1.0), (1.0, 1.0, -1.0, -1.0), (0.0, 1.0, 1.0, -1.0)]
            .iter()
            .map(|&(u0, v0, du, dv)| {
                let mut inside = 0u32;
                for i in 0..N {
                    for j in 0..N {
                        let step = |k: u32| CORNER_PATCH * (k as f32 + 0.5) / N as f32;
                        let (x, y) = quad_point(q, u0 + du * step(i), v0 + dv * step(j));
                        let (x, y) = (x.round(), y.round());
                        let off_frame = x < 0.0 || y < 0.0 || x >= w as f32 || y >= h as f32;
                        if off_frame || region.get_pixel(x as u32, y as u32).0[0] != 0 {
                            inside += 1;
                        }
                    }
                }
                inside as f32 / (N * N) as f32
            })
            .collect();
    cover.sort_by(|a, b| b.total_cmp(a));
    cover.get(2).copied().unwrap_or(0.0)
}

/// Side lengths (top, right, bottom, left) of a quadrilateral.
pub fn sides(q: &[Pt; 4]) -> [f32; 4] {
    let d = |a: Pt, b: Pt| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    [d(q[0], q[1]), d(q[1], q[2]), d(q[2], q[3]), d(q[3], q[0])]
}

/// Flattens the quadrilateral to a `width`-wide rectangle of its own aspect ratio (clamped
/// to document shapes). Returns the image and the warped region mask.
pub fn warp(img: &RgbImage, mask: &GrayImage, corners: &[Pt; 4], width: u32) -> Option<(RgbImage, GrayImage)> {
    let s = sides(corners);
    let (horizontal, vertical) = ((s[0] + s[2]) / 2.0, (s[1] + s[3]) / 2.0);
    let (long, short) = if horizontal >= vertical { (horizontal, vertical) } else { (vertical, horizontal) };
    let aspect = (long / short.max(1.0)).clamp(1.2, 1.9);
    let height = (width as f32 / aspect).round() as u32;
    let (ow, oh) = if horizontal >= vertical { (width, height) } else { (height, width) };
    let to = [(0.0, 0.0), (ow as f32 - 1.0, 0.0), (ow as f32 - 1.0, oh as f32 - 1.0), (0.0, oh as f32 - 1.0)];
    let projection = Projection::from_control_points(*corners, to)?;
    let mut out = RgbImage::new(ow, oh);
    warp_into(img, projection, Interpolation::Bilinear, Border::Constant(Rgb([0, 0, 0])), &mut out);
    let mut out_mask = GrayImage::new(ow, oh);
    warp_into(mask, projection, Interpolation::Nearest, Border::Constant(Luma([0])), &mut out_mask);
    Some((out, out_mask))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_upscale_matches_the_general_resampler() {
        // A mask with detail at every scale: blocks, diagonals, single pixels.
        let mask =
            GrayImage::from_fn(504, 378, |x, y| Luma([if (x / 7 + y / 5 + x * y % 11) % 3 == 0 { 255 } else { 0 }]));
        for (w, h) in [(1008, 756), (1024, 768), (1000, 751)] {
            let ours = upscale_nearest(&mask, w, h);
            let theirs = image::imageops::resize(&mask, w, h, image::imageops::FilterType::Nearest);
            let differ = ours.pixels().zip(theirs.pixels()).filter(|(a, b)| a != b).count();
            assert!(differ * 1000 <= (w * h) as usize, "{w}×{h}: {differ} pixels differ");
        }
    }

    fn card(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            if x > w / 5 && x < w * 4 / 5 && y > h / 5 && y < h * 4 / 5 {
                Rgb([200, 212, 228])
            } else {
                Rgb([60, 60, 70])
            }
        })
    }

    #[test]
    fn finds_a_plain_rectangle() {
        let img = card(800, 600);
        let (mask, _) = foreground(&img);
        let fg = mask.pixels().filter(|p| p.0[0] == 255).count();
        assert!(fg > 100_000, "foreground {fg}");
        let d = detect(&img).expect("a document");
        let c = d.corners;
        assert!((c[0].0 - 160.0).abs() < 4.0 && (c[0].1 - 120.0).abs() < 4.0, "{c:?}");
        assert!((c[2].0 - 640.0).abs() < 4.0 && (c[2].1 - 480.0).abs() < 4.0, "{c:?}");
        assert!(d.border_contact == 0.0 && d.protrusion < 0.01);
    }

    /// A pale card on a light table under uneven light: its paper is closer to the table's
    /// colour than the light's own spread, so only its print separates by colour.
    fn pale_card(w: u32, h: u32, x0: u32, y0: u32, x1: u32, y1: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            let inside = x >= x0 && x < x1 && y >= y0 && y < y1;
            if inside {
                let (u, v) = (x - x0, y - y0);
                // A few dark print blocks in the left half of the card.
                let print = u % 40 < 24 && v % 30 < 8 && u < (x1 - x0) / 2 && v > 20;
                if print { Rgb([40, 40, 50]) } else { Rgb([234, 234, 230]) }
            } else {
                // Light falling off by 100 grey levels across the frame.
                let l = (140.0 + 100.0 * x as f32 / w as f32) as u8;
                Rgb([l, l, l - 4])
            }
        })
    }

    #[test]
    fn a_pale_card_is_found_by_its_outline() {
        let img = pale_card(800, 600, 200, 150, 600, 400);
        // The premise: by colour, the paper is not told from the table.
        let (by_colour, _) = foreground(&img);
        let paper = by_colour
            .enumerate_pixels()
            .filter(|(x, y, p)| *x > 420 && *x < 580 && *y > 170 && *y < 380 && p.0[0] != 0)
            .count();
        assert!(paper < 1000, "paper by colour {paper}");
        let d = detect(&img).expect("a document");
        let c = d.corners;
        assert!((c[0].0 - 200.0).abs() < 8.0 && (c[0].1 - 150.0).abs() < 8.0, "{c:?}");
        assert!((c[2].0 - 600.0).abs() < 8.0 && (c[2].1 - 400.0).abs() < 8.0, "{c:?}");
        assert!(d.fill > 0.9, "fill {}", d.fill);
    }

    #[test]
    fn an_outline_cut_by_the_frame_still_encloses_the_card() {
        // Running off the left edge: the table's pixels seed the flood, the card's do not.
        let mut img = pale_card(800, 600, 0, 150, 400, 400);
        for (x, y, p) in img.enumerate_pixels_mut() {
            if !(x < 400 && (150..400).contains(&y)) {
                *p = Rgb([150, 150, 146]);
            }
        }
        let region = edge_regions(&img, 3);
        let inside = |x: u32, y: u32| region.get_pixel(x, y).0[0] != 0;
        assert!(inside(200, 275), "the card is a region");
        assert!(inside(380, 380), "its corner");
        assert!(inside(2, 275), "up to the frame");
        assert!(!inside(0, 100) && !inside(500, 275), "the table is not");
    }

    /// A rectangle's outline, one pixel wide, whose rounded top-left corner breaks where the
    /// arc meets the top side, as measured on a seed-1 capture: the arc's last run ends a
    /// row below the side's first pixel and two columns short of it.
    fn broken_outline() -> GrayImage {
        let mut e = GrayImage::new(120, 90);
        for x in 26..100 {
            e.put_pixel(x, 20, Luma([255]));
        }
        for x in 20..100 {
            e.put_pixel(x, 70, Luma([255]));
        }
        for y in 24..71 {
            e.put_pixel(20, y, Luma([255]));
        }
        for y in 20..71 {
            e.put_pixel(100, y, Luma([255]));
        }
        for (x, y) in [(20, 23), (21, 23), (21, 22), (22, 21), (23, 21), (24, 21)] {
            e.put_pixel(x, y, Luma([255]));
        }
        e
    }

    #[test]
    fn an_outline_broken_on_the_diagonal_at_a_rounded_corner_still_encloses_the_card() {
        let edges = broken_outline();
        let seeds = [(0, 0), (119, 89)];
        // The premise: a closing leaves the break open and the flood fills the card.
        let closed =
            fill_holes(&imageproc::morphology::close(&edges, imageproc::distance_transform::Norm::LInf, 1), &seeds);
        assert_eq!(closed.get_pixel(60, 45).0[0], 0, "the closing mends the break");
        let region = enclosed(&edges, &seeds);
        assert_eq!(region.get_pixel(60, 45).0[0], 255, "the card is enclosed");
        assert_eq!(region.get_pixel(10, 10).0[0], 0, "the table is not");
    }

    #[test]
    fn a_disc_leaves_the_corners_of_its_outline_empty_a_card_does_not() {
        let disc = RgbImage::from_fn(800, 600, |x, y| {
            let (dx, dy) = (x as f32 - 400.0, y as f32 - 300.0);
            if dx * dx + dy * dy < 150.0 * 150.0 { Rgb([30, 80, 140]) } else { Rgb([200, 160, 100]) }
        });
        let d = detect(&disc).expect("a region");
        assert!(d.corner_fill < 0.2, "disc corners {}", d.corner_fill);
        assert!(d.roundness > 0.9, "disc roundness {}", d.roundness);
        let c = detect(&card(800, 600)).expect("a document");
        assert!(c.corner_fill > 0.9, "card corners {}", c.corner_fill);
        assert!(c.roundness < 0.8, "card roundness {}", c.roundness);
    }

    #[test]
    fn a_small_card_wins_over_a_larger_patch_of_light() {
        let img = RgbImage::from_fn(1200, 900, |x, y| {
            let (dx, dy) = (x as f32 - 400.0, y as f32 - 450.0);
            let (u, v) = (x.wrapping_sub(850), y.wrapping_sub(380));
            if u < 240 && v < 150 {
                let ink = v % 20 < 5 && u % 9 < 5 && u > 100 && v > 15;
                if ink { Rgb([40, 40, 50]) } else { Rgb([232, 232, 226]) }
            } else if dx * dx + dy * dy < 250.0 * 250.0 {
                Rgb([205, 205, 200])
            } else {
                Rgb([150, 150, 146])
            }
        });
        let d = detect(&img).expect("a document");
        let c = d.corners;
        assert!((c[0].0 - 850.0).abs() < 8.0 && (c[0].1 - 380.0).abs() < 8.0, "{c:?}");
        assert!((c[2].0 - 1090.0).abs() < 8.0 && (c[2].1 - 530.0).abs() < 8.0, "{c:?}");
    }

    /// A small printed card lying inside a soft, shapeless pool of light on a grey table.
    fn card_in_a_pool_of_light() -> RgbImage {
        RgbImage::from_fn(1200, 900, |x, y| {
            let (u, v) = (x.wrapping_sub(480), y.wrapping_sub(400));
            if u < 200 && v < 126 {
                let ink = v % 20 < 5 && u % 9 < 5 && u > 90 && v > 15;
                return if ink { Rgb([40, 40, 50]) } else { Rgb([236, 236, 230]) };
            }
            // Two overlapping soft discs of light: no outline, no corners.
            let pool = |cx: f32, cy: f32, r: f32| {
                let d2 = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)) / (r * r);
                (1.0 - d2).max(0.0)
            };
            let light = pool(560.0, 460.0, 330.0).max(pool(880.0, 240.0, 200.0));
            let l = (140.0 + 70.0 * light) as u8;
            Rgb([l, l, l - 4])
        })
    }

    #[test]
    fn a_card_inside_a_shapeless_pool_of_light_is_found_by_its_outline() {
        let d = detect(&card_in_a_pool_of_light()).expect("a document");
        let c = d.corners;
        assert!((c[0].0 - 480.0).abs() < 10.0 && (c[0].1 - 400.0).abs() < 10.0, "{c:?}");
        assert!((c[2].0 - 680.0).abs() < 10.0 && (c[2].1 - 526.0).abs() < 10.0, "{c:?}");
    }

    #[test]
    fn a_card_printed_along_one_side_of_the_frame_does_not_raise_the_edge_bar() {
        // A quiet table (gradient 10) and, along most of the top side, a card's print
        // running off the frame (gradient 200): more than a tenth of the whole ring.
        let ring = 7;
        let grad = image::ImageBuffer::<Luma<u16>, Vec<u16>>::from_fn(512, 384, |x, y| {
            Luma([if y < ring && (50..450).contains(&x) { 200 } else { 10 }])
        });
        let t = edge_threshold(&grad, ring);
        assert!(t <= 10.0 * 5.0, "threshold {t}");
    }

    #[test]
    fn a_table_a_little_busier_along_one_side_keeps_its_whole_ring() {
        // Wood grain across one side: busier, but within the table's own range.
        let ring = 7;
        let grad =
            image::ImageBuffer::<Luma<u16>, Vec<u16>>::from_fn(512, 384, |x, _| Luma([if x < ring { 30 } else { 10 }]));
        let t = edge_threshold(&grad, ring);
        assert!((t - 30.0 * 5.0).abs() < 1e-3, "threshold {t}");
    }
}
