//! A multi-layer perceptron on `ndarray`, f32: ReLU hidden layers and a sigmoid output.
//!
//! The kernels are plain loops in a fixed order (no BLAS, no fused multiply-add) and the sigmoid
//! takes `libm`'s `expf`, so scoring and training give the same bits on every machine and in wasm
//! (`tests/score_bits.rs` checks a known answer natively and in Chromium).

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

/// Scratch of [`Mlp::score`]: one block's activations of two consecutive layers.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    from: Vec<f32>,
    to: Vec<f32>,
}

/// Rows that [`Mlp::score`] takes through every layer at once: their activations stay in L1
/// cache from one layer to the next.
const BLOCK: usize = 64;

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

/// Rows a thread should have at least before another thread is started: starting one costs
/// about as much as scoring a few hundred rows.
const ROWS_PER_THREAD: usize = 8192;

/// How many threads to score `rows` rows on: the machine's cores, at most one per
/// [`ROWS_PER_THREAD`] rows, and one in wasm.
pub(crate) fn threads_for(rows: usize) -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    #[cfg(target_arch = "wasm32")]
    let cores = 1;
    cores.min(rows / ROWS_PER_THREAD).max(1)
}

/// Splits `out` (rows × `width`, row-major) into one contiguous run of rows per state, of
/// nearly equal sizes in whole blocks, and calls `work(state, rows, out_rows)` for each:
/// natively each run but the first on a thread of its own, the first on the caller's. Needs
/// at least one state.
pub(crate) fn split_rows<S: Send>(
    out: &mut [f32],
    width: usize,
    states: &mut [S],
    work: impl Fn(&mut S, std::ops::Range<usize>, &mut [f32]) + Sync,
) {
    assert!(!states.is_empty(), "no state to score with");
    let width = width.max(1);
    let per_state = (out.len() / width)
        .div_ceil(states.len())
        .next_multiple_of(BLOCK)
        .max(BLOCK);
    let mut runs = out
        .chunks_mut(per_state * width)
        .zip(states.iter_mut())
        .enumerate()
        .map(|(k, (out, state))| {
            let start = k * per_state;
            (state, start..start + out.len() / width, out)
        });
    let Some((state, range, out)) = runs.next() else {
        return;
    };
    #[cfg(not(target_arch = "wasm32"))]
    std::thread::scope(|scope| {
        let work = &work;
        for (state, range, out) in runs {
            scope.spawn(move || work(state, range, out));
        }
        work(state, range, out);
    });
    #[cfg(target_arch = "wasm32")]
    {
        work(state, range, out);
        runs.for_each(|(state, range, out)| work(state, range, out));
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

/// `bias + x · weights` for each row `x`: the one matrix kernel of the crate, behind the
/// forward pass and both products of the backward pass.
#[derive(Clone, Copy, Debug)]
pub(super) struct Affine<'a> {
    /// inputs × outputs, row-major.
    pub weights: &'a [f32],
    /// One per output.
    pub bias: &'a [f32],
}

impl Affine<'_> {
    /// Writes `bias + x · weights` for the `rows` rows of `input` (rows × inputs, row-major)
    /// into `out` (rows × outputs). Each output is its bias plus `x_i · w_ij` added in input
    /// order, a multiply then an add (never fused), whatever the tiling or the vector width:
    /// tiles only decide which outputs are accumulated together in registers, so every machine
    /// and the wasm build give the same bits. Zero inputs are not skipped: with finite weights
    /// adding `0 · w` changes nothing, and rows are rarely sparse enough to pay for the test.
    pub(super) fn apply(self, input: &[f32], rows: usize, out: &mut [f32]) {
        self.dispatch::<false>(input, rows, out);
    }

    /// [`Affine::apply`], then [`relu`] on each output while it is still in a register.
    pub(super) fn apply_relu(self, input: &[f32], rows: usize, out: &mut [f32]) {
        self.dispatch::<true>(input, rows, out);
    }

    /// The widest tiles this CPU has registers for: AVX-512 or AVX2 when it has them (checked
    /// at run time), else 128-bit SIMD (SSE2 natively, simd128 in wasm).
    #[inline(always)]
    #[allow(unsafe_code)] // Calls `#[target_feature]` functions, each after checking the CPU.
    fn dispatch<const RELU: bool>(self, input: &[f32], rows: usize, out: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F, just checked.
            return unsafe { self.tiles_avx512::<RELU>(input, rows, out) };
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, just checked.
            return unsafe { self.tiles_avx2::<RELU>(input, rows, out) };
        }
        // 4 × 8 accumulators fill 8 of the 16 128-bit registers of SSE2 and wasm's simd128 (the
        // fastest shape in V8; bench/notes.md has the others measured).
        self.tiles_by_width::<4, 8, RELU>(input, rows, out);
    }

    /// The same tiles compiled for 256-bit registers: 3 × 16 accumulators fill 6 of the 16.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn tiles_avx2<const RELU: bool>(self, input: &[f32], rows: usize, out: &mut [f32]) {
        self.tiles_by_width::<3, 16, RELU>(input, rows, out);
    }

    /// The same 3 × 16 tiles compiled for AVX-512 (faster than AVX2 on the project's Zen 5
    /// machine; bench/notes.md). Still a multiply then an add, so the same bits.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn tiles_avx512<const RELU: bool>(self, input: &[f32], rows: usize, out: &mut [f32]) {
        self.tiles_by_width::<3, 16, RELU>(input, rows, out);
    }

    /// [`Affine::tiles`] of `R` × `C`, but a layer of one output (the score) in tiles of 8 rows:
    /// its sums are one chain of dependent adds per row, and 8 chains keep the adder busy.
    #[inline(always)]
    fn tiles_by_width<const R: usize, const C: usize, const RELU: bool>(
        self,
        input: &[f32],
        rows: usize,
        out: &mut [f32],
    ) {
        if self.bias.len() == 1 {
            self.tiles::<8, 1, RELU>(input, rows, out);
        } else {
            self.tiles::<R, C, RELU>(input, rows, out);
        }
    }

    /// [`Affine::apply`] in register tiles of `R` rows × `C` outputs, narrower at the edges.
    #[inline(always)]
    fn tiles<const R: usize, const C: usize, const RELU: bool>(
        self,
        input: &[f32],
        rows: usize,
        out: &mut [f32],
    ) {
        let n_out = self.bias.len();
        let (full_rows, full_cols) = (rows - rows % R, n_out - n_out % C);
        for r in (0..full_rows).step_by(R) {
            for j in (0..full_cols).step_by(C) {
                self.tile::<R, C, RELU>(input, (r, j), out);
            }
            for j in full_cols..n_out {
                self.tile::<R, 1, RELU>(input, (r, j), out);
            }
        }
        for r in full_rows..rows {
            for j in (0..full_cols).step_by(C) {
                self.tile::<1, C, RELU>(input, (r, j), out);
            }
            for j in full_cols..n_out {
                self.tile::<1, 1, RELU>(input, (r, j), out);
            }
        }
    }

    /// Outputs `r..r + R` × `j..j + C`, accumulated in registers.
    #[inline(always)]
    fn tile<const R: usize, const C: usize, const RELU: bool>(
        self,
        input: &[f32],
        (r, j): (usize, usize),
        out: &mut [f32],
    ) {
        let n_out = self.bias.len();
        let n_in = self.weights.len() / n_out;
        let b: &[f32; C] = self.bias[j..j + C].try_into().expect("C biases");
        let x: [&[f32]; R] = std::array::from_fn(|k| &input[(r + k) * n_in..(r + k + 1) * n_in]);
        let mut acc = [*b; R];
        // `i` counted up to `n_in`, the length of every `x` row: no bounds check per input
        // (a quarter of the time in wasm).
        for (i, w_row) in (0..n_in).zip(self.weights.chunks_exact(n_out)) {
            let w_row: &[f32; C] = w_row[j..j + C].try_into().expect("C weights");
            for (a, x_row) in acc.iter_mut().zip(&x) {
                *a = madd(*a, x_row[i], w_row);
            }
        }
        for (k, a) in acc.iter().enumerate() {
            let a = if RELU { relu_lanes(*a) } else { *a };
            out[(r + k) * n_out + j..(r + k) * n_out + j + C].copy_from_slice(&a);
        }
    }
}

/// `acc + x · w`, lane by lane (a separate multiply and add, never fused).
#[inline(always)]
fn madd<const C: usize>(acc: [f32; C], x: f32, w: &[f32; C]) -> [f32; C] {
    std::array::from_fn(|k| acc[k] + x * w[k])
}

/// `max(v, 0)`, NaN and -0 to +0, written as a comparison: `f32::max` becomes a call to `fmaxf`
/// per value in wasm (with branches in V8), about a third of scoring time before the ReLU moved
/// into the tiles.
#[inline(always)]
fn relu(v: f32) -> f32 {
    if v > 0.0 {
        v
    } else {
        0.0
    }
}

/// [`relu`] on every lane. In wasm, four lanes at a time with `f32x4.pmax(0, v)` (`0 < v ? v :
/// 0`, the same value): without it LLVM leaves one scalar `select` per lane, and V8 compiles
/// those to branches.
#[inline(always)]
fn relu_lanes<const C: usize>(mut a: [f32; C]) -> [f32; C] {
    // The lanes left for the scalar `relu`: all of them, or in wasm those after the last quad.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let rest = {
        use std::arch::wasm32::{f32x4, f32x4_extract_lane, f32x4_pmax, f32x4_splat};
        let mut quads = a.chunks_exact_mut(4);
        for q in &mut quads {
            let v = f32x4_pmax(f32x4_splat(0.0), f32x4(q[0], q[1], q[2], q[3]));
            q.copy_from_slice(&[
                f32x4_extract_lane::<0>(v),
                f32x4_extract_lane::<1>(v),
                f32x4_extract_lane::<2>(v),
                f32x4_extract_lane::<3>(v),
            ]);
        }
        quads.into_remainder()
    };
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    let rest = &mut a[..];
    rest.iter_mut().for_each(|v| *v = relu(*v));
    a
}

/// The logistic function, with [`libm`]'s `expf` rather than the platform's (glibc's differs
/// from the wasm build's in the last bit for some inputs), so scores and training are the same
/// bits everywhere.
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + libm::expf(-z))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kernel before tiling: one row at a time, zero inputs skipped.
    fn plain_dense(layer: &Dense, input: &[f32], rows: usize) -> Vec<f32> {
        let (n_in, n_out) = (layer.inputs(), layer.outputs());
        let mut out = vec![0.0; rows * n_out];
        for r in 0..rows {
            let o = &mut out[r * n_out..(r + 1) * n_out];
            o.copy_from_slice(layer.bias.as_slice().expect("contiguous"));
            for (i, &xi) in input[r * n_in..(r + 1) * n_in].iter().enumerate() {
                if xi != 0.0 {
                    for (oj, &wij) in o.iter_mut().zip(layer.weights.row(i)) {
                        *oj += xi * wij;
                    }
                }
            }
            for v in o.iter_mut() {
                *v = match layer.activation {
                    Activation::Relu => relu(*v),
                    Activation::Sigmoid => sigmoid(*v),
                };
            }
        }
        out
    }

    /// A way to run [`Affine::apply`] (without and with the fused ReLU).
    type Tiles<'w> = fn(Affine<'w>, &[f32], usize, &mut [f32]);

    /// The builds for wider registers that this CPU has.
    #[allow(unsafe_code)] // Calls `#[target_feature]` functions, each after checking the CPU.
    fn wider_builds<'w>() -> Vec<(Tiles<'w>, Tiles<'w>)> {
        #[cfg(target_arch = "x86_64")]
        {
            let mut builds: Vec<(Tiles<'w>, Tiles<'w>)> = Vec::new();
            // SAFETY (each closure): the CPU has the feature, just checked.
            if std::arch::is_x86_feature_detected!("avx2") {
                builds.push((
                    |p, i, r, o| unsafe { p.tiles_avx2::<false>(i, r, o) },
                    |p, i, r, o| unsafe { p.tiles_avx2::<true>(i, r, o) },
                ));
            }
            if std::arch::is_x86_feature_detected!("avx512f") {
                builds.push((
                    |p, i, r, o| unsafe { p.tiles_avx512::<false>(i, r, o) },
                    |p, i, r, o| unsafe { p.tiles_avx512::<true>(i, r, o) },
                ));
            }
            builds
        }
        #[cfg(not(target_arch = "x86_64"))]
        Vec::new()
    }

    fn bits(values: &[f32]) -> Vec<u32> {
        values.iter().map(|v| v.to_bits()).collect()
    }

    /// Every tile shape, block and ragged edge gives exactly the plain kernel's values.
    #[test]
    fn tiled_kernels_match_the_plain_one_exactly() {
        let mut rng = Rng::new(3);
        for sizes in [vec![6, 64, 32, 16, 1], vec![7, 13, 9, 1], vec![1, 3, 2]] {
            let mut mlp = Mlp::new(&sizes, &mut rng);
            for layer in &mut mlp.layers {
                layer.bias.mapv_inplace(|_| rng.normal() as f32 * 0.1);
            }
            let rows = 133;
            // A third of the inputs are zero, like the binarised flags.
            let x: Vec<f32> = (0..rows * sizes[0])
                .map(|_| match rng.below(3) {
                    0 => 0.0,
                    _ => rng.normal() as f32,
                })
                .collect();
            let mut input = x.clone();
            for layer in &mlp.layers {
                let expected = plain_dense(layer, &input, rows);
                let product = Affine {
                    weights: layer.weights.as_slice().expect("contiguous"),
                    bias: layer.bias.as_slice().expect("contiguous"),
                };
                let mut out = vec![0.0; expected.len()];
                let act = |v: f32| match layer.activation {
                    Activation::Relu => relu(v),
                    Activation::Sigmoid => sigmoid(v),
                };
                let shapes: [(Tiles<'_>, Tiles<'_>); 3] = [
                    (Affine::tiles::<4, 8, false>, Affine::tiles::<4, 8, true>),
                    (Affine::tiles::<3, 16, false>, Affine::tiles::<3, 16, true>),
                    (Affine::tiles::<8, 1, false>, Affine::tiles::<8, 1, true>),
                ];
                let shapes = shapes.into_iter().chain(wider_builds());
                for (k, (tiles, relu_tiles)) in shapes.enumerate() {
                    tiles(product, &input, rows, &mut out);
                    let activated: Vec<f32> = out.iter().map(|&v| act(v)).collect();
                    assert_eq!(bits(&activated), bits(&expected), "shape {k}");
                    if layer.activation == Activation::Relu {
                        out.fill(f32::NAN);
                        relu_tiles(product, &input, rows, &mut out);
                        assert_eq!(bits(&out), bits(&expected), "shape {k}, fused ReLU");
                    }
                }
                input = expected;
            }
            let mut acts = Activations::default();
            let forward = mlp.forward(&x, rows, &mut acts);
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
            let matrix = Array2::from_shape_vec((rows, sizes[0]), x).expect("shape");
            assert_eq!(bits(&mlp.predict(&matrix)), bits(&input));
        }
    }

    /// Every row goes to exactly one run, runs are contiguous and in order, in whole blocks
    /// but for the last.
    #[test]
    fn rows_split_into_contiguous_runs() {
        for rows in [0, 1, 63, 64, 65, 200, 1000] {
            for width in [1, 3] {
                for states in 1..5 {
                    let mut out = vec![0.0; rows * width];
                    let mut seen = vec![Vec::new(); states];
                    let runs = std::sync::Mutex::new(Vec::new());
                    split_rows(&mut out, width, &mut seen, |state, range, out| {
                        assert_eq!(out.len(), range.len() * width);
                        out.fill(range.start as f32);
                        state.push(range.clone());
                        runs.lock().expect("not poisoned").push(range);
                    });
                    let mut runs = runs.into_inner().expect("not poisoned");
                    runs.sort_by_key(|r| r.start);
                    let mut next = 0;
                    for (k, run) in runs.iter().enumerate() {
                        assert_eq!(run.start, next);
                        assert!(run.end > run.start);
                        assert!(k + 1 == runs.len() || run.len() % BLOCK == 0);
                        next = run.end;
                    }
                    assert_eq!(next, rows);
                    assert!(runs.len() <= states);
                    assert!(seen.iter().all(|s| s.len() <= 1));
                    for (r, chunk) in out.chunks(width).enumerate() {
                        let run = runs.iter().find(|run| run.contains(&r)).expect("a run");
                        assert!(chunk.iter().all(|&v| v == run.start as f32));
                    }
                }
            }
        }
    }
}
