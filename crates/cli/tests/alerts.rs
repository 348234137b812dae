//! `alerts`: data/sample.csv and Tracee's documented events (tests/fixtures/tracee/) grouped into
//! ranked ECS NDJSON, checked against values counted by hand from those files; standard input
//! and output, gzip, `--top`, and bad input leaving no output behind.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cyber-attack-detector");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `alerts` with the shipped model on `input`, writing to `output`, with `more` arguments.
fn alerts(input: &Path, output: &Path, more: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .arg("alerts")
        .arg("--model")
        .arg(root().join("data/model.json"))
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(output)
        .args(more)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    let mut input = child.stdin.take().expect("a pipe to its standard input");
    input.write_all(stdin).expect("the input is written");
    drop(input);
    child.wait_with_output().expect("the CLI ends")
}

/// Each line of `ndjson`, parsed; every line must be one JSON object.
fn lines(ndjson: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(ndjson).expect("UTF-8");
    assert!(text.is_empty() || text.ends_with('\n'));
    text.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("a JSON line");
            assert!(value.is_object(), "{line}");
            value
        })
        .collect()
}

fn stdout_alerts(input: &Path, more: &[&str]) -> Vec<Value> {
    let out = alerts(input, Path::new("-"), more, b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    lines(&out.stdout)
}

/// Every line carries the ECS fields, ranks count up from 1 and priorities never rise.
fn check_ranked(alerts: &[Value]) {
    let mut last = f64::INFINITY;
    for (i, alert) in alerts.iter().enumerate() {
        for path in [
            "/@timestamp",
            "/ecs/version",
            "/event/kind",
            "/event/action",
            "/event/risk_score",
            "/event/count",
            "/host/name",
            "/process/name",
            "/cyber_attack_detector/priority",
            "/cyber_attack_detector/suspicious_count",
            "/cyber_attack_detector/ancestry",
        ] {
            assert!(alert.pointer(path).is_some(), "{path} in {alert}");
        }
        assert_eq!(alert["event"]["kind"], "alert");
        let custom = &alert["cyber_attack_detector"];
        assert_eq!(custom["rank"], i as u64 + 1);
        let priority = custom["priority"].as_f64().expect("a number");
        assert!(priority <= last, "{priority} after {last}");
        last = priority;
        let risk = alert["event"]["risk_score"].as_f64().expect("a number");
        assert!((0.0..=100.0).contains(&risk));
    }
}

#[test]
fn the_attacking_process_ranks_first_on_the_sample() {
    let alerts = stdout_alerts(&root().join("data/sample.csv"), &[]);
    // 32 processes on 5 hosts in the 400 rows; 22 have an event at or above 0.308.
    assert_eq!(alerts.len(), 22);
    check_ranked(&alerts);
    // The sample's 282 rows of tsm (pid 7555 on ip-10-100-1-217, parent 7548, user 1001):
    // 277 connect, 4 socket, 1 close, at 461.123326 to 496.596219 s since boot, every one
    // scored 1.0 by the shipped model: priority 1 × (1 + log10 282) = 3.4502.
    let first = &alerts[0];
    assert_eq!(first["host"]["name"], "ip-10-100-1-217");
    assert_eq!(first["process"]["pid"], 7555);
    assert_eq!(first["process"]["name"], "tsm");
    assert_eq!(first["process"]["parent"]["pid"], 7548);
    assert_eq!(first["user"]["id"], "1001");
    assert_eq!(first["event"]["count"], 282);
    assert_eq!(
        first["event"]["action"],
        serde_json::json!(["connect", "socket", "close"])
    );
    assert_eq!(first["event"]["risk_score"], 100.0);
    assert_eq!(first["@timestamp"], "1970-01-01T00:07:41.123326Z");
    assert_eq!(first["event"]["end"], "1970-01-01T00:08:16.596219Z");
    let custom = &first["cyber_attack_detector"];
    assert_eq!(custom["suspicious_count"], 282);
    assert_eq!(custom["priority"], 3.4502);
    assert_eq!(custom["clock"], "since_boot");
    assert_eq!(custom["first_seconds"], 461.123326);
    assert_eq!(custom["last_seconds"], 496.596219);
    assert_eq!(
        custom["event_counts"],
        serde_json::json!([
            {"name": "connect", "count": 277},
            {"name": "socket", "count": 4},
            {"name": "close", "count": 1}
        ])
    );
    // No training row had tsm's inputs (a user's process under a user's parent whose call
    // failed, 3 arguments): its score is the network extrapolating. 15 of the 22 alerts' top
    // events had training rows with exactly their inputs, as the page's list says.
    assert_eq!(
        custom["in_training"],
        serde_json::json!({"rows": 0, "suspicious": 0, "rows_not_kept": 0})
    );
    let backed = alerts
        .iter()
        .filter(|a| a["cyber_attack_detector"]["in_training"]["rows"].as_u64() > Some(0));
    assert_eq!(backed.count(), 15);
}

#[test]
fn tracee_events_become_wall_clock_alerts() {
    let alerts = stdout_alerts(&root().join("tests/fixtures/tracee/flat.jsonl"), &[]);
    // Three processes: vlc's three identical net_packet_tcp events, cri-dockerd's execve and
    // dpkg's "New executable dropped"; vlc's three events outweigh one each.
    assert_eq!(alerts.len(), 3);
    check_ranked(&alerts);
    let names: Vec<&str> = alerts
        .iter()
        .map(|a| a["process"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["vlc", "cri-dockerd", "dpkg"]);
    let vlc = &alerts[0];
    assert_eq!(
        (&vlc["process"]["pid"], &vlc["host"]["name"]),
        (&1014858.into(), &"rugged".into())
    );
    assert_eq!(vlc["process"]["parent"]["pid"], 1729);
    assert_eq!(vlc["event"]["count"], 3);
    // 1696255674450496178 and 1696255674459439720 ns since the epoch.
    assert_eq!(vlc["@timestamp"], "2023-10-02T14:07:54.450496Z");
    assert_eq!(vlc["event"]["end"], "2023-10-02T14:07:54.459440Z");
    assert_eq!(vlc["cyber_attack_detector"]["clock"], "wall");
    // The three events are one entry ×3: two folded into the first.
    assert_eq!(vlc["cyber_attack_detector"]["collapsed_repeats"], 2);
    // As `score`'s note says of the file: vlc's packets and dpkg's dropped executable are new
    // to the model, cri-dockerd's execve (a root process under a root parent) is not.
    let rows: Vec<Option<u64>> = alerts
        .iter()
        .map(|a| a["cyber_attack_detector"]["in_training"]["rows"].as_u64())
        .collect();
    assert!(
        rows[0] == Some(0) && rows[1] > Some(0) && rows[2] == Some(0),
        "{rows:?}"
    );

    let alerts = stdout_alerts(&root().join("tests/fixtures/tracee/v1beta1.jsonl"), &[]);
    assert_eq!(alerts.len(), 1);
    let bash = &alerts[0];
    // The current form: no host name; pid, parent and user from `workload.process`.
    assert_eq!(bash["host"]["name"], "(unknown)");
    assert_eq!(bash["process"]["pid"], 12345);
    assert_eq!(bash["process"]["name"], "bash");
    assert_eq!(bash["process"]["parent"]["pid"], 1234);
    assert_eq!(bash["user"]["id"], "1000");
    assert_eq!(
        bash["event"]["action"],
        serde_json::json!(["sched_process_exec"])
    );
    assert_eq!(bash["@timestamp"], "2024-11-24T13:20:00.123457Z");
}

#[test]
fn gzip_from_standard_input_and_top() {
    let plain = std::fs::read(root().join("data/sample.csv")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&plain).unwrap();
    let gz = gz.finish().unwrap();
    let out = alerts(Path::new("-"), Path::new("-"), &["--top", "3"], &gz);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let top = lines(&out.stdout);
    let all = stdout_alerts(&root().join("data/sample.csv"), &[]);
    assert_eq!(top, all[..3]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("grouped 400 rows of standard input into 32 processes, 22 of them alerts"),
        "{stderr}"
    );
}

#[test]
fn bad_input_leaves_the_output_as_it_was() {
    let dir = std::env::temp_dir().join(format!("cad-alerts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("bad.csv");
    std::fs::write(
        &input,
        "processId,parentProcessId,userId,argsNum,returnValue\n1,0,0,1,0\n2,1,zero,1,0\n",
    )
    .unwrap();
    let output = dir.join("alerts.ndjson");
    std::fs::write(&output, "kept\n").unwrap();
    let out = alerts(&input, &output, &[], b"");
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "error: bad.csv, line 3, column 3 (userId): expected a number, found \"zero\""
    );
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "kept\n");
    let out = alerts(
        &root().join("data/sample.csv"),
        &output,
        &["--top", "0"],
        b"",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "error: --top expects a whole number of at least 1, found \"0\""
    );
    // A good run replaces the file with one line per alert and nothing else in the folder.
    let out = alerts(
        &root().join("data/sample.csv"),
        &output,
        &["--top", "2"],
        b"",
    );
    assert!(out.status.success());
    assert_eq!(lines(&std::fs::read(&output).unwrap()).len(), 2);
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
