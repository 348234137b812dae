//! What ROC and precision-recall charts share: named curves in the unit square, each with its
//! area in the legend, and a ring on the operating point of the current threshold.

use super::style::{fmt3, fmt_threshold, fmt_unit, unit_range, Style, Swatch};
use super::{ChartError, OperatingPoint, Series, Theme};
use plotters::chart::SeriesLabelPosition;
use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DashedLineSeries, DrawingArea, DrawingBackend, LineSeries};

/// What differs between the two charts.
pub(super) struct Spec {
    pub title: &'static str,
    pub x_desc: &'static str,
    pub y_desc: &'static str,
    /// The legend's name for [`Series::area`]: "AUC" or "AP".
    pub metric: &'static str,
    /// Draw the chance line from (0, 0) to (1, 1).
    pub diagonal: bool,
    /// A corner the curves stay away from.
    pub legend: SeriesLabelPosition,
}

pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: Spec,
    series: &[Series],
    point: Option<OperatingPoint>,
    theme: &Theme,
) -> Result<(), ChartError> {
    let style = Style::new(area, theme);
    let curves: Vec<(&Series, Vec<(f64, f64)>)> = series
        .iter()
        .map(|s| (s, unit_points(&s.curve.x, &s.curve.y)))
        .filter(|(_, points)| !points.is_empty())
        .collect();
    if curves.is_empty() {
        return style.no_data(area, spec.title);
    }

    let plot = style.header(area, spec.title, &[])?;
    let mut chart = style.frame(&plot, 3, unit_range(), unit_range())?;
    style
        .mesh(&mut chart)
        .x_desc(spec.x_desc)
        .y_desc(spec.y_desc)
        .x_label_formatter(&fmt_unit)
        .y_label_formatter(&fmt_unit)
        .draw()?;

    if spec.diagonal {
        let dash = (style.text * 0.5) as i32;
        chart.draw_series(DashedLineSeries::new(
            [(0.0, 0.0), (1.0, 1.0)],
            dash,
            dash,
            theme.baseline.stroke_width(1),
        ))?;
    }
    for (s, points) in curves {
        let line = s.color.stroke_width(style.line);
        chart
            .draw_series(LineSeries::new(points, line))?
            .label(format!("{} ({} {})", s.name, spec.metric, fmt3(s.area)))
            .legend(style.swatch(Swatch::Line(line)));
    }
    if let Some(p) = point.filter(|p| p.x.is_finite() && p.y.is_finite()) {
        // A ring with a background-coloured middle stays visible on top of any curve, even
        // where the curves run along the frame.
        let at = (p.x.clamp(0.0, 1.0), p.y.clamp(0.0, 1.0));
        let radius = (style.text * 0.45) as u32;
        let ring = theme.text.stroke_width(2);
        chart
            .draw_series([
                Circle::new(at, radius, theme.background.filled()),
                Circle::new(at, radius, ring),
            ])?
            .label(format!("threshold {}", fmt_threshold(p.threshold)))
            .legend(move |(x, y)| Circle::new((x + radius as i32 + 2, y), radius, ring));
    }
    style.legend(&mut chart, spec.legend)
}

/// The finite points of a curve, clamped to the unit square.
fn unit_points(x: &[f64], y: &[f64]) -> Vec<(f64, f64)> {
    x.iter()
        .zip(y)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0)))
        .collect()
}
