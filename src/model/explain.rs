//! One event's score explained: exact Shapley values over the fields the model reads.
//!
//! **Players.** The players are the event's fields that some feature reads (processId,
//! userId…), not the features: a field feeding two features (userId → userId and userId² in
//! the reference set, returnValue → "call failed" and "call returned > 0" in the binarised one)
//! is one player, so each contribution belongs to one value the analyst typed. A model reads at
//! most the 8 numeric BETH fields ([`Field::ALL`]), so there are at most 8 players and 256
//! coalitions, however many features the model has.
//!
//! **Game.** The baseline event has every feature at its training mean
//! ([`crate::features::Feature::baseline`]); its score is the *base score*. The worth `v(S)` of
//! a coalition `S` of fields is the score of the event whose features that read only fields of
//! `S` take the event's values and all others their training means: a feature of two fields
//! (userId×processId) moves only when both are known, and Shapley splits what it adds between
//! them. `v(∅)` is the base score and `v(all)` the event's score, so the contributions add up to
//! score − base score.
//!
//! **Work.** Every coalition's features go through the network in one batch, and the values are
//! combined with exact weights in f64. When that batch would cost more than [`BUDGET`]
//! multiply-adds (a network of millions of weights), the values are estimated instead from a
//! fixed-seed sample of orderings of the fields (every second one the reverse of the one
//! before) that fits the budget. The estimate still adds up to score − base score exactly, and
//! the result says so ([`Method::Sampled`]).

use super::detector::within;
use super::precedent::Said;
use super::shapley::{everyone, exact, Coalition, Orderings, MAX_PLAYERS};
use super::{Model, Scratch};
use crate::ingest::Field;
use serde::{Deserialize, Serialize};

/// Most multiply-adds of the network one explanation may spend: 2^25, about 34 million (tens
/// of milliseconds in the page's wasm). The shipped model's 32 coalitions take 95 thousand; a
/// network of a million weights still scores all 32 coalitions of 5 fields, one of 4 million
/// weights gets 8 rows: one ordering of the fields.
pub const BUDGET: usize = 1 << 25;

/// The seed of the orderings a sampled explanation draws: the same event always gets the same
/// explanation.
const SEED: u64 = 0x5348_4150;

/// The columns of a BETH event that are no field: no model reads them.
const TEXT_COLUMNS: [&str; 4] = ["timestamp", "hostName", "stackAddresses", "args"];

// Every field can be a player.
const _: () = assert!(Field::COUNT <= MAX_PLAYERS);

/// How the contributions were computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// From the score of every coalition of fields: exact Shapley values.
    Exact,
    /// Averaged over a seeded sample of orderings of the fields, because scoring every
    /// coalition would exceed [`BUDGET`]: an estimate that still adds up exactly.
    Sampled,
    /// From one scoring of a score that is a sum over features (an anomaly histogram's): each
    /// field's share is its features' terms, the exact Shapley value of that additive game.
    Additive,
}

/// One feature of the event: its value and its training mean, side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureValue {
    /// The feature's name.
    pub name: String,
    /// The feature's value for the event (transformed: a z-score, a flag…).
    pub value: f32,
    /// The feature's mean on the training rows: its value in the baseline event.
    pub baseline: f32,
}

/// How much one field of the event moved its score: its Shapley value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The field's BETH column name.
    pub field: String,
    /// The value given for it, before any transform.
    pub value: f64,
    /// The features computed from it (a feature of two fields is listed under both).
    pub features: Vec<FeatureValue>,
    /// Its Shapley value: the contributions of all fields add up to score − base score.
    pub contribution: f64,
}

/// One event's score, its verdict and how much each field moved the score away from the base
/// score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The event's score in [0, 1]; NaN when a feature was too large to score safely.
    pub score: f32,
    /// Whether the score is at or above the threshold (or NaN).
    pub suspicious: bool,
    /// The score of the baseline event, every feature at its training mean.
    pub base_score: f32,
    /// Exact, or sampled for a network too large to score every coalition.
    pub method: Method,
    /// How many rows went through the network.
    pub evaluations: usize,
    /// One per field some feature reads, in the order of [`crate::features::FeatureSpec::fields`];
    /// NaN when the event's or the base score is.
    pub contributions: Vec<Contribution>,
    /// The event's columns the model never reads, its own fields first.
    pub ignored: Vec<String>,
    /// What the training rows with exactly this event's inputs were labelled; `None` for a
    /// model file that does not keep them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precedent: Option<Said>,
}

impl Model {
    /// Scores one event given as field values in the order of `self.spec.fields()`, and
    /// explains the score by the Shapley value of each field (see the module's doc), within
    /// [`BUDGET`].
    pub fn explain(&self, values: &[f64]) -> Explanation {
        self.explain_within(values, BUDGET)
    }

    /// At most how many multiply-adds of the network [`Model::explain`] spends on one event:
    /// a face uses it to decide where an explanation may run without blocking.
    pub fn explanation_work(&self) -> u64 {
        let n = self.players(&self.spec.fields()).len();
        let rows = match plan(n, self.pass_cost(), BUDGET) {
            Plan::Exact => 1u64 << n,
            // ∅, everyone and each ordering's n - 1 proper non-empty prefixes, at most.
            Plan::Sampled { count } => {
                2 + (count as u64).saturating_mul((n as u64).saturating_sub(1))
            }
        };
        rows.saturating_mul(self.pass_cost() as u64)
    }

    /// The players: the fields some feature reads, as indices into `fields`.
    fn players(&self, fields: &[Field]) -> Vec<usize> {
        (0..fields.len())
            .filter(|&k| {
                self.spec
                    .features
                    .iter()
                    .any(|f| f.transform.fields().contains(&fields[k]))
            })
            .collect()
    }

    /// Multiply-adds of one pass of the network over one row.
    fn pass_cost(&self) -> usize {
        self.mlp.layers.iter().map(|l| l.weights.len()).sum()
    }

    /// [`Model::explain`] spending at most `budget` multiply-adds of the network (or one
    /// ordering of the fields, if that costs more).
    fn explain_within(&self, values: &[f64], budget: usize) -> Explanation {
        let fields = self.spec.fields();
        let players = self.players(&fields);
        let n = players.len();
        // Which players each feature reads.
        let reads: Vec<Coalition> = self
            .spec
            .features
            .iter()
            .map(|f| {
                let read = f.transform.fields();
                players
                    .iter()
                    .enumerate()
                    .filter(|&(_, &k)| read.contains(&fields[k]))
                    .fold(0, |s, (i, _)| s | 1 << i)
            })
            .collect();
        let width = self.spec.len();
        let mut event = vec![0f32; width];
        self.spec.row(values, &mut event);

        let (method, coalitions, orderings) = match plan(n, self.pass_cost(), budget) {
            Plan::Exact => (Method::Exact, (0..1 << n).collect(), None),
            Plan::Sampled { count } => {
                let orderings = Orderings::new(n, count, SEED);
                (Method::Sampled, orderings.coalitions(), Some(orderings))
            }
        };

        // Every coalition's features in one batch, then one pass of the network.
        let mut batch = Vec::with_capacity(coalitions.len() * width);
        for &s in &coalitions {
            batch.extend(self.spec.features.iter().zip(&event).zip(&reads).map(
                |((feature, &value), &read)| {
                    if read & !s == 0 {
                        value
                    } else {
                        feature.baseline
                    }
                },
            ));
        }
        let mut out = vec![0f32; coalitions.len()];
        self.mlp.score(&batch, &mut out, &mut Scratch::default());
        let limit = self.input_limit();
        let mut worth = vec![f64::NAN; 1 << n];
        let mut scores = [f32::NAN; 2];
        for ((&s, &score), row) in coalitions.iter().zip(&out).zip(batch.chunks_exact(width)) {
            let score = if within(row, limit) { score } else { f32::NAN };
            worth[s as usize] = f64::from(score);
            if s == 0 {
                scores[0] = score;
            }
            if s == everyone(n) {
                scores[1] = score;
            }
        }
        let [base_score, score] = scores;
        let shares = match &orderings {
            None => exact(n, &worth),
            Some(orderings) => orderings.shares(&worth),
        };

        let contributions = players
            .iter()
            .zip(shares)
            .enumerate()
            .map(|(i, (&k, contribution))| Contribution {
                field: fields[k].column().to_string(),
                // As `FeatureSpec::row` reads it: a missing value is 0.
                value: values.get(k).copied().unwrap_or(0.0),
                features: self
                    .spec
                    .features
                    .iter()
                    .zip(&event)
                    .zip(&reads)
                    .filter(|(_, &read)| read & (1 << i) != 0)
                    .map(|((feature, &value), _)| FeatureValue {
                        name: feature.name.clone(),
                        value,
                        baseline: feature.baseline,
                    })
                    .collect(),
                contribution,
            })
            .collect();
        let read: Vec<Field> = players.iter().map(|&k| fields[k]).collect();
        let ignored = ignored(&read);
        Explanation {
            score,
            suspicious: self.is_suspicious(score),
            base_score,
            method,
            evaluations: coalitions.len(),
            contributions,
            ignored,
            precedent: self.training.precedents.as_ref().map(|p| p.said(&event)),
        }
    }
}

/// The columns of a BETH event a model that reads `read` never reads: its own fields first.
pub(crate) fn ignored(read: &[Field]) -> Vec<String> {
    Field::ALL
        .into_iter()
        .chain(Field::TEXT)
        .filter(|f| !read.contains(f))
        .map(Field::column)
        .chain(TEXT_COLUMNS)
        .map(str::to_string)
        .collect()
}

/// How [`Model::explain`] values `n` players with a network pass of `cost` multiply-adds.
enum Plan {
    /// Every coalition: 2^n rows fit the budget.
    Exact,
    /// `count` seeded orderings of the players.
    Sampled { count: usize },
}

fn plan(n: usize, cost: usize, budget: usize) -> Plan {
    let rows = (budget / cost.max(1)).max(1);
    if 1usize << n <= rows {
        Plan::Exact
    } else {
        // Each ordering needs at most n - 1 coalitions besides ∅ and everyone.
        Plan::Sampled {
            count: (rows.saturating_sub(2) / n.saturating_sub(1).max(1)).max(1),
        }
    }
}

#[cfg(test)]
mod tests;
