//! Permutation importance as horizontal bars: how much ROC-AUC drops when a feature is
//! shuffled, largest first.
//!
//! Feature names are sentences ("process is not OS (pid > 2)"), so they are never cut in the
//! middle. When the longest fits in about a third of the width it goes left of its bar;
//! otherwise (a phone) each name goes on its own line above its bar, across the whole plot,
//! and only a name wider than that loses its end, at a word boundary where there is one.

use super::style::{fit_end, fmt3, Style};
use super::{ascending, ChartError, Theme};
use crate::evaluation::FeatureImportance;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The share of the width that names left of their bars may take.
const NAMES_BESIDE: f64 = 0.34;

/// Draws the features of `importance` with a finite drop, sorted by drop, as many as fit.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    importance: &[FeatureImportance],
    theme: &Theme,
) -> Result<(), ChartError> {
    let style = Style::new(area, theme);
    let ranked: Vec<(&str, f64)> = importance
        .iter()
        .filter(|f| f.auc_drop.is_finite())
        .map(|f| (f.feature.as_str(), f.auc_drop))
        .collect();
    if ranked.is_empty() {
        return style.no_data(area, "Feature importance");
    }
    // Largest drop first, ties in file order: ascending by the negated drop.
    let negated: Vec<f64> = ranked.iter().map(|r| -r.1).collect();
    let mut ranked: Vec<(&str, f64)> = ascending(&negated).into_iter().map(|i| ranked[i]).collect();

    let font = style.font(style.text, theme.text);
    let measure = |text: &str| -> Result<f64, ChartError> {
        Ok(f64::from(area.estimate_text_size(text, &font)?.0))
    };
    let (w, h) = area.dim_in_pixel();
    // Rows in what is left after caption and x axis: 1.6 text lines tall with the name beside
    // the bar, 2.8 with the name above it.
    let rows = |row_lines: f64| {
        ((f64::from(h) - style.text * 6.0) / (style.text * row_lines)).max(1.0) as usize
    };
    // Only names that can be shown are measured: a model file may list 4,096 long ones.
    let mut widest = 0.0f64;
    for (name, _) in ranked.iter().take(rows(1.6)) {
        widest = widest.max(measure(name)?);
    }
    let beside = widest <= f64::from(w) * NAMES_BESIDE;
    let fits = rows(if beside { 1.6 } else { 2.8 });
    let title = if ranked.len() > fits {
        format!("Feature importance (top {fits} of {})", ranked.len())
    } else {
        "Feature importance".to_string()
    };
    ranked.truncate(fits);

    // Row r (0 = largest drop) is centred on y = n - 1 - r, so the largest is on top.
    let n = ranked.len();
    let lo = ranked.iter().map(|r| r.1).fold(0.0, f64::min);
    let hi = ranked.iter().map(|r| r.1).fold(0.0, f64::max);
    // Room right of the longest bar for its value label.
    let span = (hi - lo).max(1e-3);
    let x = lo..(hi + span * 0.3);
    let plot = style.header(area, &title, &[])?;
    // Beside: the names' width and a tick's gap. Above: only a sliver left of the axis.
    let y_area = if beside {
        widest + style.text
    } else {
        style.text * 0.5
    };
    let mut chart = style.frame_px(&plot, y_area, x, -0.5..(n as f64 - 0.5))?;
    let name_at = |v: &f64| {
        let row = n as f64 - 1.0 - v.round();
        let on_centre = (v - v.round()).abs() < 0.01 && (0.0..n as f64).contains(&row);
        if on_centre {
            ranked[row as usize].0.to_string()
        } else {
            String::new()
        }
    };
    style
        .mesh(&mut chart)
        .disable_y_mesh()
        .y_labels(if beside { n } else { 0 })
        .x_desc("drop in ROC-AUC when shuffled")
        .y_label_formatter(&name_at)
        .draw()?;

    let (plot_w, plot_h) = chart.plotting_area().dim_in_pixel();
    let row_px = f64::from(plot_h) / n as f64;
    // Bars fill 70% of their row, but no more than a text line, so a few features do not
    // make slabs; under a name, what the name leaves.
    let name_h = style.text * 1.3;
    let bar_px = if beside {
        (style.text * 1.2).min(row_px * 0.7)
    } else {
        (style.text * 0.9)
            .min(row_px - name_h - style.text * 0.4)
            .max(2.0)
    };
    // With the name above, the bar sits below the row's centre by half the name's height.
    let shift_px = if beside { 0.0 } else { name_h / 2.0 };
    let (half, shift) = (bar_px / 2.0 / row_px, shift_px / row_px);
    let fill = theme.accent.filled();
    let gap = (style.text * 0.4) as i32;
    let label = font.pos(Pos::new(HPos::Left, VPos::Center));
    let above = font.pos(Pos::new(HPos::Left, VPos::Bottom));
    let name_room = f64::from(plot_w) - style.text * 0.6;
    for (row, &(name, drop)) in ranked.iter().enumerate() {
        let y = (n - 1 - row) as f64 - shift;
        chart.draw_series([Rectangle::new([(0.0, y - half), (drop, y + half)], fill)])?;
        // Right of the bar, or of zero for a (noise-sized) negative drop.
        let value = EmptyElement::at((drop.max(0.0), y))
            + Text::new(drop_label(drop), (gap, 0), label.clone());
        chart.draw_series([value])?;
        if !beside {
            let name = fit_end(name, name_room, &measure)?;
            // Just above the bar, from the left edge of the plot.
            let lift = -((bar_px / 2.0 + style.text * 0.2) as i32);
            let text = EmptyElement::at((lo, y)) + Text::new(name, (gap / 2, lift), above.clone());
            chart.draw_series([text])?;
        }
    }
    Ok(())
}

/// A drop's label: three decimals, or as many as its first significant digit needs when it is
/// smaller (a bar of −0.00025 labelled "0.000" looked like no bar and hid its sign).
fn drop_label(drop: f64) -> String {
    let magnitude = drop.abs();
    if !(1e-12..0.001).contains(&magnitude) {
        return fmt3(drop);
    }
    let decimals = (-magnitude.log10().floor()) as usize;
    format!("{drop:.decimals$}")
}
