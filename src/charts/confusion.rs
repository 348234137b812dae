//! The confusion matrix at one threshold as a 2×2 heat map: rows are the actual class, columns
//! the predicted one, and each cell is shaded by its share of its row, with that share's 95%
//! Wilson interval under it.

use super::style::{fmt_threshold, thousands, Style};
use super::{blend, ChartError, Theme};
use crate::metrics::{wilson, Confusion};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Draws `confusion`, the counts at `threshold`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    confusion: &Confusion,
    threshold: f32,
    theme: &Theme,
) -> Result<(), ChartError> {
    let style = Style::new(area, theme);
    let title = format!("Confusion at threshold {}", fmt_threshold(threshold));
    if [confusion.tn, confusion.fp, confusion.fn_, confusion.tp] == [0; 4] {
        return style.no_data(area, &title);
    }

    // Cell (column, row) spans [c, c + 1] × [r, r + 1]; the benign row is the top one (r = 1).
    // Five ticks on [0, 2] put one at each cell's centre, where the class names go.
    let plot = style.header(area, &title, &[])?;
    let mut chart = style.frame(&plot, "suspicious".len(), 0.0..2.0, 0.0..2.0)?;
    let x_name = |v: &f64| class_name(*v, 0.5);
    let y_name = |v: &f64| class_name(*v, 1.5);
    style
        .mesh(&mut chart)
        .disable_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_desc("predicted")
        .y_desc("actual")
        .x_label_formatter(&x_name)
        .y_label_formatter(&y_name)
        .draw()?;

    let rows = [
        (1.0, confusion.tn, confusion.fp),
        (0.0, confusion.fn_, confusion.tp),
    ];
    for (row, predicted_benign, predicted_suspicious) in rows {
        let row_total = predicted_benign.saturating_add(predicted_suspicious);
        for (col, count) in [(0.0, predicted_benign), (1.0, predicted_suspicious)] {
            // An empty row has no shares: shade it like nothing and say so.
            let fraction = (row_total > 0).then(|| count as f64 / row_total as f64);
            let fill = cell_colour(theme, fraction.unwrap_or(0.0));
            let ink = readable_on(fill, theme);
            let cell = Rectangle::new([(col, row), (col + 1.0, row + 1.0)], fill.filled());
            chart.draw_series([cell])?;
            let share = fraction.map_or_else(|| "–".to_string(), percent);
            let interval = wilson(count, row_total).map_or_else(String::new, |i| {
                format!("{:.1}–{:.1}%", i.lo * 100.0, i.hi * 100.0)
            });
            let gap = (style.text * 0.15) as i32;
            let label = EmptyElement::at((col + 0.5, row + 0.5))
                + Text::new(
                    thousands(count),
                    (0, -gap),
                    style
                        .bold(style.text * 1.3, ink)
                        .pos(Pos::new(HPos::Center, VPos::Bottom)),
                )
                + Text::new(
                    share,
                    (0, gap),
                    style
                        .font(style.text, ink)
                        .pos(Pos::new(HPos::Center, VPos::Top)),
                )
                + Text::new(
                    interval,
                    (0, gap + (style.text * 1.25) as i32),
                    style
                        .font(style.text, ink)
                        .pos(Pos::new(HPos::Center, VPos::Top)),
                );
            chart.draw_series([label])?;
        }
    }
    Ok(())
}

/// The fill of a cell holding `row_fraction` of its row: from the background to the accent.
pub fn cell_colour(theme: &Theme, row_fraction: f64) -> RGBColor {
    blend(theme.background, theme.accent, row_fraction)
}

/// The class whose cell centre is at tick `v`, given the benign centre; no name between cells.
fn class_name(v: f64, benign_centre: f64) -> String {
    match (v - benign_centre).abs() {
        d if d < 0.01 => "benign".to_string(),
        d if (d - 1.0).abs() < 0.01 => "suspicious".to_string(),
        _ => String::new(),
    }
}

/// Whichever of the theme's text and background colours stands out more on `fill`.
fn readable_on(fill: RGBColor, theme: &Theme) -> RGBColor {
    let luma =
        |c: RGBColor| 0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2);
    let (text, back) = (
        (luma(fill) - luma(theme.text)).abs(),
        (luma(fill) - luma(theme.background)).abs(),
    );
    if text >= back {
        theme.text
    } else {
        theme.background
    }
}

/// A share as a percentage with one decimal that never rounds a non-zero share to 0% or a
/// partial one to 100%.
fn percent(fraction: f64) -> String {
    match fraction {
        f if f > 0.0 && f < 0.0005 => "<0.1%".to_string(),
        f if (0.9995..1.0).contains(&f) => ">99.9%".to_string(),
        f => format!("{:.1}%", f * 100.0),
    }
}
