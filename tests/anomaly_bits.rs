//! The anomaly model is the same bits natively and in wasm, by either method: a forest grown
//! (or histograms counted) on fixed rows with a fixed seed, its threshold from the budget, and
//! the scores of fixed rows must hash to the known answers wherever the tests run (natively with `cargo test`, in headless Chromium and
//! Firefox with `make test-browser`). Only + − × ÷, comparisons and `libm`'s pure-Rust `log` and
//! `exp2` are involved, so there is nothing for a platform to round differently.

use cyber_attack_detector::features::FeatureSet;
use cyber_attack_detector::ingest::{Events, Field};
use cyber_attack_detector::model::{
    fit_anomaly, AnomalyConfig, AnomalyMethod, AnomalyModel, Detect, Estimator, Provenance,
};
use cyber_attack_detector::rng::Rng;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// FNV-1a over the bits of every score, every split value and leaf path, and the threshold.
const FOREST_ANSWER: u64 = 15_731_489_273_234_336_768;
/// FNV-1a over the bits of every score, every surprise of every bin, and the threshold.
const HISTOGRAM_ANSWER: u64 = 8_009_477_932_692_707_556;

fn fnv(bits: impl IntoIterator<Item = u64>) -> u64 {
    bits.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `rows` events with the paper's fields: OS and user processes, a few namespaces, event ids,
/// argument counts and return values of every sign.
fn events(rng: &mut Rng, rows: usize) -> Events {
    let pick = |rng: &mut Rng, values: &[f64]| values[rng.below(values.len())];
    let fields = FeatureSet::Paper.transforms();
    let mut fields: Vec<Field> = fields.iter().flat_map(|(_, t)| t.fields()).collect();
    fields.sort();
    fields.dedup();
    let values = fields
        .iter()
        .map(|field| {
            (0..rows)
                .map(|_| match field {
                    Field::ProcessId | Field::ParentProcessId => {
                        pick(rng, &[0.0, 1.0, 2.0, 379.0, 7_548.0])
                    }
                    Field::UserId => pick(rng, &[0.0, 100.0, 1_001.0]),
                    Field::MountNamespace => pick(rng, &[4_026_531_840.0, 4_026_532_231.0]),
                    Field::EventId => pick(rng, &[3.0, 41.0, 157.0, 257.0, 1_005.0]),
                    Field::ArgsNum => rng.below(6) as f64,
                    _ => pick(rng, &[-115.0, -2.0, 0.0, 0.0, 3.0, 15.0]),
                })
                .collect()
        })
        .collect();
    Events {
        fields,
        values,
        ..Events::default()
    }
}

/// The model of `method` fitted on 700 fixed rows, and its scores of 1001 others.
fn fitted(method: AnomalyMethod) -> (AnomalyModel, Vec<f32>) {
    let mut rng = Rng::new(21);
    let train = events(&mut rng, 700);
    let config = AnomalyConfig {
        trees: 40,
        method,
        ..AnomalyConfig::preset("anomaly").expect("the preset")
    };
    let provenance = Provenance::default();
    let model = fit_anomaly(&config, "anomaly", &train, provenance).expect("fits");
    let scores = model.score(&events(&mut rng, 1001)).expect("the fields");
    (model, scores)
}

/// The hash of the scores, then `parameters`, then the threshold.
fn hash(model: &AnomalyModel, scores: &[f32], parameters: Vec<u64>) -> u64 {
    let bits = scores
        .iter()
        .map(|s| u64::from(s.to_bits()))
        .chain(parameters)
        .chain([u64::from(model.threshold().to_bits())]);
    fnv(bits)
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_forest_is_the_same_bits_on_every_platform() {
    let (model, scores) = fitted(AnomalyMethod::Forest);
    let Estimator::Forest(forest) = &model.estimator else {
        panic!("a forest");
    };
    let tree_bits = forest
        .trees
        .iter()
        .flat_map(|t| t.value.iter().map(|v| v.to_bits()).collect::<Vec<_>>())
        .collect();
    let answer = hash(&model, &scores, tree_bits);
    assert_eq!(answer, FOREST_ANSWER, "first scores {:?}", &scores[..4]);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_histogram_is_the_same_bits_on_every_platform() {
    let (model, scores) = fitted(AnomalyMethod::Histogram);
    let Estimator::Histogram(histograms) = &model.estimator else {
        panic!("histograms");
    };
    let surprise_bits = histograms
        .surprises()
        .iter()
        .flatten()
        .map(|s| s.to_bits())
        .chain([histograms.most().to_bits()])
        .collect();
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
    let answer = hash(&model, &scores, surprise_bits);
    assert_eq!(answer, HISTOGRAM_ANSWER, "first scores {:?}", &scores[..4]);
}
