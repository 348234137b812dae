//! Alerts as Elastic Common Schema (ECS) NDJSON: one JSON object per alert, ranked, so that
//! Elastic, Splunk or any SIEM ingests them as they are. The CLI's `alerts` and the page write
//! the same bytes through [`write_ndjson`].
//!
//! ECS names where one exists: `@timestamp`, `event.kind` (`"alert"`), `event.category`,
//! `event.type`, `event.action` (the event names, most frequent first), `event.risk_score`
//! (0–100: the highest score × 100), `event.count`, `event.start`, `event.end`, `host.name`,
//! `process.pid`, `process.name`, `process.parent.pid`, `process.parent.name`, `user.id`.
//! The rest is under `cyber_attack_detector`: rank, priority, suspicious count, highest and mean
//! score, threshold, repeats collapsed, the clock, the first and last time as numbers, the line
//! of the highest-scoring event, the process names and event counts, the ancestry (parent
//! first, with why it ends), the number of children and, when the model keeps its training
//! inputs, `in_training`: how many training rows had exactly the inputs of the highest-scoring
//! event, how many of those were suspicious, and how many training rows were not kept (0 rows
//! with none left out: the score is the model extrapolating).
//!
//! Times: with wall-clock timestamps (Tracee's), `@timestamp` is the first event's time,
//! `event.start` and `event.end` the first's and last's. BETH's timestamps are seconds since
//! boot: they are written the same way as if the host had booted at 1970-01-01T00:00:00Z, with
//! `cyber_attack_detector.clock` = `"since_boot"` saying so (and `first_seconds`/`last_seconds`
//! holding the numbers). Without timestamps (`"row_order"`), `@timestamp` is the epoch and
//! `event.start`/`event.end` are left out.

use super::clock::{iso8601, Clock};
use super::report::{Alert, AlertReport, AncestryEnd, NameCount};
use crate::model::Said;
use serde::Serialize;
use std::io::{self, Write};

/// The ECS version the field names follow.
pub const ECS_VERSION: &str = "8.11.0";

/// One alert as an ECS document.
#[derive(Debug, Serialize)]
pub struct EcsAlert<'a> {
    /// The first event's time (see the module docs for non-wall clocks).
    #[serde(rename = "@timestamp")]
    pub timestamp: String,
    /// `ecs.version`.
    pub ecs: Ecs,
    /// `event.*`.
    pub event: EcsEvent<'a>,
    /// `host.*`.
    pub host: EcsHost<'a>,
    /// `process.*`.
    pub process: EcsProcess<'a>,
    /// `user.*`, when the events carry a user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<EcsUser>,
    /// What ECS has no name for.
    pub cyber_attack_detector: Custom<'a>,
}

/// `ecs.*`.
#[derive(Debug, Serialize)]
pub struct Ecs {
    /// [`ECS_VERSION`].
    pub version: &'static str,
}

/// `event.*`.
#[derive(Debug, Serialize)]
pub struct EcsEvent<'a> {
    /// Always `"alert"`.
    pub kind: &'static str,
    /// Always `["process"]`.
    pub category: [&'static str; 1],
    /// Always `["info"]`.
    #[serde(rename = "type")]
    pub kind_of: [&'static str; 1],
    /// The event names seen, most frequent first.
    pub action: Vec<&'a str>,
    /// The highest score × 100, to two decimals.
    pub risk_score: f64,
    /// Events of the process.
    pub count: u64,
    /// The first event's time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// The last event's time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// `host.*`.
#[derive(Debug, Serialize)]
pub struct EcsHost<'a> {
    /// The host's name.
    pub name: &'a str,
}

/// `process.*`.
#[derive(Debug, Serialize)]
pub struct EcsProcess<'a> {
    /// The process id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<i64>,
    /// The process's name.
    pub name: &'a str,
    /// The parent, when its pid is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<EcsParent<'a>>,
}

/// `process.parent.*`.
#[derive(Debug, Serialize)]
pub struct EcsParent<'a> {
    /// The parent's process id.
    pub pid: i64,
    /// The parent's name, when it is in the data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
}

/// `user.*`.
#[derive(Debug, Serialize)]
pub struct EcsUser {
    /// The user id, as text (ECS's `user.id` is a keyword).
    pub id: String,
}

/// `cyber_attack_detector.*`: the detector's own fields.
#[derive(Debug, Serialize)]
pub struct Custom<'a> {
    /// 1 for the highest priority.
    pub rank: u32,
    /// [`priority`](super::report::priority), to four decimals.
    pub priority: f64,
    /// Events at or above the threshold.
    pub suspicious_count: u64,
    /// The highest score, to four decimals.
    pub max_score: f64,
    /// The mean score, to four decimals.
    pub mean_score: f64,
    /// The model's threshold.
    pub threshold: f64,
    /// Events folded into the one before them as near-identical repeats.
    pub collapsed_repeats: u64,
    /// What the times count: `wall`, `since_boot` or `row_order`.
    pub clock: Clock,
    /// The first event's time in seconds (row number for `row_order`).
    pub first_seconds: f64,
    /// The last event's time.
    pub last_seconds: f64,
    /// The line of the first event with the highest score.
    pub max_score_line: u64,
    /// The process names the events carry, with counts.
    pub process_names: &'a [NameCount],
    /// The event names with counts.
    pub event_counts: &'a [NameCount],
    /// The ancestors found in the data, parent first.
    pub ancestry: Vec<Ancestor<'a>>,
    /// Why the ancestry ends: `root`, `depth` or `cycle`.
    pub ancestry_end: AncestryEnd,
    /// Children of the process in the data.
    pub children_count: u64,
    /// What the training rows said of the highest-scoring event's inputs
    /// ([`Alert::precedent`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_training: Option<Said>,
}

/// An ancestor of the alert's process.
#[derive(Debug, Serialize)]
pub struct Ancestor<'a> {
    /// Its process id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<i64>,
    /// Its name.
    pub name: &'a str,
}

impl<'a> EcsAlert<'a> {
    /// `alert` of `report` as an ECS document.
    pub fn new(report: &'a AlertReport, alert: &'a Alert) -> EcsAlert<'a> {
        let wall = |seconds: f64| (report.clock != Clock::RowOrder).then(|| iso8601(seconds));
        let node = |i: u32| report.processes.get(i as usize);
        EcsAlert {
            timestamp: wall(alert.first_time).unwrap_or_else(|| iso8601(0.0)),
            ecs: Ecs {
                version: ECS_VERSION,
            },
            event: EcsEvent {
                kind: "alert",
                category: ["process"],
                kind_of: ["info"],
                action: alert.event_names.iter().map(|e| e.name.as_str()).collect(),
                risk_score: round(f64::from(alert.max_score) * 100.0, 2),
                count: alert.events,
                start: wall(alert.first_time),
                end: wall(alert.last_time),
            },
            host: EcsHost { name: &alert.host },
            process: EcsProcess {
                pid: alert.pid,
                name: &alert.process_name,
                parent: alert.parent_pid.map(|pid| EcsParent {
                    pid,
                    name: alert.parent_name.as_deref(),
                }),
            },
            user: alert.user_id.map(|id| EcsUser { id: id.to_string() }),
            cyber_attack_detector: Custom {
                rank: alert.rank,
                priority: round(alert.priority, 4),
                suspicious_count: alert.suspicious,
                max_score: round(f64::from(alert.max_score), 4),
                mean_score: round(alert.mean_score, 4),
                threshold: round(f64::from(report.threshold), 4),
                collapsed_repeats: alert.collapsed,
                clock: report.clock,
                first_seconds: round(alert.first_time, 6),
                last_seconds: round(alert.last_time, 6),
                max_score_line: alert.max_line,
                process_names: &alert.process_names,
                event_counts: &alert.event_names,
                ancestry: alert
                    .ancestry
                    .iter()
                    .filter_map(|&a| node(a))
                    .map(|n| Ancestor {
                        pid: n.pid,
                        name: &n.name,
                    })
                    .collect(),
                ancestry_end: alert.ancestry_end,
                children_count: node(alert.process).map_or(0, |n| n.children_count),
                in_training: alert.precedent,
            },
        }
    }
}

/// Writes the first `top` alerts of `report` (all with `None`), ranked, one JSON object a line.
pub fn write_ndjson<W: Write>(
    report: &AlertReport,
    top: Option<usize>,
    mut out: W,
) -> io::Result<()> {
    let count = top.unwrap_or(usize::MAX);
    for alert in report.alerts.iter().take(count) {
        serde_json::to_writer(&mut out, &EcsAlert::new(report, alert))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `x` rounded to `places` decimals (a non-finite `x` becomes 0: JSON has no NaN).
fn round(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    let rounded = (x * scale).round() / scale;
    if rounded.is_finite() {
        rounded
    } else {
        0.0
    }
}
