//! Feature sets: how BETH fields become the model's inputs.
//!
//! A [`FeatureSpec`] is data, stored in the model file, so the browser computes exactly what
//! training computed. Two sets exist: the reference recipe (z-scored raw columns plus two
//! products) and the project's own `binarised` set, which follows the BETH paper's advice:
//! what matters is whether a process, its parent and its user belong to the operating system,
//! not the raw ids, which differ from host to host.

use crate::ingest::{Events, Field, Labels, Schema, HOST_MOUNT_NAMESPACE};
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

mod batch;
mod shortcut;
mod text;
mod typed;

pub use batch::Batch;
pub use shortcut::shortcut;
pub use text::{tokens, Vocabulary, MAX_TOKENS, MAX_TOKEN_BYTES, MIN_HOSTS};

/// Largest |z-score| a feature uses: 2^63, so that the square or product of two z-scores (at
/// most 2^126) still fits in an f32. Only a value more than 9.2e18 standard deviations from the
/// training mean reaches it; unbounded, such a z-score overflows to infinity, and infinity
/// times a z-score of 0 is NaN.
pub const Z_LIMIT: f64 = 9_223_372_036_854_775_808.0;

/// Mean and standard deviation of a field on the training rows.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldScale {
    /// The field scaled.
    pub field: Field,
    /// Its mean on the training rows.
    pub mean: f64,
    /// Its population standard deviation on the training rows; 1 for a constant or empty column, so
    /// z-scoring never divides by zero.
    pub std: f64,
}

/// How one feature is computed from a row's fields. `z…` transforms use the spec's scaler.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Transform {
    /// The z-scored field.
    Z {
        /// The field scored.
        field: Field,
    },
    /// The square of the z-scored field.
    ZSquare {
        /// The field scored.
        field: Field,
    },
    /// The product of two z-scored fields.
    ZProduct {
        /// The first factor's field.
        a: Field,
        /// The second factor's field.
        b: Field,
    },
    /// 1 when the field's value is none of `values`, else 0.
    OutsideSet {
        /// The field tested.
        field: Field,
        /// The values that give 0, compared exactly (e.g. pids 0, 1 and 2, the operating
        /// system's own processes).
        values: Vec<f64>,
    },
    /// 1 when the field's value is at least `value`, else 0.
    AtLeast {
        /// The field tested.
        field: Field,
        /// The smallest value that gives 1.
        value: f64,
    },
    /// 1 when the field's value is below `value`, else 0.
    Below {
        /// The field tested.
        field: Field,
        /// The bound, itself giving 0.
        value: f64,
    },
    /// 1 when the field's value is above `value`, else 0.
    Above {
        /// The field tested.
        field: Field,
        /// The bound, itself giving 0.
        value: f64,
    },
    /// The BETH paper's code of a call's outcome: 0 when the field is 0 (success), 1 when
    /// above (success with a value), 2 when below (an error).
    Outcome {
        /// The field tested.
        field: Field,
    },
    /// 1 when the text field holds token `bit` of the spec's vocabulary of that field, else 0.
    HasToken {
        /// The text field tested.
        field: Field,
        /// The token's index in the field's [`Vocabulary`].
        bit: u32,
    },
    /// 1 when the text field holds no token of the spec's vocabulary of that field (a name no
    /// two training hosts shared), else 0.
    NoToken {
        /// The text field tested.
        field: Field,
    },
}

impl Transform {
    /// The fields this transform reads.
    pub fn fields(&self) -> Vec<Field> {
        match self {
            Transform::Z { field }
            | Transform::ZSquare { field }
            | Transform::OutsideSet { field, .. }
            | Transform::AtLeast { field, .. }
            | Transform::Below { field, .. }
            | Transform::Above { field, .. }
            | Transform::Outcome { field }
            | Transform::HasToken { field, .. }
            | Transform::NoToken { field } => vec![*field],
            Transform::ZProduct { a, b } => vec![*a, *b],
        }
    }
}

/// One input of the model: a named transform of a row's fields, with what training learnt about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Feature {
    /// Shown on the page and in reports, e.g. `"process is not OS (pid > 2)"`.
    pub name: String,
    /// How the value is computed from the row.
    pub transform: Transform,
    /// Training keeps the score non-decreasing in this feature (see `TrainConfig::monotone`).
    #[serde(default)]
    pub monotone: bool,
    /// The feature's mean on the training rows: the neutral value against which a single
    /// event's per-feature contribution is measured.
    pub baseline: f32,
}

/// Which predefined feature set to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureSet {
    /// The reference system's 9 features.
    Reference,
    /// OS-membership indicators after the BETH paper, plus return-value sign and argument count.
    Binarised,
    /// Only the OS-membership indicators of process, parent and user.
    Lineage,
    /// The BETH paper's 7 (section 4): process, parent, user and mount namespace as OS or not,
    /// eventId and argsNum as they are (z-scored, which no split-based model notices), and the
    /// outcome of the call coded 0 success, 1 success with a value, 2 error.
    Paper,
    /// `binarised` plus the tokens of processName and eventName that rows of at least two
    /// training hosts hold, one indicator each, and one "no known token" indicator per field.
    Names,
}

impl FeatureSet {
    /// The set named `name` (`"reference"`, `"binarised"` or `"lineage"`, as [`FeatureSet::name`]
    /// gives, `"paper"` or `"names"`), or `None` for any other name.
    pub fn parse(name: &str) -> Option<FeatureSet> {
        match name {
            "reference" => Some(FeatureSet::Reference),
            "binarised" => Some(FeatureSet::Binarised),
            "lineage" => Some(FeatureSet::Lineage),
            "paper" => Some(FeatureSet::Paper),
            "names" => Some(FeatureSet::Names),
            _ => None,
        }
    }

    /// The set's name in model files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            FeatureSet::Reference => "reference",
            FeatureSet::Binarised => "binarised",
            FeatureSet::Lineage => "lineage",
            FeatureSet::Paper => "paper",
            FeatureSet::Names => "names",
        }
    }

    /// What a file must contain to fit this set ([`FeatureSpec::schema`] for a fitted one).
    pub fn schema(self, labels: Labels) -> Schema {
        Schema {
            fields: FeatureSpec::fields_of(self),
            labels,
            host_namespace: host_namespace_only(self.transforms().iter().map(|(_, t)| t)),
        }
    }

    /// The text fields whose vocabularies the set's features read, fitted on the training rows.
    pub fn text_fields(self) -> &'static [Field] {
        match self {
            FeatureSet::Names => &Field::TEXT,
            _ => &[],
        }
    }

    /// The named transforms of this set that need no vocabulary (for `names`, its `binarised`
    /// part; [`FeatureSpec::fit`] adds the rest).
    pub fn transforms(self) -> Vec<(&'static str, Transform)> {
        use Field::*;
        use Transform::*;
        match self {
            FeatureSet::Reference => vec![
                ("processId", Z { field: ProcessId }),
                ("threadId", Z { field: ThreadId }),
                (
                    "parentProcessId",
                    Z {
                        field: ParentProcessId,
                    },
                ),
                ("userId", Z { field: UserId }),
                (
                    "mountNamespace",
                    Z {
                        field: MountNamespace,
                    },
                ),
                ("argsNum", Z { field: ArgsNum }),
                ("returnValue", Z { field: ReturnValue }),
                ("userId²", ZSquare { field: UserId }),
                (
                    "userId×processId",
                    ZProduct {
                        a: UserId,
                        b: ProcessId,
                    },
                ),
            ],
            FeatureSet::Names => FeatureSet::Binarised.transforms(),
            FeatureSet::Lineage => FeatureSet::Binarised
                .transforms()
                .into_iter()
                .take(3)
                .collect(),
            // Linux reserves pids 0-2 for the idle task, init and kthreadd, and uids below
            // 1000 for system accounts (BETH paper, section 4). Each flag is 1 for "outside the
            // operating system", the direction in which suspicion can only grow.
            FeatureSet::Binarised => vec![
                (
                    "process is not OS (pid > 2)",
                    OutsideSet {
                        field: ProcessId,
                        values: vec![0.0, 1.0, 2.0],
                    },
                ),
                (
                    "parent is not OS (ppid > 2)",
                    OutsideSet {
                        field: ParentProcessId,
                        values: vec![0.0, 1.0, 2.0],
                    },
                ),
                (
                    "user is not system (uid >= 1000)",
                    AtLeast {
                        field: UserId,
                        value: 1000.0,
                    },
                ),
                (
                    "call failed (return < 0)",
                    Below {
                        field: ReturnValue,
                        value: 0.0,
                    },
                ),
                (
                    "call returned > 0",
                    Above {
                        field: ReturnValue,
                        value: 0.0,
                    },
                ),
                ("argsNum", Z { field: ArgsNum }),
            ],
            // The host's own mount namespace (mnt/, 4026531840) holds every process outside a
            // container or sandbox.
            FeatureSet::Paper => {
                let mut set = FeatureSet::Lineage.transforms();
                set.extend([
                    (
                        "mount namespace is not the host's",
                        OutsideSet {
                            field: MountNamespace,
                            values: vec![HOST_MOUNT_NAMESPACE],
                        },
                    ),
                    ("eventId", Z { field: EventId }),
                    ("argsNum", Z { field: ArgsNum }),
                    (
                        "returnValue: 0 success, 1 value, 2 error",
                        Outcome { field: ReturnValue },
                    ),
                ]);
                set
            }
        }
    }
}

/// Whether `transforms` read `mountNamespace`, if at all, only to ask whether it is the host's
/// own: then an event whose namespace is unknown can be taken for the host's, the one answer
/// that needs no container, without a made-up number reaching a z-score.
fn host_namespace_only<'t>(mut transforms: impl Iterator<Item = &'t Transform>) -> bool {
    transforms.all(|t| match t {
        Transform::OutsideSet { field, values } if *field == Field::MountNamespace => {
            values[..] == [HOST_MOUNT_NAMESPACE]
        }
        t => !t.fields().contains(&Field::MountNamespace),
    })
}

/// A fitted feature set: scaler statistics, transforms and baselines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpec {
    /// The predefined set this was fitted from.
    pub set: FeatureSet,
    /// Mean and standard deviation of each field read, in the order [`FeatureSpec::row`] takes the
    /// values.
    pub scaler: Vec<FieldScale>,
    /// The features, in the order of the model's inputs.
    pub features: Vec<Feature>,
    /// The tokens known of each text field read: a text field's value is its code (see
    /// [`Vocabulary::code`]). Absent from files of sets without text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vocabularies: Vec<Vocabulary>,
}

impl FeatureSpec {
    /// The fields a feature set reads, in a fixed order.
    pub fn fields_of(set: FeatureSet) -> Vec<Field> {
        let mut fields: Vec<Field> = set
            .transforms()
            .iter()
            .flat_map(|(_, t)| t.fields())
            .chain(set.text_fields().iter().copied())
            .collect();
        fields.sort();
        fields.dedup();
        fields
    }

    /// Fits the scaler and baselines of `set` on `events` (which must hold every needed field).
    pub fn fit(set: FeatureSet, events: &Events) -> FeatureSpec {
        let scaler = Self::fields_of(set)
            .into_iter()
            .map(|field| {
                // A text field's value is a code, never z-scored.
                let column = match field.is_text() {
                    true => &[],
                    false => events.column(field).unwrap_or(&[]),
                };
                let (mean, std) = mean_std(column);
                FieldScale { field, mean, std }
            })
            .collect();
        let vocabularies: Vec<Vocabulary> = set
            .text_fields()
            .iter()
            .map(|&field| Vocabulary::fit(field, events))
            .collect();
        let mut transforms: Vec<(String, Transform)> = set
            .transforms()
            .into_iter()
            .map(|(name, t)| (name.to_string(), t))
            .collect();
        for vocabulary in &vocabularies {
            let field = vocabulary.field;
            for (bit, token) in vocabulary.tokens.iter().enumerate() {
                let name = format!("{} has \"{token}\"", field.column());
                transforms.push((
                    name,
                    Transform::HasToken {
                        field,
                        bit: bit as u32,
                    },
                ));
            }
            let name = format!("{} has no known token", field.column());
            transforms.push((name, Transform::NoToken { field }));
        }
        let mut spec = FeatureSpec {
            set,
            scaler,
            features: transforms
                .into_iter()
                .map(|(name, transform)| Feature {
                    name,
                    monotone: matches!(
                        transform,
                        Transform::OutsideSet { .. }
                            | Transform::AtLeast { .. }
                            | Transform::NoToken { .. }
                    ),
                    transform,
                    baseline: 0.0,
                })
                .collect(),
            vocabularies,
        };
        if let Ok(matrix) = spec.matrix(events) {
            for (feature, column) in spec.features.iter_mut().zip(matrix.columns()) {
                feature.baseline = match column.mean() {
                    Some(mean) if mean.is_finite() => mean,
                    // The f32 sum of huge features overflowed: average in f64 instead.
                    Some(_) => {
                        (column.iter().map(|&v| f64::from(v)).sum::<f64>() / column.len() as f64)
                            as f32
                    }
                    None => 0.0,
                };
            }
        }
        spec
    }

    /// The fields this spec reads, in the order [`FeatureSpec::row`] expects them.
    pub fn fields(&self) -> Vec<Field> {
        self.scaler.iter().map(|s| s.field).collect()
    }

    /// What a file must contain for this spec: its fields, and (when the spec asks of the mount
    /// namespace only whether it is the host's) none for an input without a mount namespace,
    /// read as the host's.
    pub fn schema(&self, labels: Labels) -> Schema {
        Schema {
            fields: self.fields(),
            labels,
            host_namespace: host_namespace_only(self.features.iter().map(|f| &f.transform)),
        }
    }

    /// The features' names, in input order.
    pub fn names(&self) -> Vec<String> {
        self.features.iter().map(|f| f.name.clone()).collect()
    }

    /// Number of features: the width of the model's input.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether the spec has no feature.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// Computes the features of one row into `out`; `values[k]` is field `self.fields()[k]`.
    /// Finite values give finite features: z-scores are held within ±[`Z_LIMIT`].
    pub fn row(&self, values: &[f64], out: &mut [f32]) {
        let raw = |k: usize| values.get(k).copied().unwrap_or(0.0);
        for ((feature, at), slot) in self.features.iter().zip(self.plan()).zip(out.iter_mut()) {
            *slot = self.apply(&feature.transform, at, raw) as f32;
        }
    }

    /// Where each feature's fields are among [`FeatureSpec::fields`]: worked out once for many
    /// rows, rather than looked up for every feature of every row.
    fn plan(&self) -> Vec<[usize; 2]> {
        let k = |field: Field| {
            self.scaler
                .iter()
                .position(|s| s.field == field)
                .unwrap_or(0)
        };
        self.features
            .iter()
            .map(|f| match f.transform {
                Transform::ZProduct { a, b } => [k(a), k(b)],
                _ => {
                    let first = f.transform.fields().first().map_or(0, |&field| k(field));
                    [first, first]
                }
            })
            .collect()
    }

    /// The feature `transform` of a row whose field at position `k` is `raw(k)`, its fields at
    /// positions `at`.
    fn apply(&self, transform: &Transform, at: [usize; 2], raw: impl Fn(usize) -> f64) -> f64 {
        let z = |k: usize| match self.scaler.get(k) {
            Some(s) => ((raw(k) - s.mean) / s.std).clamp(-Z_LIMIT, Z_LIMIT),
            None => 0.0,
        };
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let [a, b] = at;
        match transform {
            Transform::Z { .. } => z(a),
            Transform::ZSquare { .. } => z(a).powi(2),
            Transform::ZProduct { .. } => z(a) * z(b),
            Transform::OutsideSet { values, .. } => flag(!values.contains(&raw(a))),
            Transform::AtLeast { value, .. } => flag(raw(a) >= *value),
            Transform::Below { value, .. } => flag(raw(a) < *value),
            Transform::Above { value, .. } => flag(raw(a) > *value),
            Transform::Outcome { .. } => {
                let x = raw(a);
                flag(x > 0.0) + 2.0 * flag(x < 0.0)
            }
            Transform::HasToken { bit, .. } => {
                // A code is a whole number below 2^53; anything else holds no token.
                let code = raw(a) as u64;
                flag(code.checked_shr(*bit).is_some_and(|c| c & 1 == 1))
            }
            Transform::NoToken { .. } => flag(raw(a) as u64 == 0),
        }
    }

    /// The code of `text` as the value of the text field `field` (see [`Vocabulary::code`]);
    /// 0 (no known token) when the spec has no vocabulary of that field.
    pub fn code(&self, field: Field, text: &str) -> f64 {
        self.vocabularies
            .iter()
            .find(|v| v.field == field)
            .map_or(0.0, |v| v.code(text))
    }

    /// The columns of the fields this spec reads, in [`FeatureSpec::fields`] order: numbers as
    /// read, a text field's as each row's code (each distinct text encoded once); errs naming
    /// the first missing field.
    pub fn columns<'e>(&self, events: &'e Events) -> Result<Vec<Cow<'e, [f64]>>, Field> {
        self.fields()
            .into_iter()
            .map(|field| {
                let column = events.column(field).ok_or(field)?;
                if !field.is_text() {
                    return Ok(Cow::Borrowed(column));
                }
                let codes = self.codes(field, events).ok_or(field)?;
                Ok(Cow::Owned(coded(column, &codes)))
            })
            .collect()
    }

    /// The code of each distinct text of the text field `field` in `events` (in the order of
    /// their list of texts), or `None` when they have no texts of that field.
    fn codes(&self, field: Field, events: &Events) -> Option<Vec<f64>> {
        let names = events.text_names(field)?;
        Some(names.iter().map(|name| self.code(field, name)).collect())
    }

    /// The feature matrix (rows × features) of `events`; errs naming the first missing field.
    pub fn matrix(&self, events: &Events) -> Result<Array2<f32>, Field> {
        let batch = self.batch(events)?;
        let mut out = Array2::<f32>::zeros((events.len(), self.len()));
        for (i, mut out_row) in out.rows_mut().into_iter().enumerate() {
            if let Some(slice) = out_row.as_slice_mut() {
                batch.row(i, slice);
            }
        }
        Ok(out)
    }
}

/// Each row's code, given its text's index in `column` and each text's code: an index beyond
/// the texts gets 0 (no known token).
fn coded(column: &[f64], codes: &[f64]) -> Vec<f64> {
    let code = |&id: &f64| codes.get(id as usize).copied().unwrap_or(0.0);
    column.iter().map(code).collect()
}

/// Mean and population standard deviation; a constant (or empty) column gets std 1 so that
/// z-scoring never divides by zero.
fn mean_std(column: &[f64]) -> (f64, f64) {
    if column.is_empty() {
        return (0.0, 1.0);
    }
    let n = column.len() as f64;
    let mut mean = column.iter().sum::<f64>() / n;
    if !mean.is_finite() {
        // The sum of huge values overflowed; their mean is finite.
        mean = column
            .iter()
            .map(|x| x / n)
            .sum::<f64>()
            .clamp(f64::MIN, f64::MAX);
    }
    let var = column.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let mut std = var.sqrt();
    if !std.is_finite() {
        // The squares of huge deviations overflowed: scale them by the largest one first.
        let scale = column.iter().map(|x| (x - mean).abs()).fold(0.0, f64::max);
        let sum = column
            .iter()
            .map(|x| ((x - mean) / scale).powi(2))
            .sum::<f64>();
        std = scale * (sum / n).sqrt();
    }
    (
        mean,
        if std > 0.0 && std.is_finite() {
            std
        } else {
            1.0
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(rows: &[[f64; 4]]) -> Events {
        let fields = vec![
            Field::ProcessId,
            Field::ParentProcessId,
            Field::UserId,
            Field::ReturnValue,
        ];
        let values = (0..4)
            .map(|k| rows.iter().map(|r| r[k]).collect())
            .collect();
        Events {
            fields,
            values,
            ..Events::default()
        }
    }

    /// Only a set that asks of the namespace no more than "the host's or not" (or nothing) may
    /// read a file without one; the reference z-scores it, and a spec says the same as its set.
    #[test]
    fn a_file_without_a_mount_namespace_is_read_only_for_a_flag_of_it() {
        let lets = |set: FeatureSet| set.schema(Labels::Optional).host_namespace;
        assert!(lets(FeatureSet::Paper));
        assert!(lets(FeatureSet::Binarised));
        assert!(!lets(FeatureSet::Reference));
        let mut spec = FeatureSpec::fit(FeatureSet::Lineage, &events(&[[7.0, 1.0, 0.0, 0.0]]));
        assert!(spec.schema(Labels::Required).host_namespace);
        // Another namespace in the set, or the namespace z-scored: refused.
        for transform in [
            Transform::OutsideSet {
                field: Field::MountNamespace,
                values: vec![HOST_MOUNT_NAMESPACE, 4_026_532_829.0],
            },
            Transform::Z {
                field: Field::MountNamespace,
            },
        ] {
            spec.features[0].transform = transform;
            assert!(!spec.schema(Labels::Required).host_namespace);
        }
    }

    #[test]
    fn binarised_flags_match_the_paper_rules() {
        let mut ev = events(&[
            [1.0, 0.0, 0.0, 0.0],
            [7548.0, 7534.0, 1001.0, -115.0],
            [379.0, 1.0, 100.0, 15.0],
        ]);
        ev.fields.push(Field::ArgsNum);
        ev.values.push(vec![1.0, 3.0, 5.0]);
        let spec = FeatureSpec::fit(FeatureSet::Binarised, &ev);
        let m = spec.matrix(&ev).expect("all fields present");
        // pid not OS, ppid not OS, uid not system, ret<0, ret>0, z(argsNum) with mean 3, std sqrt(8/3)
        let z = 2.0 / (8.0f64 / 3.0).sqrt();
        let expect = [
            [0.0, 0.0, 0.0, 0.0, 0.0, -z],
            [1.0, 1.0, 1.0, 1.0, 0.0, 0.0],
            [1.0, 0.0, 0.0, 0.0, 1.0, z],
        ];
        for (r, row) in expect.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                assert!(
                    (m[[r, c]] as f64 - v).abs() < 1e-6,
                    "row {r} col {c}: {} vs {v}",
                    m[[r, c]]
                );
            }
        }
        // Baselines are the training means of each feature.
        assert!((spec.features[1].baseline - 1.0 / 3.0).abs() < 1e-6);
        assert!(spec.features[2].monotone && !spec.features[5].monotone);
    }

    #[test]
    fn reference_products_use_z_scores() {
        let mut ev = events(&[[1.0, 0.0, 0.0, 0.0], [3.0, 0.0, 2.0, 0.0]]);
        for f in [Field::ThreadId, Field::MountNamespace, Field::ArgsNum] {
            ev.fields.push(f);
            ev.values.push(vec![5.0, 5.0]);
        }
        let spec = FeatureSpec::fit(FeatureSet::Reference, &ev);
        let m = spec.matrix(&ev).expect("all fields present");
        // userId z = [-1, 1]; processId z = [-1, 1]; constant threadId has std 1 → z = 0.
        assert_eq!(
            m.row(0).to_vec(),
            vec![-1.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 1.0, 1.0]
        );
        assert_eq!(
            m.row(1).to_vec(),
            vec![1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0]
        );
    }

    #[test]
    fn matrix_names_a_missing_field() {
        let ev = events(&[[1.0, 0.0, 0.0, 0.0]]);
        let spec = FeatureSpec::fit(FeatureSet::Binarised, &ev);
        assert_eq!(spec.matrix(&ev), Err(Field::ArgsNum));
    }

    #[test]
    fn spec_round_trips_through_json() {
        let ev = events(&[[1.0, 0.0, 0.0, 0.0], [3.0, 9.0, 2.0, 1.0]]);
        let spec = FeatureSpec::fit(FeatureSet::Binarised, &ev);
        let json = serde_json::to_string(&spec).expect("serialises");
        let back: FeatureSpec = serde_json::from_str(&json).expect("parses");
        assert_eq!(spec, back);
    }
}
