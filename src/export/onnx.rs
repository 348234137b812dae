//! A model as a standard ONNX graph (opset 17, IR version 8): the feature transforms and the
//! network in one file that ONNX Runtime, Spark jobs and other engines run unchanged.
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
use crate::model::{Activation, Model};
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
    let threshold = graph.scalar_f32("threshold", model.threshold);
    let at_least = graph.node("GreaterOrEqual", &["score", &threshold], &[]);
    let broken = graph.node("IsNaN", &["score"], &[]);
    graph.node_into("Or", &[&at_least, &broken], "verdict", &[]);

    let inputs: Vec<Message> = model
        .spec
        .fields()
        .into_iter()
        .map(|f| match f.is_text() {
            true => value_info(f.column(), DataType::String),
            false => value_info(f.column(), DataType::Double),
        })
        .collect();
    let outputs = [
        value_info("score", DataType::Float),
        value_info("verdict", DataType::Bool),
    ];
    let mut graph_proto = Message::new();
    for node in &graph.nodes {
        graph_proto.message(1, node);
    }
    graph_proto.string(2, "cyber-attack-detector");
    for tensor in &graph.initializers {
        graph_proto.message(5, tensor);
    }
    graph_proto.string(
        10,
        "One row per event: the raw BETH columns in (double), `score` (float, NaN when a \
         feature is too large to score safely) and `verdict` (score >= threshold or NaN) out.",
    );
    for input in &inputs {
        graph_proto.message(11, input);
    }
    for output in &outputs {
        graph_proto.message(12, output);
    }

    let text = model.spec.fields().iter().any(|f| f.is_text());
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
            "A threat detector for Linux kernel process events (BETH): feature transforms and \
             network of a cyber-attack-detector model file.",
        )
        .message(7, &graph_proto);
    let mut opset = Message::new();
    opset.string(1, "").int(2, opset_version);
    file.message(8, &opset);
    for (key, value) in metadata(model) {
        let mut entry = Message::new();
        entry.string(1, key).string(2, &value);
        file.message(14, &entry);
    }
    file.into_bytes()
}

/// The `metadata_props` of the file, in order.
fn metadata(model: &Model) -> [(&'static str, String); 5] {
    // Serialising plain structs of numbers and strings cannot fail.
    let json = |value: Result<String, serde_json::Error>| value.unwrap_or_default();
    // The model file as `train` writes it, so that `sha256sum model.json` gives the same.
    let digest = Sha256::digest(format!("{}\n", model.to_json()).as_bytes());
    [
        ("threshold", model.threshold.to_string()),
        ("input_limit", format!("{:e}", model.input_limit())),
        ("feature_spec", json(serde_json::to_string(&model.spec))),
        ("provenance", json(serde_json::to_string(&model.provenance))),
        (
            "model_sha256",
            digest.iter().map(|b| format!("{b:02x}")).collect(),
        ),
    ]
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
        let mut node = Message::new();
        for input in inputs {
            node.string(1, input);
        }
        node.string(2, output).string(3, output).string(4, op);
        for attribute in attributes {
            node.message(5, attribute);
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
            "b74e17ab9ea84b0df736da65074f77821f0dc2cd7ce2f996f59b4d6b8cc3a6dd"
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
