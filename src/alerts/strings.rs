//! Interned strings: names stored once, found through a hash map.

use std::collections::HashMap;

/// Distinct strings, each with an index; interning is one hash lookup.
#[derive(Debug, Default)]
pub(super) struct Strings {
    ids: HashMap<Box<[u8]>, u32>,
    names: Vec<String>,
    /// The bytes of the strings kept, both forms.
    bytes: usize,
}

impl Strings {
    /// The index of `bytes`, if interned.
    pub(super) fn find(&self, bytes: &[u8]) -> Option<u32> {
        self.ids.get(bytes).copied()
    }

    /// The index of `bytes`, interned (as lossy UTF-8 text) when new.
    pub(super) fn intern(&mut self, bytes: &[u8]) -> u32 {
        if let Some(id) = self.find(bytes) {
            return id;
        }
        let id = self.names.len() as u32;
        let name = String::from_utf8_lossy(bytes).into_owned();
        self.bytes += bytes.len() + name.capacity();
        self.ids.insert(bytes.into(), id);
        self.names.push(name);
        id
    }

    /// The bytes the strings take, both the raw and the text form.
    pub(super) fn bytes(&self) -> usize {
        self.bytes
    }

    /// The text of index `id`.
    pub(super) fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}
