//! Where `score` writes: a regular file is replaced whole and only on success; anything else the
//! path names (a FIFO, a device, a symlink, standard output as `-`) is streamed into as it is.
//!
//! A regular file is written through a uniquely named temporary file beside it, created with
//! `create_new` so that no file of the user's is ever truncated or deleted (a fixed name such as
//! `out.partial` would be), then renamed over the target. Renaming over a FIFO or `/dev/null`
//! would replace the special file with a regular one, and renaming over a symlink would replace
//! the link: those are opened and written in place instead, so a failed run may leave part of its
//! output there, as with any pipe.

use std::fs::{File, OpenOptions};
use std::io::{self, Stdout, Write};
use std::path::{Path, PathBuf};

/// An output being written; [`Output::commit`] makes it final, and dropping it uncommitted
/// removes its temporary file (a stream keeps what was written).
pub(crate) struct Output {
    sink: Sink,
    /// The temporary file and the target it replaces on commit, for a regular file.
    replace: Option<(PathBuf, PathBuf)>,
}

enum Sink {
    File(File),
    /// `-`: standard output.
    Stdout(Stdout),
}

impl Output {
    /// Opens `path` for writing as described in the module docs; `-` is standard output.
    pub(crate) fn create(path: &Path) -> io::Result<Output> {
        if path.as_os_str() == "-" {
            return Ok(Output {
                sink: Sink::Stdout(io::stdout()),
                replace: None,
            });
        }
        match std::fs::symlink_metadata(path) {
            Ok(meta) if !meta.file_type().is_file() => {
                // `write` + `truncate`, never `create`: the path exists, and a symlink is followed.
                let file = OpenOptions::new().write(true).truncate(true).open(path)?;
                Ok(Output {
                    sink: Sink::File(file),
                    replace: None,
                })
            }
            Ok(_) => Output::replacing(path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Output::replacing(path),
            Err(e) => Err(e),
        }
    }

    fn replacing(target: &Path) -> io::Result<Output> {
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let stem = target.file_name().map_or_else(
            || "output".into(),
            |name| name.to_string_lossy().into_owned(),
        );
        // The process id and a counter make the name unique among runs; `create_new` refuses a
        // name that exists anyway, and the next one is tried.
        for attempt in 0..100u32 {
            let temporary = dir.join(format!(".{stem}.{}.{attempt}.tmp", std::process::id()));
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temporary)
            {
                Ok(file) => {
                    return Ok(Output {
                        sink: Sink::File(file),
                        replace: Some((temporary, target.to_path_buf())),
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "no free temporary file name beside the output",
        ))
    }

    /// Makes the output final: flushes it, and renames a temporary file over its target.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        self.flush()?;
        match self.replace.take() {
            Some((temporary, target)) => std::fs::rename(&temporary, &target).inspect_err(|_| {
                let _ = std::fs::remove_file(&temporary);
            }),
            None => Ok(()),
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some((temporary, _)) = self.replace.take() {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::File(file) => file.write(buf),
            Sink::Stdout(out) => out.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::File(file) => file.flush(),
            Sink::Stdout(out) => out.flush(),
        }
    }
}
