//! The anomaly model through the CLI: trained on a file without labels, it is reproducible, its
//! threshold keeps the budget on its own rows, and `evaluate`, `score` and `alerts` take it.

use cyber_attack_detector::model::{AnomalyModel, Detect, Estimator};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_cyber-attack-detector");

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

fn scratch(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("cad-anomaly-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name).to_string_lossy().into_owned()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `data/sample.csv` without its `sus` and `evil` columns.
fn unlabelled() -> String {
    without(
        &root().join("data/sample.csv"),
        &["sus", "evil"],
        "unlabelled.csv",
    )
}

/// A scratch copy `name` of the CSV `from` without the columns `dropped`, each of which it has.
fn without(from: &Path, dropped: &[&str], name: &str) -> String {
    let path = scratch(name);
    let mut reader = csv::Reader::from_path(from).expect("a CSV");
    let mut writer = csv::Writer::from_path(&path).expect("scratch file");
    let header = reader.headers().expect("header").clone();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| !dropped.contains(&&header[i]))
        .collect();
    assert_eq!(keep.len() + dropped.len(), header.len(), "{header:?}");
    let kept = |record: &csv::StringRecord| {
        keep.iter()
            .map(|&i| record[i].to_string())
            .collect::<Vec<_>>()
    };
    writer.write_record(kept(&header)).expect("writes");
    for record in reader.records() {
        writer
            .write_record(kept(&record.expect("a row")))
            .expect("writes");
    }
    writer.flush().expect("flushes");
    path
}

#[test]
fn trained_without_labels_it_evaluates_scores_and_alerts() {
    let input = unlabelled();
    let a = scratch("a.json");
    let mut written = Vec::new();
    for _ in 0..2 {
        let o = run(&[
            "train", "--preset", "anomaly", "--data", &input, "--out", &a, "--budget", "500",
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("fitting on 400 rows"),
            "{}",
            text(&o.stderr)
        );
        written.push(std::fs::read_to_string(&a).expect("written"));
    }
    assert_eq!(written[0], written[1], "reproducible");
    let json = &written[0];
    let model = AnomalyModel::from_json(json).expect("loads");
    // The preset's method: a histogram per feature of the paper's seven.
    let Estimator::Histogram(h) = &model.estimator else {
        panic!("histograms");
    };
    assert_eq!(h.features.len(), 7);
    assert_eq!(h.rows, 400);
    // 500 per 10,000 of 400 rows: at most 20 alerts among the held-out scores.
    assert_eq!(model.training.held_out, 400);
    assert!(model.training.held_out_flagged <= 20);
    assert!(model.evaluation.is_none());

    let o = run(&["evaluate", "--model", &a, "--input", "data/sample.csv"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let report = text(&o.stdout);
    assert!(report.contains("(label `sus`)"), "{report}");
    assert!(report.contains("| on `evil` | anomaly model |"), "{report}");

    let scored = scratch("scored.csv");
    let o = run(&[
        "score",
        "--model",
        &a,
        "--input",
        "data/sample.csv",
        "--output",
        &scored,
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let mut reader = csv::Reader::from_path(&scored).expect("scored");
    let header = reader.headers().expect("header").clone();
    assert_eq!(&header[header.len() - 2], "score");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), 400);
    for row in &rows {
        let score: f32 = row[header.len() - 2].parse().expect("a number");
        let verdict = &row[header.len() - 1];
        assert_eq!(verdict == "1", model.is_suspicious(score));
    }

    let alerts = scratch("alerts.ndjson");
    let o = run(&[
        "alerts",
        "--model",
        &a,
        "--input",
        "data/sample.csv",
        "--output",
        &alerts,
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("grouped 400 rows"),
        "{}",
        text(&o.stderr)
    );
    // A histogram keeps no training inputs: no alert says what training said of it.
    let written = std::fs::read_to_string(&alerts).expect("written");
    assert!(written.lines().count() > 0, "{written}");
    assert!(!written.contains("in_training"), "{written}");

    // Exported like a supervised model (checked in ONNX Runtime by `make onnx-check`).
    let o = run(&["export", "--model", &a, "--onnx", &scratch("a.onnx")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("outputs score and verdict"));
}

#[test]
fn too_few_rows_and_a_bad_budget_are_refused() {
    let o = run(&[
        "train",
        "--preset",
        "anomaly",
        "--data",
        "data/sample.csv",
        "--out",
        &scratch("x.json"),
        "--budget",
        "20000",
    ]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr)
            .contains("--budget expects alerts per 10,000 events, 0 to 10000, found \"20000\""),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn the_forest_is_one_flag_away_and_an_unknown_method_is_refused() {
    let out = scratch("forest.json");
    let o = run(&[
        "train",
        "--preset",
        "anomaly",
        "--method",
        "forest",
        "--data",
        "data/sample.csv",
        "--out",
        &out,
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("(isolation forest): fitting on"));
    let model =
        AnomalyModel::from_json(&std::fs::read_to_string(&out).expect("written")).expect("loads");
    let Estimator::Forest(forest) = &model.estimator else {
        panic!("a forest");
    };
    assert_eq!(forest.trees.len(), 300);
    let o = run(&[
        "train",
        "--preset",
        "anomaly",
        "--method",
        "tree",
        "--data",
        "data/sample.csv",
        "--out",
        &scratch("y.json"),
    ]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("--method expects forest or histogram, found \"tree\""),
        "{}",
        text(&o.stderr)
    );
}

/// A file without mountNamespace: `train` fits the anomaly model on it as in the host's
/// namespace and `score` scores it so, each saying it; Tracee's v1beta1 form is refused for its
/// eventId, naming the field.
#[test]
fn without_a_mount_namespace_it_trains_and_scores_and_says_so() {
    let path = without(
        Path::new(&unlabelled()),
        &["mountNamespace"],
        "no-namespace.csv",
    );
    let note = "note: no-namespace.csv has no mountNamespace (Tracee's current JSON form does not \
                write it): its events were read as in the host's own mount namespace, so a \
                container's process looks like the host's";
    let model = scratch("no-namespace.json");
    let trained = run(&[
        "train", "--preset", "anomaly", "--data", &path, "--out", &model,
    ]);
    assert!(trained.status.success(), "{}", text(&trained.stderr));
    assert!(
        text(&trained.stderr).contains(note),
        "{}",
        text(&trained.stderr)
    );
    let out = scratch("no-namespace-scored.csv");
    let scored = run(&[
        "score",
        "--model",
        "data/anomaly.json",
        "--input",
        &path,
        "--output",
        &out,
    ]);
    assert!(scored.status.success(), "{}", text(&scored.stderr));
    assert!(
        text(&scored.stderr).contains(note),
        "{}",
        text(&scored.stderr)
    );
    let v1beta1 = run(&[
        "score",
        "--model",
        "data/anomaly.json",
        "--input",
        "tests/fixtures/tracee/v1beta1.jsonl",
        "--output",
        &out,
    ]);
    assert!(!v1beta1.status.success());
    assert!(
        text(&v1beta1.stderr)
            .contains("v1beta1.jsonl, line 1, field id: this model reads BETH's eventId"),
        "{}",
        text(&v1beta1.stderr)
    );
}
