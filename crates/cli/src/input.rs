//! Where a command reads: a file, or standard input as `-` (e.g. `tracee --output json | …`).

use cyber_attack_detector::ingest::{EventReader, Events, Field};
use cyber_attack_detector::model::{AnyModel, Detect, Scorer};
use cyber_attack_detector::scored::{Extrapolated, Unprecedented};
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

/// A reader's rows, read and scored a chunk at a time: after [`ScoredChunks::next`], `raw`
/// holds the chunk's records, `events` the model's input values of them and `scores` their
/// scores; the flags with no training precedent are counted as they go.
pub(crate) struct ScoredChunks<'a> {
    reader: EventReader<'a>,
    model: &'a AnyModel,
    /// The input's name in messages.
    name: &'a str,
    scorer: Scorer,
    pub(crate) raw: Vec<csv::ByteRecord>,
    pub(crate) events: Events,
    pub(crate) scores: Vec<f32>,
    unprecedented: Unprecedented,
}

impl<'a> ScoredChunks<'a> {
    pub(crate) fn new(reader: EventReader<'a>, model: &'a AnyModel, name: &'a str) -> Self {
        ScoredChunks {
            reader,
            model,
            name,
            scorer: Scorer::default(),
            raw: Vec::new(),
            events: Events::default(),
            scores: Vec::new(),
            unprecedented: Unprecedented::new(model),
        }
    }

    /// Reads and scores the next chunk; returns how many rows were read, 0 at the end. Errs on
    /// a malformed row and on a row the model cannot score.
    pub(crate) fn next(&mut self) -> Result<usize, String> {
        self.events = self.reader.empty_events();
        self.raw.clear();
        self.scores.clear();
        let rows = self
            .reader
            .read_chunk(CHUNK_ROWS, &mut self.events, Some(&mut self.raw))
            .map_err(|e| e.to_string())?;
        let name = self.name;
        let lacks = |field: Field| format!("{name}: lacks column {}", field.column());
        self.model
            .score_into(&self.events, &mut self.scorer, &mut self.scores)
            .map_err(lacks)?;
        if let Some(line) = overflowed(&self.raw, &self.scores) {
            return Err(format!(
                "{name}, line {line}: the values are too large for this model to score \
                 (its network would overflow)"
            ));
        }
        self.unprecedented
            .add(self.model, &self.events, &self.scores)
            .map_err(lacks)?;
        Ok(rows)
    }

    /// What to say of an input read without a mount namespace, if it was.
    pub(crate) fn host_namespace_note(&self) -> Option<String> {
        self.reader.host_namespace_note()
    }

    /// How many of the flags so far had inputs no training event had, when there are flags and
    /// the model keeps its training inputs.
    pub(crate) fn extrapolated(&self) -> Option<Extrapolated> {
        self.unprecedented.finish()
    }
}

/// The line of the first row the model cannot score (a NaN score: values too large for its
/// network), if any.
fn overflowed(raw: &[csv::ByteRecord], scores: &[f32]) -> Option<u64> {
    let row = scores.iter().position(|score| score.is_nan())?;
    let record = raw.get(row).and_then(csv::ByteRecord::position);
    Some(record.map_or(0, csv::Position::line))
}
