//! Scores and training are the same bits natively and in wasm: fixed networks score fixed
//! inputs and a small training run fits fixed data, and hashes of the results' bits must be the
//! known answers wherever the tests run (natively with `cargo test`, in headless Chromium with
//! `make test-browser`). The kernel's tiles differ by platform (AVX-512, AVX2, SSE2, wasm
//! simd128, and wasm's ReLU is `f32x4.pmax`), and the sigmoid and the loss take `libm`'s `expf`
//! and `logf` because glibc's `expf` gives other bits for some inputs (this test found it): this
//! is what keeps the page's scores and trained models equal to the CLI's.

use cyber_attack_detector::model::{Labelled, Mlp, Scratch, TrainConfig, Trainer};
use cyber_attack_detector::rng::Rng;
use ndarray::Array2;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// FNV-1a over the bits of every score: the same natively (on a CPU with AVX-512, so the AVX-512
/// kernel; `tiled_kernels_match_the_plain_one_exactly` checks the others against the plain loop)
/// and in Chromium.
const SCORES: u64 = 14_176_985_324_958_983_325;
/// FNV-1a over the bits of every weight and bias after the training run.
const TRAINED: u64 = 8_188_494_746_069_187_723;

fn fnv(bits: impl IntoIterator<Item = u32>) -> u64 {
    bits.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `rows` rows of `width` inputs: zeros, ones and both signs, as binarised and standardised
/// features give.
fn inputs(rng: &mut Rng, rows: usize, width: usize) -> Vec<f32> {
    (0..rows * width)
        .map(|_| match rng.below(4) {
            0 => 0.0,
            1 => 1.0,
            _ => rng.normal() as f32,
        })
        .collect()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn scores_are_the_same_bits_on_every_platform() {
    let mut rng = Rng::new(11);
    let mut scores = Vec::new();
    // The shipped shape, and widths that are no multiple of any tile (edge tiles, with and
    // without the fused ReLU). 1001 rows: no multiple of any tile height either.
    for sizes in [[6, 64, 32, 16, 1].as_slice(), &[7, 13, 9, 1]] {
        let mut mlp = Mlp::new(sizes, &mut rng);
        for layer in &mut mlp.layers {
            layer.bias.mapv_inplace(|_| rng.normal() as f32 * 0.1);
        }
        let rows = 1001;
        let x = inputs(&mut rng, rows, mlp.inputs());
        let mut out = vec![0.0; rows];
        mlp.score(&x, &mut out, &mut Scratch::default());
        let matrix = Array2::from_shape_vec((rows, mlp.inputs()), x).expect("shape");
        assert_eq!(mlp.predict(&matrix), out, "predict and score agree");
        scores.extend(out);
    }
    let hash = fnv(scores.iter().map(|s| s.to_bits()));
    assert_eq!(hash, SCORES, "first scores: {:?}", &scores[..4]);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn training_is_the_same_bits_on_every_platform() {
    let mut rng = Rng::new(12);
    let rows = 400;
    let x = inputs(&mut rng, rows, 6);
    // Suspicious when the first two inputs are both set, plus some label noise.
    let y = (0..rows)
        .map(|r| u8::from((x[r * 6] > 0.5 && x[r * 6 + 1] > 0.5) ^ (rng.below(10) == 0)))
        .collect();
    let data = Labelled {
        x: Array2::from_shape_vec((rows, 6), x).expect("shape"),
        y,
    };
    // The project's recipe (Adam, weight decay, early stopping on the loss), smaller.
    let config = TrainConfig {
        hidden: vec![16, 8],
        batch_size: 64,
        max_steps: 120,
        ..TrainConfig::default_recipe()
    };
    let mut trainer = Trainer::new(config, data, None).expect("two classes");
    trainer.constrain_monotone(&[0, 1]);
    let (mlp, _) = trainer.run();
    let bits = mlp.layers.iter().flat_map(|l| {
        let weights = l.weights.iter().chain(l.bias.iter());
        weights.map(|w| w.to_bits()).collect::<Vec<_>>()
    });
    assert_eq!(fnv(bits), TRAINED);
}

/// FNV-1a over the bits of the names-preset fixture's scores of data/sample.csv.
const NAMES_SCORES: u64 = 18_267_729_250_166_043_328;

/// A model reading processName and eventName (tokens coded through its vocabulary) scores the
/// sample to the same bits on every platform.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn text_features_score_the_same_bits_on_every_platform() {
    use cyber_attack_detector::ingest::{read_events, Labels};
    use cyber_attack_detector::model::Model;
    let model = Model::from_json(include_str!("fixtures/names_model.json")).expect("the fixture");
    let sample = include_bytes!("../data/sample.csv");
    let events = read_events(&sample[..], "sample.csv", &model.schema(Labels::Optional))
        .expect("the sample");
    let scores = model.score(&events).expect("every field");
    assert_eq!(scores.len(), 400);
    let hash = fnv(scores.iter().map(|s| s.to_bits()));
    assert_eq!(hash, NAMES_SCORES, "first scores: {:?}", &scores[..4]);
}
