//! The wasm face as the page uses it, in headless Chromium: the shipped model scores like the
//! native CLI, training in the browser detects on held-out rows, every chart paints a real
//! canvas, and every kind of bad input comes back as a JS error, never a panic.
//!
//! Run with `make test-browser` (`wasm-pack test --headless --chrome`). Natively this file is
//! compiled out. `tests/fixtures/sample_scores.csv` is the CLI's output for the shipped sample:
//! `cyber-attack-detector score --model data/model.json --input data/sample.csv --output …`.
#![cfg(target_arch = "wasm32")]

use cyber_attack_detector_web::{Report, ScoreSession, TrainingSession};
use wasm_bindgen::{JsCast, JsError, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::SAMPLE;

const MODEL: &str = include_str!("../../../data/model.json");
const CLI_SCORES: &str = include_str!("../../../tests/fixtures/sample_scores.csv");

/// The message of an error thrown across the boundary.
fn message(error: JsError) -> String {
    js_sys::Error::from(JsValue::from(error)).message().into()
}

fn field(value: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(value, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// A plain JS object, as the page builds it.
fn js_object(value: &serde_json::Value) -> JsValue {
    use serde::Serialize;
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("serialisable")
}

/// Advances a session until it reports `finished`; errors are returned, not thrown.
fn run(mut advance: impl FnMut() -> Result<JsValue, JsError>) -> Result<Vec<JsValue>, String> {
    let mut reports = Vec::new();
    for _ in 0..100_000 {
        let progress = advance().map_err(message)?;
        let finished = field(&progress, "finished").as_bool() == Some(true);
        reports.push(progress);
        if finished {
            return Ok(reports);
        }
    }
    Err("the session never finished".into())
}

/// The CLI's scores of the sample rows, with each row's values of the fields `columns`.
fn cli_rows(columns: &[String]) -> Vec<(Vec<String>, f32)> {
    let mut reader = csv::Reader::from_reader(CLI_SCORES.as_bytes());
    let header = reader.headers().expect("a header").clone();
    let index = |name: &str| header.iter().position(|h| h == name).expect("column");
    let wanted: Vec<usize> = columns.iter().map(|c| index(c)).collect();
    let score = index("score");
    reader
        .records()
        .map(|record| {
            let record = record.expect("a row");
            let values = wanted.iter().map(|&i| record[i].to_string()).collect();
            (values, record[score].parse().expect("a score"))
        })
        .collect()
}

#[wasm_bindgen_test]
fn the_shipped_model_scores_single_events_like_the_cli() {
    let report = Report::from_own_json_js(MODEL).expect("the shipped model loads");
    let columns: Vec<String> = report
        .event_form()
        .fields
        .iter()
        .map(|f| f.column.to_string())
        .collect();
    let rows = cli_rows(&columns);
    assert_eq!(rows.len(), 400);
    for (values, expected) in rows {
        let explanation = report.explain_js(values.clone()).expect("numbers");
        // An f32 score crosses to JS as an f64 exactly: the same bits as the CLI's.
        let score = field(&explanation, "score").as_f64().expect("a score") as f32;
        assert_eq!(score, expected, "{values:?}: the CLI's score");
    }
}

#[wasm_bindgen_test]
fn a_streamed_unlabelled_file_is_scored_like_the_cli() {
    let bytes = common::unlabelled_sample();
    let mut session = ScoreSession::from_bytes(MODEL, bytes, "events.csv").expect("a valid header");
    let mut output = Vec::new();
    run(|| {
        let progress = session.advance_js();
        output.extend(session.take_output_js());
        progress
    })
    .expect("valid rows");
    let outcome = session.finish_js().expect("finished");
    assert_eq!(
        field(&outcome, "kind").as_string().as_deref(),
        Some("scored")
    );
    assert_eq!(field(&outcome, "rows").as_f64(), Some(400.0));

    let mut ours = csv::Reader::from_reader(output.as_slice());
    let mut cli = csv::Reader::from_reader(CLI_SCORES.as_bytes());
    // Every input column, then score and verdict; the CLI's file has the two labels too.
    let keep = ours.headers().expect("a header").len() - 2;
    let mut rows = 0;
    for (a, b) in ours.records().zip(cli.records()) {
        let (a, b) = (a.expect("a row"), b.expect("a row"));
        // The same bits as the CLI's scores (written as the shortest text that reads back to
        // the same f32), not just close.
        assert_eq!(&a[keep], &b[keep + 2], "score of row {rows}");
        assert_eq!(&a[keep + 1], &b[keep + 3], "verdict of row {rows}");
        rows += 1;
    }
    assert_eq!(rows, 400);
}

/// Trained in the browser on the shipped sample, the model must reach this ROC-AUC on its
/// 25% stratified held-out part (100 rows: 17 benign, 83 suspicious).
const HELD_OUT_AUC: f64 = 0.95;

#[wasm_bindgen_test]
fn training_on_the_sample_detects_on_the_held_out_rows() {
    let request = js_object(&serde_json::json!({
        "features": "binarised",
        "hidden": [16, 8],
        "learning_rate": 0.01,
        "steps": 300,
        "seed": 7,
        "holdout": 0.25,
    }));
    let mut session = TrainingSession::from_bytes(
        request,
        Some(MODEL.to_string()),
        SAMPLE.as_bytes().to_vec(),
        "sample.csv",
    )
    .expect("a valid request and file");
    let reports = run(|| session.advance_js()).expect("training runs");
    let losses: usize = reports
        .iter()
        .map(|p| field(p, "loss"))
        .filter(js_sys::Array::is_array)
        .map(|loss| js_sys::Array::from(&loss).length() as usize)
        .sum();
    assert_eq!(losses, 300, "one loss per step reaches the page");

    let model = session.finish_js().expect("a model file");
    let report = Report::from_json(&model).expect("the trained model loads");
    let evaluation = report.shown().expect("evaluated on the held-out rows");
    assert_eq!((evaluation.data.rows, evaluation.data.benign), (100, 17));
    let auc = evaluation.summary.roc_auc;
    assert!(
        auc >= HELD_OUT_AUC,
        "held-out ROC-AUC {auc} < {HELD_OUT_AUC}"
    );
    // The current model, compared on the same rows.
    assert_eq!(report.info().comparison.len(), 2);
}

/// Pixels of a canvas that differ from its top-left corner (the chart's background).
fn painted(id: &str) -> (usize, usize) {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let canvas: HtmlCanvasElement = document
        .get_element_by_id(id)
        .expect("the canvas")
        .dyn_into()
        .expect("a canvas");
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("a context")
        .expect("a 2d context")
        .dyn_into()
        .expect("a 2d context");
    let (w, h) = (canvas.width(), canvas.height());
    let data = context
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
        .expect("pixels")
        .data()
        .0;
    let corner = [data[0], data[1], data[2]];
    let differs = data
        .chunks_exact(4)
        .filter(|p| {
            p.iter()
                .zip(corner)
                .map(|(&a, b)| a.abs_diff(b) as u32)
                .sum::<u32>()
                > 30
        })
        .count();
    (differs, (w * h) as usize)
}

fn canvas(id: &str) {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .expect("a canvas")
        .dyn_into()
        .expect("a canvas");
    canvas.set_id(id);
    canvas.set_width(720);
    canvas.set_height(480);
    document
        .body()
        .expect("a body")
        .append_child(&canvas)
        .expect("appended");
}

#[wasm_bindgen_test]
fn every_chart_paints_its_canvas_in_both_themes() {
    let report = Report::from_own_json_js(MODEL).expect("loads");
    for dark in [false, true] {
        for chart in [
            "confusion",
            "roc",
            "pr",
            "histogram",
            "loss",
            "importance",
            "seeds",
        ] {
            let id = format!("{chart}-{dark}");
            canvas(&id);
            report.draw_js(chart, &id, 0.308, dark).expect("draws");
            let (differs, total) = painted(&id);
            // Data, not only a caption and a "no data" message.
            assert!(
                differs > total / 50,
                "{id}: {differs} of {total} pixels painted"
            );
        }
    }
    canvas("live-loss");
    let loss: Vec<f32> = (0..200).map(|i| 1.0 / (1.0 + i as f32 / 20.0)).collect();
    cyber_attack_detector_web::canvas::draw_loss("live-loss", &loss, false).expect("draws");
    assert!(painted("live-loss").0 > 720 * 480 / 50);
    let error = report
        .draw_js("pie", "live-loss", 0.5, false)
        .err()
        .map(message);
    assert_eq!(error.as_deref(), Some("unknown chart \"pie\""));
    let error = report
        .draw_js("roc", "nowhere", 0.5, false)
        .err()
        .map(message);
    assert_eq!(error.as_deref(), Some("no <canvas> with id \"nowhere\""));
}

/// Reads `text` as an uploaded file would be read; the error the page would show.
fn upload_error(text: &str) -> String {
    let mut session = match ScoreSession::from_bytes(MODEL, text.as_bytes().to_vec(), "upload.csv")
    {
        Ok(session) => session,
        Err(error) => return message(error),
    };
    match run(|| session.advance_js()) {
        Ok(_) => String::new(),
        Err(error) => error,
    }
}

#[wasm_bindgen_test]
fn every_kind_of_bad_input_is_an_error_with_its_reason() {
    let header = SAMPLE.lines().next().expect("a header");
    let cases = [
        (
            String::new(),
            "upload.csv: the file is empty; expected a CSV header line",
        ),
        (
            format!("{header}\n"),
            "upload.csv: the file has a header but no data rows",
        ),
        (
            "processId,eventName\n1,close\n".to_string(),
            "expected a column named \"parentProcessId\"",
        ),
        (
            SAMPLE.replacen(",7337,1,100,", ",7337,1,root,", 1),
            "upload.csv, line 2, column 5 (userId): expected a number, found \"root\"",
        ),
    ];
    for (text, expected) in cases {
        let error = upload_error(&text);
        assert!(error.contains(expected), "{error:?} lacks {expected:?}");
    }

    let bad_json = Report::from_own_json_js("{\"format\": ")
        .err()
        .map(message)
        .unwrap_or_default();
    assert!(
        bad_json.starts_with("model file, line 1, column"),
        "{bad_json}"
    );
    let future = MODEL.replacen("\"version\": 1", "\"version\": 7", 1);
    let future = Report::from_own_json_js(&future)
        .err()
        .map(message)
        .unwrap_or_default();
    assert!(
        future.contains("format version 7, newer than this build reads"),
        "{future}"
    );

    let report = Report::from_own_json_js(MODEL).expect("loads");
    let typed = report
        .explain_js(vec!["x".into(); 5])
        .err()
        .map(message)
        .unwrap_or_default();
    assert!(typed.contains("expected a number, found \"x\""), "{typed}");
    let costs = report
        .costs_js(0.5, -1.0, 1.0)
        .err()
        .map(message)
        .unwrap_or_default();
    assert_eq!(
        costs,
        "costs must be numbers from 0 to 1e12; found -1 for a missed attack and 1 for a false alarm"
    );

    let refusal = |request: serde_json::Value| {
        let bytes = SAMPLE.as_bytes().to_vec();
        let training = TrainingSession::from_bytes(js_object(&request), None, bytes, "sample.csv");
        training.err().map(message).unwrap_or_default()
    };
    let layers = refusal(serde_json::json!({
        "features": "binarised", "hidden": [], "learning_rate": 0.01, "steps": 10, "seed": 1, "holdout": 0.25,
    }));
    assert!(
        layers.starts_with("layers: expected 1 to 6 hidden layer widths"),
        "{layers}"
    );
    // Data fields cross in snake_case only, as the model file spells them: not camelCase.
    let spelling = refusal(serde_json::json!({
        "features": "binarised", "hidden": [8], "learningRate": 0.01, "steps": 10, "seed": 1, "holdout": 0.25,
    }));
    assert!(
        spelling.ends_with("missing field `learning_rate`"),
        "{spelling}"
    );
}
