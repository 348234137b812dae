//! The alerts of one file under two models, compared: which alerts are gone, which are new,
//! which are kept and how their highest score moved, and whether each of the analyst's verdicts
//! is what each model says. Alerts are matched by [`Alert::first_line`], which names the same
//! process whatever the model.

use super::report::Alert;
use crate::verdicts::Mark;
use serde::Serialize;
use std::collections::HashMap;

/// Where an alert stands under one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Standing {
    /// Its rank (1 for the highest priority).
    pub rank: u32,
    /// Its highest score.
    pub max_score: f32,
    /// Its events at or above that model's threshold.
    pub suspicious: u64,
}

/// One alert under the model before and the model after (`None` where it is no alert).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlertChange {
    /// The line of its process's first event.
    pub first_line: u64,
    /// The host's name.
    pub host: String,
    /// The process id.
    pub pid: Option<i64>,
    /// The process's name.
    pub process_name: String,
    /// Under the model before.
    pub before: Option<Standing>,
    /// Under the model after.
    pub after: Option<Standing>,
    /// After's highest score less before's, for an alert under both.
    pub score_change: Option<f32>,
}

/// What a verdict was given on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Judged {
    /// An event, by its line.
    Event,
    /// An alert, by its first line.
    Alert,
}

/// One verdict, and what each model says of what it was given on: an alert raised, an event
/// at or above the threshold.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VerdictCheck {
    /// An event's or an alert's.
    pub on: Judged,
    /// The event's line, or the alert's first line.
    pub line: u64,
    /// An alert's process as "name (pid) on host", when either model raised it.
    pub process: Option<String>,
    /// The analyst said "attack".
    pub attack: bool,
    /// The model before flagged it.
    pub before: bool,
    /// The model after flags it.
    pub after: bool,
}

impl VerdictCheck {
    /// The verdict `mark` on an event that the models before and after flag as said.
    pub fn event(mark: &Mark, before: bool, after: bool) -> VerdictCheck {
        VerdictCheck {
            on: Judged::Event,
            line: mark.line,
            process: None,
            attack: mark.attack,
            before,
            after,
        }
    }
}

/// Two models' alerts on one file, compared.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AlertChanges {
    /// Alerts under the model before.
    pub before: usize,
    /// Alerts under the model after.
    pub after: usize,
    /// Alerts before that are none after, highest priority before first: at most the `listed`
    /// given to [`compare`].
    pub gone: Vec<AlertChange>,
    /// How many alerts are gone.
    pub gone_total: usize,
    /// Alerts after that were none before, highest priority after first (at most `listed`).
    pub new: Vec<AlertChange>,
    /// How many alerts are new.
    pub new_total: usize,
    /// Alerts under both, highest priority after first (at most `listed`).
    pub kept: Vec<AlertChange>,
    /// How many alerts are kept.
    pub kept_total: usize,
    /// Every verdict checked: those on alerts by first line, then those on events by line.
    pub verdicts: Vec<VerdictCheck>,
    /// Verdicts the model before agreed with.
    pub agreed_before: usize,
    /// Verdicts the model after agrees with.
    pub agrees_after: usize,
}

/// Compares the alerts `before` and `after` of one file (each in rank order, as an
/// [`AlertReport`](super::AlertReport) lists them), listing at most `listed` of each kind, and
/// checks the verdicts on alerts `alerts` and the event verdicts `events` against both.
/// Linear in the alerts and verdicts.
pub fn compare(
    before: &[Alert],
    after: &[Alert],
    alerts: &[Mark],
    events: Vec<VerdictCheck>,
    listed: usize,
) -> AlertChanges {
    let standing = |a: &Alert| Standing {
        rank: a.rank,
        max_score: a.max_score,
        suspicious: a.suspicious,
    };
    let change = |a: &Alert, before: Option<&Alert>, after: Option<&Alert>| AlertChange {
        first_line: a.first_line,
        host: a.host.clone(),
        pid: a.pid,
        process_name: a.process_name.clone(),
        before: before.map(standing),
        after: after.map(standing),
        score_change: before.zip(after).map(|(b, a)| a.max_score - b.max_score),
    };
    let by_line = |alerts: &[Alert]| -> HashMap<u64, usize> {
        alerts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.first_line, i))
            .collect()
    };
    let (was, is) = (by_line(before), by_line(after));
    let mut changes = AlertChanges {
        before: before.len(),
        after: after.len(),
        ..AlertChanges::default()
    };
    for a in before.iter().filter(|a| !is.contains_key(&a.first_line)) {
        changes.gone_total += 1;
        if changes.gone.len() < listed {
            changes.gone.push(change(a, Some(a), None));
        }
    }
    for a in after {
        let earlier = was.get(&a.first_line).and_then(|&i| before.get(i));
        let (list, total) = match earlier {
            Some(_) => (&mut changes.kept, &mut changes.kept_total),
            None => (&mut changes.new, &mut changes.new_total),
        };
        *total += 1;
        if list.len() < listed {
            list.push(change(a, earlier, Some(a)));
        }
    }
    let mut marks: Vec<&Mark> = alerts.iter().collect();
    marks.sort_by_key(|m| m.line);
    changes.verdicts = marks
        .into_iter()
        .map(|m| {
            let earlier = was.get(&m.line).and_then(|&i| before.get(i));
            let now = is.get(&m.line).and_then(|&i| after.get(i));
            VerdictCheck {
                on: Judged::Alert,
                line: m.line,
                process: earlier.or(now).map(|a| {
                    let pid = a.pid.map_or(String::new(), |pid| format!(" ({pid})"));
                    format!("{}{pid} on {}", a.process_name, a.host)
                }),
                attack: m.attack,
                before: earlier.is_some(),
                after: now.is_some(),
            }
        })
        .chain(events)
        .collect();
    changes.agreed_before = changes
        .verdicts
        .iter()
        .filter(|v| v.before == v.attack)
        .count();
    changes.agrees_after = changes
        .verdicts
        .iter()
        .filter(|v| v.after == v.attack)
        .count();
    changes
}
