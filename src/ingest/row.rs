//! What both readers (CSV and Tracee JSON lines) do with a row once its values are parsed.

use super::{Events, Field};

/// An empty [`Events`] of `fields`, with label columns when the input has them.
pub(super) fn empty_events(fields: Vec<Field>, sus: bool, evil: bool) -> Events {
    Events {
        values: vec![Vec::new(); fields.len()],
        fields,
        sus: sus.then(Vec::new),
        evil: evil.then(Vec::new),
        host: Vec::new(),
        host_names: Vec::new(),
    }
}

/// Appends one row's values (in `events.fields` order) and the labels `events` keeps.
pub(super) fn append(events: &mut Events, values: &[f64], sus: Option<u8>, evil: Option<u8>) {
    for (column, value) in events.values.iter_mut().zip(values) {
        column.push(*value);
    }
    if let (Some(column), Some(value)) = (events.sus.as_mut(), sus) {
        column.push(value);
    }
    if let (Some(column), Some(value)) = (events.evil.as_mut(), evil) {
        column.push(value);
    }
}
