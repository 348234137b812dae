//! A model trained in the browser, step by step, on an uploaded labelled CSV: read the file(s)
//! in chunks, split off a stratified held-out part (or take a second file), fit the features
//! and train the network a few steps per call, then choose the threshold, evaluate on the
//! held-out rows and compare with the model the page had.

use super::progress::{Phase, Progress};
use super::session::{missing, summary};
use super::source::{Blob, Source, Tap};
use super::{js_error, to_js, WebError};
use cyber_attack_detector::evaluation::{DataSummary, Dataset};
use cyber_attack_detector::features::FeatureSet;
use cyber_attack_detector::ingest::{EventReader, Events, Field, IngestErrorKind, Labels, Schema};
use cyber_attack_detector::model::{
    evaluate, stratified_split, AnyModel, Baseline, FitError, FitRun, Model, Network, Origin,
    Recipe, ThresholdRule, TrainConfig,
};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// Rows read per call while reading.
const CHUNK_ROWS: usize = 32_768;
/// Rows a training run holds in memory, over both files: the rows and their copies (the
/// split, the feature matrix, a fold's part) take about 250 bytes each at the peak, so this
/// stays near half a gigabyte. BETH's training split has 763,144 rows.
pub const MAX_TRAINING_ROWS: usize = 2_000_000;
/// Multiply-adds of forward and backward passes per call while training (about 50 ms in wasm).
const WORK_PER_CALL: usize = 60_000_000;
/// Most gradient steps per call, so that the loss chart moves often on small networks.
const MAX_STEPS_PER_CALL: usize = 500;

/// What the page asks for; every other setting is the project's default recipe's.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TrainRequest {
    pub features: FeatureSet,
    pub hidden: Vec<usize>,
    pub learning_rate: f32,
    pub steps: usize,
    pub seed: u64,
    /// Share of each class held out for evaluation when no second file is given.
    pub holdout: f64,
}

impl TrainRequest {
    fn check(&self) -> Result<(), WebError> {
        let bad = |m: &str| Err(WebError::Request(m.to_string()));
        if self.hidden.is_empty()
            || self.hidden.len() > 6
            || self.hidden.iter().any(|&w| w == 0 || w > 512)
        {
            return bad("layers: expected 1 to 6 hidden layer widths, each from 1 to 512");
        }
        if !(self.learning_rate.is_finite()
            && self.learning_rate > 0.0
            && self.learning_rate <= 1.0)
        {
            return bad("learning rate: expected a number above 0 and at most 1");
        }
        if !(1..=100_000).contains(&self.steps) {
            return bad("steps: expected a whole number from 1 to 100000");
        }
        if !(0.05..=0.5).contains(&self.holdout) {
            return bad("held-out share: expected a fraction from 0.05 to 0.5");
        }
        Ok(())
    }

    /// The shipped recipe with the page's settings, its threshold rule included.
    fn recipe(&self) -> Recipe {
        let config = TrainConfig {
            hidden: self.hidden.clone(),
            learning_rate: self.learning_rate,
            max_steps: self.steps,
            seed: self.seed,
            // Exactly the steps asked for: the loss chart is the whole run.
            patience: 0,
            ..TrainConfig::default_recipe()
        };
        let threshold = Recipe::preset("default")
            .map_or(ThresholdRule::CrossValidated { folds: 5 }, |r| r.threshold);
        Recipe {
            preset: "custom".into(),
            features: self.features,
            config,
            threshold,
        }
    }

    /// The settings, as the model file's provenance records them.
    fn command(&self) -> String {
        format!(
            "trained in the browser: features {}, hidden layers {:?}, learning rate {}, {} steps, seed {}",
            self.features.name(),
            self.hidden,
            self.learning_rate,
            self.steps,
            self.seed
        )
    }
}

#[wasm_bindgen]
pub struct TrainingSession {
    request: TrainRequest,
    /// [`MAX_TRAINING_ROWS`], lower in tests.
    max_rows: usize,
    /// The page's model, compared with the new one on the held-out rows.
    current: Option<Model>,
    stage: Stage,
}

enum Stage {
    Reading { files: Vec<Reading>, next: usize },
    Training(Box<Fitting>),
    Trained(Box<Fitting>),
    Evaluated(Box<Model>),
    Spent,
}

/// A file read in chunks into memory, for training.
pub(crate) struct Reading {
    reader: EventReader<'static>,
    tap: Tap,
    size: u64,
    name: String,
    events: Events,
}

struct Fitting {
    run: FitRun<Events>,
    /// What the run's rows are.
    train: DataSummary,
    held: Dataset,
    /// Losses already reported.
    reported: usize,
    /// How the held-out rows were chosen, for the provenance.
    split: String,
}

impl TrainingSession {
    /// Opens the training file and, if given, the evaluation file; header problems fail here.
    pub fn new(
        request: TrainRequest,
        current: Option<Model>,
        train: (Source, &str),
        evaluation: Option<(Source, &str)>,
    ) -> Result<TrainingSession, WebError> {
        request.check()?;
        // A supervised set is fitted on files that have every field it reads.
        let wanted = Schema {
            host_namespace: false,
            ..request.features.schema(Labels::Required)
        };
        let extra: Vec<Field> = current
            .iter()
            .flat_map(|m| m.spec.fields())
            .filter(|f| !wanted.fields.contains(f))
            .collect();
        let files = std::iter::once(train)
            .chain(evaluation)
            .map(|(source, name)| Reading::open(source, name, &wanted, &extra))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrainingSession {
            request,
            max_rows: MAX_TRAINING_ROWS,
            current,
            stage: Stage::Reading { files, next: 0 },
        })
    }

    /// Reads a chunk, trains a few steps or evaluates, whichever comes next.
    pub fn advance(&mut self) -> Result<Progress, WebError> {
        match std::mem::replace(&mut self.stage, Stage::Spent) {
            Stage::Reading {
                mut files,
                mut next,
            } => {
                let held: usize = files.iter().map(|f| f.events.len()).sum();
                let file = &mut files[next];
                // One row beyond the limit tells a file that is too large.
                let room = (self.max_rows + 1).saturating_sub(held);
                let read = file.read_chunk(room.min(CHUNK_ROWS))?;
                if held + read > self.max_rows {
                    return Err(WebError::Request(too_many_rows(&file.name, self.max_rows)));
                }
                let progress = file.progress();
                if read == 0 {
                    next += 1;
                }
                self.stage = if next == files.len() {
                    Stage::Training(Box::new(self.start(files)?))
                } else {
                    Stage::Reading { files, next }
                };
                Ok(progress)
            }
            Stage::Training(mut fitting) => {
                let progress = fitting.train()?;
                self.stage = if fitting.run.is_finished() {
                    Stage::Trained(fitting)
                } else {
                    Stage::Training(fitting)
                };
                Ok(progress)
            }
            Stage::Trained(fitting) => {
                let rows = fitting.held.events.len();
                let model = self.evaluate(*fitting)?;
                self.stage = Stage::Evaluated(Box::new(model));
                Ok(Progress {
                    phase: Phase::Evaluating,
                    done: 1.0,
                    total: 1.0,
                    rows,
                    finished: true,
                    loss: Vec::new(),
                })
            }
            stage @ (Stage::Evaluated(_) | Stage::Spent) => {
                self.stage = stage;
                Err(WebError::Request("training has finished".into()))
            }
        }
    }

    /// The trained and evaluated model, once [`Progress::finished`] says so.
    pub fn finish(self) -> Result<Model, WebError> {
        match self.stage {
            Stage::Evaluated(model) => Ok(*model),
            _ => Err(WebError::Request("training has not finished yet".into())),
        }
    }

    /// Splits the rows read, fits the features and sets up the model's network.
    fn start(&self, files: Vec<Reading>) -> Result<Fitting, WebError> {
        let mut read = files.into_iter().map(Reading::finish);
        let all = read
            .next()
            .ok_or_else(|| WebError::Request("no training file".into()))?;
        let seed = self.request.seed;
        let (train, held, split) = match read.next() {
            Some(held) => {
                let split = format!("evaluated on {}", held.summary.source);
                (all, held, split)
            }
            None => {
                let (train_rows, held_rows) =
                    stratified_split(all.labels(), self.request.holdout, seed);
                let percent = (self.request.holdout * 100.0).round();
                let held = all.part(&held_rows, &format!("{percent}% held out"));
                let split = format!(
                    "evaluated on the {} held-out rows ({percent}% of each class, seed {seed})",
                    held.events.len()
                );
                (all.part(&train_rows, "training part"), held, split)
            }
        };
        let Dataset { events, summary } = train;
        let run = FitRun::new(&self.request.recipe(), events, None)
            .map_err(|e| fit_error(&summary.source, e))?;
        Ok(Fitting {
            run,
            train: summary,
            held,
            reported: 0,
            split,
        })
    }

    /// The model of a finished run, evaluated on the held-out rows, with the page's model
    /// beside it on the same rows.
    fn evaluate(&self, fitting: Fitting) -> Result<Model, WebError> {
        let Fitting {
            run,
            train,
            held,
            split,
            ..
        } = fitting;
        let source = train.source.clone();
        let origin = Origin {
            command: self.request.command(),
            training_data: vec![train],
            in_browser: true,
        };
        let mut model = run.finish(origin).map_err(|e| fit_error(&source, e))?;
        model.provenance.protocol += &format!("; {split}");
        let data = &held.summary;
        let evaluation = evaluate(&model, &held.events, held.labels(), data.clone())
            .map_err(|f| missing(&data.source, f))?;
        model.evaluation = Some(evaluation);
        model.baseline = self.current.as_ref().map(|current| {
            // Evaluated only when the held-out rows have every column it reads.
            let evaluation = evaluate(current, &held.events, held.labels(), data.clone()).ok();
            Baseline::of("previous model", current, evaluation)
        });
        Ok(model)
    }
}

impl Reading {
    /// Opens a file for what `wanted` names, and the fields `extra` too when it has them all.
    pub(crate) fn open(
        source: Source,
        name: &str,
        wanted: &Schema,
        extra: &[Field],
    ) -> Result<Reading, WebError> {
        let open = |fields: Vec<Field>| -> Result<Reading, WebError> {
            let (input, tap) = source.open().map_err(WebError::Request)?;
            let schema = Schema {
                fields,
                ..wanted.clone()
            };
            let reader = EventReader::new(input, name, &schema)?;
            Ok(Reading {
                events: reader.empty_events(),
                reader,
                tap,
                size: source.len(),
                name: name.to_string(),
            })
        };
        let all: Vec<Field> = wanted.fields.iter().chain(extra).copied().collect();
        match open(all) {
            Err(WebError::Input(e))
                if matches!(&e.kind, IngestErrorKind::MissingColumn { name, .. }
                if extra.iter().any(|f| f.column() == name)) =>
            {
                open(wanted.fields.clone())
            }
            result => result,
        }
    }

    /// Reads up to `rows` more rows; 0 at the end (an error when the file had none).
    pub(crate) fn read_chunk(&mut self, rows: usize) -> Result<usize, WebError> {
        let n = self.reader.read_chunk(rows, &mut self.events, None)?;
        if n == 0 && self.events.is_empty() {
            return Err(cyber_attack_detector::ingest::IngestError::new(
                &self.name,
                IngestErrorKind::NoRows,
            )
            .into());
        }
        Ok(n)
    }

    /// The file's name, as messages give it.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// What to say when the file had no mount namespace and was read as in the host's.
    pub(crate) fn host_namespace_note(&self) -> Option<String> {
        self.reader.host_namespace_note()
    }

    /// Bytes read of the file's size, and rows read.
    pub(crate) fn progress(&self) -> Progress {
        Progress {
            phase: Phase::Reading,
            done: self.tap.bytes() as f64,
            total: self.size as f64,
            rows: self.events.len(),
            finished: false,
            loss: Vec::new(),
        }
    }

    /// The rows read, counted by class (rows without labels are counted as rows only).
    pub(crate) fn finish(self) -> Dataset {
        let summary = match self.events.sus.as_deref() {
            Some(labels) => summary(&self.name, labels, &self.tap, self.size),
            None => {
                let sha256 = (self.tap.bytes() == self.size).then(|| self.tap.sha256());
                DataSummary::of(self.name.clone(), &self.events, sha256)
            }
        };
        Dataset {
            events: self.events,
            summary,
        }
    }
}

impl Fitting {
    /// About [`WORK_PER_CALL`] worth of steps; the progress carries the model's own losses.
    fn train(&mut self) -> Result<Progress, WebError> {
        let budget = self.run.steps_within(WORK_PER_CALL).min(MAX_STEPS_PER_CALL);
        let step = self
            .run
            .step(budget)
            .map_err(|e| fit_error(&self.train.source, e))?;
        let (done, total, phase, loss) = match step.network {
            Network::Model => {
                let loss = self.run.losses().get(self.reported..).unwrap_or_default();
                self.reported += loss.len();
                (step.steps, step.max_steps, Phase::Training, loss.to_vec())
            }
            Network::Fold { fold, folds } => (
                fold * step.max_steps + step.steps,
                folds * step.max_steps,
                Phase::Validating,
                Vec::new(),
            ),
        };
        Ok(Progress {
            phase,
            done: done as f64,
            total: total as f64,
            rows: self.train.rows,
            finished: false,
            loss,
        })
    }
}

/// The message for training data beyond `limit` rows.
pub(crate) fn too_many_rows(name: &str, limit: usize) -> String {
    format!(
        "{name}: training in the browser holds at most {} rows in memory, and the training data has more. \
         Train on a sample of it (cyber-attack-detector sample --rows 1000000 ...) or with the \
         command-line trainer (cyber-attack-detector train), which has no such limit",
        cyber_attack_detector::charts::thousands(limit as u64)
    )
}

fn fit_error(source: &str, error: FitError) -> WebError {
    match error {
        FitError::MissingField(field) => missing(source, field),
        FitError::Train(_) | FitError::Unlabelled => {
            WebError::Request(format!("{source}: {error}"))
        }
    }
}

#[wasm_bindgen]
impl TrainingSession {
    /// Training on a `File`/`Blob` (inside the Web Worker); `evaluation` is an optional second
    /// file to evaluate on instead of a held-out part; `current` the page's model file, if any.
    #[wasm_bindgen(js_name = fromBlobs)]
    pub fn from_blobs(
        #[wasm_bindgen(unchecked_param_type = "TrainRequest")] request: JsValue,
        current: Option<String>,
        train: Blob,
        train_name: &str,
        evaluation: Option<Blob>,
        evaluation_name: Option<String>,
    ) -> Result<TrainingSession, JsError> {
        let train = Source::blob(train).map_err(js_error)?;
        let evaluation = evaluation.map(Source::blob).transpose().map_err(js_error)?;
        let name = evaluation_name.unwrap_or_default();
        TrainingSession::from_js(
            request,
            current,
            (train, train_name),
            evaluation.map(|s| (s, name.as_str())),
        )
    }

    /// Training on bytes already in memory, evaluated on a held-out part.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(
        #[wasm_bindgen(unchecked_param_type = "TrainRequest")] request: JsValue,
        current: Option<String>,
        bytes: Vec<u8>,
        name: &str,
    ) -> Result<TrainingSession, JsError> {
        TrainingSession::from_js(request, current, (Source::bytes(bytes), name), None)
    }

    fn from_js(
        request: JsValue,
        current: Option<String>,
        train: (Source, &str),
        evaluation: Option<(Source, &str)>,
    ) -> Result<TrainingSession, JsError> {
        let request: TrainRequest = serde_wasm_bindgen::from_value(request).map_err(js_error)?;
        // The page's model is compared with the new one when it is a network too.
        let current = current
            .map(|text| AnyModel::from_json(&text))
            .transpose()
            .map_err(js_error)?
            .and_then(|model| match model {
                AnyModel::Supervised(model) => Some(*model),
                AnyModel::Anomaly(_) => None,
            });
        TrainingSession::new(request, current, train, evaluation).map_err(js_error)
    }

    /// `{phase, done, total, rows, finished, loss?}` after the next piece of work.
    #[wasm_bindgen(js_name = advance, unchecked_return_type = "Progress")]
    pub fn advance_js(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.advance().map_err(js_error)?)
    }

    /// The trained model's file (JSON), to load with `Report.fromJson`.
    #[wasm_bindgen(js_name = finish)]
    pub fn finish_js(self) -> Result<String, JsError> {
        Ok(self.finish().map_err(js_error)?.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../../data/sample.csv");

    fn request() -> TrainRequest {
        TrainRequest {
            features: FeatureSet::Binarised,
            hidden: vec![16, 8],
            learning_rate: 0.01,
            steps: 300,
            seed: 7,
            holdout: 0.25,
        }
    }

    fn session(request: TrainRequest, text: &str) -> Result<TrainingSession, WebError> {
        let current = Model::from_json(include_str!("../../../data/model.json")).ok();
        let source = Source::bytes(text.as_bytes());
        TrainingSession::new(request, current, (source, "sample.csv"), None)
    }

    /// Runs `session` to the end: the model, the losses reported and the phases seen.
    fn run(mut session: TrainingSession) -> Result<(Model, Vec<f32>, Vec<Phase>), WebError> {
        let (mut loss, mut phases) = (Vec::new(), Vec::new());
        loop {
            let progress = session.advance()?;
            loss.extend(progress.loss);
            if phases.last() != Some(&progress.phase) {
                phases.push(progress.phase);
            }
            if progress.finished {
                break;
            }
        }
        Ok((session.finish()?, loss, phases))
    }

    fn train(request: TrainRequest, text: &str) -> Result<(Model, Vec<f32>), WebError> {
        run(session(request, text)?).map(|(model, loss, _)| (model, loss))
    }

    #[test]
    fn the_names_set_trains_in_the_page_on_process_and_event_names() {
        let request = TrainRequest {
            features: FeatureSet::Names,
            ..request()
        };
        let (model, loss) = train(request, SAMPLE).expect("trains");
        assert_eq!(loss.len(), 300);
        assert_eq!(model.spec.set, FeatureSet::Names);
        let fields: Vec<Field> = model.spec.vocabularies.iter().map(|v| v.field).collect();
        assert_eq!(fields, vec![Field::ProcessName, Field::EventName]);
        // The six flags of `binarised`, then one feature per known token and one "no known
        // token" feature per text field.
        let tokens: usize = model.spec.vocabularies.iter().map(|v| v.tokens.len()).sum();
        assert_eq!(model.spec.len(), 6 + tokens + 2);
        assert_eq!(model.evaluation.as_ref().map(|e| e.data.rows), Some(100));
    }

    #[test]
    fn training_on_the_sample_detects_on_held_out_rows() {
        let (model, loss, phases) =
            run(session(request(), SAMPLE).expect("opens")).expect("trains");
        assert_eq!(loss.len(), 300);
        let order = [
            Phase::Reading,
            Phase::Training,
            Phase::Validating,
            Phase::Evaluating,
        ];
        assert_eq!(phases, order);
        // The threshold comes from the shipped recipe's rule: 5-fold cross-validation within
        // the 300 training rows, folds grouped by the sample's 6 hosts, every row scored once
        // out of fold.
        let training = &model.training;
        assert!(
            training
                .threshold_rule
                .contains("5-fold cross-validation (grouped by host, 6 hosts)"),
            "{}",
            training.threshold_rule
        );
        let out_of_fold = training.cross_validation.as_ref().expect("cross-validated");
        let c = &out_of_fold.confusion;
        assert_eq!(c.tp + c.fp + c.tn + c.fn_, 300);
        let evaluation = model.evaluation.as_ref().expect("evaluated");
        assert_eq!(evaluation.data.rows, 100);
        assert!(
            evaluation.summary.roc_auc > 0.9,
            "{}",
            evaluation.summary.roc_auc
        );
        let previous = model
            .baseline
            .as_ref()
            .and_then(|b| b.evaluation.as_ref())
            .expect("compared");
        assert_eq!(previous.data, evaluation.data);
        // The file round-trips through the page.
        let json = model.to_json();
        assert_eq!(Model::from_json(&json).map(|m| m.to_json()), Ok(json));
    }

    #[test]
    fn two_training_rows_take_the_threshold_from_their_own_scores() {
        // One benign and one suspicious row of the sample, evaluated on the whole sample: no
        // cross-validation fold can be trained, and the rule says so.
        let mut lines = SAMPLE.lines();
        let header = lines.next().unwrap_or_default();
        let benign = lines
            .clone()
            .find(|l| l.ends_with(",0,0"))
            .unwrap_or_default();
        let suspicious = lines.find(|l| l.ends_with(",1,0")).unwrap_or_default();
        let two = format!("{header}\n{benign}\n{suspicious}\n");
        let mut r = request();
        r.steps = 20;
        let session = TrainingSession::new(
            r,
            None,
            (Source::bytes(two.as_bytes()), "two.csv"),
            Some((Source::bytes(SAMPLE.as_bytes()), "sample.csv")),
        )
        .expect("opens");
        let (model, loss, phases) = run(session).expect("trains");
        assert_eq!(loss.len(), 20);
        // The folds are skipped, so there is nothing to validate.
        assert_eq!(phases, [Phase::Reading, Phase::Training, Phase::Evaluating]);
        // The core's rule for this case (its whole text is tested there).
        let rule = &model.training.threshold_rule;
        assert!(
            rule.starts_with("maximises balanced accuracy on the training rows' own scores"),
            "{rule}"
        );
        assert_eq!(model.training.cross_validation, None);
        assert_eq!(
            model.provenance.protocol,
            "network and feature scaling fitted on 2 rows (1 benign, 1 suspicious); evaluated on sample.csv"
        );
        assert_eq!(model.evaluation.map(|e| e.data.rows), Some(400));
    }

    #[test]
    fn training_data_beyond_the_memory_limit_is_refused() {
        // The sample has 400 rows: a limit of 399 refuses it before training, 400 trains.
        let mut r = request();
        r.steps = 5;
        let mut refused = session(r.clone(), SAMPLE).expect("opens");
        refused.max_rows = 399;
        let message = run(refused).err().map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some(
                "sample.csv: training in the browser holds at most 399 rows in memory, and the training \
                 data has more. Train on a sample of it (cyber-attack-detector sample --rows 1000000 ...) \
                 or with the command-line trainer (cyber-attack-detector train), which has no such limit"
            )
        );
        let mut fits = session(r, SAMPLE).expect("opens");
        fits.max_rows = 400;
        assert!(run(fits).is_ok());
        // The whole message, as README's table of malformed-input classes shows it.
        assert_eq!(
            too_many_rows("big.csv", MAX_TRAINING_ROWS),
            "big.csv: training in the browser holds at most 2,000,000 rows in memory, and the training data has more. Train on a sample of it (cyber-attack-detector sample --rows 1000000 ...) or with the command-line trainer (cyber-attack-detector train), which has no such limit"
        );
    }

    #[test]
    fn bad_requests_and_files_are_refused() {
        let message = |request: TrainRequest, text: &str| {
            train(request, text)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        let mut r = request();
        r.hidden = vec![];
        assert!(message(r, SAMPLE).starts_with("layers"));
        let mut r = request();
        r.learning_rate = f32::NAN;
        assert!(message(r, SAMPLE).starts_with("learning rate"));
        let unlabelled = SAMPLE.replace(",sus,evil", ",x,y");
        assert!(message(request(), &unlabelled).contains("\"sus\""));
        let header = SAMPLE.lines().next().unwrap_or_default();
        assert!(message(request(), header).contains("no data rows"));
        let benign: String = SAMPLE
            .lines()
            .filter(|l| !l.ends_with(",1,0") && !l.ends_with(",1,1"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            message(request(), &benign).contains("both"),
            "{}",
            message(request(), &benign)
        );
    }
}
