//! cyber-attack-detector: a threat detector for Linux kernel process events (the BETH dataset).
//!
//! Data flows one way through plain modules that know nothing of the browser:
//! bytes → [`ingest`] (records) → [`features`] (matrix) → [`model`] (scores) → [`metrics`]
//! → [`charts`]. Nothing here knows of the browser: the thin faces live in their own crates,
//! `crates/web` (the wasm-bindgen face the page loads) and `crates/cli` (the native CLI).

pub mod charts;
pub mod evaluation;
pub mod features;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod rng;
