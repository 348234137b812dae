//! Recipes and the parts of the fitting protocol that [`super::FitRun`] runs: the features and
//! network fitted on the training rows, cross-validation folds within them for the threshold,
//! the held-out split, and the evaluation on rows never trained on.

use super::detector::Model;
use super::train::{Labelled, TrainConfig, TrainError, Trainer};
use crate::evaluation::{DataSummary, Evaluation, FeatureImportance, Summary};
use crate::features::{FeatureSet, FeatureSpec};
use crate::ingest::{Events, Field};
use crate::metrics::{middle_of_widest_run, permutation_importance, Confusion};
use crate::rng::Rng;
use ndarray::Array2;
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
            "default" | "lineage" | "names" => Some(Recipe {
                preset: name.into(),
                features: match name {
                    "default" => FeatureSet::Binarised,
                    "names" => FeatureSet::Names,
                    _ => FeatureSet::Lineage,
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
pub(super) fn network_trainer(
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

/// Cross-validation folds of a set of training rows: grouped by host when there are at least
/// as many hosts as folds (hosts dealt round-robin, so no host is both trained and tested on),
/// random otherwise.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Folds {
    fold_of: Vec<usize>,
    count: usize,
    grouping: String,
}

impl Folds {
    pub(super) fn new(events: &Events, folds: usize, seed: u64) -> Folds {
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

    pub(super) fn count(&self) -> usize {
        self.count
    }

    /// The network of fold `fold`, set up on its training rows of `events`; `None` when the
    /// fold holds out no rows or its training rows hold one class only (such folds are
    /// skipped).
    pub(super) fn trainer(
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
    /// description and the out-of-fold results at that threshold; `skipped` folds gave no
    /// scores.
    pub(super) fn threshold(
        &self,
        scores: &[f32],
        labels: &[u8],
        skipped: usize,
    ) -> (f32, String, Summary) {
        let t = best_balanced_threshold(scores, labels);
        let mut rule = format!(
            "maximises balanced accuracy on out-of-fold scores of {}-fold cross-validation ({}) within the training rows",
            self.count, self.grouping
        );
        if skipped > 0 {
            rule += &format!(
                "; {skipped} of the {} folds skipped ({SKIPPED})",
                self.count
            );
        }
        (t, rule, Summary::with_intervals(scores, labels, t))
    }

    /// The rule when every fold was skipped.
    pub(super) fn fallback_rule(&self) -> String {
        format!(
            "maximises balanced accuracy on the training rows' own scores: every fold of {}-fold cross-validation ({}) was skipped ({SKIPPED})",
            self.count, self.grouping
        )
    }
}

/// Why a fold is skipped.
const SKIPPED: &str = "no held-out rows, or training rows of one class";

/// A cross-validation fold's network being trained, and the rows it holds out.
pub(super) struct FoldTrainer {
    /// The fold's index, from 0.
    pub(super) fold: usize,
    spec: FeatureSpec,
    pub(super) trainer: Trainer,
    held_out: Vec<usize>,
}

impl FoldTrainer {
    /// Appends the scores of the fold's held-out rows of `events` by its trained network,
    /// and their labels.
    pub(super) fn score_held_out(
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
    // Grid points within a hair of the best.
    match middle_of_widest_run(values.iter().map(|&v| v >= best - 1e-12)) {
        Some(k) => grid[k],
        None => 0.5,
    }
}

/// Salt of the split's generator, so it does not replay the training generator's draws.
const SPLIT_SALT: u64 = 0x5EED_5B17;

/// Rows of each class shuffled with `seed`, a `fraction` of each held out (at least one row of
/// a class with two or more, and never all of it): the training and the held-out rows.
pub fn stratified_split(labels: &[u8], fraction: f64, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let mut rng = Rng::new(seed ^ SPLIT_SALT);
    let (mut train, mut held) = (Vec::new(), Vec::new());
    for class in [0, 1] {
        let mut rows: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        rng.shuffle(&mut rows);
        let n = rows.len();
        let take = ((n as f64 * fraction).round() as usize)
            .clamp(usize::from(n >= 2), n.saturating_sub(1));
        held.extend_from_slice(&rows[..take]);
        train.extend_from_slice(&rows[take..]);
    }
    train.sort_unstable();
    held.sort_unstable();
    (train, held)
}

/// Multiply-adds that permutation importance may spend: features × repeats × rows × the
/// network's multiply-adds per row. The shipped model on BETH's 4,394 test rows needs about
/// 0.23 G; a valid model file can be 4096 inputs wide with a 4096 × 976 layer, whose importance
/// on 400 rows alone would be 2·10¹⁶ (days). Beyond the budget importance uses fewer rows.
const IMPORTANCE_WORK: u64 = 1_000_000_000;
/// Fewest rows importance is computed on; a model too large for that many within the budget
/// gets no importance at all rather than a noisy one.
const IMPORTANCE_MIN_ROWS: usize = 200;
/// Shuffles per feature.
const IMPORTANCE_REPEATS: usize = 3;

/// How many of `rows` rows permutation importance of a network with `multiply_adds` per row
/// over `features` features may use within [`IMPORTANCE_WORK`]: all of them, fewer, or 0 when
/// even [`IMPORTANCE_MIN_ROWS`] (or all rows, if fewer) would not fit.
fn importance_rows(multiply_adds: u64, features: usize, rows: usize) -> usize {
    let per_row = multiply_adds
        .saturating_mul(features as u64)
        .saturating_mul(IMPORTANCE_REPEATS as u64)
        .max(1);
    let affordable = usize::try_from(IMPORTANCE_WORK / per_row).unwrap_or(usize::MAX);
    if affordable < IMPORTANCE_MIN_ROWS.min(rows) {
        0
    } else {
        affordable.min(rows)
    }
}

/// Evaluates `model` on labelled `events`, with per-host results and permutation importance
/// (on as many rows as [`IMPORTANCE_WORK`] allows, chosen at random with the model's seed).
pub fn evaluate(
    model: &Model,
    events: &Events,
    labels: &[u8],
    data: DataSummary,
) -> Result<Evaluation, Field> {
    let x = model.spec.matrix(events)?;
    let scores = model.mlp.predict(&x);
    let mut rng = Rng::new(model.training.config.seed);
    let multiply_adds = model.mlp.layers.iter().map(|l| l.inputs() * l.outputs());
    let keep = importance_rows(
        multiply_adds.sum::<usize>() as u64,
        model.spec.names().len(),
        labels.len(),
    );
    let score = |m: &Array2<f32>| model.mlp.predict(m);
    let importance = sampled_importance(&x, labels, model.spec.names(), &score, keep, &mut rng);
    Ok(Evaluation::compute(
        data,
        &scores,
        labels,
        model.threshold,
        (&events.host, &events.host_names),
        importance,
    )
    .with_evil(&scores, events.evil.as_deref()))
}

/// Each feature's permutation importance (features named by `names`) for `score`, on `keep` of
/// the rows of `x`: all of them, none (no importance), or that many chosen at random with `rng`.
pub(super) fn sampled_importance(
    x: &Array2<f32>,
    labels: &[u8],
    names: Vec<String>,
    score: &dyn Fn(&Array2<f32>) -> Vec<f32>,
    keep: usize,
    rng: &mut Rng,
) -> Vec<FeatureImportance> {
    let drops = if keep == labels.len() {
        permutation_importance(x, labels, score, IMPORTANCE_REPEATS, rng)
    } else if keep == 0 {
        Vec::new()
    } else {
        let mut rows: Vec<usize> = (0..labels.len()).collect();
        rng.shuffle(&mut rows);
        rows.truncate(keep);
        rows.sort_unstable();
        let part = x.select(ndarray::Axis(0), &rows);
        let part_labels: Vec<u8> = rows.iter().map(|&i| labels[i]).collect();
        permutation_importance(&part, &part_labels, score, IMPORTANCE_REPEATS, rng)
    };
    names
        .into_iter()
        .zip(drops)
        .map(|(feature, auc_drop)| FeatureImportance { feature, auc_drop })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importance_work_is_bounded() {
        // The shipped network (6 → 64 → 32 → 16 → 1) on BETH's 4,394 test rows: every row.
        let shipped = 6 * 64 + 64 * 32 + 32 * 16 + 16;
        assert_eq!(importance_rows(shipped, 6, 4_394), 4_394);
        // 10⁹ / (2960 × 6 × 3) = 18,768 rows at most.
        assert_eq!(importance_rows(shipped, 6, 1_000_000), 18_768);
        // The widest valid model: not even 200 rows fit, so no importance.
        let wide = 4096 * 976 + 976;
        assert_eq!(importance_rows(wide, 4096, 400), 0);
        // A tiny file gets all its rows when they fit, even fewer than the minimum.
        assert_eq!(importance_rows(shipped, 6, 3), 3);
        assert_eq!(importance_rows(u64::MAX, usize::MAX, 3), 0);
    }

    #[test]
    fn balanced_threshold_sits_in_the_middle_of_the_gap() {
        // Benign at most 0.2, suspicious from 0.6: every threshold in (0.2, 0.6] is perfect.
        let scores = [0.1, 0.2, 0.6, 0.9];
        let labels = [0, 0, 1, 1];
        let t = best_balanced_threshold(&scores, &labels);
        assert!((t - 0.4).abs() < 0.002, "{t}");
    }

    #[test]
    fn split_is_stratified_and_seeded() {
        let labels: Vec<u8> = (0..100).map(|i| u8::from(i % 5 == 0)).collect();
        let (train, held) = stratified_split(&labels, 0.25, 1);
        assert_eq!((train.len(), held.len()), (75, 25));
        assert_eq!(held.iter().filter(|&&i| labels[i] == 1).count(), 5);
        assert_eq!(stratified_split(&labels, 0.25, 1), (train, held.clone()));
        assert_ne!(stratified_split(&labels, 0.25, 2).1, held);
        // A class of one stays in training; a class of two gives one to each side.
        let (train, held) = stratified_split(&[0, 0, 0, 0, 1, 1, 0], 0.25, 3);
        assert_eq!((train.len(), held.len()), (5, 2));
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
