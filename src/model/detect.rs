//! What scoring, streamed evaluation, the scored writers and the alert grouper need of a model,
//! whichever kind it is: the supervised network ([`Model`]) or the anomaly model
//! ([`AnomalyModel`]), and [`AnyModel`], either one as read from a model file.

use super::anomaly::{is_anomaly_file, AnomalyModel};
use super::detector::{Model, Scorer};
use super::file::ModelError;
use super::precedent::Precedents;
use crate::evaluation::{DataSummary, Evaluation};
use crate::features::FeatureSpec;
use crate::ingest::{Events, Field, Labels, Schema};

/// A model that scores events and decides at a threshold.
pub trait Detect {
    /// How events become the model's inputs.
    fn spec(&self) -> &FeatureSpec;
    /// Scores at or above this are suspicious.
    fn threshold(&self) -> f32;
    /// The seed the model was fitted with (also seeds the evaluation's samples).
    fn seed(&self) -> u64;
    /// Scores every row of `events`, appending to `out`; errs with the first field they lack.
    fn score_into(
        &self,
        events: &Events,
        scorer: &mut Scorer,
        out: &mut Vec<f32>,
    ) -> Result<(), Field>;
    /// Everything the report shows about the model on labelled `events`.
    fn evaluate(
        &self,
        events: &Events,
        labels: &[u8],
        data: DataSummary,
    ) -> Result<Evaluation, Field>;

    /// The training rows' inputs with their counts, when the model file keeps them (a supervised
    /// network trained by this project); none for the anomaly model.
    fn precedents(&self) -> Option<&Precedents> {
        None
    }

    /// What a file must contain for this model.
    fn schema(&self, labels: Labels) -> Schema {
        self.spec().schema(labels)
    }

    /// Suspicious when at or above the threshold, and when NaN, so that a broken score never
    /// passes as benign.
    fn is_suspicious(&self, score: f32) -> bool {
        score >= self.threshold() || score.is_nan()
    }
}

impl Detect for Model {
    fn spec(&self) -> &FeatureSpec {
        &self.spec
    }

    fn threshold(&self) -> f32 {
        self.threshold
    }

    fn seed(&self) -> u64 {
        self.training.config.seed
    }

    fn precedents(&self) -> Option<&Precedents> {
        self.training.precedents.as_ref()
    }

    fn score_into(
        &self,
        events: &Events,
        scorer: &mut Scorer,
        out: &mut Vec<f32>,
    ) -> Result<(), Field> {
        Model::score_into(self, events, scorer, out)
    }

    fn evaluate(
        &self,
        events: &Events,
        labels: &[u8],
        data: DataSummary,
    ) -> Result<Evaluation, Field> {
        super::fit::evaluate(self, events, labels, data)
    }
}

/// A model file of either kind.
#[derive(Clone, Debug, PartialEq)]
pub enum AnyModel {
    /// A network trained on `sus` labels (a file without `"kind"`, or `"kind": "supervised"`).
    Supervised(Box<Model>),
    /// A histogram-based outlier score or an isolation forest, fitted without labels
    /// (`"kind": "anomaly"`).
    Anomaly(Box<AnomalyModel>),
}

impl AnyModel {
    /// Parses and validates a model file of either kind, told apart by its `"kind"`.
    pub fn from_json(text: &str) -> Result<AnyModel, ModelError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value = super::file::envelope(text)?;
        if is_anomaly_file(&value)? {
            let model = AnomalyModel::from_checked_json(text, value)?;
            Ok(AnyModel::Anomaly(Box::new(model)))
        } else {
            let model = Model::from_checked_json(text, value)?;
            Ok(AnyModel::Supervised(Box::new(model)))
        }
    }

    /// The model file's JSON.
    pub fn to_json(&self) -> String {
        match self {
            AnyModel::Supervised(m) => m.to_json(),
            AnyModel::Anomaly(m) => m.to_json(),
        }
    }

    /// The model as [`Detect`].
    fn inner(&self) -> &dyn Detect {
        match self {
            AnyModel::Supervised(m) => m.as_ref(),
            AnyModel::Anomaly(m) => m.as_ref(),
        }
    }
}

impl Detect for AnyModel {
    fn spec(&self) -> &FeatureSpec {
        self.inner().spec()
    }

    fn threshold(&self) -> f32 {
        self.inner().threshold()
    }

    fn seed(&self) -> u64 {
        self.inner().seed()
    }

    fn precedents(&self) -> Option<&Precedents> {
        self.inner().precedents()
    }

    fn score_into(
        &self,
        events: &Events,
        scorer: &mut Scorer,
        out: &mut Vec<f32>,
    ) -> Result<(), Field> {
        self.inner().score_into(events, scorer, out)
    }

    fn evaluate(
        &self,
        events: &Events,
        labels: &[u8],
        data: DataSummary,
    ) -> Result<Evaluation, Field> {
        self.inner().evaluate(events, labels, data)
    }
}
