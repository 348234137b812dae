//! The detector: a fitted feature spec, an MLP and a decision threshold.

mod detector;
mod explain;
mod file;
mod file_text;
mod fit;
mod fit_run;
mod gradient;
mod kernels;
mod mlp;
mod rows;
mod shapley;
mod train;

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
pub use train::{balanced_loss, Labelled, Optimizer, TrainConfig, TrainError, TrainLog, Trainer};
