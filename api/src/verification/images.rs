//! Uploaded images: recognised by their bytes, bounded before decoding, decoded with EXIF
//! orientation applied, and re-encoded as a metadata-free JPEG.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

use crate::error::FieldError;

pub const MIN_SIDE: u32 = 320;
const JPEG_QUALITY: u8 = 90;

/// What the upload turned into.
pub struct ProcessedImage {
    pub image: DynamicImage,
    pub jpeg: Vec<u8>,
    pub upload_sha256: Vec<u8>,
    pub stored_sha256: Vec<u8>,
}

/// The format by magic bytes only: the file name and the part's Content-Type are ignored.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(ImageFormat::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(ImageFormat::Png),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(ImageFormat::WebP),
        _ => None,
    }
}

pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// Whether the file ends the way its format says it must. Some decoders fill a truncated
/// image with grey instead of failing; a photo cut off in transit must not pass as whole.
fn complete(bytes: &[u8], format: ImageFormat) -> bool {
    match format {
        ImageFormat::Jpeg => {
            // An end-of-image marker after the start of the (last) scan.
            let sos = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
            let eoi = bytes.windows(2).rposition(|w| w == [0xFF, 0xD9]);
            matches!((sos, eoi), (Some(s), Some(e)) if e > s)
        }
        ImageFormat::Png => bytes.windows(4).rposition(|w| w == b"IEND").is_some(),
        ImageFormat::WebP => bytes
            .get(4..8)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .is_some_and(|n| usize::try_from(u32::from_le_bytes(n)).is_ok_and(|n| n + 8 <= bytes.len())),
        _ => true,
    }
}

fn bad(code: &str, message: &str) -> FieldError {
    FieldError::new("file", code, message)
}

fn unsupported() -> FieldError {
    bad("unsupported_type", "Upload a JPEG, PNG or WebP photo.")
}

fn too_many_pixels() -> FieldError {
    bad("too_many_pixels", "The image is too large; use at most 40 megapixels.")
}

fn damaged() -> FieldError {
    bad("corrupt_image", "The image is damaged or incomplete.")
}

/// The answer when the quality gate could not decode the pixels: the same codes and words
/// as the checks here.
pub fn undecodable(e: &ekyc_vision::decode::DecodeError) -> FieldError {
    use ekyc_vision::decode::DecodeError;
    match e {
        DecodeError::TooLarge => too_many_pixels(),
        DecodeError::Unsupported => unsupported(),
        DecodeError::Corrupt => damaged(),
    }
}

fn reader(bytes: &[u8], format: ImageFormat, max_pixels: u64) -> ImageReader<Cursor<&[u8]>> {
    let mut r = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(max_pixels.saturating_mul(8).max(64 * 1024 * 1024));
    r.limits(limits);
    r
}

/// What can be told from the header and the file's end, before any pixel is decoded: the
/// format, the size (a decompression bomb is refused here) and whether the file is whole.
pub fn inspect(bytes: &[u8], max_pixels: u64) -> Result<ImageFormat, FieldError> {
    if bytes.is_empty() {
        return Err(bad("empty_file", "The file is empty."));
    }
    let format = sniff(bytes).ok_or_else(unsupported)?;
    let (w, h) = reader(bytes, format, max_pixels).into_dimensions().map_err(|e| match e {
        image::ImageError::Limits(_) => too_many_pixels(),
        _ => bad("corrupt_image", "The file is not a readable image."),
    })?;
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(too_many_pixels());
    }
    if w.min(h) < MIN_SIDE {
        return Err(bad("too_small", "The image is too small; take the photo at a higher resolution."));
    }
    if !complete(bytes, format) {
        return Err(bad("corrupt_image", "The image is incomplete; upload the whole file again."));
    }
    Ok(format)
}

/// Checks, decodes (upright) and re-encodes one upload. CPU-heavy: run it on a blocking thread.
pub fn process(bytes: &[u8], max_pixels: u64) -> Result<ProcessedImage, FieldError> {
    let format = inspect(bytes, max_pixels)?;
    let mut decoder = reader(bytes, format, max_pixels)
        .into_decoder()
        .map_err(|_| bad("corrupt_image", "The file is not a readable image."))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| damaged())?;
    image.apply_orientation(orientation);
    // No copy when the decoder already produced RGB8 (JPEG does).
    let rgb = DynamicImage::ImageRgb8(image.into_rgb8());
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&rgb)
        .map_err(|_| bad("corrupt_image", "The image could not be processed."))?;
    Ok(ProcessedImage { upload_sha256: sha256(bytes), stored_sha256: sha256(&jpeg), image: rgb, jpeg })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(w, h);
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn sniffing_ignores_names() {
        assert_eq!(sniff(&png(1, 1)), Some(ImageFormat::Png));
        assert_eq!(sniff(b"GIF89a...."), None);
        assert_eq!(sniff(b"%PDF-1.7"), None);
    }

    #[test]
    fn re_encodes_to_jpeg() {
        let p = process(&png(640, 480), 40_000_000).ok().unwrap();
        assert_eq!(sniff(&p.jpeg), Some(ImageFormat::Jpeg));
        assert_eq!((p.image.width(), p.image.height()), (640, 480));
    }

    #[test]
    fn refusals() {
        assert_eq!(process(&[], 1).err().unwrap().code, "empty_file");
        assert_eq!(process(b"hello world", 1).err().unwrap().code, "unsupported_type");
        assert_eq!(process(&png(100, 100), 40_000_000).err().unwrap().code, "too_small");
        assert_eq!(process(&png(640, 480), 1000).err().unwrap().code, "too_many_pixels");
        let mut truncated = png(640, 480);
        truncated.truncate(truncated.len() / 2);
        assert_eq!(process(&truncated, 40_000_000).err().unwrap().code, "corrupt_image");
    }
}
