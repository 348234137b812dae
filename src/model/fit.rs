//! Recipes and the fitting protocol: fit the features and network on the training rows, choose
//! the threshold by cross-validation within them, and evaluate on rows never trained on.

use super::detector::Model;
use super::file::{Provenance, Training};
use super::train::{Labelled, TrainConfig, TrainError, Trainer};
use crate::evaluation::{DataSummary, Evaluation, FeatureImportance, Summary};
use crate::features::{FeatureSet, FeatureSpec};
use crate::ingest::{Events, Field};
use crate::metrics::{permutation_importance, Confusion};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// How the decision threshold is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdRule {
    /// This threshold, in [0, 1], whatever the data (the reference recipe's 0.5).
    Fixed(f32),
    /// Maximise balanced accuracy (TPR + TNR) / 2 on out-of-fold scores of `folds`-fold
    /// cross-validation, folds grouped by host when there are enough hosts. Balanced accuracy
    /// does not depend on the class mix, which shifts from ~0.2% to ~91% suspicious in BETH.
    CrossValidated {
        /// Number of folds; fewer than 2 count as 2.
        folds: usize,
    },
}

/// Features, training settings and threshold rule: everything a training run needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recipe {
    /// The preset's name (`reference`, `default`, `lineage`), or `custom`; stored in the model
    /// file.
    pub preset: String,
    /// The feature set fitted on the training rows.
    pub features: FeatureSet,
    /// How the network is trained.
    pub config: TrainConfig,
    /// How the decision threshold is chosen.
    pub threshold: ThresholdRule,
}

impl Recipe {
    /// `reference` (the system we replace) or `default` (ours).
    pub fn preset(name: &str) -> Option<Recipe> {
        match name {
            "reference" => Some(Recipe {
                preset: name.into(),
                features: FeatureSet::Reference,
                config: TrainConfig::reference(),
                threshold: ThresholdRule::Fixed(0.5),
            }),
            "default" | "lineage" => Some(Recipe {
                preset: name.into(),
                features: if name == "default" {
                    FeatureSet::Binarised
                } else {
                    FeatureSet::Lineage
                },
                config: TrainConfig::default_recipe(),
                threshold: ThresholdRule::CrossValidated { folds: 5 },
            }),
            _ => None,
        }
    }

    /// The fields the recipe's features read: the columns a training file must have.
    pub fn fields(&self) -> Vec<Field> {
        FeatureSpec::fields_of(self.features)
    }
}

/// Progress reports while fitting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Progress {
    /// Training the network for cross-validation fold `fold` (1-based) of `folds`.
    Fold { fold: usize, folds: usize },
    /// A gradient step of the current network.
    Step {
        step: usize,
        max_steps: usize,
        loss: f32,
    },
}

/// Why fitting failed.
#[derive(Clone, Debug, PartialEq)]
pub enum FitError {
    /// The training rows lack this field's column.
    MissingField(Field),
    /// The training rows have no `sus` labels.
    Unlabelled,
    /// The trainer refused the rows or the settings.
    Train(TrainError),
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FitError::MissingField(field) => {
                write!(f, "the training rows lack the column {:?}", field.column())
            }
            FitError::Unlabelled => {
                f.write_str("training needs a labelled file: expected a column named \"sus\"")
            }
            FitError::Train(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for FitError {}

impl From<TrainError> for FitError {
    fn from(e: TrainError) -> Self {
        FitError::Train(e)
    }
}

fn labelled(spec: &FeatureSpec, events: &Events) -> Result<Labelled, FitError> {
    let y = events.sus.clone().ok_or(FitError::Unlabelled)?;
    let x = spec.matrix(events).map_err(FitError::MissingField)?;
    Ok(Labelled { x, y })
}

/// Fits the features on `events` and sets up a trainer of `config` on them (the monotone
/// features constrained); `validation`, when given, drives the stopping rule.
pub fn network_trainer(
    features: FeatureSet,
    config: &TrainConfig,
    events: &Events,
    validation: Option<&Events>,
) -> Result<(FeatureSpec, Trainer), FitError> {
    let spec = FeatureSpec::fit(features, events);
    let data = labelled(&spec, events)?;
    let validation = validation.map(|v| labelled(&spec, v)).transpose()?;
    let mut trainer = Trainer::new(config.clone(), data, validation)?;
    let monotone: Vec<usize> = (0..spec.len())
        .filter(|&k| spec.features[k].monotone)
        .collect();
    trainer.constrain_monotone(&monotone);
    Ok((spec, trainer))
}

/// Fits features and network on `events`; `validation`, when given, drives the stopping rule.
fn fit_network(
    recipe: &Recipe,
    events: &Events,
    validation: Option<&Events>,
    progress: &mut dyn FnMut(Progress),
) -> Result<(FeatureSpec, super::Mlp, super::TrainLog), FitError> {
    let (spec, mut trainer) = network_trainer(recipe.features, &recipe.config, events, validation)?;
    step_to_end(&mut trainer, progress);
    let (mlp, log) = trainer.finish();
    Ok((spec, mlp, log))
}

/// Steps `trainer` until it stops, reporting each step.
fn step_to_end(trainer: &mut Trainer, progress: &mut dyn FnMut(Progress)) {
    while let Some(loss) = trainer.step() {
        progress(Progress::Step {
            step: trainer.steps_done(),
            max_steps: trainer.max_steps(),
            loss,
        });
    }
}

/// Fits a complete model with `recipe` on `events`.
pub fn fit(
    recipe: &Recipe,
    events: &Events,
    training_data: Vec<DataSummary>,
    validation: Option<&Events>,
    command: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<Model, FitError> {
    let (threshold, rule, cross_validation) = match recipe.threshold {
        ThresholdRule::Fixed(t) => (t, format!("fixed at {t}"), None),
        ThresholdRule::CrossValidated { folds } => {
            let folds = Folds::new(events, folds, recipe.config.seed);
            let (scores, labels) = out_of_fold_scores(recipe, events, &folds, progress)?;
            let (t, rule, summary) = folds.threshold(&scores, &labels);
            (t, rule, Some(summary))
        }
    };
    let (spec, mlp, log) = fit_network(recipe, events, validation, progress)?;
    let (benign, suspicious) = events.class_counts();
    Ok(Model {
        spec,
        mlp,
        threshold,
        training: Training {
            preset: recipe.preset.clone(),
            config: recipe.config.clone(),
            log,
            threshold_rule: rule,
            cross_validation,
        },
        provenance: Provenance {
            tool: format!("cyber-attack-detector {}", env!("CARGO_PKG_VERSION")),
            command: command.to_string(),
            training_data,
            protocol: format!(
                "network and feature scaling fitted on {} rows ({benign} benign, {suspicious} suspicious)",
                events.len()
            ),
        },
        evaluation: None,
        baseline: None,
        seed_study: None,
    })
}

/// Cross-validation folds of a set of training rows: grouped by host when there are at least
/// as many hosts as folds (hosts dealt round-robin, so no host is both trained and tested on),
/// random otherwise.
#[derive(Clone, Debug, PartialEq)]
pub struct Folds {
    fold_of: Vec<usize>,
    count: usize,
    grouping: String,
}

impl Folds {
    pub fn new(events: &Events, folds: usize, seed: u64) -> Folds {
        let n = events.len();
        let hosts = events.host_names.len();
        let count = folds.max(2);
        let (fold_of, grouping) = if hosts >= count && events.host.len() == n {
            let fold_of = events.host.iter().map(|&h| h as usize % count).collect();
            (fold_of, format!("grouped by host, {hosts} hosts"))
        } else {
            let mut order: Vec<usize> = (0..n).collect();
            Rng::new(seed ^ 0xC0FFEE).shuffle(&mut order);
            let mut fold_of = vec![0; n];
            for (k, &i) in order.iter().enumerate() {
                fold_of[i] = k % count;
            }
            (fold_of, "random folds".to_string())
        };
        Folds {
            fold_of,
            count,
            grouping,
        }
    }

    pub fn count(&self) -> usize {
        self.count
    }

    /// The network of fold `fold`, set up on its training rows of `events`; `None` when the
    /// fold holds out no rows or its training rows hold one class only (such folds are
    /// skipped).
    pub fn trainer(
        &self,
        fold: usize,
        features: FeatureSet,
        config: &TrainConfig,
        events: &Events,
    ) -> Result<Option<FoldTrainer>, FitError> {
        let (train, held_out): (Vec<usize>, Vec<usize>) =
            (0..self.fold_of.len()).partition(|&i| self.fold_of[i] != fold);
        if held_out.is_empty() {
            return Ok(None);
        }
        match network_trainer(features, config, &events.select(&train), None) {
            Ok((spec, trainer)) => Ok(Some(FoldTrainer {
                fold,
                spec,
                trainer,
                held_out,
            })),
            Err(FitError::Train(TrainError::SingleClass { .. })) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The threshold that maximises balanced accuracy on out-of-fold `scores`, the rule's
    /// description and the out-of-fold results at that threshold.
    pub fn threshold(&self, scores: &[f32], labels: &[u8]) -> (f32, String, Summary) {
        let t = best_balanced_threshold(scores, labels);
        let rule = format!(
            "maximises balanced accuracy on out-of-fold scores of {}-fold cross-validation ({}) within the training rows",
            self.count, self.grouping
        );
        (t, rule, Summary::compute(scores, labels, t))
    }
}

/// A cross-validation fold's network being trained, and the rows it holds out.
pub struct FoldTrainer {
    /// The fold's index, from 0.
    pub fold: usize,
    pub spec: FeatureSpec,
    pub trainer: Trainer,
    held_out: Vec<usize>,
}

impl FoldTrainer {
    /// Appends the scores of the fold's held-out rows of `events` by its trained network,
    /// and their labels.
    pub fn score_held_out(
        self,
        events: &Events,
        scores: &mut Vec<f32>,
        labels: &mut Vec<u8>,
    ) -> Result<(), FitError> {
        let (mlp, _) = self.trainer.finish();
        let held = events.select(&self.held_out);
        let x = self.spec.matrix(&held).map_err(FitError::MissingField)?;
        scores.extend(mlp.predict(&x));
        labels.extend(held.sus.as_deref().ok_or(FitError::Unlabelled)?);
        Ok(())
    }
}

/// Out-of-fold scores: each row scored by a network that never saw it (nor its host, when
/// folds are grouped by host), with its label. Folds whose training part has one class only
/// are skipped.
fn out_of_fold_scores(
    recipe: &Recipe,
    events: &Events,
    folds: &Folds,
    progress: &mut dyn FnMut(Progress),
) -> Result<(Vec<f32>, Vec<u8>), FitError> {
    let mut scores = Vec::with_capacity(events.len());
    let mut kept = Vec::with_capacity(events.len());
    for fold in 0..folds.count() {
        progress(Progress::Fold {
            fold: fold + 1,
            folds: folds.count(),
        });
        if let Some(mut network) = folds.trainer(fold, recipe.features, &recipe.config, events)? {
            step_to_end(&mut network.trainer, progress);
            network.score_held_out(events, &mut scores, &mut kept)?;
        }
    }
    Ok((scores, kept))
}

/// The threshold on a 0.001 grid that maximises balanced accuracy; among equally good
/// thresholds, the middle of the widest run, so it sits away from both classes.
pub fn best_balanced_threshold(scores: &[f32], labels: &[u8]) -> f32 {
    let grid: Vec<f32> = (1..1000).map(|k| k as f32 / 1000.0).collect();
    let values: Vec<f64> = Confusion::at_each(scores, labels, &grid)
        .iter()
        .map(|c| {
            let r = c.rates();
            (r.recall + r.specificity) / 2.0
        })
        .collect();
    let best = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !best.is_finite() {
        return 0.5;
    }
    // Widest run of grid points within a hair of the best.
    let (mut run_start, mut best_run) = (None, (0usize, 0usize));
    for (k, &v) in values.iter().enumerate() {
        if v >= best - 1e-12 {
            let start = *run_start.get_or_insert(k);
            if k - start >= best_run.1 - best_run.0 {
                best_run = (start, k);
            }
        } else {
            run_start = None;
        }
    }
    grid[(best_run.0 + best_run.1) / 2]
}

/// Evaluates `model` on labelled `events`, with per-host results and permutation importance.
pub fn evaluate(
    model: &Model,
    events: &Events,
    labels: &[u8],
    data: DataSummary,
) -> Result<Evaluation, Field> {
    let x = model.spec.matrix(events)?;
    let scores = model.mlp.predict(&x);
    let mut rng = Rng::new(model.training.config.seed);
    let drops = permutation_importance(&x, labels, &|m| model.mlp.predict(m), 3, &mut rng);
    let importance = model
        .spec
        .names()
        .into_iter()
        .zip(drops)
        .map(|(feature, auc_drop)| FeatureImportance { feature, auc_drop })
        .collect();
    Ok(Evaluation::compute(
        data,
        &scores,
        labels,
        model.threshold,
        (&events.host, &events.host_names),
        importance,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_threshold_sits_in_the_middle_of_the_gap() {
        // Benign at most 0.2, suspicious from 0.6: every threshold in (0.2, 0.6] is perfect.
        let scores = [0.1, 0.2, 0.6, 0.9];
        let labels = [0, 0, 1, 1];
        let t = best_balanced_threshold(&scores, &labels);
        assert!((t - 0.4).abs() < 0.002, "{t}");
    }

    #[test]
    fn presets_exist() {
        assert_eq!(
            Recipe::preset("reference").map(|r| r.config.max_steps),
            Some(30)
        );
        assert_eq!(
            Recipe::preset("default").map(|r| r.features),
            Some(FeatureSet::Binarised)
        );
        assert!(Recipe::preset("nope").is_none());
    }
}
