//! Browser tests of the charts: each is drawn on a real `<canvas>` through the page's backend
//! (plotters-canvas, measuring text with the canvas), read back with `getImageData`, and
//! checked for painted pixels in the colours it should use. Drawing must not touch the DOM:
//! plotters' own text measurement adds a `<span>` with an inline style, which the page's
//! Content-Security-Policy refuses.
#![cfg(target_arch = "wasm32")]

use cyber_attack_detector::charts::confusion::cell_colour;
use cyber_attack_detector::charts::histogram::BAR_OPACITY;
use cyber_attack_detector::charts::loss::LossSeries;
use cyber_attack_detector::charts::roc::Zoom;
use cyber_attack_detector::charts::seeds::SeedSeries;
use cyber_attack_detector::charts::{
    blend, confusion, histogram, importance, loss, pr, roc, seeds, ChartError, OperatingPoint,
    Series, Theme,
};
use cyber_attack_detector::evaluation::FeatureImportance;
use cyber_attack_detector::metrics::{Confusion, Curve, Histogram};
use cyber_attack_detector_web::canvas::{css_font, Canvas};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, IntoFont, RGBColor, TextStyle};
use plotters::style::FontStyle;
use plotters_backend::BackendTextStyle;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, MutationObserver, MutationObserverInit,
};

wasm_bindgen_test_configure!(run_in_browser);

const WIDTH: u32 = 480;
const HEIGHT: u32 = 320;

/// The RGBA pixels of a canvas.
struct Pixels(Vec<u8>);

impl Pixels {
    /// Pixels within `tolerance` of `c` in every channel.
    fn of(&self, c: RGBColor, tolerance: u8) -> usize {
        self.0
            .chunks_exact(4)
            .filter(|p| {
                p[0].abs_diff(c.0) <= tolerance
                    && p[1].abs_diff(c.1) <= tolerance
                    && p[2].abs_diff(c.2) <= tolerance
            })
            .count()
    }

    /// Pixels that are not the background.
    fn painted(&self, background: RGBColor) -> usize {
        self.0.len() / 4 - self.of(background, 0)
    }
}

/// A new canvas of `width` × `height` with id `id`, in the page.
fn new_canvas(id: &str, width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window()
        .expect("window")
        .document()
        .expect("document");
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .expect("create canvas")
        .dyn_into()
        .expect("a canvas element");
    canvas.set_width(width);
    canvas.set_height(height);
    canvas.set_id(id);
    document
        .body()
        .expect("body")
        .append_child(&canvas)
        .expect("append canvas");
    canvas
}

fn context(canvas: &HtmlCanvasElement) -> CanvasRenderingContext2d {
    canvas
        .get_context("2d")
        .expect("get context")
        .expect("a 2d context")
        .dyn_into()
        .expect("a 2d context")
}

/// Runs `f` and returns how many changes it made to the document's nodes and attributes.
fn dom_changes(f: impl FnOnce()) -> u32 {
    let noop = js_sys::Function::new_no_args("");
    let observer = MutationObserver::new(&noop).expect("a mutation observer");
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_attributes(true);
    let document = web_sys::window()
        .expect("window")
        .document()
        .expect("document");
    observer
        .observe_with_options(&document, &options)
        .expect("observe");
    f();
    let changes = observer.take_records().length();
    observer.disconnect();
    changes
}

/// Draws a chart on a new 480×320 canvas with id `id` and reads back its pixels. Drawing
/// must leave the DOM alone.
fn paint(
    id: &str,
    draw: impl FnOnce(&DrawingArea<Canvas, Shift>) -> Result<(), ChartError>,
) -> Pixels {
    let canvas = new_canvas(id, WIDTH, HEIGHT);
    let area = Canvas::new(id).expect("canvas backend").into_drawing_area();
    let changes = dom_changes(|| draw(&area).expect("chart draws"));
    assert_eq!(changes, 0, "{id}: drawing changed the DOM");

    let context = context(&canvas);
    let image = context
        .get_image_data(0.0, 0.0, f64::from(WIDTH), f64::from(HEIGHT))
        .expect("image data");
    Pixels(image.data().0)
}

fn curve(x: Vec<f64>, y: impl Fn(f64) -> f64) -> Curve {
    let y = x.iter().map(|&v| y(v)).collect();
    Curve {
        x,
        y,
        thresholds: Vec::new(),
    }
}

fn unit_steps() -> Vec<f64> {
    (0..=100).map(|i| f64::from(i) / 100.0).collect()
}

fn series<'a>(theme: &Theme, ours: &'a Curve, reference: &'a Curve) -> [Series<'a>; 2] {
    [
        Series {
            name: "our model",
            curve: ours,
            color: theme.accent,
            dashed: false,
            area: 0.999,
        },
        Series {
            name: "reference recipe",
            curve: reference,
            color: theme.benign,
            dashed: false,
            area: 0.95,
        },
    ]
}

#[wasm_bindgen_test]
fn confusion_paints_its_cells_in_their_shades() {
    for (id, theme) in [
        ("confusion-light", Theme::light()),
        ("confusion-dark", Theme::dark()),
    ] {
        let counts = Confusion {
            tn: 4330,
            fp: 5,
            fn_: 20,
            tp: 39,
        };
        let pixels = paint(id, |a| confusion::draw(a, &counts, 0.5, &theme));
        // A cell is about a quarter of the plot, less its labels.
        for fraction in [4330.0 / 4335.0, 20.0 / 59.0, 39.0 / 59.0] {
            let cell = cell_colour(&theme, fraction);
            assert!(pixels.of(cell, 0) > 5_000, "{id}: cell at {fraction}");
        }
        assert!(pixels.of(theme.text, 60) > 200, "{id}: labels");
    }
}

#[wasm_bindgen_test]
fn roc_paints_both_curves_and_the_chance_line() {
    let theme = Theme::light();
    let ours = curve(unit_steps(), |f| 1.0 - (1.0 - f).powi(999));
    let reference = curve(unit_steps(), |f| 1.0 - (1.0 - f).powi(19));
    let point = OperatingPoint {
        x: 0.001,
        y: 0.97,
        threshold: 0.5,
    };
    let pixels = paint("roc", |a| {
        roc::draw(
            a,
            &series(&theme, &ours, &reference),
            Some(point),
            None,
            &theme,
        )
    });
    assert!(pixels.of(theme.accent, 40) > 300);
    assert!(pixels.of(theme.benign, 40) > 300);
    assert!(
        pixels.of(theme.baseline, 40) > 200,
        "axes and the chance line"
    );
    assert!(pixels.painted(theme.background) > 5_000);
}

#[wasm_bindgen_test]
fn roc_zoom_paints_both_panels() {
    let theme = Theme::light();
    let ours = curve(unit_steps(), |f| 1.0 - (1.0 - f).powi(999));
    let reference = curve(unit_steps(), |f| 1.0 - (1.0 - f).powi(19));
    let pixels = paint("roc-zoom", |a| {
        roc::draw(
            a,
            &series(&theme, &ours, &reference),
            None,
            Some(Zoom::TENTH),
            &theme,
        )
    });
    // Ours runs through the magnified corner too: more of it than on the full square alone
    // (about 300 px there). The reference (TPR 0.865 at FPR 0.1) misses the corner and shows
    // on the full square only, at half the width.
    assert!(pixels.of(theme.accent, 40) > 600);
    assert!(pixels.of(theme.benign, 40) > 150);
}

#[wasm_bindgen_test]
fn seeds_paint_a_dot_per_run() {
    let theme = Theme::dark();
    let ours = [0.999; 10];
    let reference = [
        0.02, 0.04, 0.999, 0.998, 0.998, 0.999, 0.997, 0.999, 0.997, 0.98,
    ];
    let runs = [
        SeedSeries {
            name: "this model",
            values: &ours,
            color: theme.accent,
        },
        SeedSeries {
            name: "reference recipe",
            values: &reference,
            color: theme.benign,
        },
    ];
    let pixels = paint("seeds", |a| {
        seeds::draw(a, &(1..=10).collect::<Vec<u64>>(), &runs, &theme)
    });
    assert!(pixels.of(theme.accent, 40) > 300, "filled dots");
    assert!(pixels.of(theme.benign, 40) > 200, "rings");
}

#[wasm_bindgen_test]
fn plain_plotters_canvas_would_measure_text_in_the_dom() {
    // What `Canvas` replaces, and the proof that `paint`'s DOM check would catch it: plotters'
    // own measurement adds (and removes) a styled <span> for every text it measures.
    new_canvas("plain", WIDTH, HEIGHT);
    let area = plotters_canvas::CanvasBackend::new("plain")
        .expect("canvas backend")
        .into_drawing_area();
    let theme = Theme::light();
    let changes = dom_changes(|| {
        confusion::draw(&area, &Confusion::default(), 0.5, &theme).expect("draws");
    });
    assert!(changes > 0);
}

#[wasm_bindgen_test]
fn text_is_measured_with_the_font_it_is_drawn_in() {
    let canvas = new_canvas("measure", 200, 100);
    let area = Canvas::new("measure")
        .expect("canvas backend")
        .into_drawing_area();
    let context = context(&canvas);
    for (text, style) in [
        ("false-positive rate", ("sans-serif", 13.0).into_font()),
        (
            "Feature importance",
            ("sans-serif", 30.0, FontStyle::Bold).into_font(),
        ),
    ] {
        let style = TextStyle::from(style);
        let (w, h) = area.estimate_text_size(text, &style).expect("measures");
        context.set_font(&css_font(&style));
        let width = context.measure_text(text).expect("measureText").width();
        assert_eq!(w, width.ceil() as u32, "{text}");
        // A line box: taller than the font size, not twice as tall.
        let size = style.size();
        assert!(
            f64::from(h) > size && f64::from(h) < 2.0 * size,
            "{text}: {h}"
        );
    }
    // Longer text is wider; a bold font is wider than a regular one of the same size.
    let regular = TextStyle::from(("sans-serif", 20.0).into_font());
    let bold = TextStyle::from(("sans-serif", 20.0, FontStyle::Bold).into_font());
    let width = |text: &str, style: &TextStyle<'_>| {
        area.estimate_text_size(text, style).expect("measures").0
    };
    assert!(width("ROC curve, top-left corner", &regular) > width("ROC curve", &regular));
    assert!(width("Feature importance", &bold) > width("Feature importance", &regular));
}

#[wasm_bindgen_test]
fn pr_paints_both_curves() {
    let theme = Theme::dark();
    let ours = curve(unit_steps(), |r| 1.0 - 0.9 * r.powi(40));
    let reference = curve(unit_steps(), |r| 1.0 - 0.9 * r.powi(3));
    let pixels = paint("pr", |a| {
        pr::draw(a, &series(&theme, &ours, &reference), None, &theme)
    });
    assert!(pixels.of(theme.accent, 40) > 300);
    assert!(pixels.of(theme.benign, 40) > 300);
    assert!(pixels.painted(theme.background) > 5_000);
}

#[wasm_bindgen_test]
fn histogram_paints_translucent_bars_of_both_classes() {
    let theme = Theme::light();
    let mut benign = vec![0; 1000];
    let mut suspicious = vec![0; 1000];
    benign[..100].fill(40);
    benign[500] = 335;
    suspicious[900..].fill(1);
    let scores = Histogram {
        bins: 1000,
        benign,
        suspicious,
    };
    let pixels = paint("histogram", |a| histogram::draw(a, &scores, 0.5, &theme));
    for class in [theme.benign, theme.suspicious] {
        let bar = blend(theme.background, class, BAR_OPACITY);
        assert!(pixels.of(bar, 3) > 2_000, "bars of {class:?}");
        assert!(pixels.of(class, 3) > 50, "legend swatch of {class:?}");
    }
    assert!(pixels.of(theme.text, 40) > 300, "threshold line and labels");
}

#[wasm_bindgen_test]
fn loss_paints_each_series() {
    let theme = Theme::light();
    let train: Vec<f32> = (0..200).map(|i| 0.1 + (-(i as f32) / 30.0).exp()).collect();
    let valid: Vec<f32> = train.iter().map(|v| v * 1.2).collect();
    let traces = [
        LossSeries {
            name: "training",
            values: &train,
            steps: None,
            color: theme.accent,
        },
        LossSeries {
            name: "validation",
            values: &valid,
            steps: None,
            color: theme.benign,
        },
    ];
    let pixels = paint("loss", |a| loss::draw(a, &traces, &theme));
    assert!(pixels.of(theme.accent, 40) > 300);
    assert!(pixels.of(theme.benign, 40) > 300);
}

#[wasm_bindgen_test]
fn importance_paints_a_bar_per_feature() {
    let theme = Theme::dark();
    let features: Vec<FeatureImportance> = [("processId", 0.3), ("userId", 0.1), ("eventId", 0.02)]
        .into_iter()
        .map(|(f, d)| FeatureImportance {
            feature: f.to_string(),
            auc_drop: d,
        })
        .collect();
    let pixels = paint("importance", |a| importance::draw(a, &features, &theme));
    assert!(pixels.of(theme.accent, 0) > 5_000);
    assert!(pixels.of(theme.text, 60) > 200, "names and values");
}

#[wasm_bindgen_test]
fn empty_data_paints_only_a_message() {
    let theme = Theme::light();
    let pixels = paint("empty", |a| {
        roc::draw(a, &[], None, Some(Zoom::TENTH), &theme)
    });
    let painted = pixels.painted(theme.background);
    assert!(
        (100..5_000).contains(&painted),
        "{painted} pixels of caption and message"
    );
    assert_eq!(pixels.of(theme.accent, 40), 0);
}
