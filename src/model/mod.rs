//! The detector: a fitted feature spec, an MLP and a decision threshold.

mod detector;
mod file;
mod fit;
mod gradient;
mod kernels;
mod mlp;
mod rows;
mod train;

pub use detector::{Contribution, Explanation, Model, Scorer};
pub use file::{
    Baseline, LayerFile, ModelError, ModelFile, Provenance, SeedStudy, Training, FORMAT, MAX_BINS,
    MAX_CURVE_POINTS, MAX_LIST, MAX_PARAMETERS, MAX_WIDTH, VERSION,
};
pub use fit::{
    best_balanced_threshold, evaluate, fit, network_trainer, FitError, FoldTrainer, Folds,
    Progress, Recipe, ThresholdRule,
};
pub use gradient::{bce, Backprop, Gradients};
pub use mlp::{sigmoid, Activation, Activations, Dense, Mlp, Scratch};
pub use train::{balanced_loss, Labelled, Optimizer, TrainConfig, TrainError, TrainLog, Trainer};
