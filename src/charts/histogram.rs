//! Scores by class: the share of each class's events in each score bin, benign and suspicious
//! overlaid, with the current threshold. Shares rather than counts because the classes are
//! wildly unbalanced; a log axis because a good model puts nearly all of each class in one
//! end bin, and the few events on the wrong side are what the threshold is about.

use super::style::{fmt_threshold, fmt_unit, thousands, Key, Style, Swatch};
use super::{ChartError, Theme};
use crate::metrics::Histogram;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Bars shown across [0, 1]; the stored histogram's fine bins are summed into these.
pub const DISPLAY_BINS: usize = 40;
/// Opacity of the bars, so that overlapping classes both show.
pub const BAR_OPACITY: f64 = 0.65;
/// The smallest share the axis reaches down to, whatever the class sizes.
const MIN_SHARE: f64 = 1e-6;

const TITLE: &str = "Scores by class";

/// Draws `histogram` with a dashed line at `threshold`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    histogram: &Histogram,
    threshold: f32,
    theme: &Theme,
) -> Result<(), ChartError> {
    draw_named(area, histogram, ["benign", "suspicious"], threshold, theme)
}

/// [`draw`] with the legend naming the histogram's two classes `names` (e.g. the unlabelled
/// rows an anomaly model was fitted on, counted as its `benign` class).
pub fn draw_named<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    histogram: &Histogram,
    names: [&str; 2],
    threshold: f32,
    theme: &Theme,
) -> Result<(), ChartError> {
    let style = Style::new(area, theme);
    let classes: Vec<(&str, RGBColor, u64, Vec<f64>)> = [
        (names[0], theme.benign, &histogram.benign),
        (names[1], theme.suspicious, &histogram.suspicious),
    ]
    .into_iter()
    .filter_map(|(name, color, counts)| {
        let (total, shares) = display_shares(counts, histogram.bins);
        (total > 0).then_some((name, color, total, shares))
    })
    .collect();
    if classes.is_empty() {
        return style.no_data(area, TITLE);
    }

    // The y axis runs from the power of ten below the smallest non-zero share up to 1.
    let smallest = classes
        .iter()
        .flat_map(|(_, _, _, shares)| shares.iter().copied())
        .filter(|&s| s > 0.0)
        .fold(1.0, f64::min)
        .max(MIN_SHARE);
    let lowest_power = smallest.log10().floor() as i32;
    let floor = 10f64.powi(lowest_power);
    let decades: Vec<f64> = (lowest_power..=0).map(|e| 10f64.powi(e)).collect();
    let widest = decades
        .iter()
        .map(|d| fmt_share(d).len())
        .max()
        .unwrap_or(4);
    // The legend goes above the plot: the bars of both classes are tall at both ends, and
    // the threshold line can be anywhere in between.
    let line_at = Some(f64::from(threshold)).filter(|t| (0.0..=1.0).contains(t));
    let line = theme.text.stroke_width(2);
    let mut keys: Vec<Key> = classes
        .iter()
        .map(|(name, color, total, _)| Key {
            swatch: Swatch::Box(color.filled()),
            label: format!("{name} (n={})", thousands(*total)),
        })
        .collect();
    keys.extend(line_at.map(|_| Key {
        swatch: Swatch::Line(line),
        label: format!("threshold {}", fmt_threshold(threshold)),
    }));
    let plot = style.header(area, TITLE, &keys)?;

    let y = (floor..1.0).log_scale().with_key_points(decades);
    let mut chart = style.frame(&plot, widest, 0.0..1.0, y)?;
    style
        .mesh(&mut chart)
        .disable_x_mesh()
        .x_desc("score")
        .y_desc("share of class (log)")
        .x_label_formatter(&fmt_unit)
        .y_label_formatter(&fmt_share)
        .draw()?;

    let width = 1.0 / DISPLAY_BINS.min(histogram.bins) as f64;
    for (_, color, _, shares) in classes {
        let fill = color.mix(BAR_OPACITY).filled();
        let bars = shares
            .into_iter()
            .enumerate()
            .filter(|&(_, s)| s > 0.0)
            .map(|(i, s)| {
                let x = i as f64 * width;
                // A pixel's gap on the left keeps neighbouring bars apart.
                let mut bar = Rectangle::new([(x, floor), (x + width, s)], fill);
                bar.set_margin(0, 0, 1, 0);
                bar
            });
        chart.draw_series(bars)?;
    }
    if let Some(t) = line_at {
        let dash = (style.text * 0.4) as i32;
        chart.draw_series(DashedLineSeries::new(
            [(t, floor), (t, 1.0)],
            dash,
            dash,
            line,
        ))?;
    }
    Ok(())
}

/// The total of `counts` (the first `bins` of them, fine equal-width bins over [0, 1]) and its
/// share in each of at most [`DISPLAY_BINS`] equal display bins.
fn display_shares(counts: &[u64], bins: usize) -> (u64, Vec<f64>) {
    let shown = DISPLAY_BINS.min(bins);
    let mut sums = vec![0u64; shown];
    for (i, &c) in counts.iter().take(bins).enumerate() {
        sums[i * shown / bins] += c;
    }
    let total: u64 = sums.iter().sum();
    let shares = sums
        .iter()
        .map(|&s| s as f64 / total.max(1) as f64)
        .collect();
    (total, shares)
}

/// A share as a percentage for the log axis: `0.001` → `"0.1%"`, `1.0` → `"100%"`.
fn fmt_share(v: &f64) -> String {
    let percent = v * 100.0;
    let decimals = (-percent.log10()).ceil().max(0.0) as usize;
    format!("{percent:.decimals$}%")
}
