use super::hosts::HostIndex;
use super::lines::{LineEndings, RecordTooLong, MAX_RECORD_BYTES};
use super::row::{self, Texts};
use super::{
    EventReader, Events, Field, IngestError, IngestErrorKind, Labels, Schema, HOST_MOUNT_NAMESPACE,
};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};

/// The most columns a header may have. BETH files have 8 to 16; a header of thousands is not
/// one, and every row is checked against it.
pub const MAX_COLUMNS: usize = 1_000;

/// Wraps `reader` in a gzip decoder when its first bytes are the gzip magic number.
/// Returns the reader and whether it is gzip.
pub fn decompress<'a, R: Read + 'a>(reader: R) -> std::io::Result<(Box<dyn Read + 'a>, bool)> {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let head = buffered.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok((
            Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
            true,
        ))
    } else {
        Ok((Box::new(buffered), false))
    }
}

/// Reads all events of a CSV (plain or gzip) into memory.
pub fn read_events<R: Read>(
    reader: R,
    source: &str,
    schema: &Schema,
) -> Result<Events, IngestError> {
    EventReader::new(reader, source, schema)?.read_all()
}

/// A streaming reader of CSV events: the header is resolved once, then rows are read in chunks,
/// optionally keeping each raw record (so a scorer can write every input column back out).
pub(super) struct CsvReader<'a> {
    csv: csv::Reader<Box<dyn Read + 'a>>,
    source: String,
    headers: csv::ByteRecord,
    names: Vec<String>,
    /// Each field read and its column; none for a mountNamespace the file lacks, read as the
    /// host's ([`Schema::host_namespace`]).
    wanted: Vec<(Field, Option<usize>)>,
    sus: Option<usize>,
    evil: Option<usize>,
    host: Option<usize>,
    gzip: bool,
    record: csv::ByteRecord,
    hosts: HostIndex,
    texts: Texts,
}

impl<'a> CsvReader<'a> {
    /// Reads the header of `input` (decompressed) and checks it has every column of `schema`.
    pub(super) fn new(
        input: BufReader<Box<dyn Read + 'a>>,
        gzip: bool,
        source: &str,
        schema: &Schema,
    ) -> Result<Self, IngestError> {
        let input: Box<dyn Read + 'a> = Box::new(LineEndings::new(input));
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(input);
        let headers = csv
            .byte_headers()
            .map_err(|e| csv_error(source, gzip, &e).at_line(1))?
            .clone();
        if headers.is_empty() || (headers.len() == 1 && headers[0].trim_ascii().is_empty()) {
            return Err(IngestError::new(source, IngestErrorKind::Empty));
        }
        if headers.len() > MAX_COLUMNS {
            let kind = IngestErrorKind::TooManyColumns {
                found: headers.len(),
                max: MAX_COLUMNS,
            };
            return Err(IngestError::new(source, kind).at_line(1));
        }
        let mut names = Vec::with_capacity(headers.len());
        let mut seen = HashSet::with_capacity(headers.len());
        for (i, raw) in headers.iter().enumerate() {
            let name = std::str::from_utf8(raw)
                .map_err(|_| {
                    IngestError::new(source, IngestErrorKind::NotUtf8)
                        .at_line(1)
                        .at_column(i, "?")
                })?
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string();
            if !name.is_empty() && !seen.insert(name.clone()) {
                return Err(IngestError::new(source, IngestErrorKind::DuplicateColumn)
                    .at_line(1)
                    .at_column(i, &name));
            }
            names.push(name);
        }
        let find = |name: &str| names.iter().position(|n| n == name);
        let missing = |name: &str| {
            IngestError::new(
                source,
                IngestErrorKind::MissingColumn {
                    name: name.to_string(),
                    found: names.clone(),
                },
            )
            .at_line(1)
        };
        let mut wanted: Vec<(Field, Option<usize>)> = Vec::with_capacity(Field::COUNT);
        for &field in &schema.fields {
            // A field the schema names twice is read once: rows are parsed into one slot per
            // distinct field.
            if wanted.iter().any(|&(f, _)| f == field) {
                continue;
            }
            let index = find(field.column());
            if index.is_none() && !(field == Field::MountNamespace && schema.host_namespace) {
                return Err(missing(field.column()));
            }
            wanted.push((field, index));
        }
        let sus = find("sus");
        if sus.is_none() && schema.labels == Labels::Required {
            return Err(missing("sus"));
        }
        Ok(CsvReader {
            csv,
            source: source.to_string(),
            headers,
            evil: find("evil"),
            host: find("hostName"),
            names,
            wanted,
            sus,
            gzip,
            record: csv::ByteRecord::new(),
            hosts: HostIndex::default(),
            texts: Texts::default(),
        })
    }

    /// The header exactly as read.
    pub(super) fn headers(&self) -> &csv::ByteRecord {
        &self.headers
    }

    /// Whether the file has a `sus` label column.
    pub(super) fn has_labels(&self) -> bool {
        self.sus.is_some()
    }

    /// The file's name in messages.
    pub(super) fn source(&self) -> &str {
        &self.source
    }

    /// Whether the file lacks mountNamespace, read as the host's for every row.
    pub(super) fn host_namespace_assumed(&self) -> bool {
        self.wanted.iter().any(|(_, index)| index.is_none())
    }

    /// An empty [`Events`] shaped for this file, to pass to [`CsvReader::read_chunk`].
    pub(super) fn empty_events(&self) -> Events {
        let fields = self.wanted.iter().map(|&(f, _)| f).collect();
        row::empty_events(fields, self.sus.is_some(), self.evil.is_some())
    }

    /// Reads up to `max_rows` rows, appending them to `events` (and their raw records to `raw`).
    /// Returns how many rows were read: 0 at the end of the input.
    pub(super) fn read_chunk(
        &mut self,
        max_rows: usize,
        events: &mut Events,
        mut raw: Option<&mut Vec<csv::ByteRecord>>,
    ) -> Result<usize, IngestError> {
        let mut rows = 0;
        while rows < max_rows {
            let more = self.csv.read_byte_record(&mut self.record).map_err(|e| {
                // I/O errors (a corrupt gzip stream) carry no position: name the line
                // the reader had reached.
                let error = csv_error(&self.source, self.gzip, &e);
                match error.at.line {
                    Some(_) => error,
                    None => error.at_line(self.csv.position().line()),
                }
            })?;
            if !more {
                break;
            }
            // The parser has counted every `\n` up to the end of this record, which (with
            // `LineEndings`) is one `\n` after the newlines inside its quoted fields.
            let inside = newlines(self.record.as_slice());
            let line = self.csv.position().line().saturating_sub(1 + inside as u64);
            let mut position = self
                .record
                .position()
                .cloned()
                .unwrap_or_else(csv::Position::new);
            position.set_line(line);
            self.record.set_position(Some(position));
            if self.record.len() != self.headers.len() {
                return Err(IngestError::new(
                    &self.source,
                    IngestErrorKind::Ragged {
                        expected: self.headers.len(),
                        found: self.record.len(),
                    },
                )
                .at_line(line));
            }
            self.push_row(line, events)?;
            if let Some(raw) = raw.as_deref_mut() {
                raw.push(self.record.clone());
            }
            rows += 1;
        }
        Ok(rows)
    }

    /// Parses the current record into `events`; on error nothing is appended.
    fn push_row(&mut self, line: u64, events: &mut Events) -> Result<(), IngestError> {
        let err = |kind: IngestErrorKind, index: usize| {
            IngestError::new(&self.source, kind)
                .at_line(line)
                .at_column(index, &self.names[index])
        };
        let mut parsed = [0f64; Field::COUNT];
        let mut text = 0;
        for (k, &(field, index)) in self.wanted.iter().enumerate() {
            let Some(index) = index else {
                parsed[k] = HOST_MOUNT_NAMESPACE;
                continue;
            };
            parsed[k] = if field.is_text() {
                text += 1;
                self.texts.intern(events, text - 1, &self.record[index])
            } else {
                parse_number(&self.record[index]).map_err(|kind| err(kind, index))?
            };
        }
        let label = |column: Option<usize>| -> Result<Option<u8>, IngestError> {
            column
                .map(|index| parse_label(&self.record[index]).map_err(|kind| err(kind, index)))
                .transpose()
        };
        let sus = label(self.sus)?;
        let evil = label(self.evil)?;
        row::append(events, &parsed[..self.wanted.len()], sus, evil);
        if let Some(index) = self.host {
            let name = String::from_utf8_lossy(self.record[index].trim_ascii());
            let id = self.hosts.intern(&mut events.host_names, &name);
            events.host.push(id);
        }
        Ok(())
    }
}

/// Newlines in a record's fields (all of them, end to end): usually none, found at once.
fn newlines(fields: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', fields).count()
}

pub(super) fn parse_number(raw: &[u8]) -> Result<f64, IngestErrorKind> {
    match parse_integer(raw) {
        Some(value) => Ok(value),
        None => parse_float(raw),
    }
}

/// [`parse_number`] in general: any text `str::parse::<f64>` reads, spaces around it trimmed.
fn parse_float(raw: &[u8]) -> Result<f64, IngestErrorKind> {
    let text = std::str::from_utf8(raw)
        .map_err(|_| IngestErrorKind::NotUtf8)?
        .trim();
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(IngestErrorKind::NotFinite {
            value: text.to_string(),
        }),
        Err(_) => Err(IngestErrorKind::NotANumber {
            value: text.to_string(),
        }),
    }
}

/// The common case of [`parse_number`] without its general float parser: 1 to 15 ASCII digits,
/// possibly after a `-`. Such a number is below 2^53, so converting it is exact and gives the
/// bits `str::parse::<f64>` gives (`-0` included). `None` for anything else.
fn parse_integer(raw: &[u8]) -> Option<f64> {
    let (negative, digits) = match raw {
        [b'-', digits @ ..] => (true, digits),
        digits => (false, digits),
    };
    if digits.is_empty() || digits.len() > 15 {
        return None;
    }
    let mut value = 0u64;
    for &byte in digits {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value * 10 + u64::from(digit);
    }
    let value = value as f64;
    Some(if negative { -value } else { value })
}

pub(super) fn parse_label(raw: &[u8]) -> Result<u8, IngestErrorKind> {
    let bad = || IngestErrorKind::BadLabel {
        value: String::from_utf8_lossy(raw).trim().to_string(),
    };
    match parse_number(raw) {
        Ok(0.0) => Ok(0),
        Ok(1.0) => Ok(1),
        _ => Err(bad()),
    }
}

pub(super) fn gzip_hint(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::InvalidInput || e.kind() == std::io::ErrorKind::UnexpectedEof
}

pub(super) fn io_error(source: &str, gzip: bool, e: &std::io::Error) -> IngestError {
    let message = e.to_string();
    let kind = if gzip {
        IngestErrorKind::Gzip { message }
    } else {
        IngestErrorKind::Csv { message }
    };
    IngestError::new(source, kind)
}

fn csv_error(source: &str, gzip: bool, e: &csv::Error) -> IngestError {
    let mut line = e.position().map(csv::Position::line);
    let mut error = match e.kind() {
        csv::ErrorKind::Io(io) => match io.get_ref().and_then(|e| e.downcast_ref()) {
            Some(RecordTooLong { line: start }) => {
                line = Some(*start);
                let kind = IngestErrorKind::RecordTooLong {
                    max: MAX_RECORD_BYTES,
                };
                IngestError::new(source, kind)
            }
            None => io_error(source, gzip, io),
        },
        csv::ErrorKind::Utf8 { .. } => IngestError::new(source, IngestErrorKind::NotUtf8),
        _ => IngestError::new(
            source,
            IngestErrorKind::Csv {
                message: e.to_string(),
            },
        ),
    };
    if let Some(line) = line {
        error = error.at_line(line);
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Integers take the short way and give exactly the general parser's bits.
    #[test]
    fn integers_parse_to_the_same_bits() {
        let mut rng = crate::rng::Rng::new(5);
        let mut short = 0;
        for _ in 0..20_000 {
            let text: Vec<u8> = (0..rng.below(19))
                .map(|_| b"0123456789000-+. e"[rng.below(18)])
                .collect();
            let general = parse_float(&text);
            if let Some(value) = parse_integer(&text) {
                short += 1;
                let bits = general.clone().map(f64::to_bits);
                assert_eq!(
                    bits,
                    Ok(value.to_bits()),
                    "{:?}",
                    String::from_utf8_lossy(&text)
                );
            }
            assert_eq!(parse_number(&text), general);
        }
        assert!(short > 1_000, "{short}");
        for text in [
            "-0",
            "0",
            "999999999999999",
            "-000000000000001",
            "4026531840",
        ] {
            let value = parse_integer(text.as_bytes()).expect("an integer");
            assert_eq!(
                value.to_bits(),
                text.parse::<f64>().expect("a number").to_bits()
            );
        }
        for text in ["", "-", "+1", " 1", "1 ", "1000000000000000", "1e3", "1.0"] {
            assert_eq!(parse_integer(text.as_bytes()), None, "{text}");
        }
    }
}
