//! A process's timeline, bounded: consecutive near-identical events collapse into one entry with
//! a count, the first entries are kept, and of the later ones only the most suspicious.

use serde::Serialize;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// One entry of a timeline: an event, or a run of near-identical consecutive events of one
/// process (same event name and return value, arguments alike but for their numbers) shown once
/// as "×`repeats`", with the first event's thread and arguments.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineEntry {
    /// Time of the run's first event, on the report's [`Clock`](super::Clock).
    pub time: f64,
    /// Time of the run's last event.
    pub last_time: f64,
    /// The first event's row: 0 for the first row read.
    pub row: u64,
    /// The first event's line in the file (its record's line; 0 when unknown).
    pub line: u64,
    /// The process's id, so that a merged timeline tells a process from its children.
    pub pid: Option<i64>,
    /// The first event's thread id.
    pub thread_id: Option<i64>,
    /// The event's name (`eventName`), or `(unknown)`.
    pub event_name: String,
    /// The call's return value, when the file has one.
    pub return_value: Option<i64>,
    /// The first event's arguments as written, cut to [`Limits::args_chars`](super::Limits)
    /// characters; empty when the file has none.
    pub args: String,
    /// The highest score in the run.
    pub score: f32,
    /// Events of the run at or above the threshold.
    pub suspicious: u64,
    /// Events in the run (1 for a single event).
    pub repeats: u64,
}

/// How many timeline entries, and the events they stand for (each entry's repeats): of a
/// process or family as read, or of the entries kept of it, or of those a page shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TimelineCounts {
    /// Entries: runs of near-identical consecutive events, each counted once.
    pub entries: u64,
    /// Events (a run of ×N counts N).
    pub events: u64,
}

impl TimelineCounts {
    /// The entries of `entries`, and the events they stand for.
    pub fn of<'e>(entries: impl IntoIterator<Item = &'e TimelineEntry>) -> TimelineCounts {
        entries
            .into_iter()
            .fold(TimelineCounts::default(), |counts, e| TimelineCounts {
                entries: counts.entries + 1,
                events: counts.events + e.repeats,
            })
    }
}

impl std::ops::Add for TimelineCounts {
    type Output = TimelineCounts;

    fn add(self, other: TimelineCounts) -> TimelineCounts {
        TimelineCounts {
            entries: self.entries + other.entries,
            events: self.events + other.events,
        }
    }
}

/// The timeline being built for one process.
#[derive(Debug, Default)]
pub(super) struct Timeline {
    /// The run still open, with its repeat key; without its entry when it is not kept.
    open: Option<(u64, Option<TimelineEntry>)>,
    first: Vec<TimelineEntry>,
    top: BinaryHeap<Reverse<BySuspicion>>,
    /// Entries dropped (neither among the first nor the most suspicious, or not made).
    omitted: u64,
    /// The bytes the entries kept take.
    bytes: usize,
}

impl Timeline {
    /// Adds an event whose repeat key is `key`: it extends the open run when the key is the
    /// same, else closes that run and opens one made by `entry` (when it makes none, a run
    /// followed by its key only, dropped when it closes). Returns whether it was folded into the
    /// open run.
    pub(super) fn push(
        &mut self,
        key: u64,
        time: f64,
        score: f32,
        suspicious: bool,
        keep: (usize, usize),
        entry: impl FnOnce() -> Option<TimelineEntry>,
    ) -> bool {
        if let Some((open_key, run)) = &mut self.open {
            if *open_key == key {
                if let Some(run) = run {
                    run.repeats += 1;
                    run.suspicious += u64::from(suspicious);
                    run.score = run.score.max(score);
                    run.time = run.time.min(time);
                    run.last_time = run.last_time.max(time);
                }
                return true;
            }
        }
        self.close(keep);
        let run = entry();
        self.bytes += run.as_ref().map_or(0, bytes);
        self.open = Some((key, run));
        false
    }

    /// Closes the open run, keeping it among the first `keep.0` entries or, after those, the
    /// `keep.1` most suspicious.
    fn close(&mut self, (first, top): (usize, usize)) {
        let Some((_, run)) = self.open.take() else {
            return;
        };
        let Some(entry) = run else {
            self.omitted += 1;
            return;
        };
        if self.first.len() < first {
            self.first.push(entry);
            return;
        }
        self.top.push(Reverse(BySuspicion(entry)));
        if self.top.len() > top {
            if let Some(Reverse(BySuspicion(dropped))) = self.top.pop() {
                self.bytes -= bytes(&dropped);
            }
            self.omitted += 1;
        }
    }

    /// The bytes the entries kept take.
    pub(super) fn bytes(&self) -> usize {
        self.bytes
    }

    /// The entries kept, in row order, and how many were dropped.
    pub(super) fn finish(mut self, keep: (usize, usize)) -> (Vec<TimelineEntry>, u64) {
        self.close(keep);
        let mut entries = self.first;
        entries.extend(self.top.into_iter().map(|Reverse(BySuspicion(e))| e));
        entries.sort_by_key(|e| e.row);
        (entries, self.omitted)
    }
}

/// The bytes `entry` takes, with its texts.
fn bytes(entry: &TimelineEntry) -> usize {
    size_of::<TimelineEntry>() + entry.event_name.capacity() + entry.args.capacity()
}

/// An entry ordered by suspicion: higher score first, then more suspicious events, then the
/// earlier row.
#[derive(Debug)]
struct BySuspicion(TimelineEntry);

impl Ord for BySuspicion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&self.0, &other.0);
        a.score
            .total_cmp(&b.score)
            .then(a.suspicious.cmp(&b.suspicious))
            .then(b.row.cmp(&a.row))
    }
}

impl PartialOrd for BySuspicion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for BySuspicion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for BySuspicion {}
