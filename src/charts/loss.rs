//! Training loss per step, one line per named series, on a logarithmic y axis.
//!
//! The axis spans the series' smallest to largest loss instead of starting at zero: training
//! losses of different recipes differ by more than a factor of ten (the shipped model's starts
//! near 8, the reference recipe's stays between 0.8 and 0.5), and on a linear axis from zero
//! the larger one flattens the smaller into a line. On a log axis equal ratios look equal, so
//! both curves keep their shape. A loss of zero or below (which cross-entropy does not reach,
//! but a rounded value might) is drawn on the axis floor.

use super::style::{Key, Place, Style, Swatch};
use super::{ChartError, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One named loss trace, e.g. training and validation.
#[derive(Clone, Copy, Debug)]
pub struct LossSeries<'a> {
    /// The legend's label.
    pub name: &'a str,
    /// The loss after each step, first step first; non-finite values are not drawn.
    pub values: &'a [f32],
    /// The step of each of `values`, ascending, when they are some steps of a longer log (a
    /// long log is drawn from the points that show, see [`super::decimate`]); `None` when
    /// they are one per step. Values without a step are not drawn.
    pub steps: Option<&'a [usize]>,
    /// The line's colour.
    pub color: RGBColor,
}

const TITLE: &str = "Training loss";

/// The y range never spans less than this ratio, so that a flat loss is a line in the middle.
const MIN_RATIO: f64 = 2.0;

/// Draws each series against its step index; non-finite values are left out.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[LossSeries<'_>],
    theme: &Theme,
) -> Result<(), ChartError> {
    let style = Style::new(area, theme);
    let finite: Vec<f64> = series
        .iter()
        .flat_map(|s| s.values.iter().map(|&v| f64::from(v)))
        .filter(|v| v.is_finite())
        .collect();
    if finite.is_empty() {
        return style.no_data(area, TITLE);
    }
    let (floor, top) = log_range(&finite);
    let ticks = key_points(floor, top);
    let widest = ticks.iter().map(|t| fmt_loss(t).len()).max().unwrap_or(3);
    let last_step = series
        .iter()
        .map(|s| match s.steps {
            Some(steps) => steps.last().copied().unwrap_or(0),
            None => s.values.len().saturating_sub(1),
        })
        .max()
        .unwrap_or(0);

    let x = 0.0..(last_step.max(1) as f64);
    let y = (floor..top).log_scale().with_key_points(ticks);
    let plot = style.header(area, TITLE, &[])?;
    let mut chart = style.frame(&plot, widest, x, y)?;
    let fmt_step = |v: &f64| format!("{v:.0}");
    style
        .mesh(&mut chart)
        .x_desc("step")
        .y_desc("loss (log)")
        .x_label_formatter(&fmt_step)
        .y_label_formatter(&fmt_loss)
        .draw()?;

    let mut keys = Vec::new();
    for s in series {
        let steps: Box<dyn Iterator<Item = usize>> = match s.steps {
            Some(steps) => Box::new(steps.iter().copied()),
            None => Box::new(0..s.values.len()),
        };
        let points = steps
            .zip(s.values)
            .map(|(i, &v)| (i as f64, f64::from(v)))
            .filter(|(_, v)| v.is_finite())
            .map(|(i, v)| (i, v.max(floor)));
        let line = s.color.stroke_width(style.line);
        chart.draw_series(LineSeries::new(points, line))?;
        keys.push(Key {
            swatch: Swatch::Line(line),
            label: s.name.to_string(),
        });
    }
    // Loss falls from the top left, so the top right is the emptiest corner.
    let plotted = chart.plotting_area().strip_coord_spec();
    style.legend(&plotted, Place::UpperRight, &keys)
}

/// The y axis for losses `values` (finite, not empty): from a little under the smallest
/// positive one to a little over the largest, at least [`MIN_RATIO`] apart.
fn log_range(values: &[f64]) -> (f64, f64) {
    let positive = || values.iter().copied().filter(|&v| v > 0.0);
    let (Some(lo), Some(hi)) = (positive().reduce(f64::min), positive().reduce(f64::max)) else {
        // Nothing above zero: everything sits on the floor of a nominal range.
        return (0.1, 1.0);
    };
    let (lo, hi) = (lo / 1.1, hi * 1.1);
    if hi / lo >= MIN_RATIO {
        return (lo, hi);
    }
    let middle = (lo * hi).sqrt();
    (middle / MIN_RATIO.sqrt(), middle * MIN_RATIO.sqrt())
}

/// Tick values between `lo` and `hi`: 1, 2 and 5 times the powers of ten, or every digit when
/// that gives fewer than three, or only the powers of ten over many decades.
fn key_points(lo: f64, hi: f64) -> Vec<f64> {
    let within = |digits: &[f64]| -> Vec<f64> {
        let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
        (first..=last)
            .flat_map(|e| digits.iter().map(move |d| d * 10f64.powi(e)))
            .filter(|v| (lo..=hi).contains(v))
            .collect()
    };
    let decades = within(&[1.0]);
    if decades.len() > 4 {
        return decades;
    }
    let steps = within(&[1.0, 2.0, 5.0]);
    if steps.len() >= 3 {
        return steps;
    }
    within(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
}

/// A tick value with as many decimals as its first significant digit needs: 5, 0.3, 0.05.
fn fmt_loss(v: &f64) -> String {
    let decimals = (-v.log10().floor()).max(0.0) as usize;
    format!("{v:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_spans_the_losses_with_readable_ticks() {
        let (lo, hi) = log_range(&[8.08, 0.285, 0.76, 0.47]);
        assert!(
            lo < 0.285 && lo > 0.2 && hi > 8.08 && hi < 10.0,
            "{lo}..{hi}"
        );
        let ticks: Vec<String> = key_points(lo, hi).iter().map(fmt_loss).collect();
        assert_eq!(ticks, ["0.5", "1", "2", "5"]);
        // A narrow range gets every digit; a flat loss a range around it.
        let ticks: Vec<String> = key_points(0.45, 0.8).iter().map(fmt_loss).collect();
        assert_eq!(ticks, ["0.5", "0.6", "0.7", "0.8"]);
        let (lo, hi) = log_range(&[0.5, 0.5]);
        assert!(lo < 0.5 && hi > 0.5 && (hi / lo - MIN_RATIO).abs() < 1e-9);
        // Many decades: powers of ten only.
        assert_eq!(key_points(1e-4, 50.0).len(), 6);
        // Nothing positive: a nominal range.
        assert_eq!(log_range(&[0.0, -1.0]), (0.1, 1.0));
    }
}
