//! cyber-attack-detector: a threat detector for Linux kernel process events (the BETH dataset).
//!
//! Data flows one way through plain modules that know nothing of the browser:
//! bytes → [`ingest`] (records) → [`features`] (matrix) → [`model`] (scores) → [`metrics`]
//! → [`charts`]. [`web`] is the thin wasm-bindgen face; `src/main.rs` is the native CLI.

pub mod charts;
pub mod evaluation;
pub mod features;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod rng;
pub mod web;
