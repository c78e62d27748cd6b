//! Reading the document by machine after the quality gate accepted the photo: the MRZ where
//! the document has one on this side, the PDF417 barcode on licence backs. The fields are
//! stored sealed for the data cross-check; the summary (found, valid, checks) is not PII.

use ekyc_vision::document::Pt;
use ekyc_vision::read;
use image::DynamicImage;
use serde_json::{Value, json};

use super::quality::ImageKind;
use crate::catalogue::DocumentSpec;

pub struct Extraction {
    /// No PII: what was attempted and how it went.
    pub summary: Value,
    /// The fields read (PII), to be sealed.
    pub fields: Option<Value>,
}

fn mrz_side(spec: &DocumentSpec) -> Option<ImageKind> {
    match spec.mrz.as_deref() {
        Some("td3") => Some(ImageKind::Front),
        Some("td1" | "td2") => Some(if spec.back_side { ImageKind::Back } else { ImageKind::Front }),
        _ => None,
    }
}

/// CPU-heavy (OCR): run on a blocking thread.
pub fn extract(image: &DynamicImage, corners: Option<[Pt; 4]>, spec: &DocumentSpec, kind: ImageKind) -> Extraction {
    let mut summary = serde_json::Map::new();
    let mut fields = None;
    if mrz_side(spec) == Some(kind) {
        match corners.as_ref().and_then(|c| read::read_mrz(image, c)) {
            Some(r) => {
                let m = &r.mrz;
                summary.insert(
                    "mrz".into(),
                    json!({"found": true, "valid": r.valid, "format": m.format, "checks": m.checks, "repairs": r.repairs.len()}),
                );
                fields = Some(json!({
                    "source": "mrz",
                    "valid": r.valid,
                    "document_number": m.document_number,
                    "surname": m.surname,
                    "given_names": m.given_names,
                    "nationality": m.nationality,
                    "issuing_state": m.issuing_state,
                    "date_of_birth": m.date_of_birth,
                    "expiry_date": m.expiry_date,
                    "sex": m.sex,
                    // A full name field (no filler left at its end) may have cut the names.
                    "name_truncated": !m.name_field.ends_with('<'),
                }));
            }
            None => {
                summary.insert("mrz".into(), json!({"found": false}));
            }
        }
    }
    if spec.barcode.as_deref() == Some("pdf417") && kind == ImageKind::Back {
        match read::read_pdf417(image, corners.as_ref()) {
            Some((_, b)) => {
                summary
                    .insert("barcode".into(), json!({"found": true, "format": "pdf417", "aamva": b.aamva.is_some()}));
                if let Some(a) = b.aamva {
                    fields = Some(json!({
                        "source": "pdf417",
                        "document_number": a.document_number,
                        "surname": a.surname,
                        "given_names": a.given_names,
                        "date_of_birth": a.date_of_birth,
                        "expiry_date": a.expiry_date,
                        "sex": a.sex,
                        "country": a.country,
                    }));
                }
            }
            None => {
                summary.insert("barcode".into(), json!({"found": false}));
            }
        }
    }
    Extraction { summary: Value::Object(summary), fields }
}
