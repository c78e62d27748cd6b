//! Human review: the queue of cases the decision rules could not settle, one reviewer's
//! claim at a time, the case view with its evidence, decisions with reasons (a final
//! rejection optionally confirmed by a second reviewer), and each reviewer's audit trail.

pub mod cases;
pub mod json;
pub mod routes;
mod view;
