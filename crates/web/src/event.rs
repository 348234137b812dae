//! The single-event form: the BETH fields a model reads, example events to start from, the
//! parsing of what the analyst typed, and its explanation: on the page for a small network, in
//! the page's Web Worker ([`Explainer`]) for one whose explanation would hold up the page.

use super::WebError;
#[cfg(feature = "worker")]
use super::{js_error, to_js};
use cyber_attack_detector::ingest::Field;
use cyber_attack_detector::model::{AnyModel, Detect, Explanation, Method, Model};
use serde::Serialize;
#[cfg(feature = "worker")]
use wasm_bindgen::prelude::*;

/// An example event, with a value for every numeric BETH field (in [`Field::ALL`] order) and
/// every text field (in [`Field::TEXT`] order).
pub struct Preset {
    pub name: &'static str,
    pub description: &'static str,
    values: [f64; 8],
    texts: [&'static str; 2],
}

/// Both are real BETH rows: the benign one from the shipped sample (data/sample.csv), the
/// suspicious one from the test rows the shipped model was evaluated on.
pub const PRESETS: [Preset; 2] = [
    Preset {
        name: "Benign system process",
        description: "systemd (pid 1, parent 0, root) opening a file: a benign row of data/sample.csv",
        values: [1.0, 1.0, 0.0, 0.0, 4026531840.0, 257.0, 4.0, 17.0],
        texts: ["systemd", "openat"],
    },
    Preset {
        name: "Suspicious process",
        description: "tsm (pid 7548, parent 7534, uid 1001) closing a file: labelled suspicious and evil in BETH's test rows",
        values: [7548.0, 7548.0, 7534.0, 1001.0, 4026531840.0, 3.0, 1.0, 0.0],
        texts: ["tsm", "close"],
    },
];

/// A preset's value of one field: a number, or a text field's text.
#[derive(Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PresetValue {
    Number(f64),
    Text(&'static str),
}

impl std::fmt::Display for PresetValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PresetValue::Number(v) => v.fmt(f),
            PresetValue::Text(t) => t.fmt(f),
        }
    }
}

impl Preset {
    pub fn value(&self, field: Field) -> PresetValue {
        match Field::TEXT.iter().position(|&f| f == field) {
            Some(k) => PresetValue::Text(self.texts[k]),
            None => {
                let k = Field::ALL.iter().position(|&f| f == field).unwrap_or(0);
                PresetValue::Number(self.values[k])
            }
        }
    }
}

/// What each field means, for the form's labels.
fn hint(field: Field) -> &'static str {
    match field {
        Field::ProcessId => "process id (pid)",
        Field::ThreadId => "thread id",
        Field::ParentProcessId => "parent's process id",
        Field::UserId => "user id (uid)",
        Field::MountNamespace => "mount namespace",
        Field::EventId => "system call number",
        Field::ArgsNum => "number of arguments",
        Field::ReturnValue => "return value of the call",
        Field::ProcessName => "process name (text)",
        Field::EventName => "event name (text), e.g. openat",
    }
}

#[derive(Debug, PartialEq, Serialize)]
pub struct FormField {
    pub column: &'static str,
    pub hint: &'static str,
    /// Whether the field is text rather than a number.
    pub text: bool,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct FormPreset {
    pub name: &'static str,
    pub description: &'static str,
    /// One value per form field.
    pub values: Vec<PresetValue>,
}

/// The form for a model reading `fields`, with the presets' values for exactly those fields.
#[derive(Debug, PartialEq, Serialize)]
pub struct EventForm {
    pub fields: Vec<FormField>,
    pub presets: Vec<FormPreset>,
}

impl EventForm {
    pub fn new(fields: &[Field]) -> EventForm {
        EventForm {
            fields: fields
                .iter()
                .map(|&f| FormField {
                    column: f.column(),
                    hint: hint(f),
                    text: f.is_text(),
                })
                .collect(),
            presets: PRESETS
                .iter()
                .map(|p| FormPreset {
                    name: p.name,
                    description: p.description,
                    values: fields.iter().map(|&f| p.value(f)).collect(),
                })
                .collect(),
        }
    }
}

/// Scores one event typed as text, one value per field of `model`'s form, with each feature's
/// contribution.
pub fn explain(model: &Model, texts: &[String]) -> Result<Explanation, WebError> {
    let values = model.spec.values_of(texts).map_err(WebError::Request)?;
    Ok(model.explain(&values))
}

/// The most multiply-adds one explanation may cost on the page's main thread (a few
/// milliseconds); a larger network is explained in the page's Web Worker ([`Explainer`]).
pub const PAGE_EXPLANATION_WORK: u64 = 4_000_000;

/// A model that explains typed events, for the page's Web Worker: the page hands it the events
/// of a model whose explanation costs more than [`PAGE_EXPLANATION_WORK`].
#[cfg_attr(feature = "worker", wasm_bindgen)]
pub struct Explainer {
    model: AnyModel,
}

impl Explainer {
    /// Parses and validates a model file of either kind (see [`AnyModel::from_json`]).
    pub fn from_json(text: &str) -> Result<Explainer, WebError> {
        Ok(Explainer {
            model: AnyModel::from_json(text)?,
        })
    }

    /// See [`explain`]; an anomaly model's event by each field's share of its surprise (a
    /// histogram's, see `AnomalyModel::explain`), or, for a forest, whose score is no sum over
    /// features, by nothing but its score ([`score_only`]).
    pub fn explain(&self, texts: &[String]) -> Result<Explanation, WebError> {
        let model = match &self.model {
            AnyModel::Supervised(model) => return explain(model, texts),
            AnyModel::Anomaly(model) => model.as_ref(),
        };
        let values = model.spec.values_of(texts).map_err(WebError::Request)?;
        match model.explain(&values) {
            Some(explanation) => Ok(explanation),
            None => score_only(model, texts),
        }
    }
}

/// Scores one event typed as text with `model`, explained by nothing but its score: an
/// isolation forest's score is no sum over features, so `contributions` is empty and the base
/// score NaN (the page says so).
pub fn score_only(model: &impl Detect, texts: &[String]) -> Result<Explanation, WebError> {
    let spec = model.spec();
    let values = spec.values_of(texts).map_err(WebError::Request)?;
    let events = cyber_attack_detector::ingest::Events {
        values: values.iter().map(|&v| vec![v]).collect(),
        fields: spec.fields(),
        ..Default::default()
    };
    let mut score = Vec::with_capacity(1);
    model
        .score_into(&events, &mut Default::default(), &mut score)
        .map_err(|f| WebError::Request(format!("{}: missing", f.column())))?;
    let score = score.first().copied().unwrap_or(f32::NAN);
    Ok(Explanation {
        score,
        suspicious: model.is_suspicious(score),
        base_score: f32::NAN,
        method: Method::Exact,
        evaluations: 1,
        contributions: Vec::new(),
        ignored: Vec::new(),
        precedent: None,
    })
}

/// The worker's build only (feature `worker`).
#[cfg(feature = "worker")]
#[wasm_bindgen]
impl Explainer {
    /// Loads a model file; a bad one throws with the reason and line/column.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json_js(text: &str) -> Result<Explainer, JsError> {
        Explainer::from_json(text).map_err(js_error)
    }

    /// The explanation ([`Explanation`], `Explanation` in types.d.ts).
    #[wasm_bindgen(js_name = explain, unchecked_return_type = "Explanation")]
    pub fn explain_js(&self, values: Vec<String>) -> Result<JsValue, JsError> {
        to_js(&self.explain(&values).map_err(js_error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_lists_the_fields_and_the_presets_values_for_them() {
        let form = EventForm::new(&[Field::ProcessId, Field::UserId, Field::ProcessName]);
        let columns: Vec<&str> = form.fields.iter().map(|f| f.column).collect();
        assert_eq!(columns, ["processId", "userId", "processName"]);
        assert_eq!(form.fields.iter().filter(|f| f.text).count(), 1);
        use PresetValue::{Number, Text};
        assert_eq!(
            form.presets[0].values,
            [Number(1.0), Number(0.0), Text("systemd")]
        );
        assert_eq!(
            form.presets[1].values,
            [Number(7548.0), Number(1001.0), Text("tsm")]
        );
        let json = serde_json::to_string(&form.presets[1].values).expect("json");
        assert_eq!(json, r#"[7548.0,1001.0,"tsm"]"#);
    }

    #[test]
    fn a_wide_network_is_explained_off_the_page() {
        use cyber_attack_detector::model::Mlp;
        let mut model =
            Model::from_json(include_str!("../../../data/model.json")).expect("shipped");
        // 6→64→32→16→1: (6·64 + 64·32 + 32·16 + 16·1) = 2,960 per pass, one pass for each of
        // the 2^5 coalitions of the 5 fields the features read.
        assert_eq!(model.explanation_work(), 94_720);
        // The worker's explainer explains as the page does.
        let ones = vec!["1".to_string(); model.spec.fields().len()];
        let worker =
            Explainer::from_json(include_str!("../../../data/model.json")).expect("shipped");
        assert_eq!(worker.explain(&ones), explain(&model, &ones));
        // 6→4096→976→1: 24,576 + 3,997,696 + 976 = 4,023,248 per pass; the budget of 2^25
        // multiply-adds holds 8 passes, not 32: one sampled ordering, ∅ + everyone + 4 prefixes.
        let mut rng = cyber_attack_detector::rng::Rng::new(1);
        model.mlp = Mlp::new(&[6, 4096, 976, 1], &mut rng);
        assert_eq!(model.explanation_work(), 24_139_488);
        assert!(model.explanation_work() > PAGE_EXPLANATION_WORK);
    }

    #[test]
    fn an_anomaly_model_scores_one_event_in_the_worker() {
        let text = include_str!("../../../data/anomaly.json");
        let model = cyber_attack_detector::model::AnomalyModel::from_json(text).expect("loads");
        let worker = Explainer::from_json(text).expect("loads");
        let fields = model.spec.fields();
        let form = EventForm::new(&fields);
        for preset in &form.presets {
            let texts: Vec<String> = preset.values.iter().map(ToString::to_string).collect();
            let explanation = worker.explain(&texts).expect("numbers");
            let values: Vec<Vec<f64>> = texts
                .iter()
                .map(|t| vec![t.parse().expect("a number")])
                .collect();
            let events = cyber_attack_detector::ingest::Events {
                values,
                fields: fields.clone(),
                ..Default::default()
            };
            let mut score = Vec::new();
            model
                .score_into(&events, &mut Default::default(), &mut score)
                .expect("fields");
            let score = score[0];
            assert_eq!(explanation.score, score);
            assert_eq!(explanation.suspicious, score >= model.threshold);
            // The shipped anomaly model is a histogram: each of the paper's 7 features has its
            // share of the surprise, from 0, and the shares add up to the score.
            assert_eq!(
                (explanation.base_score, explanation.contributions.len()),
                (0.0, 7)
            );
            let sum: f64 = explanation
                .contributions
                .iter()
                .map(|c| c.contribution)
                .sum();
            assert!(
                (sum - f64::from(score)).abs() < 1e-6,
                "{sum} against {score}"
            );
        }
        let bad = worker
            .explain(&vec!["x".to_string(); fields.len()])
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            bad.as_deref(),
            Some("processId: expected a number, found \"x\"")
        );
    }
}
