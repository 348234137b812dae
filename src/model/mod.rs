//! The detectors: a fitted feature spec, an MLP (or, for the anomaly model, per-feature histograms
//! or an isolation forest) and a decision threshold.

mod anomaly;
mod detect;
mod detector;
mod explain;
mod file;
mod file_text;
mod fit;
mod fit_run;
mod gradient;
mod kernels;
mod mlp;
mod precedent;
mod rows;
mod shapley;
mod train;

pub use anomaly::{
    allowed_alerts, average_path, budget_threshold, fit_anomaly, fit_anomaly_calibrated,
    is_anomaly_file, AnomalyConfig, AnomalyError, AnomalyFile, AnomalyMethod, AnomalyModel,
    AnomalyTraining, Bins, Compared, Estimator, Forest, Histograms, MethodScore, SeedRow, Tree,
    KIND, MAX_NODES, MAX_TREES, MAX_VALUES,
};
pub use detect::{AnyModel, Detect};
pub use detector::{Model, Scorer};
pub use explain::{Contribution, Explanation, FeatureValue, Method, BUDGET};
pub use file::{
    Baseline, LayerFile, ModelError, ModelFile, Provenance, SeedStudy, Training, FORMAT, MAX_BINS,
    MAX_CURVE_POINTS, MAX_LIST, MAX_PARAMETERS, MAX_SEEDS, MAX_WIDTH, VERSION,
};
pub use fit::{
    best_balanced_threshold, evaluate, stratified_split, FitError, Recipe, ThresholdRule,
};
pub use fit_run::{fit, FitProgress, FitRun, Network, Origin};
pub use gradient::{bce, Backprop, Gradients};
pub use mlp::{sigmoid, Activation, Activations, Dense, Mlp, Scratch};
pub use precedent::{Known, Precedent, Precedents, Said, MAX_PRECEDENTS, MAX_PRECEDENT_VALUES};
pub use train::{balanced_loss, Labelled, Optimizer, TrainConfig, TrainError, TrainLog, Trainer};
