//! The model file: versioned JSON carrying the feature spec, weights, threshold, training
//! settings and log, provenance of the data, and the evaluation the report page draws.

use super::detector::Model;
use super::file_text::validate_vocabularies;
use super::mlp::{Activation, Dense, Mlp};
use super::precedent::Precedents;
use super::train::{TrainConfig, TrainLog};
use crate::evaluation::{DataSummary, Evaluation, Summary, MAX_HOSTS};
use crate::features::{shortcut, FeatureSpec, Transform};
use crate::metrics::Curve;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The `"format"` value of every model file; any other value is [`ModelError::NotAModel`].
pub const FORMAT: &str = "cyber-attack-detector/model";
/// The format version this build writes and the newest it reads; a file of a later version is
/// [`ModelError::FutureVersion`].
pub const VERSION: u32 = 1;
/// Largest layer width and parameter count a model file may ask for: checked before any
/// network is built from it.
pub const MAX_WIDTH: usize = 4096;
/// Largest number of weights and biases of all layers together that a model file may ask for.
pub const MAX_PARAMETERS: usize = 4_000_000;

/// One dense layer as stored: weights row-major, inputs × outputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerFile {
    /// Width of the layer's input: the number of features for the first layer, else the previous
    /// layer's `outputs`.
    pub inputs: usize,
    /// Width of the layer's output, 1 to [`MAX_WIDTH`]: 1 for the last layer (the score).
    pub outputs: usize,
    /// ReLU for hidden layers, sigmoid for the last.
    pub activation: Activation,
    /// `inputs × outputs` weights, row-major: input `i`'s weight on output `j` at `i * outputs +
    /// j`. Finite.
    pub weights: Vec<f32>,
    /// One per output. Finite.
    pub bias: Vec<f32>,
}

/// How a network was trained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Training {
    /// `reference`, `default` or `custom`.
    pub preset: String,
    /// The settings the network was trained with.
    pub config: TrainConfig,
    /// The loss recorded during training.
    pub log: TrainLog,
    /// How the threshold was chosen.
    pub threshold_rule: String,
    /// Out-of-fold results of the cross-validation that chose the threshold, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_validation: Option<Summary>,
    /// The training rows' most common inputs and their labels, for explanations; absent in
    /// files written before them and for a baseline, which explains nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precedents: Option<Precedents>,
}

/// Where the model came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// Tool and version that wrote the file.
    pub tool: String,
    /// The command that rebuilds it.
    pub command: String,
    /// The rows the network was fitted on (with SHA-256 of each input file).
    pub training_data: Vec<DataSummary>,
    /// Rows not fitted on that only helped choose the threshold (an anomaly model's calibration
    /// rows); absent when there were none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calibration_data: Vec<DataSummary>,
    /// What was fitted on, what chose the threshold, what was evaluated on.
    pub protocol: String,
}

/// Another recipe trained on the same rows, shown beside ours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Shown in the report, e.g. `"reference recipe"`.
    pub name: String,
    /// Name of its feature set (as [`FeatureSet::name`](crate::features::FeatureSet::name) gives).
    pub features: String,
    /// Its decision threshold: scores at or above it are suspicious.
    pub threshold: f32,
    /// How it was trained.
    pub training: Training,
    /// The rows it was fitted on.
    pub training_data: Vec<DataSummary>,
    /// Its results on the same test rows as ours, when it was evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Evaluation>,
}

impl Baseline {
    /// `model` shown beside another under `name`, with its evaluation on the other's rows. Its
    /// `evil` curves are left out (its `evil` figures stay): the report draws the other model's
    /// `evil` line only, and they would double the file's curves. Its precedents are left out:
    /// no event is explained by it.
    pub fn of(name: &str, model: &Model, evaluation: Option<Evaluation>) -> Baseline {
        Baseline {
            name: name.to_string(),
            features: model.spec.set.name().into(),
            threshold: model.threshold,
            training: Training {
                precedents: None,
                ..model.training.clone()
            },
            training_data: model.provenance.training_data.clone(),
            evaluation: evaluation.map(|e| Evaluation {
                evil_curves: None,
                ..e
            }),
        }
    }
}

/// Both recipes retrained with other seeds on the same rows and evaluated on the same test
/// rows: how much each result owes to the luck of the initial weights.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SeedStudy {
    /// The training seeds, in the order of `ours` and `reference`.
    pub seeds: Vec<u64>,
    /// Test results of our recipe, one per seed.
    pub ours: Vec<Summary>,
    /// Test results of the reference recipe, one per seed.
    pub reference: Vec<Summary>,
}

/// A model file as stored: the JSON shape of [`Model`], read and written with serde.
/// [`Model::from_file`] checks it before it becomes a model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version, at most [`VERSION`].
    pub version: u32,
    /// The fitted feature spec: how events become the network's inputs.
    pub features: FeatureSpec,
    /// The network's layers, input first.
    pub layers: Vec<LayerFile>,
    /// Scores at or above this are suspicious; in [0, 1].
    pub threshold: f32,
    /// How the network was trained.
    pub training: Training,
    /// Where the model and its data came from.
    pub provenance: Provenance,
    /// The results on the held-out test rows that the report page draws, if evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Evaluation>,
    /// Another recipe trained on the same rows, shown beside this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    /// Both recipes retrained with other seeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_study: Option<SeedStudy>,
}

/// Why a model file could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    /// Not JSON, or JSON of the wrong shape; line and column of the problem.
    Json {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What serde found wrong, shortened.
        message: String,
    },
    /// JSON, but not one of our model files; `found` says what it has instead.
    NotAModel {
        /// What the file has where `"format"` should be, shortened for the message.
        found: String,
    },
    /// Written by a newer version of the format.
    FutureVersion {
        /// The file's `"version"` (`u32::MAX` for a larger number).
        found: u32,
    },
    /// Well-formed but inconsistent (layer shapes, non-finite weights, limits, …).
    Invalid(String),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::Json { line, column, message } => {
                write!(f, "model file, line {line}, column {column}: {message}")
            }
            ModelError::NotAModel { found } => write!(
                f,
                "not a cyber-attack-detector model: expected a JSON object with \"format\": \"{FORMAT}\", found {}",
                shorten(found, 80)
            ),
            ModelError::FutureVersion { found } => write!(
                f,
                "the model file is format version {found}, newer than this build reads (version {VERSION}); update cyber-attack-detector"
            ),
            ModelError::Invalid(message) => write!(f, "invalid model file: {message}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// What a hostile file put in a field is echoed back; keep it short.
pub(super) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

impl Model {
    /// This model in the file's shape, ready to serialise.
    pub fn to_file(&self) -> ModelFile {
        ModelFile {
            format: FORMAT.to_string(),
            version: VERSION,
            features: self.spec.clone(),
            layers: self
                .mlp
                .layers
                .iter()
                .map(|l| LayerFile {
                    inputs: l.inputs(),
                    outputs: l.outputs(),
                    activation: l.activation,
                    weights: l.weights.iter().copied().collect(),
                    bias: l.bias.to_vec(),
                })
                .collect(),
            threshold: self.threshold,
            training: self.training.clone(),
            provenance: self.provenance.clone(),
            evaluation: self.evaluation.clone(),
            baseline: self.baseline.clone(),
            seed_study: self.seed_study.clone(),
        }
    }

    /// This model as a model file: pretty-printed JSON that [`Model::from_json`] reads back to an
    /// equal model.
    pub fn to_json(&self) -> String {
        // Serialising plain structs of numbers and strings cannot fail.
        serde_json::to_string_pretty(&self.to_file()).unwrap_or_default()
    }

    /// Parses and validates a model file. A leading UTF-8 byte order mark is skipped, as the
    /// browser's text decoding skips it: the page and the CLI accept the same files.
    pub fn from_json(text: &str) -> Result<Model, ModelError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value = envelope(text)?;
        Model::from_checked_json(text, value)
    }

    /// A model file of this project's own making, which the caller has reason to trust is one
    /// (the page's shipped model, or one its worker just trained): every check of
    /// [`Model::from_file`], and a malformed file still errs with its line and column, but
    /// without [`Model::from_json`]'s screening of foreign, future and out-of-range files,
    /// which needs the whole file as a JSON tree first (the page's wasm is ~7.6 KB gzipped
    /// smaller without one). A file from anywhere else goes through [`Model::from_json`].
    pub fn from_own_json(text: &str) -> Result<Model, ModelError> {
        let file: ModelFile = serde_json::from_str(text).map_err(json_error)?;
        if file.format != FORMAT {
            let found = format!("\"format\": {:?}", file.format);
            return Err(ModelError::NotAModel { found });
        }
        if file.version > VERSION {
            let found = file.version;
            return Err(ModelError::FutureVersion { found });
        }
        Model::from_file(file)
    }

    /// [`Model::from_json`] after [`envelope`] checked `text` and gave its `value`.
    pub(super) fn from_checked_json(
        text: &str,
        value: serde_json::Value,
    ) -> Result<Model, ModelError> {
        // The feature spec holds f64 statistics (its one f32, the baseline, is checked below).
        out_of_f32_range(&value, &["features"])?;
        drop(value);
        let file: ModelFile = serde_json::from_str(text).map_err(json_error)?;
        Model::from_file(file)
    }

    /// Checks a parsed model file and builds the model: valid features, at least one layer, each 1
    /// to [`MAX_WIDTH`] wide and taking the previous one's outputs, at most [`MAX_PARAMETERS`]
    /// parameters, all finite, ReLU layers then one sigmoid output, and a threshold in [0, 1]. Errs
    /// with [`ModelError::Invalid`] saying what is wrong.
    pub fn from_file(file: ModelFile) -> Result<Model, ModelError> {
        let invalid = |m: String| Err(ModelError::Invalid(m));
        validate_features(&file.features)?;
        validate_report(&file)?;
        if let Some(precedents) = &file.training.precedents {
            precedents.validate(file.features.len())?;
        }
        if file.layers.is_empty() {
            return invalid("it has no layers".into());
        }
        let mut parameters = 0usize;
        let mut expected_inputs = file.features.len();
        for (l, layer) in file.layers.iter().enumerate() {
            let n = l + 1;
            if layer.outputs == 0 || layer.outputs > MAX_WIDTH || layer.inputs > MAX_WIDTH {
                return invalid(format!(
                    "layer {n} is {}×{}; widths must be between 1 and {MAX_WIDTH}",
                    layer.inputs, layer.outputs
                ));
            }
            if layer.inputs != expected_inputs {
                return invalid(format!(
                    "layer {n} expects {} inputs, but {} arrive",
                    layer.inputs, expected_inputs
                ));
            }
            parameters += layer.inputs * layer.outputs + layer.outputs;
            if parameters > MAX_PARAMETERS {
                return invalid(format!("more than {MAX_PARAMETERS} parameters"));
            }
            if layer.weights.len() != layer.inputs * layer.outputs
                || layer.bias.len() != layer.outputs
            {
                return invalid(format!(
                    "layer {n} should have {}×{} weights and {} biases, found {} and {}",
                    layer.inputs,
                    layer.outputs,
                    layer.outputs,
                    layer.weights.len(),
                    layer.bias.len()
                ));
            }
            // Two plain scans rather than one over a chain: the page's build (optimised for
            // size) runs a chained scan of a 4 M-parameter layer ten times slower.
            let non_finite = |values: &[f32]| values.iter().position(|w| !w.is_finite());
            if let Some(i) = non_finite(&layer.weights)
                .or_else(|| non_finite(&layer.bias).map(|i| layer.weights.len() + i))
            {
                return invalid(format!("layer {n} has a non-finite parameter (index {i})"));
            }
            let last = n == file.layers.len();
            let expected = if last {
                Activation::Sigmoid
            } else {
                Activation::Relu
            };
            if layer.activation != expected {
                return invalid(format!("layer {n} must use {expected:?} activation"));
            }
            expected_inputs = layer.outputs;
        }
        if expected_inputs != 1 {
            return invalid(format!(
                "the last layer must have 1 output, found {expected_inputs}"
            ));
        }
        if !(0.0..=1.0).contains(&file.threshold) {
            return invalid(format!("threshold {} is outside [0, 1]", file.threshold));
        }
        let layers = file
            .layers
            .into_iter()
            .map(|l| {
                Ok(Dense {
                    weights: Array2::from_shape_vec((l.inputs, l.outputs), l.weights)
                        .map_err(|e| ModelError::Invalid(e.to_string()))?,
                    bias: Array1::from_vec(l.bias),
                    activation: l.activation,
                })
            })
            .collect::<Result<Vec<_>, ModelError>>()?;
        Ok(Model {
            spec: file.features,
            mlp: Mlp { layers },
            threshold: file.threshold,
            training: file.training,
            provenance: file.provenance,
            evaluation: file.evaluation,
            baseline: file.baseline,
            seed_study: file.seed_study,
        })
    }
}

/// A serde error as a [`ModelError::Json`] with its line and column.
pub(super) fn json_error(e: serde_json::Error) -> ModelError {
    ModelError::Json {
        line: e.line(),
        column: e.column(),
        // Serde echoes unknown names back: a hostile one can be megabytes long.
        message: shorten(
            e.to_string().split(" at line").next().unwrap_or_default(),
            300,
        ),
    }
}

/// Parses `text` (without a byte order mark) and checks its envelope, `"format"` and
/// `"version"`, first, so that a future or foreign file gets the right message even when the
/// rest of its shape differs; returns the parsed JSON.
pub(super) fn envelope(text: &str) -> Result<serde_json::Value, ModelError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(json_error)?;

    let found = match &value {
        serde_json::Value::Object(map) => match map.get("format") {
            Some(serde_json::Value::String(f)) if f == FORMAT => None,
            Some(other) => Some(format!("\"format\": {other}")),
            None => Some("no \"format\"".to_string()),
        },
        serde_json::Value::Array(_) => Some("an array".to_string()),
        other => Some(format!("{other}")),
    };
    if let Some(found) = found {
        return Err(ModelError::NotAModel { found });
    }
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v > u64::from(VERSION) => {
            return Err(ModelError::FutureVersion {
                found: u32::try_from(v).unwrap_or(u32::MAX),
            })
        }
        Some(_) => {}
        None => {
            return Err(ModelError::Invalid(
                "expected a whole-number \"version\"".into(),
            ))
        }
    }
    Ok(value)
}

/// Errs naming the first number beyond f32's range outside the top-level keys `skip` (which
/// hold f64 values).
pub(super) fn out_of_f32_range(value: &serde_json::Value, skip: &[&str]) -> Result<(), ModelError> {
    let found = value
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(key, _)| !skip.contains(&key.as_str()))
        .find_map(|(key, v)| out_of_range(v).map(|(path, x)| (format!("{key}{path}"), x)));
    match found {
        Some((path, number)) => Err(ModelError::Invalid(format!(
            "{} is {number:e}; numbers here must lie within ±{:e}",
            shorten(&path, 80),
            f32::MAX
        ))),
        None => Ok(()),
    }
}

/// The first number beyond f32's range in `value`, with its path (`[0].bias[3]`). An f32 field
/// would read it as infinity, which is written back out as null and then no longer loads.
fn out_of_range(value: &serde_json::Value) -> Option<(String, f64)> {
    use serde_json::Value;
    match value {
        Value::Number(n) => n
            .as_f64()
            .filter(|x| x.abs() > f64::from(f32::MAX))
            .map(|x| (String::new(), x)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| out_of_range(v).map(|(path, x)| (format!("[{i}]{path}"), x))),
        Value::Object(map) => map
            .iter()
            .find_map(|(key, v)| out_of_range(v).map(|(path, x)| (format!(".{key}{path}"), x))),
        _ => None,
    }
}

/// Most rows a stored count may describe: far beyond any real data, and small enough that the
/// sums and doubled counts of the metrics cannot overflow u64.
const MAX_ROWS: u64 = 1 << 53;
/// Most bins of a stored score histogram (the project writes 1000): the page's threshold slider
/// and cost panel walk them on every move.
pub const MAX_BINS: usize = 10_000;
/// Most points of a stored ROC or PR curve (the project writes at most 400).
pub const MAX_CURVE_POINTS: usize = 100_000;
/// Most entries of any other list the report shows: training files, loss steps.
pub const MAX_LIST: usize = 1_000_000;
/// Most seeds of a seed study (the project writes a handful): the page draws a dot for each
/// seed and recipe, and its copy of the model holds two summaries per seed.
pub const MAX_SEEDS: usize = 1000;

/// The stored evaluations, read by the page's threshold slider and cost panel: every list is
/// bounded, each histogram has its bins for both classes, no count exceeds [`MAX_ROWS`] rows,
/// and the counts agree with each other (histogram, confusion matrix, hosts and the data's row
/// counts), so the page never shows "0 of 0 events" beside "4,394 rows".
fn validate_report(file: &ModelFile) -> Result<(), ModelError> {
    let invalid = |m: String| Err(ModelError::Invalid(m));
    let evaluations = file.evaluation.iter().map(|e| ("the evaluation", e)).chain(
        file.baseline
            .iter()
            .filter_map(|b| b.evaluation.as_ref())
            .map(|e| ("the baseline's evaluation", e)),
    );
    let mut summaries: Vec<&Summary> = Vec::new();
    for (what, e) in evaluations {
        validate_evaluation(what, e)?;
        summaries.push(&e.summary);
        summaries.extend(e.hosts.iter().map(|host| &host.summary));
    }
    let trainings =
        std::iter::once(&file.training).chain(file.baseline.iter().map(|b| &b.training));
    for t in trainings.clone() {
        if t.log.loss.len() > MAX_LIST || t.log.validation_loss.len() > MAX_LIST {
            return invalid(format!("a training log has more than {MAX_LIST} steps"));
        }
    }
    summaries.extend(trainings.filter_map(|t| t.cross_validation.as_ref()));
    let p = &file.provenance;
    if p.training_data.len().max(p.calibration_data.len()) > MAX_LIST {
        return invalid(format!(
            "the provenance lists more than {MAX_LIST} training or calibration files"
        ));
    }
    if let Some(study) = &file.seed_study {
        let n = study.seeds.len();
        if n > MAX_SEEDS {
            return invalid(format!("the seed study has {n} seeds; at most {MAX_SEEDS}"));
        }
        if study.ours.len() != n || study.reference.len() != n {
            return invalid(format!(
                "the seed study has {n} seeds but {} and {} results",
                study.ours.len(),
                study.reference.len()
            ));
        }
        summaries.extend(study.ours.iter().chain(&study.reference));
    }
    within_rows_each(summaries)
}

/// Errs when a confusion matrix of `summaries` counts more than [`MAX_ROWS`] rows.
pub(super) fn within_rows_each<'a>(
    summaries: impl IntoIterator<Item = &'a Summary>,
) -> Result<(), ModelError> {
    for summary in summaries {
        let c = &summary.confusion;
        if !within_rows([c.tn, c.fp, c.fn_, c.tp].iter()) {
            return Err(too_many_rows("a confusion matrix"));
        }
    }
    Ok(())
}

/// One stored evaluation, as the page's threshold slider and cost panel read it: every list
/// bounded, each histogram with its bins for both classes and at most [`MAX_ROWS`] rows, and
/// counts that agree (histogram, confusion matrices, hosts, data and `evil` figures). The
/// confusion matrices' own sizes are checked by the caller with every other summary's.
pub(super) fn validate_evaluation(what: &str, e: &Evaluation) -> Result<(), ModelError> {
    let invalid = |m: String| Err(ModelError::Invalid(m));
    let h = &e.histogram;
    if h.bins == 0 || h.bins > MAX_BINS {
        return invalid(format!(
            "{what}'s score histogram has {} bins; expected 1 to {MAX_BINS}",
            h.bins
        ));
    }
    if h.benign.len() != h.bins || h.suspicious.len() != h.bins {
        return invalid(format!(
            "the score histogram has {} bins but {} and {} counts",
            h.bins,
            h.benign.len(),
            h.suspicious.len()
        ));
    }
    if !within_rows(h.benign.iter().chain(&h.suspicious)) {
        return Err(too_many_rows("the score histogram"));
    }
    let evil_curves = e.evil_curves.as_ref();
    let curves = [("ROC", &e.roc), ("precision-recall", &e.pr)]
        .into_iter()
        .chain(evil_curves.map(|c| ("evil ROC", &c.roc)))
        .chain(evil_curves.map(|c| ("evil precision-recall", &c.pr)));
    for (name, curve) in curves {
        validate_curve(what, name, curve)?;
    }
    if evil_curves.is_some() && e.evil.is_none() {
        return invalid(format!(
            "{what} has evil curves but no evil figures (\"evil\")"
        ));
    }
    if e.hosts.len() > MAX_HOSTS || e.importance.len() > MAX_WIDTH {
        return invalid(format!(
            "{what} lists {} hosts and {} feature importances; at most {MAX_HOSTS} and {MAX_WIDTH}",
            e.hosts.len(),
            e.importance.len()
        ));
    }
    let d = &e.data;
    let counted = |v: &[u64]| v.iter().sum::<u64>();
    let (benign, suspicious) = (counted(&h.benign), counted(&h.suspicious));
    if d.benign.checked_add(d.suspicious) != Some(d.rows)
        || benign != d.benign as u64
        || suspicious != d.suspicious as u64
    {
        return invalid(format!(
            "{what}'s data has {} rows ({} benign, {} suspicious) but its score histogram counts {benign} benign and {suspicious} suspicious",
            d.rows, d.benign, d.suspicious
        ));
    }
    agrees(what, &e.summary, d.benign, d.suspicious)?;
    let mut host_rows = 0usize;
    for host in &e.hosts {
        if host.benign.checked_add(host.suspicious) != Some(host.rows) {
            return invalid(format!(
                "{what}'s host {:?} has {} rows but {} benign and {} suspicious",
                shorten(&host.host, 80),
                host.rows,
                host.benign,
                host.suspicious
            ));
        }
        agrees(what, &host.summary, host.benign, host.suspicious)?;
        host_rows = host_rows.saturating_add(host.rows);
    }
    if host_rows > d.rows {
        return invalid(format!(
            "{what}'s hosts have {host_rows} rows in all, more than its data's {}",
            d.rows
        ));
    }
    if let Some(evil) = &e.evil {
        if evil.rows != d.rows as u64 || evil.evil > evil.rows || evil.detected > evil.evil {
            return invalid(format!(
                "{what}'s evil figures count {} evil rows of {}, {} detected, for data of {} rows",
                evil.evil, evil.rows, evil.detected, d.rows
            ));
        }
    }
    Ok(())
}

/// A stored curve as the charts read it: at most [`MAX_CURVE_POINTS`] points, as many `y`
/// values and thresholds as `x` values, and every point in the unit square.
fn validate_curve(what: &str, name: &str, curve: &Curve) -> Result<(), ModelError> {
    let n = curve.x.len();
    if n > MAX_CURVE_POINTS || curve.y.len() != n || curve.thresholds.len() != n {
        return Err(ModelError::Invalid(format!(
            "{what}'s {name} curve has {n}, {} and {} values; expected as many of each, at most {MAX_CURVE_POINTS}",
            curve.y.len(),
            curve.thresholds.len()
        )));
    }
    let outside = [("x", &curve.x), ("y", &curve.y)]
        .into_iter()
        .find_map(|(axis, values)| {
            let i = values.iter().position(|v| !(0.0..=1.0).contains(v))?;
            Some((axis, i, values[i]))
        });
    match outside {
        Some((axis, i, v)) => Err(ModelError::Invalid(format!(
            "{what}'s {name} curve has {axis}[{i}] = {v}; expected a rate in [0, 1]"
        ))),
        None => Ok(()),
    }
}

/// A confusion matrix must count the rows it summarises: benign = TN + FP, suspicious = FN + TP.
fn agrees(what: &str, s: &Summary, benign: usize, suspicious: usize) -> Result<(), ModelError> {
    let c = &s.confusion;
    let negatives = c.tn.checked_add(c.fp);
    let positives = c.fn_.checked_add(c.tp);
    if negatives == Some(benign as u64) && positives == Some(suspicious as u64) {
        return Ok(());
    }
    Err(ModelError::Invalid(format!(
        "{what} has a confusion matrix of TN {} FP {} FN {} TP {} for {benign} benign and {suspicious} suspicious rows",
        c.tn, c.fp, c.fn_, c.tp
    )))
}

fn within_rows<'a>(mut counts: impl Iterator<Item = &'a u64>) -> bool {
    counts
        .try_fold(0u64, |total, &c| total.checked_add(c))
        .is_some_and(|total| total <= MAX_ROWS)
}

fn too_many_rows(what: &str) -> ModelError {
    ModelError::Invalid(format!("{what} counts more than {MAX_ROWS} rows"))
}

pub(super) fn validate_features(spec: &FeatureSpec) -> Result<(), ModelError> {
    let invalid = |m: String| Err(ModelError::Invalid(m));
    if spec.features.is_empty() || spec.features.len() > MAX_WIDTH {
        return invalid(format!(
            "it has {} features; expected 1 to {MAX_WIDTH}",
            spec.features.len()
        ));
    }
    for (k, s) in spec.scaler.iter().enumerate() {
        if spec.scaler[..k]
            .iter()
            .any(|earlier| earlier.field == s.field)
        {
            return invalid(format!("the scaler lists {} twice", s.field.column()));
        }
        if !(s.mean.is_finite() && s.std.is_finite() && s.std > 0.0) {
            return invalid(format!(
                "the scaler of {} is not finite and positive",
                s.field.column()
            ));
        }
    }
    if let Some(reason) = shortcut(spec) {
        return invalid(reason);
    }
    validate_vocabularies(spec)?;
    let fields = spec.fields();
    for feature in &spec.features {
        if let Some(missing) = feature
            .transform
            .fields()
            .iter()
            .find(|f| !fields.contains(f))
        {
            return invalid(format!(
                "feature {:?} uses {} but the scaler has no entry for it",
                shorten(&feature.name, 80),
                missing.column()
            ));
        }
        if !feature.baseline.is_finite() {
            return invalid(format!(
                "feature {:?} has a non-finite baseline",
                shorten(&feature.name, 80)
            ));
        }
        // Every row is compared with each listed value: keep the cost per row bounded.
        if let Transform::OutsideSet { values, .. } = &feature.transform {
            if values.len() > MAX_WIDTH {
                return invalid(format!(
                    "feature {:?} lists {} values; at most {MAX_WIDTH}",
                    shorten(&feature.name, 80),
                    values.len()
                ));
            }
        }
    }
    Ok(())
}
