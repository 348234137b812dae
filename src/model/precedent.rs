//! What the training rows said about an input: how many of them reached the network with
//! exactly the same features, and how many of those were labelled suspicious. An explanation
//! shows it beside the score, so that an analyst sees whether the model is repeating what its
//! training rows said (17 rows, 16 suspicious) or extrapolating (no row like it).

use super::file::ModelError;
use crate::features::FeatureSpec;
use crate::ingest::{Events, Field};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Most distinct inputs a model file keeps: the shipped spec's six features have a few dozen.
pub const MAX_PRECEDENTS: usize = 1024;
/// Most numbers they hold together: a names spec's 42 features keep about 390 inputs.
pub const MAX_PRECEDENT_VALUES: usize = 16_384;

/// Distinct inputs counted while fitting, before the most common are kept: a file of millions
/// of distinct inputs (raw ids) holds at most this many in memory; the rest count as not kept.
const MAX_COUNTED: usize = 1 << 16;

/// The training rows' most common inputs, with their counts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Precedents {
    /// Most rows first (ties in the order of the inputs' bits).
    pub inputs: Vec<Precedent>,
    /// Training rows whose input is not among `inputs`.
    pub rows_not_kept: u64,
}

/// One input and the training rows that had it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Precedent {
    /// The features, as the network reads them.
    pub features: Vec<f32>,
    /// Training rows with exactly these features.
    pub rows: u64,
    /// Of which labelled suspicious.
    pub suspicious: u64,
}

/// What the training rows said about one input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Said {
    /// Training rows with exactly this input (0: none among those kept).
    pub rows: u64,
    /// Of which labelled suspicious.
    pub suspicious: u64,
    /// Training rows whose inputs were not kept: when not 0, an input with no rows may still
    /// have had some.
    pub rows_not_kept: u64,
}

impl Precedents {
    /// The inputs of `events` (labelled) under `spec`, most common first, within the limits.
    pub fn of(spec: &FeatureSpec, events: &Events) -> Result<Precedents, Field> {
        let batch = spec.batch(events)?;
        let labels = events.sus.as_deref().unwrap_or(&[]);
        let mut counted: HashMap<Vec<u32>, (u64, u64)> = HashMap::new();
        let mut rows_not_kept = 0u64;
        let mut row = vec![0f32; spec.len()];
        let mut bits = Vec::with_capacity(spec.len());
        for i in 0..events.len() {
            batch.row(i, &mut row);
            key(&row, &mut bits);
            let suspicious = u64::from(labels.get(i) == Some(&1));
            if let Some(count) = counted.get_mut(&bits) {
                *count = (count.0 + 1, count.1 + suspicious);
            } else if counted.len() < MAX_COUNTED {
                counted.insert(bits.clone(), (1, suspicious));
            } else {
                rows_not_kept += 1;
            }
        }
        let mut inputs: Vec<(Vec<u32>, (u64, u64))> = counted.into_iter().collect();
        inputs.sort_unstable_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
        let keep = MAX_PRECEDENTS.min(MAX_PRECEDENT_VALUES / spec.len().max(1));
        rows_not_kept += inputs
            .iter()
            .skip(keep)
            .map(|(_, (rows, _))| rows)
            .sum::<u64>();
        inputs.truncate(keep);
        Ok(Precedents {
            inputs: inputs
                .into_iter()
                .map(|(bits, (rows, suspicious))| Precedent {
                    features: bits.into_iter().map(f32::from_bits).collect(),
                    rows,
                    suspicious,
                })
                .collect(),
            rows_not_kept,
        })
    }

    /// What the training rows said about `features`, asked once (see [`Known::said`]): a scan
    /// of the kept inputs, since one question does not pay for a table (and the page's wasm,
    /// which explains one event at a time, is ~2.4 KB gzipped smaller without one).
    pub fn said(&self, features: &[f32]) -> Said {
        let mut bits = Vec::new();
        key(features, &mut bits);
        let mut theirs = Vec::new();
        let found = self.inputs.iter().find(|p| {
            key(&p.features, &mut theirs);
            theirs == bits
        });
        Said {
            rows: found.map_or(0, |p| p.rows),
            suspicious: found.map_or(0, |p| p.suspicious),
            rows_not_kept: self.rows_not_kept,
        }
    }

    /// The inputs kept, for asking of many rows what training said of theirs.
    pub fn known(&self) -> Known {
        let mut inputs = HashMap::with_capacity(self.inputs.len());
        let mut bits = Vec::new();
        for p in &self.inputs {
            key(&p.features, &mut bits);
            inputs.insert(bits.clone(), (p.rows, p.suspicious));
        }
        Known {
            inputs,
            bits,
            rows_not_kept: self.rows_not_kept,
        }
    }

    /// Checks a model file's precedents against its `width` features: within the limits, each
    /// input as wide as the features, finite, with at least one row and no more suspicious rows
    /// than rows.
    pub(super) fn validate(&self, width: usize) -> Result<(), ModelError> {
        let invalid = |m: String| Err(ModelError::Invalid(m));
        let n = self.inputs.len();
        if n > MAX_PRECEDENTS || n.saturating_mul(width) > MAX_PRECEDENT_VALUES {
            return invalid(format!(
                "the training's precedents hold {n} inputs of {width} features; at most \
                 {MAX_PRECEDENTS} inputs and {MAX_PRECEDENT_VALUES} numbers"
            ));
        }
        for (i, p) in self.inputs.iter().enumerate() {
            let at = i + 1;
            if p.features.len() != width {
                return invalid(format!(
                    "precedent {at} has {} features; the model has {width}",
                    p.features.len()
                ));
            }
            if p.features.iter().any(|v| !v.is_finite()) {
                return invalid(format!("precedent {at} has a feature that is not finite"));
            }
            if p.rows == 0 || p.suspicious > p.rows {
                return invalid(format!(
                    "precedent {at} counts {} suspicious of {} rows; expected 1 or more rows, \
                     at most as many suspicious",
                    p.suspicious, p.rows
                ));
            }
        }
        Ok(())
    }
}

/// The inputs of some [`Precedents`] by their bits, with their counts: one hash look-up a row.
#[derive(Debug)]
pub struct Known {
    inputs: HashMap<Vec<u32>, (u64, u64)>,
    /// The key of the row asked about last (reused, so that asking allocates nothing).
    bits: Vec<u32>,
    /// As in [`Precedents`]: when not 0, an input not known may still have had training rows.
    pub rows_not_kept: u64,
}

impl Known {
    /// What the training rows said about `features`: how many reached the network with exactly
    /// them (equal as bits, so -0 and 0 differ, as the network's inputs never do) and how many of
    /// those were suspicious. Mutable only for the key buffer it reuses: a file's every flagged
    /// event is asked about.
    pub fn said(&mut self, features: &[f32]) -> Said {
        key(features, &mut self.bits);
        let (rows, suspicious) = self
            .inputs
            .get(self.bits.as_slice())
            .copied()
            .unwrap_or((0, 0));
        Said {
            rows,
            suspicious,
            rows_not_kept: self.rows_not_kept,
        }
    }
}

/// `features` as the bits that identify an input, into `bits`.
fn key(features: &[f32], bits: &mut Vec<u32>) {
    bits.clear();
    bits.extend(features.iter().map(|v| v.to_bits()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::FeatureSet;
    use crate::ingest::{read_events, Labels, Schema};

    fn events(csv: &str) -> Events {
        let schema = Schema {
            fields: FeatureSpec::fields_of(FeatureSet::Binarised),
            labels: Labels::Required,
            host_namespace: false,
        };
        read_events(csv.as_bytes(), "t.csv", &schema).expect("reads")
    }

    const CSV: &str = "processId,parentProcessId,userId,returnValue,argsNum,sus\n\
        100,50,0,0,1,1\n\
        101,51,0,0,1,1\n\
        102,52,0,0,1,0\n\
        1,0,0,0,1,0\n\
        200,1,1000,-2,3,1\n";

    #[test]
    fn counts_each_input_most_common_first() {
        let e = events(CSV);
        let spec = FeatureSpec::fit(FeatureSet::Binarised, &e);
        let p = Precedents::of(&spec, &e).expect("fields present");
        // Three rows under a non-OS parent with the same flags (2 suspicious), then two others.
        let counts: Vec<(u64, u64)> = p.inputs.iter().map(|p| (p.rows, p.suspicious)).collect();
        assert_eq!(counts.len(), 3);
        assert_eq!(counts[0], (3, 2));
        assert_eq!(p.rows_not_kept, 0);
        // Values in the spec's field order: processId, parentProcessId, userId, argsNum,
        // returnValue.
        assert_eq!(
            spec.fields(),
            [
                Field::ProcessId,
                Field::ParentProcessId,
                Field::UserId,
                Field::ArgsNum,
                Field::ReturnValue
            ]
        );
        let mut row = vec![0f32; spec.len()];
        spec.row(&[100.0, 50.0, 0.0, 1.0, 0.0], &mut row);
        assert_eq!(
            p.said(&row),
            Said {
                rows: 3,
                suspicious: 2,
                rows_not_kept: 0
            }
        );
        let mut known = p.known();
        assert_eq!(known.said(&row).rows, 3);
        // pid > 2 under init as uid 0: no training row had that.
        spec.row(&[300.0, 1.0, 0.0, 1.0, 0.0], &mut row);
        assert_eq!(known.said(&row).rows, 0);
        // Init itself (the fourth row) was seen; -0 is not 0 as bits, as `said` has it.
        spec.row(&[1.0, 0.0, 0.0, 1.0, 0.0], &mut row);
        assert_eq!((known.said(&row).rows, known.said(&row).suspicious), (1, 0));
        row[0] = -0.0;
        assert_eq!(known.said(&row).rows, 0);
    }

    #[test]
    fn refuses_precedents_that_do_not_fit_the_model() {
        let one = |features: Vec<f32>, rows, suspicious| Precedents {
            inputs: vec![Precedent {
                features,
                rows,
                suspicious,
            }],
            rows_not_kept: 0,
        };
        assert!(one(vec![0.0, 1.0], 2, 1).validate(2).is_ok());
        let message = |p: Precedents| p.validate(2).err().map(|e| e.to_string());
        assert_eq!(
            message(one(vec![0.0], 2, 1)),
            Some("invalid model file: precedent 1 has 1 features; the model has 2".into())
        );
        assert_eq!(
            message(one(vec![0.0, f32::NAN], 2, 1)),
            Some("invalid model file: precedent 1 has a feature that is not finite".into())
        );
        assert_eq!(
            message(one(vec![0.0, 1.0], 2, 3)),
            Some(
                "invalid model file: precedent 1 counts 3 suspicious of 2 rows; expected 1 or \
                 more rows, at most as many suspicious"
                    .into()
            )
        );
        let many = Precedents {
            inputs: vec![
                Precedent {
                    features: vec![0.0; 2],
                    rows: 1,
                    suspicious: 0
                };
                MAX_PRECEDENTS + 1
            ],
            rows_not_kept: 0,
        };
        assert!(message(many).is_some_and(|m| m.contains("1025 inputs of 2 features")));
    }
}
