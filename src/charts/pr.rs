//! Precision-recall curves.

use super::style::Place;
use super::{curves, ChartError, OperatingPoint, Series, Theme};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

/// Draws `series` (each `area` is its average precision) and, if given, the operating point
/// (x = recall, y = precision) of the current threshold.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series<'_>],
    point: Option<OperatingPoint>,
    theme: &Theme,
) -> Result<(), ChartError> {
    let spec = curves::Spec {
        title: "Precision-recall curve",
        x_desc: "recall",
        y_desc: "precision",
        metric: "AP",
        diagonal: false,
        steps: true,
        // Low precision at low recall: empty for any useful model.
        legend: Place::LowerLeft,
        zoom: None,
    };
    curves::draw(area, spec, series, point, theme)
}
