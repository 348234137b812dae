//! An isolation forest (Liu, Ting and Zhou, 2008), as scikit-learn's `IsolationForest` grows it:
//! each tree splits a random subsample of `sample_size` rows on a random feature at a uniformly
//! random value between the feature's smallest and largest, until a row stands alone or the
//! depth reaches ⌈log₂ sample_size⌉. A row that is isolated in few splits is anomalous.
//!
//! Everything is f64 and seeded ([`Rng`]); the only functions beyond + − × ÷ are `libm`'s `log`
//! (at fitting) and `exp2` (at scoring), pure Rust, so the page's scores are the CLI's bits.

use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// Euler–Mascheroni constant, for the harmonic numbers of [`average_path`].
const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

/// One tree, as three parallel lists indexed by node (node 0 is the root). Node `i` is a leaf
/// when `left[i]` is 0; otherwise it sends a row whose feature `feature[i]` is at most
/// `value[i]` to `left[i]` and the others to `left[i] + 1`. A child always comes after its
/// parent, so every path ends within the tree's length. A leaf's `value` is its path length:
/// its depth plus [`average_path`] of the training rows it holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    /// The feature a split node tests (0 for a leaf).
    pub feature: Vec<u32>,
    /// A split node's threshold, or a leaf's path length.
    pub value: Vec<f64>,
    /// A split node's left child (its right child follows it), or 0 for a leaf.
    pub left: Vec<u32>,
}

/// The trees and the subsample size that normalises their path lengths.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    /// Rows each tree was grown on: min(asked, training rows).
    pub sample_size: usize,
    /// The trees.
    pub trees: Vec<Tree>,
}

/// The average path length of an unsuccessful search in a binary search tree of `n` rows, the
/// expected depth at which a random row is isolated: 0 for one row or none, 1 for two, else
/// 2(ln(n − 1) + γ) − 2(n − 1)/n, as scikit-learn computes it.
pub fn average_path(n: usize) -> f64 {
    match n {
        0 | 1 => 0.0,
        2 => 1.0,
        _ => {
            let n = n as f64;
            2.0 * (libm::log(n - 1.0) + EULER_GAMMA) - 2.0 * (n - 1.0) / n
        }
    }
}

/// ⌈log₂ n⌉, the depth at which a tree of `n` rows stops splitting (0 for 1 row or none).
pub(super) fn depth_limit(n: usize) -> usize {
    let mut depth = 0;
    while depth < usize::BITS as usize && (1usize << depth) < n {
        depth += 1;
    }
    depth
}

impl Forest {
    /// Grows `trees` trees on the rows of `x` (row-major, `width` features a row), each on
    /// `sample_size` rows drawn without replacement (all rows when there are fewer), with `seed`.
    pub fn fit(x: &[f32], width: usize, trees: usize, sample_size: usize, seed: u64) -> Forest {
        let rows = x.len().checked_div(width).unwrap_or(0);
        let sample_size = sample_size.min(rows);
        let max_depth = depth_limit(sample_size);
        let mut rng = Rng::new(seed);
        let mut order: Vec<usize> = (0..rows).collect();
        let trees = (0..trees)
            .map(|_| {
                // A partial Fisher-Yates shuffle: its first `sample_size` rows are the sample.
                for i in 0..sample_size {
                    let j = i + rng.below(rows - i);
                    order.swap(i, j);
                }
                let mut sample = order[..sample_size].to_vec();
                grow(x, width, &mut sample, max_depth, &mut rng)
            })
            .collect();
        Forest { sample_size, trees }
    }

    /// The mean path length of `row` (its features) over the trees.
    pub fn mean_path(&self, row: &[f32]) -> f64 {
        let total: f64 = self.trees.iter().map(|tree| tree.path(row)).sum();
        total / self.trees.len().max(1) as f64
    }

    /// The anomaly score of `row`, 2^(−mean path / [`average_path`](sample_size)), in (0, 1]:
    /// near 1 for a row isolated at once, about 0.5 or below for ordinary rows.
    pub fn score(&self, row: &[f32]) -> f32 {
        let norm = average_path(self.sample_size);
        if norm <= 0.0 {
            // Grown on one row or none: no row is more isolated than another.
            return 0.5;
        }
        libm::exp2(-self.mean_path(row) / norm) as f32
    }
}

impl Tree {
    /// The path length of `row` in this tree. A well-formed tree (children after their
    /// parents) reaches a leaf within its length; the walk is bounded by it all the same, and a
    /// tree that points outside itself ends the walk there.
    pub fn path(&self, row: &[f32]) -> f64 {
        let mut node = 0usize;
        for _ in 0..self.left.len() {
            let left = self.left.get(node).copied().unwrap_or(0) as usize;
            if left == 0 {
                break;
            }
            let feature = self.feature.get(node).copied().unwrap_or(0) as usize;
            let x = row.get(feature).copied().map_or(0.0, f64::from);
            let split = self.value.get(node).copied().unwrap_or(0.0);
            node = if x <= split { left } else { left + 1 };
        }
        self.value.get(node).copied().unwrap_or(0.0)
    }

    /// How many nodes the tree has.
    pub fn len(&self) -> usize {
        self.left.len()
    }

    /// Whether the tree has no node (never true of a grown tree).
    pub fn is_empty(&self) -> bool {
        self.left.is_empty()
    }
}

/// Grows one tree on the rows `sample` of `x`, breadth first (a node's children are pushed
/// together, after it).
fn grow(x: &[f32], width: usize, sample: &mut [usize], max_depth: usize, rng: &mut Rng) -> Tree {
    let mut tree = Tree {
        feature: vec![0],
        value: vec![0.0],
        left: vec![0],
    };
    // (node, range of `sample` it holds, depth)
    let mut queue = std::collections::VecDeque::from([(0usize, 0usize, sample.len(), 0usize)]);
    let mut varying: Vec<(usize, f64, f64)> = Vec::with_capacity(width);
    while let Some((node, start, end, depth)) = queue.pop_front() {
        let rows = &mut sample[start..end];
        varying.clear();
        if depth < max_depth && rows.len() > 1 {
            for feature in 0..width {
                let (lo, hi) =
                    rows.iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &r| {
                            let v = f64::from(x[r * width + feature]);
                            (lo.min(v), hi.max(v))
                        });
                if lo < hi {
                    varying.push((feature, lo, hi));
                }
            }
        }
        if varying.is_empty() {
            tree.value[node] = depth as f64 + average_path(rows.len());
            continue;
        }
        let (feature, lo, hi) = varying[rng.below(varying.len())];
        let mut split = lo + (hi - lo) * rng.next_f64();
        if split >= hi {
            split = lo;
        }
        // Rows at or below the split first: an in-place partition.
        let mut cut = 0;
        for i in 0..rows.len() {
            if f64::from(x[rows[i] * width + feature]) <= split {
                rows.swap(i, cut);
                cut += 1;
            }
        }
        let left = tree.left.len();
        tree.feature[node] = feature as u32;
        tree.value[node] = split;
        tree.left[node] = left as u32;
        for _ in 0..2 {
            tree.feature.push(0);
            tree.value.push(0.0);
            tree.left.push(0);
        }
        queue.push_back((left, start, start + cut, depth + 1));
        queue.push_back((left + 1, start + cut, end, depth + 1));
    }
    tree
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_path_is_scikit_learns() {
        assert_eq!(average_path(0), 0.0);
        assert_eq!(average_path(1), 0.0);
        assert_eq!(average_path(2), 1.0);
        // 2(ln 2 + γ) − 4/3 = 1.2075…; 2(ln 255 + γ) − 510/256 = 10.2447… (c(256)).
        assert!((average_path(3) - 1.207_392_357_589_623).abs() < 1e-12);
        assert!((average_path(256) - 10.244_770_920_119_917).abs() < 1e-12);
    }

    #[test]
    fn depth_limit_is_the_ceiling_of_log2() {
        let limits: Vec<usize> = [0, 1, 2, 3, 4, 5, 256, 257].map(depth_limit).to_vec();
        assert_eq!(limits, [0, 0, 1, 2, 2, 3, 8, 9]);
    }

    /// A hand-built tree: split feature 1 at 0.5; left is a leaf at depth 1 holding 2 rows
    /// (1 + c(2) = 2); right splits feature 0 at -1 into leaves of depth 2 holding 1 and 3 rows
    /// (2 + 0 and 2 + c(3)).
    fn hand_tree() -> Tree {
        Tree {
            feature: vec![1, 0, 0, 0, 0],
            value: vec![0.5, 2.0, -1.0, 2.0, 2.0 + average_path(3)],
            left: vec![1, 0, 3, 0, 0],
        }
    }

    #[test]
    fn a_hand_built_tree_gives_its_path_lengths() {
        let tree = hand_tree();
        assert_eq!(tree.path(&[9.0, 0.5]), 2.0);
        assert_eq!(tree.path(&[-1.0, 0.75]), 2.0);
        assert_eq!(tree.path(&[0.0, 0.75]), 2.0 + average_path(3));
        let forest = Forest {
            sample_size: 6,
            trees: vec![tree.clone(), tree],
        };
        // Mean path 2 over c(6) = 2(ln 5 + γ) − 5/3 = 2.70664…: 2^(−2/2.70664) = 0.59919…
        let c6 = 2.0 * (5f64.ln() + EULER_GAMMA) - 10.0 / 6.0;
        assert!((average_path(6) - c6).abs() < 1e-12);
        let expected = 2f64.powf(-2.0 / c6) as f32;
        assert_eq!(forest.score(&[-1.0, 0.75]), expected);
        assert!((expected - 0.599_19).abs() < 1e-5, "{expected}");
    }

    #[test]
    fn an_outlier_is_isolated_sooner() {
        // 64 rows near the origin and one far away, in two features.
        let mut x: Vec<f32> = (0..64)
            .flat_map(|i| [(i % 8) as f32, (i / 8) as f32])
            .collect();
        x.extend([100.0, -100.0]);
        let forest = Forest::fit(&x, 2, 50, 32, 7);
        assert_eq!(forest.sample_size, 32);
        assert_eq!(forest.trees.len(), 50);
        let outlier = forest.score(&[100.0, -100.0]);
        let inlier = forest.score(&[3.0, 4.0]);
        assert!(outlier > 0.6 && inlier < 0.55, "{outlier} {inlier}");
        // Seeded: the same forest again.
        assert_eq!(Forest::fit(&x, 2, 50, 32, 7), forest);
    }

    #[test]
    fn grown_trees_are_well_formed() {
        let x: Vec<f32> = (0..300).map(|i| ((i * 37) % 101) as f32).collect();
        let forest = Forest::fit(&x, 3, 10, 256, 1);
        // 100 rows: every tree takes them all and stops at depth 7.
        assert_eq!(forest.sample_size, 100);
        for tree in &forest.trees {
            for (i, &left) in tree.left.iter().enumerate() {
                assert!(left == 0 || (left as usize > i && (left as usize) + 1 < tree.len()));
            }
            assert!(tree.len() < 2 * 100);
        }
    }

    #[test]
    fn identical_rows_make_a_single_leaf() {
        let forest = Forest::fit(&[1.0; 8], 2, 1, 256, 3);
        // 4 identical rows: no feature varies, so the root is a leaf of c(4).
        assert_eq!(forest.trees[0].left, [0]);
        assert_eq!(forest.trees[0].value, [average_path(4)]);
        assert_eq!(Forest::fit(&[], 2, 1, 256, 3).score(&[0.0, 0.0]), 0.5);
    }
}
