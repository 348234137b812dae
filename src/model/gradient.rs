//! Back-propagation of the weighted binary cross-entropy through an [`Mlp`].

use super::kernels::Affine;
use super::mlp::{Activation, Activations, Mlp};
use ndarray::{Array1, Array2};

/// Gradients shaped like the network's layers.
#[derive(Clone, Debug)]
pub struct Gradients {
    /// Per layer, the loss's gradient with respect to each weight, shaped like
    /// [`Dense::weights`](super::Dense::weights).
    pub weights: Vec<Array2<f32>>,
    /// Per layer, the gradient with respect to each bias, shaped like
    /// [`Dense::bias`](super::Dense::bias).
    pub bias: Vec<Array1<f32>>,
}

impl Gradients {
    /// All-zero gradients with `mlp`'s layer shapes.
    pub fn zeros_like(mlp: &Mlp) -> Gradients {
        Gradients {
            weights: mlp
                .layers
                .iter()
                .map(|l| Array2::zeros(l.weights.raw_dim()))
                .collect(),
            bias: mlp
                .layers
                .iter()
                .map(|l| Array1::zeros(l.bias.raw_dim()))
                .collect(),
        }
    }
}

/// Scratch buffers for the backward pass, reused across steps.
#[derive(Clone, Debug, Default)]
pub struct Backprop {
    acts: Activations,
    delta: Vec<f32>,
    delta_prev: Vec<f32>,
    /// A layer's inputs, or its weights, transposed.
    transposed: Vec<f32>,
    /// +0.0 and -0.0, as many as the widest layer: the starting sums of the two products.
    zeros: Vec<f32>,
    negative_zeros: Vec<f32>,
}

/// `m` (rows × cols, row-major) transposed into `out` (cols × rows).
fn transpose(m: &[f32], rows: usize, cols: usize, out: &mut Vec<f32>) {
    out.clear();
    out.extend((0..cols * rows).map(|k| m[(k % rows) * cols + k / rows]));
}

/// Probabilities are clamped this far from 0 and 1 inside the logarithm.
const EPS: f32 = 1e-7;

/// Binary cross-entropy of one prediction.
pub fn bce(p: f32, y: f32) -> f32 {
    let p = p.clamp(EPS, 1.0 - EPS);
    // libm's logf: the loss decides when training stops, so it is the same bits everywhere.
    -(y * libm::logf(p) + (1.0 - y) * libm::logf(1.0 - p))
}

impl Backprop {
    /// Computes the loss `Σ w_i · bce(p_i, y_i) / Σ w_i` on a batch and its gradients into
    /// `grads` (overwritten), adding `weight_decay · W` to each weight gradient.
    pub fn loss_and_gradients(
        &mut self,
        mlp: &Mlp,
        x: &[f32],
        y: &[f32],
        w: &[f32],
        weight_decay: f32,
        grads: &mut Gradients,
    ) -> f32 {
        let rows = y.len();
        let total_w: f32 = w.iter().sum::<f32>().max(f32::MIN_POSITIVE);
        let out = mlp.forward(x, rows, &mut self.acts);
        let mut loss = 0.0f64;
        self.delta.clear();
        for ((&p, &yi), &wi) in out.iter().zip(y).zip(w) {
            loss += (wi * bce(p, yi)) as f64;
            // d(bce)/dz through the sigmoid is p - y.
            self.delta.push(wi * (p - yi) / total_w);
        }
        let widest = mlp.sizes().into_iter().max().unwrap_or(0);
        self.zeros.resize(widest, 0.0);
        self.negative_zeros.resize(widest, -0.0);
        for l in (0..mlp.layers.len()).rev() {
            let layer = &mlp.layers[l];
            let (n_in, n_out) = (layer.inputs(), layer.outputs());
            let input: &[f32] = if l == 0 { x } else { &self.acts.outputs[l - 1] };
            let gb = grads.bias[l].as_slice_mut().unwrap_or(&mut []);
            gb.fill(0.0);
            for d in self.delta.chunks_exact(n_out) {
                for (g, &dj) in gb.iter_mut().zip(d) {
                    *g += dj;
                }
            }
            // Weight gradient inputᵀ · delta: each entry summed from 0 over the rows in order.
            transpose(input, rows, n_in, &mut self.transposed);
            let gw = grads.weights[l].as_slice_mut().unwrap_or(&mut []);
            let product = Affine {
                weights: &self.delta,
                bias: &self.zeros[..n_out],
            };
            product.apply(&self.transposed, n_in, gw);
            let wv = layer.weights.as_slice().unwrap_or(&[]);
            if weight_decay > 0.0 {
                for (g, &wij) in gw.iter_mut().zip(wv) {
                    *g += weight_decay * wij;
                }
            }
            if l == 0 {
                break;
            }
            // delta_prev = (delta · Wᵀ) ⊙ act'(input); hidden layers are ReLU. Each dot product
            // is summed in output order from -0.0, as `Iterator::sum` does.
            debug_assert_eq!(mlp.layers[l - 1].activation, Activation::Relu);
            transpose(wv, n_in, n_out, &mut self.transposed);
            self.delta_prev.resize(rows * n_in, 0.0);
            let product = Affine {
                weights: &self.transposed,
                bias: &self.negative_zeros[..n_in],
            };
            product.apply(&self.delta, rows, &mut self.delta_prev);
            for (dp, &a) in self.delta_prev.iter_mut().zip(input) {
                *dp = if a > 0.0 { *dp } else { 0.0 };
            }
            std::mem::swap(&mut self.delta, &mut self.delta_prev);
        }
        let penalty: f32 = if weight_decay > 0.0 {
            mlp.layers
                .iter()
                .map(|l| l.weights.iter().map(|w| w * w).sum::<f32>())
                .sum::<f32>()
                * weight_decay
                / 2.0
        } else {
            0.0
        };
        (loss / total_w as f64) as f32 + penalty
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// Central finite differences in f64 on a copy of the network agree with back-propagation.
    #[test]
    fn gradients_match_finite_differences() {
        let mut rng = Rng::new(11);
        let mut mlp = Mlp::new(&[3, 5, 4, 1], &mut rng);
        // Biases away from zero so no ReLU sits exactly at its kink.
        for layer in &mut mlp.layers {
            layer.bias.iter_mut().for_each(|b| *b = 0.1);
        }
        let rows = 6;
        let x: Vec<f32> = (0..rows * 3).map(|_| rng.normal() as f32).collect();
        let y: Vec<f32> = (0..rows).map(|i| (i % 2) as f32).collect();
        let w: Vec<f32> = (0..rows).map(|i| 1.0 + i as f32 * 0.5).collect();
        let decay = 0.01;
        let mut grads = Gradients::zeros_like(&mlp);
        let mut bp = Backprop::default();
        bp.loss_and_gradients(&mlp, &x, &y, &w, decay, &mut grads);

        let h = 1e-3f32;
        let mut checked = 0;
        for l in 0..mlp.layers.len() {
            for idx in 0..mlp.layers[l].weights.len() {
                let mut plus = mlp.clone();
                let mut minus = mlp.clone();
                plus.layers[l].weights.as_slice_mut().expect("contiguous")[idx] += h;
                minus.layers[l].weights.as_slice_mut().expect("contiguous")[idx] -= h;
                let mut g = Gradients::zeros_like(&mlp);
                let lp = bp.loss_and_gradients(&plus, &x, &y, &w, decay, &mut g);
                let lm = bp.loss_and_gradients(&minus, &x, &y, &w, decay, &mut g);
                let numeric = (lp - lm) / (2.0 * h);
                let analytic = grads.weights[l].as_slice().expect("contiguous")[idx];
                assert!(
                    (numeric - analytic).abs() < 2e-3 + 2e-2 * analytic.abs(),
                    "layer {l} weight {idx}: numeric {numeric} vs analytic {analytic}"
                );
                checked += 1;
            }
            for j in 0..mlp.layers[l].bias.len() {
                let mut plus = mlp.clone();
                let mut minus = mlp.clone();
                plus.layers[l].bias[j] += h;
                minus.layers[l].bias[j] -= h;
                let mut g = Gradients::zeros_like(&mlp);
                let numeric = (bp.loss_and_gradients(&plus, &x, &y, &w, decay, &mut g)
                    - bp.loss_and_gradients(&minus, &x, &y, &w, decay, &mut g))
                    / (2.0 * h);
                let analytic = grads.bias[l][j];
                assert!(
                    (numeric - analytic).abs() < 2e-3 + 2e-2 * analytic.abs(),
                    "layer {l} bias {j}: numeric {numeric} vs analytic {analytic}"
                );
            }
        }
        assert_eq!(checked, 3 * 5 + 5 * 4 + 4);
    }

    #[test]
    fn bce_known_values() {
        assert!((bce(0.5, 1.0) - std::f32::consts::LN_2).abs() < 1e-6);
        assert!((bce(0.9, 0.0) - (10.0f32).ln()).abs() < 1e-5);
        assert!(bce(0.0, 1.0).is_finite());
    }
}
