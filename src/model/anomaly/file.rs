//! The anomaly model's file: the supervised model file's envelope (`format`, `version`) with
//! `"kind": "anomaly"`, the feature spec, the histogram or the forest, threshold, training
//! settings, provenance, evaluation and comparisons; validated before a model is built from it.

use super::forest::{depth_limit, Forest, Tree};
use super::histogram::{Bins, Histograms};
use super::{AnomalyMethod, AnomalyModel, AnomalyTraining, Compared, Estimator, SeedRow};
use crate::evaluation::Evaluation;
use crate::model::file::{
    envelope, json_error, out_of_f32_range, shorten, validate_evaluation, validate_features,
    within_rows_each, ModelError, Provenance, FORMAT, MAX_LIST, MAX_SEEDS, VERSION,
};
use serde::{Deserialize, Serialize};

/// The `"kind"` of an anomaly model file (a supervised file has none, or `"supervised"`).
pub const KIND: &str = "anomaly";
/// Most trees a file may hold.
pub const MAX_TREES: usize = 10_000;
/// Most nodes of all trees together (a tree of n rows has at most 2n − 1).
pub const MAX_NODES: usize = 4_000_000;
/// Most values a histogram may keep per feature.
pub const MAX_VALUES: usize = 4_096;
/// Most rows a histogram may have counted: every count is then an exact f64.
const MAX_COUNTED: u64 = 1 << 53;
/// Longest path a leaf may claim: deeper than any tree of [`MAX_NODES`] rows could grow, plus
/// the average path of as many rows.
const MAX_PATH: f64 = 64.0;
/// Most comparisons stored.
pub(crate) const MAX_COMPARED: usize = 100;

/// An anomaly model file as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnomalyFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version, at most [`VERSION`].
    pub version: u32,
    /// Always [`KIND`].
    pub kind: String,
    /// The fitted feature spec.
    pub features: crate::features::FeatureSpec,
    /// The isolation forest (`training.config.method` `"forest"`, or no method: older files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forest: Option<Forest>,
    /// The histograms (`training.config.method` `"histogram"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub histogram: Option<Histograms>,
    /// Scores at or above this are alerts; in [0, 1].
    pub threshold: f32,
    /// How it was fitted and its threshold chosen.
    pub training: AnomalyTraining,
    /// Where the model and its data came from.
    pub provenance: Provenance,
    /// Results on labelled test rows, if evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Evaluation>,
    /// Other models on the same test rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compared: Vec<Compared>,
    /// The recipe and the paper's refitted with other seeds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seed_study: Vec<SeedRow>,
}

/// Whether parsed model-file JSON is an anomaly model: errs on a `"kind"` that is neither.
pub fn is_anomaly_file(value: &serde_json::Value) -> Result<bool, ModelError> {
    match value.get("kind") {
        None => Ok(false),
        Some(serde_json::Value::String(k)) if k == "supervised" => Ok(false),
        Some(serde_json::Value::String(k)) if k == KIND => Ok(true),
        Some(other) => Err(ModelError::Invalid(format!(
            "\"kind\" is {}; expected \"supervised\" or \"{KIND}\"",
            shorten(&other.to_string(), 80)
        ))),
    }
}

impl AnomalyModel {
    /// This model in the file's shape.
    pub fn to_file(&self) -> AnomalyFile {
        AnomalyFile {
            format: FORMAT.to_string(),
            version: VERSION,
            kind: KIND.to_string(),
            features: self.spec.clone(),
            forest: match &self.estimator {
                Estimator::Forest(forest) => Some(forest.clone()),
                Estimator::Histogram(_) => None,
            },
            histogram: match &self.estimator {
                Estimator::Histogram(histogram) => Some(histogram.clone()),
                Estimator::Forest(_) => None,
            },
            threshold: self.threshold,
            training: self.training.clone(),
            provenance: self.provenance.clone(),
            evaluation: self.evaluation.clone(),
            compared: self.compared.clone(),
            seed_study: self.seed_study.clone(),
        }
    }

    /// This model as pretty-printed JSON that [`AnomalyModel::from_json`] reads back equal.
    pub fn to_json(&self) -> String {
        // Plain structs of numbers and strings: serialising cannot fail.
        serde_json::to_string_pretty(&self.to_file()).unwrap_or_default()
    }

    /// Parses and validates an anomaly model file (a leading byte order mark is skipped).
    pub fn from_json(text: &str) -> Result<AnomalyModel, ModelError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value = envelope(text)?;
        if !is_anomaly_file(&value)? {
            return Err(ModelError::Invalid(format!(
                "expected \"kind\": \"{KIND}\" (this is a supervised model file)"
            )));
        }
        AnomalyModel::from_checked_json(text, value)
    }

    /// [`AnomalyModel::from_json`] after the envelope was checked and gave `value`.
    pub(crate) fn from_checked_json(
        text: &str,
        value: serde_json::Value,
    ) -> Result<AnomalyModel, ModelError> {
        // The spec and the forest hold f64 values; the rest (the histogram's values too) is
        // read as f32.
        out_of_f32_range(&value, &["features", "forest", "training"])?;
        drop(value);
        let file: AnomalyFile = serde_json::from_str(text).map_err(json_error)?;
        AnomalyModel::from_file(file)
    }

    /// Checks a parsed file and builds the model: valid features; the estimator its
    /// `training.config.method` names, and no other (see [`check_forest`] and
    /// [`check_histogram`]); a threshold in [0, 1]; evaluations as the supervised file's. Errs
    /// naming the field.
    pub fn from_file(file: AnomalyFile) -> Result<AnomalyModel, ModelError> {
        let invalid = |m: String| Err(ModelError::Invalid(m));
        validate_features(&file.features)?;
        let width = file.features.len();
        let estimator = match (file.training.config.method, file.forest, file.histogram) {
            (AnomalyMethod::Forest, Some(forest), None) => {
                check_forest(&forest, width)?;
                Estimator::Forest(forest)
            }
            (AnomalyMethod::Histogram, None, Some(histogram)) => {
                check_histogram(&histogram, width)?;
                Estimator::Histogram(Histograms::new(histogram.rows, histogram.features))
            }
            (method, forest, histogram) => {
                return invalid(format!(
                    "training.config.method is \"{}\" but the file holds {}; expected \"{}\" alone",
                    method.name(),
                    match (forest.is_some(), histogram.is_some()) {
                        (true, true) => "both \"forest\" and \"histogram\"",
                        (true, false) => "\"forest\"",
                        (false, true) => "\"histogram\"",
                        (false, false) => "neither \"forest\" nor \"histogram\"",
                    },
                    method.name(),
                ));
            }
        };
        if !(0.0..=1.0).contains(&file.threshold) {
            return invalid(format!("threshold {} is outside [0, 1]", file.threshold));
        }
        let config = &file.training.config;
        if config.trees > MAX_TREES
            || config.sample_size > MAX_NODES
            || config.bins > MAX_VALUES
            || config.folds > MAX_LIST
            || !config.alerts_per_10k.is_finite()
        {
            return invalid("training.config is out of range".into());
        }
        let files =
            (file.provenance.training_data.len()).max(file.provenance.calibration_data.len());
        if files > MAX_LIST
            || file.training.method_study.len() > MAX_SEEDS
            || file.compared.len() > MAX_COMPARED
            || file.seed_study.len() > MAX_SEEDS
        {
            return invalid(format!(
                "the file lists {files} training or calibration files, {} method scores, {} comparisons and {} seeds; at most {MAX_LIST}, {MAX_SEEDS}, {MAX_COMPARED} and {MAX_SEEDS}",
                file.training.method_study.len(),
                file.compared.len(),
                file.seed_study.len()
            ));
        }
        if let Some(e) = &file.evaluation {
            validate_evaluation("the evaluation", e)?;
            within_rows_each(
                std::iter::once(&e.summary).chain(e.hosts.iter().map(|h| &h.summary)),
            )?;
        }
        within_rows_each(file.compared.iter().map(|c| &c.summary))?;
        Ok(AnomalyModel {
            spec: file.features,
            estimator,
            threshold: file.threshold,
            training: file.training,
            provenance: file.provenance,
            evaluation: file.evaluation,
            compared: file.compared,
            seed_study: file.seed_study,
        })
    }
}

/// 1 to [`MAX_TREES`] trees of at most [`MAX_NODES`] nodes in all, each well formed (see
/// [`Tree`]: three lists as long, children after their parent and inside the tree, features
/// the spec's `width` has, finite split values, leaf paths in [0, 64]).
fn check_forest(forest: &Forest, width: usize) -> Result<(), ModelError> {
    let invalid = |m: String| Err(ModelError::Invalid(m));
    if forest.trees.is_empty() || forest.trees.len() > MAX_TREES {
        return invalid(format!(
            "forest.trees has {} trees; expected 1 to {MAX_TREES}",
            forest.trees.len()
        ));
    }
    if forest.sample_size == 0 || forest.sample_size > MAX_NODES {
        return invalid(format!(
            "forest.sample_size is {}; expected 1 to {MAX_NODES}",
            forest.sample_size
        ));
    }
    let mut nodes = 0usize;
    for (t, tree) in forest.trees.iter().enumerate() {
        nodes = nodes.saturating_add(tree.len());
        if nodes > MAX_NODES {
            return invalid(format!("the forest has more than {MAX_NODES} nodes"));
        }
        check_tree(tree, width, depth_limit(forest.sample_size))
            .map_err(|m| ModelError::Invalid(format!("forest.trees[{t}].{m}")))?;
    }
    Ok(())
}

/// One histogram per feature of the spec's `width`, each of at most [`MAX_VALUES`] kept values
/// (see [`check_bins`]), counted on at most 2^53 rows.
fn check_histogram(histogram: &Histograms, width: usize) -> Result<(), ModelError> {
    let invalid = |m: String| Err(ModelError::Invalid(m));
    if histogram.features.len() != width {
        return invalid(format!(
            "histogram.features has {} histograms; the spec has {width} features",
            histogram.features.len()
        ));
    }
    if histogram.rows == 0 || histogram.rows > MAX_COUNTED {
        return invalid(format!(
            "histogram.rows is {}; expected 1 to 2^53",
            histogram.rows
        ));
    }
    for (f, bins) in histogram.features.iter().enumerate() {
        check_bins(bins, histogram.rows)
            .map_err(|m| ModelError::Invalid(format!("histogram.features[{f}].{m}")))?;
    }
    Ok(())
}

/// A feature's histogram, or what is wrong with it, starting with the field: at most
/// [`MAX_VALUES`] values, as many counts, values finite and strictly ascending (no −0), counts
/// and `other` adding up to `rows`.
fn check_bins(bins: &Bins, rows: u64) -> Result<(), String> {
    let n = bins.values.len();
    if n > MAX_VALUES || bins.counts.len() != n {
        return Err(format!(
            "values and counts have {n} and {} entries; expected as many of each, at most {MAX_VALUES}",
            bins.counts.len()
        ));
    }
    for (i, &v) in bins.values.iter().enumerate() {
        if !v.is_finite() || (v == 0.0 && v.is_sign_negative()) {
            return Err(format!(
                "values[{i}] is {v}; expected a finite number, not -0"
            ));
        }
        if i > 0 && bins.values[i - 1] >= v {
            return Err(format!(
                "values[{i}] is {v}, not above values[{}]; expected them ascending, each once",
                i - 1
            ));
        }
    }
    let mut total = bins.other;
    for &c in &bins.counts {
        total = total.saturating_add(c);
    }
    if total != rows {
        return Err(format!(
            "counts and other add up to {total}; expected histogram.rows, {rows}"
        ));
    }
    Ok(())
}

/// A tree's shape, or what is wrong with it, starting with the field (`left[3] is …`). No node
/// may lie deeper than `deepest` splits, the depth at which a tree of the forest's sample size
/// stops growing: a chain of millions of splits would cost every scored row a walk as long.
fn check_tree(tree: &Tree, width: usize, deepest: usize) -> Result<(), String> {
    let n = tree.left.len();
    if n == 0 || tree.feature.len() != n || tree.value.len() != n {
        return Err(format!(
            "left, feature and value have {n}, {} and {} entries; expected as many of each, at least 1",
            tree.feature.len(),
            tree.value.len()
        ));
    }
    // Each node's depth, final once its index is reached: its parents all come before it.
    let mut depth = vec![0usize; n];
    for i in 0..n {
        let (left, value) = (tree.left[i] as usize, tree.value[i]);
        if !value.is_finite() {
            return Err(format!("value[{i}] is not a finite number"));
        }
        if left == 0 {
            if !(0.0..=MAX_PATH).contains(&value) {
                return Err(format!(
                    "value[{i}] is {value}; a leaf's path length lies in [0, {MAX_PATH}]"
                ));
            }
            continue;
        }
        if left <= i || left + 1 >= n {
            return Err(format!(
                "left[{i}] is {left}; a child comes after its parent and, with its sibling, inside the tree's {n} nodes"
            ));
        }
        if tree.feature[i] as usize >= width {
            return Err(format!(
                "feature[{i}] is {}; the spec has {width} features",
                tree.feature[i]
            ));
        }
        let below = depth[i] + 1;
        if below > deepest {
            return Err(format!(
                "left[{i}] is {left}, a split {below} deep; a tree of forest.sample_size rows stops at {deepest}"
            ));
        }
        for child in [left, left + 1] {
            depth[child] = depth[child].max(below);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_is_checked_field_by_field() {
        let good = Tree {
            feature: vec![1, 0, 0],
            value: vec![0.5, 1.0, 1.0],
            left: vec![1, 0, 0],
        };
        assert_eq!(check_tree(&good, 2, 1), Ok(()));
        let with = |f: &dyn Fn(&mut Tree)| {
            let mut t = good.clone();
            f(&mut t);
            check_tree(&t, 2, 1).expect_err("refused")
        };
        assert!(with(&|t| t.left[0] = 2).starts_with("left[0] is 2"));
        assert!(with(&|t| t.left[1] = 1).starts_with("left[1] is 1"));
        assert!(with(&|t| t.feature[0] = 2).starts_with("feature[0] is 2"));
        assert!(with(&|t| t.value[2] = f64::NAN).starts_with("value[2] is not"));
        assert!(with(&|t| t.value[2] = 65.0).starts_with("value[2] is 65"));
        assert!(with(&|t| t.value.pop().map_or((), drop)).starts_with("left, feature and value"));
        assert!(check_tree(
            &Tree {
                feature: vec![],
                value: vec![],
                left: vec![]
            },
            2,
            1
        )
        .is_err());
    }

    #[test]
    fn a_tree_deeper_than_its_sample_size_grows_is_refused() {
        // A chain: each split's left child a leaf, its right child the next split.
        let chain = |splits: u32| {
            let mut t = Tree {
                feature: vec![],
                value: vec![],
                left: vec![],
            };
            for k in 0..splits {
                t.feature.extend([0, 0]);
                t.value.extend([-1e30, 1.0]);
                t.left.extend([2 * k + 1, 0]);
            }
            // The last split's right child, a leaf.
            t.feature.push(0);
            t.value.push(1.0);
            t.left.push(0);
            t
        };
        // Four splits deep: as deep as a tree of 9 to 16 rows grows.
        assert_eq!(depth_limit(16), 4);
        assert_eq!(check_tree(&chain(4), 2, depth_limit(16)), Ok(()));
        assert_eq!(
            check_tree(&chain(5), 2, depth_limit(16)),
            Err(
                "left[8] is 9, a split 5 deep; a tree of forest.sample_size rows stops at 4"
                    .to_string()
            )
        );
    }
}
