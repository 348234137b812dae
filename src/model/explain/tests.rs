//! The defining properties of the explanation, on the shipped model and on networks built by
//! hand whose Shapley values are known.

use super::*;
use crate::features::{Feature, FieldScale, Transform};
use crate::ingest::{read_events, Labels};
use crate::model::{Activation, Dense};
use ndarray::{Array1, Array2};

fn shipped() -> Model {
    Model::from_json(include_str!("../../../data/model.json")).expect("the shipped model")
}

/// The shipped model with `features` (transforms with their baselines) over a scaler of every
/// field in [`Field::ALL`] order, each of mean 0 and std 1 (so a z-score is the value itself),
/// and one hand-set layer per `(weights, bias, activation)`, weights inputs × outputs, row-major.
fn hand_built(features: Vec<(Transform, f32)>, layers: &[(&[f32], &[f32], Activation)]) -> Model {
    let mut model = shipped();
    model.spec.scaler = Field::ALL
        .into_iter()
        .map(|field| FieldScale {
            field,
            mean: 0.0,
            std: 1.0,
        })
        .collect();
    model.spec.features = features
        .into_iter()
        .enumerate()
        .map(|(k, (transform, baseline))| Feature {
            name: format!("f{k}"),
            transform,
            monotone: false,
            baseline,
        })
        .collect();
    let mut inputs = model.spec.len();
    model.mlp.layers = layers
        .iter()
        .map(|&(weights, bias, activation)| {
            let layer = Dense {
                weights: Array2::from_shape_vec((inputs, bias.len()), weights.to_vec())
                    .expect("inputs × outputs weights"),
                bias: Array1::from_vec(bias.to_vec()),
                activation,
            };
            inputs = bias.len();
            layer
        })
        .collect();
    model
}

/// The z-score of `field`: its value itself in the hand-built models.
fn z(field: Field) -> Transform {
    Transform::Z { field }
}

fn shares(explanation: &Explanation) -> Vec<f64> {
    explanation
        .contributions
        .iter()
        .map(|c| c.contribution)
        .collect()
}

/// Two fields, a ReLU output `max(2 x0 + x1 − 1, 0)`, the event (1, 1) and the baseline (0, 0):
/// v(∅) = 0, v({0}) = 1, v({1}) = 0, v({0, 1}) = 2, so φ0 = ½(1 − 0) + ½(2 − 0) = 1.5 and
/// φ1 = ½(0 − 0) + ½(2 − 1) = 0.5.
#[test]
fn two_fields_by_hand() {
    let model = hand_built(
        vec![(z(Field::ProcessId), 0.0), (z(Field::UserId), 0.0)],
        &[(&[2.0, 1.0], &[-1.0], Activation::Relu)],
    );
    let mut values = [0.0; 8];
    values[0] = 1.0;
    values[3] = 1.0;
    let e = model.explain(&values);
    assert_eq!((e.score, e.base_score), (2.0, 0.0));
    assert_eq!(e.method, Method::Exact);
    assert_eq!(e.evaluations, 4);
    assert_eq!(shares(&e), vec![1.5, 0.5]);
    let fields: Vec<&str> = e.contributions.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["processId", "userId"]);
    assert_eq!(e.contributions[1].value, 1.0);
    assert_eq!(
        e.contributions[1].features,
        [FeatureValue {
            name: "f1".into(),
            value: 1.0,
            baseline: 0.0
        }]
    );
    // The six other numeric fields and both text fields are read by no feature: ignored,
    // with the columns that are no field.
    assert_eq!(
        e.ignored,
        [
            "threadId",
            "parentProcessId",
            "mountNamespace",
            "eventId",
            "argsNum",
            "returnValue",
            "processName",
            "eventName",
            "timestamp",
            "hostName",
            "stackAddresses",
            "args"
        ]
    );
}

/// A field whose only feature has zero weights gets exactly 0, however far its value is from
/// the baseline; two fields with the same weights, values and baselines get the same share.
#[test]
fn an_ignored_field_gets_zero_and_symmetric_fields_share_equally() {
    // Hidden ReLU layer of 2 units, then a sigmoid: features 0 and 1 symmetric, 2 ignored.
    let model = hand_built(
        vec![
            (z(Field::ProcessId), 0.25),
            (z(Field::ThreadId), 0.25),
            (z(Field::UserId), -3.0),
            (z(Field::ArgsNum), 1.0),
        ],
        &[
            (
                &[0.5, -0.25, 0.5, -0.25, 0.0, 0.0, 1.5, 0.75],
                &[0.1, 0.2],
                Activation::Relu,
            ),
            (&[1.25, -0.5], &[-0.3], Activation::Sigmoid),
        ],
    );
    let mut values = [0.0; 8];
    values[0] = 2.0; // processId
    values[1] = 2.0; // threadId
    values[3] = 1e6; // userId
    values[6] = 4.0; // argsNum
    let e = model.explain(&values);
    let fields: Vec<&str> = e.contributions.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["processId", "threadId", "userId", "argsNum"]);
    let phi = shares(&e);
    assert_eq!(phi[2], 0.0, "{phi:?}");
    assert_eq!(phi[0].to_bits(), phi[1].to_bits(), "{phi:?}");
    assert!(phi[0] > 0.0 && phi[3] != 0.0, "{phi:?}");
    let total: f64 = phi.iter().sum();
    assert!((total - f64::from(e.score - e.base_score)).abs() < 1e-9);
}

/// A product of two fields moves the score only when both are known: with a ReLU output equal
/// to the product (z-scores 2 and 3 against baselines 0), v(∅) = v({p}) = v({u}) = 0 and
/// v({p, u}) = 6, shared 3 and 3. A field feeding two features is one player with both.
#[test]
fn a_product_is_shared_and_a_field_feeding_two_features_is_one_player() {
    let model = hand_built(
        vec![
            (z(Field::ProcessId), 0.0),
            (
                Transform::ZProduct {
                    a: Field::UserId,
                    b: Field::ProcessId,
                },
                0.0,
            ),
            (
                Transform::ZSquare {
                    field: Field::UserId,
                },
                1.0,
            ),
        ],
        &[(&[0.0, 1.0, 0.0], &[0.0], Activation::Relu)],
    );
    let mut values = [0.0; 8];
    values[0] = 2.0;
    values[3] = 3.0;
    let e = model.explain(&values);
    assert_eq!((e.score, e.base_score), (6.0, 0.0));
    assert_eq!(shares(&e), vec![3.0, 3.0]);
    let features = |i: usize| -> Vec<(&str, f32, f32)> {
        e.contributions[i]
            .features
            .iter()
            .map(|f| (f.name.as_str(), f.value, f.baseline))
            .collect()
    };
    assert_eq!(features(0), [("f0", 2.0, 0.0), ("f1", 6.0, 0.0)]);
    assert_eq!(features(1), [("f1", 6.0, 0.0), ("f2", 9.0, 1.0)]);
}

/// Rows of the shipped sample: the score has the same bits as [`Model::score`] gives, the
/// base score is the score of the baseline features, and the contributions of the 5 fields,
/// from all 32 coalitions, add up to score − base score.
#[test]
fn the_shipped_model_adds_up_on_real_events() {
    let model = shipped();
    let events = read_events(
        &include_bytes!("../../../data/sample.csv")[..],
        "sample.csv",
        &model.schema(Labels::Optional),
    )
    .expect("the sample");
    let rows: Vec<usize> = (0..40).map(|i| i * 97 % events.len()).collect();
    let events = events.select(&rows);
    let scores = model.score(&events).expect("the fields");
    let baseline: Vec<f32> = model.spec.features.iter().map(|f| f.baseline).collect();
    let mut base = [0f32];
    model
        .mlp
        .score(&baseline, &mut base, &mut Scratch::default());
    let fields = model.spec.fields();
    for (r, &expected) in scores.iter().enumerate() {
        let values: Vec<f64> = fields
            .iter()
            .map(|&f| events.column(f).expect("the field")[r])
            .collect();
        let e = model.explain(&values);
        assert_eq!(e.score.to_bits(), expected.to_bits(), "row {r}");
        assert_eq!(e.base_score.to_bits(), base[0].to_bits());
        assert_eq!((e.method, e.evaluations), (Method::Exact, 32));
        assert_eq!(e.contributions.len(), 5);
        let total: f64 = shares(&e).iter().sum();
        let gap = f64::from(e.score) - f64::from(e.base_score);
        assert!((total - gap).abs() < 1e-12, "row {r}: {total} vs {gap}");
    }
}

/// The shipped model's base score by hand: its baselines through the network, and the
/// returnValue player holding both of its features.
#[test]
fn the_shipped_model_names_its_players() {
    let model = shipped();
    let e = model.explain(&[7548.0, 7534.0, 1001.0, 1.0, 0.0]);
    let fields: Vec<&str> = e.contributions.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "processId",
            "parentProcessId",
            "userId",
            "argsNum",
            "returnValue"
        ]
    );
    let names: Vec<&str> = e.contributions[4]
        .features
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["call failed (return < 0)", "call returned > 0"]);
    // argsNum 1 is (1 − 2.2379) / 1.3305 = −0.930 standard deviations from the mean.
    let args = &e.contributions[3].features[0];
    assert!((args.value + 0.930_4).abs() < 1e-4, "{}", args.value);
    assert_eq!(
        e.ignored[..3],
        ["threadId", "mountNamespace", "eventId"].map(String::from)
    );
}

/// Under a budget too small for every coalition the values are estimated from orderings: the
/// same estimate every time, adding up exactly, within the budget's rows; and in a game
/// without interactions (a ReLU output that stays positive is linear) exactly the Shapley
/// values.
#[test]
fn the_sampled_fallback_adds_up_and_is_deterministic() {
    let model = shipped();
    let cost: usize = model.mlp.layers.iter().map(|l| l.weights.len()).sum();
    let values = [7548.0, 7534.0, 1001.0, 1.0, 0.0];
    let exact = model.explain(&values);
    let first = model.explain_within(&values, 20 * cost);
    let again = model.explain_within(&values, 20 * cost);
    assert_eq!(first, again);
    assert_eq!(first.method, Method::Sampled);
    // 4 orderings of 5 fields: at most 2 + 4 × 4 = 18 rows.
    assert!(first.evaluations <= 18, "{}", first.evaluations);
    assert_eq!(
        (first.score.to_bits(), first.base_score.to_bits()),
        (exact.score.to_bits(), exact.base_score.to_bits())
    );
    let total: f64 = shares(&first).iter().sum();
    let gap = f64::from(first.score) - f64::from(first.base_score);
    assert!((total - gap).abs() < 1e-12, "{total} vs {gap}");
    // The smallest budget still runs one ordering: ∅, 4 prefixes of it, everyone.
    let least = model.explain_within(&values, 0);
    assert_eq!(least.evaluations, 6);

    let additive = hand_built(
        vec![
            (z(Field::ProcessId), 0.0),
            (z(Field::UserId), 0.0),
            (z(Field::ArgsNum), 0.0),
        ],
        &[(&[1.0, 2.0, 4.0], &[8.0], Activation::Relu)],
    );
    let mut values = [0.0; 8];
    values[0] = 1.0;
    values[3] = 1.0;
    values[6] = 1.0;
    let sampled = additive.explain_within(&values, 3);
    assert_eq!(sampled.method, Method::Sampled);
    assert_eq!(shares(&sampled), vec![1.0, 2.0, 4.0]);
    assert_eq!(shares(&additive.explain(&values)), vec![1.0, 2.0, 4.0]);
}

/// A network of 4 million weights (4096 features, 976 hidden units) is explained within the
/// budget: sampled, one ordering of its 5 fields.
#[test]
fn the_widest_network_is_sampled_within_the_budget() {
    let mut model = shipped();
    let features = model.spec.features.clone();
    model.spec.features = (0..4096)
        .map(|k| features[k % features.len()].clone())
        .collect();
    let mut rng = crate::rng::Rng::new(5);
    model.mlp = crate::model::Mlp::new(&[4096, 976, 1], &mut rng);
    let cost: usize = model.mlp.layers.iter().map(|l| l.weights.len()).sum();
    let e = model.explain(&[7548.0, 7534.0, 1001.0, 1.0, 0.0]);
    assert_eq!(e.method, Method::Sampled);
    assert!(e.evaluations * cost <= BUDGET, "{} rows", e.evaluations);
    assert_eq!(e.evaluations, 6);
    let total: f64 = shares(&e).iter().sum();
    assert!((total - f64::from(e.score - e.base_score)).abs() < 1e-6);
}

/// A NaN value, or one beyond the input limit, scores NaN (suspicious) as [`Model::score`]
/// does; the base score stays a number and the contributions are NaN.
#[test]
fn nan_and_out_of_limit_values_score_nan() {
    let mut model = shipped();
    let scale = model.input_limit() / 100.0;
    model.mlp.layers[0].weights.mapv_inplace(|w| w * scale);
    for args in [f64::NAN, 1e30] {
        let e = model.explain(&[7548.0, 7534.0, 1001.0, args, 0.0]);
        assert!(e.score.is_nan() && e.suspicious, "argsNum {args}");
        assert!(e.base_score.is_finite());
        assert!(e.contributions.iter().all(|c| c.contribution.is_nan()));
    }
    let e = model.explain(&[7548.0, 7534.0, 1001.0, 1.0, 0.0]);
    assert!(e.score.is_finite() && shares(&e).iter().all(|x| x.is_finite()));
}
