//! The evaluation of a labelled file of any size, streamed: each chunk's scores, `sus` and `evil`
//! labels and host ids are kept (10 bytes a row) with a bounded random sample of the rows for
//! permutation importance, never the rows themselves. The page's worker and the CLI's `evaluate`
//! both use it.

use super::sample::Sample;
use crate::evaluation::{DataSummary, Evaluation};
use crate::ingest::{Events, HostIndex};
use crate::model::Detect;

/// Scored labelled rows gathered chunk by chunk, evaluated at the end.
pub struct Evaluator {
    scores: Vec<f32>,
    labels: Vec<u8>,
    hosts: Vec<u32>,
    host_names: Vec<String>,
    host_index: HostIndex,
    sample: Sample,
    /// `evil` labels while every chunk has them; `None` from the first chunk without.
    evil: Option<Vec<u8>>,
}

impl Evaluator {
    /// An empty evaluator for `model`'s features; its sample is seeded with the model's seed.
    pub fn new(model: &impl Detect) -> Evaluator {
        Evaluator {
            scores: Vec::new(),
            labels: Vec::new(),
            hosts: Vec::new(),
            host_names: Vec::new(),
            host_index: HostIndex::default(),
            sample: Sample::new(model.spec().fields(), model.seed()),
            evil: Some(Vec::new()),
        }
    }

    /// Adds a chunk of labelled `events` and their `scores` (one per row).
    pub fn add(&mut self, events: &Events, scores: &[f32]) {
        self.scores.extend_from_slice(scores);
        let labels = events.sus.as_deref().unwrap_or_default();
        self.labels.extend_from_slice(labels);
        self.evil = match (self.evil.take(), &events.evil) {
            (Some(mut all), Some(evil)) if evil.len() == labels.len() => {
                all.extend_from_slice(evil);
                Some(all)
            }
            _ => None,
        };
        if !events.host.is_empty() {
            // Host ids are per chunk: map them to this file's.
            let ids: Vec<u32> = events
                .host_names
                .iter()
                .map(|h| self.host_index.intern(&mut self.host_names, h))
                .collect();
            self.hosts
                .extend(events.host.iter().map(|&h| ids[h as usize]));
        }
        self.sample.offer(events, labels);
    }

    /// The labels of the rows added so far, in order.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// The evaluation of every row added, described by `data`; permutation importance is
    /// computed on the sample (at most [`super::IMPORTANCE_SAMPLE`] rows).
    pub fn evaluate(self, model: &impl Detect, data: DataSummary) -> Evaluation {
        let both_classes = data.benign > 0 && data.suspicious > 0;
        // Importance is a drop in ROC-AUC, undefined with one class.
        let importance = match self.sample.events() {
            Some((events, labels)) if both_classes => model
                .evaluate(&events, &labels, DataSummary::default())
                .map(|e| e.importance)
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let hosts = (self.hosts.as_slice(), self.host_names.as_slice());
        Evaluation::compute(
            data,
            &self.scores,
            &self.labels,
            model.threshold(),
            hosts,
            importance,
        )
        .with_evil(&self.scores, self.evil.as_deref())
    }
}
