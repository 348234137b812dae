//! What the grouper keeps per process while rows stream past: counters, bounded tallies of
//! names and the bounded timeline.

use super::report::NameCount;
use super::timeline::{Timeline, TimelineEntry};

/// The fields of one row the grouper reads (each missing when the file lacks it).
#[derive(Debug, Default)]
pub(super) struct Row<'r> {
    pub(super) row: u64,
    pub(super) line: u64,
    pub(super) time: f64,
    pub(super) score: f32,
    pub(super) suspicious: bool,
    pub(super) parent_pid: Option<i64>,
    pub(super) thread_id: Option<i64>,
    pub(super) user_id: Option<i64>,
    pub(super) process_name: Option<&'r [u8]>,
    pub(super) event_name: Option<&'r [u8]>,
    pub(super) return_value: Option<&'r [u8]>,
    pub(super) args: Option<&'r [u8]>,
}

/// One process on one host, as seen so far.
#[derive(Debug)]
pub(super) struct Process {
    pub(super) host: u32,
    pub(super) pid: Option<i64>,
    /// The first parent id seen.
    pub(super) parent_pid: Option<i64>,
    /// The first user id seen.
    pub(super) user_id: Option<i64>,
    pub(super) events: u64,
    pub(super) suspicious: u64,
    pub(super) score_sum: f64,
    pub(super) max_score: f32,
    /// The line of its first event: with the file's digest, what names the process (every row
    /// is one process's), so that the page keeps a verdict on its alert under it.
    pub(super) first_line: u64,
    /// The line of the first event with the highest score.
    pub(super) max_line: u64,
    /// That event's model input values, when the grouper is given them.
    pub(super) max_values: Vec<f64>,
    /// The same as the event form takes them: numbers as written, a text field's text.
    pub(super) max_texts: Vec<String>,
    pub(super) first_time: f64,
    pub(super) last_time: f64,
    /// Events folded into the run before them.
    pub(super) collapsed: u64,
    pub(super) names: Tally,
    pub(super) event_names: Tally,
    pub(super) timeline: Timeline,
}

impl Process {
    pub(super) fn new(host: u32, pid: Option<i64>) -> Process {
        Process {
            host,
            pid,
            parent_pid: None,
            user_id: None,
            events: 0,
            suspicious: 0,
            score_sum: 0.0,
            max_score: f32::NEG_INFINITY,
            first_line: 0,
            max_line: 0,
            max_values: Vec::new(),
            max_texts: Vec::new(),
            first_time: f64::INFINITY,
            last_time: f64::NEG_INFINITY,
            collapsed: 0,
            names: Tally::default(),
            event_names: Tally::default(),
            timeline: Timeline::default(),
        }
    }

    /// Counts `row`, whose repeat key is `key`; `limits` bound the tallies and timeline. Without
    /// `room` (the grouper's byte budget spent) nothing new is kept: a new name is counted with
    /// the others and a new timeline entry as omitted.
    pub(super) fn add(&mut self, row: &Row<'_>, key: u64, limits: &super::Limits, room: bool) {
        if self.events == 0 {
            self.first_line = row.line;
        }
        self.events += 1;
        self.suspicious += u64::from(row.suspicious);
        self.score_sum += f64::from(row.score);
        if row.score > self.max_score {
            self.max_score = row.score;
            self.max_line = row.line;
        }
        self.first_time = self.first_time.min(row.time);
        self.last_time = self.last_time.max(row.time);
        self.parent_pid = self.parent_pid.or(row.parent_pid);
        self.user_id = self.user_id.or(row.user_id);
        let cap = |cap| if room { cap } else { 0 };
        if let Some(name) = row.process_name {
            self.names.add(name, row.row, cap(limits.process_names));
        }
        let event_name = row.event_name.unwrap_or(b"(unknown)");
        self.event_names
            .add(event_name, row.row, cap(limits.event_names));
        let pid = self.pid;
        let keep = (limits.first_entries, limits.top_entries);
        let folded = self
            .timeline
            .push(key, row.time, row.score, row.suspicious, keep, || {
                room.then(|| TimelineEntry {
                    time: row.time,
                    last_time: row.time,
                    row: row.row,
                    line: row.line,
                    pid,
                    thread_id: row.thread_id,
                    event_name: String::from_utf8_lossy(event_name).into_owned(),
                    return_value: row.return_value.and_then(super::grouper::integer),
                    args: cut(row.args.unwrap_or_default(), limits.args_chars),
                    score: row.score,
                    suspicious: u64::from(row.suspicious),
                    repeats: 1,
                })
            });
        self.collapsed += u64::from(folded);
    }

    /// The bytes the process takes: itself, its tallies, its timeline and its top event's values.
    pub(super) fn bytes(&self) -> usize {
        let texts: usize = self.max_texts.iter().map(String::capacity).sum();
        size_of::<Process>()
            + self.names.bytes
            + self.event_names.bytes
            + self.timeline.bytes()
            + self.max_values.capacity() * size_of::<f64>()
            + self.max_texts.capacity() * size_of::<String>()
            + texts
    }

    /// The process's name: the one most of its events carry (a thread's name, or the program's
    /// after an `execve`), the later-seen on a tie; `(unknown)` when the file has none.
    pub(super) fn name(&self) -> String {
        self.names
            .items
            .iter()
            .max_by(|a, b| a.count.cmp(&b.count).then(a.first_row.cmp(&b.first_row)))
            .map_or_else(|| "(unknown)".to_string(), |item| item.name.clone())
    }
}

/// `bytes` as text, cut to `chars` characters (an ellipsis marks a cut).
fn cut(bytes: &[u8], chars: usize) -> String {
    // No character takes more than 4 bytes: only those are converted.
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(chars.saturating_mul(4) + 4)]);
    match text.char_indices().nth(chars) {
        // Of exactly its length: `format!` would take twice the room it needs.
        Some((end, _)) => [&text[..end], "…"].concat(),
        None => text.into_owned(),
    }
}

/// Counts of names, at most a given number of distinct ones; the rest counted together.
#[derive(Debug, Default)]
pub(super) struct Tally {
    items: Vec<Item>,
    /// Events whose name was not among the distinct ones kept.
    pub(super) other: u64,
    /// The item found last: rows of one name usually come in runs.
    last: usize,
    /// The bytes the items take.
    bytes: usize,
}

#[derive(Debug)]
struct Item {
    name: String,
    count: u64,
    first_row: u64,
}

impl Tally {
    /// Counts one `name` seen at `row`, keeping at most `cap` distinct names.
    fn add(&mut self, name: &[u8], row: u64, cap: usize) {
        // Compared as kept: a name that is not UTF-8 is kept as lossy text.
        let text = String::from_utf8_lossy(name);
        let same = |item: &Item| item.name == text;
        let found = match self.items.get(self.last) {
            Some(item) if same(item) => Some(self.last),
            _ => self.items.iter().position(same),
        };
        match found {
            Some(i) => {
                self.items[i].count += 1;
                self.last = i;
            }
            None if self.items.len() < cap => {
                let name = text.into_owned();
                self.bytes += size_of::<Item>() + name.capacity();
                self.last = self.items.len();
                self.items.push(Item {
                    name,
                    count: 1,
                    first_row: row,
                });
            }
            None => self.other += 1,
        }
    }

    /// The names counted, most frequent first (the earlier-seen on a tie).
    pub(super) fn counts(&self) -> Vec<NameCount> {
        let mut items: Vec<&Item> = self.items.iter().collect();
        items.sort_by(|a, b| b.count.cmp(&a.count).then(a.first_row.cmp(&b.first_row)));
        items
            .into_iter()
            .map(|item| NameCount {
                name: item.name.clone(),
                count: item.count,
            })
            .collect()
    }
}
