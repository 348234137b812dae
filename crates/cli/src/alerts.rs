//! `alerts`: stream a CSV or Tracee JSON lines of any size (or `-`, standard input) through the
//! model, group the scored events into one alert per process on a host
//! ([`cyber_attack_detector::alerts`]) and write the alerts, ranked, as ECS NDJSON, each with
//! what the model's training rows said of its most suspicious event's inputs. Memory is bounded
//! by the grouper's [`Limits`], not by rows; the alerts are written once the input ends.

use super::args::Args;
use super::evaluate::load_model;
use super::input::ScoredChunks;
use super::output::Output;
use cyber_attack_detector::alerts::{ecs, AlertGrouper, Limits};
use cyber_attack_detector::ingest::{EventReader, Labels};
use cyber_attack_detector::model::Detect;
use std::path::Path;

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let model = load_model(args.required("model")?)?;
    let top = match args.get("top") {
        None => None,
        Some(_) => match args.number::<usize>("top", 0)? {
            0 => return Err("--top expects a whole number of at least 1, found \"0\"".into()),
            n => Some(n),
        },
    };
    let (input, name) = super::input::open(Path::new(args.required("input")?))?;
    let output = Path::new(args.required("output")?);
    let reader = EventReader::new(input, &name, &model.schema(Labels::Optional))
        .map_err(|e| e.to_string())?;
    let mut grouper = AlertGrouper::new(reader.headers(), Limits::default());
    let mut chunks = ScoredChunks::new(reader, &model, &name);
    while chunks.next()? > 0 {
        // The top events' values serve only to look up their precedents.
        match model.precedents() {
            Some(_) => grouper.add_with_values(&model, &chunks.raw, &chunks.scores, &chunks.events),
            None => grouper.add(&model, &chunks.raw, &chunks.scores),
        }
    }
    let mut report = grouper.finish();
    report.add_precedents(&model);

    // Written only once the input has been read whole: a bad row leaves no output behind, and
    // a regular file is replaced only on success.
    let io_err = |e: std::io::Error| format!("{}: {e}", output.display());
    let mut target = Output::create(output).map_err(io_err)?;
    ecs::write_ndjson(&report, top, &mut target).map_err(io_err)?;
    target.commit().map_err(io_err)?;
    let written = top.map_or(report.alerts.len(), |n| n.min(report.alerts.len()));
    eprintln!(
        "grouped {} rows of {name} into {} processes, {} of them alerts at threshold {:.3}; \
         wrote {written} to {}",
        report.rows,
        report.processes.len(),
        report.alerts.len(),
        model.threshold(),
        output.display()
    );
    if report.omitted_rows > 0 {
        eprintln!(
            "note: {} rows ({} suspicious) of processes beyond the first {} were not grouped",
            report.omitted_rows,
            report.omitted_suspicious,
            report.processes.len()
        );
    }
    if let Some(extrapolated) = chunks.extrapolated() {
        eprintln!("note: {extrapolated}");
    }
    if let Some(note) = chunks.host_namespace_note() {
        eprintln!("note: {note}");
    }
    Ok(())
}
