//! Black-box tests of the ekyc API over real HTTP, against real PostgreSQL and S3.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod documents;
mod faces_fixtures;
mod fixtures;
mod helpers;

mod auth;
mod bench;
mod catalogue;
mod errors;
mod faces;
mod handoff;
mod health;
mod jobs;
mod jwt_attacks;
mod notify;
mod openapi;
mod review;
mod roles;
mod verification;
