//! Reading BETH CSV files, or Tracee's JSON lines, into columns of numbers.
//!
//! Columns are found by header name, in any order, so the original 16-column split files, the
//! 13-column per-host files and the 8-column numeric form all read the same way. Gzip input is
//! recognised by its magic bytes, and JSON lines by their first byte `{`. Every problem is an
//! [`IngestError`] naming line and column (or JSON field).

mod error;
mod format;
mod hosts;
mod lines;
mod reader;
mod row;
mod tap;
mod tracee;

pub use error::{Column, IngestError, IngestErrorKind, Location};
pub use format::EventReader;
pub use hosts::HostIndex;
pub use lines::MAX_RECORD_BYTES;
pub use reader::{decompress, read_events, MAX_COLUMNS};
pub use tap::{Tap, Tapped};

use serde::{Deserialize, Serialize};

/// The BETH columns a feature can be computed from: numbers, and two text columns
/// ([`Field::TEXT`]), which [`Events`] holds as indices into per-file lists of distinct texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "String")]
pub enum Field {
    /// `processId`: the process's id (pid); 0, 1 and 2 are the idle task, init and kthreadd.
    ProcessId,
    /// `threadId`: the thread's id.
    ThreadId,
    /// `parentProcessId`: the parent process's id (ppid).
    ParentProcessId,
    /// `userId`: the user's id (uid); below 1000 for system accounts.
    UserId,
    /// `mountNamespace`: the mount namespace the process runs in.
    MountNamespace,
    /// `eventId`: the number of the system call or event.
    EventId,
    /// `argsNum`: how many arguments the call had.
    ArgsNum,
    /// `returnValue`: what the call returned; negative for an error.
    ReturnValue,
    /// `processName`: the thread's name (Linux's `comm`, at most 15 bytes), text.
    ProcessName,
    /// `eventName`: the system call's or event's name, text.
    EventName,
}

impl Field {
    /// The text fields, in declaration order.
    pub const TEXT: [Field; 2] = [Field::ProcessName, Field::EventName];

    /// How many fields there are, numeric and text.
    pub const COUNT: usize = Field::ALL.len() + Field::TEXT.len();

    /// Whether the field is text (read as an index into [`Events::texts`]).
    pub fn is_text(self) -> bool {
        Field::TEXT.contains(&self)
    }

    /// Every numeric field, in declaration order.
    pub const ALL: [Field; 8] = [
        Field::ProcessId,
        Field::ThreadId,
        Field::ParentProcessId,
        Field::UserId,
        Field::MountNamespace,
        Field::EventId,
        Field::ArgsNum,
        Field::ReturnValue,
    ];

    /// The column's name in BETH's CSV headers.
    pub fn column(self) -> &'static str {
        match self {
            Field::ProcessId => "processId",
            Field::ThreadId => "threadId",
            Field::ParentProcessId => "parentProcessId",
            Field::UserId => "userId",
            Field::MountNamespace => "mountNamespace",
            Field::EventId => "eventId",
            Field::ArgsNum => "argsNum",
            Field::ReturnValue => "returnValue",
            Field::ProcessName => "processName",
            Field::EventName => "eventName",
        }
    }

    /// The field whose BETH column name is `name` (exact, case-sensitive), if any.
    pub fn from_column(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .chain(Field::TEXT)
            .find(|f| f.column() == name)
    }
}

/// A field named in a model file: BETH's column name, refused with the reason when it is a
/// shortcut (see [`crate::features::shortcut`]).
impl TryFrom<String> for Field {
    type Error = String;

    fn try_from(name: String) -> Result<Field, String> {
        let why = match name.as_str() {
            "hostName" => "it names the machine recorded, which a new host does not share",
            "timestamp" => "seconds since boot tell how long the host had run",
            "stackAddresses" => "addresses differ from boot to boot",
            _ => return Field::from_column(&name).ok_or(format!("unknown field {name:?}")),
        };
        Err(format!("{name} is a shortcut, refused as a feature: {why}"))
    }
}

/// Whether a file must carry the `sus` label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Labels {
    /// Training and evaluation: `sus` must be present.
    Required,
    /// Scoring: `sus` is read when present.
    Optional,
}

/// The host's own mount namespace (`mnt:[4026531840]`), which holds every process outside a
/// container or sandbox.
pub const HOST_MOUNT_NAMESPACE: f64 = 4_026_531_840.0;

/// What to read: the fields the model needs and whether labels are required.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema {
    /// The fields to read; each must be a column of the file.
    pub fields: Vec<Field>,
    /// Whether the `sus` column must be there.
    pub labels: Labels,
    /// Whether an input without `mountNamespace` (Tracee's current `v1beta1` form, BETH's
    /// per-host files) is read as if every event ran in the host's own mount namespace,
    /// [`HOST_MOUNT_NAMESPACE`], instead of refused: for a model that asks of the namespace only
    /// whether it is the host's ([`crate::features::FeatureSpec::schema`]). The reader says when
    /// it did ([`EventReader::host_namespace_note`]).
    pub host_namespace: bool,
}

/// The longest text kept of a text field, in bytes: longer ones are cut (at a character
/// boundary). Linux names a thread in at most 15 bytes and no event name is near this.
pub const MAX_TEXT_BYTES: usize = 64;

/// The distinct texts of one text field, in order of first appearance: the field's column in
/// [`Events::values`] holds indices into `names`.
#[derive(Clone, Debug, PartialEq)]
pub struct TextColumn {
    /// The text field.
    pub field: Field,
    /// Its distinct texts, each at most [`MAX_TEXT_BYTES`] long.
    pub names: Vec<String>,
}

/// Events as columns: `values[k][row]` is field `fields[k]` of a row (for a text field, the
/// index of its text in the [`TextColumn`] of `texts` for that field).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Events {
    /// The fields read, in the order of `values`.
    pub fields: Vec<Field>,
    /// One column per field, one finite value per row; all columns are the same length.
    pub values: Vec<Vec<f64>>,
    /// `sus` labels, when the file has them.
    pub sus: Option<Vec<u8>>,
    /// `evil` labels, when the file has them.
    pub evil: Option<Vec<u8>>,
    /// Per row, an index into `host_names`; empty when the file has no `hostName` column.
    pub host: Vec<u32>,
    /// The distinct host names, in order of first appearance.
    pub host_names: Vec<String>,
    /// The distinct texts of each text field read, in the order of those fields in `fields`.
    pub texts: Vec<TextColumn>,
}

impl Events {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match (self.values.first(), &self.sus) {
            (Some(column), _) => column.len(),
            (None, Some(sus)) => sus.len(),
            (None, None) => self.host.len(),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values of `field`, one per row, or `None` when it was not read.
    pub fn column(&self, field: Field) -> Option<&[f64]> {
        let k = self.fields.iter().position(|&f| f == field)?;
        Some(&self.values[k])
    }

    /// The distinct texts of the text field `field`, when it was read.
    pub fn text_names(&self, field: Field) -> Option<&[String]> {
        let column = self.texts.iter().find(|t| t.field == field)?;
        Some(&column.names)
    }

    /// The text of field `field` in row `i`, when read.
    pub fn text(&self, field: Field, i: usize) -> Option<&str> {
        let id = *self.column(field)?.get(i)?;
        self.text_names(field)?.get(id as usize).map(String::as_str)
    }

    /// Counts of (benign, suspicious) rows; (0, 0) when unlabelled.
    pub fn class_counts(&self) -> (usize, usize) {
        match &self.sus {
            Some(sus) => {
                let positives = sus.iter().filter(|&&s| s == 1).count();
                (sus.len() - positives, positives)
            }
            None => (0, 0),
        }
    }

    /// Name of the host of row `i`, when known.
    pub fn host_name(&self, i: usize) -> Option<&str> {
        let index = *self.host.get(i)? as usize;
        self.host_names.get(index).map(String::as_str)
    }

    /// A new set of events holding the rows `rows` of this one, in that order.
    pub fn select(&self, rows: &[usize]) -> Events {
        let pick_f64 = |v: &Vec<f64>| rows.iter().map(|&i| v[i]).collect::<Vec<_>>();
        let pick_u8 = |v: &Vec<u8>| rows.iter().map(|&i| v[i]).collect::<Vec<_>>();
        Events {
            fields: self.fields.clone(),
            values: self.values.iter().map(pick_f64).collect(),
            sus: self.sus.as_ref().map(pick_u8),
            evil: self.evil.as_ref().map(pick_u8),
            host: if self.host.is_empty() {
                Vec::new()
            } else {
                rows.iter().map(|&i| self.host[i]).collect()
            },
            host_names: self.host_names.clone(),
            texts: self.texts.clone(),
        }
    }

    /// Appends `other`'s rows (same fields); host names are merged.
    pub fn extend(&mut self, other: &Events) {
        if self.fields.is_empty() && self.is_empty() {
            self.fields = other.fields.clone();
            self.values = vec![Vec::new(); other.fields.len()];
            self.texts = other
                .fields
                .iter()
                .filter(|f| f.is_text())
                .map(|&field| TextColumn {
                    field,
                    names: Vec::new(),
                })
                .collect();
        }
        debug_assert_eq!(self.fields, other.fields);
        let before = self.len();
        for ((&field, mine), theirs) in self.fields.iter().zip(&mut self.values).zip(&other.values)
        {
            let names = other.text_names(field);
            let column = self.texts.iter_mut().find(|t| t.field == field);
            match (names, column) {
                (Some(names), Some(column)) => {
                    // The other file's indices, into this one's list of texts.
                    let mut index = HostIndex::default();
                    let ids: Vec<f64> = names
                        .iter()
                        .map(|name| f64::from(index.intern(&mut column.names, name)))
                        .collect();
                    mine.extend(theirs.iter().map(|&id| ids[id as usize]));
                }
                _ => mine.extend_from_slice(theirs),
            }
        }
        merge_labels(&mut self.sus, &other.sus, before, other.len());
        merge_labels(&mut self.evil, &other.evil, before, other.len());
        if !other.host.is_empty() || !self.host.is_empty() {
            let mut index = HostIndex::default();
            let names = &mut self.host_names;
            if self.host.len() < before {
                let unknown = index.intern(names, "(unknown)");
                self.host.resize(before, unknown);
            }
            for i in 0..other.len() {
                let name = other.host_name(i).unwrap_or("(unknown)");
                self.host.push(index.intern(names, name));
            }
        }
    }
}

/// Labels survive a merge only when both sides have them.
fn merge_labels(mine: &mut Option<Vec<u8>>, theirs: &Option<Vec<u8>>, before: usize, added: usize) {
    match (mine.as_mut(), theirs) {
        (Some(m), Some(t)) => m.extend_from_slice(t),
        (None, Some(t)) if before == 0 => *mine = Some(t.clone()),
        _ if added > 0 => *mine = None,
        _ => {}
    }
}
