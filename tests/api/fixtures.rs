//! Images made by the tests themselves: plain photos, a JPEG carrying GPS and orientation
//! EXIF, a PNG that declares 50000×50000 pixels, truncated and mislabelled files.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

/// A photo of a card on a desk: a light card with dark "text" lines, inside the frame with a
/// margin, so the quality gate accepts it; `seed` varies its bytes. No portrait on it: a back
/// side (`faces_fixtures::id_front` is a front).
pub fn jpeg(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(card(w, h, seed)).write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg).unwrap();
    out
}

pub fn card(w: u32, h: u32, seed: u8) -> RgbImage {
    let (x0, x1, y0, y1) = (w / 5, w * 4 / 5, h / 5, h * 4 / 5);
    RgbImage::from_fn(w, h, |x, y| {
        let inside = x > x0 && x < x1 && y > y0 && y < y1;
        if inside {
            let row = (y - y0) % 18;
            let text = row > 9 && row < 14 && ((x - x0) / 7 + u32::from(seed)) % 5 != 0 && x > x0 + 20 && x < x1 - 20;
            if text { Rgb([40, 45, 60]) } else { Rgb([200, 212, 228u8.wrapping_sub(seed % 8)]) }
        } else {
            let g = 55 + (x * 20 / w) as u8;
            Rgb([g, g, g + 10])
        }
    })
}

/// A blurred, dark photo of a wall: no document in it.
pub fn no_document(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| Rgb([(90 + (x + y) % 7) as u8, 80, 70]));
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg).unwrap();
    out
}

pub fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::new_rgb8(w, h).write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A valid PNG header announcing 50000×50000 RGB pixels (7.5 GB decoded), then a token IDAT.
pub fn png_bomb() -> Vec<u8> {
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    let idat = b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01";
    out.extend_from_slice(&((idat.len() - 4) as u32).to_be_bytes());
    out.extend_from_slice(idat);
    out.extend_from_slice(&crc32(idat).to_be_bytes());
    out
}

/// `jpeg` with an APP1 EXIF segment: orientation 6 (rotate 90° clockwise) and a GPS IFD
/// with latitude "N 52°".
pub fn jpeg_with_gps_and_orientation(w: u32, h: u32) -> Vec<u8> {
    let base = jpeg(w, h, 7);
    // TIFF, little-endian. IFD0 at 8: 2 entries (Orientation, GPSInfo pointer).
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    // Orientation (0x0112), SHORT, 1, value 6.
    tiff.extend_from_slice(&0x0112u16.to_le_bytes());
    tiff.extend_from_slice(&3u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&6u32.to_le_bytes());
    // GPSInfo (0x8825), LONG, 1, offset of the GPS IFD = 8 + 2 + 2*12 + 4 = 38.
    tiff.extend_from_slice(&0x8825u16.to_le_bytes());
    tiff.extend_from_slice(&4u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&38u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    // GPS IFD: GPSLatitudeRef "N", GPSLatitude 52/1 0/1 0/1 (offset 38 + 2 + 2*12 + 4 = 68).
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&2u32.to_le_bytes());
    tiff.extend_from_slice(b"N\0\0\0");
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&5u16.to_le_bytes());
    tiff.extend_from_slice(&3u32.to_le_bytes());
    tiff.extend_from_slice(&68u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    for (n, d) in [(52u32, 1u32), (0, 1), (0, 1)] {
        tiff.extend_from_slice(&n.to_le_bytes());
        tiff.extend_from_slice(&d.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&base[2..]);
    out
}
