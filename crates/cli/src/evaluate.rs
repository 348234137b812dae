//! `evaluate`: a model's metrics on a labelled file.

use super::args::Args;
use super::train::evaluate_on;
use cyber_attack_detector::model::Model;
use std::path::Path;

pub(crate) fn load_model(path: &str) -> Result<Model, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    Model::from_json(&text).map_err(|e| format!("{path}: {e}"))
}

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let mut model = load_model(args.required("model")?)?;
    let evaluation = evaluate_on(&model, Path::new(args.required("input")?))?;
    if args.flag("json") {
        println!(
            "{}",
            serde_json::to_string_pretty(&evaluation).map_err(|e| e.to_string())?
        );
    } else {
        model.evaluation = Some(evaluation);
        model.baseline = None;
        model.training.cross_validation = None;
        print!("{}", super::report::terminal(&model));
    }
    Ok(())
}
