//! `evaluate`: a model's metrics on a labelled file of any size, streamed in chunks as the page's
//! worker does: memory grows by each row's score, labels and host (10 bytes), not by the rows.

use super::args::Args;
use super::input::CHUNK_ROWS;
use cyber_attack_detector::evaluation::{DataSummary, Evaluation};
use cyber_attack_detector::ingest::{EventReader, IngestError, IngestErrorKind, Labels, Tapped};
use cyber_attack_detector::model::{AnyModel, Detect, Scorer};
use cyber_attack_detector::scored::Evaluator;
use std::path::Path;

pub(crate) fn load_model(path: &str) -> Result<AnyModel, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    AnyModel::from_json(&text).map_err(|e| format!("{path}: {e}"))
}

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let mut model = load_model(args.required("model")?)?;
    let evaluation = evaluate_streamed(&model, Path::new(args.required("input")?))?;
    if args.flag("json") {
        println!(
            "{}",
            serde_json::to_string_pretty(&evaluation).map_err(|e| e.to_string())?
        );
    } else {
        match &mut model {
            AnyModel::Supervised(model) => {
                model.evaluation = Some(evaluation);
                model.baseline = None;
                model.training.cross_validation = None;
                print!("{}", super::report::terminal(model));
            }
            AnyModel::Anomaly(model) => {
                model.evaluation = Some(evaluation);
                model.compared.clear();
                print!("{}", super::anomaly_report::terminal(model));
            }
        }
    }
    Ok(())
}

fn evaluate_streamed(model: &AnyModel, path: &Path) -> Result<Evaluation, String> {
    let (file, name) = super::input::open(path)?;
    let input = Tapped::new(file);
    let tap = input.tap();
    let mut reader = EventReader::new(input, &name, &model.schema(Labels::Required))
        .map_err(|e| e.to_string())?;
    let (mut evaluator, mut scorer, mut scores) =
        (Evaluator::new(model), Scorer::default(), Vec::new());
    loop {
        let mut events = reader.empty_events();
        if reader
            .read_chunk(CHUNK_ROWS, &mut events, None)
            .map_err(|e| e.to_string())?
            == 0
        {
            break;
        }
        scores.clear();
        model
            .score_into(&events, &mut scorer, &mut scores)
            .map_err(|field| format!("{name}: lacks column {}", field.column()))?;
        evaluator.add(&events, &scores);
    }
    if evaluator.labels().is_empty() {
        return Err(IngestError::new(&name, IngestErrorKind::NoRows).to_string());
    }
    if let Some(note) = reader.host_namespace_note() {
        eprintln!("note: {note}");
    }
    let data = DataSummary::counted(name, evaluator.labels(), Some(tap.sha256()));
    Ok(evaluator.evaluate(model, data))
}
