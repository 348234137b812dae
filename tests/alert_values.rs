//! `AlertGrouper::add_with_values`: each alert keeps the model's input values of its
//! highest-scoring event, and explaining those values gives back that event's score;
//! `AlertReport::add_precedents` says what the training rows said of them.

use cyber_attack_detector::alerts::{AlertGrouper, AlertReport, Limits};
use cyber_attack_detector::ingest::{EventReader, Field, Labels};
use cyber_attack_detector::model::{Model, Scorer};

/// The alerts of data/sample.csv scored by `model`: grouped with the model's input values, and
/// without them.
fn grouped(model: &Model) -> (AlertReport, AlertReport) {
    let file = include_bytes!("../data/sample.csv");
    let mut reader =
        EventReader::new(&file[..], "sample.csv", &model.schema(Labels::Optional)).expect("reads");
    let mut grouper = AlertGrouper::new(reader.headers(), Limits::default());
    let mut plain = AlertGrouper::new(reader.headers(), Limits::default());
    let (mut scorer, mut scores, mut raw) = (Scorer::default(), Vec::new(), Vec::new());
    loop {
        let mut events = reader.empty_events();
        raw.clear();
        // Chunks of 7 rows: a process's highest event is found across chunks.
        if reader
            .read_chunk(7, &mut events, Some(&mut raw))
            .expect("reads")
            == 0
        {
            break;
        }
        scores.clear();
        model
            .score_into(&events, &mut scorer, &mut scores)
            .expect("scores");
        grouper.add_with_values(model, &raw, &scores, &events);
        plain.add(model, &raw, &scores);
    }
    (grouper.finish(), plain.finish())
}

#[test]
fn each_alert_keeps_the_values_of_its_highest_scoring_event() {
    let model = Model::from_json(include_str!("../data/model.json")).unwrap();
    let (report, plain) = grouped(&model);
    assert!(report.alerts.len() > 3);
    let width = model.spec.fields().len();
    for alert in &report.alerts {
        assert_eq!(alert.max_values.len(), width, "alert {}", alert.rank);
        let explained = model.explain(&alert.max_values);
        assert_eq!(explained.score, alert.max_score, "alert {}", alert.rank);
    }
    // The first alert, tsm (pid 7555): its pid is among the values it kept.
    let first = &report.alerts[0];
    assert_eq!(first.pid, Some(7555));
    assert!(first.max_values.contains(&7555.0), "{:?}", first.max_values);
    // Without values, the same alerts with none kept.
    assert_eq!(plain.alerts.len(), report.alerts.len());
    assert!(plain.alerts.iter().all(|a| a.max_values.is_empty()));
}

/// A model reading processName and eventName: the alerts keep those fields' texts, and the
/// texts, coded as the event form codes them, explain to the alert's highest score.
#[test]
fn alerts_keep_the_names_a_names_model_reads_as_text() {
    let model = Model::from_json(include_str!("fixtures/names_model.json")).unwrap();
    let (report, _) = grouped(&model);
    let fields = model.spec.fields();
    let name_at = fields
        .iter()
        .position(|&f| f == Field::ProcessName)
        .unwrap();
    for alert in &report.alerts {
        assert_eq!(alert.max_texts.len(), fields.len(), "alert {}", alert.rank);
        // The process's name as text, never the number it was held as while read.
        assert_eq!(
            alert.max_texts[name_at], alert.process_name,
            "alert {}",
            alert.rank
        );
        let values = model.spec.values_of(&alert.max_texts).unwrap();
        let explained = model.explain(&values);
        assert_eq!(explained.score, alert.max_score, "alert {}", alert.rank);
    }
    // tsm (pid 7555) is the first alert, as with the shipped model.
    assert_eq!(report.alerts[0].max_texts[name_at], "tsm");
}

/// Each alert's precedent is what the explanation of its top event says of training (the
/// shipped model keeps its training inputs); without kept values, or from a model that keeps
/// none, nothing is said.
#[test]
fn alerts_say_what_training_said_of_their_top_event() {
    let model = Model::from_json(include_str!("../data/model.json")).unwrap();
    let (mut report, mut plain) = grouped(&model);
    assert!(report.alerts.iter().all(|a| a.precedent.is_none()));
    report.add_precedents(&model);
    for alert in &report.alerts {
        let explained = model.explain(&alert.max_values).precedent;
        assert!(explained.is_some());
        assert_eq!(alert.precedent, explained, "alert {}", alert.rank);
    }
    // tsm's inputs had no training row; 15 of the 22 alerts' top events had some.
    assert_eq!(report.alerts[0].precedent.map(|p| p.rows), Some(0));
    let backed = report
        .alerts
        .iter()
        .filter(|a| a.precedent.is_some_and(|p| p.rows > 0));
    assert_eq!((backed.count(), report.alerts.len()), (15, 22));

    plain.add_precedents(&model);
    assert!(plain.alerts.iter().all(|a| a.precedent.is_none()));
    let mut bare = model.clone();
    bare.training.precedents = None;
    let (mut report, _) = grouped(&bare);
    report.add_precedents(&bare);
    assert!(report.alerts.iter().all(|a| a.precedent.is_none()));
}
