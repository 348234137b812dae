//! One event's histogram score explained, field by field: the score is a sum of per-feature
//! surprises, so each field's share is exact and needs no sampling.
//!
//! In the terms of the supervised model's Shapley explanation ([`Explanation`]): the players
//! are the fields some feature reads, the baseline is "no surprise" (base score 0), and the
//! worth of a coalition of fields is the summed surprise, over its largest value, of the
//! features that read only fields of the coalition. That game is additive, so a field's
//! Shapley value is the share of every feature reading it alone, plus an equal part of each
//! feature reading it with others; the contributions add up to the score.

use super::{AnomalyModel, Estimator};
use crate::ingest::Field;
use crate::model::detect::Detect;
use crate::model::explain::{ignored, Contribution, Explanation, FeatureValue, Method};

impl AnomalyModel {
    /// Scores one event given as field values in the order of `self.spec.fields()` and explains
    /// its score by each field's share of the surprise (see the module's doc). `None` for an
    /// isolation forest, whose score is no sum over features.
    pub fn explain(&self, values: &[f64]) -> Option<Explanation> {
        let Estimator::Histogram(histograms) = &self.estimator else {
            return None;
        };
        let fields = self.spec.fields();
        let mut event = vec![0f32; self.spec.len()];
        self.spec.row(values, &mut event);
        let score = histograms.score(&event);
        let most = histograms.most();
        // Each feature's share of the score, and the fields it reads.
        let shares: Vec<(f64, Vec<Field>)> = self
            .spec
            .features
            .iter()
            .zip(&event)
            .enumerate()
            .map(|(f, (feature, &value))| {
                let share = match most > 0.0 {
                    true => histograms.term(f, value) / most,
                    false => 0.0,
                };
                (share, feature.transform.fields())
            })
            .collect();
        let mut read: Vec<Field> = Vec::new();
        let contributions = fields
            .iter()
            .enumerate()
            .filter(|(_, field)| shares.iter().any(|(_, reads)| reads.contains(field)))
            .map(|(k, &field)| {
                read.push(field);
                let mut features = Vec::new();
                let mut contribution = 0.0;
                for ((share, reads), (feature, &value)) in
                    shares.iter().zip(self.spec.features.iter().zip(&event))
                {
                    if reads.contains(&field) {
                        contribution += share / reads.len() as f64;
                        features.push(FeatureValue {
                            name: feature.name.clone(),
                            value,
                            baseline: feature.baseline,
                        });
                    }
                }
                Contribution {
                    field: field.column().to_string(),
                    // As `FeatureSpec::row` reads it: a missing value is 0.
                    value: values.get(k).copied().unwrap_or(0.0),
                    features,
                    contribution,
                }
            })
            .collect();
        Some(Explanation {
            score,
            suspicious: self.is_suspicious(score),
            base_score: 0.0,
            method: Method::Additive,
            evaluations: 1,
            contributions,
            ignored: ignored(&read),
            // Fitted without labels: no training row says anything of an input's class.
            precedent: None,
        })
    }
}
