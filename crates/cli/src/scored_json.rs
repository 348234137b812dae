//! `score`'s output for Tracee JSON lines: each event's line as it came, with `score` and
//! `verdict` added as its last two fields.

use cyber_attack_detector::model::Detect;
use std::io::{self, BufWriter, Write};

/// Writes scored JSON lines to `out`.
pub(crate) struct ScoredJson<W: Write> {
    out: BufWriter<W>,
}

impl<W: Write> ScoredJson<W> {
    pub(crate) fn new(out: W) -> ScoredJson<W> {
        ScoredJson {
            out: BufWriter::with_capacity(1 << 16, out),
        }
    }

    /// Writes each event (`lines[i]`: one field, a JSON object) with its score `scores[i]` (the
    /// shortest text that reads back as the same `f32`, as the CSV writer's) and verdict.
    /// Returns how many rows the model flags.
    pub(crate) fn write(
        &mut self,
        model: &impl Detect,
        lines: &[csv::ByteRecord],
        scores: &[f32],
    ) -> io::Result<usize> {
        let mut flagged = 0;
        for (line, &score) in lines.iter().zip(scores) {
            let suspicious = model.is_suspicious(score);
            // The reader hands out objects only: `{`, the fields, `}` (spaces trimmed).
            let object = line.get(0).unwrap_or(b"{}");
            let body = object.strip_suffix(b"}").unwrap_or(object);
            let empty = body
                .strip_prefix(b"{")
                .unwrap_or(body)
                .trim_ascii()
                .is_empty();
            self.out.write_all(body)?;
            let comma = if empty { "" } else { "," };
            let verdict = u8::from(suspicious);
            writeln!(self.out, "{comma}\"score\":{score},\"verdict\":{verdict}}}")?;
            flagged += usize::from(suspicious);
        }
        Ok(flagged)
    }

    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
