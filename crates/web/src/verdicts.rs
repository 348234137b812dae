//! The analyst's verdicts on a scored file, through the worker: the labelled CSV written by a
//! second pass over the file (an alert's verdict labels its process's events, which the first
//! pass did not keep), chunk by chunk like a [`ScoreSession`](super::ScoreSession). A verdict
//! CSV dropped back on the page is read by the `ScoreSession` itself (it tells one by its
//! header), into the marks the page restores.

use super::progress::{Phase, Progress};
use super::source::{Source, Tap};
use super::WebError;
#[cfg(feature = "worker")]
use super::{js_error, to_js};
use csv::ByteRecord;
use cyber_attack_detector::alerts::Limits;
use cyber_attack_detector::ingest::{EventReader, Labels};
use cyber_attack_detector::model::Detect;
use cyber_attack_detector::verdicts::{Request, VerdictCsv, Written};
#[cfg(feature = "worker")]
use wasm_bindgen::prelude::*;

/// Rows read per [`VerdictSession::advance`].
const CHUNK_ROWS: usize = 16_384;

/// The verdict CSV of one scored file, being written.
#[cfg_attr(feature = "worker", wasm_bindgen)]
pub struct VerdictSession {
    reader: EventReader<'static>,
    tap: Tap,
    size: u64,
    source: String,
    sha256: String,
    csv: VerdictCsv<Vec<u8>>,
    raw: Vec<ByteRecord>,
    rows: usize,
    finished: bool,
}

impl VerdictSession {
    /// Opens `source` (named `name`), read as `model` (of either kind) reads it, to write
    /// `request`'s verdicts.
    pub fn new(
        model: &impl Detect,
        source: Source,
        name: &str,
        request: Request,
    ) -> Result<VerdictSession, WebError> {
        let (input, tap) = source.open().map_err(WebError::Request)?;
        let reader = EventReader::new(input, name, &model.schema(Labels::Optional))?;
        let sha256 = request.sha256.clone();
        let csv = VerdictCsv::new(Vec::new(), reader.headers(), request, Limits::default())
            .map_err(|e| WebError::Request(format!("{name}: {e}")))?;
        Ok(VerdictSession {
            reader,
            tap,
            size: source.len(),
            source: name.to_string(),
            sha256,
            csv,
            raw: Vec::new(),
            rows: 0,
            finished: false,
        })
    }

    /// Reads the next chunk and writes its judged rows.
    pub fn advance(&mut self) -> Result<Progress, WebError> {
        if !self.finished {
            let mut events = self.reader.empty_events();
            self.raw.clear();
            let n = self
                .reader
                .read_chunk(CHUNK_ROWS, &mut events, Some(&mut self.raw))?;
            for record in &self.raw {
                // Writing to memory cannot fail.
                self.csv.offer(record).unwrap_or_default();
            }
            self.rows += n;
            self.finished = n == 0;
        }
        Ok(Progress {
            phase: Phase::Reading,
            done: self.tap.bytes() as f64,
            total: self.size as f64,
            rows: self.rows,
            finished: self.finished,
            loss: Vec::new(),
        })
    }

    /// The CSV written since the last call.
    pub fn take_output(&mut self) -> Vec<u8> {
        self.csv.take()
    }

    /// What was written, once read to the end; a file that is not the one the verdicts were
    /// given on (changed on disk since) is an error.
    pub fn finish(&self) -> Result<Written, WebError> {
        if !self.finished {
            return Err(WebError::Request(format!(
                "{} is not read to the end yet",
                self.source
            )));
        }
        if self.tap.sha256() != self.sha256 {
            return Err(WebError::Request(format!(
                "{} is not the file your verdicts were given on (its SHA-256 is {}, theirs {}): \
                 was it changed since it was scored?",
                self.source,
                self.tap.sha256(),
                self.sha256
            )));
        }
        Ok(self.csv.written().clone())
    }
}

/// The Web Worker's build only (feature `worker`).
#[cfg(feature = "worker")]
#[wasm_bindgen]
impl VerdictSession {
    /// A session over a `File`/`Blob`, read in slices: only inside a Web Worker. `request` is
    /// `{sha256, events, alerts, filled}` (`VerdictRequest` in `www/types.d.ts`).
    #[wasm_bindgen(js_name = fromBlob)]
    pub fn from_blob(
        model_json: &str,
        blob: super::source::Blob,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "VerdictRequest")] request: JsValue,
    ) -> Result<VerdictSession, JsError> {
        let model =
            cyber_attack_detector::model::AnyModel::from_json(model_json).map_err(js_error)?;
        let request: Request = serde_wasm_bindgen::from_value(request).map_err(js_error)?;
        let source = Source::blob(blob).map_err(js_error)?;
        VerdictSession::new(&model, source, name, request).map_err(js_error)
    }

    /// `{phase, done, total, rows, finished}` after reading the next chunk.
    #[wasm_bindgen(js_name = advance, unchecked_return_type = "Progress")]
    pub fn advance_js(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.advance().map_err(js_error)?)
    }

    /// The CSV bytes written since the last call.
    #[wasm_bindgen(js_name = takeOutput)]
    pub fn take_output_js(&mut self) -> Vec<u8> {
        self.take_output()
    }

    /// `{rows, event_rows, alert_rows, filled_rows, alert_rows_left}`.
    #[wasm_bindgen(js_name = finish, unchecked_return_type = "Written")]
    pub fn finish_js(self) -> Result<JsValue, JsError> {
        to_js(&self.finish().map_err(js_error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::tests::shipped;
    use crate::session::{Outcome, ScoreSession};
    use cyber_attack_detector::verdicts::{Filled, Mark, Marks};

    fn sha256(text: &str) -> String {
        let (mut input, tap) = Source::bytes(text.as_bytes()).open().expect("opens");
        std::io::copy(&mut input, &mut std::io::sink()).expect("reads");
        tap.sha256()
    }

    fn run(text: &str, request: Request) -> Result<(String, Written), WebError> {
        let mut session = VerdictSession::new(
            &shipped(),
            Source::bytes(text.as_bytes()),
            "in.csv",
            request,
        )?;
        let mut out = Vec::new();
        while !session.advance()?.finished {
            out.extend(session.take_output());
        }
        out.extend(session.take_output());
        let written = session.finish()?;
        Ok((String::from_utf8(out).expect("UTF-8"), written))
    }

    /// Line 2 of `text` said benign ("ours"), tsm's alert (first line 108) attack with
    /// `alert_note`, and the `filled` rows.
    fn judged(text: &str, alert_note: &str, filled: Vec<Filled>) -> Request {
        let mark = |line, attack, note: &str| Mark {
            line,
            attack,
            note: note.to_string(),
        };
        Request {
            sha256: sha256(text),
            events: vec![mark(2, false, "ours")],
            alerts: vec![mark(108, true, alert_note)],
            filled,
        }
    }

    #[test]
    fn an_alerts_verdict_writes_its_process_rows_whole() {
        let text = crate::session::tests::unlabelled();
        // tsm (pid 7555) starts on line 108 and has 282 events; line 2 is judged on its own.
        let request = judged(&text, "", Vec::new());
        let (csv, written) = run(&text, request).expect("valid");
        assert_eq!(
            (written.rows, written.event_rows, written.alert_rows),
            (283, 1, 282)
        );
        let source: Vec<&str> = text.lines().collect();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], format!("{},sus,verdict_line,verdict,verdict_note,verdict_alert_line,verdict_alert,verdict_alert_note,verdict_file_sha256", source[0]));
        assert_eq!(
            lines[1],
            format!("{},0,2,benign,ours,,,,{}", source[1], sha256(&text))
        );
        assert_eq!(
            lines[2],
            format!("{},1,108,,,108,attack,,{}", source[107], sha256(&text))
        );
    }

    /// What a `ScoreSession` makes of `text`.
    fn read_back(text: &str) -> Result<Outcome, WebError> {
        let mut session = ScoreSession::new(shipped(), Source::bytes(text.as_bytes()), "v.csv")?;
        while !session.advance()?.finished {}
        session.finish()
    }

    #[test]
    fn the_verdict_csv_read_back_gives_the_verdicts_and_a_bad_one_its_place() {
        let text = crate::session::tests::unlabelled();
        let filled = vec![Filled {
            line: 3,
            attack: true,
        }];
        let request = judged(&text, "tsm", filled);
        let (csv, _) = run(&text, request.clone()).expect("valid");
        let Outcome::Verdicts(marks) = read_back(&csv).expect("valid") else {
            panic!("a verdict CSV is read as verdicts");
        };
        // Line 3 was the model's label: no verdict of the analyst's.
        assert_eq!(
            marks,
            Marks {
                sha256: request.sha256.clone(),
                events: request.events,
                alerts: request.alerts,
                rows: 284
            }
        );
        // tsm's second event (line 109, the CSV's fourth row, line 5) with another note.
        let bad = csv
            .replacen(",108,attack,tsm,", ",108,attack,not tsm,", 2)
            .replacen(",108,attack,not tsm,", ",108,attack,tsm,", 1);
        let error = read_back(&bad)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(error, "v.csv, line 5, column 20 (verdict_alert): expected the same verdict and note as the alert's rows before, found \"attack\"");
    }

    #[test]
    fn another_file_than_the_verdicts_is_refused() {
        let text = crate::session::tests::unlabelled();
        let request = Request {
            sha256: "0".repeat(64),
            ..Request::default()
        };
        let error = run(&text, request)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.starts_with("in.csv is not the file your verdicts were given on"),
            "{error}"
        );
    }
}
