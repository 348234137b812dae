//! What the bench page times in our wasm, built on the main crate and nothing else: scoring a
//! feature matrix that is already in wasm memory, parsing a CSV from a buffer, steps of the
//! default training recipe, and the page's own training session end to end.
//!
//! The native binaries (`src/bin/`) use the same functions without JS types.

use cyber_attack_detector::evaluation::Summary;
use cyber_attack_detector::features::{FeatureSet, FeatureSpec};
use cyber_attack_detector::ingest::{read_events, EventReader, Events, Field, Labels, Schema};
use cyber_attack_detector::model::{
    Activations, Labelled, Mlp, Model, Scratch, TrainConfig, Trainer,
};
use cyber_attack_detector_web::{Source, TrainRequest, TrainingSession};
use js_sys::{Float32Array, Uint8Array};
use ndarray::Array2;
use std::fmt::Display;
use wasm_bindgen::prelude::*;

mod alerts;
pub use alerts::AlertGrouping;

fn js_error(error: impl Display) -> JsError {
    JsError::new(&error.to_string())
}

/// Reads the `fields` of a CSV (plain or gzip) held in memory.
pub fn read(csv: &[u8], fields: Vec<Field>, labels: Labels) -> Result<Events, String> {
    read_events(
        csv,
        "input",
        &Schema {
            fields,
            labels,
            host_namespace: false,
        },
    )
    .map_err(|e| e.to_string())
}

/// The feature matrix of `events` under `spec`, row-major.
pub fn feature_rows(spec: &FeatureSpec, events: &Events) -> Result<Vec<f32>, String> {
    let matrix = spec
        .matrix(events)
        .map_err(|f| format!("missing column {}", f.column()))?;
    Ok(matrix.iter().copied().collect())
}

/// Parses every numeric BETH column and the labels of a CSV: the work PapaParse is compared
/// with. Returns the number of rows.
#[wasm_bindgen]
pub fn parse(csv: &[u8]) -> Result<usize, JsError> {
    let events = read(csv, Field::ALL.to_vec(), Labels::Optional).map_err(js_error)?;
    Ok(events.len())
}

/// Reads a file (CSV or Tracee JSON lines) as the page's worker reads it while scoring: every
/// numeric field, the labels and hosts, and each row's record of BETH's columns, in chunks of the
/// worker's size (16,384 rows). Returns the number of rows.
#[wasm_bindgen(js_name = readRecords)]
pub fn read_records(bytes: &[u8]) -> Result<usize, JsError> {
    let schema = Schema {
        fields: Field::ALL.to_vec(),
        labels: Labels::Optional,
        host_namespace: false,
    };
    let mut reader = EventReader::new(bytes, "input", &schema).map_err(js_error)?;
    let mut records = Vec::new();
    let mut rows = 0;
    loop {
        let mut events = reader.empty_events();
        records.clear();
        let read = reader
            .read_chunk(1 << 14, &mut events, Some(&mut records))
            .map_err(js_error)?;
        if read == 0 {
            return Ok(rows);
        }
        rows += read;
    }
}

/// A model and a feature matrix kept in wasm memory, scored on demand.
#[wasm_bindgen]
pub struct Scoring {
    model: Model,
    features: Vec<f32>,
    scores: Vec<f32>,
    scratch: Scratch,
}

#[wasm_bindgen]
impl Scoring {
    #[wasm_bindgen(constructor)]
    pub fn new(model_json: &str) -> Result<Scoring, JsError> {
        Ok(Scoring {
            model: Model::from_json(model_json).map_err(js_error)?,
            features: Vec::new(),
            scores: Vec::new(),
            scratch: Scratch::default(),
        })
    }

    /// Computes and keeps the features of a CSV's rows; returns the number of rows.
    pub fn load(&mut self, csv: &[u8]) -> Result<usize, JsError> {
        let events = read(csv, self.model.spec.fields(), Labels::Optional).map_err(js_error)?;
        self.features = feature_rows(&self.model.spec, &events).map_err(js_error)?;
        Ok(events.len())
    }

    /// A copy of the kept feature matrix (rows × features), for the other engines.
    pub fn features(&self) -> Float32Array {
        Float32Array::from(&self.features[..])
    }

    /// Keeps `features` (rows × features) instead, e.g. a worker's share of the rows.
    #[wasm_bindgen(js_name = setFeatures)]
    pub fn set_features(&mut self, features: Vec<f32>) {
        self.features = features;
    }

    /// Scores the kept rows and hands the scores to JS.
    pub fn score(&mut self) -> Float32Array {
        let rows = self.features.len() / self.model.spec.len().max(1);
        self.scores.resize(rows, 0.0);
        self.model
            .mlp
            .score(&self.features, &mut self.scores, &mut self.scratch);
        Float32Array::from(&self.scores[..])
    }
}

/// Where scoring's time goes: each layer of a model on its own, as a one-layer network, on the
/// real inputs it gets (the previous layer's activations) for a few rows, small enough to stay in
/// L2 cache (a block of [`Mlp::score`] stays in L1).
#[wasm_bindgen]
pub struct Layers {
    layers: Vec<Layer>,
    scratch: Scratch,
}

struct Layer {
    mlp: Mlp,
    input: Vec<f32>,
    output: Vec<f32>,
}

#[wasm_bindgen]
impl Layers {
    /// Every layer of `scoring`'s model on its first `rows` kept rows.
    #[wasm_bindgen(constructor)]
    pub fn new(scoring: &Scoring, rows: usize) -> Layers {
        let mlp = &scoring.model.mlp;
        let rows = rows.min(scoring.features.len() / mlp.inputs().max(1));
        let x = &scoring.features[..rows * mlp.inputs()];
        let mut acts = Activations::default();
        mlp.forward(x, rows, &mut acts);
        let inputs = std::iter::once(x).chain(acts.outputs.iter().map(Vec::as_slice));
        let layers = mlp
            .layers
            .iter()
            .zip(inputs)
            .map(|(layer, input)| Layer {
                mlp: Mlp {
                    layers: vec![layer.clone()],
                },
                input: input.to_vec(),
                output: vec![0.0; rows * layer.outputs()],
            })
            .collect();
        Layers {
            layers,
            scratch: Scratch::default(),
        }
    }

    /// Rows each layer scores per run (fewer than asked for when fewer were kept).
    pub fn rows(&self) -> usize {
        self.layers
            .first()
            .map_or(0, |l| l.output.len() / l.mlp.outputs().max(1))
    }

    /// Inputs and outputs of each layer: `[inputs₀, outputs₀, inputs₁, …]`.
    pub fn shapes(&self) -> Vec<usize> {
        let sizes = |l: &Layer| [l.mlp.inputs(), l.mlp.outputs()];
        self.layers.iter().flat_map(sizes).collect()
    }

    /// Scores layer `k`'s rows `times` times.
    pub fn run(&mut self, k: usize, times: usize) {
        if let Some(l) = self.layers.get_mut(k) {
            for _ in 0..times {
                l.mlp.score(&l.input, &mut l.output, &mut self.scratch);
            }
        }
    }
}

/// Steps of a training recipe on a labelled CSV, without the stopping rule, and what another
/// engine needs to train the same recipe from the same start.
#[wasm_bindgen]
pub struct Training {
    trainer: Trainer,
    config: TrainConfig,
    monotone: Vec<usize>,
    features: Vec<f32>,
    labels: Vec<u8>,
}

impl Training {
    /// A trainer of `config` (any step limit and stopping rule lifted) on the `set` features
    /// of a labelled CSV.
    pub fn with(csv: &[u8], set: FeatureSet, config: TrainConfig) -> Result<Training, String> {
        let events = read(csv, FeatureSpec::fields_of(set), Labels::Required)?;
        let spec = FeatureSpec::fit(set, &events);
        let features = feature_rows(&spec, &events)?;
        let labels = events.sus.unwrap_or_default();
        let x = Array2::from_shape_vec((labels.len(), spec.len()), features.clone())
            .map_err(|e| e.to_string())?;
        let config = TrainConfig {
            max_steps: usize::MAX,
            patience: 0,
            ..config
        };
        let data = Labelled {
            x,
            y: labels.clone(),
        };
        let mut trainer = Trainer::new(config.clone(), data, None).map_err(|e| e.to_string())?;
        let monotone: Vec<usize> = (0..spec.len())
            .filter(|&k| spec.features[k].monotone)
            .collect();
        trainer.constrain_monotone(&monotone);
        Ok(Training {
            trainer,
            config,
            monotone,
            features,
            labels,
        })
    }

    /// The feature matrix trained on, row-major.
    pub fn rows(&self) -> &[f32] {
        &self.features
    }

    pub fn network(&self) -> &Mlp {
        self.trainer.network()
    }
}

/// A network's layers as the model file stores them (weights row-major, inputs × outputs).
pub fn layers_json(mlp: &Mlp) -> serde_json::Value {
    mlp.layers
        .iter()
        .map(|l| {
            serde_json::json!({
                "inputs": l.inputs(),
                "outputs": l.outputs(),
                "weights": l.weights.iter().collect::<Vec<_>>(),
                "bias": l.bias.to_vec(),
            })
        })
        .collect()
}

#[wasm_bindgen]
impl Training {
    /// The default recipe on the binarised features of a labelled CSV.
    #[wasm_bindgen(constructor)]
    pub fn new(csv: &[u8]) -> Result<Training, JsError> {
        Training::with(csv, FeatureSet::Binarised, TrainConfig::default_recipe()).map_err(js_error)
    }

    /// Runs `steps` steps; returns their losses.
    pub fn steps(&mut self, steps: usize) -> Vec<f32> {
        (0..steps).filter_map(|_| self.trainer.step()).collect()
    }

    /// The training rows' features (rows × features) and labels, for another engine.
    pub fn features(&self) -> Float32Array {
        Float32Array::from(&self.features[..])
    }

    pub fn labels(&self) -> Uint8Array {
        Uint8Array::from(&self.labels[..])
    }

    /// The recipe's settings, its monotone inputs and the current network's layers, as JSON:
    /// before the first step, the start every engine trains from.
    pub fn recipe(&self) -> String {
        serde_json::json!({
            "config": self.config,
            "monotone": self.monotone,
            "layers": layers_json(self.trainer.network()),
        })
        .to_string()
    }
}

/// The page's training session on a CSV in memory (what the page runs in its worker on a
/// dropped file), from reading to the evaluated model; returns the model file.
#[wasm_bindgen(js_name = trainSession)]
pub fn train_session(
    request_json: &str,
    csv: Vec<u8>,
    current: Option<String>,
) -> Result<String, JsError> {
    let request: TrainRequest = serde_json::from_str(request_json).map_err(js_error)?;
    let current = current
        .map(|text| Model::from_json(&text))
        .transpose()
        .map_err(js_error)?;
    let mut session =
        TrainingSession::new(request, current, (Source::bytes(csv), "train.csv"), None)
            .map_err(js_error)?;
    while !session.advance().map_err(js_error)?.finished {}
    Ok(session.finish().map_err(js_error)?.to_json())
}

/// A model's summary (threshold, confusion, rates, ROC-AUC) on a labelled CSV, as JSON.
#[wasm_bindgen]
pub fn evaluate(model_json: &str, csv: &[u8]) -> Result<String, JsError> {
    let model = Model::from_json(model_json).map_err(js_error)?;
    let events = read(csv, model.spec.fields(), Labels::Required).map_err(js_error)?;
    let scores = model
        .score(&events)
        .map_err(|f| js_error(format!("missing column {}", f.column())))?;
    let labels = events.sus.unwrap_or_default();
    let summary = Summary::compute(&scores, &labels, model.threshold);
    serde_json::to_string(&summary).map_err(js_error)
}
