//! `score`: stream a CSV of any size through the model, writing every input row and column
//! back out in order with `score` and `verdict` appended.

use super::args::Args;
use super::data::display_name;
use super::evaluate::load_model;
use super::output::Output;
use cyber_attack_detector::ingest::{EventReader, Labels};
use cyber_attack_detector::model::{Model, Scorer};
use std::fs::File;
use std::io::Write;
use std::path::Path;

const CHUNK_ROWS: usize = 16_384;

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let model = load_model(args.required("model")?)?;
    let input = Path::new(args.required("input")?);
    let output = Path::new(args.required("output")?);
    let name = display_name(input);
    let file = File::open(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let mut reader = EventReader::new(file, &name, &model.schema(Labels::Optional))
        .map_err(|e| e.to_string())?;

    // A regular file is replaced only at the end, so a bad row never leaves half a file there.
    let io_err = |e: csv::Error| format!("{}: {e}", output.display());
    let mut target = Output::create(output).map_err(|e| io_err(e.into()))?;
    let mut writer = csv::Writer::from_writer(&mut target);
    let mut header = reader.headers().clone();
    header.push_field(b"score");
    header.push_field(b"verdict");
    writer.write_byte_record(&header).map_err(io_err)?;

    let (mut scorer, mut raw, mut scores) = (Scorer::default(), Vec::new(), Vec::new());
    let (mut rows, mut flagged) = (0usize, 0usize);
    let result = loop {
        let mut events = reader.empty_events();
        raw.clear();
        scores.clear();
        match reader.read_chunk(CHUNK_ROWS, &mut events, Some(&mut raw)) {
            Ok(0) => break Ok(()),
            Ok(_) => {}
            Err(e) => break Err(e.to_string()),
        }
        if let Err(field) = model.score_into(&events, &mut scorer, &mut scores) {
            break Err(format!("{name}: lacks column {}", field.column()));
        }
        match write_scored(&mut writer, &model, &name, &mut raw, &scores) {
            Ok(suspicious) => flagged += suspicious,
            Err(Refused::Row(message)) => break Err(message),
            Err(Refused::Write(e)) => break Err(io_err(e)),
        }
        rows += scores.len();
    };
    // A failed flush (a full disk) fails the run too: a truncated file is never renamed.
    let result = result.and_then(|()| writer.flush().map_err(|e| io_err(e.into())));
    drop(writer);
    // On an error `target` is dropped uncommitted, which removes its temporary file.
    result?;
    target.commit().map_err(|e| io_err(e.into()))?;
    eprintln!(
        "scored {rows} rows of {name}: {flagged} suspicious at threshold {:.3}; wrote {}",
        model.threshold,
        output.display()
    );
    Ok(())
}

/// Why a chunk was not written.
enum Refused {
    /// A row the model cannot score (a NaN score: values too large for its network).
    Row(String),
    Write(csv::Error),
}

/// Appends score and verdict to each record and writes it; returns how many are suspicious.
fn write_scored(
    writer: &mut csv::Writer<impl Write>,
    model: &Model,
    name: &str,
    raw: &mut [csv::ByteRecord],
    scores: &[f32],
) -> Result<usize, Refused> {
    let mut flagged = 0;
    for (record, &score) in raw.iter_mut().zip(scores) {
        if score.is_nan() {
            let line = record.position().map_or(0, csv::Position::line);
            return Err(Refused::Row(format!(
                "{name}, line {line}: the values are too large for this model to score \
                 (its network would overflow)"
            )));
        }
        let suspicious = model.is_suspicious(score);
        record.push_field(score.to_string().as_bytes());
        record.push_field(if suspicious { b"1" } else { b"0" });
        writer.write_byte_record(record).map_err(Refused::Write)?;
        flagged += usize::from(suspicious);
    }
    Ok(flagged)
}
