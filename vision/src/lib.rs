//! ekyc-vision: image analysis as pure functions — pixels in, reports out, no I/O.
//!
//! - [`decode`]: the upload's bytes to the gate's upright working copy (a JPEG at a DCT scale);
//! - [`document`]: find the document in a photo, fit its corners, flatten it;
//! - [`quality`]: the capture-quality rulebook (thresholds published in docs/quality.md);
//! - [`screen`]: evidence that the photo is of a screen (moiré, a bezel);
//! - [`mrz`], [`ocr`], [`barcode`], [`read`]: what the document says, read by machine.

pub mod barcode;
pub mod decode;
pub mod document;
pub mod gradient;
pub mod mrz;
pub mod ocr;
pub mod ocrb;
pub mod quality;
pub mod read;
pub mod screen;
