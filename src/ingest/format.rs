//! Which form an input is in, found from its content rather than its name: after any gzip
//! layer, a first non-blank byte `{` means Tracee JSON lines, anything else a CSV. The
//! [`EventReader`] reads either the same way.

use super::reader::{decompress, gzip_hint, io_error, CsvReader};
use super::tracee::TraceeReader;
use super::{Events, IngestError, IngestErrorKind, Schema};
use std::io::{BufRead, BufReader, Read};

/// A streaming reader of events from a BETH CSV or Tracee JSON lines, plain or gzip: the header
/// (or first event) is resolved once, then rows are read in chunks, optionally keeping each raw
/// record (so a scorer can write every input column back out).
pub struct EventReader<'a>(Form<'a>);

enum Form<'a> {
    Csv(CsvReader<'a>),
    Tracee(TraceeReader<'a>),
}

impl<'a> EventReader<'a> {
    /// Opens `reader` (gzip and form detected) and checks it has every field of `schema`.
    pub fn new<R: Read + 'a>(
        reader: R,
        source: &str,
        schema: &Schema,
    ) -> Result<Self, IngestError> {
        let (input, gzip) = decompress(reader).map_err(|e| io_error(source, gzip_hint(&e), &e))?;
        // As large as `decompress`'s buffer: reading into it bypasses that one (one copy less).
        let mut input = BufReader::with_capacity(1 << 16, input);
        let head = input
            .fill_buf()
            .map_err(|e| io_error(source, gzip, &e).at_line(1))?;
        let form = match head.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Form::Tracee(TraceeReader::new(input, gzip, source, schema)?),
            _ => Form::Csv(CsvReader::new(input, gzip, source, schema)?),
        };
        Ok(EventReader(form))
    }

    /// Whether the input is Tracee JSON lines (else a CSV).
    pub fn is_json(&self) -> bool {
        matches!(self.0, Form::Tracee(_))
    }

    /// For JSON lines, makes each record [`EventReader::read_chunk`] hands out the event's line,
    /// whole, as one field (to write each event back out as it came); a CSV's records are not
    /// changed.
    pub fn keep_json_lines(&mut self) {
        if let Form::Tracee(json) = &mut self.0 {
            json.keep_whole_lines();
        }
    }

    /// The CSV's header exactly as read; for JSON lines, BETH's names of the columns that
    /// [`EventReader::read_chunk`]'s records hold.
    pub fn headers(&self) -> &csv::ByteRecord {
        match &self.0 {
            Form::Csv(csv) => csv.headers(),
            Form::Tracee(json) => json.headers(),
        }
    }

    /// Whether the input has `sus` labels (for JSON lines: whether its first event has one).
    pub fn has_labels(&self) -> bool {
        match &self.0 {
            Form::Csv(csv) => csv.has_labels(),
            Form::Tracee(json) => json.has_labels(),
        }
    }

    /// Reads every remaining event into memory; an input of none is an error.
    pub fn read_all(&mut self) -> Result<Events, IngestError> {
        let mut events = self.empty_events();
        while self.read_chunk(1 << 16, &mut events, None)? > 0 {}
        if events.is_empty() {
            return Err(IngestError::new(self.source(), IngestErrorKind::NoRows));
        }
        Ok(events)
    }

    /// What to say when the input lacked a mount namespace the schema let it lack
    /// ([`Schema::host_namespace`]): a CSV without the column, or JSON lines of which one read
    /// so far had none. Each such event was read as in the host's namespace.
    pub fn host_namespace_note(&self) -> Option<String> {
        let assumed = match &self.0 {
            Form::Csv(csv) => csv.host_namespace_assumed(),
            Form::Tracee(json) => json.host_namespace_assumed(),
        };
        assumed.then(|| {
            format!(
                "{} has no mountNamespace (Tracee's current JSON form does not write it): its \
                 events were read as in the host's own mount namespace, so a container's process \
                 looks like the host's",
                self.source()
            )
        })
    }

    /// The input's name in messages.
    fn source(&self) -> &str {
        match &self.0 {
            Form::Csv(csv) => csv.source(),
            Form::Tracee(json) => json.source(),
        }
    }

    /// An empty [`Events`] shaped for this input, to pass to [`EventReader::read_chunk`].
    pub fn empty_events(&self) -> Events {
        match &self.0 {
            Form::Csv(csv) => csv.empty_events(),
            Form::Tracee(json) => json.empty_events(),
        }
    }

    /// Reads up to `max_rows` rows, appending them to `events` (and their raw records to `raw`).
    /// Returns how many rows were read: 0 at the end of the input. JSON lines may return fewer
    /// before the end: what has arrived, rather than wait for more.
    pub fn read_chunk(
        &mut self,
        max_rows: usize,
        events: &mut Events,
        raw: Option<&mut Vec<csv::ByteRecord>>,
    ) -> Result<usize, IngestError> {
        match &mut self.0 {
            Form::Csv(csv) => csv.read_chunk(max_rows, events, raw),
            Form::Tracee(json) => json.read_chunk(max_rows, events, raw),
        }
    }
}
