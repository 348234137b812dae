//! Model files: loading never panics; a model that loads scores and explains a fixed set of
//! events (ordinary, extreme and overflowing values) without panicking, with every feature
//! finite, every score in [0, 1] or NaN (and NaN suspicious), `explain` agreeing with `score`,
//! and the model written back out loading again.

use cyber_attack_detector::ingest::{Events, Field, TextColumn};
use cyber_attack_detector::model::{
    Activation, AnomalyModel, AnyModel, Detect, Model, MAX_PARAMETERS, MAX_WIDTH,
};

/// Rows of the fixed events: one value per field of [`Field::ALL`].
const ROWS: [[f64; 8]; 8] = [
    [0.0; 8],
    // A real BETH row.
    [381.0, 7337.0, 1.0, 100.0, 4026532231.0, 157.0, 5.0, 0.0],
    [4e9; 8],
    [1e308; 8],
    [-1e308; 8],
    [
        f64::MAX,
        0.0,
        f64::MIN,
        0.0,
        f64::MAX,
        0.0,
        f64::MAX,
        f64::MIN,
    ],
    [1e308, -1e308, 1e308, -1e308, 1e308, -1e308, 1e308, -1e308],
    [
        f64::MIN_POSITIVE,
        -0.0,
        1.0,
        2.0,
        999.0,
        1000.0,
        -1.0,
        1e-308,
    ],
];

/// The text of each text field (in [`Field::TEXT`] order) in every fixed row.
const TEXTS: [&str; 2] = ["systemd-udevd_12", "sched_process_exit"];

fn fixed_events() -> Events {
    Events {
        fields: Field::ALL.iter().chain(&Field::TEXT).copied().collect(),
        values: (0..Field::ALL.len())
            .map(|k| ROWS.iter().map(|row| row[k]).collect())
            .chain(Field::TEXT.iter().map(|_| vec![0.0; ROWS.len()]))
            .collect(),
        texts: Field::TEXT
            .iter()
            .zip(TEXTS)
            .map(|(&field, text)| TextColumn {
                field,
                names: vec![text.to_string()],
            })
            .collect(),
        ..Events::default()
    }
}

pub fn check_model(text: &str) {
    let model = match AnyModel::from_json(text) {
        Ok(AnyModel::Supervised(model)) => *model,
        Ok(AnyModel::Anomaly(model)) => return check_anomaly(&model),
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty() && message.len() < 1_000, "{message}");
            return;
        }
    };
    check_shape(&model);
    check_scores(&model);
    if let Some(evaluation) = &model.evaluation {
        let summary = evaluation.at_threshold(model.threshold);
        let _ = summary.confusion.rates();
        let _ = evaluation.summary.confusion.rates();
    }
    let again = Model::from_json(&model.to_json()).expect("a loaded model, written out, loads");
    assert_eq!(again.mlp, model.mlp);
    assert_eq!(again.spec, model.spec);
    assert_eq!(again.threshold.to_bits(), model.threshold.to_bits());
}

/// An anomaly model that loads scores the fixed events in [0, 1] and is written back out equal.
fn check_anomaly(model: &AnomalyModel) {
    let scores = model
        .score(&fixed_events())
        .expect("the fixed events have every field");
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)), "{scores:?}");
    assert!((0.0..=1.0).contains(&model.threshold()));
    let again = AnomalyModel::from_json(&model.to_json()).expect("written out, loads");
    assert_eq!(again.estimator, model.estimator);
    // A histogram explains every fixed event: its score, and shares adding up to it.
    let events = fixed_events();
    let columns = model.spec.columns(&events).expect("every field");
    for (row, &score) in scores.iter().enumerate() {
        let values: Vec<f64> = columns.iter().map(|c| c[row]).collect();
        if let Some(e) = model.explain(&values) {
            assert_eq!(e.score.to_bits(), score.to_bits());
            let sum: f64 = e.contributions.iter().map(|c| c.contribution).sum();
            assert!((sum - f64::from(score)).abs() <= 1e-6, "{sum} for {score}");
        }
    }
}

fn check_shape(model: &Model) {
    let sizes = model.mlp.sizes();
    assert_eq!(sizes.first(), Some(&model.spec.len()));
    assert_eq!(sizes.last(), Some(&1));
    assert!(sizes.iter().all(|&w| (1..=MAX_WIDTH).contains(&w)));
    let parameters: usize = sizes.windows(2).map(|p| p[0] * p[1] + p[1]).sum();
    assert!(parameters <= MAX_PARAMETERS);
    assert!((0.0..=1.0).contains(&model.threshold));
}

fn check_scores(model: &Model) {
    let events = fixed_events();
    let scores = model
        .score(&events)
        .expect("the fixed events have every field");
    assert_eq!(scores.len(), ROWS.len());
    let fields = model.spec.fields();
    let limit = model.input_limit();
    let mut features = vec![0f32; model.spec.len()];
    for (row, &score) in ROWS.iter().zip(&scores) {
        assert!(score.is_nan() || (0.0..=1.0).contains(&score), "{score}");
        if score.is_nan() {
            assert!(model.is_suspicious(score), "a NaN score must be suspicious");
        }
        let values: Vec<f64> = fields
            .iter()
            .map(|&f| match Field::TEXT.iter().position(|&g| g == f) {
                Some(k) => model.spec.code(f, TEXTS[k]),
                None => row[Field::ALL.iter().position(|&g| g == f).unwrap_or(0)],
            })
            .collect();
        model.spec.row(&values, &mut features);
        assert!(
            features.iter().all(|x| x.is_finite()),
            "a non-finite feature from finite values {row:?}: {features:?}"
        );
        // The detector scores a row exactly when its features are within the limit, and then
        // no activation can overflow.
        let scored = features.iter().all(|x| x.abs() <= limit);
        assert_eq!(
            scored,
            !score.is_nan(),
            "limit {limit}, features {features:?}"
        );
        if scored {
            check_no_overflow(model, &features);
        }
        let explanation = model.explain(&values);
        // One contribution per field the model reads (the players are fields, not features).
        assert_eq!(explanation.contributions.len(), model.spec.fields().len());
        assert!(
            explanation.score.to_bits() == score.to_bits()
                || (explanation.score.is_nan() && score.is_nan()),
            "explain says {}, score says {score}",
            explanation.score
        );
        assert_eq!(explanation.suspicious, model.is_suspicious(score));
    }
}

/// The network in f64: every partial sum of every layer, in magnitude, stays below 1e37
/// (f32::MAX is 3.4e38), so the f32 network cannot reach infinity or NaN.
fn check_no_overflow(model: &Model, features: &[f32]) {
    let mut input: Vec<f64> = features.iter().map(|&x| f64::from(x)).collect();
    for (l, layer) in model.mlp.layers.iter().enumerate() {
        let mut out = Vec::with_capacity(layer.outputs());
        for j in 0..layer.outputs() {
            let mut sum = f64::from(layer.bias[j]);
            let mut magnitude = sum.abs();
            for (i, &x) in input.iter().enumerate() {
                let term = x * f64::from(layer.weights[[i, j]]);
                sum += term;
                magnitude += term.abs();
            }
            assert!(
                magnitude <= 1.0001e37,
                "layer {l} unit {j} reaches {magnitude:e}"
            );
            out.push(match layer.activation {
                Activation::Relu => sum.max(0.0),
                Activation::Sigmoid => 1.0 / (1.0 + (-sum).exp()),
            });
        }
        input = out;
    }
}

#[cfg(test)]
mod tests {
    use super::check_model;
    use cyber_attack_detector::model::{AnomalyMethod, AnomalyModel, Estimator, Forest, Tree};

    /// The checks hold for the project's own model files: the shipped supervised and anomaly
    /// models and the names-preset fixture (a check that fails on them is the check's bug).
    #[test]
    fn the_project_model_files_pass_every_check() {
        check_model(include_str!("../../data/model.json"));
        check_model(include_str!("../../data/anomaly.json"));
        // The same model with a forest of one tree in place of its histograms.
        let mut forest =
            AnomalyModel::from_json(include_str!("../../data/anomaly.json")).expect("loads");
        forest.training.config.method = AnomalyMethod::Forest;
        forest.estimator = Estimator::Forest(Forest {
            sample_size: 2,
            trees: vec![Tree {
                feature: vec![4, 0, 0],
                value: vec![0.5, 1.0, 1.0],
                left: vec![1, 0, 0],
            }],
        });
        check_model(&forest.to_json());
        check_model(include_str!("../../tests/fixtures/names_model.json"));
    }
}
