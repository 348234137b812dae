//! Native tests: every chart rendered to an SVG string at 480×320, with realistic data and with
//! empty or degenerate data.

use super::confusion::cell_colour;
use super::histogram::{BAR_OPACITY, DISPLAY_BINS};
use super::loss::LossSeries;
use super::roc::Zoom;
use super::style::{fmt3, fmt_threshold};
use super::*;
use crate::evaluation::{FeatureImportance, Summary};
use crate::metrics::{Confusion, Curve, Histogram, Rates};
use plotters::coord::Shift;
use plotters::prelude::*;

pub(super) type Svg<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Renders one chart at `size` and returns the SVG text.
pub(super) fn render_at(
    size: (u32, u32),
    draw: impl FnOnce(&Svg<'_>) -> Result<(), ChartError>,
) -> String {
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&area).expect("chart draws");
        area.present().expect("svg written");
    }
    out
}

fn render(draw: impl FnOnce(&Svg<'_>) -> Result<(), ChartError>) -> String {
    render_at((480, 320), draw)
}

pub(super) fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// How many filled rectangles of colour `c` at opacity `alpha` the SVG has.
fn rects(svg: &str, c: RGBColor, alpha: f64) -> usize {
    svg.matches(&format!(
        "opacity=\"{alpha}\" fill=\"{}\" stroke=\"none\"",
        hex(c)
    ))
    .count()
}

/// How many lines (polylines) of colour `c` the SVG has.
fn lines(svg: &str, c: RGBColor) -> usize {
    svg.matches(&format!(
        "<polyline fill=\"none\" opacity=\"1\" stroke=\"{}\"",
        hex(c)
    ))
    .count()
}

/// The points of each polyline of colour `c`.
fn polylines(svg: &str, c: RGBColor) -> Vec<Vec<(i32, i32)>> {
    let tag = format!(
        "<polyline fill=\"none\" opacity=\"1\" stroke=\"{}\"",
        hex(c)
    );
    svg.split(&tag)
        .skip(1)
        .map(|rest| {
            let points = rest.split("points=\"").nth(1).unwrap_or("");
            let points = points.split('"').next().unwrap_or("");
            points
                .split_whitespace()
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect()
        })
        .collect()
}

/// The y attribute of the `<text>` element whose content is `content`.
pub(super) fn text_y(svg: &str, content: &str) -> Option<i32> {
    text_attribute(svg, content, "y")
}

/// The x attribute of the `<text>` element whose content is `content`.
pub(super) fn text_x(svg: &str, content: &str) -> Option<i32> {
    text_attribute(svg, content, "x")
}

fn text_attribute(svg: &str, content: &str, name: &str) -> Option<i32> {
    let tag = svg
        .split("<text ")
        .find(|t| t.contains(&format!(">\n{content}\n</text>")))?;
    // The attributes of this tag only (it starts right after "<text ").
    let attributes = format!(" {}", tag.split('>').next()?);
    let value = attributes
        .split(&format!(" {name}=\""))
        .nth(1)?
        .split('"')
        .next()?;
    value.parse().ok()
}

/// An attribute of each filled rectangle of colour `c`, in drawing order.
fn rect_attribute(svg: &str, c: RGBColor, name: &str) -> Vec<i32> {
    svg.split("<rect ")
        .filter(|r| {
            r.split("/>")
                .next()
                .is_some_and(|tag| tag.contains(&format!("fill=\"{}\"", hex(c))))
        })
        .filter_map(|r| attribute(r, name))
        .collect()
}

/// The number in attribute `name` of a tag's attributes `tag` (what follows `<rect `…).
pub(super) fn attribute(tag: &str, name: &str) -> Option<i32> {
    format!(" {tag}")
        .split(&format!(" {name}=\""))
        .nth(1)?
        .split('"')
        .next()?
        .parse()
        .ok()
}

fn rect_tops(svg: &str, c: RGBColor) -> Vec<i32> {
    rect_attribute(svg, c, "y")
}

fn rect_lefts(svg: &str, c: RGBColor) -> Vec<i32> {
    rect_attribute(svg, c, "x")
}

/// A ROC curve shaped like a model with AUC k / (k + 1): TPR = 1 - (1 - FPR)^k.
fn roc_curve(k: f64) -> Curve {
    let x: Vec<f64> = (0..=100).map(|i| f64::from(i) / 100.0).collect();
    let y = x.iter().map(|f| 1.0 - (1.0 - f).powf(k)).collect();
    let thresholds = (0..=100).map(|i| 1.0 - f64::from(i) / 100.0).collect();
    Curve { x, y, thresholds }
}

/// A PR curve whose precision stays near 1 until recall approaches 1, more so for larger k.
fn pr_curve(k: i32) -> Curve {
    let x: Vec<f64> = (0..=100).map(|i| f64::from(i) / 100.0).collect();
    let y = x.iter().map(|r| 1.0 - 0.8 * r.powi(k)).collect();
    let thresholds = (0..=100).map(|i| 1.0 - f64::from(i) / 100.0).collect();
    Curve { x, y, thresholds }
}

fn series<'a>(
    theme: &Theme,
    ours: &'a Curve,
    reference: &'a Curve,
    areas: (f64, f64),
) -> [Series<'a>; 2] {
    [
        Series {
            name: "our model",
            curve: ours,
            color: theme.accent,
            dashed: false,
            area: areas.0,
        },
        Series {
            name: "reference recipe",
            curve: reference,
            color: theme.benign,
            dashed: false,
            area: areas.1,
        },
    ]
}

/// 4335 benign events mostly near 0 and 59 suspicious mostly near 1, in 1000 bins. Each class
/// lands in 5 of the 40 display bins.
fn histogram() -> Histogram {
    let mut benign = vec![0; 1000];
    let mut suspicious = vec![0; 1000];
    for (bin, n) in [
        (0, 3900),
        (3, 300),
        (30, 100),
        (120, 25),
        (400, 7),
        (620, 3),
    ] {
        benign[bin] = n;
    }
    for (bin, n) in [(999, 50), (960, 5), (700, 2), (300, 1), (10, 1)] {
        suspicious[bin] = n;
    }
    Histogram {
        bins: 1000,
        benign,
        suspicious,
    }
}

fn confusion() -> Confusion {
    Confusion {
        tn: 4330,
        fp: 5,
        fn_: 2,
        tp: 57,
    }
}

fn importance() -> Vec<FeatureImportance> {
    [
        ("argsNum", 0.004),
        ("processId_is_os", 0.31),
        ("eventId", 0.12),
        ("userId", -0.002),
        ("returnValue", 0.05),
    ]
    .into_iter()
    .map(|(feature, auc_drop)| FeatureImportance {
        feature: feature.to_string(),
        auc_drop,
    })
    .collect()
}

fn loss(steps: usize, scale: f32) -> Vec<f32> {
    (0..steps)
        .map(|i| scale * (0.05 + 0.6 * (-(i as f32) / 40.0).exp() + 0.01 * (i as f32).sin()))
        .collect()
}

#[test]
fn confusion_shades_four_cells_and_labels_counts_with_row_shares() {
    let theme = Theme::light();
    let svg = render(|a| confusion::draw(a, &confusion(), 0.5, &theme));
    for fraction in [4330.0 / 4335.0, 5.0 / 4335.0, 2.0 / 59.0, 57.0 / 59.0] {
        // A near-zero share is shaded like the background, which also matches.
        assert!(
            rects(&svg, cell_colour(&theme, fraction), 1.0) >= 1,
            "cell at {fraction}"
        );
    }
    for text in [
        "4,330",
        "5",
        "2",
        "57",
        "99.9%",
        "0.1%",
        "3.4%",
        "96.6%",
        // Each share's Wilson interval: 4,330 of 4,335, 5 of 4,335, 2 of 59 and 57 of 59.
        "99.7–100.0%",
        "0.0–0.3%",
        "0.9–11.5%",
        "88.5–99.1%",
        "benign",
        "suspicious",
        "predicted",
        "actual",
    ] {
        assert!(
            svg.contains(&format!(">\n{text}\n</text>")),
            "missing {text}"
        );
    }
    assert!(svg.contains("Confusion at threshold 0.50"));
}

#[test]
fn confusion_with_an_empty_row_still_draws_the_other() {
    let theme = Theme::dark();
    let only_benign = Confusion {
        tn: 10,
        fp: 0,
        fn_: 0,
        tp: 0,
    };
    let svg = render(|a| confusion::draw(a, &only_benign, 0.5, &theme));
    assert!(svg.contains(">\n100.0%\n</text>"));
    assert!(svg.contains(">\n–\n</text>"), "an empty row has no shares");
}

#[test]
fn roc_draws_each_curve_with_its_auc_and_the_operating_point() {
    let theme = Theme::light();
    let (ours, reference) = (roc_curve(999.0), roc_curve(19.0));
    let point = OperatingPoint {
        x: 0.001,
        y: 0.966,
        threshold: 0.5,
    };
    let svg = render(|a| {
        roc::draw(
            a,
            &series(&theme, &ours, &reference, (0.9994, 0.95)),
            Some(point),
            None,
            &theme,
        )
    });
    assert!(svg.contains("our model (AUC 0.999)"));
    assert!(svg.contains("reference recipe (AUC 0.950)"));
    assert!(svg.contains("threshold 0.50"));
    // Each curve and its legend swatch.
    assert_eq!(lines(&svg, theme.accent), 2);
    assert_eq!(lines(&svg, theme.benign), 2);
    // The ring on the chart and in the legend, each over a filled middle on the chart.
    assert_eq!(svg.matches("<circle").count(), 3);
    assert!(!svg.contains("top-left corner"));
}

#[test]
fn roc_zoom_magnifies_the_top_left_corner_beside_the_full_square() {
    let theme = Theme::light();
    let (ours, reference) = (roc_curve(999.0), roc_curve(19.0));
    let point = OperatingPoint {
        x: 0.01,
        y: 0.97,
        threshold: 0.5,
    };
    let (w, h) = (720, 400);
    let svg = render_at((w, h), |a| {
        roc::draw(
            a,
            &series(&theme, &ours, &reference, (0.9994, 0.95)),
            Some(point),
            Some(Zoom::TENTH),
            &theme,
        )
    });
    assert!(svg.contains(">\nfull range\n</text>"));
    assert!(svg.contains(">\ntop-left corner, ×10\n</text>"));
    // The legend goes above both panels, once.
    assert_eq!(svg.matches("our model (AUC 0.999)").count(), 1);
    let legend_y = text_y(&svg, "our model (AUC 0.999)").expect("legend");
    assert!(legend_y < text_y(&svg, "full range").expect("caption"));
    // Each curve in both panels, cut to the corner in the right one, and its swatch.
    let accent = polylines(&svg, theme.accent);
    assert!(accent.len() >= 3, "{} lines", accent.len());
    let right: Vec<&Vec<(i32, i32)>> = accent
        .iter()
        .filter(|l| l.iter().all(|p| p.0 > w as i32 / 2))
        .collect();
    assert!(!right.is_empty(), "no curve in the magnified panel");
    // Ticks of the magnified ranges, with two decimals.
    for tick in ["0.90", "0.95", "1.00", "0.00", "0.05", "0.10"] {
        assert!(svg.contains(&format!(">\n{tick}\n</text>")), "tick {tick}");
    }
    // The ring in both panels (each over a filled middle) and in the legend.
    assert_eq!(svg.matches("<circle").count(), 5);
    // Too narrow for two panels: the full square alone, its legend inside.
    let narrow = render_at((300, 300), |a| {
        roc::draw(
            a,
            &series(&theme, &ours, &reference, (0.9994, 0.95)),
            None,
            Some(Zoom::TENTH),
            &theme,
        )
    });
    assert!(!narrow.contains("top-left corner") && narrow.contains("our model (AUC 0.999)"));
}

/// WCAG's contrast ratio of two colours (1 to 21).
fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let luminance = |c: RGBColor| {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
    };
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// The `evil` line: dashes of its own colour (each at most a dash long, 6 px at 13 px text)
/// with a dashed swatch and its name in the legend; none of either without it. In both themes
/// its colour stands out from the background (WCAG's 3:1 for graphics) and from the accent.
#[test]
fn an_evil_curve_is_drawn_dashed_in_its_own_colour_only_when_given() {
    for theme in [Theme::light(), Theme::dark()] {
        assert!(contrast(theme.evil, theme.background) >= 4.5);
        assert!(theme.evil != theme.accent && theme.evil != theme.baseline);
        let (sus, evil) = (roc_curve(999.0), roc_curve(99.0));
        let [ours, _] = series(&theme, &sus, &sus, (0.9994, 0.0));
        let with = [
            ours,
            Series {
                name: "this model on evil",
                curve: &evil,
                color: theme.evil,
                dashed: true,
                area: 0.99,
            },
        ];
        for svg in [
            render(|a| roc::draw(a, &with, None, None, &theme)),
            render(|a| pr::draw(a, &with, None, &theme)),
        ] {
            assert!(
                svg.contains(">\nthis model on evil (AUC 0.990)\n</text>")
                    || svg.contains(">\nthis model on evil (AP 0.990)\n</text>")
            );
            let dashes = polylines(&svg, theme.evil);
            assert!(dashes.len() >= 30, "{} dashes", dashes.len());
            for dash in &dashes {
                let length: f64 = dash
                    .windows(2)
                    .map(|w| f64::from(w[1].0 - w[0].0).hypot(f64::from(w[1].1 - w[0].1)))
                    .sum();
                assert!(length <= 6.0 + 1.5, "{dash:?}");
            }
            // The solid line of the accent colour: one polyline on the plot, one swatch.
            assert_eq!(lines(&svg, theme.accent), 2);
        }
        let without = render(|a| roc::draw(a, &with[..1], None, None, &theme));
        assert_eq!(lines(&without, theme.evil), 0);
        assert!(!without.contains("evil"));
    }
}

#[test]
fn pr_draws_each_curve_with_its_average_precision() {
    let theme = Theme::dark();
    let (ours, reference) = (pr_curve(40), pr_curve(3));
    let svg = render(|a| {
        pr::draw(
            a,
            &series(&theme, &ours, &reference, (0.987, f64::NAN)),
            None,
            &theme,
        )
    });
    assert!(svg.contains("our model (AP 0.987)"));
    assert!(svg.contains("reference recipe (AP n/a)"));
    assert_eq!(lines(&svg, theme.accent), 2);
    assert_eq!(lines(&svg, theme.benign), 2);
    assert_eq!(svg.matches("<circle").count(), 0);
}

#[test]
fn histogram_draws_a_translucent_bar_per_occupied_display_bin() {
    let theme = Theme::light();
    let svg = render(|a| histogram::draw(a, &histogram(), 0.5, &theme));
    assert_eq!(rects(&svg, theme.benign, BAR_OPACITY), 5);
    assert_eq!(rects(&svg, theme.suspicious, BAR_OPACITY), 5);
    assert!(svg.contains("benign (n=4,335)"));
    assert!(svg.contains("suspicious (n=59)"));
    assert!(svg.contains("threshold 0.50"));
    // One suspicious event in 59 is 1.7%, one benign in 4335 is 0.023%: the axis reaches 0.01%.
    assert!(svg.contains(">\n0.01%\n</text>"));
    assert!(svg.contains(">\n100%\n</text>"));
}

#[test]
fn histogram_sums_fine_bins_into_display_bins() {
    let theme = Theme::light();
    let fine = Histogram {
        bins: 1000,
        benign: vec![1; 1000],
        suspicious: vec![0; 1000],
    };
    let svg = render(|a| histogram::draw(a, &fine, 0.5, &theme));
    assert_eq!(rects(&svg, theme.benign, BAR_OPACITY), DISPLAY_BINS);
    // Fewer fine bins than display bins are shown as they are.
    let coarse = Histogram {
        bins: 4,
        benign: vec![1, 2, 3, 4],
        suspicious: vec![4, 0, 0, 1],
    };
    let svg = render(|a| histogram::draw(a, &coarse, 0.5, &theme));
    assert_eq!(rects(&svg, theme.benign, BAR_OPACITY), 4);
    assert_eq!(rects(&svg, theme.suspicious, BAR_OPACITY), 2);
}

#[test]
fn loss_draws_one_line_per_series() {
    let theme = Theme::light();
    let (train, valid) = (loss(300, 1.0), loss(300, 1.1));
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
    let svg = render(|a| loss::draw(a, &traces, &theme));
    assert_eq!(lines(&svg, theme.accent), 2);
    assert_eq!(lines(&svg, theme.benign), 2);
    assert!(svg.contains(">\ntraining\n</text>"));
    assert!(svg.contains(">\nvalidation\n</text>"));
    assert!(svg.contains(">\nloss (log)\n</text>"));
}

#[test]
fn loss_on_a_log_axis_keeps_a_small_loss_readable_beside_a_large_one() {
    let theme = Theme::light();
    // Like the shipped model: one loss falls from 8 to 0.3 over 600 steps, the reference
    // recipe's from 0.76 to 0.47 in 30.
    let large: Vec<f32> = (0..600)
        .map(|i| 0.3 + 7.8 * (-(i as f32) / 60.0).exp())
        .collect();
    let small: Vec<f32> = (0..30)
        .map(|i| 0.47 + 0.29 * (1.0 - i as f32 / 29.0))
        .collect();
    let traces = [
        LossSeries {
            name: "this model",
            values: &large,
            steps: None,
            color: theme.accent,
        },
        LossSeries {
            name: "reference recipe",
            values: &small,
            steps: None,
            color: theme.benign,
        },
    ];
    let svg = render(|a| loss::draw(a, &traces, &theme));
    let height = |c: RGBColor| {
        let line = polylines(&svg, c)
            .into_iter()
            .max_by_key(Vec::len)
            .expect("a line");
        let ys = line.iter().map(|p| p.1);
        ys.clone().max().unwrap_or(0) - ys.min().unwrap_or(0)
    };
    // On a linear axis from zero the small loss would drop by 0.29 / 8.5 of the plot
    // (about 8 px here); on the log axis it takes a good part of it.
    assert!(height(theme.benign) > 30, "{} px", height(theme.benign));
    assert!(height(theme.accent) > 150, "{} px", height(theme.accent));
    // A loss of zero sits on the floor instead of vanishing.
    let zeros = [0.5f32, 0.0, 0.25];
    let svg = render(|a| {
        loss::draw(
            a,
            &[LossSeries {
                name: "x",
                values: &zeros,
                steps: None,
                color: theme.accent,
            }],
            &theme,
        )
    });
    assert_eq!(polylines(&svg, theme.accent)[0].len(), 3);
}

#[test]
fn importance_sorts_bars_largest_on_top() {
    let theme = Theme::light();
    let svg = render(|a| importance::draw(a, &importance(), &theme));
    assert_eq!(rects(&svg, theme.accent, 1.0), 5);
    let order = [
        "processId_is_os",
        "eventId",
        "returnValue",
        "argsNum",
        "userId",
    ];
    let ys: Vec<i32> = order
        .iter()
        .map(|name| text_y(&svg, name).unwrap_or_else(|| panic!("no {name}")))
        .collect();
    assert!(
        ys.windows(2).all(|w| w[0] < w[1]),
        "names top to bottom: {ys:?}"
    );
    assert!(svg.contains(">\n0.310\n</text>"));
    assert!(svg.contains(">\n-0.002\n</text>"));
}

#[test]
fn importance_labels_tiny_drops_with_their_first_digit_and_sign() {
    // The shipped model's argsNum and "process is not OS" drops, by order of magnitude.
    let theme = Theme::light();
    let tiny: Vec<FeatureImportance> = [
        ("a", -0.000_254),
        ("b", 0.000_043),
        ("c", 0.0),
        ("d", 0.0121),
    ]
    .into_iter()
    .map(|(feature, auc_drop)| FeatureImportance {
        feature: feature.to_string(),
        auc_drop,
    })
    .collect();
    let svg = render(|a| importance::draw(a, &tiny, &theme));
    for label in ["-0.0003", "0.00004", "0.000", "0.012"] {
        assert!(
            svg.contains(&format!(">\n{label}\n</text>")),
            "no label {label}"
        );
    }
}

#[test]
fn importance_shows_as_many_features_as_fit() {
    let theme = Theme::light();
    let many: Vec<FeatureImportance> = (0..40)
        .map(|i| FeatureImportance {
            feature: format!("a_rather_long_feature_name_{i}"),
            auc_drop: f64::from(i) / 100.0,
        })
        .collect();
    let svg = render(|a| importance::draw(a, &many, &theme));
    let shown = rects(&svg, theme.accent, 1.0);
    assert!((5..40).contains(&shown), "{shown} bars");
    assert!(svg.contains(&format!("(top {shown} of 40)")));
    // Too long to go beside the bars at this width: above them, whole.
    assert!(svg.contains(">\na_rather_long_feature_name_39\n</text>"));
}

#[test]
fn importance_puts_names_above_bars_on_a_phone_and_beside_them_when_wide() {
    let theme = Theme::light();
    // (The SVG escapes "<" and ">", so these names have none.)
    let features: Vec<FeatureImportance> = [
        ("process is not OS (pid 3 and up)", 0.31),
        ("parent is not OS (ppid 3 and up)", 0.12),
        ("user is not system (uid 1000 and up)", 0.05),
    ]
    .into_iter()
    .map(|(feature, auc_drop)| FeatureImportance {
        feature: feature.to_string(),
        auc_drop,
    })
    .collect();
    // A phone: each name whole, on its own line, left-aligned above its bar.
    let phone = render_at((340, 226), |a| importance::draw(a, &features, &theme));
    assert_eq!(rects(&phone, theme.accent, 1.0), 3);
    let xs: Vec<i32> = features
        .iter()
        .map(|f| text_x(&phone, &f.feature).unwrap_or_else(|| panic!("{} cut", f.feature)))
        .collect();
    assert!(xs.windows(2).all(|w| w[0] == w[1]), "aligned: {xs:?}");
    // Bars are drawn top row first.
    let name_y = text_y(&phone, "process is not OS (pid 3 and up)").expect("name");
    let bar_top = rect_tops(&phone, theme.accent)[0];
    assert!(
        name_y <= bar_top,
        "the name {name_y} is above its bar {bar_top}"
    );
    // A wide canvas: names left of the bars, right-aligned against the axis.
    let wide = render_at((1200, 480), |a| importance::draw(a, &features, &theme));
    let name_x = text_x(&wide, "process is not OS (pid 3 and up)").expect("name");
    let bar_left = rect_lefts(&wide, theme.accent)[0];
    assert!(
        name_x < bar_left,
        "the name {name_x} is left of its bar {bar_left}"
    );
    // Too narrow even for a name above its bar: its end goes, at a word.
    let narrow = render_at((150, 226), |a| importance::draw(a, &features, &theme));
    assert!(narrow.contains("…"), "{narrow}");
    assert!(!narrow.contains("(pid 3 and up)"));
}

#[test]
fn empty_or_degenerate_data_draws_no_data() {
    let theme = Theme::light();
    let empty = Curve::default();
    let nan = Curve {
        x: vec![f64::NAN],
        y: vec![0.5],
        thresholds: vec![0.5],
    };
    let curves = [
        Series {
            name: "a",
            curve: &empty,
            color: theme.accent,
            dashed: false,
            area: f64::NAN,
        },
        Series {
            name: "b",
            curve: &nan,
            color: theme.accent,
            dashed: false,
            area: 0.5,
        },
    ];
    let nan_loss = [f32::NAN, f32::INFINITY];
    let charts: Vec<(&str, String)> = vec![
        (
            "confusion",
            render(|a| confusion::draw(a, &Confusion::default(), f32::NAN, &theme)),
        ),
        ("roc", render(|a| roc::draw(a, &curves, None, None, &theme))),
        (
            "roc without series",
            render(|a| roc::draw(a, &[], None, Some(Zoom::TENTH), &theme)),
        ),
        ("pr", render(|a| pr::draw(a, &curves, None, &theme))),
        (
            "histogram",
            render(|a| histogram::draw(a, &Histogram::default(), 0.5, &theme)),
        ),
        (
            "histogram of zeros",
            render(|a| {
                histogram::draw(
                    a,
                    &Histogram {
                        bins: 3,
                        benign: vec![0; 3],
                        suspicious: vec![],
                    },
                    0.5,
                    &theme,
                )
            }),
        ),
        ("loss", render(|a| loss::draw(a, &[], &theme))),
        (
            "loss of NaN",
            render(|a| {
                loss::draw(
                    a,
                    &[LossSeries {
                        name: "x",
                        values: &nan_loss,
                        steps: None,
                        color: theme.accent,
                    }],
                    &theme,
                )
            }),
        ),
        ("importance", render(|a| importance::draw(a, &[], &theme))),
        (
            "importance of NaN",
            render(|a| {
                importance::draw(
                    a,
                    &[FeatureImportance {
                        feature: "f".into(),
                        auc_drop: f64::NAN,
                    }],
                    &theme,
                )
            }),
        ),
    ];
    for (name, svg) in charts {
        assert!(svg.contains(">\nno data\n</text>"), "{name} says no data");
    }
}

#[test]
fn odd_but_drawable_data_draws() {
    let theme = Theme::dark();
    let point = Curve {
        x: vec![0.5],
        y: vec![0.5],
        thresholds: vec![0.5],
    };
    let flat = [0.0f32; 1];
    let one = [FeatureImportance {
        feature: "f".into(),
        auc_drop: 0.0,
    }];
    let lopsided = Histogram {
        bins: 1000,
        benign: vec![],
        suspicious: vec![7; 10],
    };
    let svgs = [
        render(|a| {
            roc::draw(
                a,
                &[Series {
                    name: "x",
                    curve: &point,
                    color: theme.accent,
                    dashed: false,
                    area: 0.5,
                }],
                Some(OperatingPoint {
                    x: f64::NAN,
                    y: 2.0,
                    threshold: 0.5,
                }),
                Some(Zoom::TENTH),
                &theme,
            )
        }),
        render(|a| {
            loss::draw(
                a,
                &[LossSeries {
                    name: "x",
                    values: &flat,
                    steps: None,
                    color: theme.accent,
                }],
                &theme,
            )
        }),
        render(|a| importance::draw(a, &one, &theme)),
        render(|a| histogram::draw(a, &lopsided, 1.5, &theme)),
    ];
    for svg in &svgs {
        assert!(!svg.contains("no data"));
        assert!(svg.contains(&format!("fill=\"{}\"", hex(theme.background))));
    }
    // No marker for an operating point off the chart, no line for a threshold outside [0, 1].
    assert!(!svgs[0].contains("threshold"));
    assert!(!svgs[3].contains("threshold"));
    assert_eq!(rects(&svgs[3], theme.suspicious, BAR_OPACITY), 1);
}

#[test]
fn charts_fit_a_phone_and_a_hidpi_canvas() {
    let theme = Theme::light();
    let (ours, reference) = (roc_curve(999.0), roc_curve(19.0));
    let train = loss(300, 1.0);
    let traces = [LossSeries {
        name: "training",
        values: &train,
        steps: None,
        color: theme.accent,
    }];
    for size in [(320, 214), (960, 640), (40, 30)] {
        for zoom in [None, Some(Zoom::TENTH)] {
            let svg = render_at(size, |a| {
                roc::draw(
                    a,
                    &series(&theme, &ours, &reference, (0.999, 0.95)),
                    None,
                    zoom,
                    &theme,
                )
            });
            assert!(svg.contains("our model (AUC 0.999)"), "{size:?}");
        }
        render_at(size, |a| confusion::draw(a, &confusion(), 0.5, &theme));
        render_at(size, |a| histogram::draw(a, &histogram(), 0.5, &theme));
        render_at(size, |a| importance::draw(a, &importance(), &theme));
        render_at(size, |a| loss::draw(a, &traces, &theme));
    }
}

#[test]
fn a_negative_value_that_rounds_to_zero_shows_without_its_sign() {
    assert_eq!(fmt3(-0.0004), "0.000");
    assert_eq!(fmt3(-0.0), "0.000");
    assert_eq!(fmt3(-0.0005001), "-0.001");
    assert_eq!(fmt3(0.0123), "0.012");
    assert_eq!(fmt3(f64::NAN), "n/a");
}

#[test]
fn thresholds_show_as_the_slider_sets_them() {
    assert_eq!(fmt_threshold(0.5), "0.50");
    assert_eq!(fmt_threshold(0.12), "0.12");
    assert_eq!(fmt_threshold(0.125), "0.125");
    assert_eq!(fmt_threshold(f32::NAN), "n/a");
    let theme = Theme::light();
    let svg = render(|a| confusion::draw(a, &confusion(), 0.125, &theme));
    assert!(svg.contains("Confusion at threshold 0.125"));
}

#[test]
fn operating_points_come_from_a_summary() {
    let rates = Rates {
        precision: 0.9,
        recall: 0.8,
        specificity: 0.75,
        ..Rates::default()
    };
    let summary = Summary {
        threshold: 0.4,
        rates,
        ..Summary::default()
    };
    let roc = OperatingPoint {
        x: 0.25,
        y: 0.8,
        threshold: 0.4,
    };
    assert_eq!(OperatingPoint::roc(&summary), roc);
    let pr = OperatingPoint {
        x: 0.8,
        y: 0.9,
        threshold: 0.4,
    };
    assert_eq!(OperatingPoint::pr(&summary), pr);
}

#[test]
fn the_smallest_text_is_twelve_css_pixels_at_any_pixel_ratio() {
    // A phone's chart box: 350 × 260 CSS pixels, drawn at devicePixelRatio 1 and 2.
    for ratio in [1u32, 2] {
        let theme = Theme::light().at_pixel_ratio(f64::from(ratio));
        let svg = render_at((350 * ratio, 260 * ratio), |a| {
            confusion::draw(a, &confusion(), 0.5, &theme)
        });
        // The class names are body text: 13 px × (350 / 480) = 9.5 px before the minimum.
        // plotters' SVG writes sizes divided by 1.24 (its canvas backend writes them as they are).
        let tag = svg
            .split("<text ")
            .find(|t| t.contains(">\nbenign\n</text>"))
            .expect("a class name");
        let size: f64 = tag
            .split("font-size=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|v| v.parse().ok())
            .expect("a font size");
        assert!(
            (size * 1.24 - 12.0 * f64::from(ratio)).abs() < 1e-9,
            "at ratio {ratio}: {size}"
        );
    }
}

#[test]
fn triangles_are_plotters_triangle_markers_pixel_for_pixel() {
    use super::style::Triangle;
    // Corners where `ceil` of the tiny cosine of -90 degrees matters (x = 0 and 1) and where it
    // does not, at the sizes the charts use and beyond.
    let spots = [(0, 0), (1, 7), (40, 25), (123, 300), (479, 319)];
    for size in [1, 4, 6, 9, 13, 40] {
        let ours = render_at((480, 320), |area| {
            for at in spots {
                area.draw(&Triangle::new(at, size, RED.filled()))?;
            }
            Ok(())
        });
        let plotters = render_at((480, 320), |area| {
            for at in spots {
                area.draw(&TriangleMarker::new(at, size, RED.filled()))?;
            }
            Ok(())
        });
        assert_eq!(ours, plotters, "size {size}");
        assert_eq!(ours.matches("<polygon").count(), spots.len());
    }
}
