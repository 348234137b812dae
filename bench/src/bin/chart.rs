//! Draws the benchmark ratios as an SVG bar chart with plotters, in the page's light theme.
//!
//! `chart <results.json> <out.svg>` reads the `chart` list that bench/report.py writes:
//! `[{"label", "value", "target"}]`, each a "how many times faster than" ratio (`value` null
//! when the figure could not be measured). Bars that reach their target are in our accent
//! colour, the others in the suspicious red; each target is a black tick.

// A benchmark program reports on stdout and stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use cyber_attack_detector::charts::Theme;
use plotters::prelude::*;
use serde_json::Value;

struct Bar {
    label: String,
    value: Option<f64>,
    target: f64,
}

fn bars(results: &Value) -> Result<Vec<Bar>, String> {
    let list = results["chart"]
        .as_array()
        .ok_or("results.json has no \"chart\" list")?;
    list.iter()
        .map(|bar| {
            Ok(Bar {
                label: bar["label"]
                    .as_str()
                    .ok_or("a bar without a label")?
                    .to_string(),
                value: bar["value"].as_f64(),
                target: bar["target"].as_f64().ok_or("a bar without a target")?,
            })
        })
        .collect()
}

fn draw(bars: &[Bar], path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let theme = Theme::light();
    let height = 110 + 44 * bars.len() as u32;
    let root = SVGBackend::new(path, (860, height)).into_drawing_area();
    root.fill(&theme.background)?;
    let top = bars
        .iter()
        .flat_map(|b| [b.value.unwrap_or(1.0), b.target])
        .fold(1.0, f64::max)
        * 1.6;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "How many times faster than the other engine (log scale)",
            ("sans-serif", 18, &theme.text),
        )
        .margin(16)
        .set_label_area_size(LabelAreaPosition::Bottom, 56)
        .y_label_area_size(330)
        .build_cartesian_2d((0.1f64..top).log_scale(), -0.5f64..bars.len() as f64 - 0.5)?;
    let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(theme.grid)
        .bold_line_style(theme.grid)
        .axis_style(theme.baseline)
        .label_style(("sans-serif", 14, &theme.text))
        .y_labels(bars.len())
        .y_label_formatter(&|y| {
            let row = y.round();
            match labels.get(labels.len().wrapping_sub(1 + row as usize)) {
                Some(label) if (y - row).abs() < 1e-6 && row >= 0.0 => label.to_string(),
                _ => String::new(),
            }
        })
        .x_label_formatter(&|x| format!("{x}×"))
        .draw()?;
    for (k, bar) in bars.iter().enumerate() {
        let y = (bars.len() - 1 - k) as f64;
        if let Some(value) = bar.value {
            let color = if value >= bar.target {
                theme.accent
            } else {
                theme.suspicious
            };
            chart.draw_series([Rectangle::new(
                [(0.1, y - 0.3), (value, y + 0.3)],
                color.filled(),
            )])?;
            chart.draw_series([Text::new(
                format!("{value:.2}×"),
                (value.max(bar.target) * 1.06, y + 0.12),
                ("sans-serif", 13).into_font().color(&theme.text),
            )])?;
        }
        chart.draw_series([PathElement::new(
            vec![(bar.target, y - 0.42), (bar.target, y + 0.42)],
            BLACK.stroke_width(3),
        )])?;
    }
    chart.draw_series([PathElement::new(
        vec![(1.0, -0.5), (1.0, bars.len() as f64 - 0.5)],
        theme.baseline.stroke_width(1),
    )])?;
    root.draw(&Text::new(
        "bar: ours over theirs (purple: target met, red: missed); black tick: the target",
        (16, height as i32 - 24),
        ("sans-serif", 13).into_font().color(&theme.text),
    ))?;
    root.present()?;
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, output] = args.as_slice() else {
        eprintln!("usage: chart <results.json> <out.svg>");
        std::process::exit(2);
    };
    let result = std::fs::read_to_string(input)
        .map_err(|e| format!("{input}: {e}"))
        .and_then(|text| serde_json::from_str::<Value>(&text).map_err(|e| format!("{input}: {e}")))
        .and_then(|results| bars(&results))
        .and_then(|bars| draw(&bars, output).map_err(|e| e.to_string()));
    if let Err(e) = result {
        eprintln!("chart: {e}");
        std::process::exit(1);
    }
}
