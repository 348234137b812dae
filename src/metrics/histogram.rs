use super::confusion::predicted_suspicious;
use super::curves::{class_totals, ranked_steps};
use super::Confusion;
use serde::{Deserialize, Serialize};

/// Scores binned into `bins` equal-width bins over [0, 1] per class. With fine bins this is
/// also a compact threshold sweep: the confusion at any bin edge is a sum of bins.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Number of equal-width bins over [0, 1], at least 1. Bin `b` holds the scores from b/bins up
    /// to (b+1)/bins; the first also those below 0, the last also 1, those above and NaN.
    pub bins: usize,
    /// Benign rows per bin (`bins` counts).
    pub benign: Vec<u64>,
    /// Suspicious rows per bin (`bins` counts).
    pub suspicious: Vec<u64>,
}

/// One point of a threshold sweep.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// Rows with a score at or above this are called suspicious.
    pub threshold: f32,
    /// The counts at that threshold.
    pub confusion: Confusion,
}

/// Edge `b` of `bins` as the f32 nearest to b/bins, which is what a caller writing the
/// threshold b/bins passes.
fn edge(b: usize, bins: usize) -> f32 {
    b as f32 / bins as f32
}

/// The bin of `x`: the last bin whose lower edge is <= x, so that `x >= edge(b)` exactly when
/// the bin is at least b. Below 0 is bin 0; above 1, exactly 1 and NaN are the last bin.
fn bin_of(x: f32, bins: usize) -> usize {
    let last = bins.saturating_sub(1);
    if x.is_nan() {
        return last;
    }
    // floor(x * bins) is exact in f64 and is the bin of x against the exact edges b/bins. As
    // rounding is monotone the f32 edges lie on the same side of x, except that edge b + 1
    // may round down to x itself.
    let b = ((f64::from(x) * bins as f64).floor().max(0.0) as usize).min(last);
    if b < last && edge(b + 1, bins) <= x {
        b + 1
    } else {
        b
    }
}

/// Histogram of scores by class; a score of exactly 1 falls in the last bin. Scores below 0
/// count in the first bin, scores above 1 in the last, and NaN scores in the last too: like
/// [`Confusion::at`], a NaN must never look benign. `bins` 0 is taken as 1.
pub fn score_histogram(scores: &[f32], labels: &[u8], bins: usize) -> Histogram {
    let bins = bins.max(1);
    let mut h = Histogram {
        bins,
        benign: vec![0; bins],
        suspicious: vec![0; bins],
    };
    for (&score, &label) in scores.iter().zip(labels) {
        let counts = if label == 1 {
            &mut h.suspicious
        } else {
            &mut h.benign
        };
        counts[bin_of(score, bins)] += 1;
    }
    h
}

impl Histogram {
    /// Confusion when predicting suspicious for every score in bins at or above the bin
    /// containing `threshold` (bin b for a threshold on edge b/bins). It equals
    /// [`Confusion::at`] for thresholds on the edges 0, 1/bins, …, (bins-1)/bins and scores in
    /// [0, 1] or NaN.
    pub fn confusion_at(&self, threshold: f32) -> Confusion {
        let b = bin_of(threshold, self.bins);
        let split = |counts: &[u64]| {
            let (below, above) = counts.split_at(b.min(counts.len()));
            (below.iter().sum(), above.iter().sum())
        };
        let (tn, fp) = split(&self.benign);
        let (fn_, tp) = split(&self.suspicious);
        Confusion { tn, fp, fn_, tp }
    }
}

/// Confusion at `steps + 1` evenly spaced thresholds 0, 1/steps, …, 1 (`steps` 0 is taken as
/// 1), exactly as [`Confusion::at`] gives it, in O(n log n + steps log n).
pub fn threshold_sweep(scores: &[f32], labels: &[u8], steps: usize) -> Vec<SweepPoint> {
    let ranked = ranked_steps(scores, labels);
    let (pos, neg) = class_totals(&ranked);
    let steps = steps.max(1);
    (0..=steps)
        .map(|k| {
            let threshold = edge(k, steps);
            // The rows predicted suspicious are those of the first ranked steps.
            let above = ranked.partition_point(|s| predicted_suspicious(s.threshold, threshold));
            let (tp, fp) = class_totals(&ranked[..above]);
            SweepPoint {
                threshold,
                confusion: Confusion {
                    tn: neg - fp,
                    fp,
                    fn_: pos - tp,
                    tp,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// The largest f32 below a positive `x`.
    fn below(x: f32) -> f32 {
        f32::from_bits(x.to_bits() - 1)
    }

    /// Scores in [0, 1] with a share exactly on 0.01 edges, and a few NaNs.
    fn random_rows(n: usize) -> (Vec<f32>, Vec<u8>) {
        let mut rng = Rng::new(5);
        let scores = (0..n)
            .map(|i| match i % 10 {
                0 => f32::NAN,
                1..=3 => edge(rng.below(101), 100),
                _ => rng.next_f64() as f32,
            })
            .collect();
        let labels = (0..n).map(|_| rng.below(2) as u8).collect();
        (scores, labels)
    }

    #[test]
    fn histogram_bins_by_hand() {
        let scores = [
            0.0,
            0.05,
            0.1,
            0.95,
            1.0,
            -0.5,
            1.5,
            f32::NAN,
            0.7,
            below(0.7),
        ];
        let labels = [0, 0, 1, 1, 1, 0, 0, 1, 0, 1];
        let h = score_histogram(&scores, &labels, 10);
        assert_eq!(h.bins, 10);
        assert_eq!(h.benign, vec![3, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
        assert_eq!(h.suspicious, vec![0, 1, 0, 0, 0, 0, 1, 0, 0, 3]);
        assert_eq!(score_histogram(&[0.3], &[1], 0).suspicious, vec![1]);
    }

    #[test]
    fn bin_edges_are_exact_in_f32() {
        for bins in [3, 7, 10, 49, 1000] {
            assert_eq!(bin_of(0.0, bins), 0);
            for b in 1..bins {
                assert_eq!(bin_of(edge(b, bins), bins), b, "edge {b}/{bins}");
                assert_eq!(
                    bin_of(below(edge(b, bins)), bins),
                    b - 1,
                    "below {b}/{bins}"
                );
            }
            assert_eq!(bin_of(1.0, bins), bins - 1);
            assert_eq!(bin_of(f32::INFINITY, bins), bins - 1);
            assert_eq!(bin_of(f32::NEG_INFINITY, bins), 0);
        }
    }

    #[test]
    fn confusion_at_by_hand() {
        // Benign 0.05, 0.35, 0.6; suspicious 0.3, 0.65, 0.9 in ten bins.
        let h = score_histogram(&[0.05, 0.35, 0.6, 0.3, 0.65, 0.9], &[0, 0, 0, 1, 1, 1], 10);
        assert_eq!(
            h.confusion_at(0.6),
            Confusion {
                tn: 2,
                fp: 1,
                fn_: 1,
                tp: 2
            }
        );
        assert_eq!(
            h.confusion_at(0.0),
            Confusion {
                tn: 0,
                fp: 3,
                fn_: 0,
                tp: 3
            }
        );
        assert_eq!(
            h.confusion_at(0.95),
            Confusion {
                tn: 3,
                fp: 0,
                fn_: 2,
                tp: 1
            }
        );
        assert_eq!(Histogram::default().confusion_at(0.5), Confusion::default());
    }

    #[test]
    fn confusion_at_matches_exact_on_the_grid() {
        let (scores, labels) = random_rows(20_000);
        let h = score_histogram(&scores, &labels, 1000);
        for b in 0..1000 {
            let t = edge(b, 1000);
            assert_eq!(
                h.confusion_at(t),
                Confusion::at(&scores, &labels, t),
                "threshold {t}"
            );
        }
    }

    #[test]
    fn sweep_by_hand() {
        let scores = [0.0, 0.25, 0.5, 0.75, 1.0];
        let sweep = threshold_sweep(&scores, &[0, 0, 1, 0, 1], 4);
        let thresholds: Vec<f32> = sweep.iter().map(|p| p.threshold).collect();
        assert_eq!(thresholds, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        let expected = [
            (0, 3, 0, 2),
            (1, 2, 0, 2),
            (2, 1, 0, 2),
            (2, 1, 1, 1),
            (3, 0, 1, 1),
        ];
        for (p, (tn, fp, fn_, tp)) in sweep.iter().zip(expected) {
            assert_eq!(
                p.confusion,
                Confusion { tn, fp, fn_, tp },
                "threshold {}",
                p.threshold
            );
        }
        assert_eq!(threshold_sweep(&scores, &[0, 0, 1, 0, 1], 0).len(), 2);
    }

    #[test]
    fn sweep_matches_confusion_at() {
        let (mut scores, labels) = random_rows(5000);
        scores[1] = -0.0;
        scores[2] = -0.5;
        scores[3] = 1.5;
        for p in threshold_sweep(&scores, &labels, 100) {
            assert_eq!(p.confusion, Confusion::at(&scores, &labels, p.threshold));
        }
    }
}
