//! A seed study: test accuracy of each recipe retrained with several seeds, one dot per run,
//! so a recipe that depends on the luck of its initial weights shows it. The recipes' dots
//! sit a little apart at each seed (the first filled, the others rings), so equal results stay
//! visible side by side rather than hiding one another.

use super::style::{fmt_unit, unit_range, Key, Place, Style, Swatch};
use super::{ChartError, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One recipe's accuracies, `values[i]` for `seeds[i]`.
#[derive(Clone, Copy, Debug)]
pub struct SeedSeries<'a> {
    /// The legend's label.
    pub name: &'a str,
    /// Test accuracy in [0, 1] of the run with each seed; non-finite values are not drawn.
    pub values: &'a [f64],
    /// The dots' colour: the first series' dots are filled, the others' are rings.
    pub color: RGBColor,
}

const TITLE: &str = "Test accuracy by training seed";

/// How far apart (in seeds) the recipes' dots at one seed are.
const DODGE: f64 = 0.3;

/// Draws one dot per seed and series, the series side by side at each seed; with no seed or no
/// finite accuracy, a "no data" panel.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    seeds: &[u64],
    series: &[SeedSeries<'_>],
    theme: &Theme,
) -> Result<(), ChartError> {
    let style = Style::new(area, theme);
    let any = series
        .iter()
        .any(|s| s.values.iter().any(|v| v.is_finite()));
    let (Some(&first), Some(&last)) = (seeds.first(), seeds.last()) else {
        return style.no_data(area, TITLE);
    };
    if !any {
        return style.no_data(area, TITLE);
    }
    let x = (first as f64 - 0.5)..(last as f64 + 0.5);
    let plot = style.header(area, TITLE, &[])?;
    let mut chart = style.frame(&plot, 5, x, unit_range())?;
    // Ticks on whole seeds only.
    let fmt_seed = |v: &f64| {
        if (v - v.round()).abs() < 1e-6 {
            format!("{v:.0}")
        } else {
            String::new()
        }
    };
    style
        .mesh(&mut chart)
        .x_desc("seed")
        .y_desc("accuracy")
        .x_labels(seeds.len().min(12))
        .x_label_formatter(&fmt_seed)
        .y_label_formatter(&fmt_unit)
        .draw()?;
    let radius = style.marker_radius();
    let mut keys = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let offset = if series.len() > 1 {
            DODGE * (i as f64 / (series.len() - 1) as f64 - 0.5)
        } else {
            0.0
        };
        let marker = if i == 0 {
            s.color.filled()
        } else {
            s.color.stroke_width(2)
        };
        chart.draw_series(
            seeds
                .iter()
                .zip(s.values)
                .filter(|(_, v)| v.is_finite())
                .map(|(&seed, &v)| Circle::new((seed as f64 + offset, v), radius, marker)),
        )?;
        keys.push(Key {
            swatch: Swatch::Marker(marker),
            label: s.name.to_string(),
        });
    }
    // Good runs crowd the top; the lower right is where a failing run is least likely to sit.
    let plotted = chart.plotting_area().strip_coord_spec();
    style.legend(&plotted, Place::LowerRight, &keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_dot_per_seed_and_recipe() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (480, 320)).into_drawing_area();
            let theme = Theme::light();
            let ours = [0.999, 0.999, 0.998];
            let reference = [0.02, 0.999, 0.97];
            let series = [
                SeedSeries {
                    name: "our model",
                    values: &ours,
                    color: theme.accent,
                },
                SeedSeries {
                    name: "reference recipe",
                    values: &reference,
                    color: theme.baseline,
                },
            ];
            draw(&area, &[1, 2, 3], &series, &theme).expect("draws");
        }
        // A dot per seed and recipe, and one per legend entry.
        assert_eq!(svg.matches("<circle").count(), 8, "{svg}");
        assert!(svg.contains("reference recipe") && svg.contains(TITLE));
    }

    #[test]
    fn no_seeds_draws_no_data() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (480, 320)).into_drawing_area();
            draw(&area, &[], &[], &Theme::dark()).expect("draws");
        }
        assert!(svg.contains("no data"));
    }
}
