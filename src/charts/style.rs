//! What every chart shares: sizes that follow the drawing area, themed text, axes and legends,
//! the caption and "no data" frame, and number formats.

use super::{ChartError, Theme};
use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::Shift;
use plotters::element::{DashedPathElement, Drawable, DynElement, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontDesc;
use plotters_backend::{BackendCoord, DrawingErrorKind};

/// How a legend entry shows its series.
#[derive(Clone, Copy)]
pub(super) enum Swatch {
    Line(ShapeStyle),
    /// A line in dashes of [`Style::dash`].
    Dashed(ShapeStyle),
    Box(ShapeStyle),
    /// A circle of [`Style::marker_radius`], filled or a ring as the style says.
    Marker(ShapeStyle),
    /// A filled triangle of [`Style::marker_radius`]: what is flagged suspicious.
    Triangle(ShapeStyle),
}

/// Where a legend box sits inside a plot: the corner its chart's data stays away from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    UpperRight,
    LowerLeft,
    LowerRight,
}

/// One entry of a legend strip (see [`Style::header`]).
pub(super) struct Key {
    pub swatch: Swatch,
    pub label: String,
}

/// A threshold as the page's slider sets it (on a 0.001 grid): `0.5` → `"0.50"`,
/// `0.125` → `"0.125"`.
pub(super) fn fmt_threshold(t: f32) -> String {
    if !t.is_finite() {
        return "n/a".to_string();
    }
    let three = format!("{t:.3}");
    match three.strip_suffix('0') {
        Some(two) => two.to_string(),
        None => three,
    }
}

/// `name` if `measure` says it is at most `room` pixels wide, else its longest start that fits
/// with "…", cut after a whole word when a word ends in the second half of that start. The start
/// is found by bisection (widths grow with the start), so a long name costs a few measurements.
pub(super) fn fit_end(
    name: &str,
    room: f64,
    measure: &impl Fn(&str) -> Result<f64, ChartError>,
) -> Result<String, ChartError> {
    if measure(name)? <= room {
        return Ok(name.to_string());
    }
    let chars: Vec<char> = name.chars().collect();
    let start = |keep: usize| -> String { chars[..keep].iter().collect() };
    let fits = |keep: usize| -> Result<bool, ChartError> {
        Ok(measure(&format!("{}…", start(keep).trim_end()))? <= room)
    };
    // The longest start in 1..len that fits: `lo` fits (or is 0), `hi` does not.
    let (mut lo, mut hi) = (0, chars.len());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    if lo == 0 {
        return Ok("…".to_string());
    }
    let start = start(lo);
    let word_end = start
        .char_indices()
        .filter(|&(i, c)| c == ' ' && i >= start.len() / 2)
        .map(|(i, _)| i)
        .next_back();
    let start = word_end.map_or(start.as_str(), |i| &start[..i]);
    Ok(format!("{}…", start.trim_end()))
}

/// A number for a legend or label with three decimals, or "n/a" when it is not finite. A
/// negative number that rounds to zero shows as "0.000", not "-0.000".
pub(super) fn fmt3(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let text = format!("{v:.3}");
    match text.strip_prefix('-') {
        Some(zero) if zero == "0.000" => zero.to_string(),
        _ => text,
    }
}

/// `4335` → `"4,335"`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// The smallest body text, in CSS pixels: legible on a phone.
pub(super) const MIN_TEXT_CSS_PX: f64 = 12.0;

/// A theme plus pixel sizes for one drawing area. Sizes scale with the area, so a canvas drawn
/// at devicePixelRatio 2 looks like the 1× one, but text never gets smaller than
/// [`MIN_TEXT_CSS_PX`] CSS pixels (the theme's pixel ratio converts them to the area's pixels).
pub(super) struct Style<'t> {
    theme: &'t Theme,
    /// Body text size (tick labels, legends, cell labels), in pixels.
    pub text: f64,
    /// Width of data lines.
    pub line: u32,
    /// Outer margin.
    pad: u32,
}

impl<'t> Style<'t> {
    pub(super) fn new<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, theme: &'t Theme) -> Self {
        let (w, h) = area.dim_in_pixel();
        let scale = (f64::from(w) / 480.0).min(f64::from(h) / 320.0);
        let ratio = theme.pixel_ratio;
        Style {
            theme,
            text: (13.0 * scale).max(MIN_TEXT_CSS_PX * ratio),
            line: (2.0 * scale).round().max((2.0 * ratio).round()) as u32,
            pad: (10.0 * scale).round().max((6.0 * ratio).round()) as u32,
        }
    }

    pub(super) fn theme(&self) -> &Theme {
        self.theme
    }

    /// Text of `size` in the sans-serif family. The family is named by its variant, not the
    /// string `"sans-serif"`: parsing a family name lowercases it, which would put Unicode's
    /// case tables (12 KB) into the page's wasm.
    pub(super) fn font(&self, size: f64, color: RGBColor) -> TextStyle<'static> {
        coloured((FontFamily::SansSerif, size).into_font(), color)
    }

    /// Bold text of `size`, for captions and emphasis.
    pub(super) fn bold(&self, size: f64, color: RGBColor) -> TextStyle<'static> {
        coloured(
            (FontFamily::SansSerif, size, FontStyle::Bold).into_font(),
            color,
        )
    }

    fn caption(&self) -> TextStyle<'static> {
        self.bold(self.text * 1.15, self.theme.text)
    }

    /// Fills `area`, writes `title` at the top and under it a centred legend strip of `keys`,
    /// wrapped onto as many rows as the width needs. Returns the area left for the plot.
    pub(super) fn header<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        title: &str,
        keys: &[Key],
    ) -> Result<DrawingArea<DB, Shift>, ChartError> {
        area.fill(&self.theme.background)?;
        let body = area
            .margin(self.pad, 0, 0, 0)
            .titled(title, self.caption())?;
        if keys.is_empty() {
            return Ok(body);
        }
        let font = self
            .font(self.text, self.theme.text)
            .pos(Pos::new(HPos::Left, VPos::Center));
        // Keep the legend inside the outer margins.
        let width = body.dim_in_pixel().0 as i32 - 2 * self.pad as i32;
        let (swatch, gap, sep) = (
            self.swatch_width(),
            (self.text * 0.4) as i32,
            self.text as i32,
        );
        let mut rows: Vec<(i32, Vec<(&Key, i32)>)> = Vec::new();
        for key in keys {
            let (text_w, _) = body.estimate_text_size(&key.label, &font)?;
            let item = swatch + gap + text_w as i32;
            match rows.last_mut() {
                Some((used, row)) if *used + sep + item <= width => {
                    *used += sep + item;
                    row.push((key, item));
                }
                _ => rows.push((item, vec![(key, item)])),
            }
        }
        let line = (self.text * 1.5) as i32;
        let (strip, plot) = body.split_vertically(line * rows.len() as i32 + (self.pad / 2) as i32);
        for (r, (used, row)) in rows.iter().enumerate() {
            let y = line * r as i32 + line / 2;
            let mut x = self.pad as i32 + (width - used) / 2;
            for (key, item) in row {
                strip.draw(&self.swatch(key.swatch)((x, y)))?;
                strip.draw(&Text::new(
                    key.label.as_str(),
                    (x + swatch + gap, y),
                    font.clone(),
                ))?;
                x += item + sep;
            }
        }
        Ok(plot)
    }

    /// Starts a chart on `plot` (what [`Style::header`] left) with label areas sized for the
    /// axis text. `y_label_chars` is the widest y tick label in characters.
    pub(super) fn frame<'a, DB: DrawingBackend, X: AsRangedCoord, Y: AsRangedCoord>(
        &self,
        plot: &'a DrawingArea<DB, Shift>,
        y_label_chars: usize,
        x: X,
        y: Y,
    ) -> Result<Chart<'a, DB, X, Y>, ChartError> {
        // Tick labels plus the rotated axis description; 0.55 em is an average glyph width.
        let y_area = self.text * (0.55 * y_label_chars as f64 + 2.0);
        self.frame_px(plot, y_area, x, y)
    }

    /// [`Style::frame`] with the width of the y label area (left of the axis) in pixels.
    pub(super) fn frame_px<'a, DB: DrawingBackend, X: AsRangedCoord, Y: AsRangedCoord>(
        &self,
        plot: &'a DrawingArea<DB, Shift>,
        y_area: f64,
        x: X,
        y: Y,
    ) -> Result<Chart<'a, DB, X, Y>, ChartError> {
        Ok(ChartBuilder::on(plot)
            .margin(self.pad)
            .margin_right(self.pad * 2)
            .x_label_area_size(self.text * 2.9)
            .y_label_area_size(y_area)
            .build_cartesian_2d(x, y)?)
    }

    /// The themed mesh of a chart; callers add labels, descriptions and formatters, then `draw`.
    pub(super) fn mesh<'a, 'b, DB, X, Y, XT, YT>(
        &self,
        chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    ) -> MeshStyle<'a, 'b, X, Y, DB>
    where
        DB: DrawingBackend,
        X: Ranged<ValueType = XT> + ValueFormatter<XT>,
        Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    {
        let mut mesh = chart.configure_mesh();
        mesh.axis_style(self.theme.baseline)
            .bold_line_style(self.theme.grid)
            .light_line_style(TRANSPARENT)
            .label_style(self.font(self.text, self.theme.text))
            .axis_desc_style(self.font(self.text, self.theme.text))
            .set_all_tick_mark_size(4)
            .x_labels(6)
            .y_labels(6);
        mesh
    }

    /// Draws a legend box of `keys` in the `place` corner of `plot` (a chart's plotting
    /// area), on a background that hides what is under it.
    ///
    /// Not plotters' series labels: those measure their text with the font itself, which on
    /// wasm lays out a `<span>` with an inline style that the page's Content-Security-Policy
    /// refuses. This measures through the backend, like every other text of the charts.
    pub(super) fn legend<DB: DrawingBackend>(
        &self,
        plot: &DrawingArea<DB, Shift>,
        place: Place,
        keys: &[Key],
    ) -> Result<(), ChartError> {
        if keys.is_empty() {
            return Ok(());
        }
        let font = self
            .font(self.text, self.theme.text)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let mut text_w = 0;
        for key in keys {
            text_w = text_w.max(plot.estimate_text_size(&key.label, &font)?.0 as i32);
        }
        let (margin, gap, row) = (
            (self.text * 0.5) as i32,
            (self.text * 0.4) as i32,
            (self.text * 1.4) as i32,
        );
        let (w, h) = (
            2 * margin + self.swatch_width() + gap + text_w,
            margin + row * keys.len() as i32,
        );
        let (plot_w, plot_h) = plot.dim_in_pixel();
        let inset = self.pad as i32;
        let x = match place {
            Place::LowerLeft => inset,
            Place::UpperRight | Place::LowerRight => plot_w as i32 - w - inset,
        };
        let y = match place {
            Place::UpperRight => inset,
            Place::LowerLeft | Place::LowerRight => plot_h as i32 - h - inset,
        };
        let corners = [(x, y), (x + w, y + h)];
        plot.draw(&Rectangle::new(
            corners,
            self.theme.background.mix(0.9).filled(),
        ))?;
        plot.draw(&Rectangle::new(corners, self.theme.grid))?;
        for (i, key) in keys.iter().enumerate() {
            let y = y + margin / 2 + row * i as i32 + row / 2;
            plot.draw(&self.swatch(key.swatch)((x + margin, y)))?;
            plot.draw(&Text::new(
                key.label.as_str(),
                (x + margin + self.swatch_width() + gap, y),
                font.clone(),
            ))?;
        }
        Ok(())
    }

    /// The length of a dash, and of the gap after it, of dashed lines.
    pub(super) fn dash(&self) -> i32 {
        (self.text * 0.5) as i32
    }

    fn swatch_width(&self) -> i32 {
        (self.text * 1.4) as i32
    }

    /// The radius of point markers (operating points, seed runs) and their legend swatches.
    pub(super) fn marker_radius(&self) -> u32 {
        (self.text * 0.45) as u32
    }

    /// Draws `swatch` with its left end at a point, for a legend.
    pub(super) fn swatch<DB: DrawingBackend>(
        &self,
        swatch: Swatch,
    ) -> impl Fn((i32, i32)) -> DynElement<'static, DB, (i32, i32)> {
        let (len, half) = (self.swatch_width(), (self.text * 0.45) as i32);
        let (radius, dash) = (self.marker_radius(), self.dash());
        move |(x, y)| match swatch {
            Swatch::Line(style) => PathElement::new(vec![(x, y), (x + len, y)], style).into_dyn(),
            Swatch::Dashed(style) => {
                DashedPathElement::new(vec![(x, y), (x + len, y)], dash, dash, style).into_dyn()
            }
            Swatch::Box(style) => {
                Rectangle::new([(x, y - half), (x + 2 * half, y + half)], style).into_dyn()
            }
            Swatch::Marker(style) => Circle::new((x + len / 2, y), radius, style).into_dyn(),
            Swatch::Triangle(style) => {
                Triangle::new((x + len / 2, y), triangle(radius), style).into_dyn()
            }
        }
    }

    /// What a chart draws instead of its data when there is none: the caption and a message.
    pub(super) fn no_data<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        title: &str,
    ) -> Result<(), ChartError> {
        let body = self.header(area, title, &[])?;
        let (w, h) = body.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let muted = self.font(self.text, self.theme.baseline);
        let center = Pos::new(HPos::Center, VPos::Center);
        body.draw(&Text::new("no data", (w / 2, h / 2), muted.pos(center)))?;
        Ok(())
    }
}

/// The size of a triangle marker that looks as large as a circle of `radius`: a triangle
/// inscribed in a circle covers less of it, so its circumradius is a third larger.
pub(super) fn triangle(radius: u32) -> u32 {
    radius + radius.div_ceil(3)
}

/// A filled triangle pointing up of circumradius `size` pixels around `at`: the same pixels as
/// plotters' `TriangleMarker`, whose corners come from `cos` and `sin` of -90, -210 and -330
/// degrees at run time. The values are written out here (as std's `cos`/`sin` give them), which
/// keeps about 8 KB of trigonometry out of the page's wasm.
pub(super) struct Triangle<C> {
    at: C,
    size: u32,
    style: ShapeStyle,
}

/// `(cos, sin)` of -90, -210 and -330 degrees.
const CORNERS: [(f64, f64); 3] = [
    (6.123233995736766e-17, -1.0),
    (-0.8660254037844386, 0.5000000000000001),
    (0.8660254037844384, 0.5000000000000004),
];

impl<C> Triangle<C> {
    pub(super) fn new(at: C, size: u32, style: impl Into<ShapeStyle>) -> Self {
        Triangle {
            at,
            size,
            style: style.into(),
        }
    }
}

impl<'a, C> PointCollection<'a, C> for &'a Triangle<C> {
    type Point = &'a C;
    type IntoIter = std::iter::Once<&'a C>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<C, DB: DrawingBackend> Drawable<DB> for Triangle<C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut points: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        if let Some((x, y)) = points.next() {
            let size = f64::from(self.size);
            let corners = CORNERS.iter().map(|&(cos, sin)| {
                (
                    (cos * size + f64::from(x)).ceil() as i32,
                    (sin * size + f64::from(y)).ceil() as i32,
                )
            });
            backend.fill_polygon(corners, &self.style.color.to_backend_color())?;
        }
        Ok(())
    }
}

/// A chart on plain ranges `x` and `y`, as [`Style::frame`] builds it.
type Chart<'a, DB, X, Y> = ChartContext<
    'a,
    DB,
    Cartesian2d<<X as AsRangedCoord>::CoordDescType, <Y as AsRangedCoord>::CoordDescType>,
>;

/// `font` in `color`. (`TextStyle::color` would tie the style's lifetime to the colour's borrow.)
fn coloured(font: FontDesc<'static>, color: RGBColor) -> TextStyle<'static> {
    TextStyle {
        color: color.to_backend_color(),
        ..TextStyle::from(font)
    }
}

/// The unit square with a little slack, so curves along its edges stay clear of the frame.
pub(super) fn unit_range() -> std::ops::Range<f64> {
    -0.02..1.02
}

/// Tick labels of a unit-range axis: one decimal.
pub(super) fn fmt_unit(v: &f64) -> String {
    format!("{v:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 10 px a character, as a stand-in for a backend's measurement.
    fn ten_px(text: &str) -> Result<f64, ChartError> {
        Ok(text.chars().count() as f64 * 10.0)
    }

    #[test]
    fn names_lose_their_end_at_a_word_when_they_do_not_fit() {
        let name = "process is not OS (pid > 2)";
        assert_eq!(fit_end(name, 270.0, &ten_px).unwrap(), name);
        // 19 characters of room: "process is not OS …" would need 20; the last whole word
        // within "process is not OS " is "OS".
        assert_eq!(fit_end(name, 190.0, &ten_px).unwrap(), "process is not OS…");
        assert_eq!(fit_end(name, 125.0, &ten_px).unwrap(), "process is…");
        // No space in the second half: cut inside the word.
        assert_eq!(
            fit_end("processIdentifier", 80.0, &ten_px).unwrap(),
            "process…"
        );
        assert_eq!(fit_end(name, 5.0, &ten_px).unwrap(), "…");
        // A million characters cost 21 measurements (the whole, then 20 halvings): 29 fit
        // beside the "…".
        let long = "x".repeat(1_000_000);
        let calls = std::cell::Cell::new(0);
        let counted = |text: &str| {
            calls.set(calls.get() + 1);
            ten_px(text)
        };
        assert_eq!(
            fit_end(&long, 300.0, &counted).unwrap(),
            format!("{}…", "x".repeat(29))
        );
        assert_eq!(calls.get(), 21);
    }
}
