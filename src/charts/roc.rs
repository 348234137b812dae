//! ROC curves: true-positive rate against false-positive rate, with the chance diagonal.

use super::{curves, ChartError, OperatingPoint, Series, Theme};
use plotters::chart::SeriesLabelPosition;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

/// Draws `series` (each `area` is its ROC-AUC) and, if given, the operating point
/// (x = FPR, y = TPR) of the current threshold.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
    point: Option<OperatingPoint>,
    theme: &Theme,
) -> Result<(), ChartError> {
    let spec = curves::Spec {
        title: "ROC curve",
        x_desc: "false-positive rate",
        y_desc: "true-positive rate",
        metric: "AUC",
        diagonal: true,
        // Below the diagonal: empty for any model better than chance.
        legend: SeriesLabelPosition::LowerRight,
    };
    curves::draw(area, spec, series, point, theme)
}
