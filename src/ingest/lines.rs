//! Line endings as the CSV parser should see them, so that its count of `\n` gives exact line
//! numbers. Outside quoted fields, `\r\n` and a lone `\r` become `\n`, and a last record
//! without a line ending gets one (after a closing `"` if the input ends inside quotes, which
//! the parser would have closed there anyway); quoted fields pass through untouched, so their
//! content is kept exactly. Without this the parser numbers a record by where it resumed reading: one
//! line short after each `\r\n`, and before any blank lines that precede the record.

use std::io::{BufRead, Read, Result};

/// Where the parser is, as far as line endings are concerned (the `csv` crate's defaults:
/// `,` between fields, `"` quotes that are escaped by doubling).
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field (or record): a `"` here opens a quoted field.
    FieldStart,
    /// In an unquoted field, or after a quoted one closed: quotes are plain text.
    Unquoted,
    /// Inside quotes: line endings are content.
    Quoted,
    /// A `"` inside quotes: closes the field, unless another `"` follows.
    QuoteInQuoted,
}

pub struct LineEndings<R> {
    inner: R,
    state: State,
    /// A `\r` outside quotes waits to see whether a `\n` follows.
    pending_cr: bool,
    /// Whether the last byte passed on was `\n` (or nothing has been passed on yet).
    at_line_start: bool,
    /// Once the input is exhausted: what is left to pass on to end the last record.
    ending: Option<&'static [u8]>,
}

impl<R: BufRead> LineEndings<R> {
    pub fn new(inner: R) -> Self {
        LineEndings {
            inner,
            state: State::FieldStart,
            pending_cr: false,
            at_line_start: true,
            ending: None,
        }
    }
}

impl<R: BufRead> Read for LineEndings<R> {
    fn read(&mut self, out: &mut [u8]) -> Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if let Some(ending) = self.ending {
                let n = ending.len().min(out.len());
                out[..n].copy_from_slice(&ending[..n]);
                self.ending = Some(&ending[n..]);
                return Ok(n);
            }
            let input = self.inner.fill_buf()?;
            if input.is_empty() {
                self.ending = Some(match self.state {
                    _ if self.pending_cr => b"\n",
                    State::Quoted => b"\"\n",
                    _ if self.at_line_start => b"",
                    _ => b"\n",
                });
                continue;
            }
            let (mut read, mut written) = (0, 0);
            while read < input.len() && written < out.len() {
                // Runs of bytes that change nothing are copied whole: everything up to the next
                // quote inside quotes, up to the next separator or line ending outside.
                if !self.pending_cr && matches!(self.state, State::Quoted | State::Unquoted) {
                    let limit = (input.len() - read).min(out.len() - written);
                    let rest = &input[read..read + limit];
                    let run = match self.state {
                        State::Quoted => rest.iter().position(|&b| b == b'"'),
                        _ => rest.iter().position(|&b| matches!(b, b',' | b'\r' | b'\n')),
                    }
                    .unwrap_or(limit);
                    out[written..written + run].copy_from_slice(&rest[..run]);
                    (read, written) = (read + run, written + run);
                    if run > 0 {
                        self.at_line_start = false;
                    }
                    if run == limit {
                        continue;
                    }
                }
                let byte = input[read];
                if self.pending_cr {
                    // The `\r` ends its line; a `\n` right after it is part of the same ending.
                    self.pending_cr = false;
                    self.at_line_start = true;
                    out[written] = b'\n';
                    written += 1;
                    read += usize::from(byte == b'\n');
                    continue;
                }
                read += 1;
                self.state = match (self.state, byte) {
                    (State::Quoted, b'"') => State::QuoteInQuoted,
                    (State::Quoted, _) => State::Quoted,
                    (_, b'\r') => {
                        self.pending_cr = true;
                        self.state = State::FieldStart;
                        continue;
                    }
                    (State::QuoteInQuoted | State::FieldStart, b'"') => State::Quoted,
                    (_, b',' | b'\n') => State::FieldStart,
                    _ => State::Unquoted,
                };
                out[written] = byte;
                written += 1;
                self.at_line_start = byte == b'\n';
            }
            self.inner.consume(read);
            if written > 0 {
                return Ok(written);
            }
            // Only a `\r` so far: read on to see what follows it.
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalise(input: &[u8], chunk: usize) -> Vec<u8> {
        let reader = std::io::BufReader::with_capacity(chunk, input);
        let mut out = Vec::new();
        let mut lines = LineEndings::new(reader);
        let mut buf = vec![0u8; chunk];
        loop {
            let n = lines.read(&mut buf).expect("in memory");
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    }

    #[test]
    fn line_endings_become_lf_outside_quotes_only() {
        let cases: [(&[u8], &[u8]); 8] = [
            (b"a,b\r\n1,2\r\n", b"a,b\n1,2\n"),
            (b"a\r\r\nb\rc", b"a\n\nb\nc\n"),
            (b"a,\"x\r\ny\"\r\n", b"a,\"x\r\ny\"\n"),
            (b"a,\"x\"\"\r\n\"\r\n", b"a,\"x\"\"\r\n\"\n"),
            (b"a,b\"\r\nc", b"a,b\"\nc\n"),
            (b"a,\"open\r\n", b"a,\"open\r\n\"\n"),
            (b"\r\n\r\na\n", b"\n\na\n"),
            (b"", b""),
        ];
        for (input, expected) in cases {
            for chunk in [1, 2, 3, 64] {
                assert_eq!(
                    normalise(input, chunk),
                    expected,
                    "{:?} in chunks of {chunk}",
                    String::from_utf8_lossy(input)
                );
            }
        }
    }

    /// Random text of separators, quotes and line endings parses to the same records before
    /// and after.
    #[test]
    fn records_are_unchanged() {
        let parse = |bytes: &[u8]| -> Vec<csv::ByteRecord> {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes);
            reader.byte_records().map_while(|r| r.ok()).collect()
        };
        let mut rng = crate::rng::Rng::new(11);
        for _ in 0..3_000 {
            let input: Vec<u8> = (0..rng.below(40))
                .map(|_| b"ab,\"\r\n"[rng.below(6)])
                .collect();
            let output = normalise(&input, 1 + rng.below(5));
            assert_eq!(parse(&output), parse(&input), "{input:?}");
        }
    }
}
