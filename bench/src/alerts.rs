//! Grouping scored events into alerts as the page's Web Worker does (figure `alerts_188k_ms`):
//! the rows are read and scored once, then each run feeds them, chunk by chunk, to the
//! worker's own [`Grouping`] (the core's grouper with each row's model values), ranks the
//! alerts, writes their ECS NDJSON and builds the page's first 200 with their trees, timelines
//! and events.

use super::js_error;
use csv::ByteRecord;
use cyber_attack_detector::ingest::{EventReader, Events, Labels};
use cyber_attack_detector::model::{Model, Scorer};
use cyber_attack_detector_web::alerts::Grouping;
use wasm_bindgen::prelude::*;

/// Rows per chunk, as the worker reads them.
const CHUNK_ROWS: usize = 16_384;

/// A file's chunks read and scored, kept in wasm memory to be grouped on demand.
#[wasm_bindgen]
pub struct AlertGrouping {
    model: Model,
    headers: ByteRecord,
    chunks: Vec<(Vec<ByteRecord>, Vec<f32>, Events)>,
}

#[wasm_bindgen]
impl AlertGrouping {
    /// Reads and scores `csv` with the model `model_json`.
    #[wasm_bindgen(constructor)]
    pub fn new(model_json: &str, csv: &[u8]) -> Result<AlertGrouping, JsError> {
        let model = Model::from_json(model_json).map_err(js_error)?;
        let schema = model.schema(Labels::Optional);
        let mut reader = EventReader::new(csv, "input", &schema).map_err(js_error)?;
        let headers = reader.headers().clone();
        let mut scorer = Scorer::default();
        let mut chunks = Vec::new();
        loop {
            let (mut events, mut raw, mut scores) = (reader.empty_events(), Vec::new(), Vec::new());
            if reader
                .read_chunk(CHUNK_ROWS, &mut events, Some(&mut raw))
                .map_err(js_error)?
                == 0
            {
                break;
            }
            model
                .score_into(&events, &mut scorer, &mut scores)
                .map_err(|f| js_error(format!("missing column {}", f.column())))?;
            chunks.push((raw, scores, events));
        }
        Ok(AlertGrouping {
            model,
            headers,
            chunks,
        })
    }

    /// Rows held.
    pub fn rows(&self) -> usize {
        self.chunks.iter().map(|c| c.1.len()).sum()
    }

    /// Groups every row as the worker does; returns how many alerts the page lists.
    pub fn run(&self) -> Result<usize, JsError> {
        let mut grouping = Grouping::new(&self.headers);
        for (raw, scores, events) in &self.chunks {
            grouping.add(&self.model, raw, scores, events);
        }
        grouping.finish(&self.model);
        let ndjson = grouping.take_ndjson();
        let alerts = grouping
            .view()
            .ok_or_else(|| JsError::new("the alerts were not grouped"))?;
        if ndjson.is_empty() && alerts.total > 0 {
            return Err(JsError::new("no NDJSON for the alerts"));
        }
        Ok(alerts.alerts.len())
    }
}
