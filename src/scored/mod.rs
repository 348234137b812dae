//! What a scorer makes of scored rows: the scored CSV ([`ScoredCsv`]: every input row and
//! column, then `score` and `verdict`), written by the CLI's `score` and handed out by the
//! page's worker, and the most suspicious rows ([`TopRows`]) for a table.

mod top_rows;
mod writer;

pub use top_rows::{TopRow, TopRows, TopTable};
pub use writer::ScoredCsv;
