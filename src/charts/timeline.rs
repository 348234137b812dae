//! A process's events (and its children's) over time: one lane per process, the alert's own
//! first, a mark per event at its time, flagged events as filled triangles in the suspicious
//! colour and the others as rings, so that the verdict does not rest on colour alone.
//!
//! Event names are written beside their marks, not on every one: consecutive events of a lane
//! with the same name and verdict form one run, labelled once at its first mark with its
//! count ("read ×40"); a label goes above its lane or below it, wherever it does not overlap
//! another, and is left out when neither has room (flagged runs are placed first). Lanes that
//! do not fit the height are left out and the title says how many are shown.

use super::style::{fit_end, thousands, triangle, Key, Style, Swatch, Triangle};
use super::{ChartError, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

/// A process with a lane of its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    /// The process's name as the file spells it.
    pub name: String,
    /// The process id, when the file has one.
    pub pid: Option<i64>,
}

/// One mark: an event, or a run of identical ones collapsed into a count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEvent {
    /// The index of its process in [`Timeline::lanes`]; events of a lane out of range are
    /// not drawn.
    pub lane: usize,
    /// When it happened, in seconds (any origin), or a row number (see [`Timeline::rows`]);
    /// events at a time that is not finite are not drawn.
    pub time: f64,
    /// The event's name (`eventName`), e.g. `openat`.
    pub name: String,
    /// How many events this mark stands for (0 counts as 1).
    pub count: u64,
    /// Whether the model flagged it.
    pub suspicious: bool,
}

/// What [`draw`] draws.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// The processes, top to bottom: the alert's own first.
    pub lanes: Vec<Lane>,
    /// The events, in any order.
    pub events: Vec<TimelineEvent>,
    /// Whether the times are row numbers (a file without timestamps), not seconds.
    pub rows: bool,
}

/// " (pid)" after a process's name, or nothing without a pid.
pub(super) fn pid_suffix(pid: Option<i64>) -> String {
    pid.map_or_else(String::new, |p| format!(" ({p})"))
}

/// The share of the width a lane's name, or an event's name beside its mark, may take.
const NAMES: f64 = 0.35;

/// A run of consecutive events of one lane with the same name and verdict.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Run<'a> {
    pub lane: usize,
    /// The time of its first event.
    pub time: f64,
    pub name: &'a str,
    /// The events it stands for (saturating).
    pub count: u64,
    pub suspicious: bool,
}

/// The drawable events of the first `lanes` lanes, by lane then time (events at the same
/// time in their given order).
pub(super) fn drawable(timeline: &Timeline, lanes: usize) -> Vec<&TimelineEvent> {
    let mut events: Vec<&TimelineEvent> = timeline
        .events
        .iter()
        .filter(|e| e.lane < lanes && e.time.is_finite())
        .collect();
    events.sort_by(|a, b| a.lane.cmp(&b.lane).then(a.time.total_cmp(&b.time)));
    events
}

/// `events` (as [`drawable`] orders them) in runs.
pub(super) fn runs<'a>(events: &[&'a TimelineEvent]) -> Vec<Run<'a>> {
    let mut runs: Vec<Run<'a>> = Vec::new();
    for e in events {
        let count = e.count.max(1);
        match runs.last_mut() {
            Some(r) if r.lane == e.lane && r.name == e.name && r.suspicious == e.suspicious => {
                r.count = r.count.saturating_add(count);
            }
            _ => runs.push(Run {
                lane: e.lane,
                time: e.time,
                name: &e.name,
                count,
                suspicious: e.suspicious,
            }),
        }
    }
    runs
}

/// The unit of a time axis spanning `span` seconds: its length in seconds and its name.
pub(super) fn time_unit(span: f64) -> (f64, &'static str) {
    match span {
        s if s < 2.0 => (1e-3, "milliseconds"),
        s if s < 300.0 => (1.0, "seconds"),
        s if s < 3.0 * 3600.0 => (60.0, "minutes"),
        _ => (3600.0, "hours"),
    }
}

/// Draws `timeline`: as many lanes as fit, each with its events' marks and labels.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    timeline: &Timeline,
    theme: &Theme,
) -> Result<(), ChartError> {
    let style = Style::new(area, theme);
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (f64::from(w), f64::from(h));
    // Caption, legend and x axis take about eight lines; each lane three.
    let lane_h = style.text * 3.0;
    let fits = (((h - style.text * 8.0) / lane_h).floor() as usize).max(1);
    let shown = timeline.lanes.len().min(fits);
    let events = drawable(timeline, shown);
    let runs = runs(&events);
    let title = if shown < timeline.lanes.len() {
        format!(
            "Timeline (first {shown} of {} processes)",
            thousands(timeline.lanes.len() as u64)
        )
    } else {
        "Timeline".to_string()
    };
    let (Some(first), Some(last)) = (
        events.iter().map(|e| e.time).reduce(f64::min),
        events.iter().map(|e| e.time).reduce(f64::max),
    ) else {
        return style.no_data(area, &title);
    };

    let font = style.font(style.text, theme.text);
    let measure = |text: &str| -> Result<f64, ChartError> {
        Ok(f64::from(area.estimate_text_size(text, &font)?.0))
    };
    let mut names = Vec::with_capacity(shown);
    let mut widest = 0.0f64;
    for lane in &timeline.lanes[..shown] {
        let pid = pid_suffix(lane.pid);
        let name = fit_end(&lane.name, w * NAMES - measure(&pid)?, &measure)?;
        let label = format!("{name}{pid}");
        widest = widest.max(measure(&label)?);
        names.push(label);
    }

    let span = last - first;
    let (unit, unit_name) = if timeline.rows {
        (1.0, "rows")
    } else {
        time_unit(span)
    };
    let end = if span > 0.0 { span / unit } else { 1.0 };
    let x = (-end * 0.03)..(end * 1.03);
    let y = -0.5..(shown as f64 - 0.5);
    let keys = [
        Key {
            swatch: Swatch::Marker(theme.benign.stroke_width(style.line)),
            label: "event".to_string(),
        },
        Key {
            swatch: Swatch::Triangle(theme.suspicious.filled()),
            label: "flagged suspicious".to_string(),
        },
    ];
    let plot = style.header(area, &title, &keys)?;
    let mut chart = style.frame_px(&plot, widest + style.text, x.clone(), y)?;
    let decimals = if end < 10.0 { 1 } else { 0 };
    let fmt_time = |v: &f64| format!("{v:.decimals$}");
    let desc = format!("{unit_name} after the first event");
    style
        .mesh(&mut chart)
        .disable_y_mesh()
        .y_labels(0)
        .x_desc(desc)
        .x_label_formatter(&fmt_time)
        .draw()?;

    // Lane r is centred on y = shown - 1 - r, so the alert's process is on top.
    let lane_y = |lane: usize| (shown - 1 - lane) as f64;
    let at = |lane: usize, time: f64| ((time - first) / unit, lane_y(lane));
    let gap = (style.text * 0.4) as i32;
    let lane_font = font.clone().pos(Pos::new(HPos::Right, VPos::Center));
    for (lane, name) in names.into_iter().enumerate() {
        let y = lane_y(lane);
        chart.draw_series([PathElement::new(
            vec![(x.start, y), (x.end, y)],
            theme.grid.stroke_width(1),
        )])?;
        let label = EmptyElement::at((x.start, y)) + Text::new(name, (-gap, 0), lane_font.clone());
        chart.draw_series([label])?;
    }
    let radius = style.marker_radius();
    let ring = theme.benign.stroke_width(style.line);
    chart.draw_series(
        events
            .iter()
            .filter(|e| !e.suspicious)
            .map(|e| Circle::new(at(e.lane, e.time), radius, ring)),
    )?;
    let flagged = theme.suspicious.filled();
    chart.draw_series(
        events
            .iter()
            .filter(|e| e.suspicious)
            .map(|e| Triangle::new(at(e.lane, e.time), triangle(radius), flagged)),
    )?;

    // Labels: flagged runs first, then the others, each in time order, above its lane or
    // below it where that slot has room. `placed[2 * lane + slot]` holds the pixel spans taken.
    let right_edge = chart.backend_coord(&(x.end, 0.0)).0;
    let mut placed: Vec<Vec<(i32, i32)>> = vec![Vec::new(); 2 * shown];
    let lift = radius as i32 + 2;
    let bold = style.bold(style.text, theme.suspicious);
    for run in runs
        .iter()
        .filter(|r| r.suspicious)
        .chain(runs.iter().filter(|r| !r.suspicious))
    {
        let count = if run.count > 1 {
            format!(" ×{}", thousands(run.count))
        } else {
            String::new()
        };
        // Measured in the font it is drawn in: flagged runs' labels are bold.
        let ink = if run.suspicious {
            bold.clone()
        } else {
            font.clone()
        };
        let measure_ink = |text: &str| -> Result<f64, ChartError> {
            Ok(f64::from(area.estimate_text_size(text, &ink)?.0))
        };
        let name = fit_end(run.name, w * NAMES, &measure_ink)?;
        let text = format!("{name}{count}");
        let width = measure_ink(&text)? as i32;
        let (px, _) = chart.backend_coord(&at(run.lane, run.time));
        // Left-aligned at the mark, or ending at it near the right edge.
        let (from, h_pos) = if px + width <= right_edge {
            (px, HPos::Left)
        } else {
            (px - width, HPos::Right)
        };
        let span = (from - gap, from + width + gap);
        for (slot, v_pos, dy) in [(0, VPos::Bottom, -lift), (1, VPos::Top, lift)] {
            let taken = &mut placed[2 * run.lane + slot];
            if taken.iter().any(|&(a, b)| a < span.1 && span.0 < b) {
                continue;
            }
            taken.push(span);
            let label = EmptyElement::at(at(run.lane, run.time))
                + Text::new(text, (0, dy), ink.pos(Pos::new(h_pos, v_pos)));
            chart.draw_series([label])?;
            break;
        }
    }
    Ok(())
}
