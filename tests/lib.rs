//! Placeholder library so the tests package has a target; the tests live in `api/`.
