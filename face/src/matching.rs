//! Face match: distance between two 128-D descriptors → a similarity score and a decision.
//! The thresholds are configuration; docs/faces.md has the calibration behind the defaults.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatchThresholds {
    /// At or below this distance the faces match.
    pub match_distance: f64,
    /// Above this distance they do not; in between the result is inconclusive (a human looks).
    pub mismatch_distance: f64,
}

impl Default for MatchThresholds {
    fn default() -> Self {
        // dlib's own operating point is 0.6 (99.38 % on LFW); we match only at 0.5 and call
        // a mismatch only beyond 0.6, so the band between goes to a reviewer.
        Self { match_distance: 0.50, mismatch_distance: 0.60 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchDecision {
    Match,
    Inconclusive,
    Mismatch,
}

/// Similarity in [0, 1]: 1 for identical descriptors, 0.5 at the match threshold, falling
/// linearly to 0 at twice the threshold.
pub fn similarity(distance: f64, t: &MatchThresholds) -> f64 {
    (1.0 - distance / (2.0 * t.match_distance)).clamp(0.0, 1.0)
}

pub fn decide(distance: f64, t: &MatchThresholds) -> MatchDecision {
    if distance <= t.match_distance {
        MatchDecision::Match
    } else if distance <= t.mismatch_distance {
        MatchDecision::Inconclusive
    } else {
        MatchDecision::Mismatch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_bands() {
        let t = MatchThresholds::default();
        assert_eq!(decide(0.3, &t), MatchDecision::Match);
        assert_eq!(decide(0.5, &t), MatchDecision::Match);
        assert_eq!(decide(0.55, &t), MatchDecision::Inconclusive);
        assert_eq!(decide(0.61, &t), MatchDecision::Mismatch);
    }

    #[test]
    fn similarity_is_monotonic_and_half_at_threshold() {
        let t = MatchThresholds::default();
        assert!((similarity(0.5, &t) - 0.5).abs() < 1e-12);
        assert_eq!(similarity(0.0, &t), 1.0);
        assert_eq!(similarity(2.0, &t), 0.0);
        assert!(similarity(0.3, &t) > similarity(0.4, &t));
    }
}
