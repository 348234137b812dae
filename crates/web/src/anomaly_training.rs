//! An anomaly model fitted in the browser on a file with or without labels, step by step: the
//! file is read in chunks, then the model is fitted in one step by the core's `fit_anomaly`,
//! the entry point of the command line's `train --preset anomaly`, with the preset's settings
//! but for the false-alarm budget and the seed the page sets. Of a labelled file, a stratified
//! share of the rows is held out for evaluation and the model is fitted on the benign rows of
//! the rest, as the command line fits on the benign rows of labelled files.
//!
//! What it hands the page: the model file, and the scores of the rows it was fitted on as a
//! histogram (with the threshold the budget chose), for the training section's chart.

use super::progress::{Phase, Progress};
use super::source::Source;
use super::training::{too_many_rows, Reading, MAX_TRAINING_ROWS};
use super::{js_error, to_js, WebError};
use cyber_attack_detector::evaluation::{DataSummary, Dataset, HISTOGRAM_BINS};
use cyber_attack_detector::ingest::Labels;
use cyber_attack_detector::metrics::{score_histogram, Histogram};
use cyber_attack_detector::model::{
    fit_anomaly, stratified_split, AnomalyConfig, AnomalyModel, Detect, Provenance, Scorer,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// The preset the page fits: the command line's `train --preset anomaly`.
pub const PRESET: &str = "anomaly";
/// Rows read per call while reading.
const CHUNK_ROWS: usize = 32_768;

/// What the page asks for; every other setting is the preset's.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AnomalyRequest {
    /// The false-alarm budget: at most this many alerts per 10,000 training rows.
    pub alerts_per_10k: f64,
    pub seed: u64,
    /// Share of each class of a labelled file held out for evaluation.
    pub holdout: f64,
}

impl AnomalyRequest {
    /// The preset's settings with the page's budget and seed.
    pub fn config(&self) -> Result<AnomalyConfig, WebError> {
        let bad = |m: &str| Err(WebError::Request(m.to_string()));
        if !(0.0..=10_000.0).contains(&self.alerts_per_10k) {
            return bad("false-alarm budget: expected alerts per 10,000 events, from 0 to 10000");
        }
        if !(0.05..=0.5).contains(&self.holdout) {
            return bad("held-out share: expected a fraction from 0.05 to 0.5");
        }
        let preset = AnomalyConfig::preset(PRESET)
            .ok_or_else(|| WebError::Request(format!("no preset {PRESET}")))?;
        Ok(AnomalyConfig {
            alerts_per_10k: self.alerts_per_10k,
            seed: self.seed,
            ..preset
        })
    }
}

/// A finished fit, as the page gets it.
#[derive(Debug, PartialEq, Serialize)]
pub struct AnomalyTrained {
    /// The model file (JSON text).
    pub model: String,
    /// The rows it was fitted on.
    pub fitted: DataSummary,
    /// Their scores by the model, all counted as the `benign` class (taken as benign-looking:
    /// the budget counts alerts among them).
    pub histogram: Histogram,
    /// Of them, scores at or above the threshold.
    pub flagged: usize,
    pub threshold: f32,
}

#[wasm_bindgen]
pub struct AnomalyTrainingSession {
    config: AnomalyConfig,
    holdout: f64,
    /// [`MAX_TRAINING_ROWS`], lower in tests.
    max_rows: usize,
    stage: Stage,
    /// Said in the model's protocol when the file had no mount namespace.
    namespace_note: Option<String>,
}

enum Stage {
    Reading(Box<Reading>),
    Read(Box<Dataset>),
    Fitted(Box<AnomalyTrained>),
    Spent,
}

impl AnomalyTrainingSession {
    /// Opens the file; a file without the preset's columns fails here.
    pub fn new(
        request: &AnomalyRequest,
        source: Source,
        name: &str,
    ) -> Result<AnomalyTrainingSession, WebError> {
        let config = request.config()?;
        let schema = config.features.schema(Labels::Optional);
        let reading = Reading::open(source, name, &schema, &[])?;
        Ok(AnomalyTrainingSession {
            config,
            holdout: request.holdout,
            max_rows: MAX_TRAINING_ROWS,
            stage: Stage::Reading(Box::new(reading)),
            namespace_note: None,
        })
    }

    /// Reads a chunk, or fits the model once the file is read.
    pub fn advance(&mut self) -> Result<Progress, WebError> {
        match std::mem::replace(&mut self.stage, Stage::Spent) {
            Stage::Reading(mut file) => {
                let held = file.progress().rows;
                let room = (self.max_rows + 1).saturating_sub(held);
                let read = file.read_chunk(room.min(CHUNK_ROWS))?;
                let mut progress = file.progress();
                if progress.rows > self.max_rows {
                    return Err(WebError::Request(too_many_rows(file.name(), self.max_rows)));
                }
                self.stage = match read {
                    0 => {
                        // Said before the fit, which is one long step.
                        progress = Progress {
                            phase: Phase::Training,
                            done: 0.0,
                            total: 1.0,
                            ..progress
                        };
                        self.namespace_note = file.host_namespace_note();
                        Stage::Read(Box::new(file.finish()))
                    }
                    _ => Stage::Reading(file),
                };
                Ok(progress)
            }
            Stage::Read(data) => {
                let rows = data.events.len();
                let trained = self.fit(*data)?;
                self.stage = Stage::Fitted(Box::new(trained));
                Ok(Progress {
                    phase: Phase::Training,
                    done: 1.0,
                    total: 1.0,
                    rows,
                    finished: true,
                    loss: Vec::new(),
                })
            }
            stage @ (Stage::Fitted(_) | Stage::Spent) => {
                self.stage = stage;
                Err(WebError::Request("training has finished".into()))
            }
        }
    }

    /// The fitted model, once [`Progress::finished`] says so.
    pub fn finish(self) -> Result<AnomalyTrained, WebError> {
        match self.stage {
            Stage::Fitted(trained) => Ok(*trained),
            _ => Err(WebError::Request("training has not finished yet".into())),
        }
    }

    /// Fits on every row of an unlabelled file; of a labelled one, on the benign rows of the
    /// part not held out, evaluated on the held-out part.
    fn fit(&self, all: Dataset) -> Result<AnomalyTrained, WebError> {
        let source = all.summary.source.clone();
        let seed = self.config.seed;
        let (fit, held, protocol) = match all.events.sus.as_deref() {
            None => {
                let protocol = format!(
                    "fitted without labels on all {} rows of {source}",
                    all.events.len()
                );
                (all, None, protocol)
            }
            Some(labels) => {
                let (train, held) = stratified_split(labels, self.holdout, seed);
                let benign: Vec<usize> = train.into_iter().filter(|&i| labels[i] == 0).collect();
                let percent = (self.holdout * 100.0).round();
                let held = all.part(&held, &format!("{percent}% held out"));
                let fit = all.part(&benign, "benign rows not held out");
                let protocol = format!(
                    "fitted on the {} benign rows of {source} not held out (labels used only to leave out the suspicious ones); evaluated on the {} held-out rows ({percent}% of each class, seed {seed})",
                    fit.events.len(),
                    held.events.len()
                );
                (fit, Some(held), protocol)
            }
        };
        let protocol = match &self.namespace_note {
            Some(note) => format!("{protocol}; {note}"),
            None => protocol,
        };
        let provenance = Provenance {
            tool: format!("cyber-attack-detector {} (in the browser)", env!("CARGO_PKG_VERSION")),
            command: format!(
                "trained in the browser: preset {PRESET}, budget {} alerts per 10,000 training rows, seed {seed}",
                self.config.alerts_per_10k
            ),
            training_data: vec![fit.summary.clone()],
            calibration_data: Vec::new(),
            protocol,
        };
        let mut model = fit_anomaly(&self.config, PRESET, &fit.events, provenance)
            .map_err(|e| WebError::Request(format!("{}: {e}", fit.summary.source)))?;
        if let Some(held) = held {
            let missing = |f: cyber_attack_detector::ingest::Field| {
                super::session::missing(&held.summary.source, f)
            };
            let evaluation = model
                .evaluate(&held.events, held.labels(), held.summary.clone())
                .map_err(missing)?;
            model.evaluation = Some(evaluation);
        }
        trained(&model, &fit)
    }
}

/// `model` with the scores of the rows it was fitted on.
fn trained(model: &AnomalyModel, fit: &Dataset) -> Result<AnomalyTrained, WebError> {
    let mut scores = Vec::with_capacity(fit.events.len());
    model
        .score_into(&fit.events, &mut Scorer::default(), &mut scores)
        .map_err(|f| super::session::missing(&fit.summary.source, f))?;
    let flagged = scores.iter().filter(|&&s| model.is_suspicious(s)).count();
    Ok(AnomalyTrained {
        model: model.to_json(),
        fitted: fit.summary.clone(),
        histogram: score_histogram(&scores, &vec![0; scores.len()], HISTOGRAM_BINS),
        flagged,
        threshold: model.threshold,
    })
}

#[wasm_bindgen]
impl AnomalyTrainingSession {
    /// Fitting on a `File`/`Blob` (inside the Web Worker).
    #[wasm_bindgen(js_name = fromBlob)]
    pub fn from_blob(
        #[wasm_bindgen(unchecked_param_type = "AnomalyRequest")] request: JsValue,
        file: super::source::Blob,
        name: &str,
    ) -> Result<AnomalyTrainingSession, JsError> {
        let request: AnomalyRequest = serde_wasm_bindgen::from_value(request).map_err(js_error)?;
        let source = Source::blob(file).map_err(js_error)?;
        AnomalyTrainingSession::new(&request, source, name).map_err(js_error)
    }

    /// Fitting on bytes already in memory.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(
        #[wasm_bindgen(unchecked_param_type = "AnomalyRequest")] request: JsValue,
        bytes: Vec<u8>,
        name: &str,
    ) -> Result<AnomalyTrainingSession, JsError> {
        let request: AnomalyRequest = serde_wasm_bindgen::from_value(request).map_err(js_error)?;
        AnomalyTrainingSession::new(&request, Source::bytes(bytes), name).map_err(js_error)
    }

    /// `{phase, done, total, rows, finished}` after the next piece of work.
    #[wasm_bindgen(js_name = advance, unchecked_return_type = "Progress")]
    pub fn advance_js(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.advance().map_err(js_error)?)
    }

    /// `{model, fitted, histogram, flagged, threshold}`.
    #[wasm_bindgen(js_name = finish, unchecked_return_type = "AnomalyTrained")]
    pub fn finish_js(self) -> Result<JsValue, JsError> {
        to_js(&self.finish().map_err(js_error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::tests::{unlabelled, without_mount_namespace};

    const SAMPLE: &str = include_str!("../../../data/sample.csv");

    fn request(budget: f64) -> AnomalyRequest {
        AnomalyRequest {
            alerts_per_10k: budget,
            seed: 3,
            holdout: 0.25,
        }
    }

    fn run(request: AnomalyRequest, text: &str) -> Result<(AnomalyTrained, Vec<Phase>), WebError> {
        let mut session =
            AnomalyTrainingSession::new(&request, Source::bytes(text.as_bytes()), "in.csv")?;
        let mut phases = Vec::new();
        loop {
            let progress = session.advance()?;
            if phases.last() != Some(&progress.phase) {
                phases.push(progress.phase);
            }
            if progress.finished {
                break;
            }
        }
        Ok((session.finish()?, phases))
    }

    #[test]
    fn an_unlabelled_file_is_fitted_as_the_command_line_fits_it() {
        let text = unlabelled();
        let (trained, phases) = run(request(500.0), &text).expect("fits");
        assert_eq!(phases, [Phase::Reading, Phase::Training]);
        // The core's entry point on the same rows with the same settings: the same model.
        let config = request(500.0).config().expect("valid");
        let schema = config.features.schema(Labels::Optional);
        let events = cyber_attack_detector::ingest::read_events(text.as_bytes(), "in.csv", &schema)
            .expect("valid");
        let provenance = Provenance::default();
        let core = fit_anomaly(&config, PRESET, &events, provenance).expect("fits");
        // Scored through `Detect`, whatever the method keeps.
        let score = |model: &AnomalyModel| {
            let mut out = Vec::new();
            model
                .score_into(&events, &mut Scorer::default(), &mut out)
                .expect("fields");
            out
        };
        let ours = AnomalyModel::from_json(&trained.model).expect("a model file");
        assert_eq!(
            (score(&ours), ours.threshold),
            (score(&core), core.threshold)
        );
        assert_eq!(ours.training, core.training);
        // 400 rows, no labels: all fitted on, counted as rows only.
        assert_eq!(
            (
                trained.fitted.rows,
                trained.fitted.benign,
                trained.fitted.suspicious
            ),
            (400, 0, 0)
        );
        assert_eq!(trained.histogram.benign.iter().sum::<u64>(), 400);
        assert_eq!(trained.histogram.suspicious.iter().sum::<u64>(), 0);
        // Budget 500 of 10,000 on 400 held-out scores: at most 20 of them at or above it.
        assert!(ours.training.held_out_flagged <= 20);
        assert_eq!(ours.training.held_out, 400);
        let flagged = score(&core);
        let flagged = flagged.iter().filter(|&&s| s >= core.threshold).count();
        assert_eq!(trained.flagged, flagged);
        assert!(ours.evaluation.is_none());
        assert_eq!(
            ours.provenance.protocol,
            "fitted without labels on all 400 rows of in.csv"
        );
    }

    #[test]
    fn a_labelled_file_is_fitted_on_benign_rows_and_evaluated_on_held_out_ones() {
        let (trained, _) = run(request(100.0), SAMPLE).expect("fits");
        let model = AnomalyModel::from_json(&trained.model).expect("a model file");
        // The sample: 69 benign and 331 suspicious rows; a quarter of each held out (17 and
        // 83, rounded as the split rounds), the other 52 benign rows fitted on.
        let evaluation = model.evaluation.as_ref().expect("evaluated");
        assert_eq!(evaluation.data.rows, 100);
        assert_eq!(trained.fitted.rows, 400 - 100 - (331 - 83));
        assert_eq!(trained.fitted.suspicious, 0);
        assert!(evaluation.evil.is_some());
    }

    #[test]
    fn bad_budgets_and_files_are_refused() {
        let message = |r: AnomalyRequest, text: &str| run(r, text).err().map(|e| e.to_string());
        assert_eq!(
            message(request(10_001.0), SAMPLE).as_deref(),
            Some("false-alarm budget: expected alerts per 10,000 events, from 0 to 10000")
        );
        assert!(message(request(f64::NAN), SAMPLE).is_some());
        let header = SAMPLE.lines().next().unwrap_or_default();
        let empty = message(request(100.0), header).unwrap_or_default();
        assert!(empty.contains("no data rows"), "{empty}");
        // Five rows: the preset's 5 folds need 6.
        let five: String = SAMPLE.lines().take(6).collect::<Vec<_>>().join("\n");
        let few = message(request(100.0), &unlabelled_of(&five)).unwrap_or_default();
        assert_eq!(
            few,
            "in.csv: 5 rows to fit on; an anomaly model needs at least 6"
        );
        let mut limited = AnomalyTrainingSession::new(
            &request(100.0),
            Source::bytes(SAMPLE.as_bytes()),
            "in.csv",
        )
        .expect("opens");
        limited.max_rows = 399;
        let refused = loop {
            match limited.advance() {
                Err(e) => break e.to_string(),
                Ok(p) if p.finished => break String::new(),
                Ok(_) => {}
            }
        };
        assert!(refused.starts_with("in.csv: training in the browser holds at most 399 rows"));
    }

    /// A file without mountNamespace is fitted on as in the host's namespace, and the model's
    /// protocol says so.
    #[test]
    fn a_file_without_a_mount_namespace_is_fitted_as_in_the_hosts_and_says_so() {
        let text = without_mount_namespace();
        assert!(text.starts_with("timestamp,processId,threadId,parentProcessId,userId,processName"));
        let (trained, _) = run(request(500.0), &text).expect("fits");
        let model = AnomalyModel::from_json(&trained.model).expect("a model file");
        assert_eq!(
            model.provenance.protocol,
            "fitted without labels on all 400 rows of in.csv; in.csv has no mountNamespace (Tracee's \
             current JSON form does not write it): its events were read as in the host's own mount \
             namespace, so a container's process looks like the host's"
        );
    }

    /// `text` without its last two columns (`sus`, `evil`).
    fn unlabelled_of(text: &str) -> String {
        text.lines()
            .map(|l| l.rsplitn(3, ',').last().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    }
}
