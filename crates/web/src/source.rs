//! Where a session's bytes come from: a buffer in memory (tests, small inputs) or, in the
//! page's Web Worker, a `Blob`/`File` read a slice at a time with `FileReaderSync`, so that a
//! file of any size is never held whole. Every byte read is counted (for the progress bar) and
//! hashed (for the provenance of a model trained on it) by the core's [`Tapped`] reader.

pub use cyber_attack_detector::ingest::Tap;
use cyber_attack_detector::ingest::Tapped;
use std::io::{self, BufReader, Read};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A `Blob` or `File` handed over by the page.
    #[derive(Clone)]
    pub type Blob;
    #[wasm_bindgen(method, getter)]
    fn size(this: &Blob) -> f64;
    #[wasm_bindgen(method)]
    fn slice(this: &Blob, start: f64, end: f64) -> Blob;

    /// Reads a Blob synchronously; it exists only in workers, where blocking freezes nothing.
    type FileReaderSync;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<FileReaderSync, JsValue>;
    #[wasm_bindgen(method, catch, js_name = readAsArrayBuffer)]
    fn read_as_array_buffer(
        this: &FileReaderSync,
        blob: &Blob,
    ) -> Result<js_sys::ArrayBuffer, JsValue>;
}

/// Bytes asked of the browser per read: few calls across the JS boundary, little memory.
const SLICE: usize = 1 << 20;

#[derive(Clone)]
pub enum Source {
    Bytes(Rc<[u8]>),
    Blob(Blob),
}

impl Source {
    pub fn bytes(bytes: impl Into<Rc<[u8]>>) -> Source {
        Source::Bytes(bytes.into())
    }

    /// A Blob to read in a worker; refused elsewhere, where a synchronous read is impossible.
    pub fn blob(blob: Blob) -> Result<Source, String> {
        FileReaderSync::new()
            .map(|_| Source::Blob(blob))
            .map_err(|_| {
                "a file can only be read in the page's Web Worker (no FileReaderSync here)"
                    .to_string()
            })
    }

    pub fn len(&self) -> u64 {
        match self {
            Source::Bytes(bytes) => bytes.len() as u64,
            Source::Blob(blob) => blob.size() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A reader from the start of the source, and the tap that watches what it reads.
    pub fn open(&self) -> Result<(Box<dyn Read>, Tap), String> {
        let inner: Box<dyn Read> = match self {
            Source::Bytes(bytes) => Box::new(io::Cursor::new(Rc::clone(bytes))),
            Source::Blob(blob) => {
                let reader =
                    FileReaderSync::new().map_err(|e| format!("cannot read the file: {e:?}"))?;
                let size = blob.size();
                let blob = BlobReader {
                    blob: blob.clone(),
                    reader,
                    offset: 0.0,
                    size,
                };
                Box::new(BufReader::with_capacity(SLICE, blob))
            }
        };
        let tapped = Tapped::new(inner);
        let tap = tapped.tap();
        Ok((Box::new(tapped), tap))
    }
}

struct BlobReader {
    blob: Blob,
    reader: FileReaderSync,
    offset: f64,
    size: f64,
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.offset >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let end = (self.offset + buf.len() as f64).min(self.size);
        let bytes = self
            .reader
            .read_as_array_buffer(&self.blob.slice(self.offset, end))
            .map_err(|e| io::Error::other(format!("the browser could not read the file: {e:?}")))?;
        let array = js_sys::Uint8Array::new(&bytes);
        let n = (array.length() as usize).min(buf.len());
        array.subarray(0, n as u32).copy_to(&mut buf[..n]);
        self.offset += n as f64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_in_memory_is_read_through_its_tap() {
        let source = Source::bytes(&b"abc"[..]);
        let (mut reader, tap) = source.open().expect("bytes open");
        let mut text = String::new();
        reader.read_to_string(&mut text).expect("reads");
        assert_eq!((text.as_str(), tap.bytes(), source.len()), ("abc", 3, 3));
        assert_eq!(
            tap.sha256(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
