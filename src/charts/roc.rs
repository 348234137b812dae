//! ROC curves: true-positive rate against false-positive rate, with the chance diagonal, and
//! optionally the top-left corner magnified beside them.

use super::curves::{self, Magnified};
use super::style::Place;
use super::{ChartError, OperatingPoint, Series, Theme};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

/// A second panel magnifying the top-left corner of the ROC square, where a good detector's
/// curves run and where the full square squeezes them against its frame: false-positive rates
/// from 0 to `side`, true-positive rates from 1 − `side` to 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Zoom {
    /// Width and height of the magnified corner, as a rate: in (0, 1), or no corner is drawn.
    pub side: f64,
}

impl Zoom {
    /// FPR 0–0.1 × TPR 0.9–1, ten times larger.
    pub const TENTH: Zoom = Zoom { side: 0.1 };
}

/// Draws `series` (each `area` is its ROC-AUC) and, if given, the operating point
/// (x = FPR, y = TPR) of the current threshold. With `zoom` (and an area wide enough for two
/// panels) the magnified corner is drawn beside the full square and the legend goes above both.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series<'_>],
    point: Option<OperatingPoint>,
    zoom: Option<Zoom>,
    theme: &Theme,
) -> Result<(), ChartError> {
    let zoom = zoom
        .filter(|z| z.side > 0.0 && z.side < 1.0)
        .map(|Zoom { side }| Magnified {
            x: 0.0..side,
            y: (1.0 - side)..1.0,
            caption: format!("top-left corner, ×{}", magnification(side)),
        });
    let spec = curves::Spec {
        title: "ROC curve",
        x_desc: "false-positive rate",
        y_desc: "true-positive rate",
        metric: "AUC",
        diagonal: true,
        steps: false,
        // Below the diagonal: empty for any model better than chance.
        legend: Place::LowerRight,
        zoom,
    };
    curves::draw(area, spec, series, point, theme)
}

/// `1 / side` for the caption: "10" for 0.1, "6.7" for 0.15.
fn magnification(side: f64) -> String {
    let m = 1.0 / side;
    if (m - m.round()).abs() < 0.05 {
        format!("{:.0}", m.round())
    } else {
        format!("{m:.1}")
    }
}
