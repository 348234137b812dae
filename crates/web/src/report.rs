//! A loaded model and the evaluation the page shows: the numbers behind the metric cards, the
//! comparison table, the cost panel and the single-event form. Charts are in [`super::canvas`].

use super::anomaly::AnomalyPart;
use super::event::{explain, EventForm, PAGE_EXPLANATION_WORK};
use super::WebError;
#[cfg(feature = "page")]
use super::{from_js, js_error, to_js};
use cyber_attack_detector::evaluation::{
    few_rows, DataSummary, Evaluation, HostEvaluation, Spread, Summary,
};
use cyber_attack_detector::features::FeatureSpec;
use cyber_attack_detector::metrics::{
    at_prevalence, cheapest, cost_at, widest, AtPrevalence, BadPrevalence, Cheapest, CostPoint,
    Costs, EvilSummary, Interval, Intervals,
};
use cyber_attack_detector::model::{
    Explanation, Model, Optimizer, Provenance, SeedStudy, TrainConfig,
};
use serde::{Deserialize, Serialize};
#[cfg(feature = "page")]
use wasm_bindgen::prelude::*;

/// The name the page gives the loaded model beside its baseline.
pub const THIS_MODEL: &str = "this model";

#[cfg_attr(feature = "page", wasm_bindgen)]
pub struct Report {
    model: Kind,
    /// What the cards and charts describe: the model file's own evaluation, or one computed
    /// on an uploaded file (see [`Report::show`]).
    shown: Option<Evaluation>,
    /// Whether `shown` is the model file's own evaluation. A flag, not a comparison: an
    /// evaluation holds floats, and one NaN (a one-class host's ROC-AUC) makes it unequal to
    /// itself.
    own: bool,
    /// What the page says of the model file's bulk, counted on the whole file once: the page's
    /// copy of a model may hold only the start of it ([`super::digest`]).
    totals: Totals,
}

/// The model a report describes: a supervised network, or the page's part of an anomaly model.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A network trained on `sus` labels.
    Supervised(Box<Model>),
    /// A model fitted without labels (see [`AnomalyPart`]).
    Anomaly(Box<AnomalyPart>),
}

/// The counts the page shows of a model file's long texts and lists, taken from the whole file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// The provenance command's length in UTF-16 units (JavaScript's `length`).
    pub command_length: usize,
    /// How many training files the provenance lists.
    pub training_files: usize,
    /// The rows of all of them.
    pub trained: Rows,
    /// How many files of rows not fitted on, only calibrating the threshold, it lists.
    #[serde(default)]
    pub calibration_files: usize,
    /// The rows of all of them.
    #[serde(default)]
    pub calibrated: Rows,
    /// The rows the baseline was trained on.
    pub baseline_rows: usize,
    /// The steps this model's training ran (its loss log's length).
    pub steps_run: usize,
    /// The steps its baseline's training ran.
    pub baseline_steps_run: usize,
    /// The step of each value of this model's loss log when the page's copy keeps only the
    /// values that show of a long log ([`super::digest`]); `None` when it keeps them all.
    #[serde(default)]
    pub loss_steps: Option<Vec<usize>>,
    /// The same for the baseline's loss log.
    #[serde(default)]
    pub baseline_loss_steps: Option<Vec<usize>>,
    /// Each text the page's copy holds only the first [`COMMAND_CHARS`] characters of (but
    /// feature names), as held, with the whole text's length in UTF-16 units.
    #[serde(default)]
    pub lengths: Vec<(String, usize)>,
}

impl Totals {
    /// The totals of `model`: linear in its texts and lists.
    pub fn of(model: &Model) -> Totals {
        Totals {
            baseline_rows: model
                .baseline
                .as_ref()
                .map_or(0, |b| Rows::of(&b.training_data).rows),
            steps_run: model.training.log.loss.len(),
            baseline_steps_run: model
                .baseline
                .as_ref()
                .map_or(0, |b| b.training.log.loss.len()),
            ..Totals::of_provenance(&model.provenance)
        }
    }

    /// The totals of a model's `provenance` alone (an anomaly model has no loss log or baseline).
    pub fn of_provenance(p: &Provenance) -> Totals {
        Totals {
            command_length: p.command.encode_utf16().count(),
            training_files: p.training_data.len(),
            trained: Rows::of(&p.training_data),
            calibration_files: p.calibration_data.len(),
            calibrated: Rows::of(&p.calibration_data),
            ..Totals::default()
        }
    }
}

/// Everything the page writes about the model, in one object.
#[derive(Serialize)]
pub struct Info<'a> {
    /// `supervised` or `anomaly`.
    pub kind: &'static str,
    /// An anomaly model file's `{training, seed_study}` (see [`AnomalyPart::about`]).
    pub anomaly: Option<&'a serde_json::value::RawValue>,
    pub threshold: f32,
    pub feature_set: &'a str,
    pub features: Vec<String>,
    /// Layer sizes, inputs first.
    pub layers: Vec<usize>,
    pub preset: &'a str,
    pub optimizer: &'static str,
    /// The network's training settings (none for an anomaly model).
    pub config: Option<&'a TrainConfig>,
    pub steps_run: usize,
    pub stopped: &'a str,
    pub threshold_rule: &'a str,
    pub cross_validation: Option<&'a Summary>,
    pub provenance: ProvenanceInfo<'a>,
    /// The rows the cards and charts describe, and whether they are the model file's own.
    pub shown: Option<&'a DataSummary>,
    pub shows_own_evaluation: bool,
    /// The training file whose SHA-256 the shown rows' file has, when they are not the model
    /// file's own evaluation: then the figures are on rows the model was trained on.
    pub shown_trained_on: Option<&'a str>,
    /// The shown rows host by host, at the model's threshold, with the Wilson intervals of
    /// their rates.
    pub hosts: Vec<HostEvaluation>,
    /// Hosts of the shown rows left out of `hosts` (the ones with the fewest rows).
    pub hosts_omitted: usize,
    /// Detection of `evil` on the shown rows at the model's threshold, when they have it.
    pub evil: Option<EvilSummary>,
    /// Why the shown rows have no feature importance, when they have none.
    pub importance_missing: Option<&'static str>,
    /// This model and its baseline side by side, each at its own threshold.
    pub comparison: Vec<Column<'a>>,
    /// The baseline's name when it exists but was not evaluated on the shown rows.
    pub baseline_elsewhere: Option<&'a str>,
    /// Both recipes retrained with other seeds, on the model file's own test rows.
    pub seed_study: Option<SeedSpread>,
    /// A warning for each class with too few rows to trust, in the training rows and then in
    /// the shown rows (see [`few_rows`]).
    pub few_rows: Vec<String>,
    /// The texts of the model file the page holds only the start of (the first
    /// [`COMMAND_CHARS`] characters, 500 of a feature's name), each with the whole text's
    /// length in UTF-16 units.
    pub whole_lengths: &'a [(String, usize)],
}

/// The most training files [`Info`] lists: a model file may list a million, and the page shows
/// the first few (www/report-view.js) with the totals.
pub const LISTED_FILES: usize = 50;

/// The most rows a table of the page shows (www/dom.js `TABLE_ROWS`).
pub const TABLE_ROWS: usize = 50;

/// The most characters of the provenance command [`Info`] gives: the page shows no more, and
/// copying a command of tens of megabytes into JavaScript on every redraw froze it.
pub const COMMAND_CHARS: usize = 10_000;

/// The first `n` characters of `text` (all of it when shorter).
pub fn first_chars(text: &str, n: usize) -> &str {
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// The model's provenance as the page shows it: the first training files, and totals over all.
#[derive(Serialize)]
pub struct ProvenanceInfo<'a> {
    pub tool: &'a str,
    /// The command's first [`COMMAND_CHARS`] characters.
    pub command: &'a str,
    /// The whole command's length in UTF-16 units (JavaScript's `length`).
    pub command_length: usize,
    pub protocol: &'a str,
    /// The first [`LISTED_FILES`] training files.
    pub training_data: &'a [DataSummary],
    /// How many training files there are.
    pub training_files: usize,
    /// The rows of all of them.
    pub trained: Rows,
    /// The first [`LISTED_FILES`] files of rows that only calibrated the threshold.
    pub calibration_data: &'a [DataSummary],
    /// How many there are.
    pub calibration_files: usize,
    /// The rows of all of them.
    pub calibrated: Rows,
}

/// Rows counted by class.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rows {
    pub rows: usize,
    pub benign: usize,
    pub suspicious: usize,
}

impl Rows {
    /// The rows of all of `data`.
    fn of(data: &[DataSummary]) -> Rows {
        data.iter().fold(Rows::default(), |sum, d| Rows {
            rows: sum.rows.saturating_add(d.rows),
            benign: sum.benign.saturating_add(d.benign),
            suspicious: sum.suspicious.saturating_add(d.suspicious),
        })
    }
}

impl<'a> ProvenanceInfo<'a> {
    fn new(p: &'a Provenance, totals: &Totals) -> ProvenanceInfo<'a> {
        ProvenanceInfo {
            tool: &p.tool,
            command: first_chars(&p.command, COMMAND_CHARS),
            command_length: totals.command_length,
            protocol: &p.protocol,
            training_data: &p.training_data[..p.training_data.len().min(LISTED_FILES)],
            training_files: totals.training_files,
            trained: totals.trained.clone(),
            calibration_data: &p.calibration_data[..p.calibration_data.len().min(LISTED_FILES)],
            calibration_files: totals.calibration_files,
            calibrated: totals.calibrated.clone(),
        }
    }
}

/// How much the test results of both recipes move with the seed of the initial weights.
#[derive(Debug, PartialEq, Serialize)]
pub struct SeedSpread {
    pub seeds: usize,
    pub rows: Vec<SpreadRow>,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct SpreadRow {
    pub metric: &'static str,
    pub ours: Spread,
    pub reference: Spread,
    /// The widest of the seeds' 95% intervals of a rate or area (none for counts).
    pub ours_interval: Option<Interval>,
    pub reference_interval: Option<Interval>,
}

/// A metric of the seed table: its name, how to read it from a summary, and its interval.
type SeedMetric = (
    &'static str,
    fn(&Summary) -> f64,
    fn(&Intervals) -> Option<Interval>,
);

impl SeedSpread {
    pub fn new(study: &SeedStudy) -> SeedSpread {
        let metrics: [SeedMetric; 5] = [
            ("ROC-AUC", |s| s.roc_auc, |i| i.roc_auc),
            ("Recall", |s| s.rates.recall, |i| i.recall),
            ("Specificity", |s| s.rates.specificity, |i| i.specificity),
            ("Missed attacks (FN)", |s| s.confusion.fn_ as f64, |_| None),
            ("False alarms (FP)", |s| s.confusion.fp as f64, |_| None),
        ];
        let over = |runs: &[Summary], interval: fn(&Intervals) -> Option<Interval>| {
            widest(runs.iter().map(|s| s.intervals.as_ref().and_then(interval)))
        };
        SeedSpread {
            seeds: study.seeds.len(),
            rows: metrics
                .into_iter()
                .map(|(metric, value, interval)| SpreadRow {
                    metric,
                    ours: Spread::of(&study.ours.iter().map(value).collect::<Vec<_>>()),
                    reference: Spread::of(&study.reference.iter().map(value).collect::<Vec<_>>()),
                    ours_interval: over(&study.ours, interval),
                    reference_interval: over(&study.reference, interval),
                })
                .collect(),
        }
    }
}

fn optimizer_name(optimizer: Optimizer) -> &'static str {
    match optimizer {
        Optimizer::Sgd => "SGD",
        Optimizer::Adam => "Adam",
    }
}

/// One model's column of the comparison table.
#[derive(Serialize)]
pub struct Column<'a> {
    pub name: &'a str,
    pub feature_set: &'a str,
    /// The network's optimizer; `None` for a model not trained by gradient steps.
    pub optimizer: Option<&'static str>,
    pub steps_run: usize,
    /// `None` when the model file does not record them (an anomaly model's comparisons).
    pub training_rows: Option<usize>,
    pub summary: &'a Summary,
}

/// The cost panel: the current threshold's cost and the cheapest threshold's.
#[derive(Debug, PartialEq, Serialize)]
pub struct CostReport {
    pub current: CostPoint,
    pub cheapest: Cheapest,
    pub rows: u64,
}

impl Report {
    pub fn new(model: Model) -> Report {
        let totals = Totals::of(&model);
        Report::with_totals(model, totals)
    }

    /// `model`, whose file's bulk is counted in `totals` (the page's copy may hold only its start).
    pub fn with_totals(model: Model, totals: Totals) -> Report {
        Report::of_kind(Kind::Supervised(Box::new(model)), totals)
    }

    /// An anomaly model's part, whose file's bulk is counted in `totals`.
    pub fn of_anomaly(part: AnomalyPart, totals: Totals) -> Report {
        Report::of_kind(Kind::Anomaly(Box::new(part)), totals)
    }

    fn of_kind(model: Kind, totals: Totals) -> Report {
        let mut report = Report {
            model,
            shown: None,
            own: true,
            totals,
        };
        report.show_own();
        report
    }

    /// Parses and validates a model file (see [`Model::from_json`]).
    pub fn from_json(text: &str) -> Result<Report, WebError> {
        Ok(Report::new(Model::from_json(text)?))
    }

    /// The supervised model, or `None` for an anomaly model.
    pub fn model(&self) -> Option<&Model> {
        match &self.model {
            Kind::Supervised(m) => Some(m),
            Kind::Anomaly(_) => None,
        }
    }

    /// The model of either kind.
    pub fn kind(&self) -> &Kind {
        &self.model
    }

    /// How events become the model's inputs.
    pub fn spec(&self) -> &FeatureSpec {
        match &self.model {
            Kind::Supervised(m) => &m.spec,
            Kind::Anomaly(a) => &a.spec,
        }
    }

    /// Scores at or above this are suspicious.
    pub fn threshold(&self) -> f32 {
        match &self.model {
            Kind::Supervised(m) => m.threshold,
            Kind::Anomaly(a) => a.threshold,
        }
    }

    fn provenance(&self) -> &Provenance {
        match &self.model {
            Kind::Supervised(m) => &m.provenance,
            Kind::Anomaly(a) => &a.provenance,
        }
    }

    /// The model file's own evaluation, if it has one.
    fn own_evaluation(&self) -> Option<&Evaluation> {
        match &self.model {
            Kind::Supervised(m) => m.evaluation.as_ref(),
            Kind::Anomaly(a) => a.evaluation.as_ref(),
        }
    }

    /// The counts of the whole model file, which the page's copy may hold only part of.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    pub fn shown(&self) -> Option<&Evaluation> {
        self.shown.as_ref()
    }

    /// Shows `evaluation` (the model on other rows) instead of the model file's own.
    pub fn show(&mut self, evaluation: Evaluation) {
        self.shown = Some(evaluation);
        self.own = false;
    }

    /// Back to the model file's own evaluation.
    pub fn show_own(&mut self) {
        self.shown = self.own_evaluation().cloned();
        self.own = true;
    }

    fn shows_own(&self) -> bool {
        self.own
    }

    /// The baseline's name and evaluation, when it was evaluated on the rows shown.
    pub fn baseline(&self) -> Option<(&str, &Evaluation)> {
        let baseline = self.model()?.baseline.as_ref()?;
        let evaluation = baseline.evaluation.as_ref()?;
        (Some(&evaluation.data) == self.shown.as_ref().map(|e| &e.data))
            .then_some((baseline.name.as_str(), evaluation))
    }

    /// The headline numbers at `threshold`, exact on the 0.001 grid; `None` without an evaluation.
    pub fn summary_at(&self, threshold: f32) -> Option<Summary> {
        self.shown.as_ref().map(|e| e.at_threshold(threshold))
    }

    pub fn costs(&self, threshold: f32, costs: Costs) -> Option<CostReport> {
        let histogram = &self.shown.as_ref()?.histogram;
        Some(CostReport {
            current: cost_at(histogram, threshold, costs),
            cheapest: cheapest(histogram, costs),
            rows: histogram.confusion_at(0.0).total(),
        })
    }

    /// This model's column of the comparison, when an evaluation is shown.
    fn own_column(&self) -> Option<Column<'_>> {
        let e = self.shown.as_ref()?;
        let (optimizer, steps_run) = match &self.model {
            Kind::Supervised(m) => (
                Some(optimizer_name(m.training.config.optimizer)),
                self.totals.steps_run,
            ),
            Kind::Anomaly(_) => (None, 0),
        };
        Some(Column {
            name: THIS_MODEL,
            feature_set: self.spec().set.name(),
            optimizer,
            steps_run,
            training_rows: Some(self.totals.trained.rows),
            summary: &e.summary,
        })
    }

    pub fn info(&self) -> Info<'_> {
        let mut info = Info {
            kind: "supervised",
            anomaly: None,
            threshold: self.threshold(),
            feature_set: self.spec().set.name(),
            features: self.spec().names(),
            layers: Vec::new(),
            preset: "",
            optimizer: "",
            config: None,
            steps_run: self.totals.steps_run,
            stopped: "",
            threshold_rule: "",
            cross_validation: None,
            provenance: ProvenanceInfo::new(self.provenance(), &self.totals),
            shown: self.shown.as_ref().map(|e| &e.data),
            shows_own_evaluation: self.shows_own(),
            shown_trained_on: self.shown_trained_on(),
            hosts: self.shown.as_ref().map_or(Vec::new(), |e| {
                e.hosts
                    .iter()
                    .map(HostEvaluation::with_rate_intervals)
                    .collect()
            }),
            hosts_omitted: self.shown.as_ref().map_or(0, |e| e.hosts_omitted),
            evil: self.shown.as_ref().and_then(|e| e.evil),
            importance_missing: self.shown.as_ref().and_then(Evaluation::importance_missing),
            comparison: self.own_column().into_iter().collect(),
            baseline_elsewhere: None,
            seed_study: None,
            few_rows: self.few_rows(),
            whole_lengths: &self.totals.lengths,
        };
        match &self.model {
            Kind::Supervised(m) => self.supervised_info(m, &mut info),
            Kind::Anomaly(a) => self.anomaly_info(a, &mut info),
        }
        info
    }

    /// The network's facts, and its baseline beside it.
    fn supervised_info<'a>(&'a self, m: &'a Model, info: &mut Info<'a>) {
        let baseline = self.baseline();
        if let (Some(b), Some((name, e))) = (&m.baseline, baseline) {
            info.comparison.push(Column {
                name,
                feature_set: &b.features,
                optimizer: Some(optimizer_name(b.training.config.optimizer)),
                steps_run: self.totals.baseline_steps_run,
                training_rows: Some(self.totals.baseline_rows),
                summary: &e.summary,
            });
        }
        info.layers = m.mlp.sizes();
        info.preset = &m.training.preset;
        info.optimizer = optimizer_name(m.training.config.optimizer);
        info.config = Some(&m.training.config);
        info.stopped = &m.training.log.stopped;
        info.threshold_rule = &m.training.threshold_rule;
        info.cross_validation = m.training.cross_validation.as_ref();
        info.baseline_elsewhere = m
            .baseline
            .as_ref()
            .filter(|_| baseline.is_none())
            .map(|b| b.name.as_str());
        info.seed_study = m
            .seed_study
            .as_ref()
            .filter(|_| self.shows_own())
            .map(SeedSpread::new);
    }

    /// The anomaly model's facts. The models its file compares it with on its own test rows
    /// are in its `about` (`compared`), which the page lists beside it when those rows are shown.
    fn anomaly_info<'a>(&'a self, a: &'a AnomalyPart, info: &mut Info<'a>) {
        info.kind = "anomaly";
        info.anomaly = Some(&a.about);
        info.preset = &a.preset;
        info.threshold_rule = &a.threshold_rule;
    }

    /// The warnings of [`few_rows`] for the training rows (of a supervised model: an anomaly
    /// model's are not labelled), then for the shown rows.
    fn few_rows(&self) -> Vec<String> {
        let trained = &self.totals.trained;
        let mut warnings = match self.model {
            Kind::Supervised(_) => few_rows("training", trained.benign, trained.suspicious),
            Kind::Anomaly(_) => Vec::new(),
        };
        if let Some(e) = &self.shown {
            warnings.extend(few_rows("evaluation", e.data.benign, e.data.suspicious));
        }
        warnings
    }

    /// The training file with the shown rows' SHA-256, unless they are the model's own test rows.
    fn shown_trained_on(&self) -> Option<&str> {
        let sha = self.shown.as_ref()?.data.sha256.as_deref()?;
        if self.shows_own() {
            return None;
        }
        self.provenance()
            .training_data
            .iter()
            .find(|d| d.sha256.as_deref() == Some(sha))
            .map(|d| d.source.as_str())
    }

    /// The results at `threshold` carried over to a share `prevalence` of attacks; `None`
    /// without an evaluation or with one class only.
    pub fn at_prevalence(
        &self,
        threshold: f32,
        prevalence: f64,
    ) -> Result<Option<AtPrevalence>, BadPrevalence> {
        match self.summary_at(threshold) {
            Some(s) => at_prevalence(&s.confusion, prevalence),
            None => Ok(None),
        }
    }

    pub fn event_form(&self) -> EventForm {
        EventForm::new(&self.spec().fields())
    }

    /// Scores one event typed as text, one value per field of [`Report::event_form`], with
    /// each field's Shapley value. An anomaly model's events are scored by the page's Web
    /// Worker ([`super::Explainer`]), which holds the model.
    pub fn explain(&self, texts: &[String]) -> Result<Explanation, WebError> {
        match &self.model {
            Kind::Supervised(m) => explain(m, texts),
            Kind::Anomaly(_) => Err(WebError::Request(
                "an anomaly model's events are scored in the page's Web Worker".into(),
            )),
        }
    }

    /// Whether one explanation is quick enough for the page's main thread (see
    /// [`PAGE_EXPLANATION_WORK`]); otherwise the page asks its worker's [`super::Explainer`],
    /// as it does for every event of an anomaly model.
    pub fn explains_quickly(&self) -> bool {
        self.model()
            .is_some_and(|m| m.explanation_work() <= PAGE_EXPLANATION_WORK)
    }
}

/// The page's build only (feature `page`).
#[cfg(feature = "page")]
#[wasm_bindgen]
impl Report {
    /// Loads a model file of the project's own (the shipped one, or one the worker trained:
    /// any other file is checked by the worker, which gives the page its digest); a bad one
    /// throws with the reason and line/column.
    #[wasm_bindgen(js_name = fromOwnJson)]
    pub fn from_own_json_js(text: &str) -> Result<Report, JsError> {
        Model::from_own_json(text)
            .map(Report::new)
            .map_err(js_error)
    }

    #[wasm_bindgen(js_name = info, unchecked_return_type = "Info")]
    pub fn info_js(&self) -> Result<JsValue, JsError> {
        to_js(&self.info())
    }

    /// `Summary` at `threshold`, or `null` when the model file has no evaluation.
    #[wasm_bindgen(js_name = summaryAt, unchecked_return_type = "Summary | null")]
    pub fn summary_at_js(&self, threshold: f32) -> Result<JsValue, JsError> {
        to_js(&self.summary_at(threshold))
    }

    /// `{current, cheapest, rows}` for the given prices, or `null` without an evaluation.
    #[wasm_bindgen(js_name = costs, unchecked_return_type = "CostReport | null")]
    pub fn costs_js(
        &self,
        threshold: f32,
        missed_attack: f64,
        false_alarm: f64,
    ) -> Result<JsValue, JsError> {
        let costs = Costs::new(missed_attack, false_alarm).map_err(js_error)?;
        to_js(&self.costs(threshold, costs))
    }

    /// `AtPrevalence` at `threshold` for a share `prevalence` of attacks (0 to 1, exclusive), or
    /// `null` without an evaluation of both classes; throws for a share out of range.
    #[wasm_bindgen(js_name = atPrevalence, unchecked_return_type = "AtPrevalence | null")]
    pub fn at_prevalence_js(&self, threshold: f32, prevalence: f64) -> Result<JsValue, JsError> {
        to_js(
            &self
                .at_prevalence(threshold, prevalence)
                .map_err(js_error)?,
        )
    }

    /// Shows an evaluation that a [`super::ScoreSession`] produced (its `evaluation` field).
    #[wasm_bindgen(js_name = showEvaluation)]
    pub fn show_js(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Evaluation")] evaluation: JsValue,
    ) -> Result<(), JsError> {
        // Read as JSON text by the model file's own reader (an evaluation is a field of the
        // model file).
        self.show(from_js::<Evaluation>(&evaluation, "an evaluation object")?);
        Ok(())
    }

    #[wasm_bindgen(js_name = showOwnEvaluation)]
    pub fn show_own_js(&mut self) {
        self.show_own();
    }

    /// `{fields: [{column, hint}], presets: [{name, description, values}]}`.
    #[wasm_bindgen(js_name = eventForm, unchecked_return_type = "EventForm")]
    pub fn event_form_js(&self) -> Result<JsValue, JsError> {
        to_js(&self.event_form())
    }

    /// `{score, suspicious, base_score, method, evaluations, contributions: [{field, value,
    /// features: [{name, value, baseline}], contribution}], ignored}`.
    #[wasm_bindgen(js_name = explain, unchecked_return_type = "Explanation")]
    pub fn explain_js(&self, values: Vec<String>) -> Result<JsValue, JsError> {
        to_js(&self.explain(&values).map_err(js_error)?)
    }

    /// Whether `explain` is quick enough to call on every keystroke; when it is not, the page
    /// has its Web Worker explain the events (`Explainer`).
    #[wasm_bindgen(js_name = explainsQuickly)]
    pub fn explains_quickly_js(&self) -> bool {
        self.explains_quickly()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Report {
        Report::from_json(include_str!("../../../data/model.json"))
            .expect("the shipped model loads")
    }

    #[test]
    fn summary_follows_the_threshold_exactly() {
        let report = shipped();
        let own = report.shown().expect("evaluated").summary;
        let at = report
            .summary_at(report.model().expect("supervised").threshold)
            .expect("evaluated");
        assert_eq!(at.confusion, own.confusion);
        let everything = report.summary_at(0.0).expect("evaluated");
        assert_eq!(everything.confusion.tn, 0);
        assert_eq!(everything.confusion.total(), own.confusion.total());
    }

    #[test]
    fn provenance_lists_the_first_files_and_counts_them_all() {
        let mut model = shipped().model().expect("supervised").clone();
        let file = model.provenance.training_data[0].clone();
        model.provenance.training_data = (0..60)
            .map(|i| DataSummary {
                source: format!("part-{i}.csv"),
                rows: 3,
                benign: 1,
                suspicious: 2,
                ..file.clone()
            })
            .collect();
        // 10,001 characters, the last two of them 2 UTF-16 units each.
        model.provenance.command = format!("{}𝄞𝄞", "x".repeat(9_999));
        let report = Report::new(model);
        let p = report.info().provenance;
        assert_eq!(p.training_data.len(), 50);
        assert_eq!(p.training_data[49].source, "part-49.csv");
        assert_eq!(p.training_files, 60);
        assert_eq!(
            p.trained,
            Rows {
                rows: 180,
                benign: 60,
                suspicious: 120
            }
        );
        assert_eq!(p.command, format!("{}𝄞", "x".repeat(9_999)));
        assert_eq!(p.command_length, 10_003);
    }

    #[test]
    fn comparison_has_both_models_on_the_test_rows() {
        let report = shipped();
        let info = report.info();
        assert_eq!(info.comparison.len(), 2);
        assert_eq!(info.comparison[1].name, "reference recipe");
        assert!(info.shows_own_evaluation && info.baseline_elsewhere.is_none());
        assert_eq!(info.shown.map(|d| d.rows), Some(4394));
    }

    #[test]
    fn seed_study_spreads_both_recipes() {
        let report = shipped();
        let Some(study) = report.info().seed_study else {
            return; // a model file trained without --seeds
        };
        assert!(study.seeds >= 2);
        for row in &study.rows {
            for s in [&row.ours, &row.reference] {
                assert!(s.min <= s.median && s.median <= s.max, "{row:?}");
            }
        }
    }

    #[test]
    fn tables_carry_intervals_and_few_rows_are_flagged() {
        let report = shipped();
        let info = report.info();
        // The test host: 58 of 59 benign events, Wilson's 91.00% to 99.70%.
        let host = info.hosts[0].summary.intervals.expect("added");
        let specificity = host.specificity.expect("benign rows");
        assert!((specificity.lo - 0.910_042_740_358_577_1).abs() < 1e-12);
        let study = info.seed_study.expect("the shipped model has a seed study");
        let row = &study.rows[2];
        assert_eq!(row.metric, "Specificity");
        let widest = row.ours_interval.expect("stored");
        let seeds = &report
            .model()
            .expect("supervised")
            .seed_study
            .as_ref()
            .expect("study")
            .ours;
        for s in seeds {
            let i = s.intervals.and_then(|i| i.specificity).expect("stored");
            assert!(widest.lo <= i.lo && i.hi <= widest.hi, "{widest:?} {i:?}");
        }
        assert_eq!(study.rows[3].ours_interval, None);
        // 3 + 96 + 505 benign and 199 suspicious training rows; 59 benign test rows: enough.
        assert!(info.few_rows.is_empty(), "{:?}", info.few_rows);
        let mut model = report.model().expect("supervised").clone();
        let e = model.evaluation.as_mut().expect("evaluated");
        (e.data.benign, e.data.suspicious) = (3, 40);
        assert_eq!(
            Report::new(model).info().few_rows,
            ["Only 3 benign rows in the evaluation data: too few for its figures to mean much."]
        );
    }

    #[test]
    fn other_rows_hide_the_baseline_until_shown_back() {
        let mut report = shipped();
        let mut other = report.shown().cloned().expect("evaluated");
        other.data.source = "upload.csv".into();
        report.show(other);
        let info = report.info();
        assert_eq!(info.comparison.len(), 1);
        assert_eq!(info.baseline_elsewhere, Some("reference recipe"));
        assert!(!info.shows_own_evaluation);
        report.show_own();
        assert!(report.baseline().is_some());
    }

    /// A host with one class has a NaN ROC-AUC (`null` in the file): the report still knows it
    /// shows the model file's own evaluation, on loading and after going back to it.
    #[test]
    fn a_nan_in_the_own_evaluation_still_counts_as_its_own() {
        let mut model = shipped().model().expect("supervised").clone();
        let own = model.evaluation.as_mut().expect("evaluated");
        own.hosts[0].summary.roc_auc = f64::NAN;
        let mut report = Report::new(model);
        assert!(report.info().shows_own_evaluation);
        assert!(report.info().seed_study.is_some());
        let mut other = report.shown().cloned().expect("evaluated");
        other.data.source = "upload.csv".into();
        report.show(other);
        assert!(!report.info().shows_own_evaluation);
        report.show_own();
        assert!(report.info().shows_own_evaluation);
    }

    #[test]
    fn costs_price_the_errors_at_the_threshold() {
        let report = shipped();
        let t = report.model().expect("supervised").threshold;
        let c = report
            .costs(t, Costs::new(100.0, 1.0).expect("valid"))
            .expect("evaluated");
        let confusion = report.summary_at(t).expect("evaluated").confusion;
        assert_eq!(
            c.current.cost,
            confusion.fn_ as f64 * 100.0 + confusion.fp as f64
        );
        assert!(c.cheapest.point.cost <= c.current.cost);
        assert_eq!(c.rows, 4394);
    }

    #[test]
    fn rows_of_a_training_file_are_named_when_shown() {
        let mut report = shipped();
        let trained = report.model().expect("supervised").provenance.training_data[2].clone();
        let mut other = report.shown().cloned().expect("evaluated");
        assert_eq!(report.info().shown_trained_on, None);
        other.data.source = "again.csv.gz".into();
        other.data.sha256 = trained.sha256.clone();
        report.show(other.clone());
        assert_eq!(
            report.info().shown_trained_on,
            Some(trained.source.as_str())
        );
        other.data.sha256 = Some("0".repeat(64));
        report.show(other);
        assert_eq!(report.info().shown_trained_on, None);
    }

    #[test]
    fn precision_at_a_prevalence_comes_from_the_shown_rates() {
        let report = shipped();
        let t = report.model().expect("supervised").threshold;
        let c = report.summary_at(t).expect("evaluated").confusion;
        let p = report
            .at_prevalence(t, 0.01)
            .expect("valid")
            .expect("both classes");
        let (r, f) = (
            c.tp as f64 / (c.tp + c.fn_) as f64,
            c.fp as f64 / (c.fp + c.tn) as f64,
        );
        assert_eq!(p.precision, 0.01 * r / (0.01 * r + 0.99 * f));
        assert!(report.at_prevalence(t, 0.0).is_err());
    }

    #[test]
    fn explain_scores_the_presets_apart() {
        let report = shipped();
        let form = report.event_form();
        let score = |values: &[crate::event::PresetValue]| {
            let texts: Vec<String> = values.iter().map(ToString::to_string).collect();
            report.explain(&texts).expect("numbers").score
        };
        let benign = score(&form.presets[0].values);
        let suspicious = score(&form.presets[1].values);
        assert!(
            benign < report.model().expect("supervised").threshold,
            "{benign}"
        );
        assert!(
            suspicious >= report.model().expect("supervised").threshold,
            "{suspicious}"
        );
        let bad = report.explain(&["x".to_string()]);
        assert!(bad.is_err());
    }
}
