//! `score`: stream a CSV or Tracee JSON lines of any size (or a live pipe: `--input -`) through
//! the model, writing every input row and column (or event) back out in order with `score` and
//! `verdict` appended.

use super::args::Args;
use super::evaluate::load_model;
use super::input::ScoredChunks;
use super::output::Output;
use super::scored_json::ScoredJson;
use cyber_attack_detector::ingest::{EventReader, Labels};
use cyber_attack_detector::model::{AnyModel, Detect};
use cyber_attack_detector::scored::{Cells, ScoredCsv};
use std::io::{self, Write};
use std::path::Path;

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let model = load_model(args.required("model")?)?;
    let (input, name) = super::input::open(Path::new(args.required("input")?))?;
    let output = Path::new(args.required("output")?);
    let mut reader = EventReader::new(input, &name, &model.schema(Labels::Optional))
        .map_err(|e| e.to_string())?;

    // A regular file is replaced only at the end, so a bad row never leaves half a file there.
    let io_err = |e: csv::Error| format!("{}: {e}", output.display());
    let mut target = Output::create(output).map_err(|e| io_err(e.into()))?;
    let cells = Cells::spreadsheet_safe(args.flag("spreadsheet-safe"));
    // JSON lines go back out as JSON: there are no spreadsheet cells to guard.
    let mut writer = if reader.is_json() {
        reader.keep_json_lines();
        Scored::Json(ScoredJson::new(&mut target))
    } else {
        Scored::Csv(Box::new(
            ScoredCsv::new(&mut target, reader.headers(), cells).map_err(io_err)?,
        ))
    };
    writer.flush().map_err(|e| io_err(e.into()))?;

    let mut chunks = ScoredChunks::new(reader, &model, &name);
    let (mut rows, mut flagged) = (0usize, 0usize);
    let result = loop {
        match chunks.next() {
            Ok(0) => break Ok(()),
            Ok(_) => {}
            Err(e) => break Err(e),
        }
        match writer.write(&model, &mut chunks.raw, &chunks.scores) {
            Ok(suspicious) => flagged += suspicious,
            Err(e) => break Err(io_err(e)),
        }
        rows += chunks.scores.len();
        // Each chunk goes out as soon as it is scored: a live pipe's reader sees every event
        // of the chunk (JSON lines end a chunk at whatever has arrived).
        if let Err(e) = writer.flush() {
            break Err(io_err(e.into()));
        }
    };
    // A failed flush (a full disk) fails the run too: a truncated file is never renamed.
    let result = result.and_then(|()| writer.flush().map_err(|e| io_err(e.into())));
    drop(writer);
    // On an error `target` is dropped uncommitted, which removes its temporary file.
    result?;
    target.commit().map_err(|e| io_err(e.into()))?;
    eprintln!(
        "scored {rows} rows of {name}: {flagged} suspicious at threshold {:.3}; wrote {}",
        model.threshold(),
        output.display()
    );
    if let Some(extrapolated) = chunks.extrapolated() {
        eprintln!("note: {extrapolated}");
    }
    if let Some(note) = chunks.host_namespace_note() {
        eprintln!("note: {note}");
    }
    Ok(())
}

/// The scored output in the input's form.
enum Scored<W: Write> {
    /// Boxed: the CSV writer's buffers make it large, and there is one per run.
    Csv(Box<ScoredCsv<W>>),
    Json(ScoredJson<W>),
}

impl<W: Write> Scored<W> {
    /// Writes each row with its score and verdict; returns how many rows the model flags.
    fn write(
        &mut self,
        model: &AnyModel,
        raw: &mut [csv::ByteRecord],
        scores: &[f32],
    ) -> csv::Result<usize> {
        match self {
            Scored::Csv(csv) => csv.write(model, raw, scores),
            Scored::Json(json) => Ok(json.write(model, raw, scores)?),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Scored::Csv(csv) => csv.flush(),
            Scored::Json(json) => json.flush(),
        }
    }
}
