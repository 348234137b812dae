//! A verdict CSV read back into [`Marks`], row by row, with errors that name line and column.

use super::{cut_note, is_sha256, Mark, Marks, COLUMNS, MAX_MARKS};
use crate::ingest::{IngestError, IngestErrorKind};
use csv::ByteRecord;
use std::collections::hash_map::{Entry, HashMap};

/// Whether a CSV header is a verdict CSV's: it has the column `verdict_file_sha256`.
pub fn is_verdict_header(header: &ByteRecord) -> bool {
    position(header, COLUMNS[6]).is_some()
}

/// The 0-based position of column `name` in `header` (trimmed, a leading BOM ignored).
fn position(header: &ByteRecord, name: &str) -> Option<usize> {
    header.iter().position(|field| {
        String::from_utf8_lossy(field)
            .trim()
            .trim_start_matches('\u{feff}')
            == name
    })
}

/// Reads the verdict columns of a verdict CSV's records, one by one, in bounded memory: the
/// marks, at most [`MAX_MARKS`] of each kind. The rows of one judged alert must agree on its
/// verdict and note.
#[derive(Debug)]
pub struct VerdictReader {
    source: String,
    /// The positions of [`COLUMNS`] in the header, and their names.
    at: [usize; 7],
    sha256: Option<String>,
    events: HashMap<u64, Mark>,
    alerts: HashMap<u64, Mark>,
    rows: u64,
}

impl VerdictReader {
    /// For the records of `source` under `header`; every column of [`COLUMNS`] must be there.
    pub fn new(header: &ByteRecord, source: &str) -> Result<VerdictReader, IngestError> {
        let mut at = [0; 7];
        for (slot, name) in at.iter_mut().zip(COLUMNS) {
            *slot = position(header, name).ok_or_else(|| {
                let found = header
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).into_owned())
                    .collect();
                let kind = IngestErrorKind::MissingColumn {
                    name: name.to_string(),
                    found,
                };
                IngestError::new(source, kind).at_line(1)
            })?;
        }
        Ok(VerdictReader {
            source: source.to_string(),
            at,
            sha256: None,
            events: HashMap::new(),
            alerts: HashMap::new(),
            rows: 0,
        })
    }

    /// Reads one record's verdicts.
    pub fn add(&mut self, record: &ByteRecord) -> Result<(), IngestError> {
        let line = record.position().map_or(0, csv::Position::line);
        self.rows += 1;
        let wrong = |column: usize, expected: &'static str| {
            let found = String::from_utf8_lossy(record.get(self.at[column]).unwrap_or_default());
            let kind = IngestErrorKind::WrongType {
                expected,
                found: format!("{:?}", found.trim()),
            };
            IngestError::new(&self.source, kind)
                .at_line(line)
                .at_column(self.at[column], COLUMNS[column])
        };
        let text = |column: usize| -> Result<&str, IngestError> {
            let raw = record.get(self.at[column]).unwrap_or_default();
            std::str::from_utf8(raw)
                .map(str::trim)
                .map_err(|_| wrong(column, "UTF-8 text"))
        };
        let verdict = |column: usize| match text(column)? {
            "" => Ok(None),
            "attack" => Ok(Some(true)),
            "benign" => Ok(Some(false)),
            _ => Err(wrong(column, "\"attack\", \"benign\" or nothing")),
        };
        let number = |column: usize| {
            text(column)?
                .parse::<u64>()
                .ok()
                .filter(|&n| n >= 2)
                .ok_or_else(|| wrong(column, "a line number of the scored file (2 or more)"))
        };

        let sha256 = text(6)?;
        match &self.sha256 {
            None if is_sha256(sha256) => self.sha256 = Some(sha256.to_string()),
            None => return Err(wrong(6, "a SHA-256 of 64 lower-case hex digits")),
            Some(first) if first != sha256 => {
                return Err(wrong(6, "the same SHA-256 as the rows before"))
            }
            Some(_) => {}
        }
        let event_line = number(0)?;
        if let Some(attack) = verdict(1)? {
            let note = cut_note(text(2)?);
            let mark = Mark {
                line: event_line,
                attack,
                note,
            };
            if self.events.len() >= MAX_MARKS && !self.events.contains_key(&event_line) {
                return Err(wrong(1, "at most 100,000 verdicts on events"));
            }
            self.events.insert(event_line, mark);
        }
        if let Some(attack) = verdict(4)? {
            let first = number(3)?;
            let mark = Mark {
                line: first,
                attack,
                note: cut_note(text(5)?),
            };
            let full = self.alerts.len() >= MAX_MARKS;
            match self.alerts.entry(first) {
                Entry::Occupied(given) if *given.get() != mark => {
                    return Err(wrong(
                        4,
                        "the same verdict and note as the alert's rows before",
                    ))
                }
                Entry::Occupied(_) => {}
                Entry::Vacant(_) if full => {
                    return Err(wrong(4, "at most 100,000 verdicts on alerts"))
                }
                Entry::Vacant(slot) => {
                    slot.insert(mark);
                }
            }
        }
        Ok(())
    }

    /// The marks read, each kind by line; a file without rows is an error.
    pub fn finish(self) -> Result<Marks, IngestError> {
        let Some(sha256) = self.sha256 else {
            return Err(IngestError::new(&self.source, IngestErrorKind::NoRows));
        };
        let sorted = |marks: Vec<Mark>| {
            let mut marks = marks;
            marks.sort_by_key(|m| m.line);
            marks
        };
        Ok(Marks {
            sha256,
            events: sorted(self.events.into_values().collect()),
            alerts: sorted(self.alerts.into_values().collect()),
            rows: self.rows,
        })
    }
}
