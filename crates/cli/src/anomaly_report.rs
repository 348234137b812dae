//! The anomaly model's results for the terminal and its section of `metrics.md`, and the `evil`
//! table both kinds of report show under the `sus` one.

use super::report::summary_table;
use cyber_attack_detector::evaluation::Spread;
use cyber_attack_detector::features::Transform;
use cyber_attack_detector::metrics::EvilSummary;
use cyber_attack_detector::model::{AnomalyModel, Estimator, Histograms, SeedRow};
use std::fmt::Write;

/// A row of the `evil` table: its label and how to show it.
type EvilRow = (&'static str, fn(&EvilSummary) -> String);
/// A row of the seed table: recipe, label and the value of a seed.
type SeedColumn = (&'static str, &'static str, fn(&SeedRow) -> f64);

/// What the `evil` figures are, said with the table.
const EVIL_NOTE: &str = "Label `evil` (the attacker's own events, a subset of `sus`): positives are the evil rows, \
negatives every other row, suspicious-but-not-evil rows included; recall is at the same threshold as above.";

/// The `evil` figures of each named column (a column without them shows –); `None` when no
/// column has any.
pub(crate) fn evil_table(columns: &[(&str, Option<EvilSummary>)]) -> Option<String> {
    if columns.iter().all(|c| c.1.is_none()) {
        return None;
    }
    let mut t = format!("{EVIL_NOTE}\n\n");
    let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
    let _ = writeln!(t, "| on `evil` | {} |", names.join(" | "));
    let _ = writeln!(t, "|---|{}", "---:|".repeat(columns.len()));
    let rows: [EvilRow; 5] = [
        ("evil rows", |e| format!("{} of {}", e.evil, e.rows)),
        ("detected", |e| e.detected.to_string()),
        ("recall", |e| format!("{:.2}%", 100.0 * e.recall)),
        ("ROC-AUC", |e| format!("{:.4}", e.roc_auc)),
        ("average precision", |e| {
            format!("{:.4}", e.average_precision)
        }),
    ];
    for (name, show) in rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| c.1.as_ref().map_or("–".to_string(), show))
            .collect();
        let _ = writeln!(t, "| {name} | {} |", cells.join(" | "));
    }
    Some(t)
}

/// The paper's own figures: AUROC on `sus` over the full test split, benign-only training.
const PUBLISHED: [(&str, f64); 4] = [
    ("robust covariance", 0.519),
    ("one-class SVM", 0.605),
    ("VAE + DoSE-SVM", 0.698),
    ("isolation forest", 0.850),
];

/// The model's estimator in a few words, e.g. `300 trees of 256 rows`.
fn estimator(model: &AnomalyModel) -> String {
    match &model.estimator {
        Estimator::Forest(f) => format!(
            "isolation forest, {} trees of {} rows",
            f.trees.len(),
            f.sample_size
        ),
        Estimator::Histogram(h) => format!(
            "histograms of {} rows, at most {} values a feature",
            h.rows, model.training.config.bins
        ),
    }
}

/// A kept value as the reader knows it: a z-scored field's value as the field's own (the
/// nearest whole number: BETH's ids and counts are whole), with the feature's value beside it.
fn shown(model: &AnomalyModel, f: usize, value: f32) -> String {
    let transform = model.spec.features.get(f).map(|feature| &feature.transform);
    let scale = match transform {
        Some(Transform::Z { field }) => model.spec.scaler.iter().find(|s| s.field == *field),
        _ => None,
    };
    match scale {
        // + 0: a value that rounds to −0 shows as 0.
        Some(s) => format!(
            "{} (z {value})",
            (s.mean + f64::from(value) * s.std).round() + 0.0
        ),
        None => value.to_string(),
    }
}

/// Each feature's histogram: its values with their training rows and surprise (−ln p, in
/// nats), then the other values'.
fn histogram_table(model: &AnomalyModel, h: &Histograms) -> String {
    let mut t = String::from(
        "| feature | value: training rows (surprise −ln p) | any other value |\n|---|---|---|\n",
    );
    let names = model.spec.names();
    for (f, (bins, surprise)) in h.features.iter().zip(h.surprises()).enumerate() {
        let cells: Vec<String> = bins
            .values
            .iter()
            .zip(&bins.counts)
            .zip(surprise)
            .map(|((&v, c), s)| format!("{}: {c} ({s:.2})", shown(model, f, v)))
            .collect();
        let other = surprise.last().copied().unwrap_or(0.0);
        let _ = writeln!(
            t,
            "| {} | {} | {} ({other:.2}) |",
            names.get(f).map_or("?", String::as_str),
            cells.join(", "),
            bins.other
        );
    }
    let _ = writeln!(
        t,
        "\nAn event's score is the sum of its features' surprises over {:.4}, the largest sum (every feature at its least likely value); each feature's surprise, divided the same way, is its share of the score.",
        h.most()
    );
    t
}

/// The method study: per recipe, its pooled out-of-fold ROC-AUC on `sus` (median, worst and
/// best over the seeds).
fn method_table(model: &AnomalyModel) -> String {
    let study = &model.training.method_study;
    let mut t =
        String::from("| recipe | seeds | median | worst | best |\n|---|---:|---:|---:|---:|\n");
    let mut recipes: Vec<&str> = Vec::new();
    for row in study {
        if !recipes.contains(&row.recipe.as_str()) {
            recipes.push(&row.recipe);
        }
    }
    for recipe in recipes {
        let values: Vec<f64> = study
            .iter()
            .filter(|r| r.recipe == recipe)
            .map(|r| r.roc_auc)
            .collect();
        let s = Spread::of(&values);
        let _ = writeln!(
            t,
            "| {recipe} | {} | {:.4} | {:.4} | {:.4} |",
            values.len(),
            s.median,
            s.min,
            s.max
        );
    }
    t
}

/// The comparison on the test rows: ours, the others measured on the same rows, then the
/// paper's published figures, quoted as theirs.
fn paper_table(model: &AnomalyModel) -> String {
    let mut t = String::from(
        "| model | labels used to fit | AUROC `sus` | AUROC `evil` | rows |\n|---|---|---:|---:|---|\n",
    );
    let auc = |x: f64| {
        if x.is_finite() {
            format!("{x:.4}")
        } else {
            "–".into()
        }
    };
    if let Some(e) = &model.evaluation {
        let _ = writeln!(
            t,
            "| **our anomaly model** ({} features, {}) | none | {} | {} | these test rows |",
            model.spec.set.name(),
            estimator(model),
            auc(e.summary.roc_auc),
            auc(e.evil.map_or(f64::NAN, |v| v.roc_auc))
        );
    }
    for c in &model.compared {
        let labels = if c.name.contains("supervised") {
            "`sus`"
        } else {
            "none"
        };
        let _ = writeln!(
            t,
            "| {} ({} features) | {labels} | {} | {} | these test rows |",
            c.name,
            c.features,
            auc(c.summary.roc_auc),
            auc(c.evil.map_or(f64::NAN, |v| v.roc_auc))
        );
    }
    for (name, x) in PUBLISHED {
        let _ = writeln!(
            t,
            "| {name}, as published by the BETH paper | none | {x:.3} | not published | their full test split |"
        );
    }
    t
}

/// Median, worst and best ROC-AUC over the seed study, per recipe and label.
fn seed_table(model: &AnomalyModel) -> String {
    let mut t =
        String::from("| recipe | label | median | worst | best |\n|---|---|---:|---:|---:|\n");
    let columns: [SeedColumn; 4] = [
        ("our anomaly model", "sus", |r| r.sus),
        ("our anomaly model", "evil", |r| r.evil),
        ("paper's isolation forest", "sus", |r| r.paper_sus),
        ("paper's isolation forest", "evil", |r| r.paper_evil),
    ];
    for (recipe, label, value) in columns {
        let s = Spread::of(&model.seed_study.iter().map(value).collect::<Vec<_>>());
        let _ = writeln!(
            t,
            "| {recipe} | `{label}` | {:.4} | {:.4} | {:.4} |",
            s.median, s.min, s.max
        );
    }
    t
}

/// The results for the terminal.
pub(crate) fn terminal(model: &AnomalyModel) -> String {
    let mut out = format!(
        "\nAnomaly model: {} on {} features; threshold {:.4}: {}.\n",
        estimator(model),
        model.spec.set.name(),
        model.threshold,
        model.training.threshold_rule
    );
    match &model.evaluation {
        Some(e) => {
            let _ = writeln!(
                out,
                "\nEvaluation on {} (label `sus`):\n{}",
                e.data.source,
                summary_table(&[("anomaly model", &e.summary)])
            );
            if let Some(t) = evil_table(&[("anomaly model", e.evil)]) {
                let _ = writeln!(out, "{t}");
            }
            if !model.compared.is_empty() {
                let _ = writeln!(out, "Compared on the same rows:\n{}", paper_table(model));
            }
        }
        None => out.push_str("\nNo labelled test file: the model was not evaluated.\n"),
    }
    if !model.training.method_study.is_empty() {
        let _ = writeln!(
            out,
            "Methods on the training rows, host by host (ROC-AUC on `sus`):\n{}",
            method_table(model)
        );
    }
    if !model.seed_study.is_empty() {
        let _ = writeln!(
            out,
            "Seed study ({} seeds), ROC-AUC:\n{}",
            model.seed_study.len(),
            seed_table(model)
        );
    }
    out
}

/// The anomaly model's section of `metrics.md`.
pub(crate) fn markdown(model: &AnomalyModel) -> String {
    let mut md = String::from("\n# Anomaly model: trained without attack labels\n\n");
    let c = &model.training.config;
    let _ = writeln!(
        md,
        "A {}, `data/anomaly.json`, built by `make model` with `{}`.\n\n\
         ## Protocol\n\n{}.\n\n- Features: `{}` ({})\n- Model: {}, seed {}\n- Threshold {:.4}: {}\n",
        c.method.describe(),
        model.provenance.command,
        model.provenance.protocol,
        model.spec.set.name(),
        model.spec.names().join(", "),
        estimator(model),
        c.seed,
        model.threshold,
        model.training.threshold_rule
    );
    if let Estimator::Histogram(h) = &model.estimator {
        let _ = writeln!(md, "## The model, whole\n\n{}", histogram_table(model, h));
    }
    if !model.training.method_study.is_empty() {
        let _ = writeln!(
            md,
            "## Choosing the method on the training rows\n\n\
             Every labelled training row (test rows excluded), each host's rows scored by a model fitted on the \
             benign rows of the other hosts, as a new host would be; ROC-AUC on `sus` over all of them. Files \
             without mountNamespace are read as the host's namespace here too; the rows marked \"6 features\" hold \
             mountNamespace at the host's for every row, leaving the six features every training file has.\n\n{}",
            method_table(model)
        );
    }
    if let Some(e) = &model.evaluation {
        let _ = writeln!(
            md,
            "## The BETH paper's table, on our test rows\n\nAUROC on {} ({} rows: {} benign, {} suspicious). \
             The isolation forest baseline is the paper's recipe re-implemented here (scikit-learn's defaults: \
             100 trees of 256 rows, the paper's 7 features), fitted on the same benign rows; the supervised rows \
             come from `data/model.json`, fitted with labels. The last four rows are the paper's published \
             figures on its full test split, quoted, not measured here.\n\n{}",
            e.data.source,
            e.data.rows,
            e.data.benign,
            e.data.suspicious,
            paper_table(model)
        );
        let _ = writeln!(
            md,
            "## Test rows, label `sus`\n\n{}",
            summary_table(&[("anomaly model", &e.summary)])
        );
        if let Some(t) = evil_table(&[("anomaly model", e.evil)]) {
            let _ = writeln!(md, "## Test rows, label `evil`\n\n{t}");
        }
    }
    if !model.seed_study.is_empty() {
        let _ = writeln!(
            md,
            "## Seed study\n\nOur model and the paper's forest refitted with seeds 1 to {} on the same rows (a histogram's fit uses no seed), ROC-AUC on the same test rows:\n\n{}",
            model.seed_study.len(),
            seed_table(model)
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_evil_table_says_what_its_negatives_are() {
        let evil = EvilSummary {
            rows: 10,
            evil: 4,
            detected: 3,
            recall: 0.75,
            roc_auc: 0.875,
            average_precision: 0.9,
        };
        let t = evil_table(&[("a", Some(evil)), ("b", None)]).expect("one column has figures");
        assert!(t.starts_with(EVIL_NOTE));
        assert!(t.contains("| evil rows | 4 of 10 | – |"), "{t}");
        assert!(t.contains("| recall | 75.00% | – |"), "{t}");
        assert!(t.contains("| ROC-AUC | 0.8750 | – |"), "{t}");
        assert_eq!(evil_table(&[("a", None)]), None);
    }
}
