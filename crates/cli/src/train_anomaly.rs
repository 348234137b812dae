//! `train --preset anomaly` (or `paper`): an isolation forest fitted without attack labels on a
//! BETH directory's non-test rows or on one file. Where the rows carry `sus`, only the benign
//! ones are fitted on (labels are never read by the forest); the test rows, when labelled, are
//! only evaluated on, beside the BETH paper's isolation forest refitted on the same rows.

use super::args::Args;
use super::data::{combine, load, LoadError, Splits};
use cyber_attack_detector::evaluation::{DataSummary, Dataset, Evaluation};
use cyber_attack_detector::ingest::{Events, Labels, Schema};
use cyber_attack_detector::model::{
    fit_anomaly, AnomalyConfig, AnomalyModel, AnyModel, Compared, Detect, Provenance, SeedRow,
};
use std::path::{Path, PathBuf};

pub(crate) fn run(args: &Args, preset: &str) -> Result<(), String> {
    let data = Path::new(args.required("data")?);
    let out = PathBuf::from(args.required("out")?);
    let mut config = AnomalyConfig::preset(preset).ok_or("unknown anomaly preset")?;
    config.seed = args.number("seed", config.seed)?;
    if let Some(text) = args.get("budget") {
        config.alerts_per_10k = text
            .parse::<f64>()
            .ok()
            .filter(|b| (0.0..=10_000.0).contains(b))
            .ok_or_else(|| {
                format!("--budget expects alerts per 10,000 events, 0 to 10000, found {text:?}")
            })?;
    }
    let command = format!(
        "cyber-attack-detector train {}",
        std::env::args().skip(2).collect::<Vec<_>>().join(" ")
    );
    let splits = Splits::locate(data)?;
    let rows = read_rows(&config, &splits)?;
    let mut model = fit(&config, preset, &rows, &command)?;
    let paper = AnomalyConfig {
        seed: config.seed,
        ..AnomalyConfig::preset("paper").ok_or("no paper preset")?
    };
    if let Some(test) = &rows.test {
        model.evaluation = Some(evaluate(&model, test)?);
        model.provenance.protocol += &format!("; evaluated on {} only", test.summary.source);
        if preset != "paper" {
            let baseline = fit(&paper, "paper", &rows, &command)?;
            model.compared.push(Compared::of(
                "BETH paper's isolation forest (re-implemented)",
                baseline.spec.set.name(),
                &evaluate(&baseline, test)?,
            ));
        }
        if let Some(path) = args.get("compare") {
            compare_supervised(&mut model, path)?;
        }
        let seeds: u64 = args.number("seeds", 0)?;
        for seed in 1..=seeds {
            eprintln!("seed study: seed {seed} of {seeds}");
            let auc = |config: &AnomalyConfig, name: &str| -> Result<(f64, f64), String> {
                let config = AnomalyConfig {
                    seed,
                    ..config.clone()
                };
                let e = evaluate(&fit(&config, name, &rows, &command)?, test)?;
                Ok((e.summary.roc_auc, e.evil.map_or(f64::NAN, |e| e.roc_auc)))
            };
            let (sus, evil) = auc(&config, preset)?;
            let (paper_sus, paper_evil) = auc(&paper, "paper")?;
            model.seed_study.push(SeedRow {
                seed,
                sus,
                evil,
                paper_sus,
                paper_evil,
            });
        }
    }
    let json = model.to_json();
    AnomalyModel::from_json(&json)
        .map_err(|e| format!("the model does not load, so it was not written ({e})"))?;
    std::fs::write(&out, json + "\n").map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!("wrote {}", out.display());
    if let Some(path) = args.get("report") {
        // Appended: `make model` writes the supervised model's report first.
        let mut md = std::fs::read_to_string(path).unwrap_or_default();
        md.push_str(&super::anomaly_report::markdown(&model));
        std::fs::write(path, md).map_err(|e| format!("{path}: {e}"))?;
        eprintln!("added the anomaly model's section to {path}");
    }
    print!("{}", super::anomaly_report::terminal(&model));
    Ok(())
}

/// The rows to fit on (benign ones of labelled files, every row of unlabelled ones) with what
/// they were, and the test rows.
struct Rows {
    fit: Events,
    summaries: Vec<DataSummary>,
    test: Option<Dataset>,
}

fn read_rows(config: &AnomalyConfig, splits: &Splits) -> Result<Rows, String> {
    let schema = Schema {
        fields: cyber_attack_detector::features::FeatureSpec::fields_of(config.features),
        labels: Labels::Optional,
    };
    let mut rows = Rows {
        fit: Events::default(),
        summaries: Vec::new(),
        test: None,
    };
    let required = splits.train.iter().chain(&splits.validation);
    for (path, optional) in required
        .map(|p| (p, false))
        .chain(splits.extra.iter().map(|p| (p, true)))
    {
        let part = match load(path, &schema) {
            Ok(part) => part,
            Err(LoadError::MissingColumn(why)) if optional => {
                eprintln!("note: not fitting the anomaly model on {why}");
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let benign = match &part.events.sus {
            Some(sus) => {
                let keep: Vec<usize> = (0..sus.len()).filter(|&i| sus[i] == 0).collect();
                part.part(&keep, "benign rows")
            }
            None => part,
        };
        rows.fit.extend(&benign.events);
        rows.summaries.push(benign.summary);
    }
    if let Some(path) = &splits.test {
        let test = load(path, &schema)?;
        if test.events.sus.is_some() {
            rows.test = Some(test);
        } else {
            eprintln!(
                "note: {} has no sus column: not evaluated",
                test.summary.source
            );
        }
    }
    Ok(rows)
}

fn fit(
    config: &AnomalyConfig,
    preset: &str,
    rows: &Rows,
    command: &str,
) -> Result<AnomalyModel, String> {
    let all = combine(&rows.summaries);
    eprintln!(
        "{preset} anomaly model: fitting on {} rows from {} (labels not read)",
        all.rows, all.source
    );
    let provenance = Provenance {
        tool: format!("cyber-attack-detector {}", env!("CARGO_PKG_VERSION")),
        command: command.to_string(),
        training_data: rows.summaries.clone(),
        protocol: format!(
            "isolation forest fitted without labels on {} rows (every row of unlabelled files, the benign rows of labelled ones); threshold from a budget of {} alerts per 10,000 training rows scored out of fold",
            all.rows, config.alerts_per_10k
        ),
    };
    fit_anomaly(config, preset, &rows.fit, provenance).map_err(|e| format!("{}: {e}", all.source))
}

fn evaluate(model: &AnomalyModel, test: &Dataset) -> Result<Evaluation, String> {
    model
        .evaluate(&test.events, test.labels(), test.summary.clone())
        .map_err(|f| format!("{}: lacks column {}", test.summary.source, f.column()))
}

/// The supervised model at `path` and its reference baseline, as stored (evaluated on the same
/// test file: checked by its hash).
fn compare_supervised(model: &mut AnomalyModel, path: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let AnyModel::Supervised(supervised) =
        AnyModel::from_json(&text).map_err(|e| format!("{path}: {e}"))?
    else {
        return Err(format!("{path}: --compare expects a supervised model"));
    };
    let ours = model
        .evaluation
        .as_ref()
        .and_then(|e| e.data.sha256.clone());
    let mut add = |name: &str, features: &str, e: &Evaluation| {
        if e.data.sha256 == ours {
            model.compared.push(Compared::of(name, features, e));
        } else {
            eprintln!("note: {path}'s {name} was evaluated on other rows: not compared");
        }
    };
    if let Some(e) = &supervised.evaluation {
        add("our supervised model", supervised.spec.set.name(), e);
    }
    if let Some(b) = &supervised.baseline {
        if let Some(e) = &b.evaluation {
            add("reference recipe (supervised)", &b.features, e);
        }
    }
    Ok(())
}
