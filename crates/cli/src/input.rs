//! Where a command reads: a file, or standard input as `-` (e.g. `tracee --output json | …`).

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Rows read, scored and written at a time by `score` and `evaluate`.
pub(crate) const CHUNK_ROWS: usize = 16_384;

/// Opens `path` for reading, `-` being standard input; returns it with the name messages use.
pub(crate) fn open(path: &Path) -> Result<(Box<dyn Read>, String), String> {
    if path.as_os_str() == "-" {
        return Ok((
            Box::new(std::io::stdin().lock()),
            "standard input".to_string(),
        ));
    }
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((Box::new(file), super::data::display_name(path)))
}
