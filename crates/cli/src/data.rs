//! Finding BETH files in a directory and reading them with their SHA-256.

use cyber_attack_detector::evaluation::{DataSummary, Dataset};
use cyber_attack_detector::ingest::{EventReader, IngestError, IngestErrorKind, Schema, Tapped};
use std::path::{Path, PathBuf};

/// The labelled files of a BETH directory.
#[derive(Default)]
pub(crate) struct Splits {
    pub train: Option<PathBuf>,
    pub validation: Option<PathBuf>,
    pub test: Option<PathBuf>,
    /// Other labelled event files (per-host samples, `labelled_2021may-<host>.csv`).
    pub extra: Vec<PathBuf>,
}

const NAMES: [(&str, &str); 3] = [
    ("train", "labelled_training_data"),
    ("validation", "labelled_validation_data"),
    ("test", "labelled_testing_data"),
];

fn find(dir: &Path, stems: &[&str]) -> Option<PathBuf> {
    stems.iter().find_map(|stem| {
        ["csv", "csv.gz"]
            .iter()
            .map(|ext| dir.join(format!("{stem}.{ext}")))
            .find(|p| p.is_file())
    })
}

impl Splits {
    /// `path` is a directory of BETH files or a single training CSV.
    pub(crate) fn locate(path: &Path) -> Result<Splits, String> {
        if path.is_file() {
            return Ok(Splits {
                train: Some(path.to_path_buf()),
                ..Splits::default()
            });
        }
        if !path.is_dir() {
            return Err(format!("{}: no such file or directory", path.display()));
        }
        let [train, validation, test] = NAMES.map(|(short, long)| find(path, &[short, long]));
        let mut extra: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                let csv = name.ends_with(".csv") || name.ends_with(".csv.gz");
                // DNS logs are a different kind of event; the model reads process events only.
                let hosts = name.starts_with("hosts.")
                    || (name.starts_with("labelled_2021may-") && !name.contains("-dns"));
                csv && hosts
            })
            .collect();
        extra.sort();
        if train.is_none() {
            return Err(format!(
                "{}: expected a training file (train.csv, train.csv.gz or labelled_training_data.csv)",
                path.display()
            ));
        }
        Ok(Splits {
            train,
            validation,
            test,
            extra,
        })
    }
}

pub(crate) fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Reads a file of events and summarises it; the error names file, line and column.
pub(crate) fn load(path: &Path, schema: &Schema) -> Result<Dataset, LoadError> {
    let (input, name) = super::input::open(path).map_err(LoadError::Other)?;
    let mut hashing = Tapped::new(input);
    let sort = |e: IngestError| match e.kind {
        IngestErrorKind::MissingColumn { .. } => LoadError::MissingColumn(e.to_string()),
        _ => LoadError::Other(e.to_string()),
    };
    let mut reader = EventReader::new(&mut hashing, &name, schema).map_err(sort)?;
    let events = reader.read_all().map_err(sort)?;
    if let Some(note) = reader.host_namespace_note() {
        eprintln!("note: {note}");
    }
    drop(reader);
    // Hash the whole file even if the reader stopped early.
    std::io::copy(&mut hashing, &mut std::io::sink())
        .map_err(|e| LoadError::Other(format!("{name}: {e}")))?;
    let sha256 = hashing.tap().sha256();
    let summary = DataSummary::of(name, &events, Some(sha256));
    Ok(Dataset { events, summary })
}

pub enum LoadError {
    /// The file lacks a column the recipe needs: callers may skip optional files for it.
    MissingColumn(String),
    Other(String),
}

impl From<LoadError> for String {
    fn from(e: LoadError) -> String {
        match e {
            LoadError::MissingColumn(m) | LoadError::Other(m) => m,
        }
    }
}

/// Several summaries as one.
pub(crate) fn combine(parts: &[DataSummary]) -> DataSummary {
    DataSummary {
        source: parts
            .iter()
            .map(|p| p.source.as_str())
            .collect::<Vec<_>>()
            .join(" + "),
        rows: parts.iter().map(|p| p.rows).sum(),
        benign: parts.iter().map(|p| p.benign).sum(),
        suspicious: parts.iter().map(|p| p.suspicious).sum(),
        sha256: None,
    }
}
