//! What a scorer makes of scored rows: the scored CSV ([`ScoredCsv`]: every input row and
//! column, then `score` and `verdict`), written by the CLI's `score` and handed out by the
//! page's worker, the most suspicious rows ([`TopRows`]) for a table, how many flags had no
//! training precedent ([`Unprecedented`]), and the streamed evaluation of a labelled file
//! ([`Evaluator`]).

mod evaluator;
mod sample;
mod top_rows;
mod unprecedented;
mod writer;

pub use evaluator::Evaluator;
pub use sample::IMPORTANCE_SAMPLE;
pub use top_rows::{TopRow, TopRows, TopTable};
pub use unprecedented::{Extrapolated, Unprecedented};
pub use writer::{Cells, ScoredCsv};
