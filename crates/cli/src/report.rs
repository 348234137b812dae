//! Human-readable results: a table for the terminal and `metrics.md` for the repository.

use cyber_attack_detector::evaluation::{DataSummary, Evaluation, Spread, Summary};
use cyber_attack_detector::metrics::{widest, Interval, Intervals, BOOTSTRAP_RESAMPLES};
use cyber_attack_detector::model::{Model, SeedStudy};
use std::fmt::Write;

/// A table row: its label and how to show it from a summary.
type Cell = (&'static str, fn(&Summary) -> String);
/// A seed-study row: label, the value, its interval, and whether higher is better.
type Measure = (
    &'static str,
    fn(&Summary) -> f64,
    fn(&Intervals) -> Option<Interval>,
    bool,
);

fn pct(x: f64) -> String {
    format!("{:.2}%", 100.0 * x)
}

/// `x` as a percentage with its 95% interval in brackets, when there is one.
pub(crate) fn pct_in(x: f64, interval: Option<Interval>) -> String {
    match interval {
        Some(i) => format!("{} [{:.2}–{:.2}%]", pct(x), 100.0 * i.lo, 100.0 * i.hi),
        None => pct(x),
    }
}

/// An area (ROC-AUC, average precision) with its 95% interval in brackets, when there is one.
fn area_in(x: f64, interval: Option<Interval>) -> String {
    match interval {
        Some(i) => format!("{x:.4} [{:.4}–{:.4}]", i.lo, i.hi),
        None => format!("{x:.4}"),
    }
}

/// The intervals of `s`, none for a summary stored without them.
fn intervals(s: &Summary) -> Intervals {
    s.intervals.unwrap_or_default()
}

/// What the bracketed figures are, said once under the caveat.
fn intervals_note() -> String {
    format!(
        "**Intervals.** A figure in brackets is a 95% interval: Wilson's for the rates (accuracy, precision, \
         recall, specificity), a stratified bootstrap of the rows ({BOOTSTRAP_RESAMPLES} resamples, fixed seed) for \
         ROC-AUC and average precision. It says how far the true value could be from the measured one given how \
         few rows were counted; it does not cover other hosts or other attacks.\n"
    )
}

/// Markdown table rows of named summaries, one column per model.
pub(crate) fn summary_table(columns: &[(&str, &Summary)]) -> String {
    let mut t = String::new();
    let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
    let _ = writeln!(t, "| metric | {} |", names.join(" | "));
    let _ = writeln!(t, "|---|{}", "---:|".repeat(columns.len()));
    let rows: [Cell; 13] = [
        ("threshold", |s| format!("{:.3}", s.threshold)),
        ("accuracy", |s| {
            pct_in(s.rates.accuracy, intervals(s).accuracy)
        }),
        ("precision", |s| {
            pct_in(s.rates.precision, intervals(s).precision)
        }),
        ("recall", |s| pct_in(s.rates.recall, intervals(s).recall)),
        ("specificity", |s| {
            pct_in(s.rates.specificity, intervals(s).specificity)
        }),
        ("F1", |s| format!("{:.4}", s.rates.f1)),
        ("ROC-AUC", |s| area_in(s.roc_auc, intervals(s).roc_auc)),
        ("average precision", |s| {
            area_in(s.average_precision, intervals(s).average_precision)
        }),
        ("TN", |s| s.confusion.tn.to_string()),
        ("FP", |s| s.confusion.fp.to_string()),
        ("FN", |s| s.confusion.fn_.to_string()),
        ("TP", |s| s.confusion.tp.to_string()),
        ("rows", |s| s.confusion.total().to_string()),
    ];
    for (name, cell) in rows {
        let cells: Vec<String> = columns.iter().map(|c| cell(c.1)).collect();
        let _ = writeln!(t, "| {name} | {} |", cells.join(" | "));
    }
    t
}

/// Text from a data file (a host or file name) as one Markdown table cell: `|` and `\\` are
/// escaped, and control characters (line breaks, terminal escape sequences) are shown as
/// `\u{…}` so that no name can end a row, break the table or drive a terminal.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

fn data_table(parts: &[DataSummary]) -> String {
    let mut t =
        String::from("| file | rows | benign | suspicious | SHA-256 |\n|---|---:|---:|---:|---|\n");
    for p in parts {
        let sha = p
            .sha256
            .as_deref()
            .map_or(String::new(), |s| format!("`{}…`", &s[..s.len().min(16)]));
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} | {sha} |",
            cell(&p.source),
            p.rows,
            p.benign,
            p.suspicious
        );
    }
    t
}

fn host_table(evaluation: &Evaluation) -> String {
    let mut t = String::from(
        "| host | rows | benign | suspicious | accuracy | recall | specificity | FP | FN | ROC-AUC |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for h in &evaluation.hosts {
        let s = &h.with_rate_intervals().summary;
        let auc = if s.roc_auc.is_nan() {
            "n/a (one class)".into()
        } else {
            format!("{:.4}", s.roc_auc)
        };
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {auc} |",
            cell(&h.host),
            h.rows,
            h.benign,
            h.suspicious,
            pct_in(s.rates.accuracy, intervals(s).accuracy),
            pct_in(s.rates.recall, intervals(s).recall),
            pct_in(s.rates.specificity, intervals(s).specificity),
            s.confusion.fp,
            s.confusion.fn_
        );
    }
    t
}

/// The model's and the baseline's test results side by side (whichever exist).
fn side_by_side(model: &Model) -> Option<String> {
    let ours = model.evaluation.as_ref()?;
    let mut columns = vec![("our model", &ours.summary)];
    let baseline = model.baseline.as_ref().and_then(|b| b.evaluation.as_ref());
    if let Some(b) = baseline {
        columns.push(("reference recipe", &b.summary));
    }
    let mut table = summary_table(&columns);
    let evil = [
        ("our model", ours.evil),
        ("reference recipe", baseline.and_then(|b| b.evil)),
    ];
    if let Some(t) = super::anomaly_report::evil_table(&evil[..columns.len()]) {
        table = format!("Label `sus`:\n\n{table}\n{t}");
    }
    Some(table)
}

/// Median, worst and best of each headline number across the seeds, for both recipes.
fn seed_table(study: &SeedStudy) -> String {
    let mut t = String::from(
        "| recipe | metric | median | worst | best | 95% interval, widest over the seeds |\n|---|---|---:|---:|---:|---:|\n",
    );
    let metrics: [Measure; 4] = [
        ("accuracy", |s| s.rates.accuracy, |i| i.accuracy, true),
        ("ROC-AUC", |s| s.roc_auc, |i| i.roc_auc, true),
        (
            "false positives",
            |s| s.confusion.fp as f64,
            |_| None,
            false,
        ),
        (
            "false negatives",
            |s| s.confusion.fn_ as f64,
            |_| None,
            false,
        ),
    ];
    for (recipe, runs) in [
        ("our model", &study.ours),
        ("reference recipe", &study.reference),
    ] {
        for (name, value, interval, higher_is_better) in metrics {
            if runs.is_empty() {
                continue;
            }
            let spread = Spread::of(&runs.iter().map(value).collect::<Vec<_>>());
            let (lo, hi) = (spread.min, spread.max);
            let (worst, best) = if higher_is_better { (lo, hi) } else { (hi, lo) };
            let show = |x: f64| match name {
                "accuracy" => pct(x),
                "ROC-AUC" => format!("{x:.4}"),
                _ => format!("{x:.0}"),
            };
            let range = widest(runs.iter().map(|s| interval(&intervals(s)))).map_or(
                "–".to_string(),
                |i| match name {
                    "accuracy" => format!("{:.2}–{:.2}%", 100.0 * i.lo, 100.0 * i.hi),
                    _ => format!("{:.4}–{:.4}", i.lo, i.hi),
                },
            );
            let _ = writeln!(
                t,
                "| {recipe} | {name} | {} | {} | {} | {range} |",
                show(spread.median),
                show(worst),
                show(best)
            );
        }
    }
    t
}

pub(crate) fn terminal(model: &Model) -> String {
    let mut out = String::new();
    if let Some(cv) = &model.training.cross_validation {
        let _ = writeln!(
            out,
            "\nCross-validation within the training rows:\n{}",
            summary_table(&[("out-of-fold", cv)])
        );
    }
    match side_by_side(model) {
        Some(table) => {
            let source = model
                .evaluation
                .as_ref()
                .map_or("", |e| e.data.source.as_str());
            let _ = writeln!(out, "\nEvaluation on {source}:\n{table}");
        }
        None => out.push_str("\nNo test file: the model was not evaluated.\n"),
    }
    if let Some(study) = &model.seed_study {
        let _ = writeln!(
            out,
            "\nSeed study ({} seeds):\n{}",
            study.seeds.len(),
            seed_table(study)
        );
    }
    out
}

pub(crate) fn markdown(model: &Model) -> String {
    let mut md = String::from("# Shipped model: how it was trained and how well it detects\n\n");
    md.push_str("Generated by `make model` (`cyber-attack-detector train … --report data/metrics.md`); do not edit by hand.\n\n");
    let _ = writeln!(
        md,
        "**Caveat.** The full BETH splits (763,144 / 188,967 / 188,967 rows) are not available where this file was \
         made. These numbers come from the real BETH rows gathered from public samples (see the README): small \
         samples, one attacked host in the test rows, so they are indicative, not a measurement on the full test split.\n"
    );
    let _ = writeln!(md, "{}", intervals_note());
    let _ = writeln!(md, "## Protocol\n\n{}.\n", model.provenance.protocol);
    let _ = writeln!(
        md,
        "- Command: `{}`\n- Features: `{}` ({})\n- Network: {:?}, {:?}, learning rate {}, batch {}, up to {} steps, weight decay {}; {}\n- Threshold {:.3}: {}\n",
        model.provenance.command,
        model.spec.set.name(),
        model.spec.names().join(", "),
        model.mlp.sizes(),
        model.training.config.optimizer,
        model.training.config.learning_rate,
        model.training.config.batch_size,
        model.training.config.max_steps,
        model.training.config.weight_decay,
        model.training.log.stopped,
        model.threshold,
        model.training.threshold_rule,
    );
    let _ = writeln!(
        md,
        "## Training rows (our model)\n\n{}",
        data_table(&model.provenance.training_data)
    );
    if let Some(b) = &model.baseline {
        let _ = writeln!(
            md,
            "## Training rows (reference recipe)\n\nThe reference recipe needs threadId and mountNamespace, which the per-host files lack, so it is fitted on these rows only; threshold {:.3} ({}).\n\n{}",
            b.threshold,
            b.training.threshold_rule,
            data_table(&b.training_data)
        );
    }
    if let Some(cv) = &model.training.cross_validation {
        let _ = writeln!(
            md,
            "## Cross-validation within the training rows\n\n{}",
            summary_table(&[("out-of-fold", cv)])
        );
    }
    if let (Some(table), Some(e)) = (side_by_side(model), &model.evaluation) {
        let _ = writeln!(
            md,
            "## Test rows: both models side by side\n\nEvaluated on {} ({} rows: {} benign, {} suspicious), never trained on.\n\n{table}",
            e.data.source, e.data.rows, e.data.benign, e.data.suspicious
        );
        let _ = writeln!(md, "## Per host (our model)\n\n{}", host_table(e));
        if let Some(b) = model.baseline.as_ref().and_then(|b| b.evaluation.as_ref()) {
            let _ = writeln!(md, "## Per host (reference recipe)\n\n{}", host_table(b));
        }
        let mut imp = String::from("| feature | ROC-AUC drop when shuffled |\n|---|---:|\n");
        for f in &e.importance {
            let _ = writeln!(imp, "| {} | {:.4} |", f.feature, f.auc_drop);
        }
        let _ = writeln!(md, "## Feature importance (our model, test rows)\n\n{imp}");
    }
    if let Some(study) = &model.seed_study {
        let _ = writeln!(
            md,
            "## Seed study\n\nBoth recipes retrained on the same rows with seeds {:?} and evaluated on the same test rows:\n\n{}",
            study.seeds,
            seed_table(study)
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn a_name_cannot_break_a_table_row_or_drive_a_terminal() {
        assert_eq!(cell("ip-10-100-1-79"), "ip-10-100-1-79");
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(cell("a\\|b"), "a\\\\\\|b");
        assert_eq!(cell("line\nbreak\r"), "line\\u{a}break\\u{d}");
        assert_eq!(cell("\u{1b}[31mred"), "\\u{1b}[31mred");
    }
}
