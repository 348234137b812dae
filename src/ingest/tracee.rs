//! Tracee's JSON-lines output (`tracee --output json`): one event per line, read into the same
//! records as a BETH CSV (BETH was recorded with Tracee; its columns are Tracee's fields).
//!
//! Two forms are read, line by line:
//! - the flat form of BETH's era (`trace.Event`): `processId`, `threadId`, `parentProcessId`,
//!   `userId`, `mountNamespace`, `hostName`, `eventId`, `argsNum`, `returnValue`… at the top;
//! - the current `v1beta1.Event` form, recognised by its `workload` object: the process id at
//!   `workload.process.pid`, the thread's at `workload.process.thread.tid`, the parent's at
//!   `workload.process.ancestors[0].pid`, the user at `workload.process.real_user.id`; the
//!   arguments are the entries of `data`, and a syscall's return value is the `data` entry named
//!   `returnValue`. A wrapped number may be written `{"value": n}` or plainly, and, as protobuf
//!   omits zeros, a missing one inside `workload.process` is 0, as is a missing return value
//!   (Tracee adds it to syscalls only). This form has no mount namespace or host name: a model
//!   that asks of the namespace only whether it is the host's reads it as the host's
//!   ([`Schema::host_namespace`]), any other refuses the line. Nor has it BETH's eventId: its
//!   `id` is an enumeration of Tracee's own (`"sched_process_exec"`, or numbered from 1, so
//!   execve is 60 where BETH has 59), so a model reading eventId refuses it, saying why.
//!
//! Numbers may be JSON numbers or strings holding one (Tracee writes `eventId` as `"59"`).
//! `sus` and `evil` labels are read when present (BETH rows converted to JSON carry them).
//! Each line is parsed into borrowed raw values of only the fields read; the rest is skipped: a
//! line of the flat form by one pass over its bytes (`scan`), anything else by serde.

use super::hosts::HostIndex;
use super::lines::MAX_RECORD_BYTES;
use super::reader::{parse_label, parse_number};
use super::row::{self, Texts};
use super::{Events, Field, IngestError, IngestErrorKind, Labels, Schema, HOST_MOUNT_NAMESPACE};
use memchr::memchr;
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::marker::PhantomData;

mod scan;
#[cfg(test)]
mod tests;

/// The columns a JSON-lines input is written back out with (BETH's names, in BETH's order),
/// then `sus` and `evil` when the first event has them.
const COLUMNS: [&str; 12] = [
    "timestamp",
    "processId",
    "threadId",
    "parentProcessId",
    "userId",
    "mountNamespace",
    "processName",
    "hostName",
    "eventId",
    "eventName",
    "argsNum",
    "returnValue",
];

/// A streaming reader of Tracee JSON lines, shaped like the CSV reader.
pub(super) struct TraceeReader<'a> {
    input: BufReader<Box<dyn Read + 'a>>,
    source: String,
    gzip: bool,
    wanted: Vec<Field>,
    /// Whether an event without a mount namespace is read as in the host's
    /// ([`Schema::host_namespace`]), and whether one was.
    host_namespace: bool,
    assumed: bool,
    sus: bool,
    evil: bool,
    host: bool,
    headers: csv::ByteRecord,
    /// The current line, without its `\n`.
    line: Vec<u8>,
    /// The current line's number (1-based).
    number: u64,
    /// Whether `line` holds an event not yet returned (the first, read to learn the labels).
    pending: bool,
    /// Whether records hold each line whole (one field) rather than BETH's columns.
    whole_lines: bool,
    /// Whether the last read of the input gave fewer bytes than asked: a pipe with nothing
    /// more waiting, or the end; the next read may wait for input.
    short: bool,
    hosts: HostIndex,
    texts: Texts,
}

impl<'a> TraceeReader<'a> {
    /// Reads the first event to learn whether the input has labels and host names.
    pub(super) fn new(
        input: BufReader<Box<dyn Read + 'a>>,
        gzip: bool,
        source: &str,
        schema: &Schema,
    ) -> Result<Self, IngestError> {
        // A field the schema names twice is read once, as by the CSV reader.
        let mut ordered = Vec::with_capacity(schema.fields.len());
        for &field in &schema.fields {
            if !ordered.contains(&field) {
                ordered.push(field);
            }
        }
        let mut reader = TraceeReader {
            source: source.to_string(),
            gzip,
            wanted: ordered,
            host_namespace: schema.host_namespace,
            assumed: false,
            sus: false,
            evil: false,
            host: false,
            headers: csv::ByteRecord::new(),
            line: Vec::new(),
            number: 0,
            pending: false,
            whole_lines: false,
            // The form was told from a first read: was it short?
            short: input.buffer().len() < input.capacity(),
            hosts: HostIndex::default(),
            texts: Texts::default(),
            input,
        };
        if !reader.next_line()? {
            return Err(IngestError::new(source, IngestErrorKind::Empty));
        }
        reader.pending = true;
        let first = reader.parse(&reader.line)?;
        (reader.sus, reader.evil) = (first.sus.is_some(), first.evil.is_some());
        reader.host = first.host_name.is_some();
        if !reader.sus && schema.labels == Labels::Required {
            return Err(reader.missing("sus"));
        }
        let mut headers = csv::ByteRecord::from(COLUMNS.to_vec());
        for (present, name) in [(reader.sus, "sus"), (reader.evil, "evil")] {
            if present {
                headers.push_field(name.as_bytes());
            }
        }
        reader.headers = headers;
        Ok(reader)
    }

    /// BETH's column names for the records [`TraceeReader::read_chunk`] hands out.
    pub(super) fn headers(&self) -> &csv::ByteRecord {
        &self.headers
    }

    pub(super) fn has_labels(&self) -> bool {
        self.sus
    }

    /// The input's name in messages.
    pub(super) fn source(&self) -> &str {
        &self.source
    }

    /// Whether an event read so far had no mount namespace and was read as in the host's.
    pub(super) fn host_namespace_assumed(&self) -> bool {
        self.assumed
    }

    /// Makes each record of [`TraceeReader::read_chunk`] the event's line, whole, as one field.
    pub(super) fn keep_whole_lines(&mut self) {
        self.whole_lines = true;
    }

    pub(super) fn empty_events(&self) -> Events {
        row::empty_events(self.wanted.clone(), self.sus, self.evil)
    }

    /// Reads up to `max_rows` events into `events` (and BETH-shaped records into `raw`), or
    /// fewer: once at least one is read, when all that the last read gave is used and it gave
    /// fewer bytes than asked, it returns rather than wait for input that has not arrived, so a
    /// live pipe's events are scored as they come. Returns 0 at the end.
    pub(super) fn read_chunk(
        &mut self,
        max_rows: usize,
        events: &mut Events,
        mut raw: Option<&mut Vec<csv::ByteRecord>>,
    ) -> Result<usize, IngestError> {
        let mut rows = 0;
        while rows < max_rows {
            if !self.pending {
                if rows > 0 && self.short && self.input.buffer().is_empty() {
                    break;
                }
                if !self.next_line()? {
                    break;
                }
            }
            self.pending = false;
            // The event borrows the line while `push` needs `self`: lend the line out.
            let line = std::mem::take(&mut self.line);
            let pushed = self.push(&line, events, raw.as_deref_mut());
            self.line = line;
            pushed?;
            rows += 1;
        }
        Ok(rows)
    }

    /// Reads the next line that is not blank into `line`; false at the end of the input.
    fn next_line(&mut self) -> Result<bool, IngestError> {
        let capacity = self.input.capacity();
        loop {
            self.line.clear();
            self.number += 1;
            let mut ended = false;
            loop {
                let refill = self.input.buffer().is_empty();
                let buffer = match self.input.fill_buf() {
                    Ok(buffer) => buffer,
                    Err(e) => {
                        let message = e.to_string();
                        let kind = if self.gzip {
                            IngestErrorKind::Gzip { message }
                        } else {
                            IngestErrorKind::Json { message }
                        };
                        return Err(IngestError::new(&self.source, kind).at_line(self.number));
                    }
                };
                if refill {
                    self.short = buffer.len() < capacity;
                }
                if buffer.is_empty() {
                    ended = true;
                    break;
                }
                let (take, newline) = match memchr(b'\n', buffer) {
                    Some(end) => (end, true),
                    None => (buffer.len(), false),
                };
                if self.line.len() + take > MAX_RECORD_BYTES {
                    let kind = IngestErrorKind::RecordTooLong {
                        max: MAX_RECORD_BYTES,
                    };
                    return Err(IngestError::new(&self.source, kind).at_line(self.number));
                }
                self.line.extend_from_slice(&buffer[..take]);
                self.input.consume(take + usize::from(newline));
                if newline {
                    break;
                }
            }
            if !self.line.trim_ascii().is_empty() {
                return Ok(true);
            }
            if ended {
                return Ok(false);
            }
        }
    }

    fn parse<'l>(&self, line: &'l [u8]) -> Result<Event<'l>, IngestError> {
        // serde would also read a struct from a list, field by field in order: refuse one here.
        if let Some(&first) = line.trim_ascii_start().first().filter(|&&b| b != b'{') {
            let kind = IngestErrorKind::Json {
                message: format!("a line starting with {:?}", char::from(first)),
            };
            return Err(IngestError::new(&self.source, kind).at_line(self.number));
        }
        if let Some(event) = scan::flat_event(line) {
            return Ok(event);
        }
        serde_json::from_slice(line).map_err(|e| {
            // serde_json counts lines within the line: keep only its column.
            let full = e.to_string();
            let position = format!(" at line {} column {}", e.line(), e.column());
            let message = full.strip_suffix(&position).unwrap_or(&full);
            let kind = IngestErrorKind::Json {
                message: format!("{message} at column {}", e.column()),
            };
            IngestError::new(&self.source, kind).at_line(self.number)
        })
    }

    /// Appends the event on `line` to `events` (and its record to `raw`); on error nothing is
    /// appended.
    fn push(
        &mut self,
        line: &[u8],
        events: &mut Events,
        raw: Option<&mut Vec<csv::ByteRecord>>,
    ) -> Result<(), IngestError> {
        let event = self.parse(line)?;
        let mut parsed = [0f64; Field::COUNT];
        let mut texts = 0;
        let mut scratch = Vec::new();
        for (k, &field) in self.wanted.iter().enumerate() {
            if field.is_text() {
                let (value, path) = event.text_field(field);
                let raw = value.ok_or_else(|| self.missing(path))?;
                let name = match unquoted(raw) {
                    Some(name) => name,
                    None => {
                        text(raw, &mut scratch);
                        &scratch
                    }
                };
                parsed[k] = self.texts.intern(events, texts, name);
                texts += 1;
                continue;
            }
            let (value, path) = event.field(field);
            parsed[k] = match value {
                Value::Number(n) => n,
                Value::Missing if field == Field::MountNamespace && self.host_namespace => {
                    self.assumed = true;
                    HOST_MOUNT_NAMESPACE
                }
                Value::Missing => return Err(self.missing(path)),
                Value::Unnumbered => {
                    return Err(self.error(IngestErrorKind::EventNumbering).at_field(path))
                }
                Value::Raw(raw) => number(raw).map_err(|kind| self.error(kind).at_field(path))?,
            };
        }
        let label = |raw: Option<Raw<'_>>, name: &str| -> Result<Option<u8>, IngestError> {
            raw.map(|raw| {
                let text = unquoted(raw).unwrap_or(raw.0);
                parse_label(text).map_err(|kind| self.error(kind).at_field(name))
            })
            .transpose()
        };
        let sus = if self.sus {
            Some(label(event.sus, "sus")?.ok_or_else(|| self.missing("sus"))?)
        } else {
            None
        };
        let evil = if self.evil {
            Some(label(event.evil, "evil")?.ok_or_else(|| self.missing("evil"))?)
        } else {
            None
        };
        row::append(events, &parsed[..self.wanted.len()], sus, evil);
        if self.host {
            let mut escaped = Vec::new();
            let name = match event.host_name {
                Some(raw) => match unquoted(raw) {
                    Some(name) => name,
                    None => {
                        text(raw, &mut escaped);
                        &escaped
                    }
                },
                None => b"(unknown)",
            };
            let name = String::from_utf8_lossy(name.trim_ascii());
            let id = self.hosts.intern(&mut events.host_names, &name);
            events.host.push(id);
        }
        if let Some(raw) = raw {
            raw.push(self.record(&event, line));
        }
        Ok(())
    }

    /// The event as a BETH row: [`COLUMNS`] (then the labels), strings unescaped; or its line.
    fn record(&self, event: &Event<'_>, line: &[u8]) -> csv::ByteRecord {
        if self.whole_lines {
            let mut record = csv::ByteRecord::with_capacity(line.len(), 1);
            record.push_field(line.trim_ascii());
            return self.placed(record);
        }
        let labels = [(self.sus, event.sus), (self.evil, event.evil)];
        let labels = labels
            .into_iter()
            .filter_map(|(present, raw)| present.then_some(raw));
        let mut field = Vec::new();
        let record = match event.flat_columns() {
            // A flat event's columns are its raw values, unescaped: no more bytes than theirs.
            Some(columns) => {
                let values = || columns.into_iter().chain(labels.clone());
                let size = values().flatten().map(|raw| raw.0.len()).sum();
                let mut record = csv::ByteRecord::with_capacity(size, self.headers.len());
                for raw in values() {
                    push_text(&mut record, raw, &mut field);
                }
                record
            }
            None => {
                let mut record = csv::ByteRecord::with_capacity(line.len(), self.headers.len());
                for name in COLUMNS {
                    field.clear();
                    event.write_column(name, &mut field);
                    record.push_field(&field);
                }
                for raw in labels {
                    push_text(&mut record, raw, &mut field);
                }
                record
            }
        };
        self.placed(record)
    }

    /// `record`, with the current line's number as its position.
    fn placed(&self, mut record: csv::ByteRecord) -> csv::ByteRecord {
        let mut position = csv::Position::new();
        position.set_line(self.number);
        record.set_position(Some(position));
        record
    }

    fn error(&self, kind: IngestErrorKind) -> IngestError {
        IngestError::new(&self.source, kind).at_line(self.number)
    }

    fn missing(&self, path: &str) -> IngestError {
        self.error(IngestErrorKind::MissingField).at_field(path)
    }
}

/// A JSON value's text exactly as on the line (no whitespace around it, valid UTF-8), borrowed:
/// what serde's [`RawValue`] holds, and what [`scan`] finds without it.
#[derive(Clone, Copy)]
struct Raw<'a>(&'a [u8]);

impl<'de: 'a, 'a> Deserialize<'de> for Raw<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <&'de RawValue>::deserialize(deserializer).map(|raw| Raw(raw.get().as_bytes()))
    }
}

/// A field's value as found: raw JSON to convert, a number already known, or nothing.
enum Value<'a> {
    Raw(Raw<'a>),
    Number(f64),
    Missing,
    /// A v1beta1 event's `id`, which is not BETH's eventId.
    Unnumbered,
}

impl<'a> From<Option<Raw<'a>>> for Value<'a> {
    fn from(raw: Option<Raw<'a>>) -> Self {
        raw.map_or(Value::Missing, Value::Raw)
    }
}

/// One event: the fields read, of either form, as raw JSON borrowed from the line.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event<'a> {
    #[serde(borrow)]
    timestamp: Option<Raw<'a>>,
    #[serde(borrow)]
    process_id: Option<Raw<'a>>,
    #[serde(borrow)]
    thread_id: Option<Raw<'a>>,
    #[serde(borrow)]
    parent_process_id: Option<Raw<'a>>,
    #[serde(borrow)]
    user_id: Option<Raw<'a>>,
    #[serde(borrow)]
    mount_namespace: Option<Raw<'a>>,
    #[serde(borrow)]
    process_name: Option<Raw<'a>>,
    #[serde(borrow)]
    host_name: Option<Raw<'a>>,
    #[serde(borrow)]
    event_id: Option<Raw<'a>>,
    #[serde(borrow)]
    event_name: Option<Raw<'a>>,
    #[serde(borrow)]
    args_num: Option<Raw<'a>>,
    #[serde(borrow)]
    return_value: Option<Raw<'a>>,
    #[serde(borrow)]
    sus: Option<Raw<'a>>,
    #[serde(borrow)]
    evil: Option<Raw<'a>>,
    // v1beta1
    #[serde(borrow)]
    id: Option<Raw<'a>>,
    #[serde(borrow)]
    name: Option<Raw<'a>>,
    #[serde(borrow)]
    workload: Option<Workload<'a>>,
    #[serde(borrow)]
    data: Option<Data<'a>>,
}

#[derive(Deserialize)]
struct Workload<'a> {
    #[serde(borrow)]
    process: Option<Process<'a>>,
}

#[derive(Deserialize)]
struct Process<'a> {
    #[serde(borrow)]
    pid: Option<Raw<'a>>,
    #[serde(borrow)]
    thread: Option<Thread<'a>>,
    #[serde(borrow)]
    real_user: Option<User<'a>>,
    #[serde(borrow)]
    ancestors: Option<First<Ancestor<'a>>>,
}

#[derive(Deserialize)]
struct Thread<'a> {
    #[serde(borrow)]
    tid: Option<Raw<'a>>,
    #[serde(borrow)]
    name: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct User<'a> {
    #[serde(borrow)]
    id: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct Ancestor<'a> {
    #[serde(borrow)]
    pid: Option<Raw<'a>>,
}

/// `{"seconds": "…", "nanos": n}`.
#[derive(Deserialize)]
struct Timestamp<'a> {
    #[serde(borrow)]
    seconds: Option<Raw<'a>>,
    #[serde(borrow)]
    nanos: Option<Raw<'a>>,
}

/// A wrapped number, `{"value": n}`.
#[derive(Deserialize)]
struct Wrapped<'a> {
    #[serde(borrow)]
    value: Option<Raw<'a>>,
}

/// The first element of a list; the rest are skipped unread.
struct First<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for First<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Visit<T> {
            type Value = First<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<First<T>, A::Error> {
                let first = seq.next_element()?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(First(first))
            }
        }
        deserializer.deserialize_seq(Visit(PhantomData))
    }
}

/// A v1beta1 `data` list: how many entries, and the value of the one named `returnValue`.
struct Data<'a> {
    entries: usize,
    return_value: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    name: Option<Raw<'a>>,
    #[serde(borrow)]
    int64: Option<Raw<'a>>,
    #[serde(borrow)]
    value: Option<Raw<'a>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Data<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for Visit<'a> {
            type Value = Data<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of event values")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Data<'a>, A::Error> {
                let mut data = Data {
                    entries: 0,
                    return_value: None,
                };
                while let Some(entry) = seq.next_element::<Entry<'de>>()? {
                    data.entries += 1;
                    if entry.name.map(|name| name.0) == Some(&b"\"returnValue\""[..]) {
                        data.return_value = entry.int64.or(entry.value);
                    }
                }
                Ok(data)
            }
        }
        deserializer.deserialize_seq(Visit(PhantomData))
    }
}

impl<'a> Event<'a> {
    /// The process of a v1beta1 event; `None` for the flat form.
    fn process(&self) -> Option<Option<&Process<'a>>> {
        self.workload.as_ref().map(|w| w.process.as_ref())
    }

    /// The raw value of the text field `field` (`processName` or `eventName`) and the path it
    /// is read from, in this event's form.
    fn text_field(&self, field: Field) -> (Option<Raw<'a>>, &'static str) {
        let process_name = field == Field::ProcessName;
        match (self.process(), process_name) {
            (None, true) => (self.process_name, "processName"),
            (None, false) => (self.event_name, "eventName"),
            (Some(process), true) => (
                process.and_then(|p| p.thread.as_ref()).and_then(|t| t.name),
                "workload.process.thread.name",
            ),
            (Some(_), false) => (self.name, "name"),
        }
    }

    /// `field`'s value and the path it is read from, in this event's form.
    fn field(&self, field: Field) -> (Value<'a>, &'static str) {
        let Some(process) = self.process() else {
            let raw = match field {
                Field::ProcessId => self.process_id,
                Field::ThreadId => self.thread_id,
                Field::ParentProcessId => self.parent_process_id,
                Field::UserId => self.user_id,
                Field::MountNamespace => self.mount_namespace,
                Field::EventId => self.event_id,
                Field::ArgsNum => self.args_num,
                Field::ReturnValue => self.return_value,
                Field::ProcessName | Field::EventName => {
                    let (raw, path) = self.text_field(field);
                    return (raw.into(), path);
                }
            };
            return (raw.into(), field.column());
        };
        // Inside the process, protobuf leaves out zeros.
        let zero = |raw: Option<Raw<'a>>| raw.map_or(Value::Number(0.0), Value::Raw);
        let entries = self.data.as_ref().map_or(0, |d| d.entries);
        let return_value = self.data.as_ref().and_then(|d| d.return_value);
        match (field, process) {
            (Field::EventId, _) => (Value::Unnumbered, "id"),
            (Field::MountNamespace, _) => (Value::Missing, "mountNamespace"),
            (Field::ArgsNum, _) => {
                let args = entries - usize::from(return_value.is_some());
                (Value::Number(args as f64), "data")
            }
            (Field::ReturnValue, _) => (zero(return_value), "data[returnValue]"),
            (Field::ProcessName | Field::EventName, _) => match self.text_field(field) {
                (Some(raw), path) => (Value::Raw(raw), path),
                (None, path) => (Value::Missing, path),
            },
            (_, None) => (Value::Missing, "workload.process"),
            (Field::ProcessId, Some(p)) => (zero(p.pid), "workload.process.pid"),
            (Field::ThreadId, Some(p)) => (
                zero(p.thread.as_ref().and_then(|t| t.tid)),
                "workload.process.thread.tid",
            ),
            (Field::ParentProcessId, Some(p)) => (
                zero(p.ancestors.as_ref().and_then(|a| a.0.as_ref()?.pid)),
                "workload.process.ancestors[0].pid",
            ),
            (Field::UserId, Some(p)) => (
                zero(p.real_user.as_ref().and_then(|u| u.id)),
                "workload.process.real_user.id",
            ),
        }
    }

    /// A flat event's raw values of [`COLUMNS`], in order; `None` for the v1beta1 form.
    fn flat_columns(&self) -> Option<[Option<Raw<'a>>; COLUMNS.len()]> {
        self.workload.is_none().then_some([
            self.timestamp,
            self.process_id,
            self.thread_id,
            self.parent_process_id,
            self.user_id,
            self.mount_namespace,
            self.process_name,
            self.host_name,
            self.event_id,
            self.event_name,
            self.args_num,
            self.return_value,
        ])
    }

    /// Appends the text of BETH's column `name` for this v1beta1 event to `out` (nothing if
    /// absent); a flat event's are its [`Event::flat_columns`].
    fn write_column(&self, name: &str, out: &mut Vec<u8>) {
        match name {
            "hostName" => {
                if let Some(raw) = self.host_name {
                    text(raw, out);
                }
            }
            "timestamp" => self.write_nanoseconds(out),
            "processName" => {
                let thread = self.process().flatten().and_then(|p| p.thread.as_ref());
                if let Some(raw) = thread.and_then(|t| t.name) {
                    text(raw, out);
                }
            }
            "eventName" => {
                if let Some(raw) = self.name {
                    text(raw, out);
                }
            }
            _ => {
                let Some(field) = Field::from_column(name) else {
                    return;
                };
                // The record shows the event's id as written, though no model reads it.
                let value = match self.field(field).0 {
                    Value::Unnumbered => self.id.into(),
                    value => value,
                };
                match value {
                    Value::Raw(raw) => match number(raw) {
                        Ok(n) => out.extend_from_slice(n.to_string().as_bytes()),
                        Err(_) => text(raw, out),
                    },
                    Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
                    Value::Missing | Value::Unnumbered => {}
                }
            }
        }
    }

    /// A v1beta1 timestamp as nanoseconds since the epoch, as the flat form writes it.
    fn write_nanoseconds(&self, out: &mut Vec<u8>) {
        let Some(raw) = self.timestamp else { return };
        let Ok(stamp) = serde_json::from_slice::<Timestamp<'_>>(raw.0) else {
            text(raw, out);
            return;
        };
        let whole = |raw: Option<Raw<'_>>| -> Option<u64> {
            raw.map_or(Some(0), |raw| {
                let text = std::str::from_utf8(unquoted(raw).unwrap_or(raw.0)).ok()?;
                text.parse().ok()
            })
        };
        if let (Some(seconds), Some(nanos)) = (whole(stamp.seconds), whole(stamp.nanos)) {
            let total = u128::from(seconds) * 1_000_000_000 + u128::from(nanos);
            out.extend_from_slice(total.to_string().as_bytes());
        }
    }
}

/// A JSON string's content when it has no escapes, else `None` (a number is not a string).
fn unquoted(raw: Raw<'_>) -> Option<&[u8]> {
    let inner = raw.0.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    (!inner.contains(&b'\\')).then_some(inner)
}

/// A number written as a JSON number, a string holding one, or wrapped as `{"value": …}`.
fn number(raw: Raw<'_>) -> Result<f64, IngestErrorKind> {
    let text = raw.0;
    let wrong = || IngestErrorKind::WrongType {
        expected: "a number",
        found: String::from_utf8_lossy(text).into_owned(),
    };
    match text.first() {
        Some(b'"') => match unquoted(raw) {
            Some(inner) => parse_number(inner),
            None => Err(wrong()),
        },
        Some(b'{') => match serde_json::from_slice::<Wrapped<'_>>(text) {
            Ok(Wrapped { value: None }) => Ok(0.0),
            Ok(Wrapped { value: Some(inner) }) if !inner.0.starts_with(b"{") => number(inner),
            _ => Err(wrong()),
        },
        Some(b'-' | b'0'..=b'9') => parse_number(text),
        _ => Err(wrong()),
    }
}

/// Pushes a value's [`text`] (empty when absent) as the next field of `record`; `scratch` holds
/// text that needs unescaping.
fn push_text(record: &mut csv::ByteRecord, raw: Option<Raw<'_>>, scratch: &mut Vec<u8>) {
    let Some(raw) = raw else {
        record.push_field(b"");
        return;
    };
    match unquoted(raw) {
        Some(inner) => record.push_field(inner),
        None if matches!(raw.0.first(), Some(b'"' | b'{')) => {
            scratch.clear();
            text(raw, scratch);
            record.push_field(scratch);
        }
        None => record.push_field(raw.0),
    }
}

/// Appends a value's text: a string's content unescaped, a wrapped value's, else the raw JSON.
fn text(raw: Raw<'_>, out: &mut Vec<u8>) {
    let json = raw.0;
    if let Some(inner) = unquoted(raw) {
        out.extend_from_slice(inner);
    } else if json.starts_with(b"\"") {
        match serde_json::from_slice::<String>(json) {
            Ok(s) => out.extend_from_slice(s.as_bytes()),
            Err(_) => out.extend_from_slice(json),
        }
    } else if let Some(inner) = json
        .starts_with(b"{")
        .then(|| serde_json::from_slice::<Wrapped<'_>>(json).ok()?.value)
        .flatten()
    {
        text(inner, out);
    } else {
        out.extend_from_slice(json);
    }
}
