//! What ROC and precision-recall charts share: named curves in the unit square, each with its
//! area in the legend, and a ring on the operating point of the current threshold; optionally a
//! second panel beside the square that magnifies the part of it where good curves run.

use super::style::{fmt3, fmt_threshold, unit_range, Key, Place, Style, Swatch};
use super::{ChartError, OperatingPoint, Series, Theme};
use plotters::coord::Shift;
use plotters::prelude::{
    Circle, Color, DashedLineSeries, DrawingArea, DrawingBackend, LineSeries, Rectangle,
};
use std::ops::Range;

/// What differs between the two charts.
pub(super) struct Spec {
    pub title: &'static str,
    pub x_desc: &'static str,
    pub y_desc: &'static str,
    /// The legend's name for [`Series::area`]: "AUC" or "AP".
    pub metric: &'static str,
    /// Draw the chance line from (0, 0) to (1, 1).
    pub diagonal: bool,
    /// Join points by a step (up or down to the next point's y, then across), as average
    /// precision counts the area, rather than by a straight line.
    pub steps: bool,
    /// A corner the curves stay away from, for the legend of the single-panel chart.
    pub legend: Place,
    /// A part of the unit square to show magnified beside it, when the area is wide enough.
    pub zoom: Option<Magnified>,
}

/// A rectangle of the unit square shown in a second panel, and what that panel's caption says.
pub(super) struct Magnified {
    pub x: Range<f64>,
    pub y: Range<f64>,
    pub caption: String,
}

/// One panel's view: its ranges (with slack), tick labels and, on the full square, the outline
/// of the magnified rectangle.
struct View<'a> {
    x: Range<f64>,
    y: Range<f64>,
    decimals: usize,
    labels: usize,
    outline: Option<&'a Magnified>,
}

/// Two panels need room for two sets of axes: 15 text sizes each.
const PANEL_WIDTH_IN_TEXT: f64 = 15.0;

pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: Spec,
    series: &[Series<'_>],
    point: Option<OperatingPoint>,
    theme: &Theme,
) -> Result<(), ChartError> {
    let style = Style::new(area, theme);
    let curves: Vec<(&Series<'_>, Vec<(f64, f64)>)> = series
        .iter()
        .map(|s| (s, unit_points(&s.curve.x, &s.curve.y)))
        .map(|(s, points)| (s, if spec.steps { steps(&points) } else { points }))
        .filter(|(_, points)| !points.is_empty())
        .collect();
    if curves.is_empty() {
        return style.no_data(area, spec.title);
    }

    let mut keys: Vec<Key> = curves
        .iter()
        .map(|(s, _)| Key {
            swatch: match s.dashed {
                true => Swatch::Dashed(s.color.stroke_width(style.line)),
                false => Swatch::Line(s.color.stroke_width(style.line)),
            },
            label: format!("{} ({} {})", s.name, spec.metric, fmt3(s.area)),
        })
        .collect();
    let point = point.filter(|p| p.x.is_finite() && p.y.is_finite());
    if let Some(p) = point {
        keys.push(Key {
            swatch: Swatch::Marker(theme.text.stroke_width(2)),
            label: format!("threshold {}", fmt_threshold(p.threshold)),
        });
    }
    let point = point.map(|p| (p.x.clamp(0.0, 1.0), p.y.clamp(0.0, 1.0)));
    let full = |outline| View {
        x: unit_range(),
        y: unit_range(),
        decimals: 1,
        labels: 6,
        outline,
    };

    let width = f64::from(area.dim_in_pixel().0);
    let zoom = spec
        .zoom
        .as_ref()
        .filter(|_| width >= 2.0 * PANEL_WIDTH_IN_TEXT * style.text);
    let Some(zoom) = zoom else {
        let plot = style.header(area, spec.title, &[])?;
        let plotted = panel(&style, &plot, &spec, &curves, point, full(None))?;
        return style.legend(&plotted, spec.legend, &keys);
    };

    // Side by side, with the legend above both: the full square and the magnified part.
    let plot = style.header(area, spec.title, &keys)?;
    let (left, right) = plot.split_horizontally(plot.dim_in_pixel().0 / 2);
    let caption = style.font(style.text, theme.baseline);
    let left = left.titled("full range", caption.clone())?;
    let right = right.titled(&zoom.caption, caption)?;
    panel(&style, &left, &spec, &curves, point, full(Some(zoom)))?;
    let slack = |r: &Range<f64>| {
        let s = (r.end - r.start) * 0.02;
        (r.start - s)..(r.end + s)
    };
    let magnified = View {
        x: slack(&zoom.x),
        y: slack(&zoom.y),
        decimals: 2,
        labels: 3,
        outline: None,
    };
    panel(&style, &right, &spec, &curves, point, magnified)?;
    Ok(())
}

/// Draws axes, curves and the operating point of `view` on `area`; returns the plotting area
/// (inside the axes).
fn panel<DB: DrawingBackend>(
    style: &Style<'_>,
    area: &DrawingArea<DB, Shift>,
    spec: &Spec,
    curves: &[(&Series<'_>, Vec<(f64, f64)>)],
    point: Option<(f64, f64)>,
    view: View<'_>,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    let theme = style.theme();
    let (x, y) = (view.x.clone(), view.y.clone());
    let mut chart = style.frame(area, view.decimals + 2, x.clone(), y.clone())?;
    let decimals = view.decimals;
    let tick = move |v: &f64| format!("{v:.decimals$}");
    style
        .mesh(&mut chart)
        .x_desc(spec.x_desc)
        .y_desc(spec.y_desc)
        .x_labels(view.labels)
        .y_labels(view.labels)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()?;

    if let Some(m) = view.outline {
        chart.draw_series([Rectangle::new(
            [(m.x.start, m.y.end), (m.x.end, m.y.start)],
            theme.baseline.stroke_width(1),
        )])?;
    }
    let dash = style.dash();
    if spec.diagonal {
        for part in clip(&[(0.0, 0.0), (1.0, 1.0)], &x, &y) {
            chart.draw_series(DashedLineSeries::new(
                part,
                dash,
                dash,
                theme.baseline.stroke_width(1),
            ))?;
        }
    }
    for (s, points) in curves {
        let line = s.color.stroke_width(style.line);
        for part in clip(points, &x, &y) {
            match s.dashed {
                true => chart.draw_series(DashedLineSeries::new(part, dash, dash, line))?,
                false => chart.draw_series(LineSeries::new(part, line))?,
            };
        }
    }
    if let Some(at) = point.filter(|&(px, py)| x.contains(&px) && y.contains(&py)) {
        // A ring with a background-coloured middle stays visible on top of any curve, even
        // where the curves run along the frame.
        let radius = style.marker_radius();
        chart.draw_series([
            Circle::new(at, radius, theme.background.filled()),
            Circle::new(at, radius, theme.text.stroke_width(2)),
        ])?;
    }
    Ok(chart.plotting_area().strip_coord_spec())
}

/// The finite points of a curve, clamped to the unit square.
fn unit_points(x: &[f64], y: &[f64]) -> Vec<(f64, f64)> {
    x.iter()
        .zip(y)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0)))
        .collect()
}

/// `points` joined by steps: from each point straight up or down to the next one's y, then
/// across to it. A precision-recall curve drawn so has the area its average precision counts
/// (each gain in recall at the precision reached with it); a straight line between two distant
/// points (a block of tied scores) would suggest a precision no threshold gives.
fn steps(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len() * 2);
    for pair in points.windows(2) {
        let [(x0, y0), (x1, y1)] = [pair[0], pair[1]];
        out.push((x0, y0));
        if x0 != x1 && y0 != y1 {
            out.push((x0, y1));
        }
    }
    out.extend(points.last());
    out
}

/// The parts of the polyline `points` inside the rectangle `x` × `y`, each a polyline of its
/// own (plotters draws whatever it is given, inside the plot or not).
pub(super) fn clip(points: &[(f64, f64)], x: &Range<f64>, y: &Range<f64>) -> Vec<Vec<(f64, f64)>> {
    let inside = |p: &(f64, f64)| x.start <= p.0 && p.0 <= x.end && y.start <= p.1 && p.1 <= y.end;
    if let [only] = points {
        return if inside(only) {
            vec![vec![*only]]
        } else {
            Vec::new()
        };
    }
    let mut parts: Vec<Vec<(f64, f64)>> = Vec::new();
    for pair in points.windows(2) {
        let Some((from, to)) = clip_segment(pair[0], pair[1], x, y) else {
            continue;
        };
        match parts.last_mut() {
            // The previous segment ended inside, where this one starts: the same polyline.
            Some(part) if part.last() == Some(&from) && from == pair[0] => part.push(to),
            _ => parts.push(vec![from, to]),
        }
    }
    parts
}

/// The part of the segment `p`–`q` inside `x` × `y` (Liang–Barsky), with the ends that are
/// inside returned exactly as given.
fn clip_segment(
    p: (f64, f64),
    q: (f64, f64),
    x: &Range<f64>,
    y: &Range<f64>,
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (along, room) in [
        (-dx, p.0 - x.start),
        (dx, x.end - p.0),
        (-dy, p.1 - y.start),
        (dy, y.end - p.1),
    ] {
        if along == 0.0 {
            if room < 0.0 {
                return None;
            }
        } else {
            let t = room / along;
            if along < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| match t {
        0.0 => p,
        1.0 => q,
        _ => (p.0 + t * dx, p.1 + t * dy),
    };
    Some((at(t0), at(t1)))
}

#[cfg(test)]
mod tests {
    use super::{clip, steps};

    #[test]
    fn steps_rise_or_fall_first_then_run_across() {
        // The shipped model's evil precision-recall curve begins so: 2 of 3 rows at the top
        // score evil, then a block of ties that brings recall to 0.93 at precision 0.9997.
        let pr = [(0.0005, 0.667), (0.93, 0.9997), (1.0, 0.9997), (1.0, 0.95)];
        assert_eq!(
            steps(&pr),
            [
                (0.0005, 0.667),
                (0.0005, 0.9997),
                (0.93, 0.9997),
                (1.0, 0.9997),
                (1.0, 0.95)
            ]
        );
        assert_eq!(steps(&[(0.5, 0.5)]), [(0.5, 0.5)]);
        assert!(steps(&[]).is_empty());
    }

    #[test]
    fn clipping_keeps_what_is_inside_and_splits_where_a_line_leaves() {
        let (x, y) = (0.0..1.0, 0.0..1.0);
        // Wholly inside: unchanged, one polyline.
        let inside = [(0.1, 0.1), (0.5, 0.9), (0.9, 0.2)];
        assert_eq!(clip(&inside, &x, &y), vec![inside.to_vec()]);
        // Out through the top and back in: two polylines, cut on the edge.
        let out_and_back = [(0.0, 0.5), (0.5, 1.5), (1.0, 0.5)];
        let parts = clip(&out_and_back, &x, &y);
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert_eq!(parts[0], vec![(0.0, 0.5), (0.25, 1.0)]);
        assert_eq!(parts[1], vec![(0.75, 1.0), (1.0, 0.5)]);
        // Wholly outside, a point inside, a point outside.
        assert!(clip(&[(2.0, 2.0), (3.0, 2.0)], &x, &y).is_empty());
        assert_eq!(clip(&[(0.5, 0.5)], &x, &y), vec![vec![(0.5, 0.5)]]);
        assert!(clip(&[(1.5, 0.5)], &x, &y).is_empty());
        // A ROC step through the corner of a zoom: along the left edge, then across the top.
        let (zx, zy) = (0.0..0.1, 0.9..1.0);
        let roc = [
            (0.0, 0.0),
            (0.0, 0.95),
            (0.05, 0.95),
            (0.5, 1.0),
            (1.0, 1.0),
        ];
        let parts = clip(&roc, &zx, &zy);
        assert_eq!(parts.len(), 1, "{parts:?}");
        let part = &parts[0];
        assert_eq!(part[..3], [(0.0, 0.9), (0.0, 0.95), (0.05, 0.95)]);
        assert!(part.len() == 4 && (part[3].0 - 0.1).abs() < 1e-12 && part[3].1 < 1.0);
    }
}
