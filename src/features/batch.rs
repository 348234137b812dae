//! A spec's features for the rows of one batch of events. A feature that reads a single text
//! field (a token feature) depends only on which text a row holds, and a batch holds few
//! distinct texts: such features are worked out once per distinct text into a table, and a row
//! copies its text's entries (one look-up per text field per row, however many tokens the
//! vocabulary has). The other features are computed per row. Both give the bits
//! [`FeatureSpec::row`] gives.

use super::{coded, Feature, FeatureSpec, Transform};
use crate::ingest::{Events, Field};
use std::borrow::Cow;

/// The features of every row of some events, ready to be written row by row
/// ([`Batch::row`]); made by [`FeatureSpec::batch`].
#[derive(Debug)]
pub struct Batch<'a> {
    spec: &'a FeatureSpec,
    /// The spec's fields, in [`FeatureSpec::fields`] order: numbers as read; a text field as
    /// each row's code when a per-row feature reads it, else empty (never read).
    columns: Vec<Cow<'a, [f64]>>,
    /// The features computed per row: their index, transform and fields' positions in `columns`.
    per_row: Vec<(usize, &'a Transform, [usize; 2])>,
    /// One table per text field that token features read.
    tables: Vec<Table<'a>>,
}

/// The token features of one text field for each distinct text of the batch.
#[derive(Debug)]
struct Table<'a> {
    /// Each row's text, as its index in the events' list of texts of the field.
    ids: &'a [f64],
    /// The features this table holds, by index.
    slots: Vec<usize>,
    /// Row `t` (of `slots.len()` values) holds the features of text `t`; the last row, those of
    /// a text no token of the vocabulary matches (what an index beyond the list gets).
    values: Vec<f32>,
}

/// The text field a feature reads when it reads that one field alone.
fn text_field(feature: &Feature) -> Option<Field> {
    let fields = feature.transform.fields();
    let first = *fields.first()?;
    (first.is_text() && fields.iter().all(|&f| f == first)).then_some(first)
}

impl FeatureSpec {
    /// The features of `events` as a [`Batch`]: each distinct text of a text field is coded
    /// (and its token features computed) once. Errs naming the first field `events` lack.
    pub fn batch<'a>(&'a self, events: &'a Events) -> Result<Batch<'a>, Field> {
        let plan = self.plan();
        let tabled: Vec<Option<Field>> = self.features.iter().map(text_field).collect();
        let per_row: Vec<(usize, &Transform, [usize; 2])> = (self.features.iter())
            .zip(&tabled)
            .zip(&plan)
            .enumerate()
            .filter(|(_, ((_, text), _))| text.is_none())
            .map(|(f, ((feature, _), &at))| (f, &feature.transform, at))
            .collect();
        let fields = self.fields();
        let mut columns = Vec::with_capacity(fields.len());
        let mut tables = Vec::new();
        for (k, &field) in fields.iter().enumerate() {
            let column = events.column(field).ok_or(field)?;
            if !field.is_text() {
                columns.push(Cow::Borrowed(column));
                continue;
            }
            let codes = self.codes(field, events).ok_or(field)?;
            let slots: Vec<usize> = (0..tabled.len())
                .filter(|&f| tabled[f] == Some(field))
                .collect();
            if !slots.is_empty() {
                let mut values = vec![0.0; fields.len()];
                let mut table = Vec::with_capacity((codes.len() + 1) * slots.len());
                for &code in codes.iter().chain([0.0].iter()) {
                    values[k] = code;
                    let raw = |j: usize| values.get(j).copied().unwrap_or(0.0);
                    for &f in &slots {
                        table.push(self.apply(&self.features[f].transform, plan[f], raw) as f32);
                    }
                }
                tables.push(Table {
                    ids: column,
                    slots,
                    values: table,
                });
            }
            let read = per_row.iter().any(|&(_, _, at)| at.contains(&k));
            columns.push(match read {
                true => Cow::Owned(coded(column, &codes)),
                false => Cow::Borrowed(&[]),
            });
        }
        Ok(Batch {
            spec: self,
            columns,
            per_row,
            tables,
        })
    }
}

impl Batch<'_> {
    /// Writes the features of row `i` into `out` (one slot per feature of the spec).
    pub fn row(&self, i: usize, out: &mut [f32]) {
        let raw = |k: usize| {
            self.columns
                .get(k)
                .map_or(0.0, |c| c.get(i).map_or(0.0, |&v| v))
        };
        for &(f, transform, at) in &self.per_row {
            if let Some(slot) = out.get_mut(f) {
                *slot = self.spec.apply(transform, at, raw) as f32;
            }
        }
        for table in &self.tables {
            let width = table.slots.len();
            let unknown = table.values.len() / width - 1;
            // An index beyond the texts holds no known token: code 0.
            let id = table
                .ids
                .get(i)
                .map_or(unknown, |&id| (id as usize).min(unknown));
            let values = &table.values[id * width..(id + 1) * width];
            for (&f, &value) in table.slots.iter().zip(values) {
                if let Some(slot) = out.get_mut(f) {
                    *slot = value;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::features::{Feature, FeatureSet, FeatureSpec, FieldScale, Transform, Vocabulary};
    use crate::ingest::{Events, Field, TextColumn};

    fn feature(transform: Transform) -> Feature {
        Feature {
            name: String::new(),
            transform,
            monotone: false,
            baseline: 0.0,
        }
    }

    /// Token features come from the table of each distinct text, a text index beyond the list
    /// as no known token; a per-row feature reading the text (here "code above 1", i.e. a token
    /// other than the first) reads its code; each row is what `row` gives from the codes.
    #[test]
    fn tables_give_what_rows_give() {
        let scale = |field| FieldScale {
            field,
            mean: 0.0,
            std: 1.0,
        };
        let spec = FeatureSpec {
            set: FeatureSet::Names,
            scaler: vec![scale(Field::UserId), scale(Field::ProcessName)],
            features: vec![
                feature(Transform::AtLeast {
                    field: Field::UserId,
                    value: 1000.0,
                }),
                feature(Transform::HasToken {
                    field: Field::ProcessName,
                    bit: 1,
                }),
                feature(Transform::NoToken {
                    field: Field::ProcessName,
                }),
                feature(Transform::Above {
                    field: Field::ProcessName,
                    value: 1.0,
                }),
                feature(Transform::HasToken {
                    field: Field::ProcessName,
                    bit: 0,
                }),
            ],
            vocabularies: vec![Vocabulary {
                field: Field::ProcessName,
                tokens: vec!["sshd".into(), "systemd".into()],
            }],
        };
        let events = Events {
            fields: vec![Field::UserId, Field::ProcessName],
            // Texts: 0 "tsm", 1 "systemd-udevd", 2 "sshd"; 7 is beyond them.
            values: vec![vec![0.0, 1001.0, 0.0, 5.0], vec![1.0, 0.0, 2.0, 7.0]],
            texts: vec![TextColumn {
                field: Field::ProcessName,
                names: vec!["tsm".into(), "systemd-udevd".into(), "sshd".into()],
            }],
            ..Events::default()
        };
        let batch = spec.batch(&events).expect("the fields");
        // systemd (code 2): has systemd, a token, above 1, not sshd; tsm (0): none; sshd (1).
        let expected = [
            [0.0, 1.0, 0.0, 1.0, 0.0],
            [1.0, 0.0, 1.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0, 1.0],
            [0.0, 0.0, 1.0, 0.0, 0.0],
        ];
        let codes = [2.0, 0.0, 1.0, 0.0];
        let columns = spec.columns(&events).expect("the fields");
        assert_eq!(columns[1][..], codes);
        for (i, want) in expected.iter().enumerate() {
            let mut out = [9.0f32; 5];
            batch.row(i, &mut out);
            assert_eq!(out, *want, "row {i}");
            let mut from_codes = [9.0f32; 5];
            spec.row(&[events.values[0][i], codes[i]], &mut from_codes);
            assert_eq!(from_codes, out, "row {i} from its code");
        }
        let missing = Events {
            fields: vec![Field::UserId],
            values: vec![vec![0.0]],
            ..Events::default()
        };
        assert_eq!(spec.batch(&missing).err(), Some(Field::ProcessName));
    }
}
