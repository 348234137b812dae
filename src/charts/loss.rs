//! Training loss per step, one line per named series, from zero up.

use super::style::{Style, Swatch};
use super::{ChartError, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One named loss trace, e.g. training and validation.
#[derive(Clone, Copy, Debug)]
pub struct LossSeries<'a> {
    pub name: &'a str,
    pub values: &'a [f32],
    pub color: RGBColor,
}

const TITLE: &str = "Training loss";

/// Draws each series against its step index; non-finite values are left out.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[LossSeries],
    theme: &Theme,
) -> Result<(), ChartError> {
    let style = Style::new(area, theme);
    let finite = || {
        series
            .iter()
            .flat_map(|s| s.values.iter().map(|&v| f64::from(v)))
            .filter(|v| v.is_finite())
    };
    let Some(top) = finite().reduce(f64::max) else {
        return style.no_data(area, TITLE);
    };
    let top = if top > 0.0 { top * 1.05 } else { 1.0 };
    let last_step = series
        .iter()
        .map(|s| s.values.len())
        .max()
        .unwrap_or(0)
        .saturating_sub(1);

    let x = 0.0..(last_step.max(1) as f64);
    let plot = style.header(area, TITLE, &[])?;
    let mut chart = style.frame(&plot, 5, x, 0.0..top)?;
    let fmt_step = |v: &f64| format!("{v:.0}");
    style
        .mesh(&mut chart)
        .x_desc("step")
        .y_desc("loss")
        .x_label_formatter(&fmt_step)
        .draw()?;

    for s in series {
        let points = s
            .values
            .iter()
            .enumerate()
            .map(|(i, &v)| (i as f64, f64::from(v)))
            .filter(|(_, v)| v.is_finite());
        let line = s.color.stroke_width(style.line);
        chart
            .draw_series(LineSeries::new(points, line))?
            .label(s.name)
            .legend(style.swatch(Swatch::Line(line)));
    }
    // Loss falls from the top left, so the top right is the emptiest corner.
    style.legend(&mut chart, SeriesLabelPosition::UpperRight)
}
