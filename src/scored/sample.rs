//! A bounded sample of the labelled rows an [`super::Evaluator`] streams past, for the
//! permutation importance of its evaluation.

use crate::ingest::{Events, Field};
use crate::rng::Rng;

/// Rows kept for the permutation importance of a labelled file.
pub const IMPORTANCE_SAMPLE: usize = 20_000;

/// A uniform random sample of labelled rows (reservoir sampling), seeded.
pub(super) struct Sample {
    fields: Vec<Field>,
    values: Vec<Vec<f64>>,
    labels: Vec<u8>,
    seen: usize,
    rng: Rng,
}

impl Sample {
    pub(super) fn new(fields: Vec<Field>, seed: u64) -> Sample {
        Sample {
            values: vec![Vec::new(); fields.len()],
            fields,
            labels: Vec::new(),
            seen: 0,
            rng: Rng::new(seed),
        }
    }

    pub(super) fn offer(&mut self, events: &Events, labels: &[u8]) {
        let columns: Vec<&[f64]> = self
            .fields
            .iter()
            .filter_map(|&f| events.column(f))
            .collect();
        for (i, &label) in labels.iter().enumerate() {
            let slot = if self.seen < IMPORTANCE_SAMPLE {
                self.labels.push(label);
                self.values.iter_mut().for_each(|v| v.push(0.0));
                Some(self.seen)
            } else {
                Some(self.rng.below(self.seen + 1)).filter(|&j| j < IMPORTANCE_SAMPLE)
            };
            if let Some(j) = slot {
                self.labels[j] = label;
                for (column, values) in columns.iter().zip(&mut self.values) {
                    values[j] = column[i];
                }
            }
            self.seen += 1;
        }
    }

    pub(super) fn events(self) -> Option<(Events, Vec<u8>)> {
        (!self.labels.is_empty()).then(|| {
            let events = Events {
                fields: self.fields,
                values: self.values,
                sus: Some(self.labels.clone()),
                ..Events::default()
            };
            (events, self.labels)
        })
    }
}
