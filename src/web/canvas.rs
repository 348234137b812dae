//! The report's charts, drawn by name with the core's chart functions: onto any plotters
//! backend (SVG in native tests) and, in the browser, onto a `<canvas>` found by element id.
//! The canvas's pixel size is the page's business (CSS size × devicePixelRatio); the charts
//! scale their text and lines to it.

use super::js_error;
use super::report::{Report, THIS_MODEL};
use crate::charts::loss::LossSeries;
use crate::charts::{
    confusion, histogram, importance, loss, pr, roc, ChartError, OperatingPoint, Series, Theme,
};
use crate::evaluation::Evaluation;
use crate::metrics::Histogram;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    Confusion,
    Roc,
    Pr,
    Histogram,
    Loss,
    Importance,
}

impl Chart {
    pub const ALL: [Chart; 6] = [
        Chart::Confusion,
        Chart::Roc,
        Chart::Pr,
        Chart::Histogram,
        Chart::Loss,
        Chart::Importance,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Chart::Confusion => "confusion",
            Chart::Roc => "roc",
            Chart::Pr => "pr",
            Chart::Histogram => "histogram",
            Chart::Loss => "loss",
            Chart::Importance => "importance",
        }
    }

    pub fn parse(name: &str) -> Option<Chart> {
        Chart::ALL.into_iter().find(|c| c.name() == name)
    }
}

pub fn theme(dark: bool) -> Theme {
    if dark {
        Theme::dark()
    } else {
        Theme::light()
    }
}

impl Report {
    /// Draws `chart` of the shown evaluation at `threshold`. Without an evaluation the
    /// evaluation charts draw their "no data" message.
    pub fn draw<DB: DrawingBackend>(
        &self,
        chart: Chart,
        area: &DrawingArea<DB, Shift>,
        threshold: f32,
        theme: &Theme,
    ) -> Result<(), ChartError> {
        let shown = self.shown();
        match chart {
            Chart::Confusion => {
                let counts = shown
                    .map(|e| e.at_threshold(threshold).confusion)
                    .unwrap_or_default();
                confusion::draw(area, &counts, threshold, theme)
            }
            Chart::Roc => {
                let point = shown.map(|e| {
                    let r = e.at_threshold(threshold).rates;
                    (1.0 - r.specificity, r.recall)
                });
                roc::draw(
                    area,
                    &self.series(theme, |e| (&e.roc, e.summary.roc_auc)),
                    at(point, threshold),
                    theme,
                )
            }
            Chart::Pr => {
                let point = shown.map(|e| {
                    let r = e.at_threshold(threshold).rates;
                    (r.recall, r.precision)
                });
                let series = self.series(theme, |e| (&e.pr, e.summary.average_precision));
                pr::draw(area, &series, at(point, threshold), theme)
            }
            Chart::Histogram => {
                let empty = Histogram::default();
                histogram::draw(
                    area,
                    shown.map_or(&empty, |e| &e.histogram),
                    threshold,
                    theme,
                )
            }
            Chart::Loss => {
                let model = self.model();
                let mut series = vec![LossSeries {
                    name: THIS_MODEL,
                    values: &model.training.log.loss,
                    color: theme.accent,
                }];
                series.extend(model.baseline.iter().map(|b| LossSeries {
                    name: &b.name,
                    values: &b.training.log.loss,
                    color: theme.baseline,
                }));
                loss::draw(area, &series, theme)
            }
            Chart::Importance => {
                importance::draw(area, shown.map_or(&[][..], |e| &e.importance), theme)
            }
        }
    }

    /// The baseline's curve, when evaluated on the same rows, and this model's drawn over it.
    fn series<'a>(
        &'a self,
        theme: &Theme,
        curve: impl Fn(&'a Evaluation) -> (&'a crate::metrics::Curve, f64),
    ) -> Vec<Series<'a>> {
        let ours = self.shown().map(|e| (THIS_MODEL, e, theme.accent));
        let baseline = self.baseline().map(|(name, e)| (name, e, theme.baseline));
        baseline
            .into_iter()
            .chain(ours)
            .map(|(name, e, color)| {
                let (curve, area) = curve(e);
                Series {
                    name,
                    curve,
                    color,
                    area,
                }
            })
            .collect()
    }
}

fn at(point: Option<(f64, f64)>, threshold: f32) -> Option<OperatingPoint> {
    point.map(|(x, y)| OperatingPoint { x, y, threshold })
}

/// Draws on the `<canvas>` with id `canvas_id`.
fn on_canvas(
    canvas_id: &str,
    draw: impl FnOnce(&DrawingArea<CanvasBackend, Shift>) -> Result<(), ChartError>,
) -> Result<(), JsError> {
    let backend = CanvasBackend::new(canvas_id)
        .ok_or_else(|| JsError::new(&format!("no <canvas> with id {canvas_id:?}")))?;
    let area = backend.into_drawing_area();
    draw(&area).map_err(js_error)?;
    area.present().map_err(js_error)
}

#[wasm_bindgen]
impl Report {
    /// Draws chart `chart` (confusion, roc, pr, histogram, loss, importance) on the canvas
    /// with id `canvas_id`, in the dark theme when `dark`.
    #[wasm_bindgen(js_name = draw)]
    pub fn draw_js(
        &self,
        chart: &str,
        canvas_id: &str,
        threshold: f32,
        dark: bool,
    ) -> Result<(), JsError> {
        let chart =
            Chart::parse(chart).ok_or_else(|| JsError::new(&format!("unknown chart {chart:?}")))?;
        on_canvas(canvas_id, |area| {
            self.draw(chart, area, threshold, &theme(dark))
        })
    }
}

/// Draws a training run's loss so far (the live chart while the worker trains).
#[wasm_bindgen(js_name = drawLoss)]
pub fn draw_loss(canvas_id: &str, loss: &[f32], dark: bool) -> Result<(), JsError> {
    let theme = theme(dark);
    let series = [LossSeries {
        name: "training loss",
        values: loss,
        color: theme.accent,
    }];
    on_canvas(canvas_id, |area| loss::draw(area, &series, &theme))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::SVGBackend;

    fn svg(report: &Report, chart: Chart) -> String {
        let mut out = String::new();
        {
            let area = SVGBackend::with_string(&mut out, (640, 420)).into_drawing_area();
            report
                .draw(chart, &area, 0.308, &Theme::light())
                .expect("draws");
            area.present().expect("presents");
        }
        out
    }

    #[test]
    fn every_chart_of_the_shipped_model_draws_its_data() {
        let report = Report::from_json(include_str!("../../data/model.json")).expect("loads");
        for chart in Chart::ALL {
            let out = svg(&report, chart);
            assert!(!out.contains("no data"), "{chart:?}");
            assert!(
                out.matches("<polyline").count() + out.matches("<rect").count() > 3,
                "{chart:?}"
            );
        }
        // Both models on the curves and the loss chart.
        for chart in [Chart::Roc, Chart::Pr, Chart::Loss] {
            assert!(
                svg(&report, chart).contains("reference recipe"),
                "{chart:?}"
            );
        }
    }

    #[test]
    fn names_round_trip() {
        for chart in Chart::ALL {
            assert_eq!(Chart::parse(chart.name()), Some(chart));
        }
        assert_eq!(Chart::parse("pie"), None);
    }
}
