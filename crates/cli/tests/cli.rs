//! The native CLI end to end on the shipped sample and model: scoring keeps every row and
//! column, evaluation agrees with the library, training is reproducible, bad input exits
//! non-zero with one clear line.

use cyber_attack_detector::ingest::{read_events, Labels};
use cyber_attack_detector::model::Model;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_cyber-attack-detector");

/// The repository's top, where `data/` is: this crate lives in `crates/cli`.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(root())
        .output()
        .expect("the CLI runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cad-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn score_keeps_every_row_and_column_and_appends_score_and_verdict() {
    let out = scratch("scored.csv");
    let o = run(&[
        "score",
        "--model",
        "data/model.json",
        "--input",
        "data/sample.csv",
        "--output",
        out.to_str().unwrap_or(""),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    let mut input = csv::Reader::from_path(root().join("data/sample.csv")).expect("sample");
    let mut output = csv::Reader::from_path(&out).expect("scored");
    let in_header = input.headers().expect("header").clone();
    let out_header = output.headers().expect("header").clone();
    assert_eq!(out_header.len(), in_header.len() + 2);
    assert_eq!(&out_header[in_header.len()], "score");
    assert_eq!(&out_header[in_header.len() + 1], "verdict");

    let model =
        Model::from_json(&std::fs::read_to_string(root().join("data/model.json")).expect("model"))
            .expect("valid");
    let events = read_events(
        std::fs::File::open(root().join("data/sample.csv")).expect("sample"),
        "sample.csv",
        &model.schema(Labels::Optional),
    )
    .expect("sample parses");
    let expected = model.score(&events).expect("fields present");

    let rows_in: Vec<csv::StringRecord> = input.records().collect::<Result<_, _>>().expect("rows");
    let rows_out: Vec<csv::StringRecord> =
        output.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows_in.len(), 400);
    assert_eq!(rows_out.len(), rows_in.len());
    for (i, (a, b)) in rows_in.iter().zip(&rows_out).enumerate() {
        for k in 0..a.len() {
            assert_eq!(&a[k], &b[k], "row {i} column {k}");
        }
        let score: f32 = b[a.len()].parse().expect("score is a number");
        assert!(
            (score - expected[i]).abs() <= 1e-6,
            "row {i}: {score} vs {}",
            expected[i]
        );
        assert_eq!(
            &b[a.len() + 1],
            if score >= model.threshold { "1" } else { "0" }
        );
    }
}

#[test]
fn evaluate_prints_metrics_as_json() {
    let o = run(&[
        "evaluate",
        "--model",
        "data/model.json",
        "--input",
        "data/sample.csv",
        "--json",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    let c = &v["summary"]["confusion"];
    let total: u64 = ["tn", "fp", "fn", "tp"]
        .iter()
        .filter_map(|k| c[k].as_u64())
        .sum();
    assert_eq!(total, 400);
    assert_eq!(v["data"]["rows"], 400);
    assert!(
        v["summary"]["roc_auc"]
            .as_f64()
            .is_some_and(|auc| auc > 0.99),
        "{}",
        v["summary"]
    );
}

/// `holdout --data data/sample.csv` with `more` arguments.
fn holdout(more: &[&str]) -> Output {
    run(&[&["holdout", "--data", "data/sample.csv"][..], more].concat())
}

/// ip-10-100-1-79's sshd child of sshd exits (uid 0, no arguments, returns 0): labelled benign,
/// but its binarised features are exactly those of the cron jobs' `sh` exits of ip-10-100-1-120
/// and -173, both labelled suspicious (found by hand in the sample). Held out with seed 1:
const HELD_OUT_79: &str =
    "held-out host ip-10-100-1-79 (default): 1 false alarms of 3 benign, 0 detected of 0 \
     suspicious, threshold 0.680; 1 false alarms have the features of 2 training rows, 2 of them \
     labelled suspicious";

#[test]
fn holdout_scores_the_rows_of_a_host_never_trained_on() {
    // data/sample.csv holds 33 benign and 4 suspicious rows of ip-10-100-1-129 (counted by hand).
    let report = scratch("holdout.md");
    std::fs::write(&report, "# before\n").expect("report written");
    let o = holdout(&[
        "--host",
        "ip-10-100-1-129",
        "--presets",
        "default,names",
        "--seed",
        "1",
        "--report",
        report.to_str().unwrap_or(""),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let lines: Vec<String> = text(&o.stdout).lines().map(String::from).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    for (line, preset) in lines.iter().zip(["default", "names"]) {
        let head = format!("held-out host ip-10-100-1-129 ({preset}): ");
        assert!(line.starts_with(&head), "{line}");
        assert!(line.contains(" false alarms of 33 benign, "), "{line}");
        assert!(line.contains(" detected of 4 suspicious, "), "{line}");
    }
    let md = std::fs::read_to_string(&report).expect("report read");
    assert!(md.starts_with("# before\n## A host never trained on: `ip-10-100-1-129`"));
    assert!(md.contains("| seen in training | their labels: suspicious of rows |"));
    assert!(md.contains("\n| default | "));
    assert!(md.contains("\n| names | "));

    // ip-10-100-1-79's benign sshd exit, a false alarm with suspicious twins (HELD_OUT_79).
    let o = holdout(&["--host", "ip-10-100-1-79", "--seed", "1"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout).trim_end(), HELD_OUT_79);

    let o = holdout(&["--host", "ubuntu"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains(
        "no training row has that hostName; expected one of ip-10-100-1-120, ip-10-100-1-129, ip-10-100-1-173, ip-10-100-1-217, ip-10-100-1-28, ip-10-100-1-79"
    ));
}

/// Each of the sample's 6 hosts left out in turn: the same line per host as `--host` gives
/// (ip-10-100-1-79's, above), and the pooled section of the report.
#[test]
fn holdout_every_host_leaves_each_host_out_in_turn() {
    let report = scratch("every-host.md");
    std::fs::write(&report, "").expect("report written");
    let o = holdout(&[
        "--every-host",
        "--seed",
        "1",
        "--report",
        report.to_str().unwrap_or(""),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let lines: Vec<String> = text(&o.stdout).lines().map(String::from).collect();
    let hosts: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("held-out host ")?.split(' ').next())
        .collect();
    assert_eq!(
        hosts,
        [
            "ip-10-100-1-120",
            "ip-10-100-1-129",
            "ip-10-100-1-173",
            "ip-10-100-1-217",
            "ip-10-100-1-28",
            "ip-10-100-1-79"
        ]
    );
    assert_eq!(lines[5], HELD_OUT_79);
    let md = std::fs::read_to_string(&report).expect("report read");
    assert!(md.starts_with(
        "## Every host never trained on (leave one host out)\n\nFor each of the 6 hosts"
    ));
    let row = md.lines().find(|l| l.starts_with("| `ip-10-100-1-129` | "));
    let cells: Vec<&str> = row.unwrap_or_default().split(" | ").collect();
    assert!(
        cells.len() == 3 && cells[1].ends_with(" of 33") && cells[2].ends_with(" of 4 |"),
        "{md}"
    );
    // The 400 rows are 69 benign and 331 suspicious, every one scored once.
    assert!(md.contains(" of 69 benign), recall "), "{md}");
    assert!(
        md.contains(" of 331 suspicious); hosts with benign rows that got a false alarm: 1 of 3;"),
        "{md}"
    );

    for both in [&["--host", "ubuntu", "--every-host"][..], &[]] {
        let o = holdout(both);
        assert!(!o.status.success());
        assert!(text(&o.stderr).contains("holdout expects either --host <HOST> or --every-host"));
    }
}

#[test]
fn training_is_reproducible_bit_for_bit() {
    // Same command twice (the command is part of the provenance), same bytes out.
    let out = scratch("repro.json");
    let mut runs = Vec::new();
    for _ in 0..2 {
        let o = run(&[
            "train",
            "--data",
            "data/sample.csv",
            "--out",
            out.to_str().unwrap_or(""),
            "--seed",
            "3",
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        runs.push(std::fs::read(&out).expect("model written"));
    }
    let (a, b) = (&runs[0], &runs[1]);
    assert!(a == b, "two runs differ");
    let model = Model::from_json(&text(a)).expect("valid model");
    assert_eq!(model.training.config.seed, 3);
    assert!(model.training.cross_validation.is_some());
}

#[test]
fn bad_input_exits_non_zero_with_one_clear_line() {
    let bad = scratch("bad.csv");
    std::fs::write(
        &bad,
        "processId,parentProcessId,userId,argsNum,returnValue,sus\n1,0,0,1,0,0\n7,1,zero,1,0,1\n",
    )
    .expect("write");
    let out = scratch("never.csv");
    let o = run(&[
        "score",
        "--model",
        "data/model.json",
        "--input",
        bad.to_str().unwrap_or(""),
        "--output",
        out.to_str().unwrap_or(""),
    ]);
    assert!(!o.status.success());
    let err = text(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(
        err.trim(),
        "error: bad.csv, line 3, column 3 (userId): expected a number, found \"zero\""
    );
    assert!(!out.exists(), "no half-written output");

    let o = run(&[
        "evaluate",
        "--model",
        "Cargo.toml",
        "--input",
        "data/sample.csv",
    ]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).starts_with("error: Cargo.toml: model file, line 1, column"),
        "{}",
        text(&o.stderr)
    );

    let o = run(&["train", "--data", "data/nowhere", "--out", "x.json"]);
    assert_eq!(
        text(&o.stderr).trim(),
        "error: data/nowhere: no such file or directory"
    );

    let one_class = scratch("benign.csv");
    std::fs::write(
        &one_class,
        "processId,parentProcessId,userId,argsNum,returnValue,sus\n1,0,0,1,0,0\n2,0,0,1,0,0\n",
    )
    .expect("write");
    let o = run(&[
        "train",
        "--data",
        one_class.to_str().unwrap_or(""),
        "--out",
        scratch("m.json").to_str().unwrap_or(""),
    ]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains(
            "error: benign.csv: all 2 training rows have sus=0; training needs both benign (0) and suspicious (1) rows"
        ),
        "{}",
        text(&o.stderr)
    );

    let o = run(&["score", "--model", "data/model.json"]);
    assert_eq!(
        text(&o.stderr).trim(),
        "error: missing required option --input"
    );
}

#[test]
fn export_writes_the_libraries_onnx_bytes() {
    let out = scratch("model.onnx");
    let o = run(&[
        "export",
        "--model",
        "data/model.json",
        "--onnx",
        out.to_str().unwrap_or(""),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let model =
        Model::from_json(&std::fs::read_to_string(root().join("data/model.json")).expect("model"))
            .expect("valid");
    let bytes = std::fs::read(&out).expect("written");
    assert_eq!(bytes, cyber_attack_detector::export::to_onnx(&model));
    assert!(text(&o.stderr).contains(
        "ONNX, inputs processId, parentProcessId, userId, argsNum, returnValue, outputs score and verdict"
    ));

    let o = run(&["export", "--model", "data/model.json"]);
    assert_eq!(
        text(&o.stderr).trim(),
        "error: missing required option --onnx"
    );
    let never = scratch("never.onnx");
    let o = run(&[
        "export",
        "--model",
        "data/sample.csv",
        "--onnx",
        never.to_str().unwrap_or(""),
    ]);
    assert!(
        text(&o.stderr).starts_with("error: data/sample.csv: model file, line 1, column"),
        "{}",
        text(&o.stderr)
    );
    assert!(!never.exists());
}
