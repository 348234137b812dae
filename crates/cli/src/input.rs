//! Where a command reads: a file, or standard input as `-` (e.g. `tracee --output json | …`).

use cyber_attack_detector::ingest::EventReader;
use cyber_attack_detector::model::{Model, Scorer};
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Rows read, scored and written at a time by `score`, `evaluate` and `alerts`.
pub(crate) const CHUNK_ROWS: usize = 16_384;

/// Opens `path` for reading, `-` being standard input; returns it with the name messages use.
pub(crate) fn open(path: &Path) -> Result<(Box<dyn Read>, String), String> {
    if path.as_os_str() == "-" {
        return Ok((
            Box::new(std::io::stdin().lock()),
            "standard input".to_string(),
        ));
    }
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((Box::new(file), super::data::display_name(path)))
}

/// Reads the next chunk of `reader` (input `name`) into `raw` and scores it into `scores`, both
/// cleared first; returns how many rows were read, 0 at the end. Errs on a malformed row and on
/// a row the model cannot score.
pub(crate) fn score_chunk(
    reader: &mut EventReader<'_>,
    model: &Model,
    scorer: &mut Scorer,
    raw: &mut Vec<csv::ByteRecord>,
    scores: &mut Vec<f32>,
    name: &str,
) -> Result<usize, String> {
    let mut events = reader.empty_events();
    raw.clear();
    scores.clear();
    let rows = reader
        .read_chunk(CHUNK_ROWS, &mut events, Some(raw))
        .map_err(|e| e.to_string())?;
    model
        .score_into(&events, scorer, scores)
        .map_err(|field| format!("{name}: lacks column {}", field.column()))?;
    if let Some(line) = overflowed(raw, scores) {
        return Err(format!(
            "{name}, line {line}: the values are too large for this model to score \
             (its network would overflow)"
        ));
    }
    Ok(rows)
}

/// The line of the first row the model cannot score (a NaN score: values too large for its
/// network), if any.
fn overflowed(raw: &[csv::ByteRecord], scores: &[f32]) -> Option<u64> {
    let row = scores.iter().position(|score| score.is_nan())?;
    let record = raw.get(row).and_then(csv::ByteRecord::position);
    Some(record.map_or(0, csv::Position::line))
}
