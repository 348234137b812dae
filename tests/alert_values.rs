//! `AlertGrouper::add_with_values`: each alert keeps the model's input values of its
//! highest-scoring event, and explaining those values gives back that event's score.

use cyber_attack_detector::alerts::{AlertGrouper, Limits};
use cyber_attack_detector::ingest::{EventReader, Labels};
use cyber_attack_detector::model::{Model, Scorer};

#[test]
fn each_alert_keeps_the_values_of_its_highest_scoring_event() {
    let model = Model::from_json(include_str!("../data/model.json")).unwrap();
    let file = include_bytes!("../data/sample.csv");
    let mut reader =
        EventReader::new(&file[..], "sample.csv", &model.schema(Labels::Optional)).unwrap();
    let mut grouper = AlertGrouper::new(reader.headers(), Limits::default());
    let mut plain = AlertGrouper::new(reader.headers(), Limits::default());
    let (mut scorer, mut scores, mut raw) = (Scorer::default(), Vec::new(), Vec::new());
    loop {
        let mut events = reader.empty_events();
        raw.clear();
        // Chunks of 7 rows: a process's highest event is found across chunks.
        if reader.read_chunk(7, &mut events, Some(&mut raw)).unwrap() == 0 {
            break;
        }
        scores.clear();
        model.score_into(&events, &mut scorer, &mut scores).unwrap();
        grouper.add_with_values(&model, &raw, &scores, &events);
        plain.add(&model, &raw, &scores);
    }
    let (report, plain) = (grouper.finish(), plain.finish());
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
