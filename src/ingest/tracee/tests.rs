//! The records a Tracee reader hands out: BETH's columns as a CSV would hold them.

use crate::ingest::{EventReader, Field, Labels, Schema};

/// The records of `input`'s events (every field read, labels optional), as text.
fn records(input: &str) -> Vec<Vec<String>> {
    let schema = Schema {
        fields: vec![Field::ProcessId],
        labels: Labels::Optional,
        host_namespace: false,
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

/// processName and eventName are read as text in both forms (escapes undone), interned per
/// file: the column holds each row's index into the distinct texts.
#[test]
fn text_fields_are_read_in_both_forms() {
    let schema = Schema {
        fields: vec![Field::ProcessName, Field::UserId, Field::EventName],
        labels: Labels::Optional,
        host_namespace: false,
    };
    let read = |input: &str| {
        let mut reader = EventReader::new(input.as_bytes(), "x.json", &schema).unwrap();
        let mut events = reader.empty_events();
        while reader.read_chunk(8, &mut events, None).unwrap() > 0 {}
        events
    };
    let flat = [
        r#"{"processName":"sshd","userId":0,"eventName":"close"}"#,
        r#"{"processName":"sy\u0073temd-udevd","userId":"5","eventName":"close"}"#,
        r#"{"processName":"sshd","userId":1000,"eventName":"openat"}"#,
    ];
    let events = read(&flat.join("\n"));
    assert_eq!(events.values[0], [0.0, 1.0, 0.0]);
    assert_eq!(events.values[1], [0.0, 5.0, 1000.0]);
    assert_eq!(events.values[2], [0.0, 0.0, 1.0]);
    assert_eq!(
        events.text_names(Field::ProcessName).unwrap(),
        ["sshd", "systemd-udevd"]
    );
    assert_eq!(events.text(Field::EventName, 2), Some("openat"));
    let current = r#"{"name":"execve","workload":{"process":{"thread":{"name":"bash"},"real_user":{"id":7}}}}"#;
    let events = read(current);
    assert_eq!(events.text(Field::ProcessName, 0), Some("bash"));
    assert_eq!(events.text(Field::EventName, 0), Some("execve"));
    let error = EventReader::new(
        r#"{"userId":0,"eventName":"x"}"#.as_bytes(),
        "x.json",
        &schema,
    )
    .and_then(|mut reader| {
        let mut events = reader.empty_events();
        reader.read_chunk(8, &mut events, None)
    })
    .unwrap_err();
    assert!(error.to_string().contains("processName"), "{error}");
}

/// Without a mount namespace (Tracee's v1beta1 form, a flat line or a CSV without the column)
/// an event is read as in the host's when the schema lets it, and the reader says so; a schema
/// that does not (a model that z-scores the namespace) refuses it, naming the field.
#[test]
fn a_missing_mount_namespace_is_the_hosts_only_where_the_schema_lets_it() {
    use crate::ingest::HOST_MOUNT_NAMESPACE;
    let v1beta1 = r#"{"id":"59","name":"close","workload":{"process":{"pid":{"value":7}}}}"#;
    let flat = r#"{"processId":8,"mountNamespace":4026532829}
{"processId":9}"#;
    let csv = "processId,userId\n7,0\n";
    let schema = |host_namespace| Schema {
        fields: vec![Field::ProcessId, Field::MountNamespace],
        labels: Labels::Optional,
        host_namespace,
    };
    let read = |input: &str| {
        let mut reader = EventReader::new(input.as_bytes(), "x", &schema(true)).unwrap();
        let mut events = reader.empty_events();
        let before = reader.host_namespace_note().is_some();
        while reader.read_chunk(8, &mut events, None).unwrap() > 0 {}
        let namespaces = events.values[1].clone();
        (before, namespaces, reader.host_namespace_note().is_some())
    };
    assert_eq!(read(v1beta1), (false, vec![HOST_MOUNT_NAMESPACE], true));
    // A flat line with its own namespace keeps it; the reader tells once one lacked it.
    assert_eq!(
        read(flat),
        (false, vec![4_026_532_829.0, HOST_MOUNT_NAMESPACE], true)
    );
    assert_eq!(read(csv), (true, vec![HOST_MOUNT_NAMESPACE], true));
    assert!(!read(r#"{"processId":8,"mountNamespace":1}"#).2);

    let refused = |input: &str| {
        let mut reader = EventReader::new(input.as_bytes(), "x", &schema(false))?;
        let mut events = reader.empty_events();
        reader.read_chunk(8, &mut events, None).map(|_| ())
    };
    let message = |input| refused(input).expect_err("refused").to_string();
    assert!(
        message(v1beta1).contains("mountNamespace"),
        "{}",
        message(v1beta1)
    );
    assert!(
        message(csv).contains("\"mountNamespace\""),
        "{}",
        message(csv)
    );
}
