//! The anomaly model through the wasm face, in headless browsers (`make test-browser`): fitted
//! in the browser on the unlabelled sample, handed to the page as a digest, its training rows'
//! histogram painted on a canvas, an uploaded anomaly model scoring a file and one event.
//! Natively this file is compiled out.
#![cfg(target_arch = "wasm32")]

use cyber_attack_detector_web::anomaly_training::AnomalyTrainingSession;
use cyber_attack_detector_web::canvas::draw_training_scores;
use cyber_attack_detector_web::{Digest, Explainer, Report, ScoreSession};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::unlabelled_sample;

const ANOMALY: &str = include_str!("../../../data/anomaly.json");

fn field(value: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(value, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

fn number(value: &JsValue, name: &str) -> f64 {
    field(value, name).as_f64().unwrap_or(f64::NAN)
}

/// A request as the page's form makes it.
fn request(budget: f64) -> JsValue {
    let request = js_sys::Object::new();
    for (key, value) in [
        ("alerts_per_10k", budget),
        ("seed", 42.0),
        ("holdout", 0.25),
    ] {
        js_sys::Reflect::set(&request, &key.into(), &value.into()).expect("an object");
    }
    request.into()
}

/// A canvas of 640 × 420 pixels on the page, by id.
fn canvas(id: &str) -> HtmlCanvasElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .expect("an element")
        .dyn_into()
        .expect("a canvas");
    canvas.set_id(id);
    canvas.set_width(640);
    canvas.set_height(420);
    document
        .body()
        .expect("a body")
        .append_child(&canvas)
        .expect("added");
    canvas
}

/// Pixels of a canvas that differ from its top-left corner (the chart's background).
fn painted(canvas: &HtmlCanvasElement) -> usize {
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .expect("a 2d context")
        .dyn_into()
        .expect("2d");
    let data = context
        .get_image_data(0.0, 0.0, 640.0, 420.0)
        .expect("pixels")
        .data();
    let corner = &data[..4];
    data.chunks_exact(4).filter(|p| *p != corner).count()
}

#[wasm_bindgen_test]
fn an_anomaly_model_fitted_in_the_browser_reaches_the_page() {
    let mut session =
        AnomalyTrainingSession::from_bytes(request(500.0), unlabelled_sample(), "events.csv")
            .expect("a valid request and file");
    let mut phases = Vec::new();
    loop {
        let progress = session.advance_js().expect("fits");
        phases.push(field(&progress, "phase").as_string().unwrap_or_default());
        if field(&progress, "finished").as_bool() == Some(true) {
            break;
        }
    }
    assert_eq!(phases.last().map(String::as_str), Some("training"));
    let trained = session.finish_js().expect("fitted");
    let histogram = field(&trained, "histogram");
    let benign: f64 = js_sys::Array::from(&field(&histogram, "benign"))
        .iter()
        .filter_map(|v| v.as_f64())
        .sum();
    assert_eq!(benign, 400.0);
    let threshold = number(&trained, "threshold");
    // 500 per 10,000 of 400 rows out of fold: at most 20 alerts; in sample, no more than 400.
    assert!((0.0..=1.0).contains(&threshold), "{threshold}");
    let model = field(&trained, "model").as_string().expect("a model file");
    let digest = Digest::check_js(&model).expect("a valid model file");
    let report = Report::from_digest_js(&digest.json_js(), digest.parameters_js()).expect("shown");
    let info = report.info_js().expect("info");
    assert_eq!(field(&info, "kind").as_string().as_deref(), Some("anomaly"));
    assert_eq!(number(&info, "threshold") as f32, threshold as f32);

    let chart = canvas("training-scores");
    draw_training_scores("training-scores", histogram, threshold as f32, false).expect("drawn");
    assert!(
        painted(&chart) > 640 * 420 / 100,
        "the histogram is not painted"
    );
}

#[wasm_bindgen_test]
fn an_uploaded_anomaly_model_scores_a_file_and_an_event() {
    let mut session =
        ScoreSession::from_bytes(ANOMALY, unlabelled_sample(), "events.csv").expect("opens");
    while field(&session.advance_js().expect("reads"), "finished").as_bool() != Some(true) {}
    let outcome = session.finish_js().expect("scored");
    assert_eq!(
        field(&outcome, "kind").as_string().as_deref(),
        Some("scored")
    );
    assert_eq!(number(&outcome, "rows"), 400.0);
    assert_eq!(number(&outcome, "threshold") as f32, 0.380_771_67);

    let explainer = Explainer::from_json_js(ANOMALY).expect("loads");
    let digest = Digest::check(ANOMALY).expect("loads");
    let report = Report::from_digest(digest.json(), Vec::new()).expect("shown");
    let values = vec!["1".to_string(); report.event_form().fields.len()];
    match explainer.explain_js(values) {
        Ok(explanation) => {
            let score = number(&explanation, "score");
            assert!((0.0..=1.0).contains(&score), "{score}");
            // A histogram's event: each of the 7 fields read has its share of the surprise.
            assert_eq!(
                js_sys::Array::from(&field(&explanation, "contributions")).length(),
                7
            );
            assert_eq!(
                field(&explanation, "method").as_string().as_deref(),
                Some("additive")
            );
        }
        Err(e) => panic!("{:?}", JsValue::from(e)),
    }
}
