//! How a file's alerts change from one model to another, for the page's worker: the file read
//! once with each model (the model before first), its rows grouped into alerts each time, and
//! the scores of the events the analyst judged kept; then the core's
//! [`compare`](cyber_attack_detector::alerts::compare). Chunk by chunk, like a
//! [`ScoreSession`](super::ScoreSession).

use super::progress::{Phase, Progress};
use super::source::{Source, Tap};
use super::WebError;
#[cfg(feature = "worker")]
use super::{js_error, to_js};
use csv::ByteRecord;
use cyber_attack_detector::alerts::{
    compare, AlertChanges, AlertGrouper, AlertReport, Limits, VerdictCheck,
};
use cyber_attack_detector::ingest::{EventReader, Labels};
use cyber_attack_detector::model::{AnyModel, Detect, Scorer};
use cyber_attack_detector::verdicts::{Mark, MAX_MARKS};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
#[cfg(feature = "worker")]
use wasm_bindgen::prelude::*;

/// Rows read per [`CompareSession::advance`].
const CHUNK_ROWS: usize = 16_384;
/// Alerts listed per kind (gone, new, kept); all are counted.
pub const LISTED: usize = 50;

/// The analyst's verdicts to check against both models.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Judged {
    /// Verdicts on events, by line.
    pub events: Vec<Mark>,
    /// Verdicts on alerts, by first line.
    pub alerts: Vec<Mark>,
}

/// One model's pass over the file.
struct Pass {
    model: AnyModel,
    reader: EventReader<'static>,
    tap: Tap,
    grouper: AlertGrouper,
    scorer: Scorer,
    scores: Vec<f32>,
    raw: Vec<ByteRecord>,
    /// Whether the model flags each judged event read so far, by line.
    flagged: HashMap<u64, bool>,
}

/// A pass read to the end.
struct Done {
    report: AlertReport,
    flagged: HashMap<u64, bool>,
}

impl Done {
    /// Whether the model flagged the judged event at `line` (an event not in the file: no).
    fn flags(&self, line: u64) -> bool {
        self.flagged.get(&line).copied().unwrap_or(false)
    }
}

impl Pass {
    fn new(model: AnyModel, source: &Source, name: &str) -> Result<Pass, WebError> {
        let (input, tap) = source.open().map_err(WebError::Request)?;
        let reader = EventReader::new(input, name, &model.schema(Labels::Optional))?;
        let grouper = AlertGrouper::new(reader.headers(), Limits::default());
        Ok(Pass {
            model,
            reader,
            tap,
            grouper,
            scorer: Scorer::default(),
            scores: Vec::new(),
            raw: Vec::new(),
            flagged: HashMap::new(),
        })
    }

    /// Reads, scores and groups the next chunk; returns the rows read (0 at the end).
    fn advance(&mut self, name: &str, lines: &HashSet<u64>) -> Result<usize, WebError> {
        let mut events = self.reader.empty_events();
        self.raw.clear();
        let n = self
            .reader
            .read_chunk(CHUNK_ROWS, &mut events, Some(&mut self.raw))?;
        self.scores.clear();
        self.model
            .score_into(&events, &mut self.scorer, &mut self.scores)
            .map_err(|field| super::session::missing(name, field))?;
        self.grouper.add(&self.model, &self.raw, &self.scores);
        for (record, &score) in self.raw.iter().zip(&self.scores) {
            let line = record.position().map_or(0, csv::Position::line);
            if lines.contains(&line) {
                self.flagged.insert(line, self.model.is_suspicious(score));
            }
        }
        Ok(n)
    }

    fn finish(self) -> Done {
        Done {
            report: self.grouper.finish(),
            flagged: self.flagged,
        }
    }
}

/// The comparison being made.
#[cfg_attr(feature = "worker", wasm_bindgen)]
pub struct CompareSession {
    source: Source,
    name: String,
    judged: Judged,
    lines: HashSet<u64>,
    /// The pass under way: the model before's, then the model after's.
    pass: Option<Pass>,
    /// The model after, until its pass starts.
    next: Option<AnyModel>,
    before: Option<Done>,
    after: Option<Done>,
    rows: usize,
}

impl CompareSession {
    /// Compares `before` and `after` (either kind) on `source` (named `name`), checking `judged`.
    pub fn new(
        before: AnyModel,
        after: AnyModel,
        source: Source,
        name: &str,
        judged: Judged,
    ) -> Result<CompareSession, WebError> {
        if judged.events.len().max(judged.alerts.len()) > MAX_MARKS {
            return Err(WebError::Request(format!(
                "expected at most {MAX_MARKS} verdicts of each kind"
            )));
        }
        let pass = Pass::new(before, &source, name)?;
        Ok(CompareSession {
            lines: judged.events.iter().map(|m| m.line).collect(),
            source,
            name: name.to_string(),
            judged,
            pass: Some(pass),
            next: Some(after),
            before: None,
            after: None,
            rows: 0,
        })
    }

    /// Reads the next chunk with the model of the pass under way.
    pub fn advance(&mut self) -> Result<Progress, WebError> {
        if let Some(pass) = &mut self.pass {
            let n = pass.advance(&self.name, &self.lines)?;
            self.rows += n;
            if n == 0 {
                let done = self.pass.take().map(Pass::finish);
                match self.next.take() {
                    Some(after) => {
                        self.before = done;
                        self.pass = Some(Pass::new(after, &self.source, &self.name)?);
                    }
                    None => self.after = done,
                }
            }
        }
        let size = self.source.len() as f64;
        let first = if self.before.is_some() { size } else { 0.0 };
        let read = self.pass.as_ref().map_or(size, |p| p.tap.bytes() as f64);
        Ok(Progress {
            phase: Phase::Reading,
            done: first + read,
            total: 2.0 * size,
            rows: self.rows,
            finished: self.after.is_some(),
            loss: Vec::new(),
        })
    }

    /// The alerts compared and the verdicts checked, once both passes are read.
    pub fn finish(&self) -> Result<AlertChanges, WebError> {
        let (Some(before), Some(after)) = (&self.before, &self.after) else {
            return Err(WebError::Request(format!(
                "{} is not read to the end yet",
                self.name
            )));
        };
        let events = self
            .judged
            .events
            .iter()
            .map(|m| VerdictCheck::event(m, before.flags(m.line), after.flags(m.line)))
            .collect();
        Ok(compare(
            &before.report.alerts,
            &after.report.alerts,
            &self.judged.alerts,
            events,
            LISTED,
        ))
    }
}

/// The Web Worker's build only (feature `worker`).
#[cfg(feature = "worker")]
#[wasm_bindgen]
impl CompareSession {
    /// A session over a `File`/`Blob`, read in slices: only inside a Web Worker. `judged` is
    /// `{events, alerts}`, the analyst's verdicts.
    #[wasm_bindgen(js_name = fromBlob)]
    pub fn from_blob(
        before_json: &str,
        after_json: &str,
        blob: super::source::Blob,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "Judged")] judged: JsValue,
    ) -> Result<CompareSession, JsError> {
        let before = AnyModel::from_json(before_json).map_err(js_error)?;
        let after = AnyModel::from_json(after_json).map_err(js_error)?;
        let judged: Judged = serde_wasm_bindgen::from_value(judged).map_err(js_error)?;
        let source = Source::blob(blob).map_err(js_error)?;
        CompareSession::new(before, after, source, name, judged).map_err(js_error)
    }

    /// `{phase, done, total, rows, finished}` after reading the next chunk.
    #[wasm_bindgen(js_name = advance, unchecked_return_type = "Progress")]
    pub fn advance_js(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.advance().map_err(js_error)?)
    }

    /// The alerts compared (`AlertChanges` in `www/types.d.ts`).
    #[wasm_bindgen(js_name = finish, unchecked_return_type = "AlertChanges")]
    pub fn finish_js(self) -> Result<JsValue, JsError> {
        to_js(&self.finish().map_err(js_error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::tests::shipped;
    use cyber_attack_detector::model::Model;

    fn run(before: Model, after: Model, judged: Judged) -> Result<AlertChanges, WebError> {
        let text = crate::session::tests::unlabelled();
        let source = Source::bytes(text.as_bytes());
        let (before, after) = (
            AnyModel::Supervised(Box::new(before)),
            AnyModel::Supervised(Box::new(after)),
        );
        let mut session = CompareSession::new(before, after, source, "in.csv", judged)?;
        let mut last = 0.0;
        loop {
            let progress = session.advance()?;
            assert!(progress.done >= last && progress.done <= progress.total);
            last = progress.done;
            if progress.finished {
                assert_eq!((progress.done, progress.rows), (progress.total, 800));
                break;
            }
        }
        session.finish()
    }

    #[test]
    fn a_model_that_flags_nothing_makes_every_alert_gone() {
        let mut silent = shipped();
        silent.threshold = 2.0;
        let mark = |line, attack| Mark {
            line,
            attack,
            note: String::new(),
        };
        // tsm's alert (first line 108) said attack; its line 110 said benign.
        let judged = Judged {
            events: vec![mark(110, false)],
            alerts: vec![mark(108, true)],
        };
        let changes = run(shipped(), silent, judged).expect("valid");
        assert_eq!((changes.before, changes.after), (22, 0));
        assert_eq!(
            (changes.gone_total, changes.new_total, changes.kept_total),
            (22, 0, 0)
        );
        assert_eq!(changes.gone[0].process_name, "tsm");
        assert_eq!(changes.gone[0].first_line, 108);
        // The shipped model raised tsm and flags line 110; the silent one neither.
        let checks: Vec<(bool, bool, bool)> = changes
            .verdicts
            .iter()
            .map(|v| (v.attack, v.before, v.after))
            .collect();
        assert_eq!(checks, [(true, true, false), (false, true, false)]);
        assert_eq!((changes.agreed_before, changes.agrees_after), (1, 1));
        // The same model twice: every alert kept, unchanged.
        let same = run(shipped(), shipped(), Judged::default()).expect("valid");
        assert_eq!(
            (same.kept_total, same.gone_total, same.new_total),
            (22, 0, 0)
        );
        assert!(same.kept.iter().all(|k| k.score_change == Some(0.0)));
    }
}
