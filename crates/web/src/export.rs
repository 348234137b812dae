//! The model file as ONNX (the core's `export::to_onnx`), for the page's download. In the
//! worker's build: the export hashes the model file (SHA-256), which the page's build leaves out.

use super::js_error;
use cyber_attack_detector::export::{anomaly_to_onnx, to_onnx};
use cyber_attack_detector::model::AnyModel;
use wasm_bindgen::prelude::*;

/// The ONNX file of the model file `model` (JSON text) of either kind; a bad file throws with
/// the reason.
#[wasm_bindgen(js_name = onnxFromJson)]
pub fn onnx_from_json(model: &str) -> Result<Vec<u8>, JsError> {
    match AnyModel::from_json(model).map_err(js_error)? {
        AnyModel::Supervised(model) => Ok(to_onnx(&model)),
        AnyModel::Anomaly(model) => Ok(anomaly_to_onnx(&model)),
    }
}
