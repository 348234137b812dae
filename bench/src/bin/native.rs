//! Native figures of the core, and the data the numpy reference (bench/reference.py) runs on.
//!
//! `native <dir>` reads `<dir>/resampled-test-188967.csv` and `data/model.json`, then:
//! - scores the shipped model's features (events/s);
//! - fits the reference recipe's features on the same rows, trains its network for the recipe's
//!   30 steps and writes, for reference.py, the feature matrix (`reference-x.f32`), the labels
//!   (`reference-y.u8`), the trained network (`reference-mlp.json`) and our scores of it
//!   (`reference-scores.f32`);
//! - times scoring with that network (events/s) and steps of the reference recipe (steps/s);
//! - times the page's session (`ScoreSession`, natively) evaluating the same rows with 80,000
//!   distinct hosts against the same rows with one host: interning hosts must stay linear;
//! - times reading every numeric field and the labels of the CSV and of the same rows as Tracee
//!   JSON lines (`resampled-test-188967.jsonl`, written by bench/tracee_lines.py), in MB/s.
//!
//! - times the whole scoring path, reading (the model's fields only), features (as scoring
//!   computes them: a batch, rows into a reused buffer, one thread) and network (every core),
//!   and the model's own scoring end to end (`score_s`: features and network in chunks on every
//!   core, as the CLI scores), of the shipped model and of `tests/fixtures/names_model.json`
//!   (processName and eventName tokens): what the text fields and each added feature cost
//!   (`names_cost`; `slower_by` sums the stages, `slower_by_end_to_end` is read plus score).
//!
//! `native <dir> parse` gives the reading figures only (for profiling); `native <dir> names`
//! only the scoring path of both models.
//!
//! Scoring is timed on one thread per core (the rows split into one run per thread, as the CLI
//! scores) and on one thread (the `_1_thread` figures).
//!
//! Every figure is the median of 5 timed runs after a warm-up. Prints one JSON object.

// A benchmark program reports on stdout and stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use cad_bench::{feature_rows, layers_json, read, Training};
use cyber_attack_detector::features::{FeatureSet, FeatureSpec};
use cyber_attack_detector::ingest::{Events, Field, Labels};
use cyber_attack_detector::model::{Mlp, Model, Scorer, Scratch, TrainConfig};
use cyber_attack_detector_web::{Outcome, ScoreSession, Source};
use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

const RUNS: usize = 5;
/// Steps per timed training run: the reference recipe's whole run.
const STEPS: usize = 30;
/// Distinct hosts of the many-hosts session figure.
const HOSTS: usize = 80_000;

/// Median wall time of `RUNS` calls of `f` after one untimed call, in seconds.
fn median_seconds(mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}

/// Events per second of `mlp` scoring `x` (rows × inputs) on `threads` threads.
fn scoring_rate(mlp: &Mlp, x: &[f32], threads: usize) -> f64 {
    let mut scores = vec![0.0; x.len() / mlp.inputs()];
    let mut scratches = vec![Scratch::default(); threads];
    let seconds = median_seconds(|| mlp.score_parallel(x, &mut scores, &mut scratches));
    scores.len() as f64 / seconds
}

/// The threads natively scored on: one per core, as the CLI does (and numpy's BLAS).
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// `csv` with the `hostName` of row `i` replaced by `host(i)`.
fn with_hosts(csv: &[u8], host: impl Fn(usize) -> String) -> Result<Rc<[u8]>, String> {
    let mut reader = csv::Reader::from_reader(csv);
    let header = reader.byte_headers().map_err(|e| e.to_string())?.clone();
    let column = header
        .iter()
        .position(|name| name == b"hostName")
        .ok_or("the CSV has no hostName column")?;
    let mut out = Vec::with_capacity(csv.len());
    let mut writer = csv::Writer::from_writer(&mut out);
    writer
        .write_byte_record(&header)
        .map_err(|e| e.to_string())?;
    for (i, record) in reader.byte_records().enumerate() {
        let record = record.map_err(|e| e.to_string())?;
        let mut changed = csv::ByteRecord::new();
        for (k, field) in record.iter().enumerate() {
            match k == column {
                true => changed.push_field(host(i).as_bytes()),
                false => changed.push_field(field),
            }
        }
        writer
            .write_byte_record(&changed)
            .map_err(|e| e.to_string())?;
    }
    writer.flush().map_err(|e| e.to_string())?;
    drop(writer);
    Ok(out.into())
}

/// The page's session evaluating the labelled `csv` to the end; returns its number of hosts.
fn evaluate_in_session(model: &Model, csv: &Rc<[u8]>) -> Result<usize, String> {
    let source = Source::bytes(Rc::clone(csv));
    let mut session =
        ScoreSession::new(model.clone(), source, "hosts.csv").map_err(|e| e.to_string())?;
    while !session.advance().map_err(|e| e.to_string())?.finished {}
    match session.finish().map_err(|e| e.to_string())? {
        Outcome::Evaluated { evaluation, .. } => {
            Ok(evaluation.hosts.len() + evaluation.hosts_omitted)
        }
        Outcome::Scored(_) => Err("the CSV is not labelled".to_string()),
        Outcome::Verdicts(_) => Err("the CSV is a verdict file".to_string()),
    }
}

/// Seconds the page's session takes to evaluate `csv`, after checking it sees `hosts` hosts.
fn session_seconds(model: &Model, csv: &Rc<[u8]>, hosts: usize) -> Result<f64, String> {
    let seen = evaluate_in_session(model, csv)?;
    if seen != hosts {
        return Err(format!("the session saw {seen} hosts, not {hosts}"));
    }
    Ok(median_seconds(|| {
        let _ = evaluate_in_session(model, csv);
    }))
}

fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// MB/s (10⁶ bytes) of reading every numeric field and the labels of `bytes` (CSV or JSON lines).
fn parse_rate(bytes: &[u8]) -> Result<f64, String> {
    let all = || read(bytes, Field::ALL.to_vec(), Labels::Optional);
    all()?;
    Ok(bytes.len() as f64 / 1e6 / median_seconds(|| drop(all())))
}

/// Seconds of each stage of scoring `csv` with the model file `path` (relative to the
/// workspace): reading the model's fields, computing its features, the network on every core.
fn scoring_path(csv: &[u8], path: &str) -> Result<serde_json::Value, String> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    let json = std::fs::read_to_string(&full).map_err(|e| format!("{path}: {e}"))?;
    let model = Model::from_json(&json).map_err(|e| format!("{path}: {e}"))?;
    let events = read(csv, model.spec.fields(), Labels::Optional)?;
    let x = feature_rows(&model.spec, &events)?;
    let read_s = median_seconds(|| {
        let _ = read(csv, model.spec.fields(), Labels::Optional);
    });
    let features_s = feature_seconds(&model.spec, &events)?;
    let network_s = events.len() as f64 / scoring_rate(&model.mlp, &x, cores());
    let mut scorer = Scorer::default();
    let mut scores = Vec::with_capacity(events.len());
    let score_s = median_seconds(|| {
        scores.clear();
        let _ = model.score_into(&events, &mut scorer, &mut scores);
    });
    Ok(serde_json::json!({
        "model": path,
        "features": model.spec.len(),
        "fields": model.spec.fields().len(),
        "rows": events.len(),
        "read_s": read_s,
        "features_s": features_s,
        "network_s": network_s,
        "score_s": score_s,
    }))
}

/// Seconds of computing the features of every row of `events` as scoring does, on one thread:
/// the spec's batch (each distinct text coded once), then each row into a buffer of 1,024 rows
/// used again and again.
fn feature_seconds(spec: &FeatureSpec, events: &Events) -> Result<f64, String> {
    const CHUNK: usize = 1024;
    let missing = |f: Field| format!("missing column {}", f.column());
    spec.batch(events).map_err(missing)?;
    let width = spec.len();
    let mut buffer = vec![0f32; CHUNK * width];
    Ok(median_seconds(|| {
        if let Ok(batch) = spec.batch(events) {
            for i in 0..events.len() {
                let r = i % CHUNK;
                batch.row(i, &mut buffer[r * width..(r + 1) * width]);
                if r == CHUNK - 1 {
                    std::hint::black_box(&mut buffer);
                }
            }
        }
        std::hint::black_box(&mut buffer);
    }))
}

/// The shipped model's scoring path against the names model's, and the cost of each feature
/// the names model adds, in nanoseconds per event (its extra features and network time over
/// the features it adds).
fn names_figures(dir: &Path) -> Result<serde_json::Value, String> {
    let csv = read_file(&dir.join("resampled-test-188967.csv"))?;
    let shipped = scoring_path(&csv, "data/model.json")?;
    let names = scoring_path(&csv, "tests/fixtures/names_model.json")?;
    let number = |v: &serde_json::Value, key: &str| v[key].as_f64().unwrap_or(f64::NAN);
    let rows = number(&shipped, "rows");
    let total = |v: &serde_json::Value| {
        number(v, "read_s") + number(v, "features_s") + number(v, "network_s")
    };
    let end_to_end = |v: &serde_json::Value| number(v, "read_s") + number(v, "score_s");
    let added = number(&names, "features") - number(&shipped, "features");
    let extra = |key: &str| (number(&names, key) - number(&shipped, key)) * 1e9 / rows;
    Ok(serde_json::json!({
        "shipped": shipped,
        "names": names,
        "names_cost": {
            "slower_by": total(&names) / total(&shipped) - 1.0,
            "slower_by_end_to_end": end_to_end(&names) / end_to_end(&shipped) - 1.0,
            "added_features": added,
            "read_ns_per_event": extra("read_s"),
            "features_ns_per_event_per_added_feature": extra("features_s") / added,
            "network_ns_per_event_per_added_feature": extra("network_s") / added,
        },
    }))
}

/// The reading figures: the CSV and the same rows as Tracee JSON lines.
fn parse_figures(dir: &Path) -> Result<serde_json::Value, String> {
    let csv = read_file(&dir.join("resampled-test-188967.csv"))?;
    let json = read_file(&dir.join("resampled-test-188967.jsonl"))?;
    Ok(serde_json::json!({
        "parse_mb_per_s": parse_rate(&csv)?,
        "tracee_parse_mb_per_s": parse_rate(&json)?,
    }))
}

fn run(dir: &Path) -> Result<serde_json::Value, String> {
    let csv = read_file(&dir.join("resampled-test-188967.csv"))?;
    let model_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/model.json");
    let model_json = std::fs::read_to_string(&model_path).map_err(|e| e.to_string())?;
    let model = Model::from_json(&model_json).map_err(|e| e.to_string())?;
    let events = read(&csv, model.spec.fields(), Labels::Optional)?;
    let shipped_x = feature_rows(&model.spec, &events)?;
    let shipped_rate = scoring_rate(&model.mlp, &shipped_x, cores());
    let shipped_rate_1 = scoring_rate(&model.mlp, &shipped_x, 1);

    let set = FeatureSet::Reference;
    let mut training = Training::with(&csv, set, TrainConfig::reference())?;
    training.steps(STEPS);
    let mlp = training.network().clone();
    let x = training.rows();
    let mut scores = vec![0.0; x.len() / mlp.inputs()];
    mlp.score(x, &mut scores, &mut Scratch::default());
    let labelled = read(&csv, FeatureSpec::fields_of(set), Labels::Required)?;
    write(&dir.join("reference-x.f32"), &f32_bytes(x))?;
    write(
        &dir.join("reference-y.u8"),
        &labelled.sus.unwrap_or_default(),
    )?;
    write(&dir.join("reference-scores.f32"), &f32_bytes(&scores))?;
    let layers = serde_json::json!({ "layers": layers_json(&mlp) });
    write(
        &dir.join("reference-mlp.json"),
        layers.to_string().as_bytes(),
    )?;
    let reference_rate = scoring_rate(&mlp, x, cores());
    let reference_rate_1 = scoring_rate(&mlp, x, 1);
    let step_seconds = median_seconds(|| {
        training.steps(STEPS);
    }) / STEPS as f64;
    let many = with_hosts(&csv, |i| format!("host-{}", i % HOSTS))?;
    let one = with_hosts(&csv, |_| "host".to_string())?;
    let many_hosts_seconds = session_seconds(&model, &many, HOSTS)?;
    let one_host_seconds = session_seconds(&model, &one, 1)?;
    let parsing = parse_figures(dir)?;
    let names = names_figures(dir)?;
    Ok(serde_json::json!({
        "scoring_path": names,
        "rows": scores.len(),
        "scoring_threads": cores(),
        "shipped_scoring_events_per_s": shipped_rate,
        "shipped_scoring_events_per_s_1_thread": shipped_rate_1,
        "reference_scoring_events_per_s": reference_rate,
        "reference_scoring_events_per_s_1_thread": reference_rate_1,
        "reference_train_steps_per_s": 1.0 / step_seconds,
        "session_80000_hosts_s": many_hosts_seconds,
        "session_1_host_s": one_host_seconds,
        "parse_mb_per_s": parsing["parse_mb_per_s"],
        "tracee_parse_mb_per_s": parsing["tracee_parse_mb_per_s"],
    }))
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: native <dir with resampled-test-188967.csv and .jsonl> [parse|names]");
        std::process::exit(2);
    };
    let figures = match std::env::args().nth(2).as_deref() {
        Some("parse") => parse_figures(Path::new(&dir)),
        Some("names") => names_figures(Path::new(&dir)),
        _ => run(Path::new(&dir)),
    };
    match figures {
        Ok(figures) => println!("{figures:#}"),
        Err(e) => {
            eprintln!("native: {e}");
            std::process::exit(1);
        }
    }
}
