//! One fitting run, resumable: the model's network trained first, then one network per
//! cross-validation fold for the threshold, a budget of gradient steps per call. The command
//! line runs it to the end in one go ([`fit`]); the page's worker steps it between messages.

use super::detector::Model;
use super::file::{Provenance, Training};
use super::fit::{
    best_balanced_threshold, network_trainer, FitError, FoldTrainer, Folds, Recipe, ThresholdRule,
};
use super::mlp::Mlp;
use super::precedent::Precedents;
use super::train::{TrainLog, Trainer};
use crate::evaluation::DataSummary;
use crate::features::FeatureSpec;
use crate::ingest::Events;
use std::borrow::Borrow;

/// The network a call to [`FitRun::step`] trained.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Network {
    /// The model's own network.
    Model,
    /// The network of a cross-validation fold.
    Fold {
        /// The fold, from 0.
        fold: usize,
        /// How many folds there are.
        folds: usize,
    },
}

/// Where a run stands after a call to [`FitRun::step`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FitProgress {
    /// The network the call trained.
    pub network: Network,
    /// Steps that network has taken, of at most `max_steps`.
    pub steps: usize,
    /// The most steps that network may take.
    pub max_steps: usize,
    /// The loss of the last step taken in the call, if any.
    pub loss: Option<f32>,
    /// Every network is trained: [`FitRun::finish`] only assembles the model.
    pub finished: bool,
}

/// Who made a model and from what, for its provenance.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    /// The command that rebuilds the model (or the page's settings).
    pub command: String,
    /// The files the training rows came from.
    pub training_data: Vec<DataSummary>,
    /// Trained by the page rather than by the command line.
    pub in_browser: bool,
}

/// A model being fitted with a recipe on `events` (owned or borrowed).
pub struct FitRun<E: Borrow<Events>> {
    recipe: Recipe,
    events: E,
    /// The model's features.
    spec: FeatureSpec,
    /// The model's network while it trains, then what it gave.
    trainer: Option<Trainer>,
    trained: Option<(Mlp, TrainLog)>,
    threshold: Threshold,
}

/// How the threshold will be chosen, with what cross-validation has given so far.
enum Threshold {
    Fixed(f32),
    CrossValidated(Box<CrossValidation>),
}

/// The folds, the network of the fold training now, and the out-of-fold scores so far.
struct CrossValidation {
    folds: Folds,
    network: Option<FoldTrainer>,
    next_fold: usize,
    /// Folds without held-out rows or with training rows of one class.
    skipped: usize,
    scores: Vec<f32>,
    labels: Vec<u8>,
}

impl<E: Borrow<Events>> FitRun<E> {
    /// Fits the features on `events` and sets up the model's network; `validation`, when
    /// given, drives its stopping rule.
    pub fn new(
        recipe: &Recipe,
        events: E,
        validation: Option<&Events>,
    ) -> Result<FitRun<E>, FitError> {
        let rows = events.borrow();
        let (spec, trainer) = network_trainer(recipe.features, &recipe.config, rows, validation)?;
        let threshold = match recipe.threshold {
            ThresholdRule::Fixed(t) => Threshold::Fixed(t),
            ThresholdRule::CrossValidated { folds } => {
                Threshold::CrossValidated(Box::new(CrossValidation {
                    folds: Folds::new(rows, folds, recipe.config.seed),
                    network: None,
                    next_fold: 0,
                    skipped: 0,
                    scores: Vec::with_capacity(rows.len()),
                    labels: Vec::with_capacity(rows.len()),
                }))
            }
        };
        Ok(FitRun {
            recipe: recipe.clone(),
            events,
            spec,
            trainer: Some(trainer),
            trained: None,
            threshold,
        })
    }

    /// Up to `budget` gradient steps (at least one) of the network training now; when it
    /// stops, keeps what it gave and sets up the next fold's network.
    pub fn step(&mut self, budget: usize) -> Result<FitProgress, FitError> {
        let (trainer, network) = match (&mut self.trainer, &mut self.threshold) {
            (Some(trainer), _) => (trainer, Network::Model),
            (None, Threshold::CrossValidated(cv)) => match &mut cv.network {
                Some(fold) => {
                    let folds = cv.folds.count();
                    let network = Network::Fold {
                        fold: fold.fold,
                        folds,
                    };
                    (&mut fold.trainer, network)
                }
                None => return Ok(self.finished()),
            },
            (None, Threshold::Fixed(_)) => return Ok(self.finished()),
        };
        let mut loss = None;
        for _ in 0..budget.max(1) {
            match trainer.step() {
                Some(l) => loss = Some(l),
                None => break,
            }
        }
        let (steps, max_steps, done) =
            (trainer.steps_done(), trainer.max_steps(), trainer.is_done());
        if done {
            self.next_network()?;
        }
        Ok(FitProgress {
            network,
            steps,
            max_steps,
            loss,
            finished: self.is_finished(),
        })
    }

    /// Gradient steps of about `work` multiply-adds of forward and backward passes, at least 1.
    pub fn steps_within(&self, work: usize) -> usize {
        let mut sizes = vec![self.spec.len()];
        sizes.extend(&self.recipe.config.hidden);
        sizes.push(1);
        let parameters: usize = sizes.windows(2).map(|w| (w[0] + 1) * w[1]).sum();
        (work / (3 * parameters * self.recipe.config.batch_size).max(1)).max(1)
    }

    /// The training losses of the model's own network so far.
    pub fn losses(&self) -> &[f32] {
        match (&self.trainer, &self.trained) {
            (Some(trainer), _) => &trainer.log().loss,
            (None, Some((_, log))) => &log.loss,
            (None, None) => &[],
        }
    }

    /// Every network is trained: [`FitRun::finish`] only assembles the model.
    pub fn is_finished(&self) -> bool {
        self.trainer.is_none()
            && match &self.threshold {
                Threshold::Fixed(_) => true,
                Threshold::CrossValidated(cv) => cv.network.is_none(),
            }
    }

    /// Trains whatever is left, chooses the threshold and assembles the model.
    pub fn finish(mut self, origin: Origin) -> Result<Model, FitError> {
        // The model's network is trained first, so it is there once every network is.
        let (mlp, log) = loop {
            match self.trained.take() {
                Some(trained) if self.is_finished() => break trained,
                trained => {
                    self.trained = trained;
                    self.step(usize::MAX)?;
                }
            }
        };
        let events = self.events.borrow();
        let (threshold, threshold_rule, cross_validation) = match &self.threshold {
            Threshold::Fixed(t) => (*t, format!("fixed at {t}"), None),
            Threshold::CrossValidated(cv) if !cv.scores.is_empty() => {
                let (t, rule, summary) = cv.folds.threshold(&cv.scores, &cv.labels, cv.skipped);
                (t, rule, Some(summary))
            }
            Threshold::CrossValidated(cv) => {
                // Every fold was skipped: the training rows' own scores are all there is.
                let x = self.spec.matrix(events).map_err(FitError::MissingField)?;
                let labels = events.sus.as_deref().ok_or(FitError::Unlabelled)?;
                let t = best_balanced_threshold(&mlp.predict(&x), labels);
                (t, cv.folds.fallback_rule(), None)
            }
        };
        let (benign, suspicious) = events.class_counts();
        let precedents = Precedents::of(&self.spec, events).map_err(FitError::MissingField)?;
        let tool = format!(
            "cyber-attack-detector {}{}",
            env!("CARGO_PKG_VERSION"),
            if origin.in_browser {
                " (in the browser)"
            } else {
                ""
            }
        );
        Ok(Model {
            spec: self.spec,
            mlp,
            threshold,
            training: Training {
                preset: self.recipe.preset,
                config: self.recipe.config,
                log,
                threshold_rule,
                cross_validation,
                precedents: Some(precedents),
            },
            provenance: Provenance {
                tool,
                command: origin.command,
                training_data: origin.training_data,
                protocol: format!(
                    "network and feature scaling fitted on {} rows ({benign} benign, {suspicious} suspicious)",
                    events.len()
                ),
                calibration_data: Vec::new(),
            },
            evaluation: None,
            baseline: None,
            seed_study: None,
        })
    }

    /// Where a finished run stands.
    fn finished(&self) -> FitProgress {
        let losses = self.losses().len();
        FitProgress {
            network: Network::Model,
            steps: losses,
            max_steps: self.recipe.config.max_steps,
            loss: None,
            finished: true,
        }
    }

    /// Keeps what the stopped network gives (the model's network, or a fold's out-of-fold
    /// scores) and sets up the next fold's network, skipping folds that cannot be trained.
    fn next_network(&mut self) -> Result<(), FitError> {
        if let Some(trainer) = self.trainer.take() {
            self.trained = Some(trainer.finish());
        }
        let Threshold::CrossValidated(cv) = &mut self.threshold else {
            return Ok(());
        };
        let events = self.events.borrow();
        if let Some(network) = cv.network.take() {
            network.score_held_out(events, &mut cv.scores, &mut cv.labels)?;
        }
        while cv.next_fold < cv.folds.count() {
            let fold = cv.next_fold;
            cv.next_fold += 1;
            let (features, config) = (self.recipe.features, &self.recipe.config);
            cv.network = cv.folds.trainer(fold, features, config, events)?;
            if cv.network.is_some() {
                break;
            }
            cv.skipped += 1;
        }
        Ok(())
    }
}

/// Fits a complete model with `recipe` on `events`, reporting after every gradient step;
/// `validation`, when given, drives the stopping rule of the model's network.
pub fn fit(
    recipe: &Recipe,
    events: &Events,
    validation: Option<&Events>,
    origin: Origin,
    progress: &mut dyn FnMut(&FitProgress),
) -> Result<Model, FitError> {
    let mut run = FitRun::new(recipe, events, validation)?;
    while !run.is_finished() {
        progress(&run.step(1)?);
    }
    run.finish(origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_events, Labels, Schema};

    /// `rows` rows over `hosts` hosts, alternately benign (system processes) and suspicious
    /// (a non-system user's).
    fn events(rows: u32, hosts: u32) -> Events {
        let mut csv =
            String::from("processId,parentProcessId,userId,argsNum,returnValue,hostName,sus\n");
        for i in 0..rows {
            let line = if i % 2 == 1 {
                format!(
                    "{},{},1001,{},-1,host-{},1\n",
                    7000 + i,
                    6900 + i,
                    i % 5,
                    i % hosts
                )
            } else {
                format!("{},0,0,{},0,host-{},0\n", 1 + i % 2, i % 5, i % hosts)
            };
            csv.push_str(&line);
        }
        let recipe = recipe(20);
        let schema = Schema {
            fields: recipe.fields(),
            labels: Labels::Required,
            host_namespace: false,
        };
        read_events(csv.as_bytes(), "rows.csv", &schema).expect("valid CSV")
    }

    fn recipe(steps: usize) -> Recipe {
        let mut recipe = Recipe::preset("default").expect("preset");
        recipe.config.max_steps = steps;
        recipe
    }

    fn origin() -> Origin {
        Origin {
            command: "test".into(),
            training_data: Vec::new(),
            in_browser: false,
        }
    }

    #[test]
    fn stepping_in_any_budget_gives_the_same_model() -> Result<(), FitError> {
        let rows = events(60, 5);
        let mut networks = Vec::new();
        let whole = fit(&recipe(40), &rows, None, origin(), &mut |p| {
            networks.push(p.network);
        })?;
        // The model's network first, then the five folds grouped by host, one at a time.
        networks.dedup();
        let folds = (0..5).map(|fold| Network::Fold { fold, folds: 5 });
        let order: Vec<Network> = std::iter::once(Network::Model).chain(folds).collect();
        assert_eq!(networks, order);
        let mut run = FitRun::new(&recipe(40), rows.clone(), None)?;
        let mut calls = 0;
        while !run.step(7)?.finished {
            calls += 1;
        }
        // Six networks of 40 steps, 7 a call: 6 calls each.
        assert_eq!(calls + 1, 36);
        assert_eq!(run.finish(origin()), Ok(whole.clone()));
        assert!(
            whole
                .training
                .threshold_rule
                .contains("5-fold cross-validation (grouped by host, 5 hosts)"),
            "{}",
            whole.training.threshold_rule
        );
        Ok(())
    }

    #[test]
    fn with_every_fold_skipped_the_threshold_comes_from_the_training_rows() -> Result<(), FitError>
    {
        // Two rows, random folds: three folds hold out nothing, and the other two leave one
        // row of one class to train on.
        let rows = events(2, 1);
        let mut networks = Vec::new();
        let model = fit(&recipe(300), &rows, None, origin(), &mut |p| {
            networks.push(p.network);
        })?;
        assert!(networks.iter().all(|&n| n == Network::Model));
        assert_eq!(
            model.training.threshold_rule,
            "maximises balanced accuracy on the training rows' own scores: every fold of 5-fold \
             cross-validation (random folds) was skipped (no held-out rows, or training rows of \
             one class)"
        );
        assert_eq!(model.training.cross_validation, None);
        // The threshold separates the two rows' own scores.
        let scores = model
            .mlp
            .predict(&model.spec.matrix(&rows).map_err(FitError::MissingField)?);
        let t = best_balanced_threshold(&scores, &[0, 1]);
        assert_eq!(model.threshold, t);
        assert!(scores[0] < t && t <= scores[1], "{scores:?} {t}");
        Ok(())
    }

    #[test]
    fn a_skipped_fold_is_named_in_the_rule() -> Result<(), FitError> {
        // Four rows in five random folds: one fold holds out nothing; each of the others holds
        // out one row and trains on three of both classes.
        let model = fit(&recipe(20), &events(4, 1), None, origin(), &mut |_| {})?;
        assert_eq!(
            model.training.threshold_rule,
            "maximises balanced accuracy on out-of-fold scores of 5-fold cross-validation \
             (random folds) within the training rows; 1 of the 5 folds skipped (no held-out \
             rows, or training rows of one class)"
        );
        let out_of_fold = model.training.cross_validation.map(|s| s.confusion.total());
        assert_eq!(out_of_fold, Some(4));
        Ok(())
    }

    #[test]
    fn a_fixed_threshold_trains_the_model_only() -> Result<(), FitError> {
        let mut fixed = recipe(20);
        fixed.threshold = ThresholdRule::Fixed(0.25);
        let origin = Origin {
            in_browser: true,
            ..origin()
        };
        let model = fit(&fixed, &events(10, 1), None, origin, &mut |p| {
            assert_eq!(p.network, Network::Model);
        })?;
        assert_eq!(model.threshold, 0.25);
        assert_eq!(model.training.threshold_rule, "fixed at 0.25");
        assert_eq!(model.training.log.loss.len(), 20);
        assert!(model.provenance.tool.ends_with(" (in the browser)"));
        assert_eq!(
            model.provenance.protocol,
            "network and feature scaling fitted on 10 rows (5 benign, 5 suspicious)"
        );
        Ok(())
    }
}
