use serde::{Deserialize, Serialize};
use std::iter;

/// A curve as parallel arrays: for ROC `x` = false-positive rate and `y` = true-positive rate;
/// for precision-recall `x` = recall and `y` = precision. `thresholds[i]` is the score threshold
/// at which point `i` is reached (points are ordered by decreasing threshold).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    /// Horizontal coordinate of each point, in [0, 1].
    pub x: Vec<f64>,
    /// Vertical coordinate of each point, in [0, 1].
    pub y: Vec<f64>,
    /// The score threshold of each point, decreasing.
    pub thresholds: Vec<f64>,
}

/// One distinct score with the counts of positive and negative rows scoring at least as high.
pub(super) struct Step {
    pub threshold: f32,
    pub tp: u64,
    pub fp: u64,
}

/// Sort key under which `total_cmp` ranks scores the way `predicted_suspicious` decides them:
/// NaN above every number (one NaN, so all NaNs tie) and -0.0 tied with 0.0.
fn rank_key(score: f32) -> f32 {
    if score.is_nan() {
        f32::NAN.abs()
    } else if score == 0.0 {
        0.0
    } else {
        score
    }
}

/// The distinct scores, highest first, with cumulative true and false positives: the confusion
/// at every threshold where it changes. One sort, O(n log n).
pub(super) fn ranked_steps(scores: &[f32], labels: &[u8]) -> Vec<Step> {
    let mut rows: Vec<(f32, bool)> = scores
        .iter()
        .zip(labels)
        .map(|(&s, &l)| (rank_key(s), l == 1))
        .collect();
    rows.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    let (mut tp, mut fp) = (0, 0);
    rows.chunk_by(|a, b| a.0.total_cmp(&b.0).is_eq())
        .map(|tied| {
            let positives = tied.iter().filter(|row| row.1).count() as u64;
            tp += positives;
            fp += tied.len() as u64 - positives;
            Step {
                threshold: tied[0].0,
                tp,
                fp,
            }
        })
        .collect()
}

/// (positives, negatives) in the ranked rows.
pub(super) fn class_totals(steps: &[Step]) -> (u64, u64) {
    steps.last().map_or((0, 0), |s| (s.tp, s.fp))
}

/// Each step with the true and false positives it adds to the one before.
fn with_increments(steps: &[Step]) -> impl Iterator<Item = (&Step, u64, u64)> {
    let before = iter::once((0, 0)).chain(steps.iter().map(|s| (s.tp, s.fp)));
    steps
        .iter()
        .zip(before)
        .map(|(s, (tp, fp))| (s, s.tp - tp, s.fp - fp))
}

/// ROC curve with one point per distinct score (tied scores move together), starting at (0, 0)
/// and ending at (1, 1). `max_points` thins long curves (keeping both ends) for storage.
/// Empty when one class is absent (the rates are undefined).
pub fn roc_curve(scores: &[f32], labels: &[u8], max_points: usize) -> Curve {
    let steps = ranked_steps(scores, labels);
    let (pos, neg) = class_totals(&steps);
    if pos == 0 || neg == 0 {
        return Curve::default();
    }
    // The start needs a threshold above every score; like scikit-learn before 1.3, max + 1
    // (not +inf, which JSON cannot hold).
    let start = (0.0, 0.0, f64::from(steps[0].threshold) + 1.0);
    let points = steps.iter().map(|s| {
        (
            s.fp as f64 / neg as f64,
            s.tp as f64 / pos as f64,
            f64::from(s.threshold),
        )
    });
    thin(iter::once(start).chain(points).collect(), max_points)
}

/// Exact area under the ROC curve: the Mann-Whitney statistic, ties counted as one half.
/// NaN when one class is absent.
pub fn roc_auc(scores: &[f32], labels: &[u8]) -> f64 {
    let steps = ranked_steps(scores, labels);
    let (pos, neg) = class_totals(&steps);
    if pos == 0 || neg == 0 {
        return f64::NAN;
    }
    // The negatives at a step each beat the positives ranked above them and tie with those
    // beside them: new_fp * (tp_before + new_tp / 2), which is also the trapezoid under the
    // ROC segment. Summed doubled, in integers, so the area is exact up to one division.
    let twice_wins: u128 = with_increments(&steps)
        .map(|(s, new_tp, new_fp)| u128::from(new_fp) * u128::from(2 * s.tp - new_tp))
        .sum();
    twice_wins as f64 / (2 * u128::from(pos) * u128::from(neg)) as f64
}

/// Precision-recall curve, one point per distinct score, thinned to `max_points`.
/// Empty when there are no positives (recall is undefined).
pub fn pr_curve(scores: &[f32], labels: &[u8], max_points: usize) -> Curve {
    let steps = ranked_steps(scores, labels);
    let (pos, _) = class_totals(&steps);
    if pos == 0 {
        return Curve::default();
    }
    let points = steps.iter().map(|s| {
        let precision = s.tp as f64 / (s.tp + s.fp) as f64; // every step holds a row
        (s.tp as f64 / pos as f64, precision, f64::from(s.threshold))
    });
    thin(points.collect(), max_points)
}

/// Average precision: sum over distinct thresholds of (R_n - R_{n-1}) * P_n (scikit-learn's
/// definition). NaN when there are no positives.
pub fn average_precision(scores: &[f32], labels: &[u8]) -> f64 {
    let steps = ranked_steps(scores, labels);
    let (pos, _) = class_totals(&steps);
    if pos == 0 {
        return f64::NAN;
    }
    // R_n - R_{n-1} = new_tp / pos; the division by pos is taken out of the sum.
    let sum: f64 = with_increments(&steps)
        .map(|(s, new_tp, _)| new_tp as f64 * s.tp as f64 / (s.tp + s.fp) as f64)
        .sum();
    sum / pos as f64
}

/// Keeps at most `max_points` (but at least 2) of `points` at evenly spaced indices, both ends
/// included. A subsequence of a monotone curve is monotone.
fn thin(points: Vec<(f64, f64, f64)>, max_points: usize) -> Curve {
    let n = points.len() as u64;
    let keep = n.min(max_points.max(2) as u64);
    let mut curve = Curve::default();
    for k in 0..keep {
        // floor(k (n-1) / (keep-1)): 0 first, n-1 last, strictly increasing as n >= keep; in
        // u64 since usize is 32 bits in wasm. `max(1)` only matters for a one-point curve.
        let (x, y, t) = points[(k * (n - 1) / (keep - 1).max(1)) as usize];
        curve.x.push(x);
        curve.y.push(y);
        curve.thresholds.push(t);
    }
    curve
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    // scikit-learn's documentation example.
    const SCORES: [f32; 4] = [0.1, 0.4, 0.35, 0.8];
    const LABELS: [u8; 4] = [0, 0, 1, 1];
    // Ties: positives at 0.9, 0.5, 0.2 and negatives at 0.5, 0.5, 0.2.
    const TIED_SCORES: [f32; 6] = [0.9, 0.5, 0.5, 0.5, 0.2, 0.2];
    const TIED_LABELS: [u8; 6] = [1, 1, 0, 0, 1, 0];

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    fn trapezoid(c: &Curve) -> f64 {
        c.x.windows(2)
            .zip(c.y.windows(2))
            .map(|(x, y)| (x[1] - x[0]) * (y[1] + y[0]) / 2.0)
            .sum()
    }

    fn random_tied(n: usize, seed: u64) -> (Vec<f32>, Vec<u8>) {
        let mut rng = Rng::new(seed);
        let labels: Vec<u8> = (0..n).map(|_| (rng.next_f64() < 0.4) as u8).collect();
        // Scores on a 0.05 grid, so many ties, shifted up for positives.
        let scores = labels
            .iter()
            .map(|&l| ((rng.next_f64() + 0.3 * f64::from(l)) * 20.0).floor() as f32 / 20.0)
            .collect();
        (scores, labels)
    }

    #[test]
    fn roc_of_sklearn_example() {
        assert!(close(roc_auc(&SCORES, &LABELS), 0.75));
        let c = roc_curve(&SCORES, &LABELS, 100);
        assert_eq!(c.x, vec![0.0, 0.0, 0.5, 0.5, 1.0]);
        assert_eq!(c.y, vec![0.0, 0.5, 0.5, 1.0, 1.0]);
        let t: Vec<f64> = [1.8f32, 0.8, 0.4, 0.35, 0.1]
            .iter()
            .map(|&t| f64::from(t))
            .collect();
        assert_eq!(c.thresholds[1..], t[1..]);
        assert!(close(c.thresholds[0], f64::from(0.8f32) + 1.0));
    }

    #[test]
    fn roc_with_ties_by_hand() {
        // Pairs won: 0.9 beats all 3 negatives; 0.5 ties two (1) and beats 0.2 (1); 0.2 ties
        // one (1/2): 5.5 of 9.
        assert!(close(roc_auc(&TIED_SCORES, &TIED_LABELS), 5.5 / 9.0));
        let c = roc_curve(&TIED_SCORES, &TIED_LABELS, 100);
        assert_eq!(c.x, vec![0.0, 0.0, 2.0 / 3.0, 1.0]);
        assert_eq!(c.y, vec![0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0]);
        assert!(close(trapezoid(&c), 11.0 / 18.0));
    }

    #[test]
    fn roc_trapezoid_equals_auc() {
        let (scores, labels) = random_tied(5000, 1);
        let c = roc_curve(&scores, &labels, usize::MAX);
        assert_eq!(c.x.len(), 2 + 25); // start plus one point per grid score 0.00..=1.25
        let auc = roc_auc(&scores, &labels);
        assert!(
            (trapezoid(&c) - auc).abs() < 1e-12,
            "{} vs {auc}",
            trapezoid(&c)
        );
        assert!(auc > 0.7 && auc < 0.95, "{auc}");
    }

    #[test]
    fn roc_thinning_keeps_ends_and_monotone_subset() {
        let mut rng = Rng::new(2);
        let scores: Vec<f32> = (0..1000).map(|_| rng.next_f64() as f32).collect();
        let labels: Vec<u8> = scores
            .iter()
            .map(|&s| (rng.next_f64() < f64::from(s)) as u8)
            .collect();
        let full = roc_curve(&scores, &labels, usize::MAX);
        let c = roc_curve(&scores, &labels, 10);
        assert_eq!(c.x.len(), 10);
        assert_eq!((c.x[0], c.y[0]), (0.0, 0.0));
        assert_eq!((c.x[9], c.y[9]), (1.0, 1.0));
        for i in 1..10 {
            assert!(c.x[i] >= c.x[i - 1] && c.y[i] >= c.y[i - 1]);
            assert!(c.thresholds[i] < c.thresholds[i - 1]);
            let j = full.thresholds.iter().position(|&t| t == c.thresholds[i]);
            assert!(j.is_some_and(|j| full.x[j] == c.x[i] && full.y[j] == c.y[i]));
        }
        assert_eq!(roc_curve(&scores, &labels, 0).x, vec![0.0, 1.0]);
    }

    #[test]
    fn missing_class_gives_nan_and_empty_curves() {
        assert!(roc_auc(&[0.2, 0.9], &[1, 1]).is_nan());
        assert!(roc_auc(&[], &[]).is_nan());
        assert_eq!(roc_curve(&[0.2, 0.9], &[0, 0], 10), Curve::default());
        assert!(average_precision(&[0.2, 0.9], &[0, 0]).is_nan());
        assert_eq!(pr_curve(&[0.2, 0.9], &[0, 0], 10), Curve::default());
        // Without negatives precision is 1 throughout.
        let c = pr_curve(&[0.2, 0.9], &[1, 1], 10);
        assert_eq!((c.x, c.y), (vec![0.5, 1.0], vec![1.0, 1.0]));
        assert!(close(average_precision(&[0.2, 0.9], &[1, 1]), 1.0));
    }

    #[test]
    fn nan_ranks_highest_and_negative_zero_ties_zero() {
        // The NaN positive outranks both negatives.
        assert!(close(roc_auc(&[f32::NAN, 0.1, 0.9], &[1, 0, 0]), 1.0));
        assert!(close(roc_auc(&[-f32::NAN, 0.1, 0.9], &[1, 0, 0]), 1.0));
        // The NaN positive ties the NaN negative (1/2); the 0.5 positive loses to it.
        assert!(close(roc_auc(&[f32::NAN, f32::NAN, 0.5], &[1, 0, 1]), 0.25));
        assert!(close(roc_auc(&[-0.0, 0.0], &[1, 0]), 0.5));
        assert_eq!(roc_curve(&[-0.0, 0.0], &[1, 0], 10).x, vec![0.0, 1.0]);
    }

    #[test]
    fn pr_and_ap_of_sklearn_example() {
        assert!(close(
            average_precision(&SCORES, &LABELS),
            0.5 + 0.5 * 2.0 / 3.0
        ));
        assert!((average_precision(&SCORES, &LABELS) - 0.833_333_3).abs() < 1e-7);
        let c = pr_curve(&SCORES, &LABELS, 100);
        assert_eq!(c.x, vec![0.5, 0.5, 1.0, 1.0]);
        assert_eq!(c.y, vec![1.0, 0.5, 2.0 / 3.0, 0.5]);
        let t: Vec<f64> = [0.8f32, 0.4, 0.35, 0.1]
            .iter()
            .map(|&t| f64::from(t))
            .collect();
        assert_eq!(c.thresholds, t);
    }

    #[test]
    fn pr_and_ap_with_ties_by_hand() {
        // Steps 0.9: R 1/3 P 1; 0.5: R 2/3 P 2/4; 0.2: R 1 P 3/6. AP = (1 + 1/2 + 1/2) / 3.
        assert!(close(
            average_precision(&TIED_SCORES, &TIED_LABELS),
            2.0 / 3.0
        ));
        let c = pr_curve(&TIED_SCORES, &TIED_LABELS, 100);
        assert_eq!(c.x, vec![1.0 / 3.0, 2.0 / 3.0, 1.0]);
        assert_eq!(c.y, vec![1.0, 0.5, 0.5]);
        assert_eq!(
            pr_curve(&TIED_SCORES, &TIED_LABELS, 2).x,
            vec![1.0 / 3.0, 1.0]
        );
    }
}
