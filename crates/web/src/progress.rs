//! Where a session of the page's worker is, for its progress bar.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Reading,
    Training,
    /// Training the cross-validation folds' networks that choose the threshold.
    Validating,
    Evaluating,
}

/// Where a session is, for the progress bar: `done` of `total` (bytes while reading, steps
/// while training).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub done: f64,
    pub total: f64,
    pub rows: usize,
    /// Nothing is left to advance: call `finish`.
    pub finished: bool,
    /// Training losses of the steps since the last report.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub loss: Vec<f32>,
}
