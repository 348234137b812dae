//! Reading BETH CSV in all its forms, and a typed error naming line and column for each
//! malformed-input class.

use cyber_attack_detector::ingest::{read_events, Field, IngestErrorKind, Labels, Schema};
use std::io::Write;

fn schema(fields: &[Field], labels: Labels) -> Schema {
    Schema {
        fields: fields.to_vec(),
        labels,
        host_namespace: false,
    }
}

fn numeric() -> Schema {
    schema(
        &[Field::ProcessId, Field::UserId, Field::ReturnValue],
        Labels::Required,
    )
}

const ORIGINAL: &str = "\
timestamp,processId,threadId,parentProcessId,userId,mountNamespace,processName,hostName,eventId,eventName,stackAddresses,argsNum,returnValue,args,sus,evil
129.051238,379,379,1,100,4026532231,systemd-network,ip-10-100-1-217,41,socket,\"[139853228042507, 93935071185801]\",3,15,\"[{'name': 'domain', 'type': 'int', 'value': 'AF_UNIX'}]\",0,0
129.051434,7548,7548,7534,1001,4026531840,tsm,ip-10-100-1-217,42,connect,[],3,-115,\"[{'name': 'fd', 'type': 'int', 'value': 4}]\",1,1
";

#[test]
fn reads_the_original_sixteen_column_form() {
    let ev = read_events(ORIGINAL.as_bytes(), "test.csv", &numeric()).expect("valid");
    assert_eq!(ev.len(), 2);
    assert_eq!(ev.column(Field::ProcessId), Some(&[379.0, 7548.0][..]));
    assert_eq!(ev.column(Field::ReturnValue), Some(&[15.0, -115.0][..]));
    assert_eq!(ev.sus, Some(vec![0, 1]));
    assert_eq!(ev.evil, Some(vec![0, 1]));
    assert_eq!(ev.host_name(1), Some("ip-10-100-1-217"));
}

#[test]
fn reads_the_thirteen_column_host_form_and_names_what_it_lacks() {
    let host = "\
timestamp,processId,parentProcessId,userId,processName,hostName,eventId,eventName,argsNum,returnValue,args,sus,evil
126.23,1,0,0,systemd,ip-10-100-1-105,1005,security_file_open,4,0,[],0,0
";
    let ev = read_events(host.as_bytes(), "hosts.csv", &numeric()).expect("valid");
    assert_eq!(ev.column(Field::UserId), Some(&[0.0][..]));
    let err = read_events(
        host.as_bytes(),
        "hosts.csv",
        &schema(&[Field::ThreadId], Labels::Required),
    )
    .expect_err("threadId is missing");
    assert!(
        matches!(err.kind, IngestErrorKind::MissingColumn { ref name, .. } if name == "threadId")
    );
    let message = err.to_string();
    assert!(
        message.starts_with("hosts.csv, line 1: expected a column named \"threadId\""),
        "{message}"
    );
}

#[test]
fn reads_the_eight_column_numeric_form_in_any_order() {
    let csv = "sus,returnValue,argsNum,mountNamespace,userId,parentProcessId,threadId,processId\n1,-2,3,4026531840,1001,7534,7548,7548\n";
    let all = schema(&Field::ALL[..], Labels::Optional);
    let err =
        read_events(csv.as_bytes(), "numeric.csv", &all).expect_err("no eventId in 8-column form");
    assert!(err.to_string().contains("eventId"));
    let fields: Vec<Field> = Field::ALL
        .into_iter()
        .filter(|&f| f != Field::EventId)
        .collect();
    let ev = read_events(
        csv.as_bytes(),
        "numeric.csv",
        &schema(&fields, Labels::Required),
    )
    .expect("valid");
    assert_eq!(ev.column(Field::ProcessId), Some(&[7548.0][..]));
    assert_eq!(ev.column(Field::MountNamespace), Some(&[4026531840.0][..]));
    assert_eq!(ev.sus, Some(vec![1]));
    assert!(ev.host.is_empty());
}

#[test]
fn reads_gzip_input() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(ORIGINAL.as_bytes()).expect("in memory");
    let bytes = gz.finish().expect("in memory");
    let ev = read_events(&bytes[..], "test.csv.gz", &numeric()).expect("valid gzip");
    assert_eq!(ev.len(), 2);
    // Cut short: a clear gzip error, not a panic or a silent partial read.
    let err =
        read_events(&bytes[..bytes.len() / 2], "test.csv.gz", &numeric()).expect_err("truncated");
    assert!(matches!(err.kind, IngestErrorKind::Gzip { .. }), "{err}");
    assert!(err.to_string().contains("gzip"), "{err}");
}

#[test]
fn unlabelled_files_are_fine_for_scoring_but_not_training() {
    let csv = "processId,userId,returnValue\n1,0,0\n";
    let ev = read_events(
        csv.as_bytes(),
        "u.csv",
        &schema(&[Field::UserId], Labels::Optional),
    )
    .expect("valid");
    assert_eq!(ev.sus, None);
    let err = read_events(csv.as_bytes(), "u.csv", &numeric()).expect_err("needs sus");
    assert!(err.to_string().contains("\"sus\""), "{err}");
}

#[test]
fn bom_crlf_quotes_and_blank_lines_are_accepted() {
    let csv = "\u{feff}processId,userId,returnValue,args,sus\r\n1,0,0,\"a, \"\"quoted\"\"\r\nfield\",0\r\n\r\n7548,1001,-1,x,1\r\n";
    let ev = read_events(csv.as_bytes(), "bom.csv", &numeric()).expect("valid");
    assert_eq!(ev.column(Field::ProcessId), Some(&[1.0, 7548.0][..]));
    assert_eq!(ev.sus, Some(vec![0, 1]));
}

/// Each malformed class: (input, expected kind, expected text in the message).
#[test]
fn every_malformed_class_names_line_column_and_expectation() {
    let cases: Vec<(&[u8], &str)> =
        vec![
        (b"", "test.csv: the file is empty; expected a CSV header line"),
        (b"\n\n", "test.csv: the file is empty; expected a CSV header line"),
        (b"processId,userId,returnValue,sus\n", "test.csv: the file has a header but no data rows"),
        (
            b"processId,userId,returnValue,sus\n1,0,0,0\n2,abc,0,0\n",
            "test.csv, line 3, column 2 (userId): expected a number, found \"abc\"",
        ),
        (
            b"processId,userId,returnValue,sus\n1,NaN,0,0\n",
            "test.csv, line 2, column 2 (userId): expected a finite number, found \"NaN\"",
        ),
        (
            b"processId,userId,returnValue,sus\n1,0,-inf,0\n",
            "test.csv, line 2, column 3 (returnValue): expected a finite number, found \"-inf\"",
        ),
        (
            b"processId,userId,returnValue,sus\n1e400,0,0,0\n",
            "test.csv, line 2, column 1 (processId): expected a finite number, found \"1e400\"",
        ),
        (
            b"processId,userId,returnValue,sus\n1,0,0,0\n1,0,0\n",
            "test.csv, line 3: expected 4 fields like the header, found 3",
        ),
        (
            b"processId,userId,returnValue,sus\n1,0,0,0,9\n",
            "test.csv, line 2: expected 4 fields like the header, found 5",
        ),
        (
            b"processId,userId,returnValue,sus\n1,0,0,2\n",
            "test.csv, line 2, column 4 (sus): expected a label 0 or 1, found \"2\"",
        ),
        (
            b"processId,userId,returnValue,sus\n1,\xff\xfe,0,0\n",
            "test.csv, line 2, column 2 (userId): expected UTF-8 text, found invalid bytes",
        ),
        (
            b"processId,userId,userId,returnValue,sus\n1,0,0,0,0\n",
            "test.csv, line 1, column 3 (userId): this column name appears twice",
        ),
        (
            b"processId,userId,sus\n1,0,0\n",
            "test.csv, line 1: expected a column named \"returnValue\"",
        ),
    ];
    for (input, expected) in cases {
        let err = read_events(input, "test.csv", &numeric()).expect_err(expected);
        let message = err.to_string();
        assert!(
            message.starts_with(expected),
            "got {message:?}, expected it to start with {expected:?}"
        );
    }
}

#[test]
fn hostile_values_are_truncated_in_messages() {
    let long = "x".repeat(10_000);
    let csv = format!("processId,userId,returnValue,sus\n1,{long},0,0\n");
    let message = read_events(csv.as_bytes(), "big.csv", &numeric())
        .expect_err("not a number")
        .to_string();
    assert!(message.len() < 400, "{} bytes", message.len());
    assert!(message.ends_with("…\""), "{message}");
}
