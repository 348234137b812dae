//! The quick way through a line of the flat form: one pass over its bytes that checks it is JSON
//! and picks out the raw values of the keys an [`Event`] holds, skipping the rest (the `args`
//! list, stack addresses…) without building anything.
//!
//! It reads a line only when serde would read it to the same event, and gives up (`None`) on
//! anything else: invalid JSON, invalid UTF-8 where serde checks it (keys, and the values of the
//! keys an event holds; like serde, it does not check the values it skips), a key with escapes,
//! a known key twice or `null`, a
//! `\u` escape of a surrogate, nesting deeper than [`MAX_DEPTH`], and the v1beta1 form's
//! `workload` and `data`. Such a line goes through serde, which reads the v1beta1 form and words
//! every error, so a line gives the same event or the same error either way.

use super::{Event, Raw};

/// Nesting deeper than this is left to serde (whose limit is 128 levels).
const MAX_DEPTH: usize = 64;

/// The event on `line` (without its line ending), or `None` when serde should read it.
pub(super) fn flat_event(line: &[u8]) -> Option<Event<'_>> {
    let mut scan = Scan { bytes: line, at: 0 };
    let mut event = Event::default();
    scan.blank();
    scan.eat(b'{')?;
    scan.blank();
    if !scan.eat_if(b'}') {
        loop {
            scan.eat(b'"')?;
            let key_start = scan.at;
            let key_text = scan.string()?;
            if key_text.escaped {
                return None;
            }
            let key = line.get(key_start..scan.at - 1)?;
            if !key_text.ascii {
                std::str::from_utf8(key).ok()?;
            }
            scan.blank();
            scan.eat(b':')?;
            scan.blank();
            let start = scan.at;
            let ascii = scan.value()?;
            if let Some(slot) = slot(&mut event, key)? {
                let value = line.get(start..scan.at)?;
                if !ascii {
                    std::str::from_utf8(value).ok()?;
                }
                if value == b"null" || slot.replace(Raw(value)).is_some() {
                    return None;
                }
            }
            scan.blank();
            match scan.next()? {
                b',' => scan.blank(),
                b'}' => break,
                _ => return None,
            }
        }
    }
    scan.blank();
    (scan.at == line.len()).then_some(event)
}

/// What [`Scan::string`] saw in a string.
struct Text {
    /// Whether it has an escape.
    escaped: bool,
    /// Whether its bytes are all ASCII (then it is UTF-8 without a further check).
    ascii: bool,
}

/// Where `key`'s value goes in `event`: `Some(None)` for a key not read, `None` for a key of the
/// v1beta1 form (serde reads those).
fn slot<'e, 'a>(event: &'e mut Event<'a>, key: &[u8]) -> Option<Option<&'e mut Option<Raw<'a>>>> {
    Some(Some(match key {
        b"timestamp" => &mut event.timestamp,
        b"processId" => &mut event.process_id,
        b"threadId" => &mut event.thread_id,
        b"parentProcessId" => &mut event.parent_process_id,
        b"userId" => &mut event.user_id,
        b"mountNamespace" => &mut event.mount_namespace,
        b"processName" => &mut event.process_name,
        b"hostName" => &mut event.host_name,
        b"eventId" => &mut event.event_id,
        b"eventName" => &mut event.event_name,
        b"argsNum" => &mut event.args_num,
        b"returnValue" => &mut event.return_value,
        b"sus" => &mut event.sus,
        b"evil" => &mut event.evil,
        b"id" => &mut event.id,
        b"name" => &mut event.name,
        b"workload" | b"data" => return None,
        _ => return Some(None),
    }))
}

/// A position in a line's bytes. Every method returns `None` on what it does not take.
struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    fn eat_if(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    /// Past JSON's whitespace.
    fn blank(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// Past one value, checked; whether its bytes are all ASCII. Lists and objects are followed
    /// without recursion: one bit per open level says whether it is an object (1) or a list (0).
    fn value(&mut self) -> Option<bool> {
        let (mut depth, mut objects, mut ascii) = (0, 0u64, true);
        loop {
            // A value starts here.
            match self.next()? {
                b'"' => ascii &= self.string()?.ascii,
                open @ (b'{' | b'[') => {
                    if depth == MAX_DEPTH {
                        return None;
                    }
                    let object = open == b'{';
                    self.blank();
                    if !self.eat_if(if object { b'}' } else { b']' }) {
                        depth += 1;
                        objects = objects << 1 | u64::from(object);
                        if object {
                            ascii &= self.member()?;
                        }
                        continue;
                    }
                }
                b't' => self.word(b"rue")?,
                b'f' => self.word(b"alse")?,
                b'n' => self.word(b"ull")?,
                b'-' => self.number()?,
                b'0'..=b'9' => {
                    self.at -= 1;
                    self.number()?;
                }
                _ => return None,
            }
            // A value ended: close the levels it ends, then go on to the next element, if any.
            loop {
                if depth == 0 {
                    return Some(ascii);
                }
                self.blank();
                let object = objects & 1 == 1;
                match (self.next()?, object) {
                    (b',', _) => {
                        self.blank();
                        if object {
                            ascii &= self.member()?;
                        }
                        break;
                    }
                    (b'}', true) | (b']', false) => {
                        depth -= 1;
                        objects >>= 1;
                    }
                    _ => return None,
                }
            }
        }
    }

    /// Past a member's key and its `:`, up to its value; whether the key is all ASCII.
    fn member(&mut self) -> Option<bool> {
        self.eat(b'"')?;
        let key = self.string()?;
        self.blank();
        self.eat(b':')?;
        self.blank();
        Some(key.ascii)
    }

    /// Past the rest of `true`, `false` or `null` (its first letter passed).
    fn word(&mut self, rest: &[u8]) -> Option<()> {
        let end = self.at + rest.len();
        (self.bytes.get(self.at..end)? == rest).then(|| self.at = end)
    }

    /// Past a number (its `-`, if any, passed): JSON's grammar, digits after `.` and `e` required.
    fn number(&mut self) -> Option<()> {
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.eat_if(b'.') {
            self.digit()?;
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.digit()?;
            self.digits();
        }
        Some(())
    }

    fn digit(&mut self) -> Option<()> {
        self.next()?.is_ascii_digit().then_some(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    /// Past a string's content and closing `"` (its opening one passed); whether it has escapes
    /// and non-ASCII bytes. Control characters are refused, as JSON says.
    fn string(&mut self) -> Option<Text> {
        let mut text = Text {
            escaped: false,
            ascii: true,
        };
        loop {
            let rest = self.bytes.get(self.at..)?;
            let run = plain(rest);
            self.at += run + 1;
            match *rest.get(run)? {
                b'"' => return Some(text),
                b'\\' => {
                    text.escaped = true;
                    self.escape()?;
                }
                0x80.. => text.ascii = false,
                _ => return None,
            }
        }
    }

    /// Past an escape (its `\` passed); a `\u` of a surrogate is left to serde.
    fn escape(&mut self) -> Option<()> {
        match self.next()? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(()),
            b'u' => {
                let end = self.at + 4;
                let hex = self.bytes.get(self.at..end)?;
                self.at = end;
                let mut code = 0u32;
                for &b in hex {
                    code = code * 16 + char::from(b).to_digit(16)?;
                }
                (!(0xD800..=0xDFFF).contains(&code)).then_some(())
            }
            _ => None,
        }
    }
}

/// How many bytes at the start of `text` are plain ASCII string content: not `"`, `\\`, a
/// control character or a byte of a multi-byte character. Sixteen bytes at a time.
fn plain(text: &[u8]) -> usize {
    let (blocks, rest) = text.as_chunks::<16>();
    for (k, block) in blocks.iter().enumerate() {
        if let Some(at) = first_special(block) {
            return k * 16 + at;
        }
    }
    let done = blocks.len() * 16;
    done + rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || !(0x20..0x80).contains(&b))
        .unwrap_or(rest.len())
}

/// Where the first byte of `block` that is not plain ASCII string content is, if any: one
/// 128-bit comparison per kind of byte (wasm's SIMD).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn first_special(block: &[u8; 16]) -> Option<usize> {
    use std::arch::wasm32::{u8x16, u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, v128_or};
    let b = block;
    let v = u8x16(
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
        b[14], b[15],
    );
    let quote = u8x16_eq(v, u8x16_splat(b'"'));
    let backslash = u8x16_eq(v, u8x16_splat(b'\\'));
    let control = u8x16_lt(v, u8x16_splat(0x20));
    // The bit mask takes each byte's high bit: set for bytes of multi-byte characters.
    let found = u8x16_bitmask(v128_or(v128_or(quote, backslash), control)) | u8x16_bitmask(v);
    (found != 0).then(|| found.trailing_zeros() as usize)
}

/// Where the first byte of `block` that is not plain ASCII string content is, if any: eight
/// bytes at a time as one `u64`, elsewhere than wasm.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn first_special(block: &[u8; 16]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of each byte of `v` below `n` (exact for the lowest such byte; above it a
    // borrow may set others, which the lowest one hides).
    let below = |v: u64, n: u8| v.wrapping_sub(ONES * u64::from(n)) & !v & HIGH;
    let (words, _) = block.as_chunks::<8>();
    words.iter().enumerate().find_map(|(k, &word)| {
        let v = u64::from_le_bytes(word);
        let found = below(v ^ (ONES * u64::from(b'"')), 1)
            | below(v ^ (ONES * u64::from(b'\\')), 1)
            | below(v, 0x20)
            | (v & HIGH);
        (found != 0).then(|| k * 8 + found.trailing_zeros() as usize / 8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The raw text of each key an event holds, `None` when absent.
    fn fields<'a>(event: &Event<'a>) -> [Option<&'a str>; 16] {
        [
            event.timestamp,
            event.process_id,
            event.thread_id,
            event.parent_process_id,
            event.user_id,
            event.mount_namespace,
            event.process_name,
            event.host_name,
            event.event_id,
            event.event_name,
            event.args_num,
            event.return_value,
            event.sus,
            event.evil,
            event.id,
            event.name,
        ]
        .map(|raw| raw.map(|raw| std::str::from_utf8(raw.0).expect("UTF-8")))
    }

    const LINE: &str = r#"{"timestamp":1684688250477166817,"processId":35694,"threadId":35694,"parentProcessId":1033,"userId":0,"mountNamespace":4026532829,"processName":"cri-dockerd","hostName":"minikube","container":{},"eventId":"59","eventName":"execve","matchedPolicies":["execve_event"],"argsNum":2,"returnValue":-1.5e-3,"stackAddresses":null,"contextFlags":{"containerStarted":false,"isCompat":true},"args":[{"name":"pathname","type":"const char*","value":"/usr/bin/\u00e9\"x\\"},{"name":"argv","type":"const char**","value":["a","b"]}],"sus":0}"#;

    #[test]
    fn a_flat_line_gives_the_raw_values_of_its_keys() {
        let event = flat_event(LINE.as_bytes()).expect("read");
        assert_eq!(
            fields(&event),
            [
                Some("1684688250477166817"),
                Some("35694"),
                Some("35694"),
                Some("1033"),
                Some("0"),
                Some("4026532829"),
                Some("\"cri-dockerd\""),
                Some("\"minikube\""),
                Some("\"59\""),
                Some("\"execve\""),
                Some("2"),
                Some("-1.5e-3"),
                Some("0"),
                None,
                None,
                None,
            ]
        );
        let spaced = " { \"userId\" :\t\"7\" , \"x\" : [ 1 , { } , [ ] ] }\r";
        let event = flat_event(spaced.as_bytes()).expect("read");
        assert_eq!(fields(&event)[4], Some("\"7\""));
        assert!(flat_event(b"{}").is_some());
    }

    /// The block-at-a-time search finds the first special byte wherever it is, whatever follows.
    #[test]
    fn plain_runs_end_at_the_first_quote_backslash_control_or_non_ascii_byte() {
        let mut rng = crate::rng::Rng::new(8);
        for _ in 0..20_000 {
            let text: Vec<u8> = (0..rng.below(40))
                .map(|_| b"a\"\\\x00\x1f\x20\x7f\x80\xff!#[b"[rng.below(12)])
                .collect();
            let expected = text
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || !(0x20..0x80).contains(&b))
                .unwrap_or(text.len());
            assert_eq!(plain(&text), expected, "{text:?}");
        }
        assert_eq!(plain(b"abcdefghijklmnopqrstu\"k"), 21);
        assert_eq!(plain(b"abcdefghijklmnop\xc3\xa9"), 16);
        assert_eq!(plain(b"abcdefghij\"k"), 10);
        assert_eq!(plain(b"\x01\""), 0);
        assert_eq!(plain(b""), 0);
    }

    /// What serde must read (or word the error of) gives `None`.
    #[test]
    fn lines_left_to_serde() {
        for line in [
            r#"{"processId":1,"processId":2}"#,
            r#"{"processId":null}"#,
            r#"{"process\u0049d":1}"#,
            r#"{"workload":{"process":{"pid":1}}}"#,
            r#"{"data":[]}"#,
            r#"{"x":"\ud800"}"#,
            r#"{"x":"\u12g4"}"#,
            r#"{"x":"\q"}"#,
            "{\"x\":\"tab\there\"}",
            r#"{"x":01}"#,
            r#"{"x":1.}"#,
            r#"{"x":1e}"#,
            r#"{"x":-}"#,
            r#"{"x":tru}"#,
            r#"{"x":[1,]}"#,
            r#"{"x":{"a":1,}}"#,
            r#"{"x":1,}"#,
            r#"{"x":1} x"#,
            r#"{"x":1"#,
            r#"{"x" 1}"#,
            r#"[1]"#,
            "",
        ] {
            assert!(flat_event(line.as_bytes()).is_none(), "{line}");
        }
        assert!(flat_event(b"{\"processId\":\"\xff\"}").is_none());
        assert!(flat_event(b"{\"\xff\":1}").is_none());
        // Like serde, the scan does not check what it skips.
        assert!(flat_event(b"{\"x\":\"\xff\"}").is_some());
        let deep = |n: usize| format!("{{\"x\":{}{}}}", "[".repeat(n), "]".repeat(n));
        assert!(flat_event(deep(MAX_DEPTH).as_bytes()).is_some());
        assert!(flat_event(deep(MAX_DEPTH + 1).as_bytes()).is_none());
    }

    /// On lines cut and mutated from real ones, whenever the scan reads a line serde reads it to
    /// the same values.
    #[test]
    fn what_the_scan_reads_serde_reads_the_same() {
        let pieces: [&[u8]; 16] = [
            b"\xff",
            b"\xc3\xa9",
            b"\"",
            b"\\",
            b"{",
            b"}",
            b"[",
            b"]",
            b",",
            b":",
            b" ",
            b"null",
            b"-",
            b"0",
            b"e",
            b"\"sus\":",
        ];
        let mut rng = crate::rng::Rng::new(21);
        let (mut read, mut agreed) = (0, 0);
        for _ in 0..40_000 {
            let mut line = LINE.as_bytes().to_vec();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(line.len() + 1);
                match rng.below(3) {
                    0 => {
                        let piece = pieces[rng.below(pieces.len())];
                        line.splice(at..at, piece.iter().copied());
                    }
                    1 if at < line.len() => {
                        line.remove(at);
                    }
                    _ => line.truncate(at.max(1)),
                }
            }
            let serde = serde_json::from_slice::<Event<'_>>(&line);
            if let Some(event) = flat_event(&line) {
                read += 1;
                let serde = serde.expect("serde reads what the scan reads");
                assert!(serde.workload.is_none() && serde.data.is_none());
                assert_eq!(
                    fields(&event),
                    fields(&serde),
                    "{}",
                    String::from_utf8_lossy(&line)
                );
            } else if serde.is_err() {
                agreed += 1;
            }
        }
        // Both kinds of line were tried often.
        assert!(
            read > 3_000 && agreed > 20_000,
            "{read} read, {agreed} refused by both"
        );
    }
}
