//! A multi-layer perceptron on `ndarray`, f32: ReLU hidden layers and a sigmoid output. The
//! network lives here (layers, the forward pass, scoring by blocks and its scratch); its matrix
//! kernel is [`Affine`] in `kernels.rs`, and the split of rows into blocks and threads is in
//! `rows.rs`.
//!
//! The kernel is plain loops in a fixed order (no BLAS, no fused multiply-add) and the sigmoid
//! takes `libm`'s `expf`, so scoring and training give the same bits on every machine and in wasm
//! (`tests/score_bits.rs` checks a known answer natively and in Chromium).

use super::kernels::Affine;
use super::rows::{split_rows, threads_for, BLOCK};
use crate::rng::Rng;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

/// The non-linearity a [`Dense`] layer applies to each output; in the model file, `"relu"` or
/// `"sigmoid"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// `max(v, 0)`, with NaN and -0 mapped to +0: every hidden layer.
    Relu,
    /// `1 / (1 + e^-v)`, a score in [0, 1]: the output layer.
    Sigmoid,
}

/// A fully connected layer: `out = act(x · weights + bias)`, weights shaped inputs × outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    /// Inputs × outputs: row `i` holds input `i`'s weight on each output.
    pub weights: Array2<f32>,
    /// One bias per output.
    pub bias: Array1<f32>,
    /// Applied to each output after the bias is added.
    pub activation: Activation,
}

impl Dense {
    /// Width of the input this layer takes.
    pub fn inputs(&self) -> usize {
        self.weights.nrows()
    }

    /// Width of the output this layer gives.
    pub fn outputs(&self) -> usize {
        self.weights.ncols()
    }
}

/// A stack of [`Dense`] layers, each layer's outputs the next one's inputs: ReLU hidden layers and
/// a one-output sigmoid layer last, for a detector.
///
/// A network that scores `sigmoid(|x0 - x1|)`: a ReLU layer computes `x0 - x1` and `x1 - x0`
/// (one of them is 0), the output layer adds them.
///
/// ```
/// use cyber_attack_detector::model::{sigmoid, Activation, Dense, Mlp, Scratch};
/// use ndarray::{arr1, arr2};
///
/// let mlp = Mlp {
///     layers: vec![
///         Dense {
///             weights: arr2(&[[1.0, -1.0], [-1.0, 1.0]]),
///             bias: arr1(&[0.0, 0.0]),
///             activation: Activation::Relu,
///         },
///         Dense {
///             weights: arr2(&[[1.0], [1.0]]),
///             bias: arr1(&[0.0]),
///             activation: Activation::Sigmoid,
///         },
///     ],
/// };
/// assert_eq!(mlp.sizes(), [2, 2, 1]);
/// // Two rows, row-major: (2, 2) and (3, 1).
/// let x = [2.0, 2.0, 3.0, 1.0];
/// let mut scores = [0.0; 2];
/// mlp.score(&x, &mut scores, &mut Scratch::default());
/// assert_eq!(scores, [0.5, sigmoid(2.0)]);
/// assert!((sigmoid(2.0) - 0.880_797).abs() < 1e-6);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    /// First layer first. A network read from a model file has at least one layer, and consecutive
    /// widths agree.
    pub layers: Vec<Dense>,
}

/// Activations of every layer for one batch, reused across calls to avoid allocation.
#[derive(Clone, Debug, Default)]
pub struct Activations {
    /// `outputs[l]` holds layer `l`'s activations, rows × outputs, row-major.
    pub outputs: Vec<Vec<f32>>,
}

/// Scratch of [`Mlp::score`]: one block's activations of two consecutive layers.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    from: Vec<f32>,
    to: Vec<f32>,
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

    /// Width of the first layer's input, the feature vector: 0 for a network without layers.
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

    /// Scores every row of a feature matrix (on several threads when there are many rows).
    pub fn predict(&self, x: &Array2<f32>) -> Vec<f32> {
        let standard = x.as_standard_layout();
        let mut scores = vec![0.0; x.nrows() * self.outputs()];
        let mut scratches = vec![Scratch::default(); threads_for(x.nrows())];
        self.score_parallel(
            standard.as_slice().unwrap_or(&[]),
            &mut scores,
            &mut scratches,
        );
        scores
    }

    /// Width of the last layer: 1 for a detector.
    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(0, Dense::outputs)
    }

    /// Writes the final outputs of the rows of `x` (row-major, rows × inputs) into `out` (rows ×
    /// outputs), same values as [`Mlp::forward`] but keeping no activations: blocks of rows go
    /// through the whole network while they sit in cache, and nothing is allocated once
    /// `scratch` has grown to the widest layer.
    pub fn score(&self, x: &[f32], out: &mut [f32], scratch: &mut Scratch) {
        let (inputs, outputs) = (self.inputs(), self.outputs());
        let widest = self.layers.iter().map(Dense::outputs).max().unwrap_or(0);
        scratch.from.resize(BLOCK * widest, 0.0);
        scratch.to.resize(BLOCK * widest, 0.0);
        let Some((last, hidden)) = self.layers.split_last() else {
            return;
        };
        let rows = out.len() / outputs.max(1);
        for start in (0..rows).step_by(BLOCK) {
            let n = BLOCK.min(rows - start);
            let mut input = &x[start * inputs..(start + n) * inputs];
            for layer in hidden {
                dense_forward(layer, input, n, &mut scratch.to[..n * layer.outputs()]);
                std::mem::swap(&mut scratch.from, &mut scratch.to);
                input = &scratch.from[..n * layer.outputs()];
            }
            dense_forward(
                last,
                input,
                n,
                &mut out[start * outputs..(start + n) * outputs],
            );
        }
    }

    /// [`Mlp::score`] on one contiguous run of rows per scratch, each on a thread of its own
    /// (natively; one after another in wasm). Rows are scored independently, so the scores are
    /// the same bits as one call of [`Mlp::score`] gives.
    pub fn score_parallel(&self, x: &[f32], out: &mut [f32], scratches: &mut [Scratch]) {
        if scratches.is_empty() {
            return self.score(x, out, &mut Scratch::default());
        }
        let inputs = self.inputs();
        split_rows(out, self.outputs(), scratches, |scratch, rows, out| {
            self.score(&x[rows.start * inputs..rows.end * inputs], out, scratch);
        });
    }
}

/// `out = act(input · W + b)` for `rows` rows (row-major).
fn dense_forward(layer: &Dense, input: &[f32], rows: usize, out: &mut [f32]) {
    let product = Affine {
        weights: layer.weights.as_slice().unwrap_or(&[]),
        bias: layer.bias.as_slice().unwrap_or(&[]),
    };
    match layer.activation {
        Activation::Relu => product.apply_relu(input, rows, out),
        Activation::Sigmoid => {
            product.apply(input, rows, out);
            out.iter_mut().for_each(|v| *v = sigmoid(*v));
        }
    }
}

/// The logistic function, with [`libm`]'s `expf` rather than the platform's (glibc's differs
/// from the wasm build's in the last bit for some inputs), so scores and training are the same
/// bits everywhere.
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + libm::expf(-z))
}

#[cfg(test)]
mod tests {
    use super::super::kernels::tests::{bits, networks, plain_dense, ROWS};
    use super::*;

    /// Every way to run the network (keeping the activations, by blocks, on 0 to 3 threads, on
    /// a matrix) gives the bits of the plain kernel applied layer by layer.
    #[test]
    fn every_scoring_path_gives_the_plain_kernels_bits() {
        for (mlp, x) in networks() {
            let input = mlp
                .layers
                .iter()
                .fold(x.clone(), |input, layer| plain_dense(layer, &input, ROWS));
            let mut acts = Activations::default();
            let forward = mlp.forward(&x, ROWS, &mut acts);
            assert_eq!(bits(forward), bits(&input));
            let mut scores = vec![0.0; input.len()];
            mlp.score(&x, &mut scores, &mut Scratch::default());
            assert_eq!(bits(&scores), bits(&input));
            for threads in 0..4 {
                scores.fill(0.0);
                let mut scratches = vec![Scratch::default(); threads];
                mlp.score_parallel(&x, &mut scores, &mut scratches);
                assert_eq!(bits(&scores), bits(&input), "{threads} threads");
            }
            let matrix = Array2::from_shape_vec((ROWS, mlp.inputs()), x).expect("shape");
            assert_eq!(bits(&mlp.predict(&matrix)), bits(&input));
        }
    }
}
