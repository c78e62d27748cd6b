//! The decision rules: what the automated checks of an attempt can settle without a person.
//! Pure and configurable (`EKYC_AUTO_APPROVE`, `EKYC_AUTO_RETRY_CODES`), with safe defaults:
//!
//! - anything inconclusive, or a failure whose code is not in the auto-retry list (duplicate
//!   identity, a readable MRZ whose check digits fail, a face mismatch, under age) → review;
//! - otherwise, failures that are all clear and fixable (a bad photo, a typo, an expired
//!   document, no face found) → `action_required` with their reasons, no person involved;
//! - everything passed → approved only when auto-approval is on, else review.

use std::collections::BTreeSet;

use super::checks::{Check, CheckResult};
use super::model::Reason;
use crate::config::ReviewConfig;

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Approve,
    ActionRequired(Vec<Reason>),
    /// A person decides; the flags say why (reason codes, `<check>_inconclusive`, …).
    Review(Vec<String>),
}

fn reasons_of(c: &Check) -> Vec<Reason> {
    serde_json::from_value(c.reasons.clone()).unwrap_or_default()
}

/// Reasons of the same code and step merged, their field paths united in order.
fn merge(reasons: Vec<Reason>) -> Vec<Reason> {
    let mut out: Vec<Reason> = Vec::new();
    for r in reasons {
        match out.iter_mut().find(|o| o.code == r.code && o.step == r.step) {
            Some(o) => {
                for p in r.field_paths {
                    if !o.field_paths.contains(&p) {
                        o.field_paths.push(p);
                    }
                }
            }
            None => out.push(r),
        }
    }
    out
}

pub fn decide(checks: &[Check], cfg: &ReviewConfig) -> Outcome {
    let mut flags = BTreeSet::new();
    let mut fixable = Vec::new();
    let mut needs_person = false;
    for c in checks {
        let reasons = reasons_of(c);
        match c.result {
            CheckResult::Pass => {}
            CheckResult::Inconclusive => {
                needs_person = true;
                flags.insert(format!("{}_inconclusive", c.kind));
                flags.extend(reasons.iter().map(|r| r.code.clone()));
            }
            CheckResult::Fail => {
                if reasons.is_empty() {
                    needs_person = true;
                    flags.insert(format!("{}_failed", c.kind));
                }
                for r in reasons {
                    flags.insert(r.code.clone());
                    if cfg.auto_retry_codes.contains(&r.code) {
                        fixable.push(r);
                    } else {
                        needs_person = true;
                    }
                }
            }
        }
    }
    if needs_person {
        return Outcome::Review(flags.into_iter().collect());
    }
    if !fixable.is_empty() {
        return Outcome::ActionRequired(merge(fixable));
    }
    if cfg.auto_approve { Outcome::Approve } else { Outcome::Review(vec!["auto_approve_off".to_owned()]) }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;

    fn cfg(auto_approve: bool) -> ReviewConfig {
        ReviewConfig {
            auto_approve,
            auto_retry_codes: ["blurred_photo", "data_mismatch", "document_expired", "face_not_found"]
                .map(str::to_owned)
                .to_vec(),
            duplicate_face_distance: 0.4,
            claim_ttl: Duration::from_secs(60),
            second_reviewer_for_final: true,
        }
    }

    fn check(kind: &'static str, result: CheckResult, reasons: serde_json::Value) -> Check {
        Check { kind, result, score: None, reasons, details: json!({}) }
    }

    fn pass(kind: &'static str) -> Check {
        check(kind, CheckResult::Pass, json!([]))
    }

    #[test]
    fn all_passing_is_approved_only_when_configured() {
        let checks = [pass("quality"), pass("data_match"), pass("face_match")];
        assert_eq!(decide(&checks, &cfg(true)), Outcome::Approve);
        assert_eq!(decide(&checks, &cfg(false)), Outcome::Review(vec!["auto_approve_off".into()]));
    }

    #[test]
    fn a_typo_goes_back_to_the_applicant_with_its_fields() {
        let checks = [
            pass("quality"),
            check(
                "data_match",
                CheckResult::Fail,
                json!([{"code": "data_mismatch", "step": "personal_info", "field_paths": ["document_number"]}]),
            ),
            check(
                "expiry",
                CheckResult::Fail,
                json!([{"code": "document_expired", "step": "personal_info", "field_paths": ["expiry_date"]},
                       {"code": "data_mismatch", "step": "personal_info", "field_paths": ["expiry_date"]}]),
            ),
        ];
        let Outcome::ActionRequired(reasons) = decide(&checks, &cfg(false)) else { panic!("expected action_required") };
        assert_eq!(reasons.len(), 2);
        assert_eq!(reasons[0].code, "data_mismatch");
        assert_eq!(reasons[0].field_paths, vec!["document_number", "expiry_date"]);
        assert_eq!(reasons[1].code, "document_expired");
    }

    #[test]
    fn strong_signals_and_doubt_go_to_a_person_even_with_fixable_failures() {
        let dup = check(
            "duplicate",
            CheckResult::Fail,
            json!([{"code": "duplicate_identity", "step": "personal_info", "field_paths": ["document_number"]}]),
        );
        let typo = check(
            "data_match",
            CheckResult::Fail,
            json!([{"code": "data_mismatch", "step": "personal_info", "field_paths": ["first_name"]}]),
        );
        assert_eq!(
            decide(&[typo.clone(), dup], &cfg(true)),
            Outcome::Review(vec!["data_mismatch".into(), "duplicate_identity".into()])
        );
        let unsure = check(
            "face_match",
            CheckResult::Inconclusive,
            json!([{"code": "face_mismatch", "step": "selfie", "field_paths": ["images.selfie"]}]),
        );
        assert_eq!(
            decide(&[pass("quality"), unsure], &cfg(true)),
            Outcome::Review(vec!["face_match_inconclusive".into(), "face_mismatch".into()])
        );
        assert_eq!(
            decide(&[typo, check("data_match", CheckResult::Inconclusive, json!([]))], &cfg(true)),
            Outcome::Review(vec!["data_match_inconclusive".into(), "data_mismatch".into()])
        );
    }
}
