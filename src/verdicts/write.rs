//! The verdict CSV written in one pass over the scored file: its rows that the verdicts name.

use super::{cut_note, is_sha256, word, Mark, ALERT_ROWS, COLUMNS, MAX_MARKS};
use crate::alerts::{FirstLines, Limits};
use csv::ByteRecord;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;

/// What to write: the verdicts on a file, and rows to add with the model's label.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Request {
    /// The scored file's SHA-256, lower-case hex.
    pub sha256: String,
    /// Verdicts on events, by line.
    pub events: Vec<Mark>,
    /// Verdicts on alerts, by first line: each applies to the alert's events.
    pub alerts: Vec<Mark>,
    /// Rows to write with the model's label where no verdict covers them (for retraining).
    pub filled: Vec<Filled>,
}

/// A row labelled by the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct Filled {
    /// Its line.
    pub line: u64,
    /// Whether the model flags it.
    pub attack: bool,
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Written {
    /// Rows written.
    pub rows: u64,
    /// Of those, rows labelled by their own verdict.
    pub event_rows: u64,
    /// Rows labelled by their alert's verdict.
    pub alert_rows: u64,
    /// Rows labelled by the model.
    pub filled_rows: u64,
    /// Events of judged alerts left out beyond [`ALERT_ROWS`] per alert.
    pub alert_rows_left: u64,
}

/// Writes the rows of a scored file that verdicts name, under the file's header plus `sus` and
/// [`COLUMNS`]: offered every record of the file in order, it writes the events judged, the
/// first [`ALERT_ROWS`] events of each judged alert, and the rows to fill.
pub struct VerdictCsv<W: Write> {
    csv: csv::Writer<W>,
    sha256: String,
    events: HashMap<u64, Mark>,
    /// Judged alerts by first line, with their rows written so far.
    alerts: HashMap<u64, (Mark, u64)>,
    filled: HashMap<u64, bool>,
    first_lines: FirstLines,
    written: Written,
    row: ByteRecord,
}

impl<W: Write> VerdictCsv<W> {
    /// Starts the file on `out` for records under `header`; `limits` are the grouper's that
    /// made the alerts. A request with a bad digest or too many verdicts is refused.
    pub fn new(
        out: W,
        header: &ByteRecord,
        request: Request,
        limits: Limits,
    ) -> Result<VerdictCsv<W>, String> {
        if !is_sha256(&request.sha256) {
            return Err(format!(
                "expected the file's SHA-256 as 64 lower-case hex digits, found {:?}",
                request.sha256.chars().take(80).collect::<String>()
            ));
        }
        let most = request.events.len().max(request.alerts.len());
        if most > MAX_MARKS || request.filled.len() > MAX_MARKS {
            return Err(format!(
                "expected at most {MAX_MARKS} verdicts of each kind"
            ));
        }
        let keyed = |marks: Vec<Mark>| {
            marks.into_iter().map(|m| {
                let note = cut_note(&m.note);
                (m.line, Mark { note, ..m })
            })
        };
        let mut csv = csv::Writer::from_writer(out);
        let mut names = header.clone();
        names.push_field(b"sus");
        for column in COLUMNS {
            names.push_field(column.as_bytes());
        }
        csv.write_byte_record(&names).map_err(|e| e.to_string())?;
        Ok(VerdictCsv {
            csv,
            sha256: request.sha256,
            events: keyed(request.events).collect(),
            alerts: keyed(request.alerts).map(|(l, m)| (l, (m, 0))).collect(),
            filled: request.filled.iter().map(|f| (f.line, f.attack)).collect(),
            first_lines: FirstLines::new(header, limits),
            written: Written::default(),
            row: ByteRecord::new(),
        })
    }

    /// Offers the file's next record (with its position); writes it when a verdict names it.
    pub fn offer(&mut self, record: &ByteRecord) -> csv::Result<()> {
        let line = record.position().map_or(0, csv::Position::line);
        let process = self.first_lines.of(record);
        let event = self.events.get(&line);
        let alert = process.and_then(|first| Some((first, self.alerts.get_mut(&first)?)));
        let filled = self.filled.get(&line).copied();
        // An alert's events beyond its cap are left out, unless named on their own.
        let alert = match alert {
            Some((first, (mark, count))) if *count < ALERT_ROWS || event.is_some() => {
                *count += 1;
                Some((first, &*mark))
            }
            Some(_) => {
                if filled.is_none() {
                    self.written.alert_rows_left += 1;
                }
                None
            }
            None => None,
        };
        let sus = match (event, alert, filled) {
            (Some(mark), _, _) => {
                self.written.event_rows += 1;
                mark.attack
            }
            (None, Some((_, mark)), _) => {
                self.written.alert_rows += 1;
                mark.attack
            }
            (None, None, Some(attack)) => {
                self.written.filled_rows += 1;
                attack
            }
            (None, None, None) => return Ok(()),
        };
        self.written.rows += 1;
        let row = &mut self.row;
        row.clone_from(record);
        row.push_field(if sus { b"1" } else { b"0" });
        row.push_field(line.to_string().as_bytes());
        row.push_field(event.map_or("", |m| word(m.attack)).as_bytes());
        row.push_field(event.map_or("", |m| m.note.as_str()).as_bytes());
        let first = alert.map_or(String::new(), |(first, _)| first.to_string());
        row.push_field(first.as_bytes());
        row.push_field(alert.map_or("", |(_, m)| word(m.attack)).as_bytes());
        row.push_field(alert.map_or("", |(_, m)| m.note.as_str()).as_bytes());
        row.push_field(self.sha256.as_bytes());
        self.csv.write_byte_record(row)
    }

    /// What was written so far.
    pub fn written(&self) -> &Written {
        &self.written
    }

    /// Writes out what is buffered.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.csv.flush()
    }
}

impl VerdictCsv<Vec<u8>> {
    /// The bytes written since the last call, for a file handed out in pieces.
    pub fn take(&mut self) -> Vec<u8> {
        let csv = std::mem::replace(&mut self.csv, csv::Writer::from_writer(Vec::new()));
        // Flushing into memory cannot fail.
        csv.into_inner().unwrap_or_default()
    }
}
