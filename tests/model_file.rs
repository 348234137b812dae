//! The shipped model file: it loads, round-trips, meets the quality bar it records, and every
//! kind of broken model file gets a clear error.

use cyber_attack_detector::model::{Model, ModelError, MAX_BINS, MAX_WIDTH, VERSION};

const SHIPPED: &str = include_str!("../data/model.json");

fn shipped() -> Model {
    Model::from_json(SHIPPED).expect("the shipped model loads")
}

#[test]
fn shipped_model_round_trips_exactly() {
    let model = shipped();
    let again = Model::from_json(&model.to_json()).expect("re-serialised model loads");
    // Compared as text: per-host AUCs of one-class hosts are NaN, which is never == itself.
    assert_eq!(model.mlp, again.mlp);
    assert!(
        model.to_json() == again.to_json(),
        "the JSON changed on a round trip"
    );
    // Written by the CLI with the same serialiser, so byte-identical (plus the final newline).
    let first_difference = (model.to_json() + "\n")
        .lines()
        .zip(SHIPPED.lines())
        .position(|(a, b)| a != b);
    assert_eq!(
        first_difference, None,
        "re-serialised shipped model differs at that line"
    );
}

#[test]
fn a_byte_order_mark_is_skipped_as_the_browser_skips_it() {
    let with_bom = format!("\u{feff}{SHIPPED}");
    let model = Model::from_json(&with_bom).expect("loads despite the BOM");
    assert_eq!(model.to_json(), shipped().to_json());
    // Only one, at the start: a second is not JSON.
    let twice = format!("\u{feff}\u{feff}{SHIPPED}");
    assert!(Model::from_json(&twice).is_err());
}

#[test]
fn shipped_model_carries_spec_provenance_and_evaluation() {
    let model = shipped();
    assert_eq!(model.spec.set.name(), "binarised");
    assert_eq!(model.mlp.sizes(), vec![model.spec.len(), 64, 32, 16, 1]);
    assert!(model.provenance.command.contains("train"));
    assert!(model
        .provenance
        .training_data
        .iter()
        .all(|d| d.sha256.as_ref().is_some_and(|s| s.len() == 64)));
    assert!(model.training.log.loss.len() >= 20);
    let baseline = model.baseline.as_ref().expect("reference recipe results");
    assert_eq!(baseline.training.log.loss.len(), 30);
    assert!(model
        .seed_study
        .as_ref()
        .is_some_and(|s| s.seeds.len() >= 5));
}

/// The bar for the shipped model, on the real test rows it was never trained on.
#[test]
fn shipped_model_meets_the_quality_bar_on_the_test_rows() {
    let model = shipped();
    let e = model
        .evaluation
        .as_ref()
        .expect("evaluated on the test rows");
    assert!(e.data.rows > 1000 && e.data.benign > 0, "{:?}", e.data);
    assert!(e.summary.roc_auc >= 0.995, "AUC {}", e.summary.roc_auc);
    assert!(
        e.summary.rates.accuracy >= 0.995,
        "accuracy {}",
        e.summary.rates.accuracy
    );
    assert!(e.summary.confusion.fp <= 1, "{:?}", e.summary.confusion);
    // The threshold slider reads the stored histogram; at the model's threshold it must agree
    // with the confusion computed from the scores.
    assert_eq!(
        e.at_threshold(model.threshold).confusion,
        e.summary.confusion
    );
}

fn with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(SHIPPED).expect("json");
    edit(&mut value);
    value.to_string()
}

#[test]
fn broken_model_files_get_clear_errors() {
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "model file, line 1, column 0: EOF while parsing"),
        (SHIPPED[..SHIPPED.len() / 2].to_string(), "model file, line "),
        (
            "[1, 2]".into(),
            "not a cyber-attack-detector model: expected a JSON object with \"format\": \"cyber-attack-detector/model\", found an array",
        ),
        (
            with(|v| v["format"] = "something-else".into()),
            "not a cyber-attack-detector model: expected a JSON object with \"format\": \"cyber-attack-detector/model\", found \"format\": \"something-else\"",
        ),
        (
            with(|v| v["version"] = (VERSION + 1).into()),
            "the model file is format version 2, newer than this build reads (version 1)",
        ),
        (
            with(|v| v["layers"][1]["weights"].as_array_mut().expect("array").truncate(3)),
            "invalid model file: layer 2 should have 64×32 weights and 32 biases, found 3 and 32",
        ),
        (
            with(|v| v["layers"][0]["inputs"] = 5.into()),
            "invalid model file: layer 1 expects 5 inputs, but 6 arrive",
        ),
        (
            with(|v| {
                v["layers"][3]["outputs"] = (MAX_WIDTH + 1).into();
            }),
            "invalid model file: layer 4 is 16×4097; widths must be between 1 and 4096",
        ),
        (with(|v| v["threshold"] = 1.5.into()), "invalid model file: threshold 1.5 is outside [0, 1]"),
        (
            with(|v| v["features"]["scaler"][0]["std"] = 0.0.into()),
            "invalid model file: the scaler of processId is not finite and positive",
        ),
        (
            with(|v| v["layers"][3]["activation"] = "relu".into()),
            "invalid model file: layer 4 must use Sigmoid activation",
        ),
        // Stored counts that disagree or lists beyond their bounds: the page would show them.
        (
            with(|v| {
                let h = &mut v["evaluation"]["histogram"];
                h["bins"] = 0.into();
                h["benign"] = serde_json::json!([]);
                h["suspicious"] = serde_json::json!([]);
            }),
            "invalid model file: the evaluation's score histogram has 0 bins; expected 1 to 10000",
        ),
        (
            with(|v| {
                let h = &mut v["evaluation"]["histogram"];
                h["bins"] = (MAX_BINS + 1).into();
                h["benign"] = vec![0; MAX_BINS + 1].into();
                h["suspicious"] = vec![0; MAX_BINS + 1].into();
            }),
            "invalid model file: the evaluation's score histogram has 10001 bins; expected 1 to 10000",
        ),
        (
            with(|v| v["evaluation"]["histogram"]["benign"][999] = 7.into()),
            "invalid model file: the evaluation's data has 4394 rows (59 benign, 4335 suspicious) but its score histogram counts 66 benign and 4335 suspicious",
        ),
        (
            with(|v| v["evaluation"]["data"]["rows"] = 1.into()),
            "invalid model file: the evaluation's data has 1 rows (59 benign, 4335 suspicious)",
        ),
        (
            with(|v| v["evaluation"]["summary"]["confusion"]["tp"] = 0.into()),
            "invalid model file: the evaluation has a confusion matrix of TN 58 FP 1 FN 4 TP 0 for 59 benign and 4335 suspicious rows",
        ),
        (
            with(|v| v["baseline"]["evaluation"]["hosts"][0]["rows"] = 5.into()),
            "invalid model file: the baseline's evaluation's host \"ip-10-100-1-217\" has 5 rows but 59 benign and 4335 suspicious",
        ),
        (
            with(|v| {
                v["evaluation"]["roc"]["x"].as_array_mut().expect("array").pop();
            }),
            "invalid model file: the evaluation's ROC curve has 29, 30 and 30 values",
        ),
        // The evil curves are checked as the sus curves are.
        (
            with(|v| {
                v["evaluation"]["evil_curves"]["roc"]["y"].as_array_mut().expect("array").pop();
            }),
            "invalid model file: the evaluation's evil ROC curve has 30, 29 and 30 values",
        ),
        (
            with(|v| v["evaluation"]["evil_curves"]["pr"]["y"][3] = 1.5.into()),
            "invalid model file: the evaluation's evil precision-recall curve has y[3] = 1.5; expected a rate in [0, 1]",
        ),
        (
            with(|v| v["evaluation"]["roc"]["x"][2] = (-0.25).into()),
            "invalid model file: the evaluation's ROC curve has x[2] = -0.25; expected a rate in [0, 1]",
        ),
        (
            with(|v| {
                let roc = &mut v["evaluation"]["evil_curves"]["roc"];
                for axis in ["x", "y", "thresholds"] {
                    roc[axis] = vec![0.5; 100_001].into();
                }
            }),
            "invalid model file: the evaluation's evil ROC curve has 100001, 100001 and 100001 values; expected as many of each, at most 100000",
        ),
        (
            with(|v| {
                v["evaluation"].as_object_mut().expect("object").remove("evil");
            }),
            "invalid model file: the evaluation has evil curves but no evil figures (\"evil\")",
        ),
        (
            with(|v| v["seed_study"]["ours"].as_array_mut().expect("array").truncate(2)),
            "invalid model file: the seed study has 10 seeds but 2 and 10 results",
        ),
        (
            with(|v| {
                let study = &mut v["seed_study"];
                for list in ["seeds", "ours", "reference"] {
                    let items = study[list].as_array_mut().expect("array");
                    let first = items[0].clone();
                    items.resize(1001, first);
                }
            }),
            "invalid model file: the seed study has 1001 seeds; at most 1000",
        ),
    ];
    for (text, expected) in cases {
        let err: ModelError = Model::from_json(&text).expect_err(expected);
        let message = err.to_string();
        assert!(
            message.starts_with(expected),
            "got {message:?}\nexpected {expected:?}"
        );
        // The page's door for its own files refuses each too, with the same message but for
        // a JSON array, which only the screening of foreign files names as such.
        let own = Model::from_own_json(&text).expect_err(expected).to_string();
        if text.starts_with('[') {
            assert_eq!(
                own,
                "model file, line 1, column 2: invalid type: integer `1`, expected a string"
            );
        } else {
            assert_eq!(own, message);
        }
    }
}

/// The page's door for its own files reads the shipped model as [`Model::from_json`] does, and
/// refuses a number beyond f32's range where the JSON reader meets it.
#[test]
fn own_files_load_as_every_file_does() {
    let own = Model::from_own_json(SHIPPED).expect("the shipped model");
    assert_eq!(own.to_json(), shipped().to_json());
    // Written by hand: serde_json would write 1e39 in full.
    let huge = with(|v| v["layers"][0]["weights"][0] = 0.123_454_321.into()).replacen(
        "0.123454321",
        "1e39",
        1,
    );
    assert_eq!(
        Model::from_json(&huge).expect_err("huge").to_string(),
        "invalid model file: layers[0].weights[0] is 1e39; numbers here must lie within ±3.4028235e38"
    );
    // The column where the number ends.
    let column = huge.find("1e39").expect("written as 1e39") + "1e39".len();
    assert_eq!(
        Model::from_own_json(&huge).expect_err("huge").to_string(),
        format!("model file, line 1, column {column}: number out of range")
    );
}

/// A model file written before intervals (no `intervals` anywhere) loads; the rates' Wilson
/// intervals are computed at any threshold, the areas' stay unknown.
#[test]
fn a_model_file_without_intervals_loads_and_gets_the_rates_intervals() {
    let mut value: serde_json::Value = serde_json::from_str(SHIPPED).expect("JSON");
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("intervals");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut value);
    let old = Model::from_json(&value.to_string()).expect("an older file loads");
    let evaluation = old.evaluation.as_ref().expect("evaluated");
    assert_eq!(evaluation.summary.intervals, None);
    let at = evaluation.at_threshold(old.threshold);
    let intervals = at.intervals.expect("computed from the counts");
    // Specificity 58 of 59 on the test rows: 91.00% to 99.70%.
    let specificity = intervals.specificity.expect("benign rows");
    assert!((specificity.lo - 0.910_042_740_358_577).abs() < 1e-12);
    assert!((specificity.hi - 0.997_001_766_081_644).abs() < 1e-12);
    assert_eq!(intervals.roc_auc, None);
    // The shipped file has them, stored.
    let shipped = shipped();
    let stored = shipped.evaluation.as_ref().expect("evaluated").summary;
    assert_eq!(
        stored.intervals.and_then(|i| i.specificity),
        Some(specificity)
    );
    assert!(stored.intervals.and_then(|i| i.roc_auc).is_some());
}

/// The `evil` curves of the shipped model, on the test rows: each at most 400 points, the ROC's
/// area the stored `evil` ROC-AUC (its 30 points are every distinct score, so the trapezoids
/// are exact), the PR curve ending at recall 1 with precision the share of evil rows. A file
/// written before them (no `evil_curves`) loads without them, its `evil` figures kept.
#[test]
fn shipped_model_carries_the_evil_curves_and_older_files_load_without() {
    let model = shipped();
    let e = model.evaluation.as_ref().expect("evaluated");
    let evil = e.evil.expect("the test rows have evil");
    let curves = e.evil_curves.as_ref().expect("evil curves");
    let roc = &curves.roc;
    assert_eq!(roc.x.len(), 30);
    assert_eq!((roc.x[0], roc.y[0]), (0.0, 0.0));
    assert_eq!((roc.x[29], roc.y[29]), (1.0, 1.0));
    let area: f64 = (1..roc.x.len())
        .map(|i| (roc.x[i] - roc.x[i - 1]) * (roc.y[i] + roc.y[i - 1]) / 2.0)
        .sum();
    assert!(
        (area - evil.roc_auc).abs() < 1e-12,
        "{area} vs {}",
        evil.roc_auc
    );
    let pr = &curves.pr;
    let last = pr.x.len() - 1;
    assert_eq!((evil.evil, evil.rows), (4149, 4394));
    assert_eq!((pr.x[last], pr.y[last]), (1.0, 4149.0 / 4394.0));
    // The reference recipe's evil curves are not stored (the report draws ours only).
    let baseline = model.baseline.as_ref().and_then(|b| b.evaluation.as_ref());
    assert!(baseline.is_some_and(|b| b.evil.is_some() && b.evil_curves.is_none()));

    let mut value: serde_json::Value = serde_json::from_str(SHIPPED).expect("JSON");
    let stored = value["evaluation"].as_object_mut().expect("object");
    assert!(stored.remove("evil_curves").is_some());
    let old = Model::from_json(&value.to_string()).expect("an older file loads");
    let old_evaluation = old.evaluation.as_ref().expect("evaluated");
    assert_eq!(old_evaluation.evil_curves, None);
    assert_eq!(old_evaluation.evil, Some(evil));
}
