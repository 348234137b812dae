//! A reader that counts and hashes (SHA-256) every byte read through it: the progress of
//! reading a file, and the provenance of a model trained on it.

use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;

/// What a [`Tapped`] reader has read so far. Clones share it, so it can be watched while the
/// reader itself is owned elsewhere (by an [`EventReader`](super::EventReader)).
#[derive(Clone, Default)]
pub struct Tap(Rc<RefCell<Seen>>);

#[derive(Default)]
struct Seen {
    bytes: u64,
    hasher: Sha256,
}

impl Tap {
    /// Bytes read so far.
    pub fn bytes(&self) -> u64 {
        self.0.borrow().bytes
    }

    /// SHA-256 (lower-case hex) of the bytes read so far.
    pub fn sha256(&self) -> String {
        let digest = self.0.borrow().hasher.clone().finalize();
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A reader passing on what `inner` reads, counted and hashed into its [`Tap`].
pub struct Tapped<R> {
    inner: R,
    tap: Tap,
}

impl<R: Read> Tapped<R> {
    /// Reads `inner` through a new [`Tap`].
    pub fn new(inner: R) -> Tapped<R> {
        Tapped {
            inner,
            tap: Tap::default(),
        }
    }

    /// The view of what this reader has read (shared: it follows later reads too).
    pub fn tap(&self) -> Tap {
        self.tap.clone()
    }
}

impl<R: Read> Read for Tapped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut seen = self.tap.0.borrow_mut();
        seen.bytes += n as u64;
        seen.hasher.update(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tap_counts_and_hashes_what_is_read() {
        let mut reader = Tapped::new(&b"abc"[..]);
        let tap = reader.tap();
        assert_eq!((tap.bytes(), tap.sha256().len()), (0, 64));
        let mut text = String::new();
        reader.read_to_string(&mut text).expect("reads");
        assert_eq!((text.as_str(), tap.bytes()), ("abc", 3));
        assert_eq!(
            tap.sha256(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
