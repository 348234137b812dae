//! Scores are the same bits natively and in wasm: a fixed network scores fixed inputs, and a hash
//! of the scores' bits must be the known answer wherever the tests run (natively with `cargo
//! test`, in headless Chromium with `make test-browser`). The kernel picks its tiles by platform
//! (AVX-512, AVX2, SSE2 or wasm simd128) and fuses the ReLU differently on each, and the sigmoid
//! takes `libm`'s `expf` because glibc's gives other bits for some inputs (this test found it):
//! this is what keeps the page's scores and page-trained models equal to the CLI's.

use cyber_attack_detector::model::{Activations, Mlp, Scratch};
use cyber_attack_detector::rng::Rng;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// FNV-1a over the bits of every score: the same natively with the AVX-512, AVX2 and SSE2
/// kernels (checked by hand when they were written) and in Chromium.
const KNOWN_ANSWER: u64 = 5_151_502_223_598_009_957;

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn scores_are_the_same_bits_on_every_platform() {
    let mut rng = Rng::new(11);
    let mut mlp = Mlp::new(&[6, 64, 32, 16, 1], &mut rng);
    for layer in &mut mlp.layers {
        layer.bias.mapv_inplace(|_| rng.normal() as f32 * 0.1);
    }
    // Not a multiple of any tile height; zeros, ones and both signs, as binarised and
    // standardised features give.
    let rows = 1001;
    let x: Vec<f32> = (0..rows * mlp.inputs())
        .map(|_| match rng.below(4) {
            0 => 0.0,
            1 => 1.0,
            _ => rng.normal() as f32,
        })
        .collect();
    let mut scores = vec![0.0; rows];
    mlp.score(&x, &mut scores, &mut Scratch::default());
    let hash = scores.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, s| {
        (h ^ u64::from(s.to_bits())).wrapping_mul(0x0100_0000_01b3)
    });
    assert_eq!(hash, KNOWN_ANSWER, "first scores: {:?}", &scores[..4]);
    // The training path's forward pass gives the same bits.
    let mut acts = Activations::default();
    assert_eq!(mlp.forward(&x, rows, &mut acts), &scores[..]);
}
