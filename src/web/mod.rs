//! The wasm face: converts between JavaScript values and the core.
