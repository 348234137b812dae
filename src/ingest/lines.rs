//! Line endings as the CSV parser should see them, so that its count of `\n` gives exact line
//! numbers. Outside quoted fields, `\r\n` and a lone `\r` become `\n`, and a last record
//! without a line ending gets one (after a closing `"` if the input ends inside quotes, which
//! the parser would have closed there anyway); quoted fields pass through untouched, so their
//! content is kept exactly. Without this the parser numbers a record by where it resumed reading: one
//! line short after each `\r\n`, and before any blank lines that precede the record.
//!
//! The pass also caps the length of a record (quoted line endings inside it included) at
//! [`MAX_RECORD_BYTES`]: the CSV parser holds a whole record in memory, so a hostile file (a
//! small gzip inflating to one endless field) would otherwise exhaust it, in wasm first.

use memchr::{memchr, memchr2, memchr_iter};
use std::fmt;
use std::io::{self, BufRead, Read, Result};

/// The longest record read, in bytes: 1 MiB. BETH rows are a few hundred bytes (the longest
/// in the samples, 531), the `args` column of a busy syscall a few KB, so no real row comes
/// near it; the parser's memory for one record stays around a megabyte.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// A record longer than [`MAX_RECORD_BYTES`], starting on `line`: the error [`LineEndings`]
/// reads fail with, carried through the CSV parser as an I/O error.
#[derive(Debug)]
pub(super) struct RecordTooLong {
    pub(super) line: u64,
}

impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: a record longer than {MAX_RECORD_BYTES} bytes",
            self.line
        )
    }
}

impl std::error::Error for RecordTooLong {}

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

pub(super) struct LineEndings<R> {
    inner: R,
    scan: Scan,
    /// A `\r` outside quotes waits to see whether a `\n` follows.
    pending_cr: bool,
    /// Once the input is exhausted: what is left to pass on to end the last record.
    ending: Option<&'static [u8]>,
}

impl<R: BufRead> LineEndings<R> {
    pub(super) fn new(inner: R) -> Self {
        LineEndings {
            inner,
            scan: Scan {
                state: State::FieldStart,
                at_line_start: true,
                lines: 0,
                record: 0,
                record_line: 1,
                too_long: None,
            },
            pending_cr: false,
            ending: None,
        }
    }
}

/// Where the pass is in the input.
struct Scan {
    state: State,
    /// Whether the last byte passed on was `\n` (or nothing has been passed on yet).
    at_line_start: bool,
    /// `\n`s passed on so far.
    lines: u64,
    /// Bytes of the current record passed on so far (without its final line ending).
    record: usize,
    /// The line the current record starts on.
    record_line: u64,
    /// The line of the first record longer than [`MAX_RECORD_BYTES`], once one is found.
    too_long: Option<u64>,
}

impl Scan {
    /// Counts `n` more bytes of the current record.
    fn grow_record(&mut self, n: usize) {
        self.record += n;
        if self.record > MAX_RECORD_BYTES && self.too_long.is_none() {
            self.too_long = Some(self.record_line);
        }
    }

    /// Counts quoted bytes: their line endings are content of the current record.
    fn pass_quoted(&mut self, text: &[u8]) {
        self.grow_record(text.len());
        self.lines += memchr_iter(b'\n', text).count() as u64;
    }

    /// Counts unquoted bytes: each `\n` ends a record.
    fn pass_unquoted(&mut self, text: &[u8]) {
        let mut start = 0;
        for end in memchr_iter(b'\n', text) {
            self.grow_record(end - start);
            self.end_record();
            start = end + 1;
        }
        self.grow_record(text.len() - start);
    }

    /// A `\n` outside quotes has been passed on.
    fn end_record(&mut self) {
        self.lines += 1;
        self.record = 0;
        self.record_line = self.lines + 1;
    }

    /// How many bytes at the start of `input` pass on unchanged, with the state after them:
    /// everything up to the next `\r` outside quotes. Returns whether it stopped at such a
    /// `\r` (`input[n]`). Only quotes and `\r` change the state in ways that matter, so the
    /// search jumps from one to the next (`memchr`) instead of stepping through every byte.
    fn pass_through(&mut self, input: &[u8]) -> (usize, bool) {
        let mut done = 0;
        loop {
            let rest = &input[done..];
            match self.state {
                State::Quoted => match memchr(b'"', rest) {
                    Some(k) => {
                        self.pass_quoted(&rest[..=k]);
                        done += k + 1;
                        self.state = State::QuoteInQuoted;
                        self.at_line_start = false;
                    }
                    None => {
                        if !rest.is_empty() {
                            self.at_line_start = false;
                        }
                        self.pass_quoted(rest);
                        return (input.len(), false);
                    }
                },
                State::QuoteInQuoted => {
                    let Some(&byte) = rest.first() else {
                        return (done, false);
                    };
                    self.state = match byte {
                        b'"' => State::Quoted,
                        b'\r' => return (done, true),
                        b',' | b'\n' => State::FieldStart,
                        _ => State::Unquoted,
                    };
                    self.at_line_start = byte == b'\n';
                    self.pass_unquoted(&rest[..1]);
                    done += 1;
                }
                State::FieldStart | State::Unquoted => {
                    let found = memchr2(b'"', b'\r', rest);
                    let run = found.unwrap_or(rest.len());
                    self.pass_unquoted(&rest[..run]);
                    // Outside quotes any byte but `"` and `\r` sets the state by itself: after
                    // `,` or `\n` a field starts, after anything else the parser is inside one.
                    if let Some(&last) = rest[..run].last() {
                        self.state = match last {
                            b',' | b'\n' => State::FieldStart,
                            _ => State::Unquoted,
                        };
                        self.at_line_start = last == b'\n';
                    }
                    done += run;
                    match rest.get(run) {
                        None => return (done, false),
                        Some(b'\r') => return (done, true),
                        Some(_) => {
                            // A quote opens a quoted field at the start of a field only.
                            if self.state == State::FieldStart {
                                self.state = State::Quoted;
                            }
                            self.at_line_start = false;
                            self.grow_record(1);
                            done += 1;
                        }
                    }
                }
            }
        }
    }
}

impl<R: BufRead> Read for LineEndings<R> {
    fn read(&mut self, out: &mut [u8]) -> Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if let Some(line) = self.scan.too_long {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    RecordTooLong { line },
                ));
            }
            if let Some(ending) = self.ending {
                let n = ending.len().min(out.len());
                out[..n].copy_from_slice(&ending[..n]);
                self.ending = Some(&ending[n..]);
                return Ok(n);
            }
            let input = self.inner.fill_buf()?;
            if input.is_empty() {
                self.ending = Some(match self.scan.state {
                    _ if self.pending_cr => b"\n",
                    State::Quoted => b"\"\n",
                    _ if self.scan.at_line_start => b"",
                    _ => b"\n",
                });
                continue;
            }
            let (mut read, mut written) = (0, 0);
            while read < input.len() && written < out.len() {
                if self.pending_cr {
                    // The `\r` ends its line; a `\n` right after it is part of the same ending.
                    self.pending_cr = false;
                    self.scan.at_line_start = true;
                    self.scan.end_record();
                    out[written] = b'\n';
                    written += 1;
                    read += usize::from(input[read] == b'\n');
                    continue;
                }
                // Everything up to the next `\r` outside quotes is copied whole.
                let limit = (input.len() - read).min(out.len() - written);
                let (run, cr) = self.scan.pass_through(&input[read..read + limit]);
                out[written..written + run].copy_from_slice(&input[read..read + run]);
                (read, written) = (read + run, written + run);
                if cr {
                    read += 1;
                    self.pending_cr = true;
                    self.scan.state = State::FieldStart;
                }
            }
            self.inner.consume(read);
            if self.scan.too_long.is_some() {
                continue;
            }
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
        normalise_in(input, chunk, chunk)
    }

    /// Normalised `input`, read in pieces of `chunk` bytes into a buffer of `out` bytes.
    fn normalise_in(input: &[u8], chunk: usize, out: usize) -> Vec<u8> {
        let reader = io::BufReader::with_capacity(chunk, input);
        let mut out = Vec::with_capacity(out);
        let mut lines = LineEndings::new(reader);
        let mut buf = vec![0u8; out.capacity()];
        loop {
            let n = lines.read(&mut buf).expect("in memory");
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    }

    /// The line of the record too long to read, if one is; read in pieces of `chunk` bytes.
    fn too_long_at(input: &[u8], chunk: usize) -> Option<u64> {
        let reader = io::BufReader::with_capacity(chunk, input);
        let mut out = Vec::new();
        match LineEndings::new(reader).read_to_end(&mut out) {
            Ok(_) => None,
            Err(e) => {
                let too_long = e.get_ref().and_then(|e| e.downcast_ref::<RecordTooLong>());
                Some(too_long.expect("a record too long").line)
            }
        }
    }

    /// A record may hold `MAX_RECORD_BYTES` bytes, its quoted line endings included, and no
    /// more; the error names the line it starts on, in any pieces.
    #[test]
    fn records_longer_than_the_cap_are_refused_with_their_line() {
        let field = |n: usize| vec![b'x'; n];
        let quoted_lines = [&b"\""[..], &b"x\n".repeat(MAX_RECORD_BYTES / 2), b"\""].concat();
        let cases: [(Vec<u8>, Option<u64>); 6] = [
            (
                [&b"h\n"[..], &field(MAX_RECORD_BYTES), b"\n"].concat(),
                None,
            ),
            (
                [&b"h\n"[..], &field(MAX_RECORD_BYTES + 1)].concat(),
                Some(2),
            ),
            (
                [&b"h\n"[..], &field(MAX_RECORD_BYTES + 1), b"\r\n1\n"].concat(),
                Some(2),
            ),
            ([&b"h\n"[..], &quoted_lines, b"\n"].concat(), Some(2)),
            (
                [
                    &b"h\r\n\"a\nb\"\r\n\r\n"[..],
                    &field(MAX_RECORD_BYTES / 2),
                    b",\"",
                    &field(MAX_RECORD_BYTES / 2),
                    b"\"",
                ]
                .concat(),
                Some(5),
            ),
            (
                [&b"h\n"[..], &b"1\n".repeat(MAX_RECORD_BYTES)].concat(),
                None,
            ),
        ];
        for (input, line) in &cases {
            for chunk in [7, 1 << 16] {
                assert_eq!(too_long_at(input, chunk), *line, "in pieces of {chunk}");
            }
        }
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
            reader
                .byte_records()
                .map_while(std::result::Result::ok)
                .collect()
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

    /// The rule one byte at a time over the whole input (the pass before it searched for
    /// quotes and `\r`): the searching pass gives the same bytes in any pieces.
    fn byte_by_byte(input: &[u8]) -> Vec<u8> {
        let (mut state, mut out, mut bytes) = (State::FieldStart, Vec::new(), input.iter());
        let mut pending_cr = false;
        while let Some(&byte) = bytes.as_slice().first() {
            if pending_cr {
                pending_cr = false;
                out.push(b'\n');
                if byte == b'\n' {
                    bytes.next();
                }
                continue;
            }
            bytes.next();
            state = match (state, byte) {
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) => State::Quoted,
                (_, b'\r') => {
                    pending_cr = true;
                    state = State::FieldStart;
                    continue;
                }
                (State::QuoteInQuoted | State::FieldStart, b'"') => State::Quoted,
                (_, b',' | b'\n') => State::FieldStart,
                _ => State::Unquoted,
            };
            out.push(byte);
        }
        out.extend_from_slice(match state {
            _ if pending_cr => b"\n",
            State::Quoted => b"\"\n",
            _ if out.last().is_none_or(|&b| b == b'\n') => b"",
            _ => b"\n",
        });
        out
    }

    #[test]
    fn searching_matches_one_byte_at_a_time() {
        let mut rng = crate::rng::Rng::new(12);
        for _ in 0..5_000 {
            let input: Vec<u8> = (0..rng.below(120))
                .map(|_| b"ab,\"\"\r\n"[rng.below(7)])
                .collect();
            let expected = byte_by_byte(&input);
            let (chunk, out) = (1 + rng.below(9), 1 + rng.below(9));
            assert_eq!(normalise_in(&input, chunk, out), expected, "{input:?}");
            assert_eq!(normalise_in(&input, 64, 64), expected, "{input:?}");
        }
    }
}
