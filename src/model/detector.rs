//! A trained detector and how it scores events.

use super::file::{Baseline, Provenance, SeedStudy, Training};
use super::mlp::{Activations, Mlp};
use crate::evaluation::Evaluation;
use crate::features::FeatureSpec;
use crate::ingest::{Events, Field, Labels, Schema};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub spec: FeatureSpec,
    pub mlp: Mlp,
    /// Scores at or above this are suspicious.
    pub threshold: f32,
    pub training: Training,
    pub provenance: Provenance,
    pub evaluation: Option<Evaluation>,
    pub baseline: Option<Baseline>,
    pub seed_study: Option<SeedStudy>,
}

/// How much one feature moved a single event's score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub feature: String,
    pub value: f32,
    pub baseline: f32,
    /// Score minus the score with this feature set to its baseline.
    pub contribution: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub score: f32,
    pub suspicious: bool,
    pub contributions: Vec<Contribution>,
}

/// Reusable buffers for scoring events in chunks without allocating per event.
#[derive(Clone, Debug, Default)]
pub struct Scorer {
    features: Vec<f32>,
    values: Vec<f64>,
    acts: Activations,
}

/// Rows scored per forward pass: large enough to amortise loop overhead, small enough for cache.
const CHUNK: usize = 1024;

impl Model {
    /// What a file must contain for this model.
    pub fn schema(&self, labels: Labels) -> Schema {
        Schema {
            fields: self.spec.fields(),
            labels,
        }
    }

    pub fn is_suspicious(&self, score: f32) -> bool {
        // NaN compares false: treat it as suspicious, never silently benign.
        score >= self.threshold || score.is_nan()
    }

    /// Scores every row of `events`, appending to `out`. Errs with the first field the events lack.
    pub fn score_into(
        &self,
        events: &Events,
        scorer: &mut Scorer,
        out: &mut Vec<f32>,
    ) -> Result<(), Field> {
        let fields = self.spec.fields();
        let columns: Vec<&[f64]> = fields
            .iter()
            .map(|&f| events.column(f).ok_or(f))
            .collect::<Result<_, _>>()?;
        let width = self.spec.len();
        let rows = events.len();
        scorer.values.resize(columns.len(), 0.0);
        for start in (0..rows).step_by(CHUNK) {
            let n = CHUNK.min(rows - start);
            scorer.features.resize(n * width, 0.0);
            for r in 0..n {
                for (v, column) in scorer.values.iter_mut().zip(&columns) {
                    *v = column[start + r];
                }
                self.spec.row(
                    &scorer.values,
                    &mut scorer.features[r * width..(r + 1) * width],
                );
            }
            out.extend_from_slice(self.mlp.forward(&scorer.features, n, &mut scorer.acts));
        }
        Ok(())
    }

    pub fn score(&self, events: &Events) -> Result<Vec<f32>, Field> {
        let mut out = Vec::with_capacity(events.len());
        self.score_into(events, &mut Scorer::default(), &mut out)?;
        Ok(out)
    }

    /// Scores one event given as field values in the order of `self.spec.fields()`, and
    /// measures each feature's contribution by replacing it with its training mean.
    pub fn explain(&self, values: &[f64]) -> Explanation {
        let width = self.spec.len();
        let mut x = vec![0f32; width];
        self.spec.row(values, &mut x);
        let mut acts = Activations::default();
        let score = self
            .mlp
            .forward(&x, 1, &mut acts)
            .first()
            .copied()
            .unwrap_or(f32::NAN);
        // All occluded variants in one batch: row k has feature k at its baseline.
        let mut batch = Vec::with_capacity(width * width);
        for k in 0..width {
            batch.extend_from_slice(&x);
            batch[k * width + k] = self.spec.features[k].baseline;
        }
        let occluded = self.mlp.forward(&batch, width, &mut acts);
        let contributions = self
            .spec
            .features
            .iter()
            .zip(&x)
            .zip(occluded)
            .map(|((feature, &value), &without)| Contribution {
                feature: feature.name.clone(),
                value,
                baseline: feature.baseline,
                contribution: score - without,
            })
            .collect();
        Explanation {
            score,
            suspicious: self.is_suspicious(score),
            contributions,
        }
    }
}
