//! The wasm face: the page's only door into the core, and nothing else.
//!
//! Each concern is a plain Rust type that native tests drive directly, with a separate
//! `#[wasm_bindgen] impl` on top that converts JS values in and out (serde-wasm-bindgen) and
//! turns the core's errors into JS `Error`s carrying their `Display` message. No model logic
//! lives in JavaScript: the page asks this module for every number it shows.
//!
//! - [`report`]: a loaded model and the evaluation the page shows, its numbers at any threshold,
//!   its charts drawn onto canvases by id ([`canvas`]) and the cost of a threshold.
//! - [`digest`]: a model file checked in the Web Worker and handed to the page as compact data.
//! - [`event`]: the single-event form (fields, example presets) and its explanation, on the
//!   page or, for a wide network, in the Web Worker ([`Explainer`]).
//! - [`session`]: a CSV streamed through the model in chunks (evaluated when labelled, scored
//!   to a CSV otherwise), for the page's Web Worker; [`source`] is where its bytes come from;
//!   [`alerts`], the alerts it groups the rows into.
//!   [`progress`] is what it and the training session report as they advance.
//! - [`training`]: a model trained step by step on an uploaded labelled CSV;
//!   [`anomaly_training`], an anomaly model fitted on a file with or without labels.
//! - [`anomaly`]: what the page holds of an anomaly model (its report, not the model).
//!
//! The page and its Web Worker each load a build of their own, with only the exports they call,
//! so that the page's wasm carries no CSV reader, gzip, SHA-256 or trainer: feature `page` has
//! the report ([`Report`] and the charts), feature `worker` the jobs ([`ScoreSession`],
//! [`TrainingSession`]). Both are on by default (native builds, tests, a one-module build).
//!
//! # What crosses, and how it is spelled
//!
//! Every data field that crosses between JavaScript and this module, in either direction, is
//! snake_case, as the Rust field is and as the model file (`data/model.json`) is: the page
//! reads parts of the model file through this module, so one spelling serves both. This holds
//! for the values made by serde ([`TrainRequest`] in; `Info`, `Summary`, [`Progress`],
//! [`Outcome`]… out) and for the messages between the page and its Web Worker that carry
//! them (`www/worker.js`). Names of exported classes and methods are JavaScript's camelCase
//! (`js_name`), as are the page's own variables: only data fields follow the rule.
//!
//! Each serde value has a TypeScript declaration in `www/types.d.ts`, matching its Rust type
//! field for field; the exports name them (`unchecked_return_type`, `unchecked_param_type`)
//! so that the `.d.ts` wasm-bindgen generates is typed, and `make typecheck` checks the page's
//! JavaScript against both. A field renamed or added here must be changed there too.

pub mod alerts;
pub mod anomaly;
#[cfg(feature = "worker")]
pub mod anomaly_training;
pub mod canvas;
pub mod compare;
pub mod digest;
pub mod event;
#[cfg(feature = "worker")]
pub mod export;
pub mod progress;
pub mod report;
pub mod session;
pub mod source;
#[cfg(feature = "worker")]
pub mod training;
pub mod verdicts;

pub use compare::CompareSession;
pub use digest::Digest;
pub use event::Explainer;
pub use progress::Progress;
pub use report::Report;
pub use session::{Outcome, ScoreSession};
pub use source::Source;
#[cfg(feature = "worker")]
pub use training::{TrainRequest, TrainingSession};
pub use verdicts::VerdictSession;

use cyber_attack_detector::ingest::IngestError;
use cyber_attack_detector::model::ModelError;
use std::fmt;

/// Why the face could not do what the page asked; its message is what the page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum WebError {
    /// A CSV that cannot be read, with file, line and column.
    Input(IngestError),
    /// A model file that cannot be loaded.
    Model(ModelError),
    /// Settings or values typed on the page that are out of range.
    Request(String),
}

impl fmt::Display for WebError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebError::Input(e) => e.fmt(f),
            WebError::Model(e) => e.fmt(f),
            WebError::Request(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for WebError {}

impl From<IngestError> for WebError {
    fn from(e: IngestError) -> Self {
        WebError::Input(e)
    }
}

impl From<ModelError> for WebError {
    fn from(e: ModelError) -> Self {
        WebError::Model(e)
    }
}

/// Any core error as a JS `Error` with the core's message: the one place errors cross.
#[cfg(any(feature = "page", feature = "worker", feature = "alert-charts"))]
fn js_error(error: impl fmt::Display) -> wasm_bindgen::JsError {
    wasm_bindgen::JsError::new(&error.to_string())
}

/// The declarations the exports' `unchecked_return_type`s and `unchecked_param_type`s name,
/// imported into the generated `.d.ts` from `www/types.d.ts` (one level above `www/pkg` and
/// `www/pkg-worker` and `www/pkg-alerts`, where `make build` puts them).
#[cfg(any(feature = "page", feature = "worker", feature = "alert-charts"))]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"import type {
    AlertChanges, AnomalyRequest, AnomalyTrained, AtPrevalence, CostReport, Evaluation, EventForm,
    Explanation, Histogram, Info, Judged, Outcome, ProcessTree, Progress, Summary, Timeline,
    TrainRequest, VerdictRequest, Written,
} from "../types";"#;

/// A JS value read as `T` through JSON text, by serde_json: reading the JS object directly with
/// serde-wasm-bindgen would compile a second reader of each type into the page's wasm. `what`
/// names the value in the error.
#[cfg(any(feature = "page", feature = "alert-charts"))]
fn from_js<T: serde::de::DeserializeOwned>(
    value: &wasm_bindgen::JsValue,
    what: &str,
) -> Result<T, wasm_bindgen::JsError> {
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| wasm_bindgen::JsError::new(&format!("expected {what}")))?;
    serde_json::from_str(&text).map_err(js_error)
}

/// A result as a plain JS value (objects, arrays, numbers; no `Map`s or `BigInt`s).
#[cfg(any(feature = "page", feature = "worker"))]
fn to_js<T: serde::Serialize + ?Sized>(
    value: &T,
) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsError> {
    let text = serde_json::to_string(value).map_err(js_error)?;
    js_sys::JSON::parse(&text).map_err(|_| wasm_bindgen::JsError::new("unreadable JSON"))
}
