//! What the page holds of an anomaly model (`"kind": "anomaly"`): everything its report shows,
//! without the model itself (the forest, or whatever the method keeps), which only the Web
//! Worker reads. The worker checks the whole file ([`super::Digest::check`]) and hands the page
//! this part; scoring a file or one event with the model is the worker's work.
//!
//! The file's `training` (preset, settings, threshold rule, rows held out), `compared` and
//! `seed_study` travel as [`About`], JSON text the page's wasm passes on to the page's
//! JavaScript unread, their texts cut as the digest cuts a supervised file's: a typed reader
//! would grow the page's first load, and they are only shown.
//! Their shape is the model file's (`AnomalyTraining`, `Compared`, `SeedRow` in the core),
//! declared in `www/types.d.ts`; whatever settings a later method adds show up as they are.
//! The two texts the page's wasm needs of them, the worker copies out.

use cyber_attack_detector::evaluation::Evaluation;
use cyber_attack_detector::features::FeatureSpec;
use cyber_attack_detector::model::{AnomalyModel, AnomalyTraining, Compared, Provenance};
use serde_json::value::RawValue;

/// The model file's `training`, `compared` and `seed_study`, as JSON text.
pub type About = Box<RawValue>;

/// An anomaly model as the page's report holds it.
#[derive(Clone, Debug)]
pub struct AnomalyPart {
    /// How events become the model's inputs (the event form's fields).
    pub spec: FeatureSpec,
    /// Scores at or above this are alerts.
    pub threshold: f32,
    /// The tool, command and data that made it.
    pub provenance: Provenance,
    /// Results on labelled test rows, if the file has them.
    pub evaluation: Option<Evaluation>,
    /// The preset it was fitted with.
    pub preset: String,
    /// How its threshold was chosen, in words.
    pub threshold_rule: String,
    /// `{training, compared, seed_study}` of the model file.
    pub about: About,
}

impl PartialEq for AnomalyPart {
    /// Equal when every field is, [`About`] compared as text.
    fn eq(&self, other: &AnomalyPart) -> bool {
        (&self.spec, self.threshold, &self.provenance, &self.preset)
            == (
                &other.spec,
                other.threshold,
                &other.provenance,
                &other.preset,
            )
            && (&self.threshold_rule, self.about.get())
                == (&other.threshold_rule, other.about.get())
            && serde_json::to_string(&self.evaluation).ok()
                == serde_json::to_string(&other.evaluation).ok()
    }
}

impl AnomalyPart {
    /// The part of `model` the page shows, with `training` and `compared` in place of the
    /// model's own: copies of them with their texts cut ([`super::Digest::of_anomaly`]).
    pub fn of(
        model: &AnomalyModel,
        training: &AnomalyTraining,
        compared: &[Compared],
    ) -> AnomalyPart {
        let about = serde_json::json!({
            "training": training,
            "settings": training.config.settings(),
            "compared": compared,
            "seed_study": model.seed_study,
        });
        AnomalyPart {
            spec: model.spec.clone(),
            threshold: model.threshold,
            provenance: model.provenance.clone(),
            evaluation: model.evaluation.clone(),
            preset: training.preset.clone(),
            threshold_rule: training.threshold_rule.clone(),
            // Plain values of numbers and strings: serialising cannot fail.
            about: serde_json::value::to_raw_value(&about).unwrap_or_default(),
        }
    }
}
