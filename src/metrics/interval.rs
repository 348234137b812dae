//! 95% intervals: how far a measured rate could be from the true one given how few rows it
//! counts. Wilson's score interval for proportions (accuracy, precision, recall, specificity),
//! and a seeded, stratified bootstrap for ROC-AUC and average precision, which have no closed
//! form that holds with ties.

use super::confusion::Confusion;
use super::curves::{class_totals, ranked_steps};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// The normal quantile of 97.5%: a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;
/// Resamples of the bootstrap: the 2.5% and 97.5% points are the 6th smallest and largest.
pub const BOOTSTRAP_RESAMPLES: usize = 200;
/// The bootstrap's fixed seed: the same rows always give the same interval.
pub const BOOTSTRAP_SEED: u64 = 0x5EED_0016;

/// A 95% interval, `lo <= hi`, both in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The lower end.
    pub lo: f64,
    /// The upper end.
    pub hi: f64,
}

/// 95% intervals of a summary's numbers; each `None` when its denominator is empty (or, for the
/// ranking measures, when one class is absent or the file predates them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Intervals {
    /// Wilson interval of the accuracy.
    pub accuracy: Option<Interval>,
    /// Wilson interval of the precision.
    pub precision: Option<Interval>,
    /// Wilson interval of the recall.
    pub recall: Option<Interval>,
    /// Wilson interval of the specificity.
    pub specificity: Option<Interval>,
    /// Bootstrap interval of the ROC-AUC.
    #[serde(default)]
    pub roc_auc: Option<Interval>,
    /// Bootstrap interval of the average precision.
    #[serde(default)]
    pub average_precision: Option<Interval>,
}

/// Wilson's 95% score interval for `successes` of `trials`; `None` for no trials. Unlike the
/// normal approximation it stays inside [0, 1] and is not empty at 0 or all successes.
pub fn wilson(successes: u64, trials: u64) -> Option<Interval> {
    if trials == 0 {
        return None;
    }
    let (k, n) = (successes.min(trials) as f64, trials as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // The ends are exact at 0 and all successes; rounding would otherwise leave 1e-16 off.
    Some(Interval {
        lo: if successes == 0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        hi: if successes >= trials {
            1.0
        } else {
            (centre + half).min(1.0)
        },
    })
}

impl Intervals {
    /// The Wilson intervals of the rates of `c`, without the ranking measures'.
    pub fn of_rates(c: &Confusion) -> Intervals {
        Intervals {
            accuracy: wilson(c.tp + c.tn, c.total()),
            precision: wilson(c.tp, c.tp + c.fp),
            recall: wilson(c.tp, c.tp + c.fn_),
            specificity: wilson(c.tn, c.tn + c.fp),
            roc_auc: None,
            average_precision: None,
        }
    }
}

/// The widest of `intervals`: the lowest `lo` and the highest `hi` of those present, `None` when
/// none is. The seed study's interval of a measure over its runs: every run's 95% interval lies
/// inside it.
pub fn widest(intervals: impl IntoIterator<Item = Option<Interval>>) -> Option<Interval> {
    intervals.into_iter().flatten().reduce(|a, b| Interval {
        lo: a.lo.min(b.lo),
        hi: a.hi.max(b.hi),
    })
}

/// Bootstrap 95% intervals of (ROC-AUC, average precision) of `scores` against `labels`:
/// [`BOOTSTRAP_RESAMPLES`] resamples drawn with replacement within each class (so each keeps
/// its size), seeded with [`BOOTSTRAP_SEED`], and the 2.5% and 97.5% points of each measure.
/// `None` for both when one class is absent. Linear in the rows per resample, after one sort.
pub fn ranking_intervals(scores: &[f32], labels: &[u8]) -> (Option<Interval>, Option<Interval>) {
    let steps = ranked_steps(scores, labels);
    let (pos, neg) = class_totals(&steps);
    if pos == 0 || neg == 0 {
        return (None, None);
    }
    // Each row of a class as the index of its distinct score (highest first): drawing a row
    // is drawing its score group.
    let (mut pos_rows, mut neg_rows) = (Vec::new(), Vec::new());
    let mut before = (0, 0);
    for (g, s) in steps.iter().enumerate() {
        pos_rows.extend(std::iter::repeat_n(g, (s.tp - before.0) as usize));
        neg_rows.extend(std::iter::repeat_n(g, (s.fp - before.1) as usize));
        before = (s.tp, s.fp);
    }
    let mut rng = Rng::new(BOOTSTRAP_SEED);
    let (mut new_tp, mut new_fp) = (vec![0u64; steps.len()], vec![0u64; steps.len()]);
    let mut aucs = Vec::with_capacity(BOOTSTRAP_RESAMPLES);
    let mut aps = Vec::with_capacity(BOOTSTRAP_RESAMPLES);
    for _ in 0..BOOTSTRAP_RESAMPLES {
        new_tp.fill(0);
        new_fp.fill(0);
        for _ in 0..pos_rows.len() {
            new_tp[pos_rows[rng.below(pos_rows.len())]] += 1;
        }
        for _ in 0..neg_rows.len() {
            new_fp[neg_rows[rng.below(neg_rows.len())]] += 1;
        }
        let (auc, ap) = areas(&new_tp, &new_fp, pos, neg);
        aucs.push(auc);
        aps.push(ap);
    }
    (percentiles(aucs), percentiles(aps))
}

/// ROC-AUC (ties counted ½) and average precision of rows given as counts per distinct score,
/// highest score first: the same sums as [`super::roc_auc`] and [`super::average_precision`].
fn areas(new_tp: &[u64], new_fp: &[u64], pos: u64, neg: u64) -> (f64, f64) {
    let (mut tp, mut fp) = (0u64, 0u64);
    let (mut twice_wins, mut ap) = (0u128, 0.0);
    for (&dtp, &dfp) in new_tp.iter().zip(new_fp) {
        tp += dtp;
        fp += dfp;
        twice_wins += u128::from(dfp) * u128::from(2 * tp - dtp);
        if dtp > 0 {
            ap += dtp as f64 * tp as f64 / (tp + fp) as f64;
        }
    }
    (
        twice_wins as f64 / (2 * u128::from(pos) * u128::from(neg)) as f64,
        ap / pos as f64,
    )
}

/// The 2.5% and 97.5% points of `values` (all finite).
fn percentiles(mut values: Vec<f64>) -> Option<Interval> {
    values.sort_by(f64::total_cmp);
    let tail = values.len() * 25 / 1000;
    Some(Interval {
        lo: *values.get(tail)?,
        hi: *values.get(values.len().checked_sub(tail + 1)?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{average_precision, roc_auc};
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn wilson_matches_hand_computed_intervals() {
        // Specificity 58 of 59: 98.31%, between 91.00% and 99.70%.
        let i = wilson(58, 59).expect("trials");
        assert!(close(i.lo, 0.910_042_740_358_577_1), "{i:?}");
        assert!(close(i.hi, 0.997_001_766_081_644_4), "{i:?}");
        // Half of ten: symmetric about 0.5.
        let half = wilson(5, 10).expect("trials");
        assert!(close(half.lo, 0.236_593_090_512_564), "{half:?}");
        assert!(close(half.hi, 0.763_406_909_487_436_1), "{half:?}");
        // None of ten: from exactly 0; all of ten: to exactly 1.
        let none = wilson(0, 10).expect("trials");
        assert_eq!(none.lo, 0.0);
        assert!(close(none.hi, 0.277_532_799_862_889_2), "{none:?}");
        let all = wilson(10, 10).expect("trials");
        assert_eq!(all.hi, 1.0);
        assert!(close(all.lo, 0.722_467_200_137_110_7), "{all:?}");
        assert_eq!(wilson(0, 0), None);
    }

    #[test]
    fn the_widest_interval_spans_every_one_given() {
        let i = |lo, hi| Some(Interval { lo, hi });
        assert_eq!(
            widest([i(0.2, 0.5), None, i(0.3, 0.9), i(0.1, 0.4)]),
            i(0.1, 0.9)
        );
        assert_eq!(widest([None, None]), None);
        assert_eq!(widest([]), None);
    }

    #[test]
    fn rate_intervals_follow_the_confusion_counts() {
        let c = Confusion {
            tn: 58,
            fp: 1,
            fn_: 0,
            tp: 0,
        };
        let i = Intervals::of_rates(&c);
        assert_eq!(i.specificity, wilson(58, 59));
        assert_eq!(i.accuracy, wilson(58, 59));
        assert_eq!(i.precision, wilson(0, 1));
        assert_eq!(i.recall, None);
        assert_eq!((i.roc_auc, i.average_precision), (None, None));
    }

    #[test]
    fn bootstrap_areas_with_unit_counts_are_the_exact_areas() {
        let scores = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.3, 0.2];
        let labels = [1, 1, 0, 1, 0, 1, 0, 0];
        let steps = ranked_steps(&scores, &labels);
        let mut before = (0, 0);
        let (tp, fp): (Vec<u64>, Vec<u64>) = steps
            .iter()
            .map(|s| {
                let d = (s.tp - before.0, s.fp - before.1);
                before = (s.tp, s.fp);
                d
            })
            .unzip();
        let (auc, ap) = areas(&tp, &fp, 4, 4);
        assert!(close(auc, roc_auc(&scores, &labels)));
        assert!(close(ap, average_precision(&scores, &labels)));
        // By hand: 4 × 4 pairs; the positives at 0.9 and 0.7 beat 4 and 3 negatives, the one
        // at 0.8 beats 3 and ties 1, the one at 0.6 beats 2 and ties 1: 13 of 16.
        assert!(close(auc, 13.0 / 16.0));
    }

    #[test]
    fn bootstrap_interval_holds_the_estimate_and_is_seeded() {
        let scores: Vec<f32> = (0..200).map(|i| (i % 37) as f32 / 37.0).collect();
        let labels: Vec<u8> = (0..200)
            .map(|i| u8::from(i % 37 > 12 || i % 5 == 0))
            .collect();
        let (auc, ap) = ranking_intervals(&scores, &labels);
        let (auc, ap) = (auc.expect("two classes"), ap.expect("two classes"));
        let (exact_auc, exact_ap) = (
            roc_auc(&scores, &labels),
            average_precision(&scores, &labels),
        );
        assert!(
            auc.lo < exact_auc && exact_auc < auc.hi,
            "{auc:?} {exact_auc}"
        );
        assert!(ap.lo < exact_ap && exact_ap < ap.hi, "{ap:?} {exact_ap}");
        assert!(auc.hi - auc.lo < 0.25, "{auc:?}");
        assert_eq!(ranking_intervals(&scores, &labels), (Some(auc), Some(ap)));
        assert_eq!(ranking_intervals(&scores, &[1; 200]), (None, None));
    }

    #[test]
    fn a_perfect_ranking_has_a_point_interval() {
        let (auc, ap) = ranking_intervals(&[0.1, 0.2, 0.8, 0.9], &[0, 0, 1, 1]);
        assert_eq!(auc, Some(Interval { lo: 1.0, hi: 1.0 }));
        assert_eq!(ap, Some(Interval { lo: 1.0, hi: 1.0 }));
    }
}
