//! The records a Tracee reader hands out: BETH's columns as a CSV would hold them.

use crate::ingest::{EventReader, Field, Labels, Schema};

/// The records of `input`'s events (every field read, labels optional), as text.
fn records(input: &str) -> Vec<Vec<String>> {
    let schema = Schema {
        fields: vec![Field::ProcessId],
        labels: Labels::Optional,
    };
    let mut reader = EventReader::new(input.as_bytes(), "x.json", &schema).unwrap();
    let mut events = reader.empty_events();
    let mut raw = Vec::new();
    while reader.read_chunk(2, &mut events, Some(&mut raw)).unwrap() > 0 {}
    raw.iter()
        .map(|record| {
            record
                .iter()
                .map(|field| String::from_utf8(field.to_vec()).unwrap())
                .collect()
        })
        .collect()
}

/// Strings unescaped, numbers as written, a wrapped value's inside, a missing key empty; the
/// labels after BETH's twelve columns when the first event has them.
#[test]
fn a_flat_event_becomes_beths_columns() {
    let lines = [
        r#"{"timestamp":1.5e3,"processId":7,"threadId":"8","parentProcessId":-1,"userId":0,"mountNamespace":{"value":4026531840},"processName":"a\"b\u00e9\\","hostName":"h","eventId":"42","eventName":"connect","args":[{"name":"fd","value":"x\ny"}],"argsNum":3,"returnValue":-114,"sus":1,"evil":"0"}"#,
        r#" {"processId":9,"hostName":"h\u0032","evil":1,"sus":0,"processName":""} "#,
    ];
    assert_eq!(
        records(&lines.join("\n")),
        [
            [
                "1.5e3",
                "7",
                "8",
                "-1",
                "0",
                "4026531840",
                "a\"b\u{e9}\\",
                "h",
                "42",
                "connect",
                "3",
                "-114",
                "1",
                "0",
            ],
            ["", "9", "", "", "", "", "", "h2", "", "", "", "", "0", "1"],
        ]
    );
    // Without labels on the first event, records have twelve columns.
    assert_eq!(
        records(r#"{"processId":1,"processName":"p"}"#),
        [["", "1", "", "", "", "", "p", "", "", "", "", ""]]
    );
}
