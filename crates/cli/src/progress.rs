//! A one-line progress bar on stderr, redrawn at most every 100 ms.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub(crate) struct Bar {
    label: String,
    last: Option<Instant>,
    terminal: bool,
}

impl Bar {
    pub(crate) fn new(label: &str) -> Bar {
        Bar {
            label: label.to_string(),
            last: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    pub(crate) fn set_label(&mut self, label: &str) {
        self.label = label.to_string();
    }

    /// Shows `done` of `total` with a trailing note; off a terminal, prints only at the end.
    pub(crate) fn update(&mut self, done: usize, total: usize, note: &str) {
        let finished = done >= total;
        let due = self
            .last
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if !(finished || (self.terminal && due)) {
            return;
        }
        self.last = Some(Instant::now());
        const WIDTH: usize = 30;
        let filled = (done * WIDTH)
            .checked_div(total)
            .unwrap_or(WIDTH)
            .min(WIDTH);
        let line = format!(
            "{} [{}{}] {done}/{total} {note}",
            self.label,
            "#".repeat(filled),
            " ".repeat(WIDTH - filled)
        );
        let mut err = std::io::stderr();
        if self.terminal {
            let _ = write!(err, "\r\x1b[2K{line}");
            if finished {
                let _ = writeln!(err);
            }
        } else {
            let _ = writeln!(err, "{line}");
        }
    }
}
