//! The anomaly model: a histogram-based outlier score (the default) or an isolation forest,
//! fitted on events without attack labels (or on only the benign rows of a labelled file), with
//! a threshold chosen from a false-alarm budget on held-out training events, never from labels.

mod budget;
mod explain;
mod file;
mod forest;
mod histogram;

pub use budget::{allowed_alerts, budget_threshold};
pub use file::{is_anomaly_file, AnomalyFile, KIND, MAX_NODES, MAX_TREES, MAX_VALUES};
pub use forest::{average_path, Forest, Tree};
pub use histogram::{Bins, Histograms};

use super::detect::Detect;
use super::detector::Scorer;
use super::file::Provenance;
use super::fit::sampled_importance;
use crate::evaluation::{DataSummary, Evaluation, Summary};
use crate::features::{FeatureSet, FeatureSpec};
use crate::ingest::{Events, Field};
use crate::metrics::EvilSummary;
use crate::rng::Rng;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of anomaly score.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyMethod {
    /// An isolation forest (the only method of files written before the histogram).
    #[default]
    Forest,
    /// A histogram-based outlier score: per feature, −ln of the value's smoothed frequency.
    Histogram,
}

impl AnomalyMethod {
    /// `forest` or `histogram`, as the CLI's `--method` takes it.
    pub fn parse(name: &str) -> Option<AnomalyMethod> {
        [AnomalyMethod::Forest, AnomalyMethod::Histogram]
            .into_iter()
            .find(|m| m.name() == name)
    }

    /// `forest` or `histogram`, as files and `--method` name it.
    pub fn name(self) -> &'static str {
        match self {
            AnomalyMethod::Forest => "forest",
            AnomalyMethod::Histogram => "histogram",
        }
    }

    /// The method's name in words, e.g. for tables.
    pub fn describe(self) -> &'static str {
        match self {
            AnomalyMethod::Forest => "isolation forest",
            AnomalyMethod::Histogram => "histogram-based outlier score",
        }
    }
}

/// Values of a feature a histogram keeps, unless told otherwise: far more than the paper's
/// features take (eventId, the widest, has a few dozen).
const DEFAULT_BINS: usize = 100;

fn default_bins() -> usize {
    DEFAULT_BINS
}

/// How an anomaly model is fitted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnomalyConfig {
    /// The feature set the model reads.
    pub features: FeatureSet,
    /// Histogram or isolation forest (files without it hold a forest).
    #[serde(default)]
    pub method: AnomalyMethod,
    /// Trees in the forest.
    pub trees: usize,
    /// Rows each tree is grown on (fewer when there are fewer rows).
    pub sample_size: usize,
    /// Most values a histogram keeps per feature; the rest share one "other" bin.
    #[serde(default = "default_bins")]
    pub bins: usize,
    /// Seeds the subsamples and splits.
    pub seed: u64,
    /// Folds of the cross-fitting that scores every training row by a model that did not see
    /// it, for the threshold.
    pub folds: usize,
    /// The false-alarm budget: at most this many alerts per 10,000 held-out training events.
    pub alerts_per_10k: f64,
}

impl AnomalyConfig {
    /// `anomaly` (ours: a histogram of the paper's features, at most 100 values each; with
    /// [`AnomalyMethod::Forest`], 300 trees of 256 rows) or `paper` (the BETH paper's isolation forest:
    /// scikit-learn's defaults, 100 trees of 256 rows).
    pub fn preset(name: &str) -> Option<AnomalyConfig> {
        let (method, trees) = match name {
            "anomaly" => (AnomalyMethod::Histogram, 300),
            "paper" => (AnomalyMethod::Forest, 100),
            _ => return None,
        };
        Some(AnomalyConfig {
            features: FeatureSet::Paper,
            method,
            trees,
            sample_size: 256,
            bins: DEFAULT_BINS,
            seed: 1,
            folds: 5,
            alerts_per_10k: 100.0,
        })
    }

    /// The settings the method reads, in words (a histogram reads no trees, a forest no bins),
    /// e.g. `histogram-based outlier score of the paper features, at most 100 values a feature;
    /// threshold from 5-fold out-of-fold scores (seed 1) at 100 alerts per 10,000`.
    pub fn settings(&self) -> String {
        let fitted = match self.method {
            AnomalyMethod::Histogram => format!("at most {} values a feature", self.bins),
            AnomalyMethod::Forest => format!(
                "{} trees of {} rows (seed {})",
                self.trees, self.sample_size, self.seed
            ),
        };
        format!(
            "{} of the {} features, {fitted}; threshold from {}-fold out-of-fold scores (seed {}) at {} alerts per 10,000",
            self.method.describe(),
            self.features.name(),
            self.folds,
            self.seed,
            self.alerts_per_10k
        )
    }
}

/// How an anomaly model was fitted and its threshold chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnomalyTraining {
    /// `anomaly`, `paper` or `custom`.
    pub preset: String,
    /// The settings.
    pub config: AnomalyConfig,
    /// How the threshold was chosen, in words.
    pub threshold_rule: String,
    /// Rows scored for the threshold: training rows out of fold, and calibration rows.
    pub held_out: usize,
    /// Of them, rows at or above the threshold: at most the budget allows.
    pub held_out_flagged: usize,
    /// How the methods compared on the labelled training rows, host by host (see
    /// [`MethodScore`]); empty when not studied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub method_study: Vec<MethodScore>,
}

/// One method's ROC-AUC on `sus` over labelled training rows, each host's rows scored by a
/// model fitted on the benign rows of the other hosts: how well it ranks an unseen host's
/// suspicious events, judged without the test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MethodScore {
    /// The recipe, e.g. `"histogram"` or `"paper's isolation forest"`.
    pub recipe: String,
    /// The seed it was fitted with (a histogram's fit uses none).
    pub seed: u64,
    /// Its pooled out-of-fold ROC-AUC on `sus` (NaN, stored as null, when undefined).
    #[serde(with = "crate::evaluation::nan_as_null")]
    pub roc_auc: f64,
}

/// Another model's results on the same test rows, for the comparison table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    /// Shown in the table, e.g. `"BETH paper's isolation forest (re-implemented)"`.
    pub name: String,
    /// Its feature set's name.
    pub features: String,
    /// On `sus`, at its own threshold.
    pub summary: Summary,
    /// On `evil`, when the rows have it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evil: Option<EvilSummary>,
}

impl Compared {
    /// `evaluation`'s headline figures under `name`.
    pub fn of(name: &str, features: &str, evaluation: &Evaluation) -> Compared {
        Compared {
            name: name.to_string(),
            features: features.to_string(),
            summary: evaluation.summary,
            evil: evaluation.evil,
        }
    }
}

/// One seed of the seed study: the model and the paper's isolation forest refitted with it,
/// ROC-AUC on the same test rows for each label (NaN, stored as null, when undefined).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedRow {
    /// The seed.
    pub seed: u64,
    /// This recipe's ROC-AUC on `sus`.
    #[serde(with = "crate::evaluation::nan_as_null")]
    pub sus: f64,
    /// This recipe's ROC-AUC on `evil`.
    #[serde(with = "crate::evaluation::nan_as_null")]
    pub evil: f64,
    /// The paper's isolation forest's ROC-AUC on `sus`.
    #[serde(with = "crate::evaluation::nan_as_null")]
    pub paper_sus: f64,
    /// The paper's isolation forest's ROC-AUC on `evil`.
    #[serde(with = "crate::evaluation::nan_as_null")]
    pub paper_evil: f64,
}

/// What scores an anomaly model's features: the spec's features in, a score in [0, 1] out.
#[derive(Clone, Debug, PartialEq)]
pub enum Estimator {
    /// An isolation forest.
    Forest(Forest),
    /// A histogram per feature.
    Histogram(Histograms),
}

impl Estimator {
    /// Fits `config`'s method on the rows of `x` (row-major, `width` features a row).
    fn fit(config: &AnomalyConfig, x: &[f32], width: usize, seed: u64) -> Estimator {
        match config.method {
            AnomalyMethod::Forest => Estimator::Forest(Forest::fit(
                x,
                width,
                config.trees,
                config.sample_size,
                seed,
            )),
            AnomalyMethod::Histogram => {
                Estimator::Histogram(Histograms::fit(x, width, config.bins))
            }
        }
    }

    /// The anomaly score of `row` (its features).
    pub fn score(&self, row: &[f32]) -> f32 {
        match self {
            Estimator::Forest(forest) => forest.score(row),
            Estimator::Histogram(histogram) => histogram.score(row),
        }
    }

    /// Which method this is.
    pub fn method(&self) -> AnomalyMethod {
        match self {
            Estimator::Forest(_) => AnomalyMethod::Forest,
            Estimator::Histogram(_) => AnomalyMethod::Histogram,
        }
    }
}

/// A fitted anomaly model: spec, estimator, threshold and the record of how it was made.
#[derive(Clone, Debug, PartialEq)]
pub struct AnomalyModel {
    /// How an event's fields become the estimator's inputs.
    pub spec: FeatureSpec,
    /// The histogram or forest: the spec's features in, an anomaly score in [0, 1] out.
    pub estimator: Estimator,
    /// Scores at or above this are alerts.
    pub threshold: f32,
    /// How it was fitted.
    pub training: AnomalyTraining,
    /// The tool, command and data that made it.
    pub provenance: Provenance,
    /// Results on labelled test rows, if any.
    pub evaluation: Option<Evaluation>,
    /// Other models on the same test rows.
    pub compared: Vec<Compared>,
    /// The recipe and the paper's refitted with other seeds.
    pub seed_study: Vec<SeedRow>,
}

/// Why an anomaly model could not be fitted.
#[derive(Clone, Debug, PartialEq)]
pub enum AnomalyError {
    /// The events lack a field the features need.
    MissingField(Field),
    /// Fewer rows than folds + 1: nothing to hold out.
    TooFewRows {
        /// Rows given.
        rows: usize,
        /// Rows needed.
        needed: usize,
    },
    /// A setting out of range.
    Config(String),
}

impl fmt::Display for AnomalyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnomalyError::MissingField(field) => write!(f, "lacks column {}", field.column()),
            AnomalyError::TooFewRows { rows, needed } => write!(
                f,
                "{rows} rows to fit on; an anomaly model needs at least {needed}"
            ),
            AnomalyError::Config(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for AnomalyError {}

/// Fits `config` on every row of `events` (labels, if any, are not read): the spec, then
/// `folds` models each scoring the rows it did not see, whose scores set the threshold at the
/// budget, then the model on all rows. `preset` and `provenance` are recorded in the model.
pub fn fit_anomaly(
    config: &AnomalyConfig,
    preset: &str,
    events: &Events,
    provenance: Provenance,
) -> Result<AnomalyModel, AnomalyError> {
    fit_anomaly_calibrated(config, preset, events, &Events::default(), provenance)
}

/// [`fit_anomaly`], with `calibration`'s rows (events not fitted on, taken as benign, e.g.
/// another host's) scored by the final model and counted with the out-of-fold training rows
/// when the threshold is set: more held-out rows resolve a smaller budget.
pub fn fit_anomaly_calibrated(
    config: &AnomalyConfig,
    preset: &str,
    events: &Events,
    calibration: &Events,
    provenance: Provenance,
) -> Result<AnomalyModel, AnomalyError> {
    let bad = |why: String| Err(AnomalyError::Config(why));
    if config.bins == 0 || config.bins > MAX_VALUES {
        return bad(format!("bins must be 1 to {MAX_VALUES}"));
    }
    if config.trees == 0 || config.trees > MAX_TREES {
        return bad(format!("trees must be 1 to {MAX_TREES}"));
    }
    if config.sample_size < 2 || 2 * config.sample_size > MAX_NODES {
        return bad(format!("sample size must be 2 to {}", MAX_NODES / 2));
    }
    if config.folds < 2 || !(0.0..=10_000.0).contains(&config.alerts_per_10k) {
        return bad("folds must be at least 2 and the budget 0 to 10,000 per 10,000".into());
    }
    let rows = events.len();
    let needed = config.folds + 1;
    if rows < needed {
        return Err(AnomalyError::TooFewRows { rows, needed });
    }
    let spec = FeatureSpec::fit(config.features, events);
    let x = spec.matrix(events).map_err(AnomalyError::MissingField)?;
    let width = spec.len();
    let flat: Vec<f32> = x.iter().copied().collect();

    // Cross-fitting: fold f holds every row whose place in a seeded shuffle is f mod folds.
    let mut order: Vec<usize> = (0..rows).collect();
    Rng::new(config.seed ^ 0x5EED_F01D).shuffle(&mut order);
    let mut held_scores = vec![0f32; rows];
    for fold in 0..config.folds {
        let (mut fit_rows, mut held) = (Vec::new(), Vec::new());
        for (place, &row) in order.iter().enumerate() {
            let part = if place % config.folds == fold {
                &mut held
            } else {
                &mut fit_rows
            };
            part.extend_from_slice(&flat[row * width..(row + 1) * width]);
        }
        let seed = config.seed.wrapping_add(fold as u64 + 1);
        let estimator = Estimator::fit(config, &fit_rows, width, seed);
        let held_rows = order.iter().skip(fold).step_by(config.folds);
        for (&row, features) in held_rows.zip(held.chunks_exact(width)) {
            held_scores[row] = estimator.score(features);
        }
    }
    let estimator = Estimator::fit(config, &flat, width, config.seed);
    let extra = calibration.len();
    if extra > 0 {
        let x = spec
            .matrix(calibration)
            .map_err(AnomalyError::MissingField)?;
        held_scores.extend(x.rows().into_iter().map(|row| match row.as_slice() {
            Some(row) => estimator.score(row),
            None => estimator.score(&row.to_vec()),
        }));
    }
    let held_out = held_scores.len();
    let threshold = budget_threshold(&held_scores, config.alerts_per_10k);
    let held_out_flagged = held_scores.iter().filter(|&&s| s >= threshold).count();
    let budget = config.alerts_per_10k;
    let unresolved = if budget > 0.0 && budget * held_out as f64 / 10_000.0 < 1.0 {
        format!(
            "; {held_out} rows cannot resolve a budget of {budget} (one alert among them is {:.1} per 10,000), so the threshold allows that one alert, the smallest budget they resolve: fit on more rows to hold yours",
            10_000.0 / held_out as f64
        )
    } else {
        String::new()
    };
    let calibrated = match extra {
        0 => String::new(),
        _ => format!(" and {extra} calibration rows scored by the final model"),
    };
    Ok(AnomalyModel {
        spec,
        estimator,
        threshold,
        training: AnomalyTraining {
            preset: preset.to_string(),
            config: config.clone(),
            threshold_rule: format!(
                "the lowest threshold at which at most {budget} of every 10,000 held-out rows are alerts ({held_out_flagged} of {held_out}): {rows} training rows, each scored by a model fitted on the other {} of {} folds{calibrated}{unresolved}",
                config.folds - 1,
                config.folds
            ),
            held_out,
            held_out_flagged,
            method_study: Vec::new(),
        },
        provenance,
        evaluation: None,
        compared: Vec::new(),
        seed_study: Vec::new(),
    })
}

impl AnomalyModel {
    /// The score of every row of `features` (rows × the spec's width), in row order.
    pub fn score_matrix(&self, features: &Array2<f32>) -> Vec<f32> {
        features
            .rows()
            .into_iter()
            .map(|row| match row.as_slice() {
                Some(row) => self.estimator.score(row),
                None => self.estimator.score(&row.to_vec()),
            })
            .collect()
    }

    /// The score of every row of `events`; errs with the first field they lack.
    pub fn score(&self, events: &Events) -> Result<Vec<f32>, Field> {
        let mut out = Vec::with_capacity(events.len());
        self.score_into(events, &mut Scorer::default(), &mut out)?;
        Ok(out)
    }
}

/// Rows permuted for importance at most: a forest scores about a million rows a second.
const IMPORTANCE_ROWS: usize = 20_000;

impl Detect for AnomalyModel {
    fn spec(&self) -> &FeatureSpec {
        &self.spec
    }

    fn threshold(&self) -> f32 {
        self.threshold
    }

    fn seed(&self) -> u64 {
        self.training.config.seed
    }

    fn score_into(
        &self,
        events: &Events,
        _scorer: &mut Scorer,
        out: &mut Vec<f32>,
    ) -> Result<(), Field> {
        let columns: Vec<&[f64]> = self
            .spec
            .fields()
            .into_iter()
            .map(|f| events.column(f).ok_or(f))
            .collect::<Result<_, _>>()?;
        let mut values = vec![0f64; columns.len()];
        let mut features = vec![0f32; self.spec.len()];
        out.reserve(events.len());
        for i in 0..events.len() {
            for (v, column) in values.iter_mut().zip(&columns) {
                *v = column[i];
            }
            self.spec.row(&values, &mut features);
            out.push(self.estimator.score(&features));
        }
        Ok(())
    }

    fn evaluate(
        &self,
        events: &Events,
        labels: &[u8],
        data: DataSummary,
    ) -> Result<Evaluation, Field> {
        let x = self.spec.matrix(events)?;
        let scores = self.score_matrix(&x);
        let mut rng = Rng::new(self.training.config.seed);
        let score = |m: &Array2<f32>| self.score_matrix(m);
        let keep = labels.len().min(IMPORTANCE_ROWS);
        let names = self.spec.names();
        let importance = sampled_importance(&x, labels, names, &score, keep, &mut rng);
        Ok(Evaluation::compute(
            data,
            &scores,
            labels,
            self.threshold,
            (&events.host, &events.host_names),
            importance,
        )
        .with_evil(&scores, events.evil.as_deref()))
    }
}

#[cfg(test)]
mod tests {
    use super::AnomalyConfig;

    #[test]
    fn settings_name_what_the_method_reads() {
        let forest = AnomalyConfig::preset("paper").expect("a preset");
        assert_eq!(
            forest.settings(),
            "isolation forest of the paper features, 100 trees of 256 rows (seed 1); \
             threshold from 5-fold out-of-fold scores (seed 1) at 100 alerts per 10,000"
        );
        // A histogram reads no trees: they are not named, however the file sets them.
        let histogram = AnomalyConfig {
            bins: 7,
            trees: 9,
            ..AnomalyConfig::preset("anomaly").expect("a preset")
        };
        assert!(histogram
            .settings()
            .contains(" at most 7 values a feature; "));
        assert!(!histogram.settings().contains("trees"));
    }
}
