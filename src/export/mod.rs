//! Models out to other engines: [`onnx`] writes a model, feature transforms and network
//! together, as a standard ONNX graph.

pub mod onnx;
mod pattern;
mod protobuf;

pub use onnx::{anomaly_to_onnx, to_onnx};
