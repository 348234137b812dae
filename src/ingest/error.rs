use std::fmt;

/// Where in the input a problem was found. Lines are 1-based and count a CSV's header as line 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// 1-based line (a CSV's header being line 1); `None` when the problem is not on one line.
    pub line: Option<u64>,
    /// The column (CSV) or field (JSON lines) of the row; `None` when the problem is not in one.
    pub column: Option<Column>,
}

/// Where in a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    /// A CSV column: its 1-based position and the header's name for it.
    Csv(usize, String),
    /// A field of a JSON event, by its path (`processId`, `workload.process.pid`).
    Json(String),
}

/// What was wrong with the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IngestErrorKind {
    /// No header line at all (empty file, or only blank lines).
    Empty,
    /// A header but no data rows.
    NoRows,
    /// The model needs a column the header does not have.
    MissingColumn {
        /// The column the model reads.
        name: String,
        /// The header's column names, in order.
        found: Vec<String>,
    },
    /// The same column name appears twice in the header.
    DuplicateColumn,
    /// A row has a different number of fields from the header.
    Ragged {
        /// The header's field count.
        expected: usize,
        /// The row's field count.
        found: usize,
    },
    /// A value that should be a number is not one.
    NotANumber {
        /// The text as found, trimmed (the message shows it shortened).
        value: String,
    },
    /// A number that is NaN or infinite, or too large to be finite.
    NotFinite {
        /// The text as found, trimmed (the message shows it shortened).
        value: String,
    },
    /// A label (`sus`/`evil`) that is not 0 or 1.
    BadLabel {
        /// The text as found, trimmed (the message shows it shortened).
        value: String,
    },
    /// Bytes that are not UTF-8 where text was needed.
    NotUtf8,
    /// The gzip stream is corrupt or cut short.
    Gzip {
        /// The decoder's description of the fault.
        message: String,
    },
    /// Any other CSV syntax or I/O error.
    Csv {
        /// The CSV reader's or the operating system's description.
        message: String,
    },
    /// A record (a row, or the header) longer than `max` bytes.
    RecordTooLong {
        /// The most bytes a record may hold: [`MAX_RECORD_BYTES`](super::MAX_RECORD_BYTES).
        max: usize,
    },
    /// A header of more than `max` columns.
    TooManyColumns {
        /// The header's columns.
        found: usize,
        /// The most a header may have: [`MAX_COLUMNS`](super::MAX_COLUMNS).
        max: usize,
    },
    /// A line of JSON lines that is not one JSON object.
    Json {
        /// What the JSON parser found wrong, and at which column of the line.
        message: String,
    },
    /// A JSON event without a field the model needs.
    MissingField,
    /// The model reads BETH's `eventId`, and the event is of Tracee's current (`v1beta1`) form,
    /// whose `id` names or numbers the event in an enumeration of its own.
    EventNumbering,
    /// A JSON value of the wrong type.
    WrongType {
        /// What the field must hold, e.g. "a number".
        expected: &'static str,
        /// The value's JSON text.
        found: String,
    },
}

/// An error reading events, naming the source, line, column and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngestError {
    /// Name of the input, e.g. its file name.
    pub source: String,
    /// Where in the input.
    pub at: Location,
    /// What was wrong.
    pub kind: IngestErrorKind,
}

impl IngestError {
    /// An error of `kind` in `source`, not yet placed on a line or column.
    pub fn new(source: &str, kind: IngestErrorKind) -> IngestError {
        IngestError {
            source: source.to_string(),
            at: Location {
                line: None,
                column: None,
            },
            kind,
        }
    }

    /// The same error, placed on 1-based line `line`.
    pub fn at_line(mut self, line: u64) -> IngestError {
        self.at.line = Some(line);
        self
    }

    /// The same error, placed in the column at 0-based `index` of the header, named `name`.
    pub fn at_column(mut self, index: usize, name: &str) -> IngestError {
        self.at.column = Some(Column::Csv(index + 1, name.to_string()));
        self
    }

    /// The same error, placed in the field at `path` of a JSON event.
    pub fn at_field(mut self, path: &str) -> IngestError {
        self.at.column = Some(Column::Json(path.to_string()));
        self
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(line) = self.at.line {
            write!(f, ", line {line}")?;
        }
        match &self.at.column {
            // A duplicated header name is echoed here, and a hostile one can be megabytes long.
            Some(Column::Csv(index, name)) => write!(f, ", column {index} ({})", shorten(name))?,
            Some(Column::Json(path)) => write!(f, ", field {path}")?,
            None => {}
        }
        f.write_str(": ")?;
        match &self.kind {
            IngestErrorKind::Empty => f.write_str("the file is empty; expected a CSV header line"),
            IngestErrorKind::NoRows => f.write_str("the file has a header but no data rows"),
            IngestErrorKind::MissingColumn { name, found } => write!(
                f,
                "expected a column named {name:?}, but the header has only: {}",
                shorten(&found.join(", "))
            ),
            IngestErrorKind::DuplicateColumn => f.write_str("this column name appears twice"),
            IngestErrorKind::Ragged { expected, found } => write!(
                f,
                "expected {expected} fields like the header, found {found}"
            ),
            IngestErrorKind::NotANumber { value } => {
                write!(f, "expected a number, found {:?}", shorten(value))
            }
            IngestErrorKind::NotFinite { value } => {
                write!(f, "expected a finite number, found {:?}", shorten(value))
            }
            IngestErrorKind::BadLabel { value } => {
                write!(f, "expected a label 0 or 1, found {:?}", shorten(value))
            }
            IngestErrorKind::NotUtf8 => f.write_str("expected UTF-8 text, found invalid bytes"),
            IngestErrorKind::Gzip { message } => {
                write!(f, "the gzip data is corrupt or truncated ({message})")
            }
            IngestErrorKind::Csv { message } => write!(f, "malformed CSV ({message})"),
            IngestErrorKind::RecordTooLong { max } => write!(
                f,
                "a record longer than {max} bytes, the most one row may hold"
            ),
            IngestErrorKind::TooManyColumns { found, max } => {
                write!(f, "expected at most {max} columns, found {found}")
            }
            IngestErrorKind::Json { message } => {
                write!(
                    f,
                    "expected one JSON object per line ({})",
                    shorten(message)
                )
            }
            IngestErrorKind::MissingField => f.write_str("expected this field, found none"),
            IngestErrorKind::EventNumbering => f.write_str(
                "this model reads BETH's eventId, which Tracee's current form does not carry: its \
                 id names the event, or numbers it its own way (execve is 60 there, 59 in BETH); \
                 use a model that does not read eventId, such as the shipped supervised one",
            ),
            IngestErrorKind::WrongType { expected, found } => {
                write!(f, "expected {expected}, found {}", shorten(found))
            }
        }
    }
}

impl std::error::Error for IngestError {}

/// Values are echoed back in messages; keep a hostile multi-megabyte field from flooding them.
fn shorten(value: &str) -> String {
    const MAX: usize = 200;
    if value.chars().count() <= MAX {
        value.to_string()
    } else {
        let head: String = value.chars().take(MAX).collect();
        format!("{head}…")
    }
}
