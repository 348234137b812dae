use crate::alerts::utc_text;
use csv::ByteRecord;
use serde::Serialize;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// The columns the most-suspicious table shows, when the file has them.
const TABLE_COLUMNS: [&str; 8] = [
    "timestamp",
    "hostName",
    "processName",
    "eventName",
    "processId",
    "parentProcessId",
    "userId",
    "returnValue",
];

/// How much of each field a kept row holds whole (`TopRow::record`): enough for any BETH or
/// Tracee value but a hostile one, which is cut.
pub(super) const RECORD_FIELD_CHARS: usize = 4096;

/// The `keep` highest-scoring rows seen, earliest first among equal scores.
pub struct TopRows {
    keep: usize,
    header: Vec<String>,
    names: Vec<String>,
    columns: Vec<usize>,
    /// Where `timestamp` is among `columns`: Tracee's nanoseconds there are shown as UTC.
    stamp: Option<usize>,
    heap: BinaryHeap<Reverse<Suspect>>,
}

struct Suspect {
    score: f32,
    suspicious: bool,
    line: u64,
    values: Vec<String>,
    record: Vec<String>,
}

impl Ord for Suspect {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(other.line.cmp(&self.line))
    }
}

impl PartialOrd for Suspect {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Suspect {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Suspect {}

/// The most suspicious rows, highest score first.
#[derive(Debug, PartialEq, Serialize)]
pub struct TopTable {
    /// The names of the columns shown, as the header has them.
    pub columns: Vec<String>,
    /// Every column's name, as the header has them: the names of `TopRow::record`'s fields.
    pub header: Vec<String>,
    /// The rows, highest score first.
    pub rows: Vec<TopRow>,
}

/// A row of the most-suspicious table.
#[derive(Debug, PartialEq, Serialize)]
pub struct TopRow {
    /// Line in the file (the header is line 1).
    pub line: u64,
    /// The model's score of the row.
    pub score: f32,
    /// Whether the model flags it at its threshold.
    pub suspicious: bool,
    /// The row's values of the table's columns, each cut to 60 characters; a timestamp in
    /// nanoseconds since the epoch (Tracee's) as UTC text.
    pub values: Vec<String>,
    /// The whole row, each field cut to `RECORD_FIELD_CHARS` characters: what the page keeps of
    /// an event the analyst gives a verdict on, to write it out as a labelled row.
    pub record: Vec<String>,
}

impl TopRows {
    /// Keeps the `keep` highest-scoring rows of a file with this `header`, showing the table's
    /// columns it has (or, with none of them, its first ones).
    pub fn new(keep: usize, header: &ByteRecord) -> TopRows {
        let name = |i: usize| String::from_utf8_lossy(&header[i]).trim().to_string();
        let mut columns: Vec<usize> = TABLE_COLUMNS
            .iter()
            .filter_map(|wanted| (0..header.len()).find(|&i| name(i) == *wanted))
            .collect();
        if columns.is_empty() {
            columns = (0..header.len().min(TABLE_COLUMNS.len())).collect();
        }
        let names: Vec<String> = columns.iter().map(|&i| name(i)).collect();
        TopRows {
            keep,
            header: (0..header.len()).map(name).collect(),
            stamp: names.iter().position(|n| n == "timestamp"),
            names,
            columns,
            heap: BinaryHeap::with_capacity(keep + 1),
        }
    }

    /// Offers a scored row (its record as read, with its line).
    pub fn offer(&mut self, score: f32, suspicious: bool, record: &ByteRecord) {
        let line = record.position().map_or(0, csv::Position::line);
        let beats_the_last = |last: &Reverse<Suspect>| {
            let s = &last.0;
            score.total_cmp(&s.score).then(s.line.cmp(&line)) == Ordering::Greater
        };
        if self.heap.len() >= self.keep && !self.heap.peek().is_some_and(beats_the_last) {
            return;
        }
        let cut = |field: &[u8], chars: usize| {
            String::from_utf8_lossy(field).chars().take(chars).collect()
        };
        let values = (self.columns.iter().enumerate())
            .map(|(k, &i)| {
                let field = record.get(i).unwrap_or_default();
                let wall = || utc_text(std::str::from_utf8(field).ok()?);
                match (Some(k) == self.stamp).then(wall).flatten() {
                    Some(utc) => utc,
                    None => cut(field, 60),
                }
            })
            .collect();
        let record = record
            .iter()
            .map(|field| cut(field, RECORD_FIELD_CHARS))
            .collect();
        self.heap.push(Reverse(Suspect {
            score,
            suspicious,
            line,
            values,
            record,
        }));
        if self.heap.len() > self.keep {
            self.heap.pop();
        }
    }

    /// The rows kept, highest score first.
    pub fn table(self) -> TopTable {
        let rows = self
            .heap
            .into_sorted_vec()
            .into_iter()
            .map(|Reverse(s)| TopRow {
                line: s.line,
                score: s.score,
                suspicious: s.suspicious,
                values: s.values,
                record: s.record,
            })
            .collect();
        TopTable {
            columns: self.names,
            header: self.header,
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(line: u64, fields: &[&str]) -> ByteRecord {
        let mut record = ByteRecord::from(fields.to_vec());
        let mut position = csv::Position::new();
        position.set_line(line);
        record.set_position(Some(position));
        record
    }

    /// The highest scores are kept, the earliest line first among equal ones, with the
    /// table's columns in its own order (here `processId` before `userId`).
    #[test]
    fn the_highest_scores_are_kept_earliest_first() {
        let header = ByteRecord::from(vec!["userId", "other", "processId"]);
        let mut top = TopRows::new(3, &header);
        for (line, score) in [(2, 0.5), (3, 0.9), (4, 0.5), (5, 0.1), (6, 0.9), (7, 0.5)] {
            let pid = format!("p{line}");
            top.offer(
                score,
                score > 0.6,
                &record(line, &[&format!("u{line}"), "-", &pid]),
            );
        }
        let table = top.table();
        assert_eq!(table.columns, ["processId", "userId"]);
        assert_eq!(table.header, ["userId", "other", "processId"]);
        assert_eq!(table.rows[0].record, ["u3", "-", "p3"]);
        let rows: Vec<_> = table
            .rows
            .iter()
            .map(|r| (r.line, r.score, r.suspicious, r.values.join(" ")))
            .collect();
        assert_eq!(
            rows,
            [
                (3, 0.9, true, "p3 u3".to_string()),
                (6, 0.9, true, "p6 u6".to_string()),
                (2, 0.5, false, "p2 u2".to_string())
            ]
        );
    }

    /// A kept row's fields are whole up to `RECORD_FIELD_CHARS` characters, cut after.
    #[test]
    fn a_kept_record_cuts_only_hostile_fields() {
        let header = ByteRecord::from(vec!["processName", "args"]);
        let mut top = TopRows::new(1, &header);
        let long = "é".repeat(RECORD_FIELD_CHARS + 5);
        top.offer(0.7, true, &record(2, &["sshd", &long]));
        let row = &top.table().rows[0];
        assert_eq!(row.record[0], "sshd");
        assert_eq!(row.record[1].chars().count(), RECORD_FIELD_CHARS);
        assert_eq!(row.values, ["sshd"]);
    }

    /// Tracee's nanoseconds since the epoch are shown as UTC, BETH's seconds since boot and
    /// what is no number as written; the kept record is as read.
    #[test]
    fn tracee_timestamps_are_shown_in_utc() {
        let header = ByteRecord::from(vec!["timestamp", "processName"]);
        let mut top = TopRows::new(4, &header);
        for (line, stamp) in [
            (2, "1684688250477166817"),
            (3, "1809.495787"),
            (4, "1e400"),
            (5, "soon"),
        ] {
            top.offer(1.0, true, &record(line, &[stamp, "sh"]));
        }
        let table = top.table();
        let shown: Vec<&str> = table.rows.iter().map(|r| r.values[0].as_str()).collect();
        assert_eq!(
            shown,
            [
                "2023-05-21 16:57:30.477167 UTC",
                "1809.495787",
                "1e400",
                "soon"
            ]
        );
        assert_eq!(table.rows[0].record[0], "1684688250477166817");
    }
}
