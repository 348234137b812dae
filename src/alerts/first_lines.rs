//! Which process a row belongs to, named by the line of that process's first row: a second
//! pass over a file finds the rows of the alerts an analyst judged (the verdicts' CSV), keyed
//! the way [`Alert::first_line`](super::Alert::first_line) is.

use super::grouper::Columns;
use super::strings::Strings;
use super::Limits;
use csv::ByteRecord;
use std::collections::HashMap;

/// Rows in, the first line of each row's process out: (host, process id) as the
/// [`AlertGrouper`](super::AlertGrouper) keys them, at most [`Limits::processes`] of them (the
/// grouper groups no more, so no alert is beyond), in memory that grows with those only.
#[derive(Debug)]
pub struct FirstLines {
    columns: Columns,
    hosts: Strings,
    first: HashMap<(u32, Option<i64>), u64>,
    processes: usize,
}

impl FirstLines {
    /// For records whose columns `headers` names, following at most `limits.processes`.
    pub fn new(headers: &ByteRecord, limits: Limits) -> FirstLines {
        FirstLines {
            columns: Columns::new(headers),
            hosts: Strings::default(),
            first: HashMap::new(),
            processes: limits.processes,
        }
    }

    /// The line of the first row of `record`'s process (this record's own line when it is the
    /// first); `None` for a new process beyond the bound. Records are offered in file order.
    pub fn of(&mut self, record: &ByteRecord) -> Option<u64> {
        let (host, pid) = self.columns.process(record);
        if let Some(&line) = self
            .hosts
            .find(host)
            .and_then(|h| self.first.get(&(h, pid)))
        {
            return Some(line);
        }
        if self.first.len() >= self.processes {
            return None;
        }
        let line = record.position().map_or(0, csv::Position::line);
        let h = self.hosts.intern(host);
        self.first.insert((h, pid), line);
        Some(line)
    }
}
