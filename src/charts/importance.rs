//! Permutation importance as horizontal bars: how much ROC-AUC drops when a feature is
//! shuffled, largest first.

use super::style::{fmt3, Style};
use super::{ChartError, Theme};
use crate::evaluation::FeatureImportance;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Draws the features of `importance` with a finite drop, sorted by drop, as many as fit.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    importance: &[FeatureImportance],
    theme: &Theme,
) -> Result<(), ChartError> {
    let style = Style::new(area, theme);
    // Names may take about a third of the width (at 0.55 em a character).
    let (w, h) = area.dim_in_pixel();
    let max_chars = ((f64::from(w) * 0.32 / (style.text * 0.55)) as usize).max(8);
    let mut ranked: Vec<(String, f64)> = importance
        .iter()
        .filter(|f| f.auc_drop.is_finite())
        .map(|f| (short_name(&f.feature, max_chars), f.auc_drop))
        .collect();
    if ranked.is_empty() {
        return style.no_data(area, "Feature importance");
    }
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));

    // Rows at least 1.6 text lines tall in what is left after caption and x axis.
    let fits = ((f64::from(h) - style.text * 6.0) / (style.text * 1.6)).max(1.0) as usize;
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
    let widest = ranked
        .iter()
        .map(|r| r.0.chars().count())
        .max()
        .unwrap_or(0);
    let plot = style.header(area, &title, &[])?;
    let mut chart = style.frame(&plot, widest, x, -0.5..(n as f64 - 0.5))?;
    let name_at = |v: &f64| {
        let row = n as f64 - 1.0 - v.round();
        let on_centre = (v - v.round()).abs() < 0.01 && (0.0..n as f64).contains(&row);
        if on_centre {
            ranked[row as usize].0.clone()
        } else {
            String::new()
        }
    };
    style
        .mesh(&mut chart)
        .disable_y_mesh()
        .y_labels(n)
        .x_desc("drop in ROC-AUC when shuffled")
        .y_label_formatter(&name_at)
        .draw()?;

    // Bars fill 70% of their row, but no more than a text line, so a few features do not
    // make slabs.
    let row_px = f64::from(chart.plotting_area().dim_in_pixel().1) / n as f64;
    let half = (style.text * 0.6 / row_px).min(0.35);
    let fill = theme.accent.filled();
    let gap = (style.text * 0.4) as i32;
    let label = style
        .font(style.text, theme.text)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (row, (_, drop)) in ranked.iter().enumerate() {
        let y = (n - 1 - row) as f64;
        chart.draw_series([Rectangle::new([(0.0, y - half), (*drop, y + half)], fill)])?;
        // Right of the bar, or of zero for a (noise-sized) negative drop.
        let value =
            EmptyElement::at((drop.max(0.0), y)) + Text::new(fmt3(*drop), (gap, 0), label.clone());
        chart.draw_series([value])?;
    }
    Ok(())
}

/// `name`, cut in the middle to `max_chars` so that both its start and its end (often a
/// number or a suffix that tells similar features apart) stay readable.
fn short_name(name: &str, max_chars: usize) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= max_chars {
        return name.to_string();
    }
    let tail = (max_chars - 1) / 2;
    let head = max_chars - 1 - tail;
    let start: String = chars[..head].iter().collect();
    let end: String = chars[chars.len() - tail..].iter().collect();
    format!("{start}…{end}")
}
