//! The one matrix kernel of the crate, [`Affine`]: `bias + x · weights` for a batch of rows, in
//! register tiles compiled for AVX-512, AVX2 and 128-bit SIMD (SSE2 natively, simd128 in wasm),
//! the widest picked at run time. Every build adds the same products in the same order, a
//! multiply then an add (never fused), so all of them give the same bits; the test below compares
//! each build this CPU has with a plain loop.

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
        // A build that scores a few events (feature `compact-kernels`: the page's, for its event
        // form) keeps one tile shape: the same sums in the same order, so the same bits, in
        // about a tenth of the code (3 KB of the page's gzipped wasm).
        if cfg!(feature = "compact-kernels") {
            self.tiles::<1, 1, RELU>(input, rows, out);
            return;
        }
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::mlp::{sigmoid, Activation, Dense, Mlp};
    use crate::rng::Rng;

    /// The kernel before tiling: one row at a time, zero inputs skipped.
    pub(in crate::model) fn plain_dense(layer: &Dense, input: &[f32], rows: usize) -> Vec<f32> {
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

    /// Rows of input of every test network.
    pub(in crate::model) const ROWS: usize = 133;

    /// Test networks of several shapes, ragged against every tile, with random biases, each
    /// with [`ROWS`] rows of input of which a third are zero, like the binarised flags.
    pub(in crate::model) fn networks() -> Vec<(Mlp, Vec<f32>)> {
        let mut rng = Rng::new(3);
        [vec![6, 64, 32, 16, 1], vec![7, 13, 9, 1], vec![1, 3, 2]]
            .iter()
            .map(|sizes| {
                let mut mlp = Mlp::new(sizes, &mut rng);
                for layer in &mut mlp.layers {
                    layer.bias.mapv_inplace(|_| rng.normal() as f32 * 0.1);
                }
                let x: Vec<f32> = (0..ROWS * sizes[0])
                    .map(|_| match rng.below(3) {
                        0 => 0.0,
                        _ => rng.normal() as f32,
                    })
                    .collect();
                (mlp, x)
            })
            .collect()
    }

    /// The bit patterns of `values`, to compare floats exactly (NaN and -0 included).
    pub(in crate::model) fn bits(values: &[f32]) -> Vec<u32> {
        values.iter().map(|v| v.to_bits()).collect()
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

    /// Every tile shape, block and ragged edge gives exactly the plain kernel's values.
    #[test]
    fn tiled_kernels_match_the_plain_one_exactly() {
        for (mlp, x) in networks() {
            let mut input = x;
            for layer in &mlp.layers {
                let expected = plain_dense(layer, &input, ROWS);
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
                    tiles(product, &input, ROWS, &mut out);
                    let activated: Vec<f32> = out.iter().map(|&v| act(v)).collect();
                    assert_eq!(bits(&activated), bits(&expected), "shape {k}");
                    if layer.activation == Activation::Relu {
                        out.fill(f32::NAN);
                        relu_tiles(product, &input, ROWS, &mut out);
                        assert_eq!(bits(&out), bits(&expected), "shape {k}, fused ReLU");
                    }
                }
                input = expected;
            }
        }
    }
}
