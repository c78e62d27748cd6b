//! Photo-of-a-screen evidence on the flattened document: a document shown on a monitor and
//! photographed carries what a printed card does not — colour interference bands (moiré
//! between the screen's subpixel grid and the camera's sensor) over the whole picture, and,
//! when the monitor itself is taken for the document, a dark even bezel around it.
//!
//! Pure: an image in, numbers out. The rule and its threshold live in [`crate::quality`].

use image::RgbImage;

/// Side of the square patches the spectrum is taken on (a power of two for the FFT).
const PATCH: usize = 64;
/// Largest number of patches analysed: enough for a robust quantile, few enough to cost a
/// few milliseconds.
const MAX_PATCHES: usize = 24;
/// Band of the spectrum searched for a peak, in FFT bins of a PATCH-wide patch: periods of
/// about 4 to 24 px on the flattened document. Moiré bands are coarser than print detail
/// (text strokes, guilloche) and finer than lighting gradients.
const BAND_BINS: (i32, i32) = (3, 16);
/// Fewer patches than this: no moiré measure. The 25th percentile stands for "the plainest
/// quarter of the document" only over enough patches; over a handful it is one patch of
/// portrait or pattern (a small region, often a wrong detection). 12 patches need a flattened
/// region of about 290×220 px.
const MIN_PATCHES: usize = 12;
/// Score added when the flattened region has a dark even frame around a brighter picture.
pub const FRAME_WEIGHT: f32 = 0.04;

/// What the detector measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// Colour banding: the 25th percentile, over patches, of the strongest periodic component
    /// of R−B, as an amplitude relative to the patch's brightness. Moiré covers the whole
    /// screen, so even the plainest quarter of the document carries it; a printed card's
    /// periodic colour (guilloche, a portrait) is confined to some patches.
    pub moire: f32,
    /// A dark, even band along all four edges of the region around a brighter interior: a
    /// monitor bezel (or a dark viewer background), which a card's own paper edge is not.
    pub frame: bool,
}

impl Evidence {
    /// One number for the rule: the moiré measure, plus [`FRAME_WEIGHT`] when a bezel is seen
    /// (the two cues together are more telling than either alone).
    pub fn score(&self) -> f32 {
        self.moire + if self.frame { FRAME_WEIGHT } else { 0.0 }
    }
}

/// Measures both cues on the flattened document (as `quality::assess` makes it).
pub fn evidence(flat: &RgbImage) -> Evidence {
    let mut amplitudes = patch_amplitudes(flat);
    let moire = if amplitudes.len() < MIN_PATCHES {
        0.0
    } else {
        let k = (amplitudes.len() - 1) / 4;
        *amplitudes.select_nth_unstable_by(k, f32::total_cmp).1
    };
    Evidence { moire, frame: dark_frame(flat) }
}

#[derive(Clone, Copy, Debug, Default)]
struct Complex {
    re: f32,
    im: f32,
}

/// In-place iterative radix-2 FFT; `data.len()` must be a power of two.
fn fft(data: &mut [Complex]) {
    let n = data.len();
    let mut j = 0;
    for i in 1..n {
        let mut bit = n >> 1;
        while j & bit != 0 {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if i < j {
            data.swap(i, j);
        }
    }
    let mut len = 2;
    while len <= n {
        let ang = -2.0 * std::f32::consts::PI / len as f32;
        let (wr, wi) = (ang.cos(), ang.sin());
        for start in (0..n).step_by(len) {
            let (mut cr, mut ci) = (1.0f32, 0.0f32);
            for k in 0..len / 2 {
                let a = data[start + k];
                let b = data[start + k + len / 2];
                let (br, bi) = (b.re * cr - b.im * ci, b.re * ci + b.im * cr);
                data[start + k] = Complex { re: a.re + br, im: a.im + bi };
                data[start + k + len / 2] = Complex { re: a.re - br, im: a.im - bi };
                let next = cr * wr - ci * wi;
                ci = cr * wi + ci * wr;
                cr = next;
            }
        }
        len <<= 1;
    }
}

/// Power spectrum of a PATCH×PATCH signal (mean removed, Hann-windowed so the patch's edges
/// do not leak into every bin), row-major, frequencies in FFT order.
fn power(signal: &[f32], window: &[f32]) -> Vec<f32> {
    let n = PATCH;
    let mean = signal.iter().sum::<f32>() / signal.len() as f32;
    let mut data: Vec<Complex> = signal
        .iter()
        .enumerate()
        .map(|(i, v)| Complex { re: (v - mean) * window[i / n] * window[i % n], im: 0.0 })
        .collect();
    for row in data.chunks_mut(n) {
        fft(row);
    }
    let mut col = vec![Complex::default(); n];
    for x in 0..n {
        for (y, c) in col.iter_mut().enumerate() {
            *c = data[y * n + x];
        }
        fft(&mut col);
        for (y, c) in col.iter().enumerate() {
            data[y * n + x] = *c;
        }
    }
    data.iter().map(|c| c.re * c.re + c.im * c.im).collect()
}

/// Amplitude of the strongest sinusoid in the band (one half-plane: the spectrum of a real
/// signal is symmetric), relative to `level`.
fn peak_amplitude(p: &[f32], level: f32) -> f32 {
    let n = PATCH as i32;
    let signed = |k: i32| if k > n / 2 { k - n } else { k };
    let (lo, hi) = (BAND_BINS.0 * BAND_BINS.0, BAND_BINS.1 * BAND_BINS.1);
    let mut best = (0f32, 0i32, 0i32);
    for ky in 0..n {
        let sy = signed(ky);
        if sy < 0 {
            continue;
        }
        for kx in 0..n {
            let sx = signed(kx);
            let r2 = sx * sx + sy * sy;
            if r2 < lo || r2 > hi || (sy == 0 && sx < 0) {
                continue;
            }
            let v = p[(ky * n + kx) as usize];
            if v > best.0 {
                best = (v, kx, ky);
            }
        }
    }
    // The window spreads a sinusoid over a 3×3 neighbourhood of bins.
    let mut around = 0f32;
    for dy in -1..=1 {
        for dx in -1..=1 {
            let (kx, ky) = ((best.1 + dx).rem_euclid(n), (best.2 + dy).rem_euclid(n));
            around += p[(ky * n + kx) as usize];
        }
    }
    // Parseval with a 2-D Hann window (mean square 9/64): one half-plane peak of a sinusoid
    // of amplitude A holds N⁴·A²·9/256.
    (around * 256.0 / 9.0).sqrt() / (n * n) as f32 / level.max(8.0)
}

/// Peak R−B amplitudes of patches spread over the interior of the flattened document.
///
/// The region mask is not consulted: on a monitor taken for the document, the picture inside
/// the bezel often matches the table's colour and falls out of the region, yet that is where
/// the interference is.
fn patch_amplitudes(flat: &RgbImage) -> Vec<f32> {
    let (w, h) = (flat.width() as usize, flat.height() as usize);
    // Stay off the outer band: on a monitor that is the bezel, which carries no moiré.
    let inset = w / 16;
    if w < 2 * inset + PATCH || h < 2 * inset + PATCH {
        return Vec::new();
    }
    let (nx, ny) = ((w - 2 * inset) / PATCH, (h - 2 * inset) / PATCH);
    let stride = (nx * ny).div_ceil(MAX_PATCHES).max(1);
    let window: Vec<f32> =
        (0..PATCH).map(|i| 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / (PATCH - 1) as f32).cos()).collect();
    let mut chroma = vec![0f32; PATCH * PATCH];
    let mut out = Vec::new();
    for k in (0..nx * ny).step_by(stride) {
        let (x0, y0) = (inset + (k % nx) * PATCH, inset + (k / nx) * PATCH);
        let mut level = 0f32;
        for y in 0..PATCH {
            for x in 0..PATCH {
                let p = flat.get_pixel((x0 + x) as u32, (y0 + y) as u32).0;
                let (r, g, b) = (f32::from(p[0]), f32::from(p[1]), f32::from(p[2]));
                level += 0.299 * r + 0.587 * g + 0.114 * b;
                // R−B: the screen's red and blue subpixels sit furthest apart, so their
                // interference bands are the most out of phase.
                chroma[y * PATCH + x] = r - b;
            }
        }
        out.push(peak_amplitude(&power(&chroma, &window), level / (PATCH * PATCH) as f32));
    }
    out
}

/// Whether the region's outer band (1–3 % of its width in from each edge) is dark and even
/// on all four sides around a clearly brighter interior.
fn dark_frame(flat: &RgbImage) -> bool {
    let (w, h) = flat.dimensions();
    if w < 40 || h < 40 {
        return false;
    }
    // From 1 % in (past a bezel's bevelled rim and the fit's slack) to 3 %.
    let (b0, b1) = ((w / 100).max(1), (w * 3 / 100).max(3));
    let luma = |x: u32, y: u32| {
        let p = flat.get_pixel(x, y).0;
        ((u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8) as u8
    };
    // Top, right, bottom, left bands, sampled every other pixel (corners excluded, where the
    // bands meet); the interior from 1/8 of the width in, every fourth pixel.
    let mut sides: [Vec<u8>; 4] = Default::default();
    for d in (b0..b1).step_by(2) {
        for x in (b1..w - b1).step_by(2) {
            sides[0].push(luma(x, d));
            sides[2].push(luma(x, h - 1 - d));
        }
        for y in (b1..h - b1).step_by(2) {
            sides[1].push(luma(w - 1 - d, y));
            sides[3].push(luma(d, y));
        }
    }
    let m = w / 8;
    let mut inner = Vec::new();
    for y in (m..h.saturating_sub(m)).step_by(4) {
        for x in (m..w - m).step_by(4) {
            inner.push(luma(x, y));
        }
    }
    let quantile = |v: &mut Vec<u8>, f: f32| -> f32 {
        if v.is_empty() {
            return 0.0;
        }
        let k = ((v.len() - 1) as f32 * f) as usize;
        f32::from(*v.select_nth_unstable(k).1)
    };
    let (mut brightest, mut spread) = (0f32, 0f32);
    for side in &mut sides {
        if side.is_empty() {
            return false;
        }
        brightest = brightest.max(quantile(side, 0.5));
        spread = spread.max(quantile(side, 0.75) - quantile(side, 0.25));
    }
    // A bezel is near black and flat; a card's edge is its paper, or printed design.
    brightest <= 60.0 && spread <= 16.0 && quantile(&mut inner, 0.5) - brightest >= 40.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A printed-looking card: light paper, a few dark text lines, a coloured block.
    fn card(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            if (y / 14) % 4 == 1 && (x / 9) % 5 != 4 && x > w / 10 && x < w * 6 / 10 {
                Rgb([40, 40, 48])
            } else if x > w * 7 / 10 && x < w * 9 / 10 && y > h / 5 && y < h * 3 / 5 {
                Rgb([150, 120, 100])
            } else {
                Rgb([226, 222, 214])
            }
        })
    }

    /// The same card with colour moiré bands (per-channel phase shift) as on a screen photo.
    fn moire(img: &RgbImage, period: f32, amp: f32) -> RgbImage {
        let mut out = img.clone();
        for (x, y, p) in out.enumerate_pixels_mut() {
            let phase = (x as f32 * 0.8 + y as f32 * 0.6) / period;
            for (ch, v) in p.0.iter_mut().enumerate() {
                let band = (2.0 * std::f32::consts::PI * (phase + ch as f32 * 0.12)).sin();
                *v = (f32::from(*v) * (1.0 + amp * band)).clamp(0.0, 255.0) as u8;
            }
        }
        out
    }

    /// The card shown inside a monitor's dark bezel.
    fn bezel(img: &RgbImage, border: u32) -> RgbImage {
        let (w, h) = img.dimensions();
        RgbImage::from_fn(w + 2 * border, h + 2 * border, |x, y| {
            if x < border || y < border || x >= w + border || y >= h + border {
                Rgb([22, 22, 24])
            } else {
                *img.get_pixel(x - border, y - border)
            }
        })
    }

    #[test]
    fn fft_finds_a_pure_tone() {
        let mut data: Vec<Complex> = (0..64)
            .map(|i| Complex { re: (2.0 * std::f32::consts::PI * 5.0 * i as f32 / 64.0).cos(), im: 0.0 })
            .collect();
        fft(&mut data);
        let mags: Vec<f32> = data.iter().map(|c| (c.re * c.re + c.im * c.im).sqrt()).collect();
        assert!((mags[5] - 32.0).abs() < 0.01 && (mags[59] - 32.0).abs() < 0.01, "{mags:?}");
        assert!(mags.iter().enumerate().filter(|(i, _)| *i != 5 && *i != 59).all(|(_, m)| *m < 0.01));
    }

    #[test]
    fn moire_amplitude_is_measured() {
        let plain = evidence(&card(640, 400));
        let banded = evidence(&moire(&card(640, 400), 11.0, 0.08));
        // The synthetic text is strictly periodic (lines and letters on a grid), so even the
        // plain card has some periodic colour at its edges; still far below a screen.
        assert!(plain.moire < 0.03, "{plain:?}");
        // R−B of a 0.08 modulation with a 0.24-cycle phase shift: ≈ 0.08·2·sin(0.24π) ≈ 0.11
        // of the channel level.
        assert!(banded.moire > 0.06, "{banded:?}");
        assert!(!plain.frame && !banded.frame);
    }

    #[test]
    fn a_bezel_is_a_dark_frame_and_a_card_edge_is_not() {
        assert!(dark_frame(&bezel(&card(600, 380), 20)));
        assert!(!dark_frame(&card(640, 400)));
        // A dark table showing between a loose fit and the card: only some sides are dark.
        let mut loose = card(640, 400);
        for y in 0..400 {
            for x in 0..12 {
                loose.put_pixel(x, y, Rgb([25, 25, 25]));
            }
        }
        assert!(!dark_frame(&loose));
    }

    #[test]
    fn a_screen_scores_above_the_default_threshold_and_a_card_below() {
        let max = crate::quality::Thresholds::default().max_screen;
        let screen = bezel(&moire(&card(600, 380), 14.0, 0.06), 20);
        assert!(evidence(&screen).score() > max, "{:?}", evidence(&screen));
        assert!(evidence(&card(640, 400)).score() < max);
        assert!(evidence(&bezel(&card(600, 380), 20)).score() < max, "a bezel alone is not enough");
    }
}
