//! What the grouper hands back: the ranked alerts and the process table, with parents and
//! children linked once, in linear time.

use super::clock::Clock;
use super::process::Process;
use super::strings::Strings;
use super::timeline::{TimelineCounts, TimelineEntry};
use super::Limits;
use crate::model::Said;
use serde::Serialize;
use std::collections::HashMap;

/// Alerts ranked by priority, and every process seen (for drawing trees).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlertReport {
    /// What the times count.
    pub clock: Clock,
    /// The model's threshold the verdicts were made at (NaN when no row was added).
    pub threshold: f32,
    /// Rows read.
    pub rows: u64,
    /// Rows of processes beyond [`Limits::processes`], counted but not grouped.
    pub omitted_rows: u64,
    /// Of those, the suspicious ones.
    pub omitted_suspicious: u64,
    /// Every process, in order of first appearance; alerts and nodes refer to them by index.
    pub processes: Vec<ProcessNode>,
    /// The processes with at least one suspicious event, highest priority first.
    pub alerts: Vec<Alert>,
}

/// A process on a host: a node of the process tree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProcessNode {
    /// The host's name (`(unknown)` when the file has none).
    pub host: String,
    /// The process id, when the file has one.
    pub pid: Option<i64>,
    /// The parent's process id, as the process's first event gives it.
    pub parent_pid: Option<i64>,
    /// The parent's index in [`AlertReport::processes`], when the parent is in the data (on the
    /// same host); a process that names itself as its parent has none.
    pub parent: Option<u32>,
    /// The process's name: the one most of its events carry.
    pub name: String,
    /// The user id of its first event that has one.
    pub user_id: Option<i64>,
    /// Events of the process.
    pub events: u64,
    /// Of those, the ones at or above the threshold.
    pub suspicious: u64,
    /// The highest score among its events.
    pub max_score: f32,
    /// Time of its earliest event, on the report's clock.
    pub first_time: f64,
    /// Time of its latest event.
    pub last_time: f64,
    /// Its children's indices, the first [`Limits::children`] in order of appearance.
    pub children: Vec<u32>,
    /// How many children it has in the data.
    pub children_count: u64,
    /// Its alert's index in [`AlertReport::alerts`] (its rank − 1), when it is one.
    pub alert: Option<u32>,
    /// Its events, near-identical repeats collapsed, the first and the most suspicious kept
    /// (see [`Limits`]), in row order.
    pub timeline: Vec<TimelineEntry>,
    /// Timeline entries dropped by those bounds.
    pub timeline_omitted: u64,
}

/// One alert: a process with at least one event at or above the threshold.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alert {
    /// 1 for the highest priority.
    pub rank: u32,
    /// The process's index in [`AlertReport::processes`].
    pub process: u32,
    /// The host's name.
    pub host: String,
    /// The process id.
    pub pid: Option<i64>,
    /// The parent's process id.
    pub parent_pid: Option<i64>,
    /// The process's name.
    pub process_name: String,
    /// The parent's name, when the parent is in the data.
    pub parent_name: Option<String>,
    /// The user id.
    pub user_id: Option<i64>,
    /// See [`priority`].
    pub priority: f64,
    /// Events of the process.
    pub events: u64,
    /// Of those, the ones at or above the threshold.
    pub suspicious: u64,
    /// The highest score.
    pub max_score: f32,
    /// The mean score over all its events.
    pub mean_score: f64,
    /// The line of its first event in the file: every row is one process's, so with the file's
    /// digest this names the alert whatever the model (what a verdict on it is kept under).
    pub first_line: u64,
    /// Line of the first event with the highest score.
    pub max_line: u64,
    /// That event's values of the model's input fields, in the model's order (what an
    /// explanation of it needs); empty unless the grouper was fed through
    /// [`AlertGrouper::add_with_values`](super::AlertGrouper::add_with_values).
    pub max_values: Vec<f64>,
    /// The same values as the event form and [`crate::model::Model`]'s text fields take them:
    /// numbers written out, a text field's text (processName `sshd`, not the number it is
    /// held as while read); empty like `max_values`.
    pub max_texts: Vec<String>,
    /// What the training rows said of that event's inputs, once
    /// [`AlertReport::add_precedents`] asked the model that scored the file; none before, or
    /// when that model keeps no training inputs or the values were not kept.
    pub precedent: Option<Said>,
    /// Time of its earliest event, on the report's clock.
    pub first_time: f64,
    /// Time of its latest event.
    pub last_time: f64,
    /// The process names its events carry (threads, programs after `execve`), most first.
    pub process_names: Vec<NameCount>,
    /// The event names seen, most first, at most [`Limits::event_names`].
    pub event_names: Vec<NameCount>,
    /// Events whose names were beyond those.
    pub other_events: u64,
    /// Events folded into the timeline entry before them as repeats.
    pub collapsed: u64,
    /// Its ancestors' indices in [`AlertReport::processes`], parent first.
    pub ancestry: Vec<u32>,
    /// Why the ancestry stops where it does.
    pub ancestry_end: AncestryEnd,
}

/// A name and how many events carry it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameCount {
    /// The name.
    pub name: String,
    /// Events with it.
    pub count: u64,
}

/// Why an ancestry ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AncestryEnd {
    /// The last ancestor's parent is not in the data (or it has no parent id).
    Root,
    /// [`Limits::ancestry`] ancestors were followed.
    Depth,
    /// The parent ids loop back to a process already in the chain.
    Cycle,
}

/// An alert's priority: its highest score times (1 + log10 of its suspicious events); 0 with
/// none. The score leads: one event at 0.9 outranks any number at 0.3 up to 10^2 of them
/// (0.3 × 3 = 0.9 ties at 100), while volume counts with diminishing returns, one step per
/// tenfold (a shell with 1,000 suspicious events ranks 4× its single-event twin, not 1,000×),
/// so that one noisy process cannot bury a quiet one that scores higher.
pub fn priority(max_score: f32, suspicious: u64) -> f64 {
    if suspicious == 0 {
        return 0.0;
    }
    f64::from(max_score) * (1.0 + (suspicious as f64).log10())
}

/// The counters [`AlertReport::build`] needs beside the processes.
pub(super) struct Totals {
    pub(super) clock: Clock,
    pub(super) threshold: f32,
    pub(super) rows: u64,
    pub(super) omitted_rows: u64,
    pub(super) omitted_suspicious: u64,
}

impl AlertReport {
    /// Links parents (through `index`, (host, pid) → process) and children, and ranks alerts.
    pub(super) fn build(
        processes: Vec<Process>,
        index: &HashMap<(u32, Option<i64>), u32>,
        hosts: Strings,
        totals: Totals,
        limits: &Limits,
    ) -> AlertReport {
        let parents: Vec<Option<u32>> = processes
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let parent = *index.get(&(p.host, Some(p.parent_pid?)))?;
                (parent as usize != i).then_some(parent)
            })
            .collect();
        let mut alerts: Vec<Alert> = processes
            .iter()
            .enumerate()
            .filter(|(_, p)| p.suspicious > 0)
            .map(|(i, p)| {
                alert(
                    i as u32,
                    p,
                    &processes,
                    &parents,
                    hosts.name(p.host),
                    limits,
                )
            })
            .collect();
        alerts.sort_by(|a, b| {
            b.priority
                .total_cmp(&a.priority)
                .then(b.suspicious.cmp(&a.suspicious))
                .then(b.events.cmp(&a.events))
                .then(a.process.cmp(&b.process))
        });
        let mut ranks = vec![None; processes.len()];
        for (rank, alert) in alerts.iter_mut().enumerate() {
            alert.rank = rank as u32 + 1;
            ranks[alert.process as usize] = Some(rank as u32);
        }
        let mut nodes: Vec<ProcessNode> = Vec::with_capacity(processes.len());
        let keep = (limits.first_entries, limits.top_entries);
        for (i, p) in processes.into_iter().enumerate() {
            let name = p.name();
            let (timeline, timeline_omitted) = p.timeline.finish(keep);
            nodes.push(ProcessNode {
                host: hosts.name(p.host).to_string(),
                pid: p.pid,
                parent_pid: p.parent_pid,
                parent: parents[i],
                name,
                user_id: p.user_id,
                events: p.events,
                suspicious: p.suspicious,
                max_score: p.max_score,
                first_time: p.first_time,
                last_time: p.last_time,
                children: Vec::new(),
                children_count: 0,
                alert: ranks[i],
                timeline,
                timeline_omitted,
            });
        }
        for (child, parent) in parents.iter().enumerate() {
            if let Some(node) = parent.and_then(|p| nodes.get_mut(p as usize)) {
                node.children_count += 1;
                if node.children.len() < limits.children {
                    node.children.push(child as u32);
                }
            }
        }
        AlertReport {
            clock: totals.clock,
            threshold: totals.threshold,
            rows: totals.rows,
            omitted_rows: totals.omitted_rows,
            omitted_suspicious: totals.omitted_suspicious,
            processes: nodes,
            alerts,
        }
    }

    /// `alert`'s process and its listed children (nothing for an alert of no known process).
    pub fn family<'a>(&'a self, alert: &Alert) -> impl Iterator<Item = &'a ProcessNode> {
        let node = self.processes.get(alert.process as usize);
        let children = node
            .into_iter()
            .flat_map(|n| &n.children)
            .filter_map(|&c| self.processes.get(c as usize));
        node.into_iter().chain(children)
    }

    /// The timeline of `alert`'s process and its listed children, merged in time order (then
    /// row order); each entry's `pid` tells whose it is.
    pub fn timeline(&self, alert: &Alert) -> Vec<&TimelineEntry> {
        let mut entries: Vec<&TimelineEntry> =
            self.family(alert).flat_map(|n| &n.timeline).collect();
        entries.sort_by(|a, b| a.time.total_cmp(&b.time).then(a.row.cmp(&b.row)));
        entries
    }

    /// How much of the timeline [`AlertReport::timeline`] merges for `alert` (its process's
    /// and its listed children's) the bounds of [`Limits`] kept: `seen` counts every entry
    /// and event of those processes, `kept` the entries kept and the events they stand for.
    /// Every event of a process is in one of its entries, so `seen.events` is their events.
    pub fn timeline_extent(&self, alert: &Alert) -> TimelineExtent {
        self.family(alert)
            .fold(TimelineExtent::default(), |extent, n| {
                let kept = TimelineCounts::of(&n.timeline);
                TimelineExtent {
                    seen: extent.seen
                        + TimelineCounts {
                            entries: kept.entries + n.timeline_omitted,
                            events: n.events,
                        },
                    kept: extent.kept + kept,
                }
            })
    }
}

/// How much of an alert's timeline was kept: see [`AlertReport::timeline_extent`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TimelineExtent {
    /// Every entry and event of the alert's process and its listed children.
    pub seen: TimelineCounts,
    /// The entries kept of those (the first and the most suspicious of each process, see
    /// [`Limits`]) and the events they stand for.
    pub kept: TimelineCounts,
}

/// The alert of process `i`, its ancestry followed through `parents`.
fn alert(
    i: u32,
    p: &Process,
    processes: &[Process],
    parents: &[Option<u32>],
    host: &str,
    limits: &Limits,
) -> Alert {
    let mut ancestry = Vec::new();
    let mut end = AncestryEnd::Root;
    let mut at = parents[i as usize];
    while let Some(q) = at {
        if q == i || ancestry.contains(&q) {
            end = AncestryEnd::Cycle;
            break;
        }
        if ancestry.len() == limits.ancestry {
            end = AncestryEnd::Depth;
            break;
        }
        ancestry.push(q);
        at = parents[q as usize];
    }
    let parent = parents[i as usize].map(|q| &processes[q as usize]);
    Alert {
        rank: 0,
        process: i,
        host: host.to_string(),
        pid: p.pid,
        parent_pid: p.parent_pid,
        process_name: p.name(),
        parent_name: parent.map(Process::name),
        user_id: p.user_id,
        priority: priority(p.max_score, p.suspicious),
        events: p.events,
        suspicious: p.suspicious,
        max_score: p.max_score,
        mean_score: p.score_sum / p.events as f64,
        first_line: p.first_line,
        max_line: p.max_line,
        max_values: p.max_values.clone(),
        max_texts: p.max_texts.clone(),
        precedent: None,
        first_time: p.first_time,
        last_time: p.last_time,
        process_names: p.names.counts(),
        event_names: p.event_names.counts(),
        other_events: p.event_names.other,
        collapsed: p.collapsed,
        ancestry,
        ancestry_end: end,
    }
}
