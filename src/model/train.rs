//! Mini-batch training with class-balanced sampling, SGD or Adam, and a stopping rule.
//!
//! [`Trainer`] advances one step at a time so a caller (the CLI's progress bar, the browser's
//! worker) can report progress and cancel between steps.

use super::gradient::{bce, Backprop, Gradients};
use super::mlp::Mlp;
use crate::rng::Rng;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How a gradient step updates the weights; in the model file, `"sgd"` or `"adam"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Optimizer {
    /// Plain gradient descent: each weight and bias moves by minus the learning rate times its
    /// gradient.
    Sgd,
    /// Adam (Kingma and Ba): steps scaled by running averages of the gradient and its square.
    Adam,
}

/// Everything that decides a training run; stored in the model file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Hidden layer widths; the input width comes from the features, the output is 1.
    pub hidden: Vec<usize>,
    /// How each step updates the weights.
    pub optimizer: Optimizer,
    /// Step size; finite and positive.
    pub learning_rate: f32,
    /// Rows drawn for each gradient step; at least 1.
    pub batch_size: usize,
    /// Upper bound on gradient steps.
    pub max_steps: usize,
    /// Draw each batch half from each class (with replacement), as the reference recipe does.
    pub balanced: bool,
    /// L2 penalty on weights.
    pub weight_decay: f32,
    /// Stopping rule: every `check_every` steps the monitored loss (validation loss when a
    /// validation set is given, else the mean training loss of the last `check_every` steps)
    /// is compared with the best so far; after `patience` checks without a relative improvement
    /// of `min_improvement`, training stops and the best weights are kept. 0 disables it.
    pub patience: usize,
    /// Steps between two checks of the stopping rule.
    pub check_every: usize,
    /// Relative drop of the monitored loss that counts as an improvement at a check, e.g. 1e-3 for
    /// 0.1 %.
    pub min_improvement: f32,
    /// Keep the score non-decreasing in the inputs marked monotone, by keeping their
    /// first-layer weights and every later layer's weights non-negative (projected after each
    /// step). With ReLU and sigmoid, both increasing, every path from such an input then has a
    /// non-negative slope.
    #[serde(default)]
    pub monotone: bool,
    /// Seeds the initial weights and the batches drawn: the same config and data give the same
    /// bits.
    pub seed: u64,
}

impl TrainConfig {
    /// The reference recipe: balanced batches of 4096, SGD at lr 0.01, exactly 30 steps.
    pub fn reference() -> TrainConfig {
        TrainConfig {
            hidden: vec![64, 32, 16],
            optimizer: Optimizer::Sgd,
            learning_rate: 0.01,
            batch_size: 4096,
            max_steps: 30,
            balanced: true,
            weight_decay: 0.0,
            patience: 0,
            check_every: 10,
            min_improvement: 0.0,
            monotone: false,
            seed: 42,
        }
    }

    /// The project's recipe: same architecture, Adam, weight decay and early stopping.
    pub fn default_recipe() -> TrainConfig {
        TrainConfig {
            hidden: vec![64, 32, 16],
            optimizer: Optimizer::Adam,
            learning_rate: 0.003,
            batch_size: 512,
            max_steps: 600,
            balanced: true,
            weight_decay: 1e-3,
            patience: 5,
            check_every: 20,
            min_improvement: 1e-3,
            monotone: true,
            seed: 42,
        }
    }
}

/// Why a training run cannot start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrainError {
    /// Training needs both classes.
    SingleClass {
        /// The one label every row has: 0 (benign) or 1 (suspicious).
        class: u8,
        /// Number of training rows.
        rows: usize,
    },
    /// Feature matrix and labels disagree, or there is nothing to train on.
    Shape {
        /// Rows of the feature matrix.
        rows: usize,
        /// Number of labels.
        labels: usize,
    },
    /// A setting is out of range.
    Config(String),
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::SingleClass { class, rows } => write!(
                f,
                "all {rows} training rows have sus={class}; training needs both benign (0) and suspicious (1) rows"
            ),
            TrainError::Shape { rows, labels } => {
                write!(f, "expected one label per row, found {rows} rows and {labels} labels")
            }
            TrainError::Config(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for TrainError {}

/// Loss per step and what stopped the run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainLog {
    /// Training loss of every step's batch.
    pub loss: Vec<f32>,
    /// (step, loss) at each check of the validation set, when one was given.
    pub validation_loss: Vec<(usize, f32)>,
    /// The step whose weights were kept.
    pub best_step: usize,
    /// What stopped the run, in words (e.g. `"reached the step limit (30)"`).
    pub stopped: String,
}

/// Labelled rows: a feature matrix and its 0/1 labels.
pub struct Labelled {
    /// Rows × features.
    pub x: Array2<f32>,
    /// One label per row: 1 for suspicious, anything else for benign.
    pub y: Vec<u8>,
}

struct AdamState {
    m: Gradients,
    v: Gradients,
    t: i32,
}

/// A training run in progress: the network, the optimiser's state and the log. [`Trainer::step`]
/// advances it one gradient step; [`Trainer::run`] or [`Trainer::finish`] give the kept network and
/// the log.
pub struct Trainer {
    config: TrainConfig,
    data: Labelled,
    validation: Option<Labelled>,
    positives: Vec<usize>,
    negatives: Vec<usize>,
    rng: Rng,
    mlp: Mlp,
    best: Option<(f32, usize, Mlp)>,
    stale: usize,
    grads: Gradients,
    adam: Option<AdamState>,
    backprop: Backprop,
    batch_x: Vec<f32>,
    batch_y: Vec<f32>,
    batch_w: Vec<f32>,
    class_weight: [f32; 2],
    log: TrainLog,
    done: bool,
    monotone_inputs: Vec<usize>,
}

impl Trainer {
    /// Starts a run of `config` on `data`, with `validation` rows for the stopping rule if given: a
    /// He-initialised network of the features' width, `config.hidden` and one output. Errs when
    /// there are no rows or the labels do not match them, when a setting is out of range, and when
    /// the rows are all of one class.
    pub fn new(
        config: TrainConfig,
        data: Labelled,
        validation: Option<Labelled>,
    ) -> Result<Trainer, TrainError> {
        if data.x.nrows() != data.y.len() || data.y.is_empty() {
            return Err(TrainError::Shape {
                rows: data.x.nrows(),
                labels: data.y.len(),
            });
        }
        if config.batch_size == 0 || config.max_steps == 0 || config.hidden.contains(&0) {
            return Err(TrainError::Config(
                "batch size, steps and layer widths must all be at least 1".into(),
            ));
        }
        if !(config.learning_rate.is_finite() && config.learning_rate > 0.0) {
            return Err(TrainError::Config(
                "the learning rate must be a positive number".into(),
            ));
        }
        let positives: Vec<usize> = (0..data.y.len()).filter(|&i| data.y[i] == 1).collect();
        let negatives: Vec<usize> = (0..data.y.len()).filter(|&i| data.y[i] != 1).collect();
        if positives.is_empty() || negatives.is_empty() {
            return Err(TrainError::SingleClass {
                class: u8::from(negatives.is_empty()),
                rows: data.y.len(),
            });
        }
        let mut rng = Rng::new(config.seed);
        let mut sizes = vec![data.x.ncols()];
        sizes.extend(&config.hidden);
        sizes.push(1);
        let mlp = Mlp::new(&sizes, &mut rng);
        let grads = Gradients::zeros_like(&mlp);
        let adam = (config.optimizer == Optimizer::Adam).then(|| AdamState {
            m: Gradients::zeros_like(&mlp),
            v: Gradients::zeros_like(&mlp),
            t: 0,
        });
        // With unbalanced sampling, weight classes so each counts equally in the loss.
        let n = data.y.len() as f32;
        let class_weight = if config.balanced {
            [1.0, 1.0]
        } else {
            [
                n / (2.0 * negatives.len() as f32),
                n / (2.0 * positives.len() as f32),
            ]
        };
        Ok(Trainer {
            config,
            data,
            validation,
            positives,
            negatives,
            rng,
            mlp,
            best: None,
            stale: 0,
            grads,
            adam,
            backprop: Backprop::default(),
            batch_x: Vec::new(),
            batch_y: Vec::new(),
            batch_w: Vec::new(),
            class_weight,
            log: TrainLog::default(),
            done: false,
            monotone_inputs: Vec::new(),
        })
    }

    /// Makes the network monotone in `inputs` (when the config asks for it): the constrained
    /// weights start at the absolute value of their random draw and stay non-negative.
    pub fn constrain_monotone(&mut self, inputs: &[usize]) {
        if !self.config.monotone {
            return;
        }
        self.monotone_inputs = inputs.to_vec();
        self.project(f32::abs);
    }

    /// Applies `f` to every weight under the monotonicity constraint.
    fn project(&mut self, f: fn(f32) -> f32) {
        for (l, layer) in self.mlp.layers.iter_mut().enumerate() {
            if l == 0 {
                for &i in &self.monotone_inputs {
                    layer.weights.row_mut(i).mapv_inplace(f);
                }
            } else {
                layer.weights.mapv_inplace(f);
            }
        }
    }

    /// Gradient steps taken so far.
    pub fn steps_done(&self) -> usize {
        self.log.loss.len()
    }

    /// The step limit of the run ([`TrainConfig::max_steps`]).
    pub fn max_steps(&self) -> usize {
        self.config.max_steps
    }

    /// Whether the run has stopped (step limit or stopping rule): [`Trainer::step`] then returns
    /// `None`.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The log so far.
    pub fn log(&self) -> &TrainLog {
        &self.log
    }

    /// The network as it stands (before the first step: the start of the run).
    pub fn network(&self) -> &Mlp {
        &self.mlp
    }

    /// One gradient step. Returns the batch loss, or `None` once training has stopped.
    pub fn step(&mut self) -> Option<f32> {
        if self.done {
            return None;
        }
        self.sample_batch();
        let loss = self.backprop.loss_and_gradients(
            &self.mlp,
            &self.batch_x,
            &self.batch_y,
            &self.batch_w,
            self.config.weight_decay,
            &mut self.grads,
        );
        self.apply_gradients();
        if !self.monotone_inputs.is_empty() {
            self.project(|w| w.max(0.0));
        }
        self.log.loss.push(loss);
        let step = self.log.loss.len();
        if self.config.patience > 0 && step.is_multiple_of(self.config.check_every.max(1)) {
            self.check_stopping(step);
        }
        if step >= self.config.max_steps && !self.done {
            self.done = true;
            self.log.stopped = format!("reached the step limit ({step})");
        }
        Some(loss)
    }

    /// Runs to the end and returns the kept network and the log.
    pub fn run(mut self) -> (Mlp, TrainLog) {
        while self.step().is_some() {}
        self.finish()
    }

    /// The kept network (the best checked one when the stopping rule is on) and the log.
    pub fn finish(mut self) -> (Mlp, TrainLog) {
        match self.best.take() {
            Some((_, step, mlp)) => {
                self.log.best_step = step;
                (mlp, self.log)
            }
            None => {
                self.log.best_step = self.log.loss.len();
                (self.mlp, self.log)
            }
        }
    }

    fn sample_batch(&mut self) {
        let width = self.data.x.ncols();
        let size = self.config.batch_size;
        self.batch_x.clear();
        self.batch_y.clear();
        self.batch_w.clear();
        for k in 0..size {
            let row = if self.config.balanced {
                let pool = if k % 2 == 0 {
                    &self.positives
                } else {
                    &self.negatives
                };
                pool[self.rng.below(pool.len())]
            } else {
                self.rng.below(self.data.y.len())
            };
            let label = self.data.y[row];
            self.batch_x.extend(self.data.x.row(row).iter());
            self.batch_y.push(f32::from(label));
            self.batch_w
                .push(self.class_weight[usize::from(label == 1)]);
        }
        debug_assert_eq!(self.batch_x.len(), size * width);
    }

    fn apply_gradients(&mut self) {
        let lr = self.config.learning_rate;
        match &mut self.adam {
            None => {
                for (l, layer) in self.mlp.layers.iter_mut().enumerate() {
                    layer.weights.scaled_add(-lr, &self.grads.weights[l]);
                    layer.bias.scaled_add(-lr, &self.grads.bias[l]);
                }
            }
            Some(state) => {
                const B1: f32 = 0.9;
                const B2: f32 = 0.999;
                const EPS: f32 = 1e-8;
                state.t += 1;
                let c1 = 1.0 - B1.powi(state.t);
                let c2 = 1.0 - B2.powi(state.t);
                let update = |p: &mut f32, g: f32, m: &mut f32, v: &mut f32| {
                    *m = B1 * *m + (1.0 - B1) * g;
                    *v = B2 * *v + (1.0 - B2) * g * g;
                    *p -= lr * (*m / c1) / ((*v / c2).sqrt() + EPS);
                };
                for (l, layer) in self.mlp.layers.iter_mut().enumerate() {
                    ndarray::Zip::from(&mut layer.weights)
                        .and(&self.grads.weights[l])
                        .and(&mut state.m.weights[l])
                        .and(&mut state.v.weights[l])
                        .for_each(|p, &g, m, v| update(p, g, m, v));
                    ndarray::Zip::from(&mut layer.bias)
                        .and(&self.grads.bias[l])
                        .and(&mut state.m.bias[l])
                        .and(&mut state.v.bias[l])
                        .for_each(|p, &g, m, v| update(p, g, m, v));
                }
            }
        }
    }

    fn check_stopping(&mut self, step: usize) {
        let monitored = match &self.validation {
            Some(v) => {
                let loss = balanced_loss(&self.mlp, v);
                self.log.validation_loss.push((step, loss));
                loss
            }
            None => {
                let window = self.config.check_every.max(1);
                let recent = &self.log.loss[self.log.loss.len() - window..];
                recent.iter().sum::<f32>() / window as f32
            }
        };
        let improved = match &self.best {
            None => true,
            Some((best, _, _)) => monitored < best * (1.0 - self.config.min_improvement),
        };
        if improved {
            self.best = Some((monitored, step, self.mlp.clone()));
            self.stale = 0;
        } else {
            self.stale += 1;
            if self.stale >= self.config.patience {
                self.done = true;
                let best_step = self.best.as_ref().map_or(step, |b| b.1);
                self.log.stopped = format!(
                    "stopped at step {step}: no improvement for {} checks; kept step {best_step}",
                    self.stale
                );
            }
        }
    }
}

/// Mean of the per-class mean cross-entropies, so both classes count equally.
pub fn balanced_loss(mlp: &Mlp, data: &Labelled) -> f32 {
    let scores = mlp.predict(&data.x);
    let mut sum = [0f64; 2];
    let mut count = [0usize; 2];
    for (&p, &y) in scores.iter().zip(&data.y) {
        let c = usize::from(y == 1);
        sum[c] += bce(p, f32::from(y)) as f64;
        count[c] += 1;
    }
    let means: Vec<f64> = (0..2)
        .filter(|&c| count[c] > 0)
        .map(|c| sum[c] / count[c] as f64)
        .collect();
    (means.iter().sum::<f64>() / means.len().max(1) as f64) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two separable blobs: a few hundred steps must fit them.
    fn blobs(n: usize, seed: u64) -> Labelled {
        let mut rng = Rng::new(seed);
        let mut x = Array2::zeros((n, 2));
        let mut y = Vec::with_capacity(n);
        for i in 0..n {
            let label = u8::from(i % 5 == 0);
            let centre = if label == 1 { 1.5 } else { -1.5 };
            x[[i, 0]] = (centre + rng.normal() * 0.5) as f32;
            x[[i, 1]] = rng.normal() as f32;
            y.push(label);
        }
        Labelled { x, y }
    }

    #[test]
    fn adam_learns_separable_blobs() {
        let config = TrainConfig {
            hidden: vec![8],
            max_steps: 200,
            batch_size: 64,
            ..TrainConfig::default_recipe()
        };
        let (mlp, log) = Trainer::new(config, blobs(500, 1), None)
            .expect("valid")
            .run();
        let test = blobs(500, 2);
        let scores = mlp.predict(&test.x);
        let correct = scores
            .iter()
            .zip(&test.y)
            .filter(|(&s, &y)| (s >= 0.5) == (y == 1))
            .count();
        assert!(correct >= 490, "{correct}/500 correct");
        assert!(
            log.loss[log.loss.len() - 1] < log.loss[0] / 3.0,
            "{:?}",
            &log.loss[..3]
        );
    }

    #[test]
    fn reference_recipe_takes_exactly_thirty_steps() {
        let (_, log) = Trainer::new(TrainConfig::reference(), blobs(100, 3), None)
            .expect("valid")
            .run();
        assert_eq!(log.loss.len(), 30);
        assert_eq!(log.best_step, 30);
    }

    #[test]
    fn training_is_reproducible_for_a_seed() {
        let config = TrainConfig {
            max_steps: 20,
            ..TrainConfig::default_recipe()
        };
        let a = Trainer::new(config.clone(), blobs(100, 4), None)
            .expect("valid")
            .run();
        let b = Trainer::new(config, blobs(100, 4), None)
            .expect("valid")
            .run();
        assert_eq!(a.0, b.0);
        assert_eq!(a.1, b.1);
    }

    #[test]
    fn stopping_rule_keeps_the_best_validation_step() {
        let config = TrainConfig {
            hidden: vec![8],
            max_steps: 5000,
            batch_size: 32,
            patience: 3,
            check_every: 10,
            ..TrainConfig::default_recipe()
        };
        let (_, log) = Trainer::new(config, blobs(200, 5), Some(blobs(200, 6)))
            .expect("valid")
            .run();
        assert!(log.loss.len() < 5000, "stopped early: {}", log.stopped);
        let best = log
            .validation_loss
            .iter()
            .map(|&(_, l)| l)
            .fold(f32::INFINITY, f32::min);
        let kept = log
            .validation_loss
            .iter()
            .find(|&&(s, _)| s == log.best_step)
            .map(|&(_, l)| l);
        assert_eq!(kept, Some(best));
    }

    #[test]
    fn single_class_data_is_refused() {
        let mut data = blobs(10, 7);
        data.y.iter_mut().for_each(|y| *y = 0);
        assert_eq!(
            Trainer::new(TrainConfig::reference(), data, None).err(),
            Some(TrainError::SingleClass { class: 0, rows: 10 })
        );
    }

    #[test]
    fn monotone_inputs_never_lower_the_score() {
        // Label = x0 AND x1: monotone in both. After training, raising either input from 0 to
        // 1 must not lower any score, wherever the other input sits.
        let mut x = Array2::zeros((400, 2));
        let mut y = Vec::new();
        let mut rng = Rng::new(9);
        for i in 0..400 {
            let (a, b) = (rng.below(2) as f32, rng.below(2) as f32);
            x[[i, 0]] = a;
            x[[i, 1]] = b;
            y.push(u8::from(a == 1.0 && b == 1.0));
        }
        let mut trainer = Trainer::new(
            TrainConfig {
                max_steps: 100,
                ..TrainConfig::default_recipe()
            },
            Labelled { x, y },
            None,
        )
        .expect("valid");
        trainer.constrain_monotone(&[0, 1]);
        let (mlp, _) = trainer.run();
        for layer in &mlp.layers[1..] {
            assert!(layer.weights.iter().all(|&w| w >= 0.0));
        }
        let grid =
            Array2::from_shape_vec((4, 2), vec![0., 0., 1., 0., 0., 1., 1., 1.]).expect("4x2");
        let s = mlp.predict(&grid);
        assert!(
            s[1] >= s[0] && s[2] >= s[0] && s[3] >= s[1] && s[3] >= s[2],
            "{s:?}"
        );
        assert!(s[3] > 0.5 && s[0] < 0.5, "{s:?}");
    }
}
