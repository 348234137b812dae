//! The anomaly model's file: written and read back equal, told apart from the supervised kind,
//! and refused, naming the field, when a value is hostile.

use cyber_attack_detector::evaluation::DataSummary;
use cyber_attack_detector::ingest::{read_events, Labels, Schema};
use cyber_attack_detector::model::{
    fit_anomaly, AnomalyConfig, AnomalyMethod, AnomalyModel, AnyModel, Detect, Estimator,
    ModelError, Provenance,
};
use serde_json::{json, Value};

fn model(method: AnomalyMethod) -> AnomalyModel {
    let config = AnomalyConfig {
        trees: 5,
        sample_size: 32,
        method,
        ..AnomalyConfig::preset("anomaly").expect("the preset")
    };
    let schema = Schema {
        fields: cyber_attack_detector::features::FeatureSpec::fields_of(config.features),
        labels: Labels::Optional,
        host_namespace: false,
    };
    let events = read_events(
        &include_bytes!("../data/sample.csv")[..],
        "sample.csv",
        &schema,
    )
    .expect("the sample");
    let labels = events.sus.clone().expect("labelled");
    let benign: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == 0).collect();
    let provenance = Provenance {
        tool: "test".into(),
        command: "test".into(),
        protocol: "test".into(),
        ..Provenance::default()
    };
    let mut model =
        fit_anomaly(&config, "anomaly", &events.select(&benign), provenance).expect("fits");
    let data = DataSummary::of("sample.csv".into(), &events, None);
    model.evaluation = Some(model.evaluate(&events, &labels, data).expect("the fields"));
    model
}

/// A change made to a model file's JSON.
type Edit = Box<dyn Fn(&mut Value)>;

fn refused(model: &AnomalyModel, edit: impl Fn(&mut Value)) -> String {
    let mut value: Value = serde_json::from_str(&model.to_json()).expect("JSON");
    edit(&mut value);
    let text = serde_json::to_string(&value).expect("JSON");
    match AnyModel::from_json(&text) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("accepted"),
    }
}

#[test]
fn a_model_reads_back_equal_and_as_its_kind() {
    for method in [AnomalyMethod::Forest, AnomalyMethod::Histogram] {
        let model = model(method);
        let json = model.to_json();
        // Hosts of one class have a NaN ROC-AUC, which no comparison finds equal: compare the
        // JSON.
        let back = AnomalyModel::from_json(&json).expect("loads");
        assert_eq!(back.to_json(), json);
        assert_eq!(back.estimator, model.estimator);
        assert_eq!(back.estimator.method(), method);
    }
    let model = model(AnomalyMethod::Histogram);
    let json = model.to_json();
    assert!(matches!(
        AnyModel::from_json(&json),
        Ok(AnyModel::Anomaly(_))
    ));
    let shipped = include_str!("../data/model.json");
    assert!(matches!(
        AnyModel::from_json(shipped),
        Ok(AnyModel::Supervised(_))
    ));
    assert_eq!(
        AnomalyModel::from_json(shipped),
        Err(ModelError::Invalid(
            "expected \"kind\": \"anomaly\" (this is a supervised model file)".into()
        ))
    );
    // The sample's evil column is evaluated beside sus.
    let e = model.evaluation.as_ref().expect("evaluated");
    let evil = e.evil.expect("the sample has evil");
    assert_eq!(evil.rows as usize, e.data.rows);
    let curves = e.evil_curves.as_ref().expect("with its curves");
    let pr = curves.pr.x.len();
    assert!(curves.roc.x.len() > 2 && pr > 1, "{curves:?}");
    // Every row flagged: recall 1 at precision evil / rows.
    let share = evil.evil as f64 / evil.rows as f64;
    assert_eq!((curves.pr.x[pr - 1], curves.pr.y[pr - 1]), (1.0, share));
}

#[test]
fn hostile_values_are_refused_naming_the_field() {
    let model = model(AnomalyMethod::Forest);
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|v| v["kind"] = json!("forest")),
            "\"kind\" is \"forest\"; expected \"supervised\" or \"anomaly\"",
        ),
        (
            Box::new(|v| v["forest"]["trees"][2]["left"][0] = json!(0xFFFF_FFFFu32)),
            "forest.trees[2].left[0] is 4294967295",
        ),
        (
            Box::new(|v| v["forest"]["trees"][0]["left"][1] = json!(1)),
            "forest.trees[0].left[1] is 1",
        ),
        (
            Box::new(|v| v["forest"]["trees"][1]["feature"][0] = json!(7)),
            "forest.trees[1].feature[0] is 7; the spec has 7 features",
        ),
        (
            Box::new(|v| {
                if let Some(values) = v["forest"]["trees"][0]["value"].as_array_mut() {
                    values.truncate(1);
                }
            }),
            "forest.trees[0].left, feature and value have",
        ),
        (
            Box::new(|v| v["forest"]["trees"] = json!([])),
            "forest.trees has 0 trees; expected 1 to 10000",
        ),
        (
            Box::new(|v| v["threshold"] = json!(1.5)),
            "threshold 1.5 is outside [0, 1]",
        ),
        (
            Box::new(|v| v["threshold"] = json!(1e300)),
            "threshold is 1e300",
        ),
        (
            Box::new(|v| v["evaluation"]["evil"]["detected"] = json!(1u64 << 60)),
            "evil figures count",
        ),
        (
            Box::new(|v| v["evaluation"]["evil_curves"]["roc"]["x"][1] = json!(-0.5)),
            "the evaluation's evil ROC curve has x[1] = -0.5; expected a rate in [0, 1]",
        ),
        (
            Box::new(|v| {
                if let Some(t) = v["evaluation"]["evil_curves"]["pr"]["thresholds"].as_array_mut() {
                    t.push(json!(0.5));
                }
            }),
            "the evaluation's evil precision-recall curve has",
        ),
        (
            Box::new(|v| v["forest"]["trees"][0]["value"][0] = json!("x")),
            "line 1, column",
        ),
    ];
    for (edit, expected) in cases {
        let message = refused(&model, edit);
        assert!(message.contains(expected), "{message:?} lacks {expected:?}");
    }
}

#[test]
fn a_leaf_path_beyond_any_tree_is_refused() {
    let model = model(AnomalyMethod::Forest);
    let Estimator::Forest(forest) = &model.estimator else {
        panic!("a forest");
    };
    let tree = &forest.trees[0];
    let leaf = tree.left.iter().position(|&l| l == 0).expect("a leaf");
    let message = refused(&model, |v| {
        v["forest"]["trees"][0]["value"][leaf] = json!(1e9);
    });
    assert!(
        message.contains(&format!("forest.trees[0].value[{leaf}] is 1000000000")),
        "{message}"
    );
}

#[test]
fn hostile_histograms_are_refused_naming_the_field() {
    let model = model(AnomalyMethod::Histogram);
    let Estimator::Histogram(h) = &model.estimator else {
        panic!("histograms");
    };
    // The first feature is a flag: values 0 and 1.
    assert_eq!(h.features[0].values, vec![0.0, 1.0]);
    let rows = h.rows;
    let cases: Vec<(Edit, String)> = vec![
        (
            Box::new(|v| v["training"]["config"]["method"] = json!("forest")),
            "training.config.method is \"forest\" but the file holds \"histogram\"".into(),
        ),
        (
            Box::new(|v| v["forest"] = json!({"sample_size": 2, "trees": []})),
            "holds both \"forest\" and \"histogram\"".into(),
        ),
        (
            Box::new(|v| v["training"]["config"]["method"] = json!("tree")),
            "unknown variant `tree`".into(),
        ),
        (
            Box::new(|v| v["histogram"]["features"][0]["values"][1] = json!(0.0)),
            "histogram.features[0].values[1] is 0, not above values[0]".into(),
        ),
        (
            Box::new(|v| v["histogram"]["features"][0]["values"][0] = json!(-0.0)),
            "histogram.features[0].values[0] is -0; expected a finite number".into(),
        ),
        (
            Box::new(|v| v["histogram"]["features"][0]["values"][1] = json!(1e39)),
            "1e39".into(),
        ),
        (
            Box::new(|v| v["histogram"]["features"][2]["counts"][0] = json!(1u64 << 62)),
            "histogram.features[2].counts and other add up to".into(),
        ),
        (
            Box::new(|v| {
                if let Some(c) = v["histogram"]["features"][1]["counts"].as_array_mut() {
                    c.pop();
                }
            }),
            "histogram.features[1].values and counts have 2 and 1 entries".into(),
        ),
        (
            Box::new(|v| {
                if let Some(f) = v["histogram"]["features"].as_array_mut() {
                    f.pop();
                }
            }),
            "histogram.features has 6 histograms; the spec has 7 features".into(),
        ),
        (
            Box::new(|v| v["histogram"]["rows"] = json!(0)),
            "histogram.rows is 0; expected 1 to 2^53".into(),
        ),
        (
            Box::new(move |v| v["histogram"]["features"][6]["other"] = json!(rows)),
            format!("expected histogram.rows, {rows}"),
        ),
    ];
    for (edit, expected) in cases {
        let message = refused(&model, edit);
        assert!(
            message.contains(&expected),
            "{message:?} lacks {expected:?}"
        );
    }
}

#[test]
fn too_many_values_are_refused_before_the_surprises_are_worked_out() {
    let model = model(AnomalyMethod::Histogram);
    let message = refused(&model, |v| {
        v["histogram"]["features"][0]["values"] = json!((0..5000).collect::<Vec<u32>>());
        v["histogram"]["features"][0]["counts"] = json!(vec![0; 5000]);
    });
    assert!(
        message.contains(
            "values and counts have 5000 and 5000 entries; expected as many of each, at most 4096"
        ),
        "{message}"
    );
}
