//! A trained detector and how it scores events.

use super::file::{Baseline, Provenance, SeedStudy, Training};
use super::mlp::{Mlp, Scratch};
use super::rows::{split_rows, threads_for};
use crate::evaluation::Evaluation;
use crate::features::{Batch, FeatureSpec};
use crate::ingest::{Events, Field, Labels, Schema};
use std::ops::Range;

/// A trained detector: the feature spec that turns events into inputs, the network that scores them
/// and the threshold that decides, with the record of how it was made. Read and written as a model
/// file ([`Model::from_json`], [`Model::to_json`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// How an event's fields become the network's inputs.
    pub spec: FeatureSpec,
    /// The network: the spec's features in, one score in [0, 1] out.
    pub mlp: Mlp,
    /// Scores at or above this are suspicious.
    pub threshold: f32,
    /// How the network was trained and its threshold chosen.
    pub training: Training,
    /// The tool, command and data that made the model.
    pub provenance: Provenance,
    /// Results on held-out test rows, for the report page.
    pub evaluation: Option<Evaluation>,
    /// Another recipe trained on the same rows, shown beside this one.
    pub baseline: Option<Baseline>,
    /// Both recipes retrained with other seeds.
    pub seed_study: Option<SeedStudy>,
}

/// Reusable buffers for scoring events in chunks without allocating per event, one set for
/// each thread scoring.
#[derive(Clone, Debug, Default)]
pub struct Scorer {
    parts: Vec<Part>,
}

/// The buffers of one thread of a [`Scorer`].
#[derive(Clone, Debug, Default)]
struct Part {
    features: Vec<f32>,
    scratch: Scratch,
}

/// Rows scored per forward pass: large enough to amortise loop overhead, small enough for cache.
const CHUNK: usize = 1024;

/// The largest activation a scored row may reach: 34 times below `f32::MAX`, a margin that
/// covers the rounding of sums of up to 4096 terms.
const SAFE_ACTIVATION: f64 = 1e37;

/// Whether every feature is a number no larger than `limit` in magnitude.
pub(super) fn within(features: &[f32], limit: f32) -> bool {
    features.iter().all(|x| x.abs() <= limit)
}

impl Model {
    /// What a file must contain for this model.
    pub fn schema(&self, labels: Labels) -> Schema {
        self.spec.schema(labels)
    }

    /// The largest |feature| for which no activation or partial sum of the network can pass
    /// 1e37 (`SAFE_ACTIVATION`), from the bound |out| <= max |bias| + max_j sum_i |w_ij| * |in| of
    /// each layer; negative when even all-zero features are unsafe. Beyond it an activation can
    /// overflow to infinity, and infinity minus infinity is a NaN that ReLU turns into a silent
    /// 0: rows with a larger feature are scored NaN (suspicious) instead.
    pub fn input_limit(&self) -> f32 {
        // Every activation so far is at most gain * m + offset for features within ±m.
        let (mut gain, mut offset, mut limit) = (1f64, 0f64, f64::INFINITY);
        for layer in &self.mlp.layers {
            let bias = layer
                .bias
                .iter()
                .fold(0f64, |m, b| m.max(f64::from(b.abs())));
            // Each output's sum of |weights|, row by row: the weights lie row-major, and each
            // sum still adds its terms in input order.
            let mut sums = vec![0f64; layer.outputs()];
            for row in layer.weights.rows() {
                for (sum, w) in sums.iter_mut().zip(row) {
                    *sum += f64::from(w.abs());
                }
            }
            let weight = sums.into_iter().fold(0f64, f64::max);
            gain *= weight;
            offset = weight * offset + bias;
            if offset > SAFE_ACTIVATION {
                return -1.0;
            }
            if gain > 0.0 {
                limit = limit.min((SAFE_ACTIVATION - offset) / gain);
            }
        }
        limit as f32
    }

    /// The verdict on `score`: suspicious when at or above the threshold, and when NaN, so that a
    /// broken score never passes as benign.
    pub fn is_suspicious(&self, score: f32) -> bool {
        // NaN compares false: treat it as suspicious, never silently benign.
        score >= self.threshold || score.is_nan()
    }

    /// Scores every row of `events`, appending to `out`. Errs with the first field the events lack.
    /// Many rows are scored on several threads (natively), each taking a contiguous run of
    /// them: the same scores as on one.
    pub fn score_into(
        &self,
        events: &Events,
        scorer: &mut Scorer,
        out: &mut Vec<f32>,
    ) -> Result<(), Field> {
        let batch = self.spec.batch(events)?;
        let rows = events.len();
        self.score_on(threads_for(rows), &batch, rows, scorer, out);
        Ok(())
    }

    /// [`Model::score_into`] on `threads` threads, given the events' features as a batch and
    /// how many rows they have.
    fn score_on(
        &self,
        threads: usize,
        batch: &Batch<'_>,
        rows: usize,
        scorer: &mut Scorer,
        out: &mut Vec<f32>,
    ) {
        let limit = self.input_limit();
        let threads = threads.max(1);
        if scorer.parts.len() < threads {
            scorer.parts.resize_with(threads, Part::default);
        }
        let done = out.len();
        out.resize(done + rows * self.mlp.outputs(), 0.0);
        split_rows(
            &mut out[done..],
            self.mlp.outputs(),
            &mut scorer.parts[..threads],
            |part, rows, out| self.score_rows(batch, rows, limit, part, out),
        );
    }

    /// Scores `rows` of the events whose features are `batch` into `out`, in chunks: features,
    /// scores, then NaN for the rows with a feature beyond `limit`.
    fn score_rows(
        &self,
        batch: &Batch<'_>,
        rows: Range<usize>,
        limit: f32,
        part: &mut Part,
        out: &mut [f32],
    ) {
        let width = self.spec.len();
        let outputs = self.mlp.outputs();
        for start in rows.clone().step_by(CHUNK) {
            let n = CHUNK.min(rows.end - start);
            part.features.resize(n * width, 0.0);
            for r in 0..n {
                batch.row(start + r, &mut part.features[r * width..(r + 1) * width]);
            }
            let first = (start - rows.start) * outputs;
            let out = &mut out[first..first + n * outputs];
            self.mlp.score(&part.features, out, &mut part.scratch);
            for (score, row) in out.iter_mut().zip(part.features.chunks_exact(width)) {
                if !within(row, limit) {
                    *score = f32::NAN;
                }
            }
        }
    }

    /// The score in [0, 1] of every row of `events`, in row order, NaN for rows with a feature
    /// beyond [`Model::input_limit`]. Errs with the first field the model needs that the events
    /// lack.
    pub fn score(&self, events: &Events) -> Result<Vec<f32>, Field> {
        let mut out = Vec::with_capacity(events.len());
        self.score_into(events, &mut Scorer::default(), &mut out)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_events;

    /// Threads each score a contiguous run of rows: the same bits as one thread, NaN rows
    /// included, and appended after what `out` held.
    #[test]
    fn threads_give_the_same_scores() {
        let mut model = Model::from_json(include_str!("../../data/model.json")).expect("the model");
        // Larger first-layer weights bring the input limit down to about 100, so that rows
        // with a huge argsNum are scored NaN.
        let scale = model.input_limit() / 100.0;
        model.mlp.layers[0].weights.mapv_inplace(|w| w * scale);
        let sample = read_events(
            &include_bytes!("../../data/sample.csv")[..],
            "sample.csv",
            &model.schema(Labels::Optional),
        )
        .expect("the sample");
        let rows: Vec<usize> = (0..5_000).map(|i| (i * 7) % sample.len()).collect();
        let mut events = sample.select(&rows);
        let args = events.fields.iter().position(|&f| f == Field::ArgsNum);
        for i in [0, 1_234, 2_500, 4_999] {
            events.values[args.expect("argsNum")][i] = 1e30;
        }
        let batch = model.spec.batch(&events).expect("the fields");
        let bits = |scores: &[f32]| scores.iter().map(|s| s.to_bits()).collect::<Vec<_>>();
        let mut one = vec![0.5];
        model.score_on(1, &batch, rows.len(), &mut Scorer::default(), &mut one);
        assert_eq!(one.len(), 1 + rows.len());
        assert_eq!(one.iter().filter(|s| s.is_nan()).count(), 4);
        let mut scorer = Scorer::default();
        for threads in [2, 3, 1, 4] {
            let mut many = vec![0.5];
            model.score_on(threads, &batch, rows.len(), &mut scorer, &mut many);
            assert_eq!(bits(&many), bits(&one), "{threads} threads");
        }
        assert_eq!(
            bits(&model.score(&events).expect("fields")),
            bits(&one[1..])
        );
    }
}
