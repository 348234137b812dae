//! The report's charts, drawn by name with the core's chart functions: onto any plotters
//! backend (SVG in native tests) and, in the browser, onto a `<canvas>` found by element id.
//! The canvas's pixel size is the page's business (CSS size × devicePixelRatio); the charts
//! scale their text and lines to it.
//!
//! [`Canvas`] is plotters-canvas's backend with one change: it measures text with the canvas's
//! own `measureText`. plotters' default measures text by laying out a `<span>` with an inline
//! `style` attribute, which the page's Content-Security-Policy (no inline styles) refuses.

#[cfg(any(feature = "page", feature = "alert-charts"))]
use super::from_js;
#[cfg(any(feature = "page", feature = "alert-charts"))]
use super::js_error;
use super::report::{Report, THIS_MODEL};
use cyber_attack_detector::charts::loss::LossSeries;
use cyber_attack_detector::charts::roc::Zoom;
use cyber_attack_detector::charts::seeds::SeedSeries;
use cyber_attack_detector::charts::{
    confusion, histogram, importance, loss, pr, roc, seeds, ChartError, OperatingPoint, Series,
    Theme,
};
#[cfg(feature = "alert-charts")]
use cyber_attack_detector::charts::{
    process_tree::{self, ProcessTree},
    timeline::{self, Timeline},
};
use cyber_attack_detector::evaluation::Evaluation;
use cyber_attack_detector::metrics::{Curve, EvilCurves, EvilSummary, Histogram};
use plotters::coord::Shift;
use plotters::prelude::DrawingArea;
#[cfg(any(feature = "page", feature = "alert-charts"))]
use plotters::prelude::IntoDrawingArea;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use std::fmt;
#[cfg(any(feature = "page", feature = "alert-charts"))]
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// plotters-canvas's error type, which the crate does not export by name.
type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;

/// A `<canvas>` to draw charts on: [`CanvasBackend`] for everything but text measurement,
/// which uses the canvas's 2D context (`measureText`) with the very font string
/// plotters-canvas sets before `fillText`, so that what is measured is what is drawn, and
/// nothing is added to the DOM.
pub struct Canvas {
    backend: CanvasBackend,
    context: CanvasRenderingContext2d,
    /// Device pixels per CSS pixel: the canvas's pixel width over its box's (www/canvas.js
    /// sizes it at devicePixelRatio); 1 for a canvas not laid out.
    pub pixel_ratio: f64,
}

impl Canvas {
    /// The `<canvas>` with id `canvas_id`, or `None` when there is no such canvas.
    pub fn new(canvas_id: &str) -> Option<Canvas> {
        let element = web_sys::window()?
            .document()?
            .get_element_by_id(canvas_id)?;
        Canvas::with_canvas(element.dyn_into().ok()?)
    }

    /// Draws on `canvas`, or `None` when it has no 2D context.
    pub fn with_canvas(canvas: HtmlCanvasElement) -> Option<Canvas> {
        // The same context object plotters-canvas draws with: a canvas has only one "2d" context.
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        let css_width = canvas.client_width();
        let pixel_ratio = if css_width > 0 {
            f64::from(canvas.width()) / f64::from(css_width)
        } else {
            1.0
        };
        let backend = CanvasBackend::with_canvas_object(canvas)?;
        Some(Canvas {
            backend,
            context,
            pixel_ratio,
        })
    }
}

/// The CSS font of `style`, exactly as plotters-canvas 0.3.1 sets it in `draw_text`.
pub fn css_font<S: BackendTextStyle>(style: &S) -> String {
    format!(
        "{} {}px {}",
        style.style().as_str(),
        style.size(),
        style.family().as_str()
    )
}

/// `measureText` threw (it does not for a valid context, but the binding can fail).
#[derive(Debug)]
struct MeasureError(String);

impl fmt::Display for MeasureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "measureText failed: {}", self.0)
    }
}

impl std::error::Error for MeasureError {}

impl DrawingBackend for Canvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.backend.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend
            .draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.draw_text(text, style, pos)
    }

    /// Width and height of `text`, unrotated (as plotters' own estimate): the advance width
    /// from `measureText`, and the font's line box (ascent + descent), which is what the DOM
    /// measurement this replaces reported as the height.
    /// It leaves the context's font set: plotters-canvas sets it again before every `fillText`.
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        self.context.set_font(&css_font(style));
        let metrics = self
            .context
            .measure_text(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(MeasureError(format!("{e:?}")))))?;
        let line = metrics.font_bounding_box_ascent() + metrics.font_bounding_box_descent();
        // Browsers without font metrics report 0 or undefined (NaN): fall back to 1.2 em.
        let height = if line.is_finite() && line > 0.0 {
            line
        } else {
            style.size() * 1.2
        };
        let width = metrics.width();
        let width = if width.is_finite() {
            width.max(0.0)
        } else {
            0.0
        };
        Ok((width.ceil() as u32, height.ceil() as u32))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.backend.blit_bitmap(pos, size, src)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    Confusion,
    Roc,
    Pr,
    Histogram,
    Loss,
    Importance,
    /// Test accuracy of both recipes retrained with other seeds (the model file's seed study).
    Seeds,
}

impl Chart {
    pub const ALL: [Chart; 7] = [
        Chart::Confusion,
        Chart::Roc,
        Chart::Pr,
        Chart::Histogram,
        Chart::Loss,
        Chart::Importance,
        Chart::Seeds,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Chart::Confusion => "confusion",
            Chart::Roc => "roc",
            Chart::Pr => "pr",
            Chart::Histogram => "histogram",
            Chart::Loss => "loss",
            Chart::Importance => "importance",
            Chart::Seeds => "seeds",
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

/// The legend's names of this model's lines when it has one on each label.
const ON_SUS: &str = "this model on sus";
const ON_EVIL: &str = "this model on evil";

impl Report {
    /// Draws `chart` of the shown evaluation at `threshold`. Without an evaluation the
    /// evaluation charts draw their "no data" message. The loss and seed charts describe the
    /// model file itself, whatever evaluation is shown; the seed chart says "no data" for a
    /// model file without a seed study.
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
                let point = shown.map(|e| OperatingPoint::roc(&e.at_threshold(threshold)));
                let evil = |e: &EvilSummary| e.roc_auc;
                roc::draw(
                    area,
                    &self.series(theme, |e| (&e.roc, e.summary.roc_auc), |c| &c.roc, evil),
                    point,
                    Some(Zoom::TENTH),
                    theme,
                )
            }
            Chart::Pr => {
                let point = shown.map(|e| OperatingPoint::pr(&e.at_threshold(threshold)));
                let evil = |e: &EvilSummary| e.average_precision;
                let series = self.series(
                    theme,
                    |e| (&e.pr, e.summary.average_precision),
                    |c| &c.pr,
                    evil,
                );
                pr::draw(area, &series, point, theme)
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
                // An anomaly model has no loss log: the chart says "no data" (the page hides it
                // and says why).
                let Some(model) = self.model() else {
                    return loss::draw(area, &[], theme);
                };
                let totals = self.totals();
                let mut series = vec![LossSeries {
                    name: THIS_MODEL,
                    values: &model.training.log.loss,
                    steps: totals.loss_steps.as_deref(),
                    color: theme.accent,
                }];
                series.extend(model.baseline.iter().map(|b| LossSeries {
                    name: &b.name,
                    values: &b.training.log.loss,
                    steps: totals.baseline_loss_steps.as_deref(),
                    color: theme.baseline,
                }));
                loss::draw(area, &series, theme)
            }
            Chart::Importance => {
                importance::draw(area, shown.map_or(&[][..], |e| &e.importance), theme)
            }
            Chart::Seeds => {
                let Some((model, study)) = self
                    .model()
                    .and_then(|m| m.seed_study.as_ref().map(|s| (m, s)))
                else {
                    return seeds::draw(area, &[], &[], theme);
                };
                let accuracy = |runs: &[cyber_attack_detector::evaluation::Summary]| -> Vec<f64> {
                    runs.iter().map(|s| s.rates.accuracy).collect()
                };
                let (ours, reference) = (accuracy(&study.ours), accuracy(&study.reference));
                let series = [
                    SeedSeries {
                        name: THIS_MODEL,
                        values: &ours,
                        color: theme.accent,
                    },
                    SeedSeries {
                        name: model
                            .baseline
                            .as_ref()
                            .map_or("reference recipe", |b| b.name.as_str()),
                        values: &reference,
                        color: theme.baseline,
                    },
                ];
                seeds::draw(area, &study.seeds, &series, theme)
            }
        }
    }

    /// The baseline's curve, when evaluated on the same rows, and this model's drawn over it;
    /// when the evaluation has `evil` curves, this model's on `evil` too, dashed, over both
    /// (and this model's `sus` line is named for its label).
    fn series<'a>(
        &'a self,
        theme: &Theme,
        curve: impl Fn(&'a Evaluation) -> (&'a Curve, f64),
        evil_curve: impl Fn(&'a EvilCurves) -> &'a Curve,
        evil_area: impl Fn(&EvilSummary) -> f64,
    ) -> Vec<Series<'a>> {
        let shown = self.shown();
        let evil = shown.and_then(|e| Some((e.evil_curves.as_ref()?, e.evil?)));
        let name = if evil.is_some() { ON_SUS } else { THIS_MODEL };
        let ours = shown.map(|e| (name, e, theme.accent));
        let baseline = self.baseline().map(|(name, e)| (name, e, theme.baseline));
        let mut series: Vec<Series<'a>> = baseline
            .into_iter()
            .chain(ours)
            .map(|(name, e, color)| {
                let (curve, area) = curve(e);
                Series {
                    name,
                    curve,
                    color,
                    dashed: false,
                    area,
                }
            })
            .collect();
        series.extend(evil.map(|(curves, summary)| Series {
            name: ON_EVIL,
            curve: evil_curve(curves),
            color: theme.evil,
            dashed: true,
            area: evil_area(&summary),
        }));
        series
    }
}

/// Draws on the `<canvas>` with id `canvas_id`.
#[cfg(any(feature = "page", feature = "alert-charts"))]
fn on_canvas(
    canvas_id: &str,
    dark: bool,
    draw: impl FnOnce(&DrawingArea<Canvas, Shift>, &Theme) -> Result<(), ChartError>,
) -> Result<(), JsError> {
    let backend = Canvas::new(canvas_id)
        .ok_or_else(|| JsError::new(&format!("no <canvas> with id {canvas_id:?}")))?;
    let theme = theme(dark).at_pixel_ratio(backend.pixel_ratio);
    let area = backend.into_drawing_area();
    draw(&area, &theme).map_err(js_error)?;
    area.present().map_err(js_error)
}

/// The page's build only (feature `page`), like the next function.
#[cfg(feature = "page")]
#[wasm_bindgen]
impl Report {
    /// Draws chart `chart` (confusion, roc, pr, histogram, loss, importance, seeds) on the canvas
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
        on_canvas(canvas_id, dark, |area, theme| {
            self.draw(chart, area, threshold, theme)
        })
    }
}

/// Draws a training run's loss so far (the live chart while the worker trains).
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = drawLoss)]
pub fn draw_loss(canvas_id: &str, loss: &[f32], dark: bool) -> Result<(), JsError> {
    on_canvas(canvas_id, dark, |area, theme| {
        let series = [LossSeries {
            name: "training loss",
            values: loss,
            steps: None,
            color: theme.accent,
        }];
        loss::draw(area, &series, theme)
    })
}

/// Draws the score histogram of the rows an anomaly model was fitted on (the worker's
/// `AnomalyTrained.histogram`) with its threshold, in the training section.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = drawTrainingScores)]
pub fn draw_training_scores(
    canvas_id: &str,
    #[wasm_bindgen(unchecked_param_type = "Histogram")] histogram: JsValue,
    threshold: f32,
    dark: bool,
) -> Result<(), JsError> {
    let histogram: Histogram = from_js(&histogram, "a histogram")?;
    on_canvas(canvas_id, dark, |area, theme| {
        histogram::draw_named(area, &histogram, TRAINING_ROWS, threshold, theme)
    })
}

/// The legend of the training rows' score histogram: its rows, none labelled suspicious.
pub const TRAINING_ROWS: [&str; 2] = ["training rows", "suspicious"];

/// Draws an alert's process tree (its `tree`, as the worker made it) on canvas `canvas_id`.
/// The alert charts' build only (feature `alert-charts`), like the next function: the page
/// loads it when it first shows an alert (www/alerts-view.js).
#[cfg(feature = "alert-charts")]
#[wasm_bindgen(js_name = drawProcessTree)]
pub fn draw_process_tree(
    canvas_id: &str,
    #[wasm_bindgen(unchecked_param_type = "ProcessTree")] tree: JsValue,
    dark: bool,
) -> Result<(), JsError> {
    let tree: ProcessTree = from_js(&tree, "a process tree")?;
    on_canvas(canvas_id, dark, |area, theme| {
        process_tree::draw(area, &tree, theme)
    })
}

/// Draws an alert's timeline (its `timeline`, as the worker made it) on canvas `canvas_id`.
#[cfg(feature = "alert-charts")]
#[wasm_bindgen(js_name = drawTimeline)]
pub fn draw_timeline(
    canvas_id: &str,
    #[wasm_bindgen(unchecked_param_type = "Timeline")] timeline: JsValue,
    dark: bool,
) -> Result<(), JsError> {
    let timeline: Timeline = from_js(&timeline, "a timeline")?;
    on_canvas(canvas_id, dark, |area, theme| {
        timeline::draw(area, &timeline, theme)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::Digest;
    use plotters::prelude::{IntoDrawingArea, RGBColor, SVGBackend};

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
        let report = Report::from_json(include_str!("../../../data/model.json")).expect("loads");
        for chart in Chart::ALL {
            let out = svg(&report, chart);
            assert!(!out.contains("no data"), "{chart:?}");
            assert!(
                out.matches("<polyline").count() + out.matches("<rect").count() > 3,
                "{chart:?}"
            );
        }
        // Both models on the curves, the loss chart and the seed study.
        for chart in [Chart::Roc, Chart::Pr, Chart::Loss, Chart::Seeds] {
            assert!(
                svg(&report, chart).contains("reference recipe"),
                "{chart:?}"
            );
        }
    }

    /// How many polylines of colour `c` an SVG has (a dashed line is one per dash).
    fn lines_of(svg: &str, c: RGBColor) -> usize {
        let stroke = format!("stroke=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
        svg.split("<polyline")
            .filter(|p| p.contains(&stroke))
            .count()
    }

    #[test]
    fn this_models_evil_curves_are_drawn_beside_its_sus_curves_when_the_file_has_them() {
        let evil = Theme::light().evil;
        // The shipped anomaly model, through the worker's digest as the page gets it.
        let digest = Digest::check(include_str!("../../../data/anomaly.json")).expect("checks");
        let anomaly =
            Report::from_digest(digest.json(), digest.parameters().to_vec()).expect("rebuilt");
        let supervised =
            Report::from_json(include_str!("../../../data/model.json")).expect("loads");
        let cases = [
            (&anomaly, Chart::Roc, "this model on evil (AUC 0.992)"),
            (&anomaly, Chart::Pr, "this model on evil (AP 1.000)"),
            (&supervised, Chart::Roc, "this model on evil (AUC 0.994)"),
            (&supervised, Chart::Pr, "this model on evil (AP 0.999)"),
        ];
        for (report, chart, label) in cases {
            let out = svg(report, chart);
            assert!(out.contains(label), "{chart:?}: {label}");
            assert!(out.contains("this model on sus ("), "{chart:?}");
            // Dashes: two in the legend's swatch, more on the plot (the PR curves run from
            // recall 0.93, where the top-scored rows tie, to 1).
            assert!(
                lines_of(&out, evil) >= 4,
                "{chart:?}: {}",
                lines_of(&out, evil)
            );
        }
        // The same model shown on rows without evil: this model's line and the reference's.
        let mut model = supervised.model().expect("supervised").clone();
        let e = model.evaluation.as_mut().expect("evaluated");
        (e.evil, e.evil_curves) = (None, None);
        let report = Report::new(model);
        for chart in [Chart::Roc, Chart::Pr] {
            let out = svg(&report, chart);
            assert!(
                out.contains("this model (") && !out.contains("evil"),
                "{chart:?}"
            );
            assert_eq!(lines_of(&out, evil), 0, "{chart:?}");
        }
    }

    #[test]
    fn the_seed_chart_has_a_dot_per_run_or_says_no_data() {
        let report = Report::from_json(include_str!("../../../data/model.json")).expect("loads");
        let seeds = report
            .model()
            .expect("supervised")
            .seed_study
            .as_ref()
            .map_or(0, |s| s.seeds.len());
        assert!(seeds >= 2, "the shipped model has a seed study");
        // A dot per seed and recipe, and one per legend entry.
        let out = svg(&report, Chart::Seeds);
        assert_eq!(out.matches("<circle").count(), 2 * seeds + 2);
        let mut model = report.model().expect("supervised").clone();
        model.seed_study = None;
        assert!(svg(&Report::new(model), Chart::Seeds).contains("no data"));
    }

    #[test]
    fn the_training_rows_histogram_names_its_rows() {
        let mut histogram = Histogram {
            bins: 4,
            benign: vec![3, 0, 1, 0],
            suspicious: vec![0; 4],
        };
        let draw = |h: &Histogram| {
            let mut out = String::new();
            {
                let area = SVGBackend::with_string(&mut out, (640, 420)).into_drawing_area();
                histogram::draw_named(&area, h, TRAINING_ROWS, 0.6, &Theme::light())
                    .expect("draws");
                area.present().expect("presents");
            }
            out
        };
        let out = draw(&histogram);
        assert!(out.contains("training rows (n=4)"), "{out}");
        assert!(!out.contains("suspicious"));
        histogram.benign = vec![0; 4];
        assert!(draw(&histogram).contains("no data"));
    }

    #[test]
    fn names_round_trip() {
        for chart in Chart::ALL {
            assert_eq!(Chart::parse(chart.name()), Some(chart));
        }
        assert_eq!(Chart::parse("pie"), None);
    }
}
