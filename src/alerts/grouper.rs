//! The streaming grouper: rows in, one [`Process`] per (host, process id), in bounded memory.

use super::clock::{self, Clock};
use super::process::{Process, Row};
use super::report::AlertReport;
use super::strings::Strings;
use super::Limits;
use crate::ingest::Events;
use crate::model::Detect;
use csv::ByteRecord;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Host, process and event names are cut to this many bytes: a hostile file's megabyte-long
/// names cannot make each process cost a megabyte (a DNS name has at most 253).
const MAX_NAME_BYTES: usize = 255;

/// The bytes of one entry of the grouper's index of processes.
const INDEX_ENTRY_BYTES: usize = size_of::<((u32, Option<i64>), u32)>();

/// Groups scored rows into processes while a file streams past; [`AlertGrouper::finish`] ranks
/// them into an [`AlertReport`].
///
/// # The key: (host name, process id)
/// An alert is one process on one host. Process ids are per host (every BETH host has its own
/// pid 1), so the host is part of the key. Within one recording Linux hands out pids in
/// increasing order and reuses one only after the pid space wraps (32,768 by default, more on
/// modern systems), which a recording of minutes to hours seldom reaches: in BETH's data no
/// (host, pid) has two parent ids. The process name is *not* part of the key: one process
/// carries several names in the data, since `processName` is the thread's name (`tsm`'s threads
/// are `thread-pool-34`, …) and changes at an `execve` (`bash` becomes `nohup`, then `tsm`), so
/// splitting by name would cut one process into many. The names seen are listed with counts and
/// the most frequent names the process; a reused pid would merge two processes into one alert.
///
/// Rows without a host name count as host `(unknown)`; without a process id, all of a host's
/// rows form one group. Without timestamps, times are row numbers ([`Clock::RowOrder`]).
///
/// Records must be BETH-shaped: a CSV's records, or Tracee JSON lines read without
/// [`EventReader::keep_json_lines`](crate::ingest::EventReader::keep_json_lines) (whole-line
/// records would carry no field the grouper reads).
#[derive(Debug)]
pub struct AlertGrouper {
    limits: Limits,
    columns: Columns,
    clock: Option<Clock>,
    threshold: f32,
    hosts: Strings,
    index: HashMap<(u32, Option<i64>), u32>,
    processes: Vec<Process>,
    rows: u64,
    omitted_rows: u64,
    omitted_suspicious: u64,
    /// The bytes kept: the processes, their index entries and the host names.
    kept: usize,
    /// Whether `kept` has reached [`Limits::bytes`]: then no process is added and those there
    /// keep nothing new, though their counts stay exact. Stopping new processes alone would not
    /// bound memory: a file can start many processes with a small row each and later give each
    /// its longest names and arguments.
    full: bool,
    /// The time of the last row that had one: a row without keeps its place in time.
    last_time: f64,
    /// The last row's host name and pid and their process: rows of one process come in runs.
    last: Option<(Vec<u8>, Option<i64>, u32)>,
    /// A row's arguments with their numbers masked, for its repeat key.
    scratch: Vec<u8>,
}

impl AlertGrouper {
    /// A grouper for records whose columns `headers` names (as
    /// [`EventReader::headers`](crate::ingest::EventReader::headers) gives them), keeping at most
    /// what `limits` allows.
    pub fn new(headers: &ByteRecord, limits: Limits) -> AlertGrouper {
        AlertGrouper {
            limits,
            columns: Columns::new(headers),
            clock: None,
            threshold: f32::NAN,
            hosts: Strings::default(),
            index: HashMap::new(),
            processes: Vec::new(),
            rows: 0,
            omitted_rows: 0,
            omitted_suspicious: 0,
            kept: 0,
            full: false,
            last_time: 0.0,
            last: None,
            scratch: Vec::new(),
        }
    }

    /// Adds a chunk of records and their scores by `model` (one score per record, in order;
    /// the verdict is `model`'s: at or above its threshold, or NaN). A NaN score (the CLI
    /// refuses those) counts as 1.
    pub fn add(&mut self, model: &impl Detect, raw: &[ByteRecord], scores: &[f32]) {
        self.add_rows(model, raw, scores, None);
    }

    /// As [`AlertGrouper::add`], with `events`, the model's input values of the same rows (the
    /// chunk the reader read them into): each alert keeps those of its highest-scoring event
    /// ([`Alert::max_values`](super::Alert::max_values)), so that the page can explain it.
    pub fn add_with_values(
        &mut self,
        model: &impl Detect,
        raw: &[ByteRecord],
        scores: &[f32],
        events: &Events,
    ) {
        self.add_rows(model, raw, scores, Some(events));
    }

    fn add_rows(
        &mut self,
        model: &impl Detect,
        raw: &[ByteRecord],
        scores: &[f32],
        events: Option<&Events>,
    ) {
        debug_assert_eq!(raw.len(), scores.len());
        self.threshold = model.threshold();
        for (i, (record, &score)) in raw.iter().zip(scores).enumerate() {
            let suspicious = model.is_suspicious(score);
            let score = if score.is_nan() { 1.0 } else { score };
            self.add_row(record, score, suspicious, events.map(|e| (e, i)));
        }
    }

    /// Adds one record; `values` is the chunk's events and the record's row in it, when given.
    fn add_row(
        &mut self,
        record: &ByteRecord,
        score: f32,
        suspicious: bool,
        values: Option<(&Events, usize)>,
    ) {
        let columns = self.columns;
        let field = |index| cell(record, index);
        let number = |index| field(index).and_then(integer);
        let name = |index| field(index).map(|name| &name[..name.len().min(MAX_NAME_BYTES)]);
        let row = self.rows;
        self.rows += 1;
        let stamp = field(columns.timestamp).and_then(float);
        let clock = *self.clock.get_or_insert(Clock::of(stamp));
        let time = match (clock, stamp) {
            (Clock::RowOrder, _) => row as f64,
            (_, Some(stamp)) => clock::seconds(stamp),
            (_, None) => self.last_time,
        };
        self.last_time = time;
        let (host, pid) = columns.process(record);
        let Some(process) = self.process(host, pid) else {
            self.omitted_rows += 1;
            self.omitted_suspicious += u64::from(suspicious);
            return;
        };
        let row = Row {
            row,
            line: record.position().map_or(0, csv::Position::line),
            time,
            score,
            suspicious,
            parent_pid: number(columns.parent_pid),
            thread_id: number(columns.thread_id),
            user_id: number(columns.user_id),
            process_name: name(columns.process_name),
            event_name: name(columns.event_name),
            return_value: field(columns.return_value),
            args: field(columns.args),
        };
        let key = repeat_key(&row, &mut self.scratch);
        let process = &mut self.processes[process as usize];
        let before = process.bytes();
        let highest = score > process.max_score;
        process.add(&row, key, &self.limits, !self.full);
        if let (true, Some((events, i))) = (highest, values) {
            process.max_values.clear();
            let at = |column: &Vec<f64>| column.get(i).copied().unwrap_or(f64::NAN);
            process.max_values.extend(events.values.iter().map(at));
            process.max_texts.clear();
            for (&field, column) in events.fields.iter().zip(&events.values) {
                process.max_texts.push(match events.text(field, i) {
                    Some(text) => text.to_string(),
                    None => at(column).to_string(),
                });
            }
        }
        // A process's bytes can also shrink: an entry that leaves its timeline frees its own.
        self.kept = self.kept + process.bytes() - before;
        self.full |= self.kept >= self.limits.bytes;
    }

    /// The index of the process (`host`, `pid`), made when new; `None` when it is new and
    /// [`Limits::processes`] or [`Limits::bytes`] is reached.
    fn process(&mut self, host: &[u8], pid: Option<i64>) -> Option<u32> {
        if let Some((last_host, last_pid, index)) = &self.last {
            if *last_pid == pid && last_host.as_slice() == host {
                return Some(*index);
            }
        }
        let found = self
            .hosts
            .find(host)
            .and_then(|h| self.index.get(&(h, pid)).copied());
        let index = match found {
            Some(index) => index,
            None if self.processes.len() < self.limits.processes && !self.full => {
                let hosts = self.hosts.bytes();
                let h = self.hosts.intern(host);
                let index = self.processes.len() as u32;
                self.index.insert((h, pid), index);
                let process = Process::new(h, pid);
                self.kept += process.bytes() + INDEX_ENTRY_BYTES + self.hosts.bytes() - hosts;
                self.processes.push(process);
                index
            }
            None => return None,
        };
        let (last_host, last_pid, last_index) =
            self.last.get_or_insert_with(|| (Vec::new(), None, 0));
        last_host.clear();
        last_host.extend_from_slice(host);
        (*last_pid, *last_index) = (pid, index);
        Some(index)
    }

    /// Links parents and children and ranks the alerts.
    pub fn finish(self) -> AlertReport {
        AlertReport::build(
            self.processes,
            &self.index,
            self.hosts,
            super::report::Totals {
                clock: self.clock.unwrap_or(Clock::RowOrder),
                threshold: self.threshold,
                rows: self.rows,
                omitted_rows: self.omitted_rows,
                omitted_suspicious: self.omitted_suspicious,
            },
            &self.limits,
        )
    }
}

/// Where the columns the grouper reads are, by BETH's names.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Columns {
    timestamp: Option<usize>,
    host: Option<usize>,
    pid: Option<usize>,
    parent_pid: Option<usize>,
    thread_id: Option<usize>,
    user_id: Option<usize>,
    process_name: Option<usize>,
    event_name: Option<usize>,
    return_value: Option<usize>,
    args: Option<usize>,
}

impl Columns {
    pub(super) fn new(headers: &ByteRecord) -> Columns {
        let find = |wanted: &str| {
            headers.iter().position(|name| {
                let name = String::from_utf8_lossy(name);
                name.trim().trim_start_matches('\u{feff}') == wanted
            })
        };
        Columns {
            timestamp: find("timestamp"),
            host: find("hostName"),
            pid: find("processId"),
            parent_pid: find("parentProcessId"),
            thread_id: find("threadId"),
            user_id: find("userId"),
            process_name: find("processName"),
            event_name: find("eventName"),
            return_value: find("returnValue"),
            args: find("args"),
        }
    }
}

impl Columns {
    /// The process `record` is an event of: its host name (trimmed, cut to
    /// [`MAX_NAME_BYTES`], `(unknown)` when empty or missing) and its process id.
    pub(super) fn process<'r>(&self, record: &'r ByteRecord) -> (&'r [u8], Option<i64>) {
        let host = cell(record, self.host).map_or(&b"(unknown)"[..], |name| {
            &name[..name.len().min(MAX_NAME_BYTES)]
        });
        (host, cell(record, self.pid).and_then(integer))
    }
}

/// The field at `index` of `record`, trimmed; `None` when missing or empty.
fn cell(record: &ByteRecord, index: Option<usize>) -> Option<&[u8]> {
    let value = record.get(index?)?.trim_ascii();
    (!value.is_empty()).then_some(value)
}

/// Events of a process with the same key in a row collapse into one timeline entry: the same
/// event name and return value, and the same arguments but for their numbers (file
/// descriptors, addresses, pointers, ports: `connect` to `192.168.11.196` on fd 803 repeats
/// `connect` to `192.168.21.14` on fd 95), so that a scan or a loop reads as one entry "×N".
/// `scratch` holds the masked arguments.
fn repeat_key(row: &Row<'_>, scratch: &mut Vec<u8>) -> u64 {
    scratch.clear();
    let args = row.args.unwrap_or_default();
    let mut i = 0;
    while i < args.len() {
        if args[i].is_ascii_digit() {
            // A number, with any hex digits or `x` of `0x…` after its first digit, is one `#`.
            while i < args.len() && (args[i].is_ascii_hexdigit() || args[i] == b'x') {
                i += 1;
            }
            scratch.push(b'#');
        } else {
            scratch.push(args[i]);
            i += 1;
        }
    }
    // SipHash with fixed keys: the same key in every run and build.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (row.event_name, row.return_value, &scratch[..]).hash(&mut hasher);
    hasher.finish()
}

/// An integer cell (`1001`, `-2`); a number with a fraction or anything else is `None`.
pub(super) fn integer(raw: &[u8]) -> Option<i64> {
    std::str::from_utf8(raw).ok()?.trim().parse().ok()
}

/// A finite number cell.
fn float(raw: &[u8]) -> Option<f64> {
    let value: f64 = std::str::from_utf8(raw).ok()?.trim().parse().ok()?;
    value.is_finite().then_some(value)
}
