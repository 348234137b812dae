//! Host names interned: each row's host is an index into a list of names, found through a hash
//! map rather than a search of the list, since a hostile file can give every row a host of its
//! own. The reader, [`Events::extend`](super::Events::extend) and the page's streamed
//! evaluation all intern through [`HostIndex`].

use std::collections::HashMap;

/// Host name → its index in a list of names (an [`Events::host_names`](super::Events)), so
/// that interning costs one hash lookup whatever the number of hosts.
///
/// The index follows the list it is used with: when that list is not as the index last left it
/// (another length, or a name found in the map but not at its index: e.g. fresh events, or
/// names reordered), the list is indexed afresh. A list swapped for another of the same length
/// is only noticed when a name it finds is not where the map says; callers pass the list the
/// index last grew or a fresh one, as the reader's callers do with their events.
#[derive(Clone, Debug, Default)]
pub struct HostIndex {
    ids: HashMap<String, u32>,
    /// The list's length as this index last left it.
    len: usize,
    /// The id returned last: rows of one host usually come in runs.
    last: u32,
}

impl HostIndex {
    /// The index of `name` in `names` (its first), pushed onto `names` when absent.
    pub fn intern(&mut self, names: &mut Vec<String>, name: &str) -> u32 {
        let in_step = names.len() == self.len;
        if in_step && names.get(self.last as usize).is_some_and(|n| n == name) {
            return self.last;
        }
        let mut found = self.ids.get(name).copied();
        let stale = found.is_some_and(|id| names.get(id as usize).is_none_or(|n| n != name));
        if !in_step || stale {
            self.ids.clear();
            for (i, n) in names.iter().enumerate() {
                self.ids.entry(n.clone()).or_insert(i as u32);
            }
            found = self.ids.get(name).copied();
        }
        let id = match found {
            Some(id) => id,
            None => {
                let id = names.len() as u32;
                names.push(name.to_string());
                self.ids.insert(name.to_string(), id);
                id
            }
        };
        self.len = names.len();
        self.last = id;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are those of a plain search, whatever the order and repeats of names, and when the
    /// list changes under the index (emptied, or its names reordered).
    #[test]
    fn ids_match_a_plain_search() {
        let mut rng = crate::rng::Rng::new(6);
        let pool = ["a", "b", "\u{fffd}x", "a "];
        let mut index = HostIndex::default();
        let mut names: Vec<String> = Vec::new();
        for step in 0..2_000 {
            if step % 300 == 299 {
                names = match rng.below(2) {
                    0 => Vec::new(),
                    _ => names.iter().rev().cloned().collect(),
                };
            }
            let name = pool[rng.below(if step % 7 == 0 { 4 } else { 2 })];
            let expected = names.iter().position(|n| n == name);
            let id = index.intern(&mut names, name) as usize;
            assert_eq!(names[id], name);
            assert_eq!(id, expected.unwrap_or(names.len() - 1));
            assert!(names.len() <= pool.len());
        }
    }
}
