//! What both readers (CSV and Tracee JSON lines) do with a row once its values are parsed.

use super::hosts::HostIndex;
use super::{Events, Field, TextColumn, MAX_TEXT_BYTES};

/// An empty [`Events`] of `fields`, with label columns when the input has them.
pub(super) fn empty_events(fields: Vec<Field>, sus: bool, evil: bool) -> Events {
    Events {
        texts: fields
            .iter()
            .filter(|f| f.is_text())
            .map(|&field| TextColumn {
                field,
                names: Vec::new(),
            })
            .collect(),
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

/// Interns the text fields of a reader: one index per text field it reads.
#[derive(Clone, Debug, Default)]
pub(super) struct Texts(Vec<HostIndex>);

impl Texts {
    /// The index in `events`' list for text field number `k` (in `events.texts` order) of
    /// `text`, cut to [`MAX_TEXT_BYTES`] and trimmed, as an f64 value for its column.
    pub(super) fn intern(&mut self, events: &mut Events, k: usize, text: &[u8]) -> f64 {
        if self.0.len() <= k {
            self.0.resize_with(k + 1, HostIndex::default);
        }
        let text = String::from_utf8_lossy(cut(text.trim_ascii()));
        match events.texts.get_mut(k) {
            Some(column) => f64::from(self.0[k].intern(&mut column.names, text.trim_end())),
            None => 0.0,
        }
    }
}

/// The first [`MAX_TEXT_BYTES`] bytes of `text`, less any UTF-8 character cut in two.
fn cut(text: &[u8]) -> &[u8] {
    if text.len() <= MAX_TEXT_BYTES {
        return text;
    }
    let mut end = MAX_TEXT_BYTES;
    // A continuation byte (10xxxxxx) at the cut belongs to a character begun before it.
    while end > 0 && text[end] & 0xc0 == 0x80 {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts are trimmed and cut to MAX_TEXT_BYTES without splitting a character.
    #[test]
    fn long_texts_are_cut_at_a_character() {
        let mut events = empty_events(vec![Field::ProcessName], false, false);
        let mut texts = Texts::default();
        let long = format!("{}é", "a".repeat(MAX_TEXT_BYTES - 1));
        assert_eq!(texts.intern(&mut events, 0, long.as_bytes()), 0.0);
        assert_eq!(texts.intern(&mut events, 0, b" sshd "), 1.0);
        assert_eq!(texts.intern(&mut events, 0, b"sshd"), 1.0);
        let names = events.text_names(Field::ProcessName).unwrap();
        assert_eq!(names[0], "a".repeat(MAX_TEXT_BYTES - 1));
        assert_eq!(names[1], "sshd");
        assert_eq!(cut(&[b'x'; 100]).len(), MAX_TEXT_BYTES);
    }
}
