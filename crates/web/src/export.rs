//! The model file as ONNX (the core's `export::to_onnx`), for the page's download. In the
//! worker's build: the export hashes the model file (SHA-256), which the page's build leaves out.

use super::js_error;
use cyber_attack_detector::export::to_onnx;
use cyber_attack_detector::model::Model;
use wasm_bindgen::prelude::*;

/// The ONNX file of the model file `model` (JSON text); a bad file throws with the reason.
#[wasm_bindgen(js_name = onnxFromJson)]
pub fn onnx_from_json(model: &str) -> Result<Vec<u8>, JsError> {
    Model::from_json(model)
        .map(|model| to_onnx(&model))
        .map_err(js_error)
}
