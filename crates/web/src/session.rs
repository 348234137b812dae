//! A CSV streamed through the model a chunk at a time, for the page's Web Worker, in memory
//! that does not grow with the file (but for 10 bytes a row when labelled):
//! - a labelled file is evaluated: only each row's score, label and host are kept, plus a
//!   bounded random sample of rows for the permutation importance;
//! - an unlabelled one is scored into a CSV of every input row and column, in order, plus
//!   `score` and `verdict` (like the CLI's `score`), handed out chunk by chunk, and the most
//!   suspicious rows are kept for a table.
//!
//! Either way the rows are grouped into alerts ([`Grouping`]): the outcome lists the first of
//! them, and their ECS NDJSON is handed out once the file is read.
//!
//! A verdict CSV (the page's download of the analyst's verdicts, told by its
//! `verdict_file_sha256` column) is neither: its verdicts are read back ([`Marks`]), to be
//! put back on the file they were given on.

use super::alerts::{Alerts, Grouping};
use super::progress::{Phase, Progress};
use super::source::{Source, Tap};
use super::WebError;
#[cfg(feature = "worker")]
use super::{js_error, to_js};
use csv::ByteRecord;
use cyber_attack_detector::evaluation::{DataSummary, Evaluation};
use cyber_attack_detector::ingest::{EventReader, Field, IngestError, IngestErrorKind, Labels};
use cyber_attack_detector::model::{AnyModel, Detect, Model, Scorer};
use cyber_attack_detector::scored::{
    Cells, Evaluator, Extrapolated, ScoredCsv, TopRows, TopTable, Unprecedented,
};
use cyber_attack_detector::verdicts::{is_verdict_header, Marks, VerdictReader};
use serde::Serialize;
#[cfg(feature = "worker")]
use wasm_bindgen::prelude::*;

/// Rows read per [`ScoreSession::advance`]: a few tens of milliseconds of work, so the worker
/// sees a cancel request soon.
const CHUNK_ROWS: usize = 16_384;
/// Rows in the most-suspicious table.
pub const TOP_ROWS: usize = 25;

/// What a finished session produced.
#[derive(Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Evaluated {
        evaluation: Box<Evaluation>,
        alerts: Box<Alerts>,
        /// As [`Scored::host_namespace`].
        host_namespace: Option<String>,
    },
    Scored(Scored),
    /// A verdict CSV's verdicts.
    Verdicts(Marks),
}

#[derive(Debug, PartialEq, Serialize)]
pub struct Scored {
    pub source: String,
    /// SHA-256 (hex) of the file's bytes, when all of them were read: what the page keeps the
    /// analyst's verdicts on the file under.
    pub sha256: Option<String>,
    pub rows: usize,
    pub flagged: usize,
    /// How many flags had inputs no training event had, when something was flagged and the
    /// model keeps its training inputs.
    pub extrapolated: Option<Extrapolated>,
    /// What to say when the file had no mount namespace and its events were read as in the
    /// host's (a model that asks only whether the namespace is the host's).
    pub host_namespace: Option<String>,
    pub threshold: f32,
    pub top: TopTable,
    pub alerts: Alerts,
}

#[cfg_attr(feature = "worker", wasm_bindgen)]
pub struct ScoreSession {
    model: AnyModel,
    reader: EventReader<'static>,
    tap: Tap,
    size: u64,
    source: String,
    scorer: Scorer,
    scores: Vec<f32>,
    /// The chunk's records as read.
    raw: Vec<ByteRecord>,
    rows: usize,
    finished: bool,
    work: Work,
    grouping: Grouping,
}

enum Work {
    Evaluate(Evaluator),
    Score(Scoring),
    Import(VerdictReader),
}

struct Scoring {
    /// Scored CSV not yet handed out (boxed: the CSV writer's state is large).
    output: Box<ScoredCsv<Vec<u8>>>,
    flagged: usize,
    top: TopRows,
    unprecedented: Unprecedented,
}

impl ScoreSession {
    /// Opens `source` (named `name` in messages) for a supervised `model`; header problems
    /// fail here. An unlabelled file's scored CSV keeps every cell as read.
    pub fn new(model: Model, source: Source, name: &str) -> Result<ScoreSession, WebError> {
        let model = AnyModel::Supervised(Box::new(model));
        ScoreSession::with_cells(model, source, name, Cells::AsRead)
    }

    /// As [`ScoreSession::new`], for a model of either kind, with the scored CSV's input cells
    /// written as `cells` says.
    pub fn with_cells(
        model: AnyModel,
        source: Source,
        name: &str,
        cells: Cells,
    ) -> Result<ScoreSession, WebError> {
        let (input, tap) = source.open().map_err(WebError::Request)?;
        let reader = EventReader::new(input, name, &model.schema(Labels::Optional))?;
        let work = if is_verdict_header(reader.headers()) {
            Work::Import(VerdictReader::new(reader.headers(), name)?)
        } else if reader.has_labels() {
            Work::Evaluate(Evaluator::new(&model))
        } else {
            let output = ScoredCsv::new(Vec::new(), reader.headers(), cells).map_err(|e| {
                WebError::Request(format!("{name}: cannot write the scored CSV: {e}"))
            })?;
            let output = Box::new(output);
            Work::Score(Scoring {
                output,
                flagged: 0,
                top: TopRows::new(TOP_ROWS, reader.headers()),
                unprecedented: Unprecedented::new(&model),
            })
        };
        let grouping = Grouping::new(reader.headers());
        Ok(ScoreSession {
            model,
            reader,
            tap,
            size: source.len(),
            source: name.to_string(),
            scorer: Scorer::default(),
            scores: Vec::new(),
            raw: Vec::new(),
            rows: 0,
            finished: false,
            work,
            grouping,
        })
    }

    pub fn is_labelled(&self) -> bool {
        matches!(self.work, Work::Evaluate(_))
    }

    /// Reads and scores the next chunk of rows.
    pub fn advance(&mut self) -> Result<Progress, WebError> {
        if !self.finished {
            self.read_chunk()?;
        }
        Ok(Progress {
            phase: if self.finished && self.is_labelled() {
                Phase::Evaluating
            } else {
                Phase::Reading
            },
            done: self.tap.bytes() as f64,
            total: self.size as f64,
            rows: self.rows,
            finished: self.finished,
            loss: Vec::new(),
        })
    }

    fn read_chunk(&mut self) -> Result<(), WebError> {
        let mut events = self.reader.empty_events();
        self.raw.clear();
        let n = self
            .reader
            .read_chunk(CHUNK_ROWS, &mut events, Some(&mut self.raw))?;
        if n == 0 {
            if self.rows == 0 {
                return Err(IngestError::new(&self.source, IngestErrorKind::NoRows).into());
            }
            self.finished = true;
            self.grouping.finish(&self.model);
            return Ok(());
        }
        self.rows += n;
        if let Work::Import(import) = &mut self.work {
            return self
                .raw
                .iter()
                .try_for_each(|r| import.add(r))
                .map_err(Into::into);
        }
        self.scores.clear();
        self.model
            .score_into(&events, &mut self.scorer, &mut self.scores)
            .map_err(|field| missing(&self.source, field))?;
        self.grouping
            .add(&self.model, &self.raw, &self.scores, &events);
        match &mut self.work {
            Work::Evaluate(e) => e.add(&events, &self.scores),
            Work::Score(s) => {
                s.add(&self.model, &mut self.raw, &self.scores);
                s.unprecedented
                    .add(&self.model, &events, &self.scores)
                    .map_err(|field| missing(&self.source, field))?;
            }
            Work::Import(_) => {}
        }
        Ok(())
    }

    /// Scored CSV produced since the last call (empty for a labelled file).
    pub fn take_output(&mut self) -> Vec<u8> {
        match &mut self.work {
            Work::Score(s) => s.output.take(),
            Work::Evaluate(_) | Work::Import(_) => Vec::new(),
        }
    }

    /// The alerts' ECS NDJSON, once the file is read (empty before, and once taken).
    pub fn take_alerts(&mut self) -> Vec<u8> {
        self.grouping.take_ndjson()
    }

    /// The evaluation of a labelled file or the summary of a scored one, with its alerts;
    /// call once [`Progress::finished`] says so.
    pub fn finish(self) -> Result<Outcome, WebError> {
        if !self.finished {
            return Err(WebError::Request(format!(
                "{} is not read to the end yet",
                self.source
            )));
        }
        let source = &self.source;
        let namespace_note = self.reader.host_namespace_note();
        let grouping = self.grouping;
        let alerts = || {
            grouping
                .view()
                .ok_or_else(|| WebError::Request(format!("{source}: the alerts were not grouped")))
        };
        match self.work {
            Work::Import(import) => Ok(Outcome::Verdicts(import.finish()?)),
            Work::Evaluate(e) => {
                let data = summary(source, e.labels(), &self.tap, self.size);
                let evaluation = e.evaluate(&self.model, data);
                Ok(Outcome::Evaluated {
                    evaluation: Box::new(evaluation),
                    alerts: Box::new(alerts()?),
                    host_namespace: namespace_note,
                })
            }
            Work::Score(s) => Ok(Outcome::Scored(Scored {
                alerts: alerts()?,
                sha256: (self.tap.bytes() == self.size).then(|| self.tap.sha256()),
                source: source.clone(),
                rows: self.rows,
                flagged: s.flagged,
                extrapolated: s.unprecedented.finish(),
                host_namespace: namespace_note,
                threshold: self.model.threshold(),
                top: s.top.table(),
            })),
        }
    }
}

/// A summary of labelled rows read from a source; the hash only when all of it was read.
pub(super) fn summary(source: &str, labels: &[u8], tap: &Tap, size: u64) -> DataSummary {
    let sha256 = (tap.bytes() == size).then(|| tap.sha256());
    DataSummary::counted(source.to_string(), labels, sha256)
}

/// The model needs a field the events lack (the reader's schema makes this unreachable).
pub(super) fn missing(source: &str, field: Field) -> WebError {
    let kind = IngestErrorKind::MissingColumn {
        name: field.column().to_string(),
        found: Vec::new(),
    };
    IngestError::new(source, kind).into()
}

impl Scoring {
    fn add(&mut self, model: &impl Detect, raw: &mut [ByteRecord], scores: &[f32]) {
        for (record, &score) in raw.iter().zip(scores) {
            self.top.offer(score, model.is_suspicious(score), record);
        }
        // Writing to memory cannot fail.
        self.flagged += self.output.write(model, raw, scores).unwrap_or_default();
    }
}

/// The Web Worker's build only (feature `worker`).
#[cfg(feature = "worker")]
#[wasm_bindgen]
impl ScoreSession {
    /// A session over a `File`/`Blob`, read in slices: only inside a Web Worker. With
    /// `spreadsheet_safe`, the scored CSV guards cells a spreadsheet would run as formulas.
    #[wasm_bindgen(js_name = fromBlob)]
    pub fn from_blob(
        model_json: &str,
        blob: super::source::Blob,
        name: &str,
        spreadsheet_safe: bool,
    ) -> Result<ScoreSession, JsError> {
        let model = AnyModel::from_json(model_json).map_err(js_error)?;
        let source = Source::blob(blob).map_err(js_error)?;
        ScoreSession::with_cells(
            model,
            source,
            name,
            Cells::spreadsheet_safe(spreadsheet_safe),
        )
        .map_err(js_error)
    }

    /// A session over bytes already in memory.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(
        model_json: &str,
        bytes: Vec<u8>,
        name: &str,
    ) -> Result<ScoreSession, JsError> {
        let model = AnyModel::from_json(model_json).map_err(js_error)?;
        ScoreSession::with_cells(model, Source::bytes(bytes), name, Cells::AsRead).map_err(js_error)
    }

    /// `{phase, done, total, rows, finished}` after reading the next chunk.
    #[wasm_bindgen(js_name = advance, unchecked_return_type = "Progress")]
    pub fn advance_js(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.advance().map_err(js_error)?)
    }

    /// The scored CSV bytes produced since the last call.
    #[wasm_bindgen(js_name = takeOutput)]
    pub fn take_output_js(&mut self) -> Vec<u8> {
        self.take_output()
    }

    /// The alerts as ECS NDJSON, once the file is read (empty before, and once taken).
    #[wasm_bindgen(js_name = takeAlerts)]
    pub fn take_alerts_js(&mut self) -> Vec<u8> {
        self.take_alerts()
    }

    /// `{kind: "evaluated", evaluation, alerts}` or
    /// `{kind: "scored", source, rows, flagged, threshold, top, alerts}`.
    #[wasm_bindgen(js_name = finish, unchecked_return_type = "Outcome")]
    pub fn finish_js(self) -> Result<JsValue, JsError> {
        to_js(&self.finish().map_err(js_error)?)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use cyber_attack_detector::model::evaluate;

    const SAMPLE: &str = include_str!("../../../data/sample.csv");

    /// The shipped model, for this crate's tests.
    pub(crate) fn shipped() -> Model {
        Model::from_json(include_str!("../../../data/model.json")).expect("the shipped model loads")
    }

    fn run(text: &str) -> Result<(ScoreSession, Vec<u8>), WebError> {
        let mut session = ScoreSession::new(shipped(), Source::bytes(text.as_bytes()), "in.csv")?;
        let mut output = Vec::new();
        while !session.advance()?.finished {
            output.extend(session.take_output());
        }
        output.extend(session.take_output());
        Ok((session, output))
    }

    /// The sample without its label columns (`sus` and `evil`, the last two).
    pub(crate) fn unlabelled() -> String {
        let mut reader = csv::Reader::from_reader(SAMPLE.as_bytes());
        let header = reader.byte_headers().expect("header").clone();
        let keep = header.len() - 2;
        let mut out = Vec::new();
        {
            let mut writer = csv::Writer::from_writer(&mut out);
            writer
                .write_record(header.iter().take(keep))
                .expect("writes");
            for record in reader.byte_records() {
                let record = record.expect("valid");
                writer
                    .write_record(record.iter().take(keep))
                    .expect("writes");
            }
        }
        String::from_utf8(out).expect("utf-8")
    }

    /// What `model` makes of `text`, read to the end as the file `name`.
    fn outcome(model: &AnyModel, text: &str, name: &str) -> Outcome {
        let source = Source::bytes(text.as_bytes());
        let mut session =
            ScoreSession::with_cells(model.clone(), source, name, Cells::AsRead).expect("opens");
        while !session.advance().expect("reads").finished {}
        session.finish().expect("finished")
    }

    /// The unlabelled sample less its mountNamespace column, as BETH's per-host files lack it.
    pub(crate) fn without_mount_namespace() -> String {
        less_mount_namespace(&unlabelled())
    }

    /// `text`, a CSV of the sample's columns, less its mountNamespace column (the sixth, before
    /// any quoted field).
    fn less_mount_namespace(text: &str) -> String {
        text.lines()
            .map(|line| {
                let mut cells: Vec<&str> = line.split(',').collect();
                cells.remove(5);
                cells.join(",") + "\n"
            })
            .collect()
    }

    #[test]
    fn a_labelled_file_is_evaluated_like_the_core_does() {
        let (session, output) = run(SAMPLE).expect("valid sample");
        assert!(output.is_empty());
        let Outcome::Evaluated { evaluation, .. } = session.finish().expect("finished") else {
            panic!("a labelled file is evaluated");
        };
        let model = shipped();
        let events = cyber_attack_detector::ingest::read_events(
            SAMPLE.as_bytes(),
            "in.csv",
            &model.schema(Labels::Required),
        )
        .expect("valid sample");
        let labels = events.sus.clone().expect("labelled");
        let expected = evaluate(&model, &events, &labels, evaluation.data.clone()).expect("fields");
        // Under the sample size, the sample is every row: the same importance too. (As JSON:
        // hosts with one class have a NaN AUC, which is not equal to itself.)
        let json = |e: &Evaluation| serde_json::to_string(e).unwrap_or_default();
        assert_eq!(json(&evaluation), json(&expected));
        assert_eq!((evaluation.data.rows, evaluation.data.benign), (400, 69));
        assert!(evaluation.data.sha256.is_some());
        assert_eq!(evaluation.hosts.len(), 6);
    }

    /// 40,000 rows over 3,000 hosts, across chunks: host `h{k}` has rows k, k + 3000, …
    /// (14 rows for k < 1000, 13 after), all suspicious when k is a multiple of 5. The
    /// breakdown keeps the `MAX_HOSTS` (1,000) hosts with the most rows: the first thousand.
    #[test]
    fn many_hosts_are_counted_per_host_across_chunks() {
        let mut reader = csv::Reader::from_reader(SAMPLE.as_bytes());
        let header = reader.byte_headers().expect("header").clone();
        let column = |name: &str| header.iter().position(|h| h == name.as_bytes());
        let (host, sus) = (column("hostName"), column("sus"));
        let (Some(host), Some(sus)) = (host, sus) else {
            panic!("the sample has hostName and sus");
        };
        let records: Vec<ByteRecord> = reader.byte_records().map(|r| r.expect("row")).collect();
        let mut text = Vec::new();
        {
            let mut writer = csv::Writer::from_writer(&mut text);
            writer.write_byte_record(&header).expect("writes");
            for j in 0..40_000 {
                let mut record = ByteRecord::new();
                for (i, field) in records[j % records.len()].iter().enumerate() {
                    match i {
                        _ if i == host => record.push_field(format!("h{}", j % 3000).as_bytes()),
                        _ if i == sus => record.push_field(if j % 5 == 0 { b"1" } else { b"0" }),
                        _ => record.push_field(field),
                    }
                }
                writer.write_byte_record(&record).expect("writes");
            }
        }
        let (session, _) = run(&String::from_utf8(text).expect("utf-8")).expect("valid");
        let Outcome::Evaluated { evaluation, .. } = session.finish().expect("finished") else {
            panic!("a labelled file is evaluated");
        };
        assert_eq!(cyber_attack_detector::evaluation::MAX_HOSTS, 1000);
        assert_eq!(
            (evaluation.hosts.len(), evaluation.hosts_omitted),
            (1000, 2000)
        );
        for (k, h) in evaluation.hosts.iter().enumerate() {
            let rows = 14;
            let suspicious = if k % 5 == 0 { rows } else { 0 };
            assert_eq!(
                (h.host.as_str(), h.rows, h.suspicious),
                (format!("h{k}").as_str(), rows, suspicious)
            );
        }
    }

    #[test]
    fn an_unlabelled_file_is_scored_row_by_row_like_the_cli() {
        let (session, output) = run(&unlabelled()).expect("valid");
        let expected = include_str!("../../../tests/fixtures/sample_scores.csv");
        let mut ours = csv::Reader::from_reader(output.as_slice());
        let mut cli = csv::Reader::from_reader(expected.as_bytes());
        assert_eq!(ours.headers().expect("header").len(), 16);
        let mut n = 0;
        for (a, b) in ours.records().zip(cli.records()) {
            let (a, b) = (a.expect("row"), b.expect("row"));
            // Every input column in order, then score and verdict; the CLI had two more inputs.
            assert_eq!(
                &a.iter().take(14).collect::<Vec<_>>(),
                &b.iter().take(14).collect::<Vec<_>>()
            );
            assert_eq!(&a[14], &b[16], "score of row {n}");
            assert_eq!(&a[15], &b[17], "verdict of row {n}");
            n += 1;
        }
        assert_eq!(n, 400);
        let Outcome::Scored(scored) = session.finish().expect("finished") else {
            panic!("an unlabelled file is scored");
        };
        assert_eq!(scored.rows, 400);
        // As the core counts the sample (`scored::Unprecedented`'s test), in the session's chunks.
        let extrapolated = scored
            .extrapolated
            .expect("the shipped model keeps its inputs");
        assert_eq!(
            (extrapolated.flagged, extrapolated.unprecedented),
            (332, 287)
        );
        assert_eq!(scored.flagged, 332);
        assert_eq!(scored.top.rows.len(), TOP_ROWS);
        assert!(scored.top.rows.windows(2).all(|w| w[0].score >= w[1].score));
        assert_eq!(scored.top.columns[1], "hostName");
        // Whole rows, under the whole header, for the verdicts' labelled CSV.
        assert_eq!(scored.top.header.len(), 14);
        assert!(scored.top.rows.iter().all(|r| r.record.len() == 14));
        assert_eq!(scored.sha256.as_deref().map(str::len), Some(64));
    }

    #[test]
    fn an_anomaly_model_scores_and_evaluates_like_the_core() {
        let model = AnyModel::from_json(include_str!("../../../data/anomaly.json")).expect("loads");
        let events = cyber_attack_detector::ingest::read_events(
            SAMPLE.as_bytes(),
            "in.csv",
            &model.schema(Labels::Required),
        )
        .expect("valid sample");
        let mut scores = Vec::new();
        model
            .score_into(&events, &mut Scorer::default(), &mut scores)
            .expect("fields");
        let flagged = scores.iter().filter(|&&s| model.is_suspicious(s)).count();
        let text = unlabelled();
        let source = Source::bytes(text.as_bytes());
        let mut session = ScoreSession::with_cells(model.clone(), source, "in.csv", Cells::AsRead)
            .expect("opens");
        let mut output = Vec::new();
        while !session.advance().expect("reads").finished {
            output.extend(session.take_output());
        }
        let Outcome::Scored(scored) = session.finish().expect("finished") else {
            panic!("an unlabelled file is scored");
        };
        assert_eq!((scored.rows, scored.flagged), (400, flagged));
        assert_eq!(scored.threshold, 0.380_771_67);
        // Histograms keep no training inputs: nothing is said about precedents.
        assert_eq!(scored.extrapolated, None);
        assert_eq!(scored.host_namespace, None);
        let mut csv = csv::Reader::from_reader(output.as_slice());
        let written: Vec<f32> = csv
            .records()
            .map(|r| r.expect("row")[14].parse().expect("a score"))
            .collect();
        assert_eq!(written.len(), 400);
        assert!(written
            .iter()
            .zip(&scores)
            .all(|(a, b)| (a - b).abs() < 1e-6));
        // The labelled sample: the core's evaluation of the same rows, word for word.
        let Outcome::Evaluated { evaluation, .. } = outcome(&model, SAMPLE, "in.csv") else {
            panic!("a labelled file is evaluated");
        };
        let labels = events.sus.clone().expect("labelled");
        let expected = model
            .evaluate(&events, &labels, evaluation.data.clone())
            .expect("fields");
        let json = |e: &Evaluation| serde_json::to_string(e).unwrap_or_default();
        assert_eq!(json(&evaluation), json(&expected));
    }

    /// A file without mountNamespace (BETH's per-host files, Tracee lines without it): the
    /// anomaly model, which asks only whether the namespace is the host's, scores its events as
    /// in the host's, and the result says so; a model that z-scores it refuses the file. Tracee's
    /// v1beta1 form has no BETH eventId either, which the anomaly model also reads: refused, why.
    #[test]
    fn without_a_mount_namespace_the_anomaly_model_reads_the_hosts() {
        let model = AnyModel::from_json(include_str!("../../../data/anomaly.json")).expect("loads");
        let text = without_mount_namespace();
        assert!(
            text.starts_with("timestamp,processId,threadId,parentProcessId,userId,processName,")
        );
        let Outcome::Scored(scored) = outcome(&model, &text, "own.csv") else {
            panic!("an unlabelled file is scored");
        };
        let note = scored.host_namespace.expect("a note");
        assert!(note.starts_with("own.csv has no mountNamespace"), "{note}");
        let mut events = cyber_attack_detector::ingest::read_events(
            text.as_bytes(),
            "own.csv",
            &model.schema(Labels::Optional),
        )
        .expect("reads");
        let k = events
            .fields
            .iter()
            .position(|&f| f == Field::MountNamespace)
            .expect("read");
        assert!(events.values[k].iter().all(|&v| v == 4_026_531_840.0));
        let scores = |events: &cyber_attack_detector::ingest::Events| {
            let mut scores = Vec::new();
            model
                .score_into(events, &mut Scorer::default(), &mut scores)
                .expect("fields");
            scores
        };
        let host = scores(&events);
        let flagged = host.iter().filter(|&&s| model.is_suspicious(s)).count();
        assert_eq!((scored.rows, scored.flagged), (400, flagged));
        // Read as in another namespace every event would score lower: the host's, the rarer
        // value in training, is the cautious reading.
        events.values[k].fill(4_026_532_829.0);
        assert!(host.iter().zip(scores(&events)).all(|(h, o)| *h > o));

        // Labelled, it is evaluated on the same reading, and says so too.
        let labelled = less_mount_namespace(SAMPLE);
        let Outcome::Evaluated { host_namespace, .. } = outcome(&model, &labelled, "own.csv")
        else {
            panic!("a labelled file is evaluated");
        };
        assert_eq!(host_namespace.as_deref(), Some(note.as_str()));

        let refused = |model: AnyModel, text: &str| {
            let source = Source::bytes(text.as_bytes());
            ScoreSession::with_cells(model, source, "own", Cells::AsRead)
                .and_then(|mut s| s.advance().map(|_| ()))
                .expect_err("refused")
                .to_string()
        };
        let reference =
            AnyModel::from_json(include_str!("../../../tests/fixtures/reference_model.json"))
                .expect("loads");
        let message = refused(reference, &text);
        assert!(
            message.contains("expected a column named \"mountNamespace\""),
            "{message}"
        );
        let v1beta1 = include_str!("../../../tests/fixtures/tracee/v1beta1.jsonl");
        let message = refused(model, v1beta1);
        assert!(
            message.contains("field id: this model reads BETH's eventId"),
            "{message}"
        );
    }

    #[test]
    fn bad_input_is_an_error_with_its_place() {
        let message = |text: &str| run(text).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message("").contains("empty"));
        let header = SAMPLE.lines().next().unwrap_or_default();
        assert!(message(header).contains("no data rows"));
        assert!(message("processId,userId\n1,0\n").contains("\"parentProcessId\""));
        let bad = SAMPLE.replacen(",7337,1,100,", ",7337,1,root,", 1);
        let m = message(&bad);
        assert!(
            m.contains("line 2") && m.contains("column 5 (userId)"),
            "{m}"
        );
    }
}
