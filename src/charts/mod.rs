//! Charts of an evaluation, drawn with plotters on any `DrawingBackend`: SVG natively (tests,
//! reports) and `<canvas>` in the browser through plotters-canvas.
//!
//! Each chart is one module with a `draw(area, data…, theme)` function. Data never makes a chart
//! fail: empty or degenerate input draws a "no data" message, and errors come only from the
//! backend. Text is drawn by the backend itself (SVG `<text>`, canvas `fillText`), so plotters
//! needs no font feature, and measured through the backend (`DrawingArea::estimate_text_size`;
//! on the page the web crate's `canvas::Canvas` uses the canvas's `measureText`). Nothing here
//! may measure text through the font itself (plotters' series labels and `MultiLineText` do):
//! on wasm that lays out a `<span>` with an inline style, which the page's
//! Content-Security-Policy refuses; legends are drawn by `style::Style::legend` instead.

pub mod confusion;
mod curves;
pub mod decimate;
pub mod histogram;
pub mod importance;
pub mod loss;
pub mod pr;
pub mod process_tree;
pub mod roc;
pub mod seeds;
mod style;
pub mod timeline;
pub use style::thousands;
#[cfg(test)]
mod alert_tests;
#[cfg(test)]
mod tests;

use crate::evaluation::Summary;
use crate::metrics::Curve;
use plotters::prelude::{DrawingAreaErrorKind, RGBColor};
use std::fmt;

/// Why a chart could not be drawn: always the backend (a canvas or SVG write failed), never the
/// data. A string, so that any backend's error converts without a `'static` bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartError(String);

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "chart drawing failed: {}", self.0)
    }
}

impl std::error::Error for ChartError {}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError(e.to_string())
    }
}

/// The colours of one page theme. Curve colours come with each [`Series`]; everything else is here.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// The chart's background fill.
    pub background: RGBColor,
    /// Titles, labels and legend text.
    pub text: RGBColor,
    /// Grid lines and frames.
    pub grid: RGBColor,
    /// The benign class's histogram bars.
    pub benign: RGBColor,
    /// The suspicious (attack) class's histogram bars.
    pub suspicious: RGBColor,
    /// Our model: its curves and bars, and the confusion heat map.
    pub accent: RGBColor,
    /// Reference recipes, chance lines and axes.
    pub baseline: RGBColor,
    /// Curves on the `evil` label (drawn dashed beside the `sus` curves in the accent colour).
    pub evil: RGBColor,
    /// Device pixels per CSS pixel of the surface drawn on (a canvas's `devicePixelRatio`; 1 for
    /// SVG): the smallest text is set in CSS pixels, so that it stays legible on a phone.
    pub pixel_ratio: f64,
}

impl Theme {
    /// The page's light theme.
    pub fn light() -> Theme {
        Theme {
            background: RGBColor(0xFF, 0xFF, 0xFF),
            text: RGBColor(0x1F, 0x23, 0x28),
            grid: RGBColor(0xE1, 0xE4, 0xE8),
            benign: RGBColor(0x21, 0x6E, 0xD1),
            suspicious: RGBColor(0xD1, 0x3B, 0x2A),
            accent: RGBColor(0x6E, 0x40, 0xC9),
            baseline: RGBColor(0x8C, 0x95, 0x9F),
            evil: RGBColor(0xBC, 0x4C, 0x00),
            pixel_ratio: 1.0,
        }
    }

    /// The page's dark theme.
    pub fn dark() -> Theme {
        Theme {
            background: RGBColor(0x16, 0x1B, 0x22),
            text: RGBColor(0xE6, 0xED, 0xF3),
            grid: RGBColor(0x30, 0x36, 0x3D),
            benign: RGBColor(0x58, 0xA6, 0xFF),
            suspicious: RGBColor(0xFF, 0x7B, 0x72),
            accent: RGBColor(0xBC, 0x8C, 0xFF),
            baseline: RGBColor(0x8B, 0x94, 0x9E),
            evil: RGBColor(0xF0, 0x88, 0x3E),
            pixel_ratio: 1.0,
        }
    }

    /// This theme on a surface of `ratio` device pixels per CSS pixel (kept within 1 to 8; a
    /// ratio that is not a number counts as 1).
    pub fn at_pixel_ratio(self, ratio: f64) -> Theme {
        Theme {
            pixel_ratio: if ratio.is_finite() {
                ratio.clamp(1.0, 8.0)
            } else {
                1.0
            },
            ..self
        }
    }
}

/// The indices of `keys` in ascending [`f64::total_cmp`] order, ties in index order. The one
/// sort of floats on the page (the report's seed spreads, the importance chart): each
/// `sort_by` with a closure of its own compiles a sort of its own into the wasm (5 KB).
pub fn ascending(keys: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
    order
}

/// `over` laid on `base` with opacity `t` (clamped to 0..=1; NaN counts as 0), as an opaque colour.
pub fn blend(base: RGBColor, over: RGBColor, t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let mix = |b: u8, o: u8| (f64::from(b) + (f64::from(o) - f64::from(b)) * t).round() as u8;
    RGBColor(
        mix(base.0, over.0),
        mix(base.1, over.1),
        mix(base.2, over.2),
    )
}

/// One named curve of a ROC or precision-recall chart.
#[derive(Clone, Copy, Debug)]
pub struct Series<'a> {
    /// The legend's label.
    pub name: &'a str,
    /// The points to draw, in the curve's order.
    pub curve: &'a Curve,
    /// The curve's colour.
    pub color: RGBColor,
    /// Drawn dashed (and so its legend swatch), to tell it apart without its colour: the
    /// `evil` label's curve beside the solid `sus` ones.
    pub dashed: bool,
    /// The curve's summary for the legend: ROC-AUC on a ROC chart, average precision on a PR
    /// chart. NaN shows as "n/a".
    pub area: f64,
}

/// Where the current threshold sits on a ROC curve (x = FPR, y = TPR) or a PR curve
/// (x = recall, y = precision).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OperatingPoint {
    /// Horizontal position in [0, 1]: the false-positive rate on a ROC curve, the recall on a
    /// precision-recall curve.
    pub x: f64,
    /// Vertical position in [0, 1]: the true-positive rate (recall) on a ROC curve, the precision
    /// on a precision-recall curve.
    pub y: f64,
    /// The score threshold this point is for, shown in its legend label.
    pub threshold: f32,
}

impl OperatingPoint {
    /// Where the threshold of `summary` sits on a ROC curve.
    pub fn roc(summary: &Summary) -> OperatingPoint {
        OperatingPoint {
            x: 1.0 - summary.rates.specificity,
            y: summary.rates.recall,
            threshold: summary.threshold,
        }
    }

    /// Where the threshold of `summary` sits on a precision-recall curve.
    pub fn pr(summary: &Summary) -> OperatingPoint {
        OperatingPoint {
            x: summary.rates.recall,
            y: summary.rates.precision,
            threshold: summary.threshold,
        }
    }
}
