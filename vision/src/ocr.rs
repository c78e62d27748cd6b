//! Reading the machine-readable zone's text with Tesseract (through `leptess`), restricted to
//! the MRZ alphabet. The caller passes the flattened document; the zone is the bottom band.

use std::cell::RefCell;
use std::io::Cursor;

use image::{DynamicImage, GrayImage, ImageFormat, RgbImage};
use imageproc::contrast::{ThresholdType, otsu_level, threshold};
use leptess::{LepTess, Variable};

/// Characters an MRZ can hold.
pub const MRZ_ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("tesseract could not start: {0}")]
    Init(String),
    #[error("tesseract failed: {0}")]
    Run(String),
}

thread_local! {
    // Loading the model takes ~0.1 s: one engine per thread, reused.
    static ENGINE: RefCell<Option<LepTess>> = const { RefCell::new(None) };
}

fn engine_call<T>(f: impl FnOnce(&mut LepTess) -> Result<T, OcrError>) -> Result<T, OcrError> {
    ENGINE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut t = LepTess::new(None, "eng").map_err(|e| OcrError::Init(e.to_string()))?;
            t.set_variable(Variable::TesseditCharWhitelist, MRZ_ALPHABET).map_err(|e| OcrError::Init(e.to_string()))?;
            // One uniform block of text.
            t.set_variable(Variable::TesseditPagesegMode, "6").map_err(|e| OcrError::Init(e.to_string()))?;
            *slot = Some(t);
        }
        match slot.as_mut() {
            Some(t) => f(t),
            None => Err(OcrError::Init("no engine".into())),
        }
    })
}

/// Binarised bottom `share` of the flattened document, as PNG bytes for Tesseract.
fn band(flat: &RgbImage, share: f32) -> Result<Vec<u8>, OcrError> {
    let (w, h) = flat.dimensions();
    let top = (h as f32 * (1.0 - share)) as u32;
    let crop = image::imageops::crop_imm(flat, 0, top, w, h - top).to_image();
    let gray: GrayImage = image::imageops::grayscale(&crop);
    let level = otsu_level(&gray);
    let bin = threshold(&gray, level, ThresholdType::Binary);
    let mut png = Vec::new();
    DynamicImage::ImageLuma8(bin)
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|e| OcrError::Run(e.to_string()))?;
    Ok(png)
}

/// Lines of the bottom band that look like MRZ lines (long, MRZ characters only).
pub fn read_mrz_lines(flat: &RgbImage, share: f32) -> Result<Vec<String>, OcrError> {
    let png = band(flat, share)?;
    let text = engine_call(|t| {
        t.set_image_from_mem(&png).map_err(|e| OcrError::Run(e.to_string()))?;
        t.set_source_resolution(300);
        t.get_utf8_text().map_err(|e| OcrError::Run(e.to_string()))
    })?;
    Ok(text
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|l| l.len() >= 24 && l.chars().all(|c| MRZ_ALPHABET.contains(c)))
        .collect())
}
