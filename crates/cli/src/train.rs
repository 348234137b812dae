//! `train`: fit a recipe on a BETH directory's non-test rows and evaluate on its test rows.

use super::args::Args;
use super::data::{combine, load, LoadError, Splits};
use super::progress::Bar;
use super::report;
use cyber_attack_detector::evaluation::{DataSummary, Dataset, Evaluation};
use cyber_attack_detector::ingest::{Events, Labels, Schema};
use cyber_attack_detector::model::{
    evaluate, fit, Baseline, Model, Network, Origin, Recipe, SeedStudy,
};
use std::path::{Path, PathBuf};

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let data = Path::new(args.required("data")?);
    let out = PathBuf::from(args.required("out")?);
    let preset = args.get("preset").unwrap_or("default");
    if matches!(preset, "anomaly" | "paper") {
        return super::train_anomaly::run(args, preset);
    }
    let mut recipe = Recipe::preset(preset).ok_or_else(|| {
        format!("unknown preset {preset:?}; expected reference, default, names, anomaly or paper")
    })?;
    recipe.config.seed = args.number("seed", recipe.config.seed)?;
    let splits = Splits::locate(data)?;
    let command = format!(
        "cyber-attack-detector train {}",
        std::env::args().skip(2).collect::<Vec<_>>().join(" ")
    );

    let validation = match args.get("validation") {
        Some(path) => Some(load(Path::new(path), &schema(&recipe))?),
        None => None,
    };
    let rows = read_rows(&recipe, &splits)?;
    let monitored = validation.as_ref().map(|v| &v.events);
    let mut model = train_recipe(&recipe, &rows, monitored, &command)?;
    if let Some(v) = &validation {
        model.provenance.protocol += &format!("; stopping rule monitored {}", v.summary.source);
    }

    if let Some(test) = &rows.test {
        model.evaluation = Some(evaluate_rows(&model, test)?);
        model.provenance.protocol += &format!("; evaluated on {} only", test.summary.source);
    }
    if preset != "reference" {
        // The reference recipe needs columns some files lack (the 13-column host form has no
        // threadId): then there is simply no baseline to show.
        let mut reference = Recipe::preset("reference").ok_or("the reference preset is missing")?;
        reference.config.seed = recipe.config.seed;
        match read_rows(&reference, &splits)
            .and_then(|r| Ok((baseline(&reference, &r, &command)?, r)))
        {
            Ok((b, reference_rows)) => {
                model.baseline = Some(b);
                let seeds: u64 = args.number("seeds", 0)?;
                if seeds > 0 {
                    let recipes = [(&recipe, &rows), (&reference, &reference_rows)];
                    model.seed_study = Some(seed_study(recipes, seeds, &command)?);
                }
            }
            Err(e) => eprintln!("note: no reference baseline: {e}"),
        }
    }

    let json = model.to_json();
    // Never write a model file that does not load (training diverges on values too large for
    // the network, leaving weights or losses that are not numbers).
    Model::from_json(&json).map_err(|e| {
        format!(
            "the trained model does not load, so {} was not written ({e}); the training data may hold values too large to train on",
            out.display()
        )
    })?;
    std::fs::write(&out, json + "\n").map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!("wrote {}", out.display());
    if let Some(path) = args.get("report") {
        std::fs::write(path, report::markdown(&model)).map_err(|e| format!("{path}: {e}"))?;
        eprintln!("wrote {path}");
    }
    print!("{}", report::terminal(&model));
    Ok(())
}

fn schema(recipe: &Recipe) -> Schema {
    Schema {
        fields: recipe.fields(),
        labels: Labels::Required,
        host_namespace: false,
    }
}

/// A recipe's rows, read once however often it is trained: what it is fitted on (train and
/// validation, plus any per-host files that have every column the recipe needs) and the test
/// rows, when there are any.
pub(crate) struct Rows {
    pub fit: Events,
    pub summaries: Vec<DataSummary>,
    pub test: Option<Dataset>,
}

pub(crate) fn read_rows(recipe: &Recipe, splits: &Splits) -> Result<Rows, String> {
    let schema = schema(recipe);
    let mut fit = Events::default();
    let mut summaries = Vec::new();
    let required = splits.train.iter().chain(&splits.validation);
    for path in required {
        let part = load(path, &schema)?;
        fit.extend(&part.events);
        summaries.push(part.summary);
    }
    for path in &splits.extra {
        match load(path, &schema) {
            Ok(part) => {
                fit.extend(&part.events);
                summaries.push(part.summary);
            }
            Err(LoadError::MissingColumn(why)) => {
                eprintln!("note: not fitting the {} recipe on {why}", recipe.preset);
            }
            Err(LoadError::Other(e)) => return Err(e),
        }
    }
    let test = match &splits.test {
        Some(path) => Some(load(path, &schema)?),
        None => None,
    };
    Ok(Rows {
        fit,
        summaries,
        test,
    })
}

pub(crate) fn train_recipe(
    recipe: &Recipe,
    rows: &Rows,
    validation: Option<&Events>,
    command: &str,
) -> Result<Model, String> {
    let all = combine(&rows.summaries);
    eprintln!(
        "{} recipe: fitting on {} rows ({} benign, {} suspicious) from {}",
        recipe.preset, all.rows, all.benign, all.suspicious, all.source
    );
    let mut bar = Bar::new(&recipe.preset);
    let origin = Origin {
        command: command.to_string(),
        training_data: rows.summaries.clone(),
        in_browser: false,
    };
    fit(recipe, &rows.fit, validation, origin, &mut |p| {
        let label = match p.network {
            Network::Model => recipe.preset.clone(),
            Network::Fold { fold, folds } => {
                format!("{} cv fold {}/{folds}", recipe.preset, fold + 1)
            }
        };
        bar.set_label(&label);
        let loss = p.loss.map(|l| format!("loss {l:.4}")).unwrap_or_default();
        bar.update(p.steps, p.max_steps, &loss);
    })
    .map_err(|e| format!("{}: {e}", all.source))
}

fn evaluate_rows(model: &Model, rows: &Dataset) -> Result<Evaluation, String> {
    let summary = &rows.summary;
    evaluate(model, &rows.events, rows.labels(), summary.clone())
        .map_err(|f| format!("{}: lacks column {}", summary.source, f.column()))
}

/// Both recipes (each with its rows) retrained with seeds 1..=n and evaluated on the test rows.
fn seed_study(recipes: [(&Recipe, &Rows); 2], n: u64, command: &str) -> Result<SeedStudy, String> {
    let mut study = SeedStudy::default();
    for seed in 1..=n {
        eprintln!("seed study: seed {seed} of {n}");
        let mut summaries = Vec::with_capacity(2);
        for (recipe, rows) in recipes {
            let test = rows
                .test
                .as_ref()
                .ok_or("--seeds needs a test file to evaluate on")?;
            let mut recipe = recipe.clone();
            recipe.config.seed = seed;
            let model = train_recipe(&recipe, rows, None, command)?;
            summaries.push(evaluate_rows(&model, test)?.summary);
        }
        study.ours.push(summaries[0]);
        study.reference.push(summaries[1]);
        study.seeds.push(seed);
    }
    Ok(study)
}

/// The reference recipe trained on the rows it can use, evaluated on the same test rows.
fn baseline(recipe: &Recipe, rows: &Rows, command: &str) -> Result<Baseline, String> {
    let reference = train_recipe(recipe, rows, None, command)?;
    let evaluation = match &rows.test {
        Some(test) => Some(evaluate_rows(&reference, test)?),
        None => None,
    };
    Ok(Baseline::of("reference recipe", &reference, evaluation))
}
