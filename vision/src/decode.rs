//! The gate's pixels: the upload turned into an upright working copy whose long side is at
//! most [`WORKING_SIZE`], without ever holding a large photo at full size when it can be
//! avoided.
//!
//! A JPEG (what phone cameras send) is decoded straight at 1/2, 1/4 or 1/8 of its size by
//! DCT-domain scaling: the decoder runs a smaller inverse DCT on each 8 × 8 block, so a 12 MP
//! photo costs its entropy decoding and a 0.75 MP reconstruction. Other formats are decoded
//! whole and reduced by block averaging. Either way EXIF orientation is applied, so corners
//! found on the working copy map onto the upright full-size image that is stored.

use std::borrow::Cow;
use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};

/// Long side of the working copy the analysis runs on: large enough for focus and glare,
/// small enough to keep a 12 MP photo fast.
pub const WORKING_SIZE: u32 = 1024;
/// A DCT-scaled JPEG whose long side comes out this close under [`WORKING_SIZE`] is used as
/// decoded (a 4032-px photo at 1/4 is 1008 px); resampling it up would only add blur.
const DCT_SLACK: u32 = 95;

/// The working copy and the size of the upright photo it stands for.
pub struct Working {
    pub image: RgbImage,
    pub original: (u32, u32),
}

impl Working {
    /// Working-copy pixels per original pixel (≤ 1).
    pub fn scale(&self) -> f32 {
        self.image.width().max(self.image.height()) as f32 / self.original.0.max(self.original.1).max(1) as f32
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("not a JPEG, PNG or WebP image")]
    Unsupported,
    #[error("more than the allowed number of pixels")]
    TooLarge,
    #[error("the image data is damaged or incomplete")]
    Corrupt,
}

/// Decodes `bytes` (JPEG, PNG or WebP; at most `max_pixels`) into the gate's working copy.
pub fn working_copy(bytes: &[u8], max_pixels: u64) -> Result<Working, DecodeError> {
    match image::guess_format(bytes).map_err(|_| DecodeError::Unsupported)? {
        // What the scaling decoder cannot read (an exotic coding), the general one may.
        ImageFormat::Jpeg => match scaled_jpeg(bytes, max_pixels) {
            Ok(Some(working)) => Ok(working),
            Ok(None) | Err(DecodeError::Corrupt) => general(bytes, ImageFormat::Jpeg, max_pixels),
            Err(e) => Err(e),
        },
        format @ (ImageFormat::Png | ImageFormat::WebP) => general(bytes, format, max_pixels),
        _ => Err(DecodeError::Unsupported),
    }
}

/// A JPEG decoded at a DCT scale; `None` when no scale applies (or the pixel format is one
/// the general decoder handles better).
fn scaled_jpeg(bytes: &[u8], max_pixels: u64) -> Result<Option<Working>, DecodeError> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().map_err(|_| DecodeError::Corrupt)?;
    let info = decoder.info().ok_or(DecodeError::Corrupt)?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(DecodeError::TooLarge);
    }
    // The smallest DCT scale that keeps the long side at least `floor`; none that reduces:
    // the general decoder, whose output the thresholds were first set on.
    let floor = WORKING_SIZE * DCT_SLACK / 100;
    let long = w.max(h);
    if long / 2 < floor {
        return Ok(None);
    }
    // The decoder picks the smallest scale that reaches the request on one side.
    let ask = |side: u32| u16::try_from((u64::from(side) * u64::from(floor)).div_ceil(u64::from(long))).ok();
    if let (Some(rw), Some(rh)) = (ask(w), ask(h)) {
        decoder.scale(rw, rh).map_err(|_| DecodeError::Corrupt)?;
    }
    let pixels = decoder.decode().map_err(|_| DecodeError::Corrupt)?;
    let out = decoder.info().ok_or(DecodeError::Corrupt)?;
    let (ow, oh) = (u32::from(out.width), u32::from(out.height));
    let image = match out.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => RgbImage::from_raw(ow, oh, pixels).map(DynamicImage::ImageRgb8),
        jpeg_decoder::PixelFormat::L8 => image::GrayImage::from_raw(ow, oh, pixels).map(DynamicImage::ImageLuma8),
        // CMYK and 12-bit JPEGs are rare from cameras: the general decoder handles them.
        jpeg_decoder::PixelFormat::CMYK32 | jpeg_decoder::PixelFormat::L16 => return Ok(None),
    }
    .ok_or(DecodeError::Corrupt)?;
    let orientation = decoder.exif_data().and_then(Orientation::from_exif_chunk).unwrap_or(Orientation::NoTransforms);
    let mut image = image;
    image.apply_orientation(orientation);
    let mut working = reduce(&image);
    // The upright size of the full photo, not of the scaled decode.
    working.original = if image.width() == ow { (w, h) } else { (h, w) };
    Ok(Some(working))
}

/// The whole image through the `image` crate's decoder, then reduced.
fn general(bytes: &[u8], format: ImageFormat, max_pixels: u64) -> Result<Working, DecodeError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8).max(64 * 1024 * 1024));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| DecodeError::Corrupt)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(DecodeError::TooLarge);
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| DecodeError::Corrupt)?;
    image.apply_orientation(orientation);
    Ok(reduce(&image))
}

/// The working copy of an already decoded (upright) image.
pub fn reduce(image: &DynamicImage) -> Working {
    let (width, height) = (image.width(), image.height());
    let original = (width, height);
    let long = width.max(height);
    let rgb = image.as_rgb8().map_or_else(|| Cow::Owned(image.to_rgb8()), Cow::Borrowed);
    if long <= WORKING_SIZE {
        return Working { image: rgb.into_owned(), original };
    }
    let scale = WORKING_SIZE as f32 / long as f32;
    let (tw, th) = (((width as f32 * scale).round() as u32).max(1), ((height as f32 * scale).round() as u32).max(1));
    // A whole-number block average first (a 12 MP photo: 4032 → 1344), then `thumbnail`
    // for the rest: both average pixel blocks, which keeps edges honest, and the first is a
    // plain pass over the bytes, several times faster than `thumbnail` on 12 MP.
    let factor = long / WORKING_SIZE;
    let image = if factor >= 2 {
        image::imageops::thumbnail(&block_average(&rgb, factor), tw, th)
    } else {
        image::imageops::thumbnail(rgb.as_ref(), tw, th)
    };
    Working { image, original }
}

/// Averages `factor` × `factor` pixel blocks (the remainder at the right and bottom edges
/// is dropped: under `factor` pixels).
pub(crate) fn block_average(img: &RgbImage, factor: u32) -> RgbImage {
    let (w, h) = (img.width() / factor, img.height() / factor);
    let stride = img.width() as usize * 3;
    let raw = img.as_raw();
    let mut out = RgbImage::new(w, h);
    let mut sums = vec![0u32; w as usize * 3];
    let area = factor * factor;
    for oy in 0..h {
        sums.iter_mut().for_each(|s| *s = 0);
        for y in oy * factor..(oy + 1) * factor {
            let row = &raw[y as usize * stride..][..w as usize * factor as usize * 3];
            for (i, px) in row.chunks_exact(3).enumerate() {
                let o = i / factor as usize * 3;
                sums[o] += u32::from(px[0]);
                sums[o + 1] += u32::from(px[1]);
                sums[o + 2] += u32::from(px[2]);
            }
        }
        for ox in 0..w {
            let o = ox as usize * 3;
            let avg = |c: usize| ((sums[o + c] + area / 2) / area) as u8;
            out.put_pixel(ox, oy, image::Rgb([avg(0), avg(1), avg(2)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(img: &RgbImage) -> Vec<u8> {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92).encode_image(img).unwrap();
        out
    }

    /// A dark card on a light ground, its left half red-tinted.
    fn card(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            let inside = x > w / 4 && x < w * 3 / 4 && y > h / 4 && y < h * 3 / 4;
            let v = if inside { 40 } else { 220 };
            image::Rgb([if x < w / 2 { v.max(150) } else { v }, v, v])
        })
    }

    #[test]
    fn block_average_averages_whole_blocks_and_drops_the_remainder() {
        // 5 × 2 with factor 2: two blocks, the fifth column dropped.
        let img =
            RgbImage::from_fn(5, 2, |x, y| image::Rgb([(x * 10 + y * 100) as u8, 7, if x == 4 { 255 } else { 0 }]));
        let out = block_average(&img, 2);
        assert_eq!(out.dimensions(), (2, 1));
        // Block 0: 0, 10, 100, 110 → 55; block 1: 20, 30, 120, 130 → 75.
        assert_eq!(out.get_pixel(0, 0).0, [55, 7, 0]);
        assert_eq!(out.get_pixel(1, 0).0, [75, 7, 0]);
    }

    #[test]
    fn a_large_jpeg_is_decoded_at_a_dct_scale_and_agrees_with_the_full_decode() {
        let src = card(4000, 3000);
        let bytes = jpeg(&src);
        let scaled = working_copy(&bytes, 40_000_000).unwrap();
        // 1/4 of 4000 is 1000: within the slack under 1024, used as decoded.
        assert_eq!(scaled.image.dimensions(), (1000, 750));
        assert_eq!(scaled.original, (4000, 3000));
        let full = reduce(&image::load_from_memory(&bytes).unwrap());
        assert_eq!(full.image.dimensions(), (1024, 768));
        // The same picture: compare at matching relative positions away from the edges.
        for (fx, fy) in [(0.1, 0.1), (0.3, 0.5), (0.5, 0.5), (0.7, 0.4), (0.9, 0.9)] {
            let a = scaled.image.get_pixel((fx * 1000.0) as u32, (fy * 750.0) as u32).0;
            let b = full.image.get_pixel((fx * 1024.0) as u32, (fy * 768.0) as u32).0;
            for c in 0..3 {
                assert!(a[c].abs_diff(b[c]) <= 6, "at ({fx}, {fy}): {a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn a_jpeg_a_little_over_the_working_size_is_reduced_not_scaled_down_to_half() {
        let bytes = jpeg(&card(1600, 1200));
        let w = working_copy(&bytes, 40_000_000).unwrap();
        assert_eq!(w.image.dimensions(), (1024, 768));
        assert_eq!(w.original, (1600, 1200));
        let mut png = Vec::new();
        DynamicImage::ImageRgb8(card(2000, 1500)).write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        let w = working_copy(&png, 40_000_000).unwrap();
        assert_eq!((w.image.dimensions(), w.original), ((1024, 768), (2000, 1500)));
    }

    #[test]
    fn exif_orientation_is_applied_and_the_original_size_is_upright() {
        let bytes = jpeg(&card(4000, 3000));
        // An APP1 Exif segment with Orientation = 6 (rotate 90° clockwise), inserted after SOI.
        let tiff: [u8; 26] = [
            b'M', b'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, // Orientation, SHORT, 1, value 6
            0, 0, 0, 0, // no next IFD
        ];
        let mut app1 = vec![0xFF, 0xE1];
        let len = (2 + 6 + tiff.len()) as u16;
        app1.extend_from_slice(&len.to_be_bytes());
        app1.extend_from_slice(b"Exif\0\0");
        app1.extend_from_slice(&tiff);
        let mut rotated = bytes[..2].to_vec();
        rotated.extend_from_slice(&app1);
        rotated.extend_from_slice(&bytes[2..]);
        let w = working_copy(&rotated, 40_000_000).unwrap();
        assert_eq!(w.original, (3000, 4000));
        assert_eq!(w.image.dimensions(), (750, 1000));
        // Rotated clockwise: the card's red-tinted left half is now its top half.
        let (top, bottom) = (w.image.get_pixel(375, 300).0, w.image.get_pixel(375, 700).0);
        assert!(top[0] > 120 && top[1] < 80, "top {top:?}");
        assert!(bottom[0] < 80, "bottom {bottom:?}");
    }

    #[test]
    fn refusals_are_errors_not_panics() {
        let bytes = jpeg(&card(1600, 1200));
        assert_eq!(working_copy(&bytes, 1_000_000).err(), Some(DecodeError::TooLarge));
        // A truncated JPEG may decode with grey filling (the upload endpoint refuses a file
        // without its end marker before the gate); it must not panic on either path.
        let big = jpeg(&card(4000, 3000));
        for data in [&bytes[..bytes.len() / 3], &big[..big.len() / 3]] {
            let _ = working_copy(data, 40_000_000);
        }
        assert_eq!(working_copy(b"GIF89a......", 40_000_000).err(), Some(DecodeError::Unsupported));
        assert_eq!(working_copy(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2], 40_000_000).err(), Some(DecodeError::Corrupt));
    }
}
