//! Tracee JSON lines read to the same events natively and in wasm (`make test-browser` runs this
//! file in headless Chromium and Firefox too). The reader's string search looks at 16 bytes at a
//! time with wasm SIMD and at two `u64` words natively (src/ingest/tracee/scan.rs), so strings of
//! every length around those widths, with escapes and non-ASCII bytes at every place, are read
//! here by both, and every value that follows them must come out right.

use cyber_attack_detector::ingest::{read_events, Field, Labels, Schema};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// What a character of a host name is written as in JSON, and what it reads as.
const PIECES: [(&str, &str); 4] = [("q", "q"), ("\\\"", "\""), ("\\\\", "\\"), ("é", "é")];

/// A host name of `len` characters, the `k`-th piece at `at` and plain letters elsewhere: (JSON
/// text, what it reads as).
fn host(len: usize, at: usize, k: usize) -> (String, String) {
    let (mut json, mut text) = (String::new(), String::new());
    for i in 0..len {
        let (j, t) = if i == at { PIECES[k] } else { ("a", "a") };
        json.push_str(j);
        text.push_str(t);
    }
    (json, text)
}

/// A flat Tracee event (Tracee's `--output json` before v0.20) on host `host` (JSON text), its
/// process name and an argument built from it too, so that strings come before and after the
/// numbers read.
fn line(pid: usize, host: &str) -> String {
    format!(
        r#"{{"timestamp":1684688250477166817,"processId":{pid},"threadId":{pid},"parentProcessId":1,"userId":0,"mountNamespace":4026532829,"processName":"{host}-p","hostName":"{host}","eventId":"59","eventName":"execve","argsNum":2,"returnValue":-{pid},"stackAddresses":null,"args":[{{"name":"pathname","type":"const char*","value":"/opt/{host}"}}]}}"#
    )
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn strings_of_every_length_and_escape_read_the_same_everywhere() {
    let (mut input, mut hosts) = (String::new(), Vec::new());
    for len in 1..=40_usize {
        for (k, at) in [
            (0, 0),
            (1, len - 1),
            (2, len / 2),
            (3, len.saturating_sub(2)),
        ] {
            let (json, text) = host(len, at, k);
            input.push_str(&line(hosts.len() + 1, &json));
            input.push('\n');
            hosts.push(text);
        }
    }
    let schema = Schema {
        fields: vec![Field::ProcessId, Field::ReturnValue],
        labels: Labels::Optional,
        host_namespace: false,
    };
    let events = read_events(input.as_bytes(), "lines.jsonl", &schema).expect("valid lines");
    assert_eq!(events.len(), 160);
    let pids: Vec<f64> = (1..=160).map(|p| p as f64).collect();
    let returns: Vec<f64> = pids.iter().map(|p| -p).collect();
    assert_eq!(events.column(Field::ProcessId), Some(&pids[..]));
    assert_eq!(events.column(Field::ReturnValue), Some(&returns[..]));
    for (row, text) in hosts.iter().enumerate() {
        assert_eq!(events.host_name(row), Some(text.as_str()), "row {row}");
    }
}
