//! `export`: a model file out to another engine's format; today ONNX (`--onnx OUT.onnx`), the
//! feature transforms and the network in one standard graph (see the core's `export::onnx`).

use super::args::Args;
use super::evaluate::load_model;
use super::output::Output;
use cyber_attack_detector::export::{anomaly_to_onnx, to_onnx};
use cyber_attack_detector::model::{AnyModel, Detect};
use std::io::Write;
use std::path::Path;

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let path = args.required("model")?;
    let model = load_model(path)?;
    let path = Path::new(args.required("onnx")?);
    let bytes = match &model {
        AnyModel::Supervised(model) => to_onnx(model),
        AnyModel::Anomaly(model) => anomaly_to_onnx(model),
    };
    let io_err = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut output = Output::create(path).map_err(io_err)?;
    output.write_all(&bytes).map_err(io_err)?;
    output.commit().map_err(io_err)?;
    eprintln!(
        "wrote {} ({} bytes): ONNX, inputs {}, outputs score and verdict",
        path.display(),
        bytes.len(),
        model
            .spec()
            .fields()
            .iter()
            .map(|f| f.column())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}
