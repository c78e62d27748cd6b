//! Active liveness: the server asks for a random sequence of head movements and checks, on the
//! frames the client sends back, that one person performs them in order.
//!
//! What it stops: a printed or on-screen photo held up and moved around (a flat picture cannot
//! change the nose's position between the eyes, so it cannot turn), a replayed still (frames
//! identical), someone else (descriptor far from the selfie), a recorded answer to an earlier
//! challenge (the actions are random and the nonce single-use). What it does not stop: a live
//! video of the person injected through a virtual camera, or a good 3-D mask. Every challenge has
//! at least one turn, because "move closer" alone can be faked by moving a photo.

use serde::{Deserialize, Serialize};

use crate::engine::Embedding;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The person turns their head to their left (the nose moves to the image's right edge).
    TurnLeft,
    TurnRight,
    /// The face gets at least `closer_ratio` times wider than at the start.
    MoveCloser,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::TurnLeft, Action::TurnRight, Action::MoveCloser];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::TurnLeft => "turn_left",
            Self::TurnRight => "turn_right",
            Self::MoveCloser => "move_closer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    fn is_turn(self) -> bool {
        matches!(self, Self::TurnLeft | Self::TurnRight)
    }
}

/// A challenge of 2 or 3 actions from a random number: never the same action twice in a row,
/// always at least one turn.
pub fn challenge_from(random: u64) -> Vec<Action> {
    let len = 2 + (random % 2) as usize;
    let mut r = random / 2;
    let mut out: Vec<Action> = Vec::with_capacity(len);
    while out.len() < len {
        let candidates: Vec<Action> = Action::ALL.into_iter().filter(|a| out.last() != Some(a)).collect();
        out.push(candidates[(r % candidates.len() as u64) as usize]);
        r /= candidates.len() as u64;
    }
    if !out.iter().any(|a| a.is_turn()) {
        // Only reachable as [MoveCloser, x, ...] with no turn, which the no-repeat rule forbids
        // for len ≥ 2; kept so the invariant does not rest on that argument.
        out[0] = if r.is_multiple_of(2) { Action::TurnLeft } else { Action::TurnRight };
    }
    out
}

/// What the server measured on one frame.
#[derive(Debug, Clone)]
pub struct FrameObservation {
    /// Capture time the client reported, milliseconds.
    pub t_ms: i64,
    /// Number of faces found.
    pub faces: usize,
    /// Yaw of the face (see `pose`), when exactly one face was found.
    pub yaw: Option<f64>,
    /// Face size: the distance between the eyes as a fraction of the frame's width (continuous,
    /// unlike the detector's box, whose sizes come in pyramid steps of 1.2).
    pub face_width: Option<f64>,
    pub embedding: Option<Embedding>,
    /// A 16×16 grey thumbnail of the frame (256 bytes) to spot replayed stills.
    pub thumbnail: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LivenessThresholds {
    /// How far the yaw must move from where the sequence started for a turn.
    pub turn_yaw: f64,
    /// The start must be at most this far from frontal.
    pub neutral_yaw: f64,
    pub closer_ratio: f64,
    /// Largest descriptor distance between a frontal frame and the reference (the selfie) or
    /// the first frame.
    pub same_person_distance: f64,
    /// The same for turned frames: a descriptor moves with the pose, so turned frames get a
    /// looser bound — still well under the distances between different people (0.8 and more).
    pub turned_person_distance: f64,
    pub min_frames: usize,
    pub max_frames: usize,
    /// Frames without exactly one face allowed, as a fraction (motion blur loses a few).
    pub max_missing_fraction: f64,
    /// Mean absolute thumbnail difference under which two consecutive frames count as the same.
    pub repeat_difference: f64,
    /// Minimum time the whole sequence may take per action, milliseconds.
    pub min_ms_per_action: i64,
    pub max_total_ms: i64,
}

impl Default for LivenessThresholds {
    fn default() -> Self {
        Self {
            turn_yaw: 0.15,
            neutral_yaw: 0.12,
            closer_ratio: 1.25,
            same_person_distance: 0.55,
            turned_person_distance: 0.75,
            min_frames: 4,
            max_frames: 40,
            max_missing_fraction: 0.34,
            repeat_difference: 0.5,
            min_ms_per_action: 300,
            max_total_ms: 60_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum LivenessFailure {
    FrameCount { got: usize, min: usize, max: usize },
    CaptureTimes,
    MultipleFaces { frame: usize },
    FaceMissing { frames: usize },
    DifferentPerson { frame: usize },
    RepeatedFrames,
    NotNeutralAtStart,
    ActionOutOfOrder { index: usize, expected: Action, seen: Action },
    ActionNotPerformed { index: usize, action: Action },
}

impl LivenessFailure {
    /// The action a failure concerns, for the applicant's message.
    pub fn action(&self) -> Option<Action> {
        match self {
            Self::ActionOutOfOrder { expected, .. } => Some(*expected),
            Self::ActionNotPerformed { action, .. } => Some(*action),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LivenessReport {
    pub passed: bool,
    pub failures: Vec<LivenessFailure>,
    /// For each action, the frame where it was first seen.
    pub seen_at: Vec<Option<usize>>,
    pub max_yaw: f64,
    pub min_yaw: f64,
    pub max_scale: f64,
    /// Largest distance to the reference or the first frame.
    pub max_distance: f64,
}

pub fn evaluate(
    actions: &[Action],
    frames: &[FrameObservation],
    reference: Option<&Embedding>,
    t: &LivenessThresholds,
) -> LivenessReport {
    let mut failures = Vec::new();
    let mut report = LivenessReport {
        passed: false,
        failures: Vec::new(),
        seen_at: vec![None; actions.len()],
        max_yaw: 0.0,
        min_yaw: 0.0,
        max_scale: 1.0,
        max_distance: 0.0,
    };
    if frames.len() < t.min_frames || frames.len() > t.max_frames {
        failures.push(LivenessFailure::FrameCount { got: frames.len(), min: t.min_frames, max: t.max_frames });
        report.failures = failures;
        return report;
    }
    let times_ok = frames.windows(2).all(|w| w[1].t_ms > w[0].t_ms) && {
        // Client-supplied numbers: no overflow, whatever they are.
        let span = frames.last().map_or(0, |f| f.t_ms).saturating_sub(frames.first().map_or(0, |f| f.t_ms));
        span >= t.min_ms_per_action * actions.len() as i64 && span <= t.max_total_ms
    };
    if !times_ok {
        failures.push(LivenessFailure::CaptureTimes);
    }
    if let Some(i) = frames.iter().position(|f| f.faces > 1) {
        failures.push(LivenessFailure::MultipleFaces { frame: i });
    }
    let usable: Vec<(usize, &FrameObservation)> = frames
        .iter()
        .enumerate()
        .filter(|(_, f)| f.faces == 1 && f.yaw.is_some() && f.face_width.is_some() && f.embedding.is_some())
        .collect();
    let missing = frames.len() - usable.len();
    if missing as f64 > t.max_missing_fraction * frames.len() as f64 || usable.is_empty() {
        failures.push(LivenessFailure::FaceMissing { frames: missing });
        report.failures = failures;
        return report;
    }

    // Same person throughout, and the same as the reference.
    let first = usable[0].1.embedding.as_ref();
    for (i, f) in &usable {
        let Some(e) = f.embedding.as_ref() else { continue };
        let d = [reference, first].into_iter().flatten().map(|r| r.distance(e)).fold(0.0, f64::max);
        report.max_distance = report.max_distance.max(d);
        let frontal = f.yaw.is_some_and(|y| (y - usable[0].1.yaw.unwrap_or(0.0)).abs() < t.turn_yaw / 2.0);
        if d > if frontal { t.same_person_distance } else { t.turned_person_distance } {
            failures.push(LivenessFailure::DifferentPerson { frame: *i });
            break;
        }
    }

    // A replayed still: most consecutive frames the same.
    let pairs = frames.len() - 1;
    let repeats =
        frames.windows(2).filter(|w| thumb_difference(&w[0].thumbnail, &w[1].thumbnail) < t.repeat_difference).count();
    if pairs > 0 && repeats * 2 > pairs {
        failures.push(LivenessFailure::RepeatedFrames);
    }

    // The actions, in order.
    let (_, start) = usable[0];
    let base_yaw = start.yaw.unwrap_or(0.0);
    let base_width = start.face_width.unwrap_or(1.0).max(1e-6);
    if base_yaw.abs() > t.neutral_yaw {
        failures.push(LivenessFailure::NotNeutralAtStart);
    }
    let mut cursor = 0;
    let mut previous: Option<Action> = None;
    for (i, f) in &usable {
        let yaw = f.yaw.unwrap_or(0.0);
        let scale = f.face_width.unwrap_or(0.0) / base_width;
        report.max_yaw = report.max_yaw.max(yaw);
        report.min_yaw = report.min_yaw.min(yaw);
        report.max_scale = report.max_scale.max(scale);
        // Turns are measured from the start: cameras are rarely dead ahead.
        let holds = |a: Action| match a {
            Action::TurnLeft => yaw - base_yaw >= t.turn_yaw,
            Action::TurnRight => yaw - base_yaw <= -t.turn_yaw,
            Action::MoveCloser => scale >= t.closer_ratio,
        };
        let Some(&expected) = actions.get(cursor) else { continue };
        if holds(expected) {
            report.seen_at[cursor] = Some(*i);
            previous = Some(expected);
            cursor += 1;
            continue;
        }
        // A turn nobody asked for (still holding the previous action is fine).
        if let Some(wrong) = [Action::TurnLeft, Action::TurnRight]
            .into_iter()
            .find(|a| *a != expected && Some(*a) != previous && holds(*a))
        {
            failures.push(LivenessFailure::ActionOutOfOrder { index: cursor, expected, seen: wrong });
            break;
        }
    }
    if cursor < actions.len() && !failures.iter().any(|f| matches!(f, LivenessFailure::ActionOutOfOrder { .. })) {
        failures.push(LivenessFailure::ActionNotPerformed { index: cursor, action: actions[cursor] });
    }
    report.passed = failures.is_empty();
    report.failures = failures;
    report
}

fn thumb_difference(a: &[u8], b: &[u8]) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return f64::INFINITY;
    }
    a.iter().zip(b).map(|(x, y)| f64::from(x.abs_diff(*y))).sum::<f64>() / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(seed: f32) -> Embedding {
        let mut e = [0f32; 128];
        for (i, v) in e.iter_mut().enumerate() {
            *v = ((i as f32 + seed) * 0.37).sin() * 0.09;
        }
        Embedding(e)
    }

    /// A track: (yaw, face width) per frame, 200 ms apart, with a slightly different thumbnail each.
    fn track(points: &[(f64, f64)], who: &Embedding) -> Vec<FrameObservation> {
        points
            .iter()
            .enumerate()
            .map(|(i, &(yaw, width))| FrameObservation {
                t_ms: i as i64 * 200,
                faces: 1,
                yaw: Some(yaw),
                face_width: Some(width),
                embedding: Some(who.clone()),
                thumbnail: vec![(i * 7 % 250) as u8; 256],
            })
            .collect()
    }

    const LEFT_RIGHT: [(f64, f64); 8] =
        [(0.0, 0.3), (0.05, 0.3), (0.15, 0.3), (0.2, 0.3), (0.05, 0.3), (-0.1, 0.3), (-0.18, 0.3), (0.0, 0.3)];

    #[test]
    fn the_asked_turns_in_order_pass() {
        let me = person(1.0);
        let r = evaluate(
            &[Action::TurnLeft, Action::TurnRight],
            &track(&LEFT_RIGHT, &me),
            Some(&me),
            &LivenessThresholds::default(),
        );
        assert!(r.passed, "{:?}", r.failures);
        assert_eq!(r.seen_at, vec![Some(2), Some(6)]);
    }

    #[test]
    fn turns_in_the_wrong_order_fail_naming_the_action() {
        let me = person(1.0);
        let r = evaluate(
            &[Action::TurnRight, Action::TurnLeft],
            &track(&LEFT_RIGHT, &me),
            Some(&me),
            &LivenessThresholds::default(),
        );
        assert!(!r.passed);
        assert_eq!(
            r.failures,
            vec![LivenessFailure::ActionOutOfOrder { index: 0, expected: Action::TurnRight, seen: Action::TurnLeft }]
        );
    }

    #[test]
    fn a_photo_moved_around_cannot_turn() {
        // Translation and scale change the box, never the nose's place between the eyes.
        let me = person(1.0);
        let pts = [(0.01, 0.3), (0.0, 0.32), (-0.01, 0.36), (0.02, 0.4), (0.0, 0.45), (0.01, 0.42)];
        let r = evaluate(
            &[Action::MoveCloser, Action::TurnLeft],
            &track(&pts, &me),
            Some(&me),
            &LivenessThresholds::default(),
        );
        assert!(!r.passed);
        assert_eq!(r.seen_at[0], Some(3), "moving the photo closer is seen");
        assert_eq!(r.failures, vec![LivenessFailure::ActionNotPerformed { index: 1, action: Action::TurnLeft }]);
    }

    #[test]
    fn another_person_in_the_frames_fails() {
        let me = person(1.0);
        let other = person(40.0);
        assert!(me.distance(&other) > 0.55, "{}", me.distance(&other));
        let mut frames = track(&LEFT_RIGHT, &me);
        frames[5].embedding = Some(other.clone());
        let r = evaluate(&[Action::TurnLeft, Action::TurnRight], &frames, Some(&me), &LivenessThresholds::default());
        assert!(r.failures.contains(&LivenessFailure::DifferentPerson { frame: 5 }));
        // All frames of the other person, compared with my selfie.
        let r = evaluate(
            &[Action::TurnLeft, Action::TurnRight],
            &track(&LEFT_RIGHT, &other),
            Some(&me),
            &LivenessThresholds::default(),
        );
        assert!(r.failures.contains(&LivenessFailure::DifferentPerson { frame: 0 }));
    }

    #[test]
    fn turned_frames_may_drift_a_little_but_not_to_someone_else() {
        let me = person(1.0);
        let mut drifted = me.clone();
        drifted.0[0] += 0.65; // distance 0.65 from me
        let mut frames = track(&LEFT_RIGHT, &me);
        frames[3].embedding = Some(drifted.clone()); // turned (yaw 0.2): tolerated
        let r = evaluate(&[Action::TurnLeft, Action::TurnRight], &frames, Some(&me), &LivenessThresholds::default());
        assert!(r.passed, "{:?}", r.failures);
        frames[1].embedding = Some(drifted); // frontal (yaw 0.05): not tolerated
        let r = evaluate(&[Action::TurnLeft, Action::TurnRight], &frames, Some(&me), &LivenessThresholds::default());
        assert!(r.failures.contains(&LivenessFailure::DifferentPerson { frame: 1 }));
    }

    #[test]
    fn identical_frames_are_a_replayed_still() {
        let me = person(1.0);
        let mut frames = track(&LEFT_RIGHT, &me);
        for f in &mut frames {
            f.thumbnail = vec![80; 256];
        }
        let r = evaluate(&[Action::TurnLeft, Action::TurnRight], &frames, Some(&me), &LivenessThresholds::default());
        assert!(r.failures.contains(&LivenessFailure::RepeatedFrames));
    }

    #[test]
    fn capture_times_must_increase_and_take_time() {
        let me = person(1.0);
        let mut frames = track(&LEFT_RIGHT, &me);
        frames[3].t_ms = frames[2].t_ms;
        let r = evaluate(&[Action::TurnLeft, Action::TurnRight], &frames, Some(&me), &LivenessThresholds::default());
        assert!(r.failures.contains(&LivenessFailure::CaptureTimes));
        let mut frames = track(&LEFT_RIGHT, &me);
        for (i, f) in frames.iter_mut().enumerate() {
            f.t_ms = i as i64; // 8 frames in 7 ms: not a human
        }
        let r = evaluate(&[Action::TurnLeft, Action::TurnRight], &frames, Some(&me), &LivenessThresholds::default());
        assert!(r.failures.contains(&LivenessFailure::CaptureTimes));
    }

    #[test]
    fn absurd_capture_times_fail_without_overflowing() {
        let me = person(1.0);
        let mut frames = track(&LEFT_RIGHT, &me);
        frames[0].t_ms = i64::MIN;
        frames[7].t_ms = i64::MAX;
        let r = evaluate(&[Action::TurnLeft, Action::TurnRight], &frames, Some(&me), &LivenessThresholds::default());
        assert!(r.failures.contains(&LivenessFailure::CaptureTimes));
    }

    #[test]
    fn too_few_frames_or_lost_faces_fail() {
        let me = person(1.0);
        let r = evaluate(&[Action::TurnLeft], &track(&LEFT_RIGHT[..2], &me), Some(&me), &LivenessThresholds::default());
        assert!(matches!(r.failures[..], [LivenessFailure::FrameCount { got: 2, .. }]));
        let mut frames = track(&LEFT_RIGHT, &me);
        for f in frames.iter_mut().take(4) {
            f.faces = 0;
            f.yaw = None;
        }
        let r = evaluate(&[Action::TurnLeft, Action::TurnRight], &frames, Some(&me), &LivenessThresholds::default());
        assert_eq!(r.failures, vec![LivenessFailure::FaceMissing { frames: 4 }]);
        let mut frames = track(&LEFT_RIGHT, &me);
        frames[1].faces = 2;
        let r = evaluate(&[Action::TurnLeft, Action::TurnRight], &frames, Some(&me), &LivenessThresholds::default());
        assert!(r.failures.contains(&LivenessFailure::MultipleFaces { frame: 1 }));
    }

    #[test]
    fn starting_turned_fails() {
        let me = person(1.0);
        let mut pts = LEFT_RIGHT;
        pts[0].0 = 0.25;
        let r = evaluate(
            &[Action::TurnLeft, Action::TurnRight],
            &track(&pts, &me),
            Some(&me),
            &LivenessThresholds::default(),
        );
        assert!(r.failures.contains(&LivenessFailure::NotNeutralAtStart));
    }

    #[test]
    fn move_closer_is_measured_against_the_start() {
        let me = person(1.0);
        let pts = [(0.0, 0.3), (0.0, 0.33), (0.0, 0.39), (0.1, 0.39), (0.16, 0.38), (0.0, 0.36)];
        let r = evaluate(
            &[Action::MoveCloser, Action::TurnLeft],
            &track(&pts, &me),
            Some(&me),
            &LivenessThresholds::default(),
        );
        assert!(r.passed, "{:?}", r.failures);
        assert_eq!(r.seen_at, vec![Some(2), Some(4)]);
    }

    #[test]
    fn challenges_have_two_or_three_actions_a_turn_and_no_repeats() {
        let mut seen = std::collections::HashSet::new();
        for seed in 0..5000u64 {
            let c = challenge_from(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            assert!((2..=3).contains(&c.len()));
            assert!(c.iter().any(|a| a.is_turn()), "{c:?}");
            assert!(c.windows(2).all(|w| w[0] != w[1]), "{c:?}");
            seen.insert(c);
        }
        // 2-action: 6 sequences minus none without a turn; 3-action: 12 — all reachable.
        assert!(seen.len() >= 16, "{}", seen.len());
    }
}
