//! `train --preset anomaly` (histograms) or `paper` (an isolation forest): a model fitted without
//! attack labels on a BETH directory's non-test rows or on one file. Where the rows carry `sus`,
//! only the benign ones are fitted on (labels are never read by the model); the test rows, when
//! labelled, are only evaluated on, beside the BETH paper's isolation forest refitted on the
//! same rows. Labelled training rows of several hosts also compare the methods host by host.

use super::args::Args;
use super::data::{combine, load, LoadError, Splits};
use cyber_attack_detector::evaluation::{DataSummary, Dataset, Evaluation};
use cyber_attack_detector::ingest::{Events, Field, Labels, Schema, HOST_MOUNT_NAMESPACE};
use cyber_attack_detector::metrics::roc_auc;
use cyber_attack_detector::model::{
    fit_anomaly, fit_anomaly_calibrated, AnomalyConfig, AnomalyMethod, AnomalyModel, AnyModel,
    Compared, Detect, MethodScore, Provenance, SeedRow,
};
use std::path::{Path, PathBuf};

pub(crate) fn run(args: &Args, preset: &str) -> Result<(), String> {
    let data = Path::new(args.required("data")?);
    let out = PathBuf::from(args.required("out")?);
    let mut config = AnomalyConfig::preset(preset).ok_or("unknown anomaly preset")?;
    config.seed = args.number("seed", config.seed)?;
    if let Some(name) = args.get("method") {
        config.method = AnomalyMethod::parse(name)
            .ok_or_else(|| format!("--method expects forest or histogram, found {name:?}"))?;
    }
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
    let seeds: u64 = args.number("seeds", 0)?;
    if seeds > 0 {
        model.training.method_study = method_study(&config, &rows.labelled, seeds)?;
    }
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
/// they were, the calibration rows (benign rows of files lacking a column, see [`read_rows`]),
/// every labelled training row, and the test rows.
struct Rows {
    fit: Events,
    summaries: Vec<DataSummary>,
    calibration: Events,
    calibration_summaries: Vec<DataSummary>,
    labelled: Events,
    test: Option<Dataset>,
}

/// Reads an extra (per-host) file; one lacking only `mountNamespace` is read as if every event
/// ran in the host's own mount namespace, and said so. `None` when it lacks another column.
fn load_extra(path: &Path, schema: &Schema) -> Result<Option<(Dataset, bool)>, String> {
    let why = match load(path, schema) {
        Ok(part) => return Ok(Some((part, false))),
        Err(LoadError::MissingColumn(why)) => why,
        Err(e) => return Err(e.into()),
    };
    if !schema.fields.contains(&Field::MountNamespace) {
        eprintln!("note: not using {why}");
        return Ok(None);
    }
    let fewer = Schema {
        fields: schema
            .fields
            .iter()
            .copied()
            .filter(|&f| f != Field::MountNamespace)
            .collect(),
        labels: schema.labels,
        host_namespace: false,
    };
    let mut part = match load(path, &fewer) {
        Ok(part) => part,
        Err(LoadError::MissingColumn(why)) => {
            eprintln!("note: not using {why}");
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let events = &mut part.events;
    let at = events
        .fields
        .iter()
        .position(|&f| f > Field::MountNamespace)
        .unwrap_or(events.fields.len());
    events.fields.insert(at, Field::MountNamespace);
    events
        .values
        .insert(at, vec![HOST_MOUNT_NAMESPACE; events.len()]);
    eprintln!(
        "note: {} has no mountNamespace: read as the host's ({HOST_MOUNT_NAMESPACE}) and used only to calibrate the threshold",
        part.summary.source
    );
    Ok(Some((part, true)))
}

fn read_rows(config: &AnomalyConfig, splits: &Splits) -> Result<Rows, String> {
    // The files named as training data may lack mountNamespace (Tracee's current form) when the
    // features only ask whether it is the host's: they are fitted on, read as the host's, and
    // said so. Extra (per-host) files lacking it only calibrate the threshold (`load_extra`).
    let schema = config.features.schema(Labels::Optional);
    let extra = Schema {
        host_namespace: false,
        ..schema.clone()
    };
    let mut rows = Rows {
        fit: Events::default(),
        summaries: Vec::new(),
        calibration: Events::default(),
        calibration_summaries: Vec::new(),
        labelled: Events::default(),
        test: None,
    };
    let mut parts = Vec::new();
    for path in splits.train.iter().chain(&splits.validation) {
        parts.push((load(path, &schema)?, false));
    }
    for path in &splits.extra {
        parts.extend(load_extra(path, &extra)?);
    }
    for (part, filled) in parts {
        let benign = match &part.events.sus {
            Some(sus) => {
                rows.labelled.extend(&part.events);
                let keep: Vec<usize> = (0..sus.len()).filter(|&i| sus[i] == 0).collect();
                part.part(&keep, "benign rows")
            }
            None => part,
        };
        if filled {
            rows.calibration.extend(&benign.events);
            rows.calibration_summaries.push(benign.summary);
        } else {
            rows.fit.extend(&benign.events);
            rows.summaries.push(benign.summary);
        }
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
    let method = config.method.describe();
    eprintln!(
        "{preset} anomaly model ({method}): fitting on {} rows from {} (labels not read)",
        all.rows, all.source
    );
    let calibration = match rows.calibration.len() {
        0 => String::new(),
        n => format!(
            ", and {n} calibration rows, the benign rows of {}, which lacks mountNamespace: read as the host's namespace ({HOST_MOUNT_NAMESPACE}) and not fitted on",
            combine(&rows.calibration_summaries)
                .source
                .replace(" (benign rows)", "")
        ),
    };
    let provenance = Provenance {
        tool: format!("cyber-attack-detector {}", env!("CARGO_PKG_VERSION")),
        command: command.to_string(),
        training_data: rows.summaries.clone(),
        calibration_data: rows.calibration_summaries.clone(),
        protocol: format!(
            "Fitted without labels ({method}) on {} rows (every row of unlabelled files, the benign rows of labelled ones); threshold from a budget of {} alerts per 10,000 held-out rows: the training rows scored out of fold{calibration}",
            all.rows, config.alerts_per_10k
        ),
    };
    fit_anomaly_calibrated(config, preset, &rows.fit, &rows.calibration, provenance)
        .map_err(|e| format!("{}: {e}", all.source))
}

/// The methods compared on the labelled training rows, host by host: each host's rows scored
/// by a model fitted on the other hosts' benign rows, ROC-AUC on `sus` over all of them. The
/// histogram once (its fit has no randomness), `config`'s forest and the paper's with seeds 1
/// to `seeds`; each twice, as read and with mountNamespace held at the host's for every row
/// (the six features every training file has). Empty when the rows have no labels or fewer
/// than two hosts.
fn method_study(
    config: &AnomalyConfig,
    labelled: &Events,
    seeds: u64,
) -> Result<Vec<MethodScore>, String> {
    let Some(sus) = labelled.sus.as_deref() else {
        return Ok(Vec::new());
    };
    if labelled.host_names.len() < 2 {
        return Ok(Vec::new());
    }
    let oof = |config: &AnomalyConfig, events: &Events| -> Result<f64, String> {
        let mut scores = vec![0f32; events.len()];
        for host in 0..events.host_names.len() as u32 {
            let (mine, others): (Vec<usize>, Vec<usize>) =
                (0..events.len()).partition(|&i| events.host[i] == host);
            let benign: Vec<usize> = others.into_iter().filter(|&i| sus[i] == 0).collect();
            let model = fit_anomaly(
                config,
                "study",
                &events.select(&benign),
                Provenance::default(),
            )
            .map_err(|e| format!("method study: {e}"))?;
            let host_scores = model
                .score(&events.select(&mine))
                .map_err(|f| format!("method study: lacks column {}", f.column()))?;
            for (&i, s) in mine.iter().zip(host_scores) {
                scores[i] = s;
            }
        }
        Ok(roc_auc(&scores, sus))
    };
    let mut constant = labelled.clone();
    if let Some(k) = constant
        .fields
        .iter()
        .position(|&f| f == Field::MountNamespace)
    {
        constant.values[k].fill(HOST_MOUNT_NAMESPACE);
    }
    let histogram = AnomalyConfig {
        method: AnomalyMethod::Histogram,
        ..config.clone()
    };
    let forest = AnomalyConfig {
        method: AnomalyMethod::Forest,
        ..config.clone()
    };
    let paper = AnomalyConfig::preset("paper").ok_or("no paper preset")?;
    let variants = [("", labelled), (", 6 features", &constant)];
    let mut study = Vec::new();
    for (suffix, events) in variants {
        study.push(MethodScore {
            recipe: format!("histogram{suffix}"),
            seed: 0,
            roc_auc: oof(&histogram, events)?,
        });
    }
    for seed in 1..=seeds {
        eprintln!("method study: forests, seed {seed} of {seeds}");
        for (suffix, events) in variants {
            for (recipe, config) in [
                ("our isolation forest", &forest),
                ("paper's isolation forest", &paper),
            ] {
                let config = AnomalyConfig {
                    seed,
                    ..config.clone()
                };
                study.push(MethodScore {
                    recipe: format!("{recipe}{suffix}"),
                    seed,
                    roc_auc: oof(&config, events)?,
                });
            }
        }
    }
    Ok(study)
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
