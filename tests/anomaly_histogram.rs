//! The histogram anomaly model end to end on rows small enough to work out by hand: its
//! explanation, its threshold from held-out and calibration rows, and the budget the rows
//! cannot resolve.

use cyber_attack_detector::features::{FeatureSet, FeatureSpec};
use cyber_attack_detector::ingest::{Events, Field};
use cyber_attack_detector::model::{
    fit_anomaly_calibrated, AnomalyConfig, AnomalyModel, Detect, Provenance,
};

/// Rows of the paper's fields (in `FeatureSpec::fields_of` order): OS processes of the host's
/// namespace, returning 0 with one argument, each with the given pid and eventId.
fn events(rows: &[(f64, f64)]) -> Events {
    let fields = FeatureSpec::fields_of(FeatureSet::Paper);
    let values = fields
        .iter()
        .map(|field| {
            rows.iter()
                .map(|&(pid, event)| match field {
                    Field::ProcessId => pid,
                    Field::EventId => event,
                    Field::MountNamespace => 4_026_531_840.0,
                    Field::ArgsNum => 1.0,
                    _ => 0.0,
                })
                .collect()
        })
        .collect();
    Events {
        fields,
        values,
        ..Events::default()
    }
}

/// Six OS rows: eventId 3 four times, 41 twice.
fn model(budget: f64, calibration: &Events) -> AnomalyModel {
    let train = events(&[
        (1.0, 3.0),
        (1.0, 3.0),
        (2.0, 41.0),
        (1.0, 3.0),
        (2.0, 3.0),
        (1.0, 41.0),
    ]);
    let config = AnomalyConfig {
        alerts_per_10k: budget,
        ..AnomalyConfig::preset("anomaly").expect("the preset")
    };
    fit_anomaly_calibrated(
        &config,
        "anomaly",
        &train,
        calibration,
        Provenance::default(),
    )
    .expect("fits")
}

#[test]
fn an_event_is_explained_by_each_fields_surprise() {
    let model = model(100.0, &Events::default());
    // A user process (pid 500: flag 1, never seen) calling eventId 41 (2 of 6 rows).
    let fields = model.spec.fields();
    let values: Vec<f64> = fields
        .iter()
        .map(|f| match f {
            Field::ProcessId => 500.0,
            Field::EventId => 41.0,
            Field::MountNamespace => 4_026_531_840.0,
            Field::ArgsNum => 1.0,
            _ => 0.0,
        })
        .collect();
    let e = model.explain(&values).expect("a histogram explains");
    // Six features of one value each: p(seen) = 7/8, p(other) = 1/8. eventId: 3 (4 rows),
    // 41 (2), other: p = 5/9, 3/9, 1/9. Largest sum: 6 ln 8 + ln 9 = 14.67388.
    // The event: ln 8 (pid flag unseen) + ln 3 (eventId 41) + 5 ln 8/7 = 3.84571.
    let most = 6.0 * 8f64.ln() + 9f64.ln();
    assert!((most - 14.673_88).abs() < 1e-5);
    assert!((f64::from(e.score) - 3.845_71 / 14.673_88).abs() < 1e-5);
    assert!((e.score - 0.262_08).abs() < 1e-5);
    assert_eq!(e.base_score, 0.0);
    let of = |name: &str| {
        e.contributions
            .iter()
            .find(|c| c.field == name)
            .map(|c| c.contribution)
            .expect("a contribution")
    };
    assert!((of("processId") - 8f64.ln() / most).abs() < 1e-12);
    assert!((of("eventId") - 3f64.ln() / most).abs() < 1e-12);
    assert!((of("userId") - (8.0f64 / 7.0).ln() / most).abs() < 1e-12);
    assert_eq!(e.contributions.len(), 7);
    let sum: f64 = e.contributions.iter().map(|c| c.contribution).sum();
    assert!((sum - f64::from(e.score)).abs() < 1e-7);
    assert!(e.ignored.contains(&"threadId".to_string()));
    assert_eq!(
        e.score,
        model.score(&events(&[(500.0, 41.0)])).expect("fields")[0]
    );
}

#[test]
fn calibration_rows_join_the_held_out_rows() {
    // 94 calibration rows: with the 6 training rows, 100 held out; a budget of 100 per 10,000
    // allows one alert. One calibration row is a user process, far above the rest.
    let mut rows = vec![(1.0, 3.0); 93];
    rows.push((700.0, 99.0));
    let model = model(100.0, &events(&rows));
    assert_eq!(model.training.held_out, 100);
    assert_eq!(model.training.held_out_flagged, 1);
    assert!(model.training.threshold_rule.contains("(1 of 100)"));
    assert!(model
        .training
        .threshold_rule
        .contains("and 94 calibration rows scored by the final model"));
    assert!(!model.training.threshold_rule.contains("cannot resolve"));
    let scores = model.score(&events(&rows)).expect("fields");
    assert!(model.is_suspicious(scores[93]));
    assert!(!model.is_suspicious(scores[0]));
}

#[test]
fn a_budget_the_rows_cannot_resolve_allows_one_alert_and_says_so() {
    // 6 rows: 100 per 10,000 is 0.06 of an alert; the rows resolve 1 in 6 (1,666.7 per 10,000).
    let few = model(100.0, &Events::default());
    assert_eq!(few.training.held_out, 6);
    assert!(few.training.held_out_flagged <= 1);
    assert!(
        few.training.threshold_rule.contains(
            "6 rows cannot resolve a budget of 100 (one alert among them is 1666.7 per 10,000)"
        ),
        "{}",
        few.training.threshold_rule
    );
    // A budget of 0 allows none: the threshold lies above every held-out row.
    let none = model(0.0, &Events::default());
    assert_eq!(none.training.held_out_flagged, 0);
    assert!(!none.training.threshold_rule.contains("cannot resolve"));
}
