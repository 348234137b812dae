//! A model file checked in the page's Web Worker and handed to the page as compact data.
//!
//! Parsing and validating a model file of tens of megabytes (a wide network, a long command
//! line, a list of 300,000 training files) takes seconds, which the page's main thread must not
//! spend. The worker does it ([`Digest::check`]) and hands the page what the page shows: the
//! model file with its weights and biases taken out into one `Float32Array` (transferred, not
//! copied), its long texts and lists cut to what the page shows, its long loss logs and curves
//! cut to the points that show on a canvas ([`keep_shape`]), and the counts the page gives of
//! them ([`Totals`]) taken from the whole file. The page rebuilds a [`Report`] from that in
//! milliseconds ([`Report::from_digest`]), checking it again as any model file.

use super::anomaly::{About, AnomalyPart};
#[cfg(any(feature = "page", feature = "worker"))]
use super::js_error;
use super::report::{first_chars, Report, Totals, COMMAND_CHARS, LISTED_FILES, TABLE_ROWS};
use super::WebError;
use cyber_attack_detector::charts::decimate::{keep_shape, COLUMNS};
use cyber_attack_detector::evaluation::{DataSummary, Evaluation};
use cyber_attack_detector::features::FeatureSpec;
use cyber_attack_detector::metrics::Curve;
use cyber_attack_detector::model::{
    AnomalyModel, AnyModel, Model, ModelFile, Provenance, TrainLog,
};
use serde::{Deserialize, Serialize};
#[cfg(any(feature = "page", feature = "worker"))]
use wasm_bindgen::prelude::*;

/// What a page's copy of a model file holds, as JSON text: a supervised model file (`model`),
/// or an anomaly model's [`AnomalyPart`], its fields side by side with `model` rather than in an
/// object of their own, so that the page reads them with this struct's reader (and the readers
/// of a model file's parts it already has) rather than with one more.
#[derive(Default, Serialize, Deserialize)]
struct Contents {
    /// A supervised model file without weights and biases, its texts and lists cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    model: Option<ModelFile>,
    /// Counted on the whole file.
    totals: Totals,
    /// An anomaly model's spec, threshold, provenance and evaluation ([`AnomalyPart`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    features: Option<FeatureSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    threshold: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provenance: Option<Provenance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    evaluation: Option<Evaluation>,
    /// Its preset, threshold rule and [`super::anomaly::About`] (`anomaly`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    preset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    threshold_rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    anomaly: Option<About>,
}

/// A checked model file as the worker hands it to the page: JSON text of at most a few
/// megabytes, and the network's parameters (every layer's weights, then its biases, in layer
/// order) as numbers.
#[cfg_attr(feature = "worker", wasm_bindgen)]
pub struct Digest {
    json: String,
    parameters: Vec<f32>,
}

/// Keeps the first [`COMMAND_CHARS`] characters of `text` (the page shows no more of any
/// text) and, when that cuts it, notes what is kept with the whole text's length in UTF-16
/// units (JavaScript's `length`) in `lengths`, for the page to say how much is not shown.
fn cut(text: &mut String, lengths: &mut Vec<(String, usize)>) {
    cut_noted(text, COMMAND_CHARS, lengths);
}

/// [`cut`] to the first `n` characters.
fn cut_noted(text: &mut String, n: usize, lengths: &mut Vec<(String, usize)>) {
    let end = first_chars(text, n).len();
    if end < text.len() {
        let whole = text.encode_utf16().count();
        text.truncate(end);
        lengths.push((text.clone(), whole));
    }
}

/// Keeps the first `n` characters of `text`.
fn cut_to(text: &mut String, n: usize) {
    let end = first_chars(text, n).len();
    text.truncate(end);
}

/// Keeps the first [`LISTED_FILES`] of `files`, each with its texts cut.
fn cut_files(files: &mut Vec<DataSummary>, lengths: &mut Vec<(String, usize)>) {
    files.truncate(LISTED_FILES);
    for file in files {
        cut(&mut file.source, lengths);
    }
}

/// Cuts the provenance's texts and its lists of training and calibration files.
fn cut_provenance(p: &mut Provenance, lengths: &mut Vec<(String, usize)>) {
    for text in [&mut p.tool, &mut p.command, &mut p.protocol] {
        cut(text, lengths);
    }
    cut_files(&mut p.training_data, lengths);
    cut_files(&mut p.calibration_data, lengths);
}

/// Pixel columns across [0, 1] that a curve keeps its shape at: ten times [`COLUMNS`]'s
/// share, since the ROC chart shows its best tenth magnified ten times beside the whole.
const CURVE_COLUMNS: usize = 10 * 1024;

/// Keeps the values of a loss log that show on a canvas (the validation losses, which the page
/// does not draw, not at all); returns the step of each value kept, or `None` when the log is
/// short enough to keep whole.
fn thin_log(log: &mut TrainLog) -> Option<Vec<usize>> {
    log.validation_loss = Vec::new();
    let n = log.loss.len();
    if n <= 4 * COLUMNS {
        return None;
    }
    let points = log.loss.iter().enumerate();
    let kept = keep_shape(
        points.map(|(i, &v)| (i as f64, f64::from(v))),
        (0.0, n as f64),
        COLUMNS,
    );
    log.loss = kept
        .iter()
        .filter_map(|&i| log.loss.get(i).copied())
        .collect();
    Some(kept)
}

/// Keeps the points of a curve in the unit square that show on a canvas, with their thresholds.
fn thin_curve(curve: &mut Curve) {
    if curve.x.len() <= 4 * CURVE_COLUMNS {
        return;
    }
    let points = curve.x.iter().copied().zip(curve.y.iter().copied());
    let kept = keep_shape(points, (0.0, 1.0), CURVE_COLUMNS);
    for values in [&mut curve.x, &mut curve.y, &mut curve.thresholds] {
        *values = kept
            .iter()
            .filter_map(|&i| values.get(i).copied())
            .collect();
    }
}

/// The most characters the page gets of a text it never shows: the name of a host not among
/// the [`TABLE_ROWS`] with the most rows, which its table shows, or a recipe of an anomaly
/// model's method study.
const UNSHOWN_CHARS: usize = 200;

/// The most characters of a feature's name the page gets: more than the importance chart's
/// widest canvas holds in one line (the chart shortens a name to its room), and more than the
/// explanation's table shows before its "more" button (which then says how many are not).
const IMPORTANCE_CHARS: usize = 500;

/// What the page shows of an evaluation: its texts cut (a long name shows its first 10,000
/// characters at most, and only the names the page shows keep that many), its curves thinned.
fn cut_evaluation(e: &mut Evaluation, lengths: &mut Vec<(String, usize)>) {
    cut(&mut e.data.source, lengths);
    // The page's host table: the most rows first, ties in file order (a stable sort).
    let mut largest: Vec<usize> = (0..e.hosts.len()).collect();
    largest.sort_by_key(|&i| std::cmp::Reverse(e.hosts.get(i).map_or(0, |h| h.rows)));
    let mut shown = vec![false; e.hosts.len()];
    for &i in largest.iter().take(TABLE_ROWS) {
        shown[i] = true;
    }
    for (host, shown) in e.hosts.iter_mut().zip(shown) {
        match shown {
            true => cut(&mut host.host, lengths),
            false => cut_to(&mut host.host, UNSHOWN_CHARS),
        }
    }
    for feature in &mut e.importance {
        cut_to(&mut feature.feature, IMPORTANCE_CHARS);
    }
    thin_curve(&mut e.roc);
    thin_curve(&mut e.pr);
    if let Some(evil) = &mut e.evil_curves {
        thin_curve(&mut evil.roc);
        thin_curve(&mut evil.pr);
    }
}

impl Digest {
    /// Parses and validates a model file of either kind (see [`AnyModel::from_json`]: the same
    /// errors, word for word) and keeps what the page shows of it.
    pub fn check(text: &str) -> Result<Digest, WebError> {
        Ok(match AnyModel::from_json(text)? {
            AnyModel::Supervised(model) => Digest::of(&model),
            AnyModel::Anomaly(model) => Digest::of_anomaly(&model),
        })
    }

    /// What the page shows of an anomaly `model` (no parameters: the page never scores with
    /// it); linear in its size.
    pub fn of_anomaly(model: &AnomalyModel) -> Digest {
        let mut totals = Totals::of_provenance(&model.provenance);
        // The texts of its training and comparisons travel in the part's `about`, which the
        // page parses whole: cut them before they go in.
        let mut training = model.training.clone();
        for text in [&mut training.preset, &mut training.threshold_rule] {
            cut(text, &mut totals.lengths);
        }
        for score in &mut training.method_study {
            cut_to(&mut score.recipe, UNSHOWN_CHARS);
        }
        let mut compared = model.compared.clone();
        for c in &mut compared {
            cut(&mut c.name, &mut totals.lengths);
            cut(&mut c.features, &mut totals.lengths);
        }
        let mut part = AnomalyPart::of(model, &training, &compared);
        for feature in &mut part.spec.features {
            cut_noted(&mut feature.name, IMPORTANCE_CHARS, &mut totals.lengths);
        }
        cut_provenance(&mut part.provenance, &mut totals.lengths);
        if let Some(e) = &mut part.evaluation {
            cut_evaluation(e, &mut totals.lengths);
        }
        let json = serde_json::to_string(&Contents {
            features: Some(part.spec),
            threshold: Some(part.threshold),
            provenance: Some(part.provenance),
            evaluation: part.evaluation,
            preset: Some(part.preset),
            threshold_rule: Some(part.threshold_rule),
            anomaly: Some(part.about),
            totals,
            ..Contents::default()
        })
        .unwrap_or_default();
        Digest {
            json,
            parameters: Vec::new(),
        }
    }

    /// What the page shows of `model`: linear in its size.
    pub fn of(model: &Model) -> Digest {
        let mut totals = Totals::of(model);
        let mut file = model.to_file();
        let mut parameters = Vec::new();
        for layer in &mut file.layers {
            parameters.append(&mut layer.weights);
            parameters.append(&mut layer.bias);
        }
        for feature in &mut file.features.features {
            // A wide model has 4,096 names: at 10,000 characters each they would hand the page
            // 41 MB to parse.
            cut_noted(&mut feature.name, IMPORTANCE_CHARS, &mut totals.lengths);
        }
        cut_provenance(&mut file.provenance, &mut totals.lengths);
        let trainings = std::iter::once(&mut file.training);
        for t in trainings.chain(file.baseline.iter_mut().map(|b| &mut b.training)) {
            for text in [&mut t.preset, &mut t.threshold_rule, &mut t.log.stopped] {
                cut(text, &mut totals.lengths);
            }
        }
        if let Some(b) = &mut file.baseline {
            cut(&mut b.name, &mut totals.lengths);
            cut_files(&mut b.training_data, &mut totals.lengths);
        }
        let evaluations = file.evaluation.iter_mut();
        for e in evaluations.chain(
            file.baseline
                .iter_mut()
                .filter_map(|b| b.evaluation.as_mut()),
        ) {
            cut_evaluation(e, &mut totals.lengths);
        }
        totals.loss_steps = thin_log(&mut file.training.log);
        if let Some(b) = &mut file.baseline {
            totals.baseline_loss_steps = thin_log(&mut b.training.log);
        }
        // Serialising plain structs of numbers and strings cannot fail.
        let json = serde_json::to_string(&Contents {
            model: Some(file),
            totals,
            ..Contents::default()
        })
        .unwrap_or_default();
        Digest { json, parameters }
    }

    /// The JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The network's parameters.
    pub fn parameters(&self) -> &[f32] {
        &self.parameters
    }
}

impl Report {
    /// The report of a [`Digest`]'s `json` and `parameters`, checked again as a model file.
    /// Each layer's part is split off the end of `parameters`, last layer first: every
    /// parameter is copied at most once, and the first layer's weights (a wide model's bulk)
    /// not at all.
    pub fn from_digest(json: &str, mut parameters: Vec<f32>) -> Result<Report, WebError> {
        let bad = |what: String| WebError::Request(format!("not a model digest: {what}"));
        let count = parameters.len();
        let contents: Contents = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
        let (mut model, totals) = match contents {
            Contents {
                model: Some(model),
                anomaly: None,
                totals,
                ..
            } => (model, totals),
            Contents {
                model: None,
                features: Some(spec),
                threshold: Some(threshold),
                provenance: Some(provenance),
                evaluation,
                preset: Some(preset),
                threshold_rule: Some(threshold_rule),
                anomaly: Some(about),
                totals,
            } if count == 0 => {
                let part = AnomalyPart {
                    spec,
                    threshold,
                    provenance,
                    evaluation,
                    preset,
                    threshold_rule,
                    about,
                };
                return Report::anomaly_from_part(part, totals);
            }
            _ => return Err(bad("expected one model".into())),
        };
        let wanted = model.layers.iter().fold(0usize, |sum, l| {
            sum.saturating_add(l.inputs.saturating_mul(l.outputs).saturating_add(l.outputs))
        });
        if wanted != count {
            let what = if wanted > count { "few" } else { "many" };
            return Err(bad(format!("{count} parameters are too {what}")));
        }
        for layer in model.layers.iter_mut().rev() {
            let weights = layer.inputs * layer.outputs;
            for (part, n) in [
                (&mut layer.bias, layer.outputs),
                (&mut layer.weights, weights),
            ] {
                *part = match parameters.len() - n {
                    0 => std::mem::take(&mut parameters),
                    rest => parameters.split_off(rest),
                };
            }
        }
        Ok(Report::with_totals(Model::from_file(model)?, totals))
    }

    /// The report of an anomaly model's part, its threshold checked as in a model file.
    fn anomaly_from_part(part: AnomalyPart, totals: Totals) -> Result<Report, WebError> {
        if !(0.0..=1.0).contains(&part.threshold) {
            return Err(WebError::Request(format!(
                "not a model digest: threshold {} is not in [0, 1]",
                part.threshold
            )));
        }
        Ok(Report::of_anomaly(part, totals))
    }
}

/// The worker's build only (feature `worker`).
#[cfg(feature = "worker")]
#[wasm_bindgen]
impl Digest {
    /// Checks a model file; a bad one throws with the reason and line/column.
    #[wasm_bindgen(js_name = check)]
    pub fn check_js(text: &str) -> Result<Digest, JsError> {
        Digest::check(text).map_err(js_error)
    }

    /// The JSON text, for `Report.fromDigest`.
    #[wasm_bindgen(js_name = json)]
    pub fn json_js(&self) -> String {
        self.json.clone()
    }

    /// The network's parameters, copied out of the wasm memory, for `Report.fromDigest`.
    #[wasm_bindgen(js_name = parameters)]
    pub fn parameters_js(&self) -> Vec<f32> {
        self.parameters.clone()
    }
}

/// The page's build only (feature `page`).
#[cfg(feature = "page")]
#[wasm_bindgen]
impl Report {
    /// The report of a model file that the worker checked (`Digest.check`).
    #[wasm_bindgen(js_name = fromDigest)]
    pub fn from_digest_js(json: &str, parameters: Vec<f32>) -> Result<Report, JsError> {
        Report::from_digest(json, parameters).map_err(js_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../../data/model.json");

    const ANOMALY: &str = include_str!("../../../data/anomaly.json");

    #[test]
    fn an_anomaly_model_is_shown_without_its_parameters() {
        let digest = Digest::check(ANOMALY).expect("the shipped anomaly model loads");
        assert!(digest.parameters().is_empty());
        // The histograms (or a forest's trees) are the worker's: the page never gets them.
        assert!(!digest.json().contains("\"histogram\":{\"features\""));
        assert!(!digest.json().contains("\"forest\""));
        let page = Report::from_digest(digest.json(), Vec::new()).expect("rebuilt");
        assert!(page.model().is_none());
        assert_eq!(page.threshold(), 0.380_771_67);
        let info = page.info();
        assert_eq!(
            (info.kind, info.preset, info.feature_set),
            ("anomaly", "anomaly", "paper")
        );
        assert!(info
            .threshold_rule
            .contains("(1 of 604): 99 training rows, each scored by a model fitted on the other 4 of 5 folds and 505 calibration rows"));
        assert_eq!(info.features.len(), 7);
        assert!(info.layers.is_empty() && info.config.is_none() && info.cross_validation.is_none());
        let about: serde_json::Value = serde_json::from_str(
            info.anomaly
                .expect("the file's training and seed study")
                .get(),
        )
        .expect("json");
        assert_eq!(about["training"]["config"]["method"], "histogram");
        assert_eq!(about["training"]["config"]["alerts_per_10k"], 100.0);
        assert_eq!(about["seed_study"].as_array().map(Vec::len), Some(10));
        // Its own test rows: 4,394 (59 benign), ROC-AUC 0.99892 on sus, 0.99220 on evil.
        let shown = info.shown.expect("evaluated");
        assert_eq!(
            (shown.rows, shown.benign, shown.suspicious),
            (4394, 59, 4335)
        );
        let evil = info.evil.expect("the test rows have evil");
        assert_eq!((evil.evil, evil.detected), (4149, 4106));
        assert_eq!(evil.roc_auc, 0.992_203_678_289_826_4);
        // This model; the three models the file compares it with are in its `about`.
        assert_eq!(info.comparison.len(), 1);
        assert_eq!(info.comparison[0].summary.roc_auc, 0.998_922_839_325_161_8);
        assert_eq!(info.comparison[0].optimizer, None);
        // Trained on the 99 rows fitted on; the 505 calibration rows are listed apart.
        assert_eq!(info.comparison[0].training_rows, Some(99));
        let p = &info.provenance;
        assert_eq!((p.training_files, p.trained.rows), (2, 99));
        assert_eq!((p.calibration_files, p.calibrated.rows), (1, 505));
        assert_eq!(p.calibration_data[0].source, "hosts.csv.gz (benign rows)");
        assert_eq!(
            about["settings"],
            "histogram-based outlier score of the paper features, at most 100 values a feature; \
             threshold from 5-fold out-of-fold scores (seed 1) at 100 alerts per 10,000"
        );
        let names: Vec<&str> = about["compared"].as_array().map_or(Vec::new(), |c| {
            c.iter().filter_map(|c| c["name"].as_str()).collect()
        });
        assert_eq!(
            names,
            [
                "BETH paper's isolation forest (re-implemented)",
                "our supervised model",
                "reference recipe (supervised)"
            ]
        );
        assert_eq!(
            about["compared"][0]["summary"]["roc_auc"],
            0.988_415_146_716_712_6
        );
        // 3 + 96 benign training rows, no suspicious ones: no warning for unlabelled training.
        assert!(info.few_rows.is_empty(), "{:?}", info.few_rows);
        // Every event the threshold flags: 4,146 suspicious and no benign one at 0.381, all at 0.
        let at = |t: f32| page.summary_at(t).map(|s| s.confusion.tp + s.confusion.fp);
        assert_eq!(at(page.threshold()), Some(4146));
        assert_eq!(at(0.0), Some(4394));
        // The event form has the spec's fields; scoring them is the worker's.
        assert_eq!(page.event_form().fields.len(), page.spec().fields().len());
        assert!(!page.explains_quickly());
        assert!(page.explain(&[]).is_err());
    }

    #[test]
    fn a_digest_holds_one_model() {
        let digest = Digest::check(ANOMALY).expect("loads");
        let both =
            digest
                .json()
                .replacen("{", &format!("{{\"model\":{},", serde_json::json!(null)), 1);
        assert!(Report::from_digest(&both, Vec::new()).is_ok());
        let shipped = Digest::check(SHIPPED).expect("loads");
        let mut two: serde_json::Value = serde_json::from_str(digest.json()).expect("json");
        let one: serde_json::Value = serde_json::from_str(shipped.json()).expect("json");
        two["model"] = one["model"].clone();
        assert!(two["anomaly"].is_object() && two["evaluation"].is_object());
        let message = Report::from_digest(&two.to_string(), shipped.parameters().to_vec()).err();
        assert_eq!(
            message.map(|e| e.to_string()),
            Some("not a model digest: expected one model".into())
        );
        // An anomaly part with parameters is no digest the worker makes.
        let extra = Report::from_digest(digest.json(), vec![1.0]).err();
        assert!(extra.is_some());
    }

    #[test]
    fn a_digest_shows_what_the_model_file_shows() {
        let whole = Report::from_json(SHIPPED).expect("the shipped model loads");
        let digest = Digest::check(SHIPPED).expect("the shipped model loads");
        // 6→64→32→16→1: 384 + 64 + 2,048 + 32 + 512 + 16 + 16 + 1 parameters.
        assert_eq!(digest.parameters().len(), 3_073);
        let page =
            Report::from_digest(digest.json(), digest.parameters().to_vec()).expect("rebuilt");
        assert_eq!(
            page.model().expect("supervised"),
            whole.model().expect("supervised")
        );
        assert_eq!(page.summary_at(0.5), whole.summary_at(0.5));
    }

    #[test]
    fn long_texts_and_lists_are_cut_and_counted_whole() {
        let mut model = Model::from_json(SHIPPED).expect("the shipped model loads");
        let file = model.provenance.training_data[0].clone();
        model.provenance.training_data = (0..300)
            .map(|i| DataSummary {
                source: format!("{i}{}", "s".repeat(20_000)),
                rows: 2,
                benign: 1,
                suspicious: 1,
                ..file.clone()
            })
            .collect();
        model.provenance.command = "é".repeat(30_000);
        model.provenance.tool = "t".repeat(30_000);
        model.training.log.stopped = "x".repeat(10_001);
        model.spec.features[0].name = "f".repeat(20_000);
        let own = model.evaluation.as_mut().expect("evaluated");
        own.importance[0].feature = "i".repeat(20_000);
        let digest = Digest::of(&model);
        let page =
            Report::from_digest(digest.json(), digest.parameters().to_vec()).expect("rebuilt");
        let p = &page.model().expect("supervised").provenance;
        assert_eq!(p.training_data.len(), 50);
        assert_eq!(p.training_data[49].source.chars().count(), 10_000);
        assert!(p.training_data[49].source.starts_with("49sss"));
        assert_eq!(p.command, "é".repeat(10_000));
        assert_eq!(p.tool.len(), 10_000);
        assert_eq!(
            page.model().expect("supervised").training.log.stopped.len(),
            10_000
        );
        assert_eq!(
            page.model().expect("supervised").spec.features[0]
                .name
                .len(),
            500
        );
        let importance = &page.shown().expect("evaluated").importance;
        assert_eq!(importance[0].feature.len(), 500);
        // The page's copy says how long each text it holds the start of was (UTF-16 units).
        let lengths = &page.info().whole_lengths;
        assert!(lengths.contains(&("é".repeat(10_000), 30_000)));
        assert!(lengths.contains(&("x".repeat(10_000), 10_001)));
        assert!(lengths.contains(&(format!("49{}", "s".repeat(9_998)), 20_002)));
        assert!(lengths.contains(&("f".repeat(500), 20_000)));
        // 50 files, the tool, the command, the log's stop reason and the feature's name.
        assert_eq!(lengths.len(), 54);
        let info = page.info().provenance;
        assert_eq!(info.training_files, 300);
        assert_eq!(info.trained.rows, 600);
        assert_eq!(info.command_length, 30_000);
        assert_eq!(page.info().comparison[0].training_rows, Some(600));
    }

    #[test]
    fn an_anomaly_models_long_texts_are_cut_too() {
        let Ok(AnyModel::Anomaly(mut model)) = AnyModel::from_json(ANOMALY) else {
            panic!("the shipped anomaly model loads");
        };
        let huge = "p".repeat(20_000_000);
        model.training.preset = huge.clone();
        model.training.threshold_rule = huge.clone();
        model.training.method_study = vec![
            cyber_attack_detector::model::MethodScore {
                recipe: huge.clone(),
                seed: 1,
                roc_auc: 0.5,
            };
            3
        ];
        model.compared[0].name = huge.clone();
        model.compared[0].features = huge;
        let digest = Digest::of_anomaly(&model);
        // The page parses the digest and the report's info on its main thread.
        assert!(digest.json().len() < 200_000, "{}", digest.json().len());
        let page = Report::from_digest(digest.json(), Vec::new()).expect("rebuilt");
        let info = serde_json::to_string(&page.info()).expect("json");
        assert!(info.len() < 200_000, "{}", info.len());
        let about: serde_json::Value =
            serde_json::from_str(page.info().anomaly.expect("the file's training").get())
                .expect("json");
        let chars = |v: &serde_json::Value| v.as_str().map_or(0, |s| s.chars().count());
        assert_eq!(page.info().preset.len(), 10_000);
        assert_eq!(page.info().threshold_rule.len(), 10_000);
        assert_eq!(chars(&about["training"]["preset"]), 10_000);
        assert_eq!(chars(&about["compared"][0]["name"]), 10_000);
        assert_eq!(chars(&about["compared"][0]["features"]), 10_000);
        assert_eq!(chars(&about["training"]["method_study"][2]["recipe"]), 200);
        // The page says how long the texts it shows were.
        assert!(page
            .info()
            .whole_lengths
            .contains(&("p".repeat(10_000), 20_000_000)));
    }

    #[test]
    fn long_loss_logs_and_curves_keep_the_points_that_show() {
        let mut model = Model::from_json(SHIPPED).expect("the shipped model loads");
        // A million steps of a sawtooth falling from 2 to 1 every 1,000 steps, the last 0.5.
        let n = 1_000_000;
        let mut loss: Vec<f32> = (0..n).map(|i| 2.0 - (i % 1000) as f32 / 1000.0).collect();
        loss[n - 1] = 0.5;
        model.training.log.loss = loss.clone();
        model.training.log.validation_loss = vec![(0, 1.0); 1000];
        // A ROC curve of 100,000 points: y = √x, threshold 1 − x.
        let m = 100_000;
        let x: Vec<f64> = (0..m).map(|i| i as f64 / (m - 1) as f64).collect();
        let evaluation = model.evaluation.as_mut().expect("evaluated");
        evaluation.roc = Curve {
            y: x.iter().map(|x| x.sqrt()).collect(),
            thresholds: x.iter().map(|x| 1.0 - x).collect(),
            x,
        };
        // The evil PR curve the same 100,000 points.
        let long = evaluation.roc.clone();
        evaluation.evil_curves.as_mut().expect("evil curves").pr = long;
        let digest = Digest::of(&model);
        let page =
            Report::from_digest(digest.json(), digest.parameters().to_vec()).expect("rebuilt");
        let totals = page.totals();
        assert_eq!(page.info().steps_run, n);
        assert_eq!(totals.steps_run, n);
        let steps = totals.loss_steps.as_deref().expect("thinned");
        let kept = &page.model().expect("supervised").training.log.loss;
        assert_eq!(steps.len(), kept.len());
        assert!(
            kept.len() <= 4 * COLUMNS && kept.len() > 2 * COLUMNS,
            "{}",
            kept.len()
        );
        assert_eq!((steps[0], steps[steps.len() - 1]), (0, n - 1));
        assert!(steps.windows(2).all(|w| w[0] < w[1]));
        assert!(steps.iter().zip(kept).all(|(&i, &v)| loss[i] == v));
        // The highest (2) and lowest (0.5) losses are among those kept.
        assert_eq!(kept.iter().copied().fold(f32::MIN, f32::max), 2.0);
        assert_eq!(kept.iter().copied().fold(f32::MAX, f32::min), 0.5);
        assert!(page
            .model()
            .expect("supervised")
            .training
            .log
            .validation_loss
            .is_empty());
        // The shipped baseline's log is short: kept whole.
        assert_eq!(totals.baseline_loss_steps, None);
        let roc = &page.shown().expect("evaluated").roc;
        // Monotone: a column keeps its first and last point, 10 each: 9.76 points per column.
        assert!(
            roc.x.len() <= 2 * 10 * 1024 && roc.x.len() > 10 * 1024,
            "{}",
            roc.x.len()
        );
        assert_eq!((roc.x[0], roc.y[0], roc.thresholds[0]), (0.0, 0.0, 1.0));
        let last = roc.x.len() - 1;
        assert_eq!(
            (roc.x[last], roc.y[last], roc.thresholds[last]),
            (1.0, 1.0, 0.0)
        );
        assert!((0..roc.x.len()).all(|i| roc.y[i] == roc.x[i].sqrt()));
        // The shipped PR curve (under 400 points) is kept whole.
        assert_eq!(
            page.shown().map(|e| &e.pr),
            model.evaluation.as_ref().map(|e| &e.pr)
        );
        // The evil curves likewise: the long one thinned as the ROC curve, the shipped one whole.
        let evil = page.shown().and_then(|e| e.evil_curves.as_ref());
        assert_eq!(evil.map(|c| &c.pr), Some(roc));
        let shipped = model
            .evaluation
            .as_ref()
            .and_then(|e| e.evil_curves.as_ref());
        assert_eq!(evil.map(|c| &c.roc), shipped.map(|c| &c.roc));
        assert_eq!(shipped.map(|c| c.roc.x.len()), Some(30));
    }

    #[test]
    fn host_names_the_page_does_not_show_are_cut_shorter() {
        let mut model = Model::from_json(SHIPPED).expect("the shipped model loads");
        let own = model.evaluation.as_mut().expect("evaluated");
        let host = own.hosts[0].clone();
        // 60 hosts of 20,000-character names; host i has 1 row, but hosts 10 and 55 have 2
        // and hosts 58 and 59 none: the 50 largest are 10, 55, then 0 to 9 and 11 to 48.
        own.hosts = (0..60)
            .map(|i| {
                let rows = match i {
                    10 | 55 => 2,
                    58 | 59 => 0,
                    _ => 1,
                };
                let mut h = host.clone();
                h.host = format!("{i}-{}", "h".repeat(20_000));
                (h.rows, h.benign, h.suspicious) = (rows, 0, rows);
                h.summary.confusion = Default::default();
                h.summary.confusion.tp = rows as u64;
                h
            })
            .collect();
        let digest = Digest::of(&model);
        let page =
            Report::from_digest(digest.json(), digest.parameters().to_vec()).expect("rebuilt");
        let lengths: Vec<usize> = page.info().hosts.iter().map(|h| h.host.len()).collect();
        for (i, &n) in lengths.iter().enumerate() {
            let shown = i < 49 || i == 55;
            assert_eq!(n, if shown { 10_000 } else { 200 }, "host {i}");
        }
        assert_eq!(lengths.len(), 60);
    }

    #[test]
    fn parameters_must_fill_the_layers_exactly() {
        let digest = Digest::check(SHIPPED).expect("the shipped model loads");
        let all = digest.parameters();
        let short = Report::from_digest(digest.json(), all[1..].to_vec()).err();
        assert_eq!(
            short.map(|e| e.to_string()),
            Some("not a model digest: 3072 parameters are too few".into())
        );
        let long = [all, &[0.0]].concat();
        let long = Report::from_digest(digest.json(), long).err();
        assert_eq!(
            long.map(|e| e.to_string()),
            Some("not a model digest: 3074 parameters are too many".into())
        );
        // A non-finite weight is refused as in a model file.
        let mut bad = all.to_vec();
        bad[0] = f32::NAN;
        let bad = Report::from_digest(digest.json(), bad).err();
        assert_eq!(
            bad.map(|e| e.to_string()),
            Some("invalid model file: layer 1 has a non-finite parameter (index 0)".into())
        );
    }
}
