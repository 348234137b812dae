//! The alerts of a file the worker reads: the core's grouper fed chunk by chunk, then every
//! alert as ECS NDJSON (the bytes the CLI's `alerts` writes) and the first [`SHOWN`] alerts with
//! what the page shows of each: its process tree and timeline (as the charts take them), and
//! its events for a table. Everything is bounded, whatever the file.

use csv::ByteRecord;
use cyber_attack_detector::alerts::{
    ecs, Alert, AlertGrouper, AlertReport, AncestryEnd, Clock, Limits, TimelineCounts,
    TimelineEntry, TimelineExtent,
};
use cyber_attack_detector::charts::process_tree::{ProcessTree, TreeNode};
use cyber_attack_detector::charts::timeline::{Lane, Timeline, TimelineEvent};
use cyber_attack_detector::ingest::Events;
use cyber_attack_detector::model::Detect;
use serde::Serialize;
use std::collections::HashMap;

/// Alerts the page lists, highest priority first; the NDJSON has them all.
pub const SHOWN: usize = 200;
/// Timeline marks per alert: its own process's entries first, then its children's.
pub const MARKS: usize = 300;
/// Events per alert in its table, chosen the same way.
pub const TABLE: usize = 100;
/// The name of a parent the file names by id only.
pub const NOT_IN_FILE: &str = "(not in the file)";

/// What the page shows of a file's alerts.
#[derive(Debug, PartialEq, Serialize)]
pub struct Alerts {
    /// What the times count.
    pub clock: Clock,
    /// The threshold the verdicts were made at.
    pub threshold: f32,
    /// Rows read.
    pub rows: u64,
    /// Processes seen.
    pub processes: usize,
    /// Alerts found (all of them are in the NDJSON).
    pub total: usize,
    /// Rows of processes beyond the grouper's bound, not grouped.
    pub omitted_rows: u64,
    /// Timeline entries the grouper keeps from the start of each process
    /// ([`Limits::first_entries`]).
    pub first_entries: usize,
    /// Besides those, the most suspicious later entries it keeps of each
    /// ([`Limits::top_entries`]).
    pub top_entries: usize,
    /// The first [`SHOWN`] alerts.
    pub alerts: Vec<AlertView>,
}

/// One alert and what the page draws and lists for it.
#[derive(Debug, PartialEq, Serialize)]
pub struct AlertView {
    /// The core's alert (its `max_values` are what the explanation of its most suspicious
    /// event takes, in the model's field order).
    pub alert: Alert,
    /// Its ancestors, itself and its children.
    pub tree: ProcessTree,
    /// Its events and its children's over time.
    pub timeline: Timeline,
    /// Its events (and its children's) for a table, in time order, at most [`TABLE`].
    pub events: Vec<TimelineEntry>,
    /// Of its process's and its listed children's timelines: every entry and event read
    /// (`seen`), and the entries the grouper kept and the events they stand for (`kept`), of
    /// which `events` and the timeline's marks are the first.
    pub extent: TimelineExtent,
    /// The entries in `events` and the events they stand for.
    pub listed: TimelineCounts,
    /// The entries the timeline marks and the events they stand for.
    pub drawn: TimelineCounts,
}

/// The grouper while the file is read, then its report and NDJSON.
#[derive(Debug)]
pub struct Grouping {
    limits: Limits,
    grouper: Option<AlertGrouper>,
    report: Option<AlertReport>,
    ndjson: Vec<u8>,
}

impl Grouping {
    /// A grouper for records with columns `headers`.
    pub fn new(headers: &ByteRecord) -> Grouping {
        let limits = Limits::default();
        Grouping {
            limits,
            grouper: Some(AlertGrouper::new(headers, limits)),
            report: None,
            ndjson: Vec::new(),
        }
    }

    /// Adds a chunk: its records, their scores and their model input values.
    pub fn add(
        &mut self,
        model: &impl Detect,
        raw: &[ByteRecord],
        scores: &[f32],
        events: &Events,
    ) {
        if let Some(grouper) = &mut self.grouper {
            grouper.add_with_values(model, raw, scores, events);
        }
    }

    /// Ranks the alerts and writes their NDJSON, once the file is read (again: nothing);
    /// `model`, the one that scored the file, says what its training rows said of the alerts.
    pub fn finish(&mut self, model: &impl Detect) {
        if let Some(grouper) = self.grouper.take() {
            let mut report = grouper.finish();
            report.add_precedents(model);
            // Writing to memory cannot fail.
            ecs::write_ndjson(&report, None, &mut self.ndjson).unwrap_or_default();
            self.report = Some(report);
        }
    }

    /// The NDJSON written by [`Grouping::finish`] and not taken yet.
    pub fn take_ndjson(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.ndjson)
    }

    /// What the page shows; `None` before [`Grouping::finish`].
    pub fn view(self) -> Option<Alerts> {
        let report = self.report?;
        let alerts = report
            .alerts
            .iter()
            .take(SHOWN)
            .map(|alert| {
                let events: Vec<TimelineEntry> = entries(&report, alert, TABLE)
                    .into_iter()
                    .cloned()
                    .collect();
                let (timeline, drawn) = timeline(&report, alert);
                AlertView {
                    alert: alert.clone(),
                    tree: tree(&report, alert),
                    timeline,
                    listed: TimelineCounts::of(&events),
                    events,
                    extent: report.timeline_extent(alert),
                    drawn,
                }
            })
            .collect();
        Some(Alerts {
            clock: report.clock,
            threshold: report.threshold,
            rows: report.rows,
            processes: report.processes.len(),
            total: report.alerts.len(),
            omitted_rows: report.omitted_rows,
            first_entries: self.limits.first_entries,
            top_entries: self.limits.top_entries,
            alerts,
        })
    }
}

/// `alert`'s family: a parent the file names by id only, its ancestors (root first), its
/// process and its listed children.
pub fn tree(report: &AlertReport, alert: &Alert) -> ProcessTree {
    let processes = &report.processes;
    let mut nodes = Vec::new();
    let top = alert.ancestry.last().copied().unwrap_or(alert.process);
    let outside = processes
        .get(top as usize)
        .filter(|p| p.parent.is_none() && alert.ancestry_end == AncestryEnd::Root)
        .and_then(|p| p.parent_pid.filter(|&parent| Some(parent) != p.pid));
    if let Some(pid) = outside {
        nodes.push(TreeNode {
            parent: None,
            name: NOT_IN_FILE.to_string(),
            pid: Some(pid),
            score: None,
        });
    }
    let family = alert
        .ancestry
        .iter()
        .rev()
        .chain([&alert.process])
        .filter_map(|&i| processes.get(i as usize));
    for p in family {
        let parent = nodes.len().checked_sub(1);
        nodes.push(TreeNode {
            parent,
            name: p.name.clone(),
            pid: p.pid,
            score: Some(p.max_score),
        });
    }
    let (focus, mut unlisted) = (nodes.len().saturating_sub(1), 0);
    if let Some(own) = processes.get(alert.process as usize) {
        for &c in &own.children {
            if let Some(child) = processes.get(c as usize) {
                nodes.push(TreeNode {
                    parent: Some(focus),
                    name: child.name.clone(),
                    pid: child.pid,
                    score: Some(child.max_score),
                });
            }
        }
        unlisted = own.children_count.saturating_sub(own.children.len() as u64);
    }
    ProcessTree {
        nodes,
        focus,
        threshold: report.threshold,
        unlisted,
    }
}

/// `alert`'s timeline: a lane for its process and one for each listed child, and a mark for
/// each of the first [`MARKS`] entries [`entries`] picks; with the entries marked and the
/// events they stand for.
pub fn timeline(report: &AlertReport, alert: &Alert) -> (Timeline, TimelineCounts) {
    let mut lanes = Vec::new();
    let mut lane_of = HashMap::new();
    for p in report.family(alert) {
        lane_of.entry(p.pid).or_insert(lanes.len());
        lanes.push(Lane {
            name: p.name.clone(),
            pid: p.pid,
        });
    }
    let marked: Vec<(&TimelineEntry, usize)> = entries(report, alert, MARKS)
        .into_iter()
        .filter_map(|e| Some((e, *lane_of.get(&e.pid)?)))
        .collect();
    let events = marked
        .iter()
        .map(|&(e, lane)| TimelineEvent {
            lane,
            time: e.time,
            name: e.event_name.clone(),
            count: e.repeats,
            suspicious: e.suspicious > 0,
        })
        .collect();
    let timeline = Timeline {
        lanes,
        events,
        rows: report.clock == Clock::RowOrder,
    };
    (timeline, TimelineCounts::of(marked.iter().map(|&(e, _)| e)))
}

/// The timeline entries of `alert`'s process, then of its listed children in time order,
/// at most `cap` of them, in time order (then row order).
pub fn entries<'r>(report: &'r AlertReport, alert: &Alert, cap: usize) -> Vec<&'r TimelineEntry> {
    let merged = report.timeline(alert);
    let own = report.processes.get(alert.process as usize).map(|p| p.pid);
    let is_own = |e: &&TimelineEntry| Some(e.pid) == own;
    let mut picked: Vec<&TimelineEntry> = merged.iter().copied().filter(is_own).take(cap).collect();
    let room = cap - picked.len();
    picked.extend(merged.iter().copied().filter(|e| !is_own(e)).take(room));
    picked.sort_by(|a, b| a.time.total_cmp(&b.time).then(a.row.cmp(&b.row)));
    picked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Outcome, ScoreSession};
    use crate::source::Source;
    use cyber_attack_detector::ingest::read_events;
    use cyber_attack_detector::ingest::{EventReader, Labels};
    use cyber_attack_detector::model::{Model, Precedents, Scorer};

    const SAMPLE: &str = include_str!("../../../data/sample.csv");

    fn shipped() -> Model {
        Model::from_json(include_str!("../../../data/model.json")).expect("the shipped model")
    }

    /// The alerts of a whole file through a session, and its NDJSON.
    fn read(text: &str) -> (Alerts, Vec<u8>) {
        read_with(shipped(), text)
    }

    fn read_with(model: Model, text: &str) -> (Alerts, Vec<u8>) {
        let source = Source::bytes(text.as_bytes());
        let mut session = ScoreSession::new(model, source, "in.csv").expect("opens");
        let mut ndjson = Vec::new();
        loop {
            let progress = session.advance().expect("reads");
            ndjson.extend(session.take_alerts());
            if progress.finished {
                break;
            }
            assert!(ndjson.is_empty(), "no NDJSON before the end");
        }
        assert!(session.take_alerts().is_empty(), "taken once");
        let alerts = match session.finish().expect("finishes") {
            Outcome::Evaluated { alerts, .. } => *alerts,
            Outcome::Scored(scored) => scored.alerts,
            Outcome::Verdicts(_) => panic!("an events file, not verdicts"),
        };
        (alerts, ndjson)
    }

    /// The NDJSON the CLI's `alerts` writes: the core's grouper fed by `add_with_values`, in
    /// chunks of 100, and the report given the model's precedents.
    fn cli_ndjson(text: &str) -> Vec<u8> {
        let model = shipped();
        let schema = model.schema(Labels::Optional);
        let mut reader = EventReader::new(text.as_bytes(), "in.csv", &schema).expect("opens");
        let mut grouper = AlertGrouper::new(reader.headers(), Limits::default());
        let (mut scorer, mut scores, mut raw) = (Scorer::default(), Vec::new(), Vec::new());
        loop {
            let mut events = reader.empty_events();
            raw.clear();
            if reader
                .read_chunk(100, &mut events, Some(&mut raw))
                .expect("valid")
                == 0
            {
                break;
            }
            scores.clear();
            model
                .score_into(&events, &mut scorer, &mut scores)
                .expect("fields");
            grouper.add_with_values(&model, &raw, &scores, &events);
        }
        let mut report = grouper.finish();
        report.add_precedents(&model);
        let mut out = Vec::new();
        ecs::write_ndjson(&report, None, &mut out).expect("in memory");
        out
    }

    #[test]
    fn the_sample_ranks_the_attacks_payload_first_with_its_family_and_events() {
        let (alerts, ndjson) = read(SAMPLE);
        assert_eq!(
            (alerts.rows, alerts.processes, alerts.total, alerts.clock),
            (400, 32, 22, Clock::SinceBoot)
        );
        assert_eq!(alerts.alerts.len(), 22);
        assert_eq!(ndjson, cli_ndjson(SAMPLE));
        assert_eq!(ndjson.iter().filter(|&&b| b == b'\n').count(), 22);

        let first = &alerts.alerts[0];
        let alert = &first.alert;
        assert_eq!(
            (alert.host.as_str(), alert.pid, alert.process_name.as_str()),
            ("ip-10-100-1-217", Some(7555), "tsm")
        );
        // 282 events, 169 folded into repeats: 113 entries, of which the first 24 and the 24
        // most suspicious are kept: 48 entries, standing for 208 events. No children: the
        // table lists them all and the timeline marks them all.
        assert_eq!((alert.events, alert.collapsed), (282, 169));
        assert_eq!((alerts.first_entries, alerts.top_entries), (24, 24));
        let (kept, seen) = (first.extent.kept, first.extent.seen);
        assert_eq!((seen.entries, seen.events), (113, 282));
        assert_eq!((kept.entries, kept.events), (48, 208));
        assert_eq!(first.listed, kept);
        assert_eq!(first.drawn, kept);
        // Its first event is line 108 of the file: the key its verdict is kept under.
        assert_eq!(alert.first_line, 108);
        assert_eq!(first.events.len(), 48);
        assert!(first.events.windows(2).all(|w| w[0].time <= w[1].time));
        // Its parent, 7548, is named by id only: a node of its own above tsm.
        assert_eq!(
            first.tree,
            ProcessTree {
                nodes: vec![
                    TreeNode {
                        parent: None,
                        name: NOT_IN_FILE.to_string(),
                        pid: Some(7548),
                        score: None,
                    },
                    TreeNode {
                        parent: Some(0),
                        name: "tsm".to_string(),
                        pid: Some(7555),
                        score: Some(alert.max_score),
                    },
                ],
                focus: 1,
                threshold: alerts.threshold,
                unlisted: 0,
            }
        );
        let timeline = &first.timeline;
        assert_eq!(
            timeline.lanes,
            [Lane {
                name: "tsm".to_string(),
                pid: Some(7555)
            }]
        );
        assert_eq!(timeline.events.len(), 48);
        assert!(!timeline.rows);
        let repeats: u64 = first.events.iter().map(|e| e.repeats).sum();
        let counted: u64 = timeline.events.iter().map(|e| e.count).sum();
        assert_eq!(counted, repeats);
        assert!(timeline
            .events
            .iter()
            .any(|e| e.name == "connect" && e.count > 1));
        // The explanation's values score the alert's highest score.
        assert_eq!(shipped().explain(&alert.max_values).score, alert.max_score);
        // Each alert says what the explanation of its top event says of training: tsm's inputs
        // (a user's process under a user's parent, a failed call, 3 arguments) none had.
        assert_eq!(first.alert.precedent.map(|p| p.rows), Some(0));
        for view in &alerts.alerts {
            let explained = shipped().explain(&view.alert.max_values).precedent;
            assert_eq!(view.alert.precedent, explained, "alert {}", view.alert.rank);
        }
        let backed = alerts
            .alerts
            .iter()
            .filter(|v| v.alert.precedent.is_some_and(|p| p.rows > 0));
        assert_eq!(backed.count(), 15);
    }

    /// A model reading processName and eventName: the top event's texts go through its
    /// vocabulary as the event form's do, whatever number they were held as while read.
    #[test]
    fn a_names_models_alerts_say_what_training_said_of_their_texts() {
        let mut names = Model::from_json(include_str!("../../../tests/fixtures/names_model.json"))
            .expect("the names model");
        // The fixture keeps no training inputs: the sample's own stand in, so that some match.
        let sample = read_events(
            SAMPLE.as_bytes(),
            "sample.csv",
            &names.schema(Labels::Required),
        )
        .expect("the sample");
        names.training.precedents = Some(Precedents::of(&names.spec, &sample).expect("fields"));
        let (alerts, _) = read_with(names.clone(), SAMPLE);
        assert!(alerts.alerts.len() > 5);
        for view in &alerts.alerts {
            let typed = crate::event::explain(&names, &view.alert.max_texts).expect("explains");
            assert_eq!(
                view.alert.precedent, typed.precedent,
                "alert {}",
                view.alert.rank
            );
        }
        assert!(alerts
            .alerts
            .iter()
            .any(|v| v.alert.precedent.is_some_and(|p| p.rows > 0)));
    }

    #[test]
    fn scored_and_evaluated_files_give_the_same_alerts() {
        let (labelled, ndjson) = read(SAMPLE);
        let text = crate::session::tests::unlabelled();
        let (unlabelled, unlabelled_ndjson) = read(&text);
        assert_eq!(unlabelled, labelled);
        assert_eq!(unlabelled_ndjson, ndjson);
    }

    /// The sample's header and tsm's `close` row (line 110) with `pid`, `parent` and event name.
    fn synthetic(rows: &[(i64, i64, &str)]) -> String {
        let mut lines = SAMPLE.lines();
        let header = lines.next().unwrap_or_default();
        let tsm = SAMPLE.lines().nth(109).unwrap_or_default();
        assert!(tsm.starts_with("472.388667,7555,7555,7548,"), "{tsm}");
        let mut text = format!("{header}\n");
        for (i, (pid, parent, event)) in rows.iter().enumerate() {
            let rest = tsm.splitn(5, ',').nth(4).unwrap_or_default();
            let rest = rest.replacen(",close,", &format!(",{event},"), 1);
            text.push_str(&format!("{}.0,{pid},{pid},{parent},{rest}\n", 100 + i));
        }
        text
    }

    #[test]
    fn what_the_page_gets_is_bounded() {
        // 300 lone processes with one event, and one (pid 5000) with three events and 100
        // children of two events each.
        let mut rows: Vec<(i64, i64, String)> = (0..300)
            .map(|k| (10_000 + k, 7548, "close".into()))
            .collect();
        for event in ["close", "read", "write"] {
            rows.push((5000, 7548, event.to_string()));
        }
        for c in 0..100 {
            rows.push((6000 + c, 5000, "close".to_string()));
            rows.push((6000 + c, 5000, format!("ev{c}")));
        }
        let rows: Vec<(i64, i64, &str)> =
            rows.iter().map(|(p, q, e)| (*p, *q, e.as_str())).collect();
        let (alerts, ndjson) = read(&synthetic(&rows));
        assert_eq!((alerts.processes, alerts.total), (401, 401));
        assert_eq!(alerts.alerts.len(), SHOWN);
        assert_eq!(ndjson.iter().filter(|&&b| b == b'\n').count(), 401);
        // All score the same: pid 5000, with the most suspicious events, ranks first.
        let family = &alerts.alerts[0];
        assert_eq!(family.alert.pid, Some(5000));
        // Its tree: the parent by id, itself, 64 children listed and 36 more counted.
        assert_eq!(family.tree.nodes.len(), 1 + 1 + 64);
        assert_eq!((family.tree.focus, family.tree.unlisted), (1, 36));
        // Its events: its own three and its 64 listed children's two each; the table has its
        // own and then its children's, the first 100 in time order.
        // Nothing dropped (3 and 2 entries a process, under 24): 3 + 128 entries of one event
        // each seen and kept (the 36 unlisted children's not counted), 100 listed (its own 3,
        // then 97 of its children's), all 131 drawn.
        let whole = TimelineCounts {
            entries: 3 + 128,
            events: 3 + 128,
        };
        assert_eq!(
            family.extent,
            TimelineExtent {
                seen: whole,
                kept: whole
            }
        );
        assert_eq!(
            family.listed,
            TimelineCounts {
                entries: 100,
                events: 100
            }
        );
        assert_eq!(family.drawn, whole);
        assert_eq!(family.events.len(), TABLE);
        assert_eq!(family.events[0].pid, Some(5000));
        assert_eq!(family.timeline.lanes.len(), 65);
        assert_eq!(family.timeline.events.len(), 131);
    }
}
