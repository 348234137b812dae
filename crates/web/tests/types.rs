//! `www/types.d.ts` declares what crosses into JavaScript; `make typecheck` checks the page
//! against it, and this file checks it against the values the face really makes: every
//! interface lists exactly the fields of its value (an optional `name?:` field may be absent).
//! The values are serialized with serde_json, which names fields as serde-wasm-bindgen does.

use cyber_attack_detector::metrics::Costs;
use cyber_attack_detector::model::AnyModel;
use cyber_attack_detector_web::progress::Phase;
use cyber_attack_detector_web::{Outcome, Progress, Report, ScoreSession, Source, TrainRequest};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

mod common;
use common::{unlabelled_sample, SAMPLE};

const TYPES: &str = include_str!("../../../www/types.d.ts");
const MODEL: &str = include_str!("../../../data/model.json");

/// An interface's fields: name → optional.
type Fields = BTreeMap<String, bool>;

/// The fields of every `export interface` in `text`, one `name: Type;` or `name?: Type;` per
/// line (comment lines skipped).
fn interfaces(text: &str) -> BTreeMap<String, Fields> {
    let mut all = BTreeMap::new();
    let mut open: Option<(String, Fields)> = None;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("export interface ") {
            let name = rest.split([' ', '{']).next().unwrap_or_default();
            open = Some((name.to_string(), Fields::new()));
        } else if line == "}" {
            if let Some((name, fields)) = open.take() {
                all.insert(name, fields);
            }
        } else if let Some((_, fields)) = &mut open {
            let Some((name, _)) = line.split_once(':') else {
                continue;
            };
            if name.starts_with(['/', '*']) {
                continue;
            }
            let optional = name.ends_with('?');
            fields.insert(name.trim_end_matches('?').to_string(), optional);
        }
    }
    all
}

/// Checks `value` against interface `name`; returns what differs.
fn differences(types: &BTreeMap<String, Fields>, name: &str, value: &Value) -> Vec<String> {
    let Some(fields) = types.get(name) else {
        return vec![format!("www/types.d.ts has no interface {name}")];
    };
    let Some(object) = value.as_object() else {
        return vec![format!("{name}: the value is not an object: {value}")];
    };
    let keys: BTreeSet<&String> = object.keys().collect();
    let mut found = Vec::new();
    for key in keys.iter().filter(|k| !fields.contains_key(k.as_str())) {
        found.push(format!(
            "{name}: the face sends `{key}`, which it does not declare"
        ));
    }
    for (field, &optional) in fields {
        if !optional && !keys.contains(field) {
            found.push(format!(
                "{name}: declares `{field}`, which the face does not send"
            ));
        }
    }
    found
}

fn to_value(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).expect("serializable")
}

/// The first element of array `key` of `value`.
fn first<'a>(value: &'a Value, key: &str) -> &'a Value {
    &value[key][0]
}

/// The outcome of a whole file.
fn outcome(bytes: Vec<u8>) -> (Value, Value) {
    let model = Report::from_json(MODEL)
        .expect("loads")
        .model()
        .expect("supervised")
        .clone();
    let mut session = ScoreSession::new(model, Source::bytes(bytes), "x.csv").expect("opens");
    let mut progress = session.advance().expect("reads");
    while !progress.finished {
        progress = session.advance().expect("reads");
    }
    let outcome: Outcome = session.finish().expect("finished");
    (to_value(progress), to_value(outcome))
}

#[test]
fn every_declared_interface_matches_the_value_the_face_makes() {
    let types = interfaces(TYPES);
    let report = Report::from_json(MODEL).expect("the shipped model loads");
    let info = to_value(report.info());
    let evaluation = to_value(report.shown().expect("the shipped model has an evaluation"));
    let costs = Costs::new(10.0, 1.0).expect("valid prices");
    let cost_report = to_value(report.costs(0.5, costs).expect("an evaluation to price"));
    let form = to_value(report.event_form());
    let values = first(&form, "presets")["values"]
        .as_array()
        .expect("preset values")
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>();
    let explanation = to_value(report.explain(&values).expect("a preset scores"));
    let training = to_value(Progress {
        phase: Phase::Training,
        done: 1.0,
        total: 2.0,
        rows: 3,
        finished: false,
        loss: vec![0.5],
    });
    let (reading, evaluated) = outcome(SAMPLE.as_bytes().to_vec());
    let (_, scored) = outcome(unlabelled_sample());

    let seed_study = &info["seed_study"];
    let view = first(&evaluated["alerts"], "alerts");
    let prevalence = to_value(report.at_prevalence(0.5, 0.01).expect("a share in range"));
    let cases: [(&str, &Value); 59] = [
        ("Info", &info),
        ("EvilSummary", &info["evil"]),
        ("Summary", &info["cross_validation"]),
        ("Intervals", &info["cross_validation"]["intervals"]),
        (
            "Interval",
            &info["cross_validation"]["intervals"]["roc_auc"],
        ),
        ("Confusion", &info["cross_validation"]["confusion"]),
        ("Rates", &info["cross_validation"]["rates"]),
        ("TrainConfig", &info["config"]),
        ("ProvenanceInfo", &info["provenance"]),
        ("Rows", &info["provenance"]["trained"]),
        ("DataSummary", first(&info["provenance"], "training_data")),
        ("DataSummary", &info["shown"]),
        ("HostEvaluation", first(&info, "hosts")),
        ("Column", first(&info, "comparison")),
        ("SeedSpread", seed_study),
        ("SpreadRow", first(seed_study, "rows")),
        ("Spread", &first(seed_study, "rows")["ours"]),
        ("Evaluation", &evaluation),
        ("Curve", &evaluation["roc"]),
        ("EvilCurves", &evaluation["evil_curves"]),
        ("EvilCurves", &evaluated["evaluation"]["evil_curves"]),
        ("Histogram", &evaluation["histogram"]),
        ("FeatureImportance", first(&evaluation, "importance")),
        ("CostReport", &cost_report),
        ("CostPoint", &cost_report["current"]),
        ("Cheapest", &cost_report["cheapest"]),
        ("AtPrevalence", &prevalence),
        ("EventForm", &form),
        ("FormField", first(&form, "fields")),
        ("FormPreset", first(&form, "presets")),
        ("Explanation", &explanation),
        ("Contribution", first(&explanation, "contributions")),
        (
            "FeatureValue",
            first(first(&explanation, "contributions"), "features"),
        ),
        ("Progress", &reading),
        ("Progress", &training),
        ("Evaluated", &evaluated),
        ("Evaluation", &evaluated["evaluation"]),
        ("Scored", &scored),
        ("Extrapolated", &scored["extrapolated"]),
        ("TopTable", &scored["top"]),
        ("TopRow", first(&scored["top"], "rows")),
        ("Alerts", &evaluated["alerts"]),
        ("Alerts", &scored["alerts"]),
        ("AlertView", view),
        ("Alert", &view["alert"]),
        ("Said", &view["alert"]["precedent"]),
        ("NameCount", first(&view["alert"], "event_names")),
        ("TimelineEntry", first(view, "events")),
        ("TimelineExtent", &view["extent"]),
        ("TimelineCounts", &view["extent"]["seen"]),
        ("TimelineCounts", &view["listed"]),
        ("TimelineCounts", &view["drawn"]),
        ("ProcessTree", &view["tree"]),
        ("TreeNode", first(&view["tree"], "nodes")),
        ("TreeNode", &view["tree"]["nodes"][1]),
        ("Timeline", &view["timeline"]),
        ("Lane", first(&view["timeline"], "lanes")),
        ("TimelineEvent", first(&view["timeline"], "events")),
        ("AlertView", first(&scored["alerts"], "alerts")),
    ];
    let problems: Vec<String> = cases
        .iter()
        .flat_map(|(name, value)| differences(&types, name, value))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(reading["phase"], "evaluating");
    assert_eq!(
        (&evaluated["kind"], &scored["kind"]),
        (&json!("evaluated"), &json!("scored"))
    );
}

#[test]
fn the_declared_train_request_is_exactly_what_the_face_reads() {
    let types = interfaces(TYPES);
    let fields = &types["TrainRequest"];
    let example = |name: &str| match name {
        "features" => json!("binarised"),
        "hidden" => json!([8]),
        _ => json!(1),
    };
    let request: serde_json::Map<String, Value> =
        fields.keys().map(|f| (f.clone(), example(f))).collect();
    // All declared fields: read. Each one left out: refused, so the face needs every one.
    let read = serde_json::from_value::<TrainRequest>(Value::Object(request.clone()));
    assert!(read.is_ok(), "{read:?}");
    for field in fields.keys() {
        let mut partial = request.clone();
        partial.remove(field);
        let refused = serde_json::from_value::<TrainRequest>(Value::Object(partial));
        assert_eq!(
            refused.err().map(|e| e.to_string()),
            Some(format!("missing field `{field}`"))
        );
    }
    assert_eq!(fields.len(), 6);
}

#[test]
fn the_checker_reads_fields_and_finds_differences() {
    let text = "export interface A {\n  /** a: not a field */\n  x: number;\n  y?: string;\n}\n";
    let types = interfaces(text);
    let a = &types["A"];
    assert_eq!(
        a.iter().collect::<Vec<_>>(),
        [(&"x".to_string(), &false), (&"y".to_string(), &true)]
    );
    assert!(differences(&types, "A", &json!({"x": 1})).is_empty());
    assert_eq!(
        differences(&types, "A", &json!({"y": "", "z": 0})),
        [
            "A: the face sends `z`, which it does not declare",
            "A: declares `x`, which the face does not send",
        ]
    );
    assert_eq!(
        differences(&types, "B", &json!({})),
        ["www/types.d.ts has no interface B"]
    );
}

#[test]
fn the_verdict_values_are_declared() {
    use cyber_attack_detector::verdicts::{Mark, Request, Written};
    use cyber_attack_detector_web::compare::Judged;
    use cyber_attack_detector_web::{CompareSession, VerdictSession};
    let types = interfaces(TYPES);
    let model = Report::from_json(MODEL)
        .expect("loads")
        .model()
        .expect("supervised")
        .clone();
    let events = unlabelled_sample();
    let (_, scored) = outcome(events.clone());
    let sha256 = scored["sha256"].as_str().expect("read whole").to_string();
    let mark = Mark {
        line: 2,
        attack: true,
        note: String::new(),
    };
    let request = Request {
        sha256,
        events: vec![mark.clone()],
        alerts: vec![mark.clone()],
        filled: Vec::new(),
    };
    let mut session =
        VerdictSession::new(&model, Source::bytes(events), "x.csv", request).expect("opens");
    let mut csv = Vec::new();
    while !session.advance().expect("reads").finished {
        csv.extend(session.take_output());
    }
    let written: Written = session.finish().expect("the same file");
    let (_, read) = outcome(csv);
    let mut silent = model.clone();
    silent.threshold = 2.0;
    let judged = Judged {
        events: vec![mark.clone()],
        alerts: vec![mark.clone()],
    };
    let mut comparing = CompareSession::new(
        AnyModel::Supervised(Box::new(model)),
        AnyModel::Supervised(Box::new(silent)),
        Source::bytes(unlabelled_sample()),
        "x.csv",
        judged,
    )
    .expect("opens");
    while !comparing.advance().expect("reads").finished {}
    let changes = to_value(comparing.finish().expect("read"));
    let cases = [
        ("AlertChanges", changes.clone()),
        ("AlertChange", changes["gone"][0].clone()),
        ("Standing", changes["gone"][0]["before"].clone()),
        ("VerdictCheck", changes["verdicts"][0].clone()),
        ("Written", to_value(written)),
        ("VerdictsRead", read.clone()),
        ("Mark", read["events"][0].clone()),
        ("Mark", read["alerts"][0].clone()),
    ];
    let problems: Vec<String> = cases
        .iter()
        .flat_map(|(name, value)| differences(&types, name, value))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(read["kind"], "verdicts");
    let request = &types["VerdictRequest"];
    assert_eq!(
        request.keys().collect::<Vec<_>>(),
        ["alerts", "events", "filled", "sha256"]
    );
    assert_eq!(
        types["Judged"].keys().collect::<Vec<_>>(),
        ["alerts", "events"]
    );
}

#[test]
fn the_anomaly_model_interfaces_match_what_the_face_makes() {
    use cyber_attack_detector_web::anomaly_training::{AnomalyRequest, AnomalyTrainingSession};
    use cyber_attack_detector_web::Digest;
    let types = interfaces(TYPES);
    let digest = Digest::check(include_str!("../../../data/anomaly.json")).expect("loads");
    let report = Report::from_digest(digest.json(), Vec::new()).expect("rebuilt");
    let info = to_value(report.info());
    let about = &info["anomaly"];
    let request = AnomalyRequest {
        alerts_per_10k: 500.0,
        seed: 1,
        holdout: 0.25,
    };
    let mut session =
        AnomalyTrainingSession::new(&request, Source::bytes(unlabelled_sample()), "x.csv")
            .expect("opens");
    while !session.advance().expect("fits").finished {}
    let trained = to_value(session.finish().expect("fitted"));
    let cases: [(&str, &Value); 7] = [
        ("Info", &info),
        ("AnomalyAbout", about),
        ("AnomalyTraining", &about["training"]),
        ("SeedRow", first(about, "seed_study")),
        ("Column", &info["comparison"][0]),
        ("AnomalyTrained", &trained),
        ("DataSummary", &trained["fitted"]),
    ];
    let problems: Vec<String> = cases
        .iter()
        .flat_map(|(name, value)| differences(&types, name, value))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(
        (&info["kind"], &info["config"]),
        (&json!("anomaly"), &Value::Null)
    );
    assert_eq!(info["comparison"][0]["optimizer"], Value::Null);
    assert_eq!(about["compared"].as_array().map(Vec::len), Some(3));
}
