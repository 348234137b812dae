//! CSV and Tracee JSON-lines input: `read_events` with several schemas and the streaming
//! `EventReader` must agree, never panic, and every error must display, start with the source
//! and name a line.

use cyber_attack_detector::ingest::{
    read_events, Column, EventReader, Events, Field, IngestError, IngestErrorKind, Labels, Schema,
};
use std::io::Write;

pub const SOURCE: &str = "fuzz.csv";

fn schema(fields: &[Field], labels: Labels) -> Schema {
    Schema {
        fields: fields.to_vec(),
        labels,
        host_namespace: false,
    }
}

/// Gzip-compresses `bytes` (fast level: the framing is what matters here).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// Reads `bytes` every way the project does and checks that the ways agree. Returns the
/// result of reading all fields with optional labels.
pub fn check_csv(bytes: &[u8]) -> Result<Events, IngestError> {
    let all = schema(&Field::ALL, Labels::Optional);
    let optional = check_read(bytes, &all);
    let required = check_read(bytes, &schema(&Field::ALL, Labels::Required));
    match (&optional, &required) {
        (Ok(events), Ok(labelled)) => {
            assert!(events.sus.is_some());
            assert_eq!(events, labelled);
        }
        (Ok(events), Err(e)) => {
            assert!(events.sus.is_none(), "labelled rows refused: {e}");
            let column =
                matches!(&e.kind, IngestErrorKind::MissingColumn { name, .. } if name == "sus");
            let field = e.kind == IngestErrorKind::MissingField
                && e.at.column == Some(Column::Json("sus".to_string()));
            assert!(column || field, "{e}");
        }
        (Err(e), Ok(_)) => panic!("optional labels refused what required labels accept: {e}"),
        (Err(_), Err(_)) => {}
    }
    // A schema naming fields twice reads exactly like one naming them once.
    let twice: Vec<Field> = Field::ALL
        .iter()
        .chain(Field::ALL.iter())
        .copied()
        .collect();
    let doubled = check_read(bytes, &schema(&twice, Labels::Optional));
    assert_eq!(doubled, optional);
    // Streaming in small chunks, keeping raw records, gives the same rows or the same error.
    let chunk = 1 + bytes.first().map_or(0, |&b| usize::from(b % 7));
    check_stream(bytes, &all, chunk, &optional);
    optional
}

/// Reads `data` as Tracee JSON lines (a `{` put in front when its first byte that is not blank
/// would make it a CSV) with every check of [`check_csv`].
pub fn check_tracee(data: &[u8]) -> Result<Events, IngestError> {
    if data.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        check_csv(data)
    } else {
        check_csv(&[b"{", data].concat())
    }
}

/// `read_events`, with the invariants of its result checked.
pub fn check_read(bytes: &[u8], schema: &Schema) -> Result<Events, IngestError> {
    let result = read_events(bytes, SOURCE, schema);
    match &result {
        Ok(events) => check_events(events),
        Err(e) => check_error(e),
    }
    result
}

fn check_events(events: &Events) {
    let n = events.len();
    assert!(n > 0, "Ok with no rows");
    assert_eq!(events.values.len(), events.fields.len());
    for column in &events.values {
        assert_eq!(column.len(), n);
        assert!(column.iter().all(|v| v.is_finite()), "a non-finite value");
    }
    for labels in [&events.sus, &events.evil].into_iter().flatten() {
        assert_eq!(labels.len(), n);
        assert!(labels.iter().all(|&l| l <= 1));
    }
    assert!(events.host.is_empty() || events.host.len() == n);
    assert!(events
        .host
        .iter()
        .all(|&h| (h as usize) < events.host_names.len()));
}

/// Every error displays, starts with the source, stays short, and names a line unless it is
/// about the whole file.
pub fn check_error(e: &IngestError) {
    let text = e.to_string();
    assert!(text.starts_with(SOURCE), "{text}");
    // At most 200 characters of any echoed value, each escaped to at most 10 bytes.
    assert!(text.len() < 4_096, "{} bytes", text.len());
    match e.kind {
        IngestErrorKind::Empty | IngestErrorKind::NoRows => {}
        _ => assert!(e.at.line.is_some(), "no line: {text}"),
    }
}

fn check_stream(
    bytes: &[u8],
    schema: &Schema,
    chunk: usize,
    expected: &Result<Events, IngestError>,
) {
    let mut reader = match EventReader::new(bytes, SOURCE, schema) {
        Ok(reader) => reader,
        Err(e) => {
            check_error(&e);
            assert_eq!(expected.as_ref().err(), Some(&e));
            return;
        }
    };
    let width = reader.headers().len();
    let json = reader.is_json();
    let mut events = reader.empty_events();
    let mut raw = Vec::new();
    loop {
        match reader.read_chunk(chunk, &mut events, Some(&mut raw)) {
            Ok(0) => break,
            Ok(rows) => assert!(rows <= chunk),
            Err(e) => {
                check_error(&e);
                assert_eq!(expected.as_ref().err(), Some(&e));
                return;
            }
        }
    }
    // The end stays the end.
    assert_eq!(reader.read_chunk(chunk, &mut events, Some(&mut raw)), Ok(0));
    assert_eq!(raw.len(), events.len());
    assert!(raw.iter().all(|record| record.len() == width));
    // Rows are numbered after the header (JSON lines have none), in order, never past the last
    // line; and a CSV's raw records are exactly what the csv crate reads from the bytes (plain
    // input only: gzip input has its lines inside the stream).
    let lines: Vec<u64> = raw
        .iter()
        .map(|r| r.position().map_or(0, |p| p.line()))
        .collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
    let first = if json { 1 } else { 2 };
    assert!(lines.iter().all(|&l| l >= first), "{lines:?}");
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        let breaks = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64;
        assert!(lines.iter().all(|&l| l <= breaks + 1), "{lines:?}");
    }
    if !json && !bytes.starts_with(&[0x1f, 0x8b]) {
        let mut direct = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let records: Vec<csv::ByteRecord> = direct.byte_records().map_while(|r| r.ok()).collect();
        assert!(records.len() >= raw.len());
        assert_eq!(&records[..raw.len()], &raw[..]);
    }
    match expected {
        Ok(all) => assert_eq!(&events, all),
        Err(e) => {
            assert_eq!(e.kind, IngestErrorKind::NoRows, "{e}");
            assert!(events.is_empty());
        }
    }
}
