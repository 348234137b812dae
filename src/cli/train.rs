//! `train`: fit a recipe on a BETH directory's non-test rows and evaluate on its test rows.

use super::args::Args;
use super::data::{combine, display_name, load, LoadError, Splits};
use super::progress::Bar;
use super::report;
use cyber_attack_detector::evaluation::DataSummary;
use cyber_attack_detector::ingest::{Events, Labels, Schema};
use cyber_attack_detector::model::{evaluate, fit, Baseline, Model, Progress, Recipe, SeedStudy};
use std::path::{Path, PathBuf};

pub fn run(args: &Args) -> Result<(), String> {
    let data = Path::new(args.required("data")?);
    let out = PathBuf::from(args.required("out")?);
    let preset = args.get("preset").unwrap_or("default");
    let mut recipe = Recipe::preset(preset)
        .ok_or_else(|| format!("unknown preset {preset:?}; expected reference or default"))?;
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
    let mut model = train_recipe(
        &recipe,
        &splits,
        validation.as_ref().map(|v| &v.0),
        &command,
    )?;
    if let Some(v) = &validation {
        model.provenance.protocol += &format!("; stopping rule monitored {}", v.1.source);
    }

    if let Some(test) = &splits.test {
        model.evaluation = Some(evaluate_on(&model, test)?);
        model.provenance.protocol += &format!("; evaluated on {} only", display_name(test));
    }
    if preset != "reference" {
        // The reference recipe needs columns some files lack (the 13-column host form has no
        // threadId): then there is simply no baseline to show.
        match baseline(&splits, recipe.config.seed, &command) {
            Ok(b) => model.baseline = Some(b),
            Err(e) => eprintln!("note: no reference baseline: {e}"),
        }
        let seeds: u64 = args.number("seeds", 0)?;
        if seeds > 0 && model.baseline.is_some() {
            model.seed_study = Some(seed_study(&recipe, &splits, seeds, &command)?);
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
    }
}

/// Reads the rows a recipe is fitted on: train and validation, plus any per-host files that
/// have every column the recipe needs.
fn fit_rows(recipe: &Recipe, splits: &Splits) -> Result<(Events, Vec<DataSummary>), String> {
    let schema = schema(recipe);
    let mut events = Events::default();
    let mut summaries = Vec::new();
    let required = splits.train.iter().chain(&splits.validation);
    for path in required {
        let (part, summary) = load(path, &schema)?;
        events.extend(&part);
        summaries.push(summary);
    }
    for path in &splits.extra {
        match load(path, &schema) {
            Ok((part, summary)) => {
                events.extend(&part);
                summaries.push(summary);
            }
            Err(LoadError::MissingColumn(why)) => {
                eprintln!("note: not fitting the {} recipe on {why}", recipe.preset);
            }
            Err(LoadError::Other(e)) => return Err(e),
        }
    }
    Ok((events, summaries))
}

fn train_recipe(
    recipe: &Recipe,
    splits: &Splits,
    validation: Option<&Events>,
    command: &str,
) -> Result<Model, String> {
    let (events, summaries) = fit_rows(recipe, splits)?;
    let all = combine(&summaries);
    eprintln!(
        "{} recipe: fitting on {} rows ({} benign, {} suspicious) from {}",
        recipe.preset, all.rows, all.benign, all.suspicious, all.source
    );
    let mut bar = Bar::new(&recipe.preset);
    let mut on_progress = |p: Progress| match p {
        Progress::Fold { fold, folds } => {
            bar.set_label(&format!("{} cv fold {fold}/{folds}", recipe.preset))
        }
        Progress::Step {
            step,
            max_steps,
            loss,
        } => bar.update(step, max_steps, &format!("loss {loss:.4}")),
    };
    let model = fit(
        recipe,
        &events,
        summaries,
        validation,
        command,
        &mut on_progress,
    )
    .map_err(|e| format!("{}: {e}", all.source))?;
    bar.set_label(&format!("{} final", recipe.preset));
    Ok(model)
}

pub fn evaluate_on(
    model: &Model,
    path: &Path,
) -> Result<cyber_attack_detector::evaluation::Evaluation, String> {
    let (events, summary) = load(path, &model.schema(Labels::Required))?;
    let labels = events.sus.clone().unwrap_or_default();
    evaluate(model, &events, &labels, summary)
        .map_err(|f| format!("{}: lacks column {}", display_name(path), f.column()))
}

/// Our recipe and the reference retrained with seeds 1..=n and evaluated on the test rows.
fn seed_study(
    recipe: &Recipe,
    splits: &Splits,
    n: u64,
    command: &str,
) -> Result<SeedStudy, String> {
    let Some(test) = &splits.test else {
        return Err("--seeds needs a test file to evaluate on".into());
    };
    let mut study = SeedStudy::default();
    for seed in 1..=n {
        eprintln!("seed study: seed {seed} of {n}");
        let summary = |mut r: Recipe| -> Result<_, String> {
            r.config.seed = seed;
            let model = train_recipe(&r, splits, None, command)?;
            Ok(evaluate_on(&model, test)?.summary)
        };
        study.ours.push(summary(recipe.clone())?);
        study.reference.push(summary(
            Recipe::preset("reference").ok_or("no reference preset")?,
        )?);
        study.seeds.push(seed);
    }
    Ok(study)
}

/// The reference recipe trained on the rows it can use, evaluated on the same test rows.
fn baseline(splits: &Splits, seed: u64, command: &str) -> Result<Baseline, String> {
    let mut recipe = Recipe::preset("reference").ok_or("the reference preset is missing")?;
    recipe.config.seed = seed;
    let reference = train_recipe(&recipe, splits, None, command)?;
    let evaluation = match &splits.test {
        Some(test) => Some(evaluate_on(&reference, test)?),
        None => None,
    };
    Ok(Baseline {
        name: "reference recipe".into(),
        features: recipe.features.name().into(),
        threshold: reference.threshold,
        training: reference.training,
        training_data: reference.provenance.training_data,
        evaluation,
    })
}
