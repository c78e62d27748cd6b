//! Sobel gradient magnitude, the same numbers as `imageproc::gradients::sobel_gradients`
//! (3 × 3 kernels, border pixels repeated, `sqrt(gx² + gy²)` truncated) in a plain pass over
//! the rows: the general kernel filter it replaces was the largest single cost of the gate.

use image::{GrayImage, ImageBuffer, Luma};

pub type Gradient = ImageBuffer<Luma<u16>, Vec<u16>>;

/// Gradient magnitude of every pixel.
pub fn sobel(gray: &GrayImage) -> Gradient {
    let (w, h) = gray.dimensions();
    let (wu, hu) = (w as usize, h as usize);
    let src = gray.as_raw();
    let mut out = vec![0u16; wu * hu];
    for y in 0..hu {
        let row = |r: usize| &src[r * wu..(r + 1) * wu];
        let (up, mid, down) = (row(y.saturating_sub(1)), row(y), row((y + 1).min(hu - 1)));
        let dst = &mut out[y * wu..(y + 1) * wu];
        for (x, d) in dst.iter_mut().enumerate() {
            let (l, r) = (x.saturating_sub(1), (x + 1).min(wu - 1));
            let p = |row: &[u8], i: usize| i32::from(row[i]);
            let gx = p(up, r) - p(up, l) + 2 * (p(mid, r) - p(mid, l)) + p(down, r) - p(down, l);
            let gy = p(down, l) + 2 * p(down, x) + p(down, r) - p(up, l) - 2 * p(up, x) - p(up, r);
            // At most √(2 · 1020²) ≈ 1443: exact in f32 and within u16.
            *d = ((gx * gx + gy * gy) as f32).sqrt() as u16;
        }
    }
    Gradient::from_raw(w, h, out).unwrap_or_else(|| Gradient::new(w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_magnitudes_as_imageproc_borders_included() {
        for (w, h) in [(1, 1), (2, 3), (37, 23), (300, 200)] {
            let mut state = 12345u32;
            let img = GrayImage::from_fn(w, h, |x, y| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                // Noise over hard steps: every kind of neighbourhood.
                Luma([if (x / 5 + y / 3) % 2 == 0 { (state >> 24) as u8 } else { 255 - (state >> 25) as u8 }])
            });
            assert_eq!(sobel(&img), imageproc::gradients::sobel_gradients(&img), "{w}×{h}");
        }
    }
}
