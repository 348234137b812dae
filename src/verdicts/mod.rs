//! The analyst's verdicts on a scored file, as a labelled CSV that goes out and comes back in.
//!
//! A verdict is "attack" or "benign", with a note, on one event (named by its line in the file)
//! or on one alert (named by [`Alert::first_line`](crate::alerts::Alert::first_line), the line
//! of its process's first event), and applies to that alert's events. The file is named by its
//! SHA-256. [`VerdictCsv`] writes the verdicts as the file's own rows under its own header, with
//! `sus` from the verdicts (so that the page and the CLI read it like any labelled file, and
//! train on it), then the columns [`COLUMNS`] that say where each label came from; [`read`]'s
//! [`VerdictReader`] reads those columns back into [`Marks`].
//!
//! # Why columns, not the file name or a comment line
//! A comment line is not CSV, and a file name changes on the way (a browser's `(1)`, a
//! colleague's rename). Columns travel with every row: a filtered or concatenated file still
//! says which file and which verdict each row holds, and a CSV reader that does not know them
//! (the trainer's) skips them by name.

mod read;
mod write;

pub use read::{is_verdict_header, VerdictReader};
pub use write::{Filled, Request, VerdictCsv, Written};

use serde::{Deserialize, Serialize};

/// Most events of one judged alert written out: a long-lived process has hundreds of thousands,
/// and a few thousand rows of one process teach a model nothing more than its first thousand.
pub const ALERT_ROWS: u64 = 1000;
/// Most verdicts of each kind (events, alerts) a request or a file may hold.
pub const MAX_MARKS: usize = 100_000;
/// A note is a line of text, not a document: longer ones are cut to this many characters.
pub const NOTE_CHARS: usize = 500;

/// The columns after `sus`, in order:
/// - `verdict_line`: the row's line in the scored file (its header is line 1);
/// - `verdict`, `verdict_note`: the analyst's verdict on this event (`attack`, `benign`, or
///   empty when none) and its note;
/// - `verdict_alert_line`, `verdict_alert`, `verdict_alert_note`: when the row's alert was
///   judged, that alert's [`first_line`](crate::alerts::Alert::first_line), verdict and note;
/// - `verdict_file_sha256`: the scored file's SHA-256, in hex.
///
/// `sus` is the event's verdict where it has one, else its alert's, else (rows added for
/// retraining) the model's.
pub const COLUMNS: [&str; 7] = [
    "verdict_line",
    "verdict",
    "verdict_note",
    "verdict_alert_line",
    "verdict_alert",
    "verdict_alert_note",
    "verdict_file_sha256",
];

/// One verdict: on the event at `line`, or on the alert whose first event is at `line`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// The event's line, or the alert's first line.
    pub line: u64,
    /// "attack" (true) or "benign".
    pub attack: bool,
    /// The analyst's note (at most [`NOTE_CHARS`] characters).
    pub note: String,
}

/// The verdicts a verdict CSV holds, for the file with SHA-256 `sha256`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Marks {
    /// The scored file's SHA-256, lower-case hex.
    pub sha256: String,
    /// Verdicts on events, by line.
    pub events: Vec<Mark>,
    /// Verdicts on alerts, by first line.
    pub alerts: Vec<Mark>,
    /// Rows read.
    pub rows: u64,
}

/// The text of a verdict.
fn word(attack: bool) -> &'static str {
    if attack {
        "attack"
    } else {
        "benign"
    }
}

/// `note` cut to [`NOTE_CHARS`] characters.
fn cut_note(note: &str) -> String {
    note.chars().take(NOTE_CHARS).collect()
}

/// Whether `text` is a SHA-256 in lower-case hex.
fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests;
