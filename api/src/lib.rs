//! ekyc: a self-hostable identity-verification service.
//!
//! `app`, `startup`, `router`, `openapi`, `error`, `config`, `telemetry` are the service
//! frame; `db`, `storage`, `jobs`, `audit`, `ratelimit` are infrastructure that knows no
//! domain; `auth` and the later domains own their routes, wire types and rows.

pub mod admin;
pub mod app;
pub mod audit;
pub mod auth;
pub mod catalogue;
pub mod config;
pub mod db;
pub mod error;
pub mod faces;
pub mod handoff;
pub mod health;
pub mod idempotency;
pub mod jobs;
pub mod notify;
pub mod openapi;
pub mod pii;
pub mod ratelimit;
pub mod review;
pub mod router;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod verification;
