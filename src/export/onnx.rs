//! A model as a standard ONNX graph (opset 17, IR version 8): the feature transforms and the
//! network in one file that ONNX Runtime, Spark jobs and other engines run unchanged; an
//! anomaly model's forest as an `ai.onnx.ml` tree ensemble ([`anomaly_to_onnx`]).
//!
//! The graph computes what [`Model::score`] computes, step by step:
//!
//! - **inputs**: one 1-D `double` tensor per field the feature spec reads, named by its BETH
//!   column (`processId`, `userId`, …), in the order of [`FeatureSpec::fields`];
//! - **features**, in double as the core computes them: z-scores `(x - mean) / std` held within
//!   ±[`Z_LIMIT`], their squares and products, and the flags (`Equal`/`Or`/`Not` for a set,
//!   `GreaterOrEqual`, `Less`, `Greater`) as 0 or 1; then `Cast` to float, as the core rounds
//!   each feature to f32;
//! - **network**: `MatMul`, `Add` and `Relu` per hidden layer, `Sigmoid` on the last;
//! - **guard**: a row with a feature beyond [`Model::input_limit`] (or NaN) is scored NaN, as
//!   the core scores it, where the network's sums could overflow;
//! - **outputs**: `score` (float, one per row) and `verdict` (bool: at or above the threshold, or
//!   NaN, as [`Model::is_suspicious`] decides).
//!
//! The network's sums and the sigmoid are the engine's own (ONNX Runtime's kernels add in
//! another order and use fused multiply-adds), so scores agree to within about 1e-7, not to
//! the bit. The file's `metadata_props` carry `threshold`, `input_limit`, `feature_spec` (the
//! spec's JSON, as in the model file), `provenance` (its JSON) and `model_sha256` (SHA-256 of
//! the model file as `train` writes it, [`Model::to_json`] and a newline).

use super::pattern::any_token;
use super::protobuf::Message;
use crate::features::{FeatureSpec, Transform, Z_LIMIT};
use crate::ingest::Field;
use crate::model::{
    average_path, Activation, AnomalyModel, Estimator, Forest, Histograms, Model, Tree,
};
use sha2::{Digest, Sha256};

/// ONNX's `TensorProto.DataType` codes of the element types the graph uses.
#[derive(Clone, Copy)]
enum DataType {
    Float = 1,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Double = 11,
}

/// The opset the graph is written against: `ReduceSum`, `Unsqueeze` and `Squeeze` take their
/// axes as an input (opset 13 on), `GreaterOrEqual` exists (12 on).
const OPSET: i64 = 17;
/// The IR version that goes with opset 17.
const IR_VERSION: i64 = 8;
/// The opset of a model that reads text fields: `RegexFullMatch` exists from 20 on.
const TEXT_OPSET: i64 = 20;
/// The IR version that goes with opset 20.
const TEXT_IR_VERSION: i64 = 9;

/// The model as an ONNX file's bytes (see the module's documentation for the graph).
pub fn to_onnx(model: &Model) -> Vec<u8> {
    let mut graph = Graph::default();
    let features = graph.features(&model.spec);
    let out_of_range = graph.out_of_range(&features, model.input_limit());
    let mut current = features;
    for (l, layer) in model.mlp.layers.iter().enumerate() {
        let (inputs, outputs) = (layer.inputs() as i64, layer.outputs() as i64);
        let weights = graph.tensor(
            &format!("layer{l}_weights"),
            &[inputs, outputs],
            DataType::Float,
            layer.weights.iter().flat_map(|w| w.to_le_bytes()).collect(),
        );
        let bias = graph.tensor(
            &format!("layer{l}_bias"),
            &[outputs],
            DataType::Float,
            layer.bias.iter().flat_map(|b| b.to_le_bytes()).collect(),
        );
        let product = graph.node("MatMul", &[&current, &weights], &[]);
        let sum = graph.node("Add", &[&product, &bias], &[]);
        let activation = match layer.activation {
            Activation::Relu => "Relu",
            Activation::Sigmoid => "Sigmoid",
        };
        current = graph.node(activation, &[&sum], &[]);
    }
    let axis = graph.axis_1();
    let network = graph.node("Squeeze", &[&current, &axis], &[]);
    let nan = graph.scalar_f32("nan", f32::NAN);
    graph.node_into("Where", &[&out_of_range, &nan, &network], "score", &[]);
    graph.verdict(model.threshold);
    let digest = Sha256::digest(format!("{}\n", model.to_json()).as_bytes());
    let metadata = [
        ("threshold", model.threshold.to_string()),
        ("input_limit", format!("{:e}", model.input_limit())),
        ("feature_spec", json(serde_json::to_string(&model.spec))),
        ("provenance", json(serde_json::to_string(&model.provenance))),
        ("model_sha256", hex(&digest)),
    ];
    graph.file(
        &model.spec,
        "feature transforms and network of a cyber-attack-detector model file.",
        &[],
        &metadata,
    )
}

/// An anomaly model as an ONNX file's bytes: the same inputs, features and outputs as
/// [`to_onnx`]'s, then the score computed in double as the core computes it, and rounded to
/// float once:
///
/// - a **histogram**: per feature, a chain of `Equal`/`Where` over its kept values picks the
///   value's surprise (the "other" bin's when none matches, NaN included), the surprises are
///   added in feature order with `Add`, and divided by their largest sum: the same doubles added
///   in the same order, so the same bits as `Histograms::score`;
/// - an **isolation forest**: an `ai.onnx.ml` `TreeEnsembleRegressor` whose leaves hold their
///   path lengths (summed over the trees, less a constant added back), then the score
///   2^(−mean path / c(sample size)), as `Forest::score` computes it. A split sends a row left
///   when its feature is at most the split; the feature is an f32, so the split written is the
///   largest f32 not above it, which sends every row the same way.
pub fn anomaly_to_onnx(model: &AnomalyModel) -> Vec<u8> {
    let mut graph = Graph::default();
    let features = graph.features(&model.spec);
    let (score, what, opsets) = match &model.estimator {
        Estimator::Forest(forest) => (
            graph.forest_score(&features, forest),
            "isolation forest",
            vec![(ML_DOMAIN, ML_OPSET)],
        ),
        Estimator::Histogram(histogram) => (
            graph.histogram_score(&features, histogram),
            "histograms",
            vec![],
        ),
    };
    graph.node_into(
        "Cast",
        &[&score],
        "score",
        &[attribute_int("to", DataType::Float as i64)],
    );
    graph.verdict(model.threshold);
    let digest = Sha256::digest(format!("{}\n", model.to_json()).as_bytes());
    let metadata = [
        ("threshold", model.threshold.to_string()),
        ("feature_spec", json(serde_json::to_string(&model.spec))),
        ("provenance", json(serde_json::to_string(&model.provenance))),
        ("model_sha256", hex(&digest)),
    ];
    graph.file(
        &model.spec,
        &format!("feature transforms and {what} of a cyber-attack-detector anomaly model file."),
        &opsets,
        &metadata,
    )
}

impl Graph {
    /// The forest's score of every row of `features`, in double.
    fn forest_score(&mut self, features: &str, forest: &Forest) -> String {
        // The engine sums the leaves in f32: each leaf holds its path length less the mean
        // leaf's, so that the sums stay small (about 2,400 over 300 trees otherwise, where an
        // f32 is 0.0002 apart), and the trees' share of the mean is added back in double.
        let leaves: Vec<f64> = forest
            .trees
            .iter()
            .flat_map(|tree| {
                (0..tree.len())
                    .filter(|&n| tree.left[n] == 0)
                    .map(|n| tree.value[n])
            })
            .collect();
        let mean_leaf = leaves.iter().sum::<f64>() / leaves.len().max(1) as f64;
        let mut ensemble = Ensemble::default();
        for (t, tree) in forest.trees.iter().enumerate() {
            ensemble.add(t as i64, tree, mean_leaf);
        }
        let mut attributes = ensemble.attributes();
        attributes.push(attribute_int("n_targets", 1));
        attributes.push(attribute_string("aggregate_function", "SUM"));
        attributes.push(attribute_string("post_transform", "NONE"));
        let total = self.node_in(ML_DOMAIN, "TreeEnsembleRegressor", &[features], &attributes);
        let axis = self.axis_1();
        let total = self.node("Squeeze", &[&total, &axis], &[]);
        let total = self.cast(&total, DataType::Double);
        let offset = self.scalar_f64("offset", forest.trees.len() as f64 * mean_leaf);
        let total = self.node("Add", &[&total, &offset], &[]);
        // Grown on one row or none, every row scores 0.5 (as `Forest::score` scores them).
        let norm = average_path(forest.sample_size);
        let (scale, factor) = match norm > 0.0 {
            true => (-1.0 / (forest.trees.len() as f64 * norm), 1.0),
            false => (0.0, 0.5),
        };
        let scale = self.scalar_f64("scale", scale);
        let exponent = self.node("Mul", &[&total, &scale], &[]);
        let two = self.scalar_f64("two", 2.0);
        let power = self.node("Pow", &[&two, &exponent], &[]);
        let factor = self.scalar_f64("factor", factor);
        self.node("Mul", &[&power, &factor], &[])
    }

    /// The histograms' score of every row of `features`, in double: each feature's surprise
    /// picked by `Equal`/`Where`, added from 0 in feature order, over the largest sum (0 when
    /// that is 0, as `Histograms::score`).
    fn histogram_score(&mut self, features: &str, histogram: &Histograms) -> String {
        let mut total = self.scalar_f64("zero", 0.0);
        for (f, (bins, surprise)) in histogram
            .features
            .iter()
            .zip(histogram.surprises())
            .enumerate()
        {
            let index = self.tensor(
                "feature",
                &[],
                DataType::Int64,
                (f as i64).to_le_bytes().to_vec(),
            );
            let column = self.node("Gather", &[features, &index], &[attribute_int("axis", 1)]);
            let shape = self.node("Shape", &[&column], &[]);
            let other = surprise.last().copied().unwrap_or(0.0);
            let other = self.scalar_f64("other", other);
            let mut term = self.node("Expand", &[&other, &shape], &[]);
            for (&value, &s) in bins.values.iter().zip(surprise) {
                let value = self.scalar_f32("value", value);
                let matches = self.node("Equal", &[&column, &value], &[]);
                let s = self.scalar_f64("surprise", s);
                term = self.node("Where", &[&matches, &s, &term], &[]);
            }
            total = self.node("Add", &[&total, &term], &[]);
        }
        let most = histogram.most();
        let (op, by) = match most > 0.0 {
            true => ("Div", most),
            false => ("Mul", 0.0),
        };
        let by = self.scalar_f64("most", by);
        self.node(op, &[&total, &by], &[])
    }
}

/// The domain of `TreeEnsembleRegressor`, and the opset of it the graph is written against.
const ML_DOMAIN: &str = "ai.onnx.ml";
const ML_OPSET: i64 = 1;

/// The trees' nodes as `TreeEnsembleRegressor` lists them: one entry per node in each list,
/// and one target entry per leaf.
#[derive(Default)]
struct Ensemble {
    tree_ids: Vec<i64>,
    node_ids: Vec<i64>,
    feature_ids: Vec<i64>,
    modes: Vec<&'static str>,
    values: Vec<f32>,
    true_ids: Vec<i64>,
    false_ids: Vec<i64>,
    leaf_trees: Vec<i64>,
    leaf_nodes: Vec<i64>,
    leaf_weights: Vec<f32>,
}

impl Ensemble {
    /// Adds tree `t`, its leaves less `offset`: a split node's true branch (feature at most the
    /// split) is its left child.
    fn add(&mut self, t: i64, tree: &Tree, offset: f64) {
        for node in 0..tree.len() {
            let left = i64::from(tree.left[node]);
            let value = tree.value[node];
            self.tree_ids.push(t);
            self.node_ids.push(node as i64);
            if left == 0 {
                self.feature_ids.push(0);
                self.modes.push("LEAF");
                self.values.push(0.0);
                self.true_ids.push(0);
                self.false_ids.push(0);
                self.leaf_trees.push(t);
                self.leaf_nodes.push(node as i64);
                self.leaf_weights.push((value - offset) as f32);
            } else {
                self.feature_ids.push(i64::from(tree.feature[node]));
                self.modes.push("BRANCH_LEQ");
                self.values.push(f32_at_most(value));
                self.true_ids.push(left);
                self.false_ids.push(left + 1);
            }
        }
    }

    fn attributes(&self) -> Vec<Message> {
        vec![
            attribute_ints("nodes_treeids", &self.tree_ids),
            attribute_ints("nodes_nodeids", &self.node_ids),
            attribute_ints("nodes_featureids", &self.feature_ids),
            attribute_strings("nodes_modes", &self.modes),
            attribute_floats("nodes_values", &self.values),
            attribute_ints("nodes_truenodeids", &self.true_ids),
            attribute_ints("nodes_falsenodeids", &self.false_ids),
            attribute_ints("target_treeids", &self.leaf_trees),
            attribute_ints("target_nodeids", &self.leaf_nodes),
            attribute_ints("target_ids", &vec![0; self.leaf_nodes.len()]),
            attribute_floats("target_weights", &self.leaf_weights),
        ]
    }
}

/// The largest f32 not above `x`: for an f32 feature `v`, `v <= x` exactly when
/// `v <= f32_at_most(x)`.
fn f32_at_most(x: f64) -> f32 {
    let rounded = x as f32;
    if f64::from(rounded) <= x || !rounded.is_finite() {
        rounded
    } else if rounded > 0.0 {
        f32::from_bits(rounded.to_bits() - 1)
    } else if rounded == 0.0 {
        -f32::from_bits(1)
    } else {
        f32::from_bits(rounded.to_bits() + 1)
    }
}

/// Serialising plain structs of numbers and strings cannot fail.
fn json(value: Result<String, serde_json::Error>) -> String {
    value.unwrap_or_default()
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A graph being built: its nodes and constants, in the order they are added (each node's
/// inputs come before it, as ONNX requires).
#[derive(Default)]
struct Graph {
    nodes: Vec<Message>,
    initializers: Vec<Message>,
    /// Names given so far, to make each new one unique.
    names: usize,
    /// The z-score of each field computed so far, to compute it once however many features
    /// read it.
    z_scores: Vec<(Field, String)>,
    /// The name of the `[1]` axes tensor, once made.
    axis_1: Option<String>,
}

impl Graph {
    /// `verdict`: `score` at or above `threshold`, or NaN (as `Detect::is_suspicious`).
    fn verdict(&mut self, threshold: f32) {
        let threshold = self.scalar_f32("threshold", threshold);
        let at_least = self.node("GreaterOrEqual", &["score", &threshold], &[]);
        let broken = self.node("IsNaN", &["score"], &[]);
        self.node_into("Or", &[&at_least, &broken], "verdict", &[]);
    }

    /// The ONNX file of this graph: one input per field `spec` reads (text as strings, numbers
    /// as doubles), `score` and `verdict` out, the default opset (20 when text is read, else
    /// 17) plus `extra_opsets`, and `metadata` as its `metadata_props`.
    fn file(
        self,
        spec: &FeatureSpec,
        what: &str,
        extra_opsets: &[(&str, i64)],
        metadata: &[(&str, String)],
    ) -> Vec<u8> {
        let mut graph_proto = Message::new();
        for node in &self.nodes {
            graph_proto.message(1, node);
        }
        graph_proto.string(2, "cyber-attack-detector");
        for tensor in &self.initializers {
            graph_proto.message(5, tensor);
        }
        graph_proto.string(
            10,
            "One row per event: the raw BETH columns in (double), `score` (float, NaN when a \
             feature is too large to score safely) and `verdict` (score >= threshold or NaN) out.",
        );
        for field in spec.fields() {
            let data_type = match field.is_text() {
                true => DataType::String,
                false => DataType::Double,
            };
            graph_proto.message(11, &value_info(field.column(), data_type));
        }
        graph_proto.message(12, &value_info("score", DataType::Float));
        graph_proto.message(12, &value_info("verdict", DataType::Bool));

        let text = spec.fields().iter().any(|f| f.is_text());
        let (opset_version, ir_version) = match text {
            true => (TEXT_OPSET, TEXT_IR_VERSION),
            false => (OPSET, IR_VERSION),
        };
        let mut file = Message::new();
        file.int(1, ir_version)
            .string(2, "cyber-attack-detector")
            .string(3, env!("CARGO_PKG_VERSION"))
            .string(
                6,
                &format!("A threat detector for Linux kernel process events (BETH): {what}"),
            )
            .message(7, &graph_proto);
        for (domain, version) in [("", opset_version)]
            .into_iter()
            .chain(extra_opsets.iter().copied())
        {
            let mut opset = Message::new();
            opset.string(1, domain).int(2, version);
            file.message(8, &opset);
        }
        for (key, value) in metadata {
            let mut entry = Message::new();
            entry.string(1, key).string(2, value);
            file.message(14, &entry);
        }
        file.into_bytes()
    }

    fn fresh(&mut self, hint: &str) -> String {
        self.names += 1;
        format!("{hint}_{}", self.names)
    }

    /// Adds an `op` node reading `inputs`; returns the name of its one output.
    fn node(&mut self, op: &str, inputs: &[&str], attributes: &[Message]) -> String {
        let output = self.fresh(&op.to_ascii_lowercase());
        self.node_into(op, inputs, &output, attributes);
        output
    }

    /// Adds an `op` node reading `inputs` and writing `output`.
    fn node_into(&mut self, op: &str, inputs: &[&str], output: &str, attributes: &[Message]) {
        self.push_node("", op, inputs, output, attributes);
    }

    /// Adds a node of another domain than ONNX's own (e.g. `ai.onnx.ml`); returns its output.
    fn node_in(
        &mut self,
        domain: &str,
        op: &str,
        inputs: &[&str],
        attributes: &[Message],
    ) -> String {
        let output = self.fresh(&op.to_ascii_lowercase());
        self.push_node(domain, op, inputs, &output, attributes);
        output
    }

    /// A `NodeProto`: input (1), output (2), name (3), op_type (4), attribute (5), domain (7).
    fn push_node(
        &mut self,
        domain: &str,
        op: &str,
        inputs: &[&str],
        output: &str,
        attributes: &[Message],
    ) {
        let mut node = Message::new();
        for input in inputs {
            node.string(1, input);
        }
        node.string(2, output).string(3, output).string(4, op);
        for attribute in attributes {
            node.message(5, attribute);
        }
        if !domain.is_empty() {
            node.string(7, domain);
        }
        self.nodes.push(node);
    }

    /// Adds a constant tensor (an initializer) of `dims` holding `raw` (little-endian values);
    /// returns its name.
    fn tensor(&mut self, hint: &str, dims: &[i64], data_type: DataType, raw: Vec<u8>) -> String {
        let name = self.fresh(hint);
        self.initializers.push(tensor(&name, dims, data_type, &raw));
        name
    }

    fn scalar_f64(&mut self, hint: &str, value: f64) -> String {
        self.tensor(hint, &[], DataType::Double, value.to_le_bytes().to_vec())
    }

    fn scalar_f32(&mut self, hint: &str, value: f32) -> String {
        self.tensor(hint, &[], DataType::Float, value.to_le_bytes().to_vec())
    }

    /// The axes tensor `[1]` that `Unsqueeze`, `Squeeze` and `ReduceSum` read.
    fn axis_1(&mut self) -> String {
        if let Some(name) = &self.axis_1 {
            return name.clone();
        }
        let name = self.tensor("axis", &[1], DataType::Int64, 1i64.to_le_bytes().to_vec());
        self.axis_1 = Some(name.clone());
        name
    }

    /// `Cast` of `input` to `to`.
    fn cast(&mut self, input: &str, to: DataType) -> String {
        self.node("Cast", &[input], &[attribute_int("to", to as i64)])
    }

    /// `ReduceSum` of a rows × n tensor over its second axis: one value per row.
    fn row_sums(&mut self, input: &str) -> String {
        let axis = self.axis_1();
        self.node(
            "ReduceSum",
            &[input, &axis],
            &[attribute_int("keepdims", 0)],
        )
    }

    /// The rows × features float matrix the network reads, computed from the field inputs.
    fn features(&mut self, spec: &FeatureSpec) -> String {
        let axis = self.axis_1();
        let columns: Vec<String> = spec
            .features
            .iter()
            .map(|feature| {
                let value = self.transform(spec, &feature.transform);
                self.node("Unsqueeze", &[&value, &axis], &[])
            })
            .collect();
        let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
        let matrix = self.node("Concat", &columns, &[attribute_int("axis", 1)]);
        self.cast(&matrix, DataType::Float)
    }

    /// One feature of every row, in double, as [`FeatureSpec::row`] computes it before its
    /// rounding to f32.
    fn transform(&mut self, spec: &FeatureSpec, transform: &Transform) -> String {
        let flag = |graph: &mut Graph, test: &str, input: &str, value: f64| {
            let bound = graph.scalar_f64("bound", value);
            let result = graph.node(test, &[input, &bound], &[]);
            graph.cast(&result, DataType::Double)
        };
        match transform {
            Transform::Z { field } => self.z(spec, *field),
            Transform::ZSquare { field } => {
                let z = self.z(spec, *field);
                self.node("Mul", &[&z, &z], &[])
            }
            Transform::ZProduct { a, b } => {
                let (za, zb) = (self.z(spec, *a), self.z(spec, *b));
                self.node("Mul", &[&za, &zb], &[])
            }
            Transform::OutsideSet { field, values } => {
                // Row × value equalities, counted per row: 1 when the count is 0. An empty set
                // sums to 0 for every row, as `contains` finds nothing in it.
                let set = self.tensor(
                    "set",
                    &[values.len() as i64],
                    DataType::Double,
                    values.iter().flat_map(|v| v.to_le_bytes()).collect(),
                );
                let axis = self.axis_1();
                let column = self.node("Unsqueeze", &[field.column(), &axis], &[]);
                let equal = self.node("Equal", &[&column, &set], &[]);
                let equal = self.cast(&equal, DataType::Double);
                let count = self.row_sums(&equal);
                flag(self, "Equal", &count, 0.0)
            }
            Transform::AtLeast { field, value } => {
                flag(self, "GreaterOrEqual", field.column(), *value)
            }
            Transform::Below { field, value } => flag(self, "Less", field.column(), *value),
            Transform::Above { field, value } => flag(self, "Greater", field.column(), *value),
            Transform::Outcome { field } => {
                // 1 above 0, plus 2 below: the two flags never both hold.
                let above = flag(self, "Greater", field.column(), 0.0);
                let below = flag(self, "Less", field.column(), 0.0);
                let two = self.scalar_f64("two", 2.0);
                let below = self.node("Mul", &[&below, &two], &[]);
                self.node("Add", &[&above, &below], &[])
            }
            Transform::HasToken { field, bit } => {
                let token = spec
                    .vocabularies
                    .iter()
                    .find(|v| v.field == *field)
                    .and_then(|v| v.tokens.get(*bit as usize));
                let tokens: Vec<String> = token.into_iter().cloned().collect();
                let found = self.text_match(field.column(), &any_token(&tokens));
                self.cast(&found, DataType::Double)
            }
            Transform::NoToken { field } => {
                let tokens = spec
                    .vocabularies
                    .iter()
                    .find(|v| v.field == *field)
                    .map_or(&[][..], |v| &v.tokens[..]);
                let found = self.text_match(field.column(), &any_token(tokens));
                let none = self.node("Not", &[&found], &[]);
                self.cast(&none, DataType::Double)
            }
        }
    }

    /// One bool per row: whether the text input `column` fully matches the RE2 `pattern`.
    fn text_match(&mut self, column: &str, pattern: &str) -> String {
        let mut attribute = Message::new();
        // AttributeProto: name (1), s (4), type (20) STRING (3).
        attribute
            .string(1, "pattern")
            .bytes(4, pattern.as_bytes())
            .int(20, 3);
        self.node("RegexFullMatch", &[column], &[attribute])
    }

    /// The z-score of `field`, `(x - mean) / std` held within ±[`Z_LIMIT`], made once.
    fn z(&mut self, spec: &FeatureSpec, field: Field) -> String {
        if let Some((_, name)) = self.z_scores.iter().find(|(f, _)| *f == field) {
            return name.clone();
        }
        // A spec read from a model file has a scaler entry for every field its features read.
        let (mean, std) = spec
            .scaler
            .iter()
            .find(|s| s.field == field)
            .map_or((0.0, 1.0), |s| (s.mean, s.std));
        let mean = self.scalar_f64("mean", mean);
        let std = self.scalar_f64("std", std);
        let low = self.scalar_f64("z_low", -Z_LIMIT);
        let high = self.scalar_f64("z_high", Z_LIMIT);
        let centred = self.node("Sub", &[field.column(), &mean], &[]);
        let scaled = self.node("Div", &[&centred, &std], &[]);
        let z = self.node("Clip", &[&scaled, &low, &high], &[]);
        self.z_scores.push((field, z.clone()));
        z
    }

    /// One bool per row: whether any of the row's features is beyond `limit` or NaN.
    fn out_of_range(&mut self, features: &str, limit: f32) -> String {
        let limit = self.scalar_f32("input_limit", limit);
        let size = self.node("Abs", &[features], &[]);
        let within = self.node("LessOrEqual", &[&size, &limit], &[]);
        let beyond = self.node("Not", &[&within], &[]);
        let beyond = self.cast(&beyond, DataType::Float);
        let count = self.row_sums(&beyond);
        self.cast(&count, DataType::Bool)
    }
}

/// A `TensorProto`: dims (1), data_type (2), name (8), raw_data (9).
fn tensor(name: &str, dims: &[i64], data_type: DataType, raw: &[u8]) -> Message {
    let mut tensor = Message::new();
    for &dim in dims {
        tensor.int(1, dim);
    }
    tensor
        .int(2, data_type as i64)
        .string(8, name)
        .bytes(9, raw);
    tensor
}

/// An `AttributeProto` holding one integer: name (1), i (3), type (20) INT (2).
fn attribute_int(name: &str, value: i64) -> Message {
    let mut attribute = Message::new();
    attribute.string(1, name).int(3, value).int(20, 2);
    attribute
}

/// An `AttributeProto` holding a string: name (1), s (4), type (20) STRING (3).
fn attribute_string(name: &str, value: &str) -> Message {
    let mut attribute = Message::new();
    attribute.string(1, name).string(4, value).int(20, 3);
    attribute
}

/// An `AttributeProto` holding integers: name (1), ints (8, one field each), type (20) INTS (7).
fn attribute_ints(name: &str, values: &[i64]) -> Message {
    let mut attribute = Message::new();
    attribute.string(1, name);
    for &value in values {
        attribute.int(8, value);
    }
    attribute.int(20, 7);
    attribute
}

/// An `AttributeProto` holding floats: name (1), floats (7, one field each), type (20) FLOATS (6).
fn attribute_floats(name: &str, values: &[f32]) -> Message {
    let mut attribute = Message::new();
    attribute.string(1, name);
    for &value in values {
        attribute.float(7, value);
    }
    attribute.int(20, 6);
    attribute
}

/// An `AttributeProto` holding strings: name (1), strings (9), type (20) STRINGS (8).
fn attribute_strings(name: &str, values: &[&str]) -> Message {
    let mut attribute = Message::new();
    attribute.string(1, name);
    for value in values {
        attribute.string(9, value);
    }
    attribute.int(20, 8);
    attribute
}

/// A `ValueInfoProto` of a 1-D tensor of `rows` elements: name (1), type (2) → tensor_type (1)
/// → elem_type (1), shape (2) → dim (1) → dim_param (2).
fn value_info(name: &str, data_type: DataType) -> Message {
    let mut dim = Message::new();
    dim.string(2, "rows");
    let mut shape = Message::new();
    shape.message(1, &dim);
    let mut tensor_type = Message::new();
    tensor_type.int(1, data_type as i64).message(2, &shape);
    let mut type_proto = Message::new();
    type_proto.message(1, &tensor_type);
    let mut info = Message::new();
    info.string(1, name).message(2, &type_proto);
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A field as read back: a varint or the bytes of a length-delimited value.
    #[derive(Debug, PartialEq)]
    enum Value<'a> {
        Int(u64),
        Bytes(&'a [u8]),
    }

    fn varint(bytes: &[u8], at: &mut usize) -> u64 {
        let (mut value, mut shift) = (0u64, 0);
        loop {
            let byte = bytes[*at];
            *at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return value;
            }
            shift += 7;
        }
    }

    /// The fields of an encoded message, in order (only the wire types the encoder writes).
    fn fields(bytes: &[u8]) -> Vec<(u64, Value<'_>)> {
        let (mut out, mut at) = (Vec::new(), 0);
        while at < bytes.len() {
            let key = varint(bytes, &mut at);
            let value = match key & 7 {
                0 => Value::Int(varint(bytes, &mut at)),
                2 => {
                    let len = varint(bytes, &mut at) as usize;
                    at += len;
                    Value::Bytes(&bytes[at - len..at])
                }
                other => panic!("wire type {other}"),
            };
            out.push((key >> 3, value));
        }
        out
    }

    /// The values of field `number`, as bytes.
    fn all(bytes: &[u8], number: u64) -> Vec<&[u8]> {
        fields(bytes)
            .into_iter()
            .filter_map(|(n, v)| match v {
                Value::Bytes(b) if n == number => Some(b),
                _ => None,
            })
            .collect()
    }

    fn text(bytes: &[u8], number: u64) -> Vec<String> {
        all(bytes, number)
            .into_iter()
            .map(|b| String::from_utf8(b.to_vec()).unwrap())
            .collect()
    }

    /// A scalar double named `c` holding 1.0: data_type (2) 11 = `10 0b`, name (8) = `42 01
    /// 63`, raw_data (9) = `4a 08` and 1.0's little-endian bytes (`3f f0 00 …` reversed); a
    /// 2 × 3 tensor starts with its dims (1): `08 02 08 03`.
    #[test]
    fn tensors_by_hand() {
        let scalar = tensor("c", &[], DataType::Double, &1f64.to_le_bytes());
        assert_eq!(
            scalar.into_bytes(),
            [0x10, 0x0b, 0x42, 0x01, 0x63, 0x4a, 0x08, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]
        );
        let matrix = tensor("w", &[2, 3], DataType::Float, &[]);
        assert_eq!(
            matrix.into_bytes(),
            [0x08, 0x02, 0x08, 0x03, 0x10, 0x01, 0x42, 0x01, 0x77, 0x4a, 0x00]
        );
    }

    /// `to = 1`: name (1) `0a 02 74 6f`, i (3) `18 01`, type (20, a two-byte key: 160 = `a0
    /// 01`) INT `02`.
    #[test]
    fn an_integer_attribute_by_hand() {
        assert_eq!(
            attribute_int("to", 1).into_bytes(),
            [0x0a, 0x02, 0x74, 0x6f, 0x18, 0x01, 0xa0, 0x01, 0x02]
        );
    }

    /// Floats one field each: name `0a 01 w`, float 1.0 as `3d` (field 7, fixed32) and its
    /// four bytes, type FLOATS `a0 01 06`.
    #[test]
    fn a_floats_attribute_by_hand() {
        assert_eq!(
            attribute_floats("w", &[1.0]).into_bytes(),
            [0x0a, 0x01, 0x77, 0x3d, 0x00, 0x00, 0x80, 0x3f, 0xa0, 0x01, 0x06]
        );
    }

    /// The split written is the largest f32 not above the f64 split, so that an f32 feature
    /// goes left of one exactly when it goes left of the other.
    #[test]
    fn a_split_rounds_down_to_an_f32() {
        assert_eq!(f32_at_most(0.5), 0.5);
        for x in [0.1, -0.7, 0.7, -0.3, 123.456_789_012] {
            let s = f32_at_most(x);
            let above = if s >= 0.0 {
                f32::from_bits(s.to_bits() + 1)
            } else {
                f32::from_bits(s.to_bits() - 1)
            };
            assert!(f64::from(s) <= x && f64::from(above) > x, "{x}: {s}");
        }
        // A split just below zero rounds to -0.0, which is above it: the next f32 down.
        assert_eq!(f32_at_most(-1e-50), -f32::from_bits(1));
        assert_eq!(f32_at_most(1e-50), 0.0);
    }

    /// One tree (root splits feature 1 at 0.1; leaves of path length 1 and 2) as the ensemble
    /// lists it, its leaves less their mean 1.5.
    #[test]
    fn a_tree_in_the_ensembles_lists() {
        let tree = Tree {
            feature: vec![1, 0, 0],
            value: vec![0.1, 1.0, 2.0],
            left: vec![1, 0, 0],
        };
        let mut e = Ensemble::default();
        e.add(0, &tree, 1.5);
        assert_eq!(e.node_ids, [0, 1, 2]);
        assert_eq!(e.feature_ids, [1, 0, 0]);
        assert_eq!(e.modes, ["BRANCH_LEQ", "LEAF", "LEAF"]);
        assert_eq!(e.values, [f32_at_most(0.1), 0.0, 0.0]);
        assert_eq!((e.true_ids, e.false_ids), (vec![1, 0, 0], vec![2, 0, 0]));
        assert_eq!((e.leaf_trees, e.leaf_nodes), (vec![0, 0], vec![1, 2]));
        assert_eq!(e.leaf_weights, [-0.5, 0.5]);
    }

    /// `score`, float, shape `[rows]`, nested inside out: dim `12 04 rows` (6 bytes), shape
    /// `0a 06 …` (8), tensor type `08 01 12 08 …` (12), type `0a 0c …` (14), value info `0a 05
    /// score 12 0e …`.
    #[test]
    fn a_value_info_by_hand() {
        let mut expected = vec![0x0a, 0x05];
        expected.extend(b"score");
        expected.extend([0x12, 0x0e, 0x0a, 0x0c, 0x08, 0x01, 0x12, 0x08, 0x0a, 0x06]);
        expected.extend([0x12, 0x04]);
        expected.extend(b"rows");
        assert_eq!(value_info("score", DataType::Float).into_bytes(), expected);
    }

    /// Names of a graph's value infos in field `number` (inputs 11, outputs 12).
    fn value_names(graph: &[u8], number: u64) -> Vec<String> {
        all(graph, number)
            .into_iter()
            .flat_map(|info| text(info, 1))
            .collect()
    }

    /// The shipped model's file: IR 8, opset 17, its five columns in and score and verdict
    /// out, the four layers as MatMul/Add and ReLU ×3 then Sigmoid, every node reading only
    /// what is defined before it, and the metadata.
    #[test]
    fn the_shipped_anomaly_models_histograms() {
        let model = AnomalyModel::from_json(include_str!("../../data/anomaly.json")).unwrap();
        let Estimator::Histogram(histograms) = &model.estimator else {
            panic!("the shipped anomaly model is histograms");
        };
        let kept: usize = histograms.features.iter().map(|b| b.values.len()).sum();
        // pid, ppid, mount and returnValue take 2 values each, uid 1, eventId 9, argsNum 5.
        assert_eq!(kept, 23);
        let bytes = anomaly_to_onnx(&model);
        // Plain ONNX: one opset, the default domain's 17.
        let opset = all(&bytes, 8);
        assert_eq!(opset.len(), 1);
        assert_eq!(
            fields(opset[0]),
            [(1, Value::Bytes(b"")), (2, Value::Int(17))]
        );
        let graph = all(&bytes, 7)[0];
        let ops: Vec<String> = all(graph, 1)
            .into_iter()
            .flat_map(|node| text(node, 4))
            .collect();
        let start = ops.iter().position(|op| op == "Gather").unwrap();
        let tail = &ops[start..];
        let count = |name: &str| tail.iter().filter(|op| *op == name).count();
        // Per feature: Gather, Shape, Expand (the "other" surprise), an Equal and a Where per
        // kept value, then Add; then Div by the largest sum, Cast, and the verdict.
        assert_eq!(count("Gather"), 7);
        assert_eq!(count("Expand"), 7);
        assert_eq!(count("Equal"), kept);
        assert_eq!(count("Where"), kept);
        assert_eq!(count("Add"), 7);
        assert_eq!(
            tail[tail.len() - 5..],
            ["Div", "Cast", "GreaterOrEqual", "IsNaN", "Or"]
        );
    }

    #[test]
    fn the_shipped_models_graph() {
        let model = Model::from_json(include_str!("../../data/model.json")).unwrap();
        let bytes = to_onnx(&model);
        let top = fields(&bytes);
        assert_eq!(top[0], (1, Value::Int(8)));
        let opset = all(&bytes, 8);
        assert_eq!(
            fields(opset[0]),
            [(1, Value::Bytes(b"")), (2, Value::Int(17))]
        );

        let graph = all(&bytes, 7)[0];
        assert_eq!(
            value_names(graph, 11),
            [
                "processId",
                "parentProcessId",
                "userId",
                "argsNum",
                "returnValue"
            ]
        );
        assert_eq!(value_names(graph, 12), ["score", "verdict"]);

        let mut defined: Vec<String> = value_names(graph, 11);
        defined.extend(all(graph, 5).into_iter().flat_map(|t| text(t, 8)));
        let mut ops = Vec::new();
        for node in all(graph, 1) {
            for input in text(node, 1) {
                assert!(
                    defined.contains(&input),
                    "{input} read before it is defined"
                );
            }
            defined.extend(text(node, 2));
            ops.extend(text(node, 4));
        }
        let activations: Vec<&str> = ops
            .iter()
            .map(String::as_str)
            .filter(|op| matches!(*op, "Relu" | "Sigmoid"))
            .collect();
        assert_eq!(activations, ["Relu", "Relu", "Relu", "Sigmoid"]);
        assert_eq!(ops.iter().filter(|op| *op == "MatMul").count(), 4);
        // One z-score (argsNum): Sub, Div, Clip once.
        assert_eq!(ops.iter().filter(|op| *op == "Clip").count(), 1);
        assert_eq!(
            ops[ops.len() - 5..],
            ["Squeeze", "Where", "GreaterOrEqual", "IsNaN", "Or"]
        );
        // The first layer's weights: 6 × 64 floats.
        let weights = all(graph, 5)
            .into_iter()
            .find(|t| text(t, 8)[0].starts_with("layer0_weights"))
            .unwrap();
        assert_eq!(
            fields(weights)[..2],
            [(1, Value::Int(6)), (1, Value::Int(64))]
        );
        assert_eq!(all(weights, 9)[0].len(), 6 * 64 * 4);

        let props: Vec<(String, String)> = all(&bytes, 14)
            .into_iter()
            .map(|entry| (text(entry, 1).remove(0), text(entry, 2).remove(0)))
            .collect();
        let keys: Vec<&str> = props.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "threshold",
                "input_limit",
                "feature_spec",
                "provenance",
                "model_sha256"
            ]
        );
        assert_eq!(props[0].1, "0.308");
        assert_eq!(props[1].1.parse::<f32>().unwrap(), model.input_limit());
        assert_eq!(
            serde_json::from_str::<FeatureSpec>(&props[2].1).unwrap(),
            model.spec
        );
        // `sha256sum data/model.json`.
        assert_eq!(
            props[4].1,
            "3e85a74144d904beb0db28ae1fde17a4cdd72f681e103d5b72e451da2e980dc1"
        );
    }

    /// The reference recipe's z-scores, squares and product: each field's z-score made once
    /// (seven fields), userId² one Mul of a z-score by itself, userId×processId one Mul of two.
    #[test]
    fn the_reference_recipes_transforms() {
        let model =
            Model::from_json(include_str!("../../tests/fixtures/reference_model.json")).unwrap();
        let bytes = to_onnx(&model);
        let graph = all(&bytes, 7)[0];
        let nodes: Vec<(String, Vec<String>)> = all(graph, 1)
            .into_iter()
            .map(|node| (text(node, 4).remove(0), text(node, 1)))
            .collect();
        let clips: Vec<&(String, Vec<String>)> =
            nodes.iter().filter(|(op, _)| op == "Clip").collect();
        assert_eq!(clips.len(), 7);
        let muls: Vec<&Vec<String>> = nodes
            .iter()
            .filter(|(op, _)| op == "Mul")
            .map(|(_, inputs)| inputs)
            .collect();
        assert_eq!(muls.len(), 2);
        assert_eq!(muls[0][0], muls[0][1]);
        assert_ne!(muls[1][0], muls[1][1]);
    }
}
