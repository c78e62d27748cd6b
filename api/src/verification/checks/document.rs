//! The document checks of a submitted attempt: image quality (as judged at upload), the
//! machine-readable zone or barcode, entered data against it, expiry and minimum age. The
//! stored rows carry codes, field names and verdicts only; the values stay sealed.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{Value, json};
use uuid::Uuid;

use super::datamatch::{self, Entered, Extracted, Verdict};
use super::{Check, CheckResult, reason};
use crate::catalogue::{Catalogue, DocumentSpec, StepKind};
use crate::db::schema::document_images;
use crate::pii::PiiCipher;
use crate::verification::personal::PersonalInfo;

/// One current image of the attempt, with what was read off it.
pub struct StoredImage {
    pub id: Uuid,
    pub kind: String,
    pub quality: Value,
    pub extraction: Value,
    pub extracted_sealed: Option<String>,
}

pub async fn images(conn: &mut AsyncPgConnection, vid: Uuid) -> QueryResult<Vec<StoredImage>> {
    let rows: Vec<(Uuid, String, Value, Value, Option<String>)> = document_images::table
        .filter(document_images::verification_id.eq(vid))
        .filter(document_images::replaced_at.is_null())
        .order(document_images::created_at.asc())
        .select((
            document_images::id,
            document_images::kind,
            document_images::quality,
            document_images::extraction,
            document_images::extracted_sealed,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, quality, extraction, extracted_sealed)| StoredImage {
            id,
            kind,
            quality,
            extraction,
            extracted_sealed,
        })
        .collect())
}

/// The document's data, opened: the first image whose reading was valid.
pub fn extracted(pii: &PiiCipher, images: &[StoredImage]) -> Option<Extracted> {
    images.iter().filter(|i| i.kind != "selfie").find_map(|i| {
        let sealed = i.extracted_sealed.as_deref()?;
        let plain = pii.open(&format!("{}/extracted", i.id), sealed).ok()?;
        let e: Extracted = serde_json::from_str(&plain).ok()?;
        e.valid.then_some(e)
    })
}

/// Every image passed the capture-quality gate when it was uploaded (a refused photo is
/// never stored); the row keeps what the gate measured, for the reviewer.
pub fn quality(images: &[StoredImage]) -> Check {
    let per_image: Vec<Value> = images
        .iter()
        .map(
            |i| json!({"image_id": i.id, "kind": i.kind, "accepted": i.quality["accepted"], "gate": i.quality["gate"]}),
        )
        .collect();
    let refused = images.iter().filter(|i| i.quality["accepted"] == json!(false)).count();
    Check {
        kind: "quality",
        result: if refused == 0 { CheckResult::Pass } else { CheckResult::Fail },
        score: None,
        reasons: json!([]),
        details: json!({ "images": per_image }),
    }
}

/// The MRZ or PDF417 read at upload, on the side the document carries it.
pub fn reading(spec: Option<&DocumentSpec>, images: &[StoredImage]) -> Option<Check> {
    let spec = spec?;
    let key = if spec.mrz.is_some() {
        "mrz"
    } else if spec.barcode.is_some() {
        "barcode"
    } else {
        return None;
    };
    let summaries: Vec<&Value> = images.iter().filter_map(|i| i.extraction.get(key)).collect();
    let found = summaries.iter().any(|s| s["found"] == json!(true));
    let valid = summaries.iter().any(|s| s["found"] == json!(true) && s.get("valid").is_none_or(|v| v == &json!(true)));
    let unreadable = json!([reason("mrz_unreadable", StepKind::Document, &[])]);
    let (result, reasons) = match (found, valid) {
        (_, true) => (CheckResult::Pass, json!([])),
        // Read, but a check digit disagrees: a misprint, a misread or an altered document.
        (true, false) => (CheckResult::Fail, unreadable),
        (false, false) => (CheckResult::Inconclusive, unreadable),
    };
    Some(Check {
        kind: key,
        result,
        score: None,
        reasons,
        details: json!({ "zone": key, "format": spec.mrz, "found": found, "check_digits_valid": valid, "reads": summaries }),
    })
}

pub fn entered<'a>(info: &'a PersonalInfo, catalogue: &'a Catalogue) -> Entered<'a> {
    Entered {
        first_name: &info.first_name,
        middle_name: info.middle_name.as_deref(),
        last_name: &info.last_name,
        latin_first_name: info.latin_first_name.as_deref(),
        latin_last_name: info.latin_last_name.as_deref(),
        date_of_birth: info.date_of_birth,
        document_number: &info.document_number,
        expiry_date: info.expiry_date,
        nationality_alpha3: catalogue.country(&info.nationality).map(|c| c.alpha3.as_str()),
        issuing_alpha3: catalogue.country(&info.issuing_country).map(|c| c.alpha3.as_str()),
    }
}

/// Entered against read, field by field; a mismatch names its fields.
pub fn data_match(entered: &Entered<'_>, doc: Option<&Extracted>) -> Check {
    let Some(doc) = doc else {
        return Check {
            kind: "data_match",
            result: CheckResult::Inconclusive,
            score: None,
            reasons: json!([]),
            details: json!({ "source": null, "note": "nothing machine-readable was read off the document" }),
        };
    };
    let verdicts = datamatch::compare(entered, doc);
    let compared = verdicts.iter().filter(|v| v.verdict != Verdict::Unavailable).count();
    let wrong: Vec<&str> = verdicts.iter().filter(|v| v.verdict == Verdict::Mismatch).map(|v| v.field).collect();
    #[expect(clippy::cast_precision_loss, reason = "a handful of fields")]
    let score = (compared > 0).then(|| (compared - wrong.len()) as f64 / compared as f64);
    let fields: serde_json::Map<String, Value> =
        verdicts.iter().map(|v| (v.field.to_owned(), json!(v.verdict))).collect();
    // A number that differs only in glyphs OCR confuses may be our misread: a person decides.
    let doubtful = wrong == ["document_number"]
        && doc.document_number.as_deref().is_some_and(|n| datamatch::confusable_only(entered.document_number, n));
    Check {
        kind: "data_match",
        result: match (wrong.is_empty(), doubtful) {
            (true, _) => CheckResult::Pass,
            (false, true) => CheckResult::Inconclusive,
            (false, false) => CheckResult::Fail,
        },
        score,
        reasons: if wrong.is_empty() {
            json!([])
        } else {
            json!([reason("data_mismatch", StepKind::PersonalInfo, &wrong)])
        },
        details: json!({ "source": doc.source, "fields": fields, "confusable_glyphs_only": doubtful }),
    }
}

/// The document's own date wins over the entered one when they differ.
fn authoritative(entered: Option<NaiveDate>, doc: Option<NaiveDate>, mrz: bool) -> Option<NaiveDate> {
    match (entered, doc) {
        (Some(e), Some(d))
            if mrz && e.month() == d.month() && e.day() == d.day() && e.year() % 100 == d.year() % 100 =>
        {
            Some(e)
        }
        (_, Some(d)) => Some(d),
        (e, None) => e,
    }
}

pub fn expiry(
    info: &PersonalInfo,
    doc: Option<&Extracted>,
    spec: Option<&DocumentSpec>,
    sides: &[&str],
    today: NaiveDate,
) -> Check {
    let mrz = doc.is_some_and(|d| d.source == "mrz");
    let date = authoritative(info.expiry_date, doc.and_then(|d| d.expiry_date), mrz);
    let expected = spec.is_none_or(|s| s.has_expiry);
    let (result, reasons) = match date {
        Some(d) if d < today => {
            let images: Vec<String> = sides.iter().map(|s| format!("images.{s}")).collect();
            let images: Vec<&str> = images.iter().map(String::as_str).collect();
            (
                CheckResult::Fail,
                json!([
                    reason("document_expired", StepKind::PersonalInfo, &["document_number", "expiry_date"]),
                    reason("document_expired", StepKind::Document, &images),
                ]),
            )
        }
        Some(_) => (CheckResult::Pass, json!([])),
        None if expected => (CheckResult::Inconclusive, json!([])),
        None => (CheckResult::Pass, json!([])),
    };
    Check {
        kind: "expiry",
        result,
        score: None,
        reasons,
        details: json!({
            "source": if doc.and_then(|d| d.expiry_date).is_some() { "document" } else { "entered" },
            "days_left": date.map(|d| (d - today).num_days()),
        }),
    }
}

pub fn age(info: &PersonalInfo, doc: Option<&Extracted>, min_age: u32, today: NaiveDate) -> Check {
    let mrz = doc.is_some_and(|d| d.source == "mrz");
    let dob =
        authoritative(Some(info.date_of_birth), doc.and_then(|d| d.date_of_birth), mrz).unwrap_or(info.date_of_birth);
    let years = crate::verification::personal::age_on(dob, today);
    let min = i32::try_from(min_age).unwrap_or(18);
    let under = years < min;
    Check {
        kind: "age",
        result: if under { CheckResult::Fail } else { CheckResult::Pass },
        score: None,
        reasons: if under {
            json!([reason("under_age", StepKind::PersonalInfo, &["date_of_birth"])])
        } else {
            json!([])
        },
        details: json!({
            "min_age": min_age,
            "meets_min_age": !under,
            "source": if doc.and_then(|d| d.date_of_birth).is_some() { "document" } else { "entered" },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_date_wins_unless_only_the_century_differs() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(authoritative(Some(d("1925-01-02")), Some(d("2025-01-02")), true), Some(d("1925-01-02")));
        assert_eq!(authoritative(Some(d("1984-01-02")), Some(d("2010-01-02")), true), Some(d("2010-01-02")));
        assert_eq!(authoritative(Some(d("1984-01-02")), None, true), Some(d("1984-01-02")));
    }
}
