//! What the page holds of an anomaly model (`"kind": "anomaly"`): everything its report shows,
//! without the model itself (the forest, or whatever the method keeps), which only the Web
//! Worker reads. The worker checks the whole file ([`super::Digest::check`]) and hands the page
//! this part; scoring a file or one event with the model is the worker's work.
//!
//! The file's `training` (preset, settings, threshold rule, rows held out), `compared` and
//! `seed_study` travel as [`About`], JSON the page's wasm passes on to the page's JavaScript
//! without a typed reader: one would grow the page's first load, and they are only shown.
//! Their shape is the model file's (`AnomalyTraining`, `Compared`, `SeedRow` in the core),
//! declared in `www/types.d.ts`; whatever settings a later method adds show up as they are.

use cyber_attack_detector::evaluation::Evaluation;
use cyber_attack_detector::features::FeatureSpec;
use cyber_attack_detector::model::{AnomalyModel, Provenance};
use serde::{Deserialize, Serialize};

/// The model file's `training`, `compared` and `seed_study`, as JSON.
pub type About = serde_json::Value;

/// An anomaly model as the page's report holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnomalyPart {
    /// How events become the model's inputs (the event form's fields).
    pub features: FeatureSpec,
    /// Scores at or above this are alerts.
    pub threshold: f32,
    /// The tool, command and data that made it.
    pub provenance: Provenance,
    /// Results on labelled test rows, if the file has them.
    #[serde(default)]
    pub evaluation: Option<Evaluation>,
    /// `{training, compared, seed_study}` of the model file.
    pub about: About,
}

impl AnomalyPart {
    /// The part of `model` the page shows.
    pub fn of(model: &AnomalyModel) -> AnomalyPart {
        AnomalyPart {
            features: model.spec.clone(),
            threshold: model.threshold,
            provenance: model.provenance.clone(),
            evaluation: model.evaluation.clone(),
            about: serde_json::json!({
                "training": model.training,
                "compared": model.compared,
                "seed_study": model.seed_study,
            }),
        }
    }

    /// The models the file compares this one with, on its own test rows, as JSON.
    pub fn compared(&self) -> &[serde_json::Value] {
        self.about
            .get("compared")
            .and_then(serde_json::Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// A text of the file's `training` (e.g. `preset`, `threshold_rule`); empty when absent.
    pub fn training_text(&self, name: &str) -> &str {
        self.about
            .get("training")
            .and_then(|t| t.get(name))
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
    }
}
