//! Browser tests of the charts: each is drawn on a real `<canvas>` through plotters-canvas, read
//! back with `getImageData`, and checked for painted pixels in the colours it should use.
#![cfg(target_arch = "wasm32")]

use cyber_attack_detector::charts::confusion::cell_colour;
use cyber_attack_detector::charts::histogram::BAR_OPACITY;
use cyber_attack_detector::charts::loss::LossSeries;
use cyber_attack_detector::charts::{
    blend, confusion, histogram, importance, loss, pr, roc, ChartError, OperatingPoint, Series,
    Theme,
};
use cyber_attack_detector::evaluation::FeatureImportance;
use cyber_attack_detector::metrics::{Confusion, Curve, Histogram};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, RGBColor};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

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

/// Draws a chart on a new 480×320 canvas with id `id` and reads back its pixels.
fn paint(
    id: &str,
    draw: impl FnOnce(&DrawingArea<CanvasBackend, Shift>) -> Result<(), ChartError>,
) -> Pixels {
    let document = web_sys::window()
        .expect("window")
        .document()
        .expect("document");
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .expect("create canvas")
        .dyn_into()
        .expect("a canvas element");
    canvas.set_width(WIDTH);
    canvas.set_height(HEIGHT);
    canvas.set_id(id);
    document
        .body()
        .expect("body")
        .append_child(&canvas)
        .expect("append canvas");

    let area = CanvasBackend::new(id)
        .expect("canvas backend")
        .into_drawing_area();
    draw(&area).expect("chart draws");

    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("get context")
        .expect("a 2d context")
        .dyn_into()
        .expect("a 2d context");
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
            area: 0.999,
        },
        Series {
            name: "reference recipe",
            curve: reference,
            color: theme.benign,
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
        roc::draw(a, &series(&theme, &ours, &reference), Some(point), &theme)
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
            color: theme.accent,
        },
        LossSeries {
            name: "validation",
            values: &valid,
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
    let pixels = paint("empty", |a| roc::draw(a, &[], None, &theme));
    let painted = pixels.painted(theme.background);
    assert!(
        (100..5_000).contains(&painted),
        "{painted} pixels of caption and message"
    );
    assert_eq!(pixels.of(theme.accent, 40), 0);
}
