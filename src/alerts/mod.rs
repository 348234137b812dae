//! Alerts, not rows: scored events grouped into one alert per process on a host, ranked, with
//! the process's ancestry and children from the parent ids in the data and a timeline in which
//! near-identical repeats collapse into one entry with a count.
//!
//! An [`AlertGrouper`] is fed chunk by chunk while a file is scored (the raw records the
//! [`EventReader`](crate::ingest::EventReader) hands out, with their scores) and keeps, per
//! process, counters and a bounded timeline: memory grows with the number of processes, up to
//! [`Limits::processes`] and [`Limits::bytes`], never with the number of rows. [`AlertGrouper::finish`] then links
//! parents and children once, in linear time, and ranks the alerts ([`AlertReport`]).
//! [`ecs`] writes them as Elastic Common Schema NDJSON, the same bytes natively and in the page.
//!
//! ```
//! use cyber_attack_detector::alerts::{AlertGrouper, Limits};
//! use cyber_attack_detector::ingest::{EventReader, Labels};
//! use cyber_attack_detector::model::{Model, Scorer};
//!
//! let model = Model::from_json(include_str!("../../data/model.json"))?;
//! let file = include_bytes!("../../data/sample.csv");
//! let mut reader = EventReader::new(&file[..], "sample.csv", &model.schema(Labels::Optional))?;
//! let mut grouper = AlertGrouper::new(reader.headers(), Limits::default());
//! let (mut scorer, mut scores, mut raw) = (Scorer::default(), Vec::new(), Vec::new());
//! loop {
//!     let mut events = reader.empty_events();
//!     raw.clear();
//!     if reader.read_chunk(100, &mut events, Some(&mut raw))? == 0 {
//!         break;
//!     }
//!     scores.clear();
//!     model.score_into(&events, &mut scorer, &mut scores).expect("every column is there");
//!     grouper.add(&model, &raw, &scores);
//! }
//! let report = grouper.finish();
//! // The attack of BETH's test host: its payload `tsm` (pid 7555) ranks first.
//! let first = &report.alerts[0];
//! assert_eq!((first.process_name.as_str(), first.pid), ("tsm", Some(7555)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod clock;
mod compare;
pub mod ecs;
mod first_lines;
mod grouper;
mod precedent;
mod process;
mod report;
mod strings;
mod timeline;

pub use clock::{iso8601, utc_text, Clock};
pub use compare::{compare, AlertChange, AlertChanges, Judged, Standing, VerdictCheck};
pub use first_lines::FirstLines;
pub use grouper::AlertGrouper;
pub use report::{
    priority, Alert, AlertReport, AncestryEnd, NameCount, ProcessNode, TimelineExtent,
};
pub use timeline::{TimelineCounts, TimelineEntry};

#[cfg(test)]
mod tests;

/// What an [`AlertGrouper`] keeps at most: its memory is bounded by these, whatever the input.
///
/// With the defaults a process keeps at most about 125 KB (measured on a 64-bit target): its
/// timeline's [`Limits::first_entries`] + [`Limits::top_entries`] entries and the open one, each
/// with an event name (255 bytes, each invalid byte of which becomes 3) and up to
/// [`Limits::args_chars`] characters of arguments (4 bytes each at most), and its tallies of
/// names. Every row of a small gzip can carry such names, so the number of processes alone
/// does not bound memory: [`Limits::bytes`], 256 MiB, holds about 2,150 processes of that size,
/// and the CLI grouping 25,000 of them (22 MB gzipped) peaks at 358 MB resident (5.2 GB before
/// this bound). The processes of `data/sample.csv` keep 2.4 KB each on average, so a real
/// recording reaches [`Limits::processes`] first. The alerts' NDJSON takes less than what is
/// kept, so the page's worker, which may run two groupers at once, stays well inside the 4 GiB
/// of wasm32.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Processes tracked; rows of further processes are counted as omitted.
    pub processes: usize,
    /// Bytes kept in all (processes, their names, timelines and values, host names): once they
    /// are reached, rows of further processes are counted as omitted, as beyond
    /// [`Limits::processes`], and the processes tracked keep no new names or timeline entries
    /// (they are counted as other names and omitted entries).
    pub bytes: usize,
    /// Timeline entries kept from the start of each process.
    pub first_entries: usize,
    /// Besides those, the most suspicious later timeline entries kept per process.
    pub top_entries: usize,
    /// Distinct event names counted per process; further ones are counted together.
    pub event_names: usize,
    /// Distinct process names (thread and program names) counted per process.
    pub process_names: usize,
    /// Ancestors followed up from an alert's process.
    pub ancestry: usize,
    /// Children listed per process (all are counted).
    pub children: usize,
    /// Characters of a timeline entry's arguments kept.
    pub args_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            processes: 100_000,
            bytes: 256 << 20,
            first_entries: 24,
            top_entries: 24,
            event_names: 32,
            process_names: 8,
            ancestry: 16,
            children: 64,
            args_chars: 160,
        }
    }
}
