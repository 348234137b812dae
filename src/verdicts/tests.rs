use super::*;
use crate::alerts::Limits;
use crate::ingest::IngestError;
use csv::ByteRecord;

const SHA: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Five events: processes (h, 10) on lines 2 and 4, (h, 11) on 3 and 6, (g, 10) on 5.
const FILE: &str = "timestamp,processId,parentProcessId,hostName,eventName\n\
    1.0,10,1,h,open\n\
    2.0,11,1,h,read\n\
    3.0,10,1,h,close\n\
    4.0,10,1,g,open\n\
    5.0,11,1,h,write\n";

fn mark(line: u64, attack: bool, note: &str) -> Mark {
    Mark {
        line,
        attack,
        note: note.to_string(),
    }
}

/// `text`'s header and records, with their positions.
fn records(text: &str) -> (ByteRecord, Vec<ByteRecord>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.byte_headers().expect("header").clone();
    let rows = reader.byte_records().map(|r| r.expect("row")).collect();
    (header, rows)
}

/// The verdict CSV of `text` for `request`, with what was written.
fn write(text: &str, request: Request, limits: Limits) -> (String, Written) {
    let (header, rows) = records(text);
    let mut out = VerdictCsv::new(Vec::new(), &header, request, limits).expect("a valid request");
    let mut bytes = Vec::new();
    for row in &rows {
        out.offer(row).expect("in memory");
        bytes.extend(out.take());
    }
    let written = out.written().clone();
    (String::from_utf8(bytes).expect("UTF-8"), written)
}

/// The marks of a verdict CSV, or its first error.
fn read(text: &str) -> Result<Marks, IngestError> {
    let (header, rows) = records(text);
    let mut reader = VerdictReader::new(&header, "v.csv")?;
    for row in &rows {
        reader.add(row)?;
    }
    reader.finish()
}

fn request() -> Request {
    Request {
        sha256: SHA.to_string(),
        events: vec![mark(3, false, "ours")],
        alerts: vec![mark(2, true, "payload")],
        filled: vec![
            Filled {
                line: 5,
                attack: true,
            },
            Filled {
                line: 3,
                attack: true,
            },
        ],
    }
}

#[test]
fn an_alerts_verdict_labels_its_process_events_and_an_events_own_verdict_wins() {
    let (csv, written) = write(FILE, request(), Limits::default());
    let tail = format!(",{SHA}");
    let expected = [
        "timestamp,processId,parentProcessId,hostName,eventName,sus,verdict_line,verdict,verdict_note,verdict_alert_line,verdict_alert,verdict_alert_note,verdict_file_sha256".to_string(),
        // (h, 10): the alert first seen on line 2, its two events.
        format!("1.0,10,1,h,open,1,2,,,2,attack,payload{tail}"),
        // The analyst's benign verdict beats the model's "attack" for line 3.
        format!("2.0,11,1,h,read,0,3,benign,ours,,,{tail}"),
        format!("3.0,10,1,h,close,1,4,,,2,attack,payload{tail}"),
        // (g, 10) is another process: the model's label only.
        format!("4.0,10,1,g,open,1,5,,,,,{tail}"),
    ];
    assert_eq!(csv, format!("{}\n", expected.join("\n")));
    assert_eq!(
        written,
        Written {
            rows: 4,
            event_rows: 1,
            alert_rows: 2,
            filled_rows: 1,
            alert_rows_left: 0
        }
    );
    // Read back: the verdicts, not the model's labels.
    let marks = read(&csv).expect("valid");
    assert_eq!(
        marks,
        Marks {
            sha256: SHA.to_string(),
            events: vec![mark(3, false, "ours")],
            alerts: vec![mark(2, true, "payload")],
            rows: 4
        }
    );
}

#[test]
fn an_alert_writes_its_first_thousand_events_and_those_named_on_their_own() {
    // 1,003 events of one process, lines 2 to 1004; a verdict on the last one too.
    let mut text = String::from("processId,hostName,args\n");
    for i in 0..1003 {
        text.push_str(&format!("7,h,\"a, {i}\"\n"));
    }
    let request = Request {
        sha256: SHA.to_string(),
        events: vec![mark(1004, false, "")],
        alerts: vec![mark(2, true, "")],
        filled: Vec::new(),
    };
    let (csv, written) = write(&text, request, Limits::default());
    assert_eq!(ALERT_ROWS, 1000);
    // Lines 2 to 1001 for the alert, 1004 for its own verdict; 1002 and 1003 left out.
    assert_eq!(
        written,
        Written {
            rows: 1001,
            event_rows: 1,
            alert_rows: 1000,
            filled_rows: 0,
            alert_rows_left: 2
        }
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1002);
    assert_eq!(
        lines[1000],
        format!("7,h,\"a, 999\",1,1001,,,2,attack,,{SHA}")
    );
    assert_eq!(
        lines[1001],
        format!("7,h,\"a, 1002\",0,1004,benign,,2,attack,,{SHA}")
    );
}

#[test]
fn processes_beyond_the_groupers_bound_are_no_alerts_rows() {
    let limits = Limits {
        processes: 1,
        ..Limits::default()
    };
    // Only (h, 10) is followed: an alert on line 3 (h, 11) names no rows.
    let request = Request {
        sha256: SHA.to_string(),
        events: Vec::new(),
        alerts: vec![mark(2, false, ""), mark(3, true, "")],
        filled: Vec::new(),
    };
    let (csv, written) = write(FILE, request, limits);
    assert_eq!((written.rows, written.alert_rows), (2, 2));
    let lines: Vec<&str> = csv.lines().skip(1).map(|l| &l[..16]).collect();
    assert_eq!(lines, ["1.0,10,1,h,open,", "3.0,10,1,h,close"]);
}

#[test]
fn a_bad_request_is_refused() {
    let header = ByteRecord::from(vec!["a"]);
    let refused = |request| VerdictCsv::new(Vec::new(), &header, request, Limits::default()).err();
    let upper = Request {
        sha256: SHA.to_uppercase(),
        ..Request::default()
    };
    assert!(refused(upper).is_some_and(|e| e.starts_with("expected the file's SHA-256")));
    let many = Request {
        sha256: SHA.to_string(),
        events: vec![mark(2, true, ""); MAX_MARKS + 1],
        ..Request::default()
    };
    assert_eq!(
        refused(many),
        Some("expected at most 100000 verdicts of each kind".to_string())
    );
}

#[test]
fn notes_are_cut_and_quoted() {
    let long = "é,\"x\"".repeat(200);
    let request = Request {
        sha256: SHA.to_string(),
        events: vec![mark(2, true, &long)],
        ..Request::default()
    };
    let (csv, _) = write(FILE, request, Limits::default());
    let marks = read(&csv).expect("valid");
    assert_eq!(marks.events[0].note.chars().count(), NOTE_CHARS);
    assert!(long.starts_with(&marks.events[0].note));
}

#[test]
fn a_malformed_verdict_file_names_line_and_column() {
    let (good, _) = write(FILE, request(), Limits::default());
    let error = |text: &str| read(text).err().map(|e| e.to_string()).unwrap_or_default();
    // Line 3 is the benign event: column 8 its verdict.
    let maybe = good.replacen(",benign,ours,", ",maybe,ours,", 1);
    assert_eq!(
        error(&maybe),
        "v.csv, line 3, column 8 (verdict): expected \"attack\", \"benign\" or nothing, found \"maybe\""
    );
    let other = good.replacen(
        &format!("payload,{SHA}"),
        &format!("payload,{}", &SHA[..63]),
        1,
    );
    assert_eq!(
        error(&other),
        format!("v.csv, line 2, column 13 (verdict_file_sha256): expected a SHA-256 of 64 lower-case hex digits, found \"{}\"", &SHA[..63])
    );
    let mixed = good.replacen(
        &format!("open,1,5,,,,,,{SHA}"),
        &format!("open,1,5,,,,,,{}", SHA.replace('0', "1")),
        1,
    );
    assert!(error(&mixed).starts_with("v.csv, line 5, column 13 (verdict_file_sha256): expected the same SHA-256 as the rows before"));
    let renoted = good.replacen(
        "close,1,4,,,2,attack,payload",
        "close,1,4,,,2,attack,other",
        1,
    );
    assert!(error(&renoted).starts_with(
        "v.csv, line 4, column 11 (verdict_alert): expected the same verdict and note"
    ));
    let no_line = good.replacen(",0,3,benign", ",0,x,benign", 1);
    assert_eq!(
        error(&no_line),
        "v.csv, line 3, column 7 (verdict_line): expected a line number of the scored file (2 or more), found \"x\""
    );
    let header_only = good.lines().next().unwrap_or_default().to_string();
    assert_eq!(
        error(&header_only),
        "v.csv: the file has a header but no data rows"
    );
    assert!(
        error("a,b\n1,2\n").starts_with("v.csv, line 1: expected a column named \"verdict_line\"")
    );
    assert!(is_verdict_header(&records(&good).0));
    assert!(!is_verdict_header(&records(FILE).0));
}
