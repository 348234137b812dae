//! A multi-layer perceptron on `ndarray`, f32: ReLU hidden layers and a sigmoid output.
//!
//! The kernels are plain loops in a fixed order (no BLAS, no fused multiply-add), so training
//! gives the same bits on every machine and in wasm.

use crate::rng::Rng;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Relu,
    Sigmoid,
}

/// A fully connected layer: `out = act(x · weights + bias)`, weights shaped inputs × outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    pub weights: Array2<f32>,
    pub bias: Array1<f32>,
    pub activation: Activation,
}

impl Dense {
    pub fn inputs(&self) -> usize {
        self.weights.nrows()
    }

    pub fn outputs(&self) -> usize {
        self.weights.ncols()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    pub layers: Vec<Dense>,
}

/// Activations of every layer for one batch, reused across calls to avoid allocation.
#[derive(Clone, Debug, Default)]
pub struct Activations {
    /// `outputs[l]` holds layer `l`'s activations, rows × outputs, row-major.
    pub outputs: Vec<Vec<f32>>,
}

impl Mlp {
    /// A network with layer sizes `sizes` (inputs first, 1 output last), He-initialised:
    /// weights ~ N(0, 2 / fan_in), biases 0.
    pub fn new(sizes: &[usize], rng: &mut Rng) -> Mlp {
        let layers = sizes
            .windows(2)
            .enumerate()
            .map(|(l, pair)| {
                let (fan_in, fan_out) = (pair[0], pair[1]);
                let std = (2.0 / fan_in.max(1) as f64).sqrt();
                let weights =
                    Array2::from_shape_simple_fn((fan_in, fan_out), || (rng.normal() * std) as f32);
                let last = l + 2 == sizes.len();
                Dense {
                    weights,
                    bias: Array1::zeros(fan_out),
                    activation: if last {
                        Activation::Sigmoid
                    } else {
                        Activation::Relu
                    },
                }
            })
            .collect();
        Mlp { layers }
    }

    pub fn inputs(&self) -> usize {
        self.layers.first().map_or(0, Dense::inputs)
    }

    /// Layer sizes, inputs first.
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![self.inputs()];
        sizes.extend(self.layers.iter().map(Dense::outputs));
        sizes
    }

    /// Runs `rows` rows of `x` (row-major, rows × inputs) through the network, keeping every
    /// layer's activations in `acts`. Returns the final outputs (one score per row).
    pub fn forward<'a>(&self, x: &[f32], rows: usize, acts: &'a mut Activations) -> &'a [f32] {
        acts.outputs.resize(self.layers.len(), Vec::new());
        for (l, layer) in self.layers.iter().enumerate() {
            let (done, rest) = acts.outputs.split_at_mut(l);
            let input: &[f32] = if l == 0 { x } else { &done[l - 1] };
            let out = &mut rest[0];
            out.clear();
            out.resize(rows * layer.outputs(), 0.0);
            dense_forward(layer, input, rows, out);
        }
        acts.outputs.last().map_or(&[], |v| v.as_slice())
    }

    /// Scores every row of a feature matrix.
    pub fn predict(&self, x: &Array2<f32>) -> Vec<f32> {
        let mut scores = Vec::with_capacity(x.nrows());
        let mut acts = Activations::default();
        let standard = x.as_standard_layout();
        let data = standard.as_slice().unwrap_or(&[]);
        const CHUNK: usize = 1024;
        let width = x.ncols();
        for start in (0..x.nrows()).step_by(CHUNK) {
            let rows = CHUNK.min(x.nrows() - start);
            let chunk = &data[start * width..(start + rows) * width];
            scores.extend_from_slice(self.forward(chunk, rows, &mut acts));
        }
        scores
    }
}

/// `out = act(input · W + b)` for a batch, row by row; the inner loop runs over the output
/// units so it is contiguous in both `W` and `out`.
fn dense_forward(layer: &Dense, input: &[f32], rows: usize, out: &mut [f32]) {
    let (n_in, n_out) = (layer.inputs(), layer.outputs());
    let w = layer.weights.as_slice().unwrap_or(&[]);
    let b = layer.bias.as_slice().unwrap_or(&[]);
    for r in 0..rows {
        let x_row = &input[r * n_in..(r + 1) * n_in];
        let o = &mut out[r * n_out..(r + 1) * n_out];
        o.copy_from_slice(b);
        for (i, &xi) in x_row.iter().enumerate() {
            if xi == 0.0 {
                continue;
            }
            let w_row = &w[i * n_out..(i + 1) * n_out];
            for (oj, &wij) in o.iter_mut().zip(w_row) {
                *oj += xi * wij;
            }
        }
        match layer.activation {
            Activation::Relu => o.iter_mut().for_each(|v| *v = v.max(0.0)),
            Activation::Sigmoid => o.iter_mut().for_each(|v| *v = sigmoid(*v)),
        }
    }
}

pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}
