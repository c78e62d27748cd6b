//! The applicant's verification: levels of steps (personal information, document images,
//! selfie), submission, retry after a fixable rejection, and the decision record.

pub mod admin;
pub mod checks;
pub mod domain;
pub mod extract;
pub mod face;
pub mod gate;
pub mod images;
pub mod json;
pub mod liveness;
pub mod model;
pub mod personal;
pub mod quality;
pub mod routes;
pub mod rules;
pub mod service;
mod upload;
