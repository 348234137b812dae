//! Every malformed-input class of docs/HOSTILE.md, through the wasm face exactly as the page
//! drives it (`ScoreSession.fromBytes`, `TrainingSession.fromBytes`, `Digest.check`, `Report.fromOwnJson`), in
//! headless Chromium. Each refused input must come back as a JS `Error` with the core's exact
//! message (the CLI prints the same text after `error: `); each accepted one must be read
//! with nothing lost. The native side of the same classes is `crates/cli/tests/hostile.rs` and
//! `tests/ingest.rs`.
//!
//! Run with `make test-browser` (`wasm-pack test --headless --chrome`). Natively this file is
//! compiled out. `tests/fixtures/truncated.csv.gz` is the file of docs/HOSTILE.md's table:
//! `gzip -9 -n -c data/sample.csv | head -c 4000`.
#![cfg(target_arch = "wasm32")]

#[path = "../../../tests/support/absurd_train.rs"]
mod absurd_train;

use cyber_attack_detector_web::{Digest, Report, ScoreSession, TrainingSession};
use serde_json::{json, Value};
use std::io::Write;
use wasm_bindgen::{JsError, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const MODEL: &str = include_str!("../../../data/model.json");
const SAMPLE: &str = include_str!("../../../data/sample.csv");
const TRUNCATED_GZ: &[u8] = include_bytes!("../../../tests/fixtures/truncated.csv.gz");
/// The header of most files below: docs/HOSTILE.md's `$H`.
const H: &str = "processId,parentProcessId,userId,argsNum,returnValue,sus";
/// `$H` without its label: files that are scored rather than evaluated.
const U: &str = "processId,parentProcessId,userId,argsNum,returnValue";

// --- driving the face as the page's worker does ------------------------------------------------

/// The message of an error thrown across the boundary.
fn message(error: JsError) -> String {
    js_sys::Error::from(JsValue::from(error)).message().into()
}

fn field(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, name| {
        js_sys::Reflect::get(&v, &(*name).into()).unwrap_or(JsValue::UNDEFINED)
    })
}

fn number(value: &JsValue, path: &[&str]) -> f64 {
    field(value, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path:?} is not a number"))
}

/// What a finished score session gave the page: the outcome object and the scored CSV.
struct Scored {
    outcome: JsValue,
    csv: Vec<u8>,
}

impl Scored {
    fn kind(&self) -> String {
        field(&self.outcome, &["kind"])
            .as_string()
            .unwrap_or_default()
    }

    /// The scored CSV's lines (header first), as text.
    fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.csv)
            .lines()
            .map(str::to_string)
            .collect()
    }
}

/// Streams `bytes` named `name` through the shipped model, like the worker's `score` job; the
/// error is the exact text the page shows (before its own "The model … unchanged." line).
fn score_with(model: &str, name: &str, bytes: &[u8]) -> Result<Scored, String> {
    let mut session = ScoreSession::from_bytes(model, bytes.to_vec(), name).map_err(message)?;
    let mut csv = Vec::new();
    for _ in 0..10_000 {
        let progress = session.advance_js().map_err(message)?;
        csv.extend(session.take_output_js());
        if field(&progress, &["finished"]).as_bool() == Some(true) {
            let outcome = session.finish_js().map_err(message)?;
            return Ok(Scored { outcome, csv });
        }
    }
    Err("the session never finished".into())
}

fn score(name: &str, bytes: &[u8]) -> Result<Scored, String> {
    score_with(MODEL, name, bytes)
}

/// The error the page shows for `bytes`; fails the test when the file is accepted.
fn refused(name: &str, bytes: &[u8]) -> String {
    match score(name, bytes) {
        Ok(scored) => panic!("{name} was accepted: {}", scored.kind()),
        Err(error) => error,
    }
}

fn js_object(value: &Value) -> JsValue {
    use serde::Serialize;
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("serialisable")
}

/// The page's training form with small settings (the form's defaults but for size).
fn request(steps: usize) -> JsValue {
    js_object(&json!({
        "features": "binarised",
        "hidden": [8],
        "learning_rate": 0.01,
        "steps": steps,
        "seed": 42,
        "holdout": 0.25,
    }))
}

/// Trains on `bytes` like the worker's `train` job, with the shipped model as the page's
/// current one; the model file written, or the error the page shows.
fn train(name: &str, bytes: &[u8], steps: usize) -> Result<String, String> {
    let mut session = TrainingSession::from_bytes(
        request(steps),
        Some(MODEL.to_string()),
        bytes.to_vec(),
        name,
    )
    .map_err(message)?;
    for _ in 0..100_000 {
        let progress = session.advance_js().map_err(message)?;
        if field(&progress, &["finished"]).as_bool() == Some(true) {
            return session.finish_js().map_err(message);
        }
    }
    Err("training never finished".into())
}

fn train_refused(name: &str, bytes: &[u8]) -> String {
    match train(name, bytes, 20) {
        Ok(_) => panic!("training on {name} was accepted"),
        Err(error) => error,
    }
}

// --- CSV input ---------------------------------------------------------------------------------

#[wasm_bindgen_test]
fn an_empty_file_is_refused() {
    let expected = "empty.csv: the file is empty; expected a CSV header line";
    assert_eq!(refused("empty.csv", b""), expected);
    assert_eq!(train_refused("empty.csv", b""), expected);
}

#[wasm_bindgen_test]
fn a_header_without_rows_is_refused() {
    let expected = "header-only.csv: the file has a header but no data rows";
    // Evaluated (labelled) and scored (unlabelled) alike: the page has nothing to show.
    assert_eq!(
        refused("header-only.csv", format!("{H}\n").as_bytes()),
        expected
    );
    assert_eq!(
        refused("header-only.csv", format!("{U}\n").as_bytes()),
        expected
    );
    assert_eq!(
        train_refused("header-only.csv", format!("{H}\n").as_bytes()),
        expected
    );
}

#[wasm_bindgen_test]
fn a_missing_column_is_named_with_the_header_found() {
    let text = b"processId,userId,argsNum,returnValue,sus\n1,0,1,0,0\n";
    let expected = "missing-column.csv, line 1: expected a column named \"parentProcessId\", \
                    but the header has only: processId, userId, argsNum, returnValue, sus";
    assert_eq!(refused("missing-column.csv", text), expected);
    assert_eq!(train_refused("missing-column.csv", text), expected);
    // Training needs the label column too.
    let unlabelled = format!("{U}\n1,0,0,1,0\n");
    assert_eq!(
        train_refused("unlabelled.csv", unlabelled.as_bytes()),
        "unlabelled.csv, line 1: expected a column named \"sus\", but the header has only: \
         processId, parentProcessId, userId, argsNum, returnValue"
    );
}

#[wasm_bindgen_test]
fn extra_columns_are_ignored_by_the_model_and_kept_in_the_output() {
    let labelled = format!("{H},host,note\n1,0,0,1,0,0,h1,x\n");
    let scored = score("extra-columns.csv", labelled.as_bytes()).expect("accepted");
    assert_eq!(scored.kind(), "evaluated");
    assert_eq!(
        number(&scored.outcome, &["evaluation", "data", "rows"]),
        1.0
    );

    let unlabelled = format!("{U},host,note\n1,0,0,1,0,h1,x\n");
    let scored = score("extra-columns.csv", unlabelled.as_bytes()).expect("accepted");
    assert_eq!(scored.kind(), "scored");
    let lines = scored.lines();
    assert_eq!(lines[0], format!("{U},host,note,score,verdict"));
    assert!(lines[1].starts_with("1,0,0,1,0,h1,x,"), "{}", lines[1]);
    assert!(lines[1].ends_with(",0"), "benign: {}", lines[1]);
    assert_eq!(lines.len(), 2);
}

#[wasm_bindgen_test]
fn values_that_are_not_finite_numbers_are_refused_with_line_and_column() {
    let cases = [
        (
            "wrong-type.csv",
            format!("{H}\n1,0,0,1,0,0\n7,1,zero,1,0,1\n"),
            "wrong-type.csv, line 3, column 3 (userId): expected a number, found \"zero\"",
        ),
        (
            "nan.csv",
            format!("{H}\n1,0,NaN,1,0,0\n"),
            "nan.csv, line 2, column 3 (userId): expected a finite number, found \"NaN\"",
        ),
        (
            "inf.csv",
            format!("{H}\n1,0,0,1,-inf,0\n"),
            "inf.csv, line 2, column 5 (returnValue): expected a finite number, found \"-inf\"",
        ),
        (
            "overflow.csv",
            format!("{H}\n1e400,0,0,1,0,0\n"),
            "overflow.csv, line 2, column 1 (processId): expected a finite number, found \"1e400\"",
        ),
        (
            "bad-label.csv",
            format!("{H}\n1,0,0,1,0,2\n"),
            "bad-label.csv, line 2, column 6 (sus): expected a label 0 or 1, found \"2\"",
        ),
    ];
    for (name, text, expected) in cases {
        assert_eq!(refused(name, text.as_bytes()), expected, "scoring {name}");
        assert_eq!(
            train_refused(name, text.as_bytes()),
            expected,
            "training on {name}"
        );
    }
}

#[wasm_bindgen_test]
fn a_bad_value_far_into_a_training_file_names_its_line() {
    // Line 300 of the sample (the header is line 1), its userId (column 5) made a word.
    let mut lines: Vec<String> = SAMPLE.lines().map(str::to_string).collect();
    let mut fields: Vec<&str> = lines[299].splitn(6, ',').collect();
    fields[4] = "root";
    lines[299] = fields.join(",");
    let text = lines.join("\n");
    let expected = "late.csv, line 300, column 5 (userId): expected a number, found \"root\"";
    assert_eq!(train_refused("late.csv", text.as_bytes()), expected);
    assert_eq!(refused("late.csv", text.as_bytes()), expected);
}

#[wasm_bindgen_test]
fn huge_finite_numbers_are_read_and_score_as_suspicious() {
    let text = format!("{U}\n1e308,-1e308,4e9,1e308,-1e308\n");
    let scored = score("huge.csv", text.as_bytes()).expect("numbers are numbers");
    assert_eq!(
        (
            number(&scored.outcome, &["rows"]),
            number(&scored.outcome, &["flagged"])
        ),
        (1.0, 1.0)
    );
    let lines = scored.lines();
    assert_eq!(lines[1], "1e308,-1e308,4e9,1e308,-1e308,1,1");
}

#[wasm_bindgen_test]
fn ragged_rows_and_duplicate_columns_are_refused() {
    let cases = [
        (
            "ragged-short.csv",
            format!("{H}\n1,0,0,1,0,0\n1,0,0,1\n"),
            "ragged-short.csv, line 3: expected 6 fields like the header, found 4",
        ),
        (
            "ragged-long.csv",
            format!("{H}\n1,0,0,1,0,0,9\n"),
            "ragged-long.csv, line 2: expected 6 fields like the header, found 7",
        ),
        (
            "duplicate-column.csv",
            "processId,parentProcessId,userId,userId,argsNum,returnValue\n1,0,0,0,1,0\n".into(),
            "duplicate-column.csv, line 1, column 4 (userId): this column name appears twice",
        ),
    ];
    for (name, text, expected) in cases {
        assert_eq!(refused(name, text.as_bytes()), expected, "{name}");
    }
}

#[wasm_bindgen_test]
fn bytes_that_are_not_utf8_are_refused_in_numbers_and_kept_in_text() {
    let number = [H.as_bytes(), b"\n1,0,\xff\xfe,1,0,0\n"].concat();
    let expected =
        "not-utf8-number.csv, line 2, column 3 (userId): expected UTF-8 text, found invalid bytes";
    assert_eq!(refused("not-utf8-number.csv", &number), expected);
    assert_eq!(train_refused("not-utf8-number.csv", &number), expected);

    let text = [U.as_bytes(), b",args\n1,0,0,1,0,\xff\xfe\n"].concat();
    let scored = score("not-utf8-text.csv", &text).expect("text columns are not read");
    assert_eq!(number_of_rows(&scored), 1.0);
    let row = scored.csv.split(|&b| b == b'\n').nth(1).expect("a row");
    assert!(row.starts_with(b"1,0,0,1,0,\xff\xfe,"), "{row:?}");
    assert!(row.ends_with(b",0"), "{row:?}");
}

fn number_of_rows(scored: &Scored) -> f64 {
    number(&scored.outcome, &["rows"])
}

#[wasm_bindgen_test]
fn a_bom_and_crlf_line_endings_are_read_and_lines_counted_right() {
    let text = format!("\u{feff}{U}\r\n1,0,0,1,0\r\n");
    let scored = score("bom-crlf.csv", text.as_bytes()).expect("accepted");
    assert_eq!(number_of_rows(&scored), 1.0);
    // The output is plain CSV: no BOM, `\n` endings.
    assert!(scored
        .csv
        .starts_with(format!("{U},score,verdict\n").as_bytes()));
    assert_eq!(number(&scored.outcome, &["top", "rows", "0", "line"]), 2.0);
    // A blank CRLF line still counts: the bad value is on line 4.
    let text = format!("\u{feff}{U}\r\n1,0,0,1,0\r\n\r\n2,0,x,1,0\r\n");
    assert_eq!(
        refused("bom-crlf.csv", text.as_bytes()),
        "bom-crlf.csv, line 4, column 3 (userId): expected a number, found \"x\""
    );
}

#[wasm_bindgen_test]
fn quoted_fields_and_blank_lines_are_read_with_nothing_lost() {
    let text = format!("{U},args\n1,0,0,1,0,\"a, \"\"b\"\"\nc\"\n\n\n2,1,1000,1,0,x\n");
    let scored = score("quoted-blank.csv", text.as_bytes()).expect("accepted");
    assert_eq!(
        (
            number_of_rows(&scored),
            number(&scored.outcome, &["flagged"])
        ),
        (2.0, 1.0)
    );
    let output = String::from_utf8(scored.csv).expect("UTF-8");
    assert!(
        output.contains("\n1,0,0,1,0,\"a, \"\"b\"\"\nc\","),
        "{output}"
    );
    assert!(output.contains("\n2,1,1000,1,0,x,"), "{output}");
    // Rows keep their physical line: the quoted line break and the blank lines count.
    let top = field(&scored.outcome, &["top", "rows"]);
    let mut lines: Vec<f64> = (0..2)
        .map(|i| number(&top, &[&i.to_string(), "line"]))
        .collect();
    lines.sort_by(f64::total_cmp);
    assert_eq!(lines, [2.0, 6.0]);
}

#[wasm_bindgen_test]
fn truncated_and_corrupt_gzip_are_refused() {
    // The same bytes as docs/HOSTILE.md's truncated.csv.gz: the same line as the CLI names.
    let expected = "truncated.csv.gz, line 132: the gzip data is corrupt or truncated \
                    (incomplete deflate stream)";
    assert_eq!(refused("truncated.csv.gz", TRUNCATED_GZ), expected);
    assert_eq!(train_refused("truncated.csv.gz", TRUNCATED_GZ), expected);
    assert_eq!(
        refused("corrupt.csv.gz", b"\x1f\x8bnot gzip at all"),
        "corrupt.csv.gz, line 1: the gzip data is corrupt or truncated (invalid gzip header)"
    );
    // Whole, the same compression reads every row, and cut anywhere it fails.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(SAMPLE.as_bytes()).expect("in memory");
    let whole = encoder.finish().expect("in memory");
    let scored = score("sample.csv.gz", &whole).expect("whole gzip reads");
    assert_eq!(
        number(&scored.outcome, &["evaluation", "data", "rows"]),
        400.0
    );
    for cut in [20, whole.len() / 3, whole.len() - 4] {
        let error = refused("cut.csv.gz", &whole[..cut]);
        assert!(
            error.starts_with("cut.csv.gz, line ")
                && error.contains(": the gzip data is corrupt or truncated ("),
            "cut at {cut}: {error}"
        );
    }
}

#[wasm_bindgen_test]
fn single_class_training_data_is_refused() {
    let text = format!("{H}\n1,0,0,1,0,0\n2,0,0,1,0,0\n");
    // The page holds a quarter of each class out first: one of the two rows is left to train.
    assert_eq!(
        train_refused("single-class.csv", text.as_bytes()),
        "single-class.csv (training part): all 1 training rows have sus=0; training needs both benign (0) and suspicious (1) rows"
    );
    // The sample's 331 suspicious rows alone: 248 after the held-out quarter.
    let suspicious: String = SAMPLE
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.ends_with(",1,0") || l.ends_with(",1,1"))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    assert_eq!(
        train_refused("suspicious.csv", suspicious.as_bytes()),
        "suspicious.csv (training part): all 248 training rows have sus=1; training needs both benign (0) and suspicious (1) rows"
    );
}

#[wasm_bindgen_test]
fn training_on_absurd_values_writes_a_model_that_loads() {
    let text = absurd_train::absurd_train();
    let model = train("absurd-train.csv", &text, 50).expect("trains");
    let report = Report::from_own_json_js(&model).expect("the trained model loads");
    let shown = report.shown().expect("evaluated on the held-out rows");
    assert_eq!(shown.data.rows, 100);
    assert!(shown.summary.roc_auc.is_finite());
    let scaler = &report.spec().scaler;
    assert!(scaler
        .iter()
        .all(|s| s.mean.is_finite() && s.std.is_finite()));
}

// --- model files -------------------------------------------------------------------------------

/// The shipped model as JSON, edited by `edit`, written compactly.
fn edited(edit: impl FnOnce(&mut Value)) -> String {
    let mut value: Value = serde_json::from_str(MODEL).expect("the shipped model is JSON");
    edit(&mut value);
    value.to_string()
}

/// The error of loading `text` as the page's model, the same through every door of the face
/// a file from outside can reach: a dropped model file (the worker's `Digest.check`), the
/// worker's score and training jobs. The page's door for its own files, the shipped or a
/// trained one (`Report.fromOwnJson`), refuses it too (with the same message but for what
/// only the screening of foreign files names: tests/model_file.rs).
fn model_refused(text: &str) -> String {
    let own = Report::from_own_json_js(text).err().map(message);
    let dropped = Digest::check_js(text).err().map(message);
    let row = format!("{H}\n1,0,0,1,0,0\n");
    let scoring = ScoreSession::from_bytes(text, row.as_bytes().to_vec(), "x.csv")
        .err()
        .map(message);
    let training = TrainingSession::from_bytes(
        request(10),
        Some(text.to_string()),
        row.as_bytes().to_vec(),
        "x.csv",
    )
    .err()
    .map(message);
    assert!(own.is_some(), "the page's own-file door accepted it");
    let error = dropped.expect("the model file was accepted");
    assert_eq!(scoring.as_ref(), Some(&error), "the score job differs");
    assert_eq!(training.as_ref(), Some(&error), "the training job differs");
    error
}

#[wasm_bindgen_test]
fn model_files_that_are_not_json_or_not_ours_are_refused() {
    assert_eq!(
        model_refused("processId,userId\n1,2\n"),
        "model file, line 1, column 1: expected value"
    );
    // Cut inside the first layer's weights.
    let whole = edited(|_| {});
    let cut = whole.find("\"weights\":[").expect("weights") + 40;
    assert_eq!(
        model_refused(&whole[..cut]),
        format!("model file, line 1, column {cut}: EOF while parsing a list")
    );
    // A null weight: serde names the column where `null` ends.
    let null = edited(|v| v["layers"][0]["weights"][0] = Value::Null);
    let column = null.find("\"weights\":[null").expect("the null") + "\"weights\":[null".len();
    assert_eq!(
        model_refused(&null),
        format!("model file, line 1, column {column}: invalid type: null, expected f32")
    );
    assert_eq!(
        model_refused(&edited(|v| v["format"] = json!("something-else"))),
        "not a cyber-attack-detector model: expected a JSON object with \"format\": \
         \"cyber-attack-detector/model\", found \"format\": \"something-else\""
    );
    assert_eq!(
        model_refused("[1, 2]"),
        "not a cyber-attack-detector model: expected a JSON object with \"format\": \
         \"cyber-attack-detector/model\", found an array"
    );
}

#[wasm_bindgen_test]
fn a_model_file_from_a_future_version_is_refused() {
    let expected = "the model file is format version 2, newer than this build reads (version 1); \
                    update cyber-attack-detector";
    assert_eq!(
        model_refused(&edited(|v| v["version"] = json!(2))),
        expected
    );
    // Only the envelope is read first: a future file of another shape gets the same message.
    assert_eq!(
        model_refused(r#"{"format": "cyber-attack-detector/model", "version": 2, "layers": 7}"#),
        expected
    );
}

#[wasm_bindgen_test]
fn oversized_model_claims_are_refused_before_anything_is_built() {
    let gigantic = edited(|v| {
        v["layers"][0]["inputs"] = json!(100_000);
        v["layers"][0]["outputs"] = json!(100_000);
    });
    assert_eq!(
        model_refused(&gigantic),
        "invalid model file: layer 1 is 100000×100000; widths must be between 1 and 4096"
    );
    let too_many = edited(|v| {
        v["layers"] = json!([
            {"inputs": 6, "outputs": 4096, "activation": "relu", "weights": vec![0; 6 * 4096], "bias": vec![0; 4096]},
            {"inputs": 4096, "outputs": 4096, "activation": "relu", "weights": [], "bias": []},
            {"inputs": 4096, "outputs": 1, "activation": "sigmoid", "weights": [], "bias": []},
        ]);
    });
    assert_eq!(
        model_refused(&too_many),
        "invalid model file: more than 4000000 parameters"
    );
    let huge_counts = edited(|v| {
        v["evaluation"]["histogram"]["benign"][0] = json!(u64::MAX);
        v["evaluation"]["histogram"]["benign"][1] = json!(u64::MAX);
    });
    assert_eq!(
        model_refused(&huge_counts),
        "invalid model file: the score histogram counts more than 9007199254740992 rows"
    );
}

#[wasm_bindgen_test]
fn bad_model_contents_are_refused_with_what_is_wrong() {
    let short = edited(|v| {
        let weights = v["layers"][1]["weights"].as_array().expect("weights")[..3].to_vec();
        v["layers"][1]["weights"] = Value::Array(weights);
    });
    assert_eq!(
        model_refused(&short),
        "invalid model file: layer 2 should have 64×32 weights and 32 biases, found 3 and 32"
    );
    assert_eq!(
        model_refused(&edited(|v| v["layers"][0]["weights"][3] = json!(1e39))),
        "invalid model file: layers[0].weights[3] is 1e39; numbers here must lie within ±3.4028235e38"
    );
    let twice = edited(|v| {
        let first = v["features"]["scaler"][0].clone();
        v["features"]["scaler"]
            .as_array_mut()
            .expect("scaler")
            .push(first);
    });
    assert_eq!(
        model_refused(&twice),
        "invalid model file: the scaler lists processId twice"
    );
}

#[wasm_bindgen_test]
fn a_network_that_would_overflow_scores_nan_which_is_suspicious() {
    // Loads (each weight is a valid f32), but its network overflows f32 on any real row. The
    // CLI refuses such a row; the page scores it NaN, which counts as suspicious, never benign.
    let overflowing = edited(|v| v["layers"][0]["weights"] = json!(vec![3e38; 6 * 64]));
    let text = format!("{U}\n1,0,0,1,0\n");
    let scored = score_with(&overflowing, "bom-crlf.csv", text.as_bytes()).expect("scored");
    assert_eq!(number(&scored.outcome, &["flagged"]), 1.0);
    assert_eq!(scored.lines()[1], "1,0,0,1,0,NaN,1");
}
