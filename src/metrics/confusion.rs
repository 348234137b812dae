use serde::{Deserialize, Serialize};

/// Counts of a binary decision at one threshold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    /// True negatives: benign rows scored below the threshold.
    pub tn: u64,
    /// False positives: benign rows scored at or above the threshold (false alarms).
    pub fp: u64,
    /// False negatives: attacks scored below the threshold (missed attacks). `fn` in JSON.
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// True positives: attacks scored at or above the threshold.
    pub tp: u64,
}

/// The rates derived from a [`Confusion`]; a rate whose denominator is zero is 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    /// (tp + tn) / total.
    pub accuracy: f64,
    /// tp / (tp + fp): the share of alarms that are attacks.
    pub precision: f64,
    /// tp / (tp + fn): the share of attacks caught, the true-positive rate.
    pub recall: f64,
    /// tn / (tn + fp): the share of benign rows left alone, 1 − the false-positive rate.
    pub specificity: f64,
    /// 2·tp / (2·tp + fp + fn), the harmonic mean of precision and recall.
    pub f1: f64,
}

/// The decision rule of the whole module: suspicious when `score >= threshold`. A NaN score
/// (a broken model or input) is suspicious too, so that it can never pass silently as benign.
pub(super) fn predicted_suspicious(score: f32, threshold: f32) -> bool {
    score >= threshold || score.is_nan()
}

impl Confusion {
    /// Confusion of `scores` against `labels`, predicting suspicious when `score >= threshold`
    /// (a NaN score is predicted suspicious).
    pub fn at(scores: &[f32], labels: &[u8], threshold: f32) -> Confusion {
        let mut c = Confusion::default();
        for (&score, &label) in scores.iter().zip(labels) {
            match (label == 1, predicted_suspicious(score, threshold)) {
                (false, false) => c.tn += 1,
                (false, true) => c.fp += 1,
                (true, false) => c.fn_ += 1,
                (true, true) => c.tp += 1,
            }
        }
        c
    }

    /// [`Confusion::at`] each of `thresholds`, in O((n + t) log n) instead of O(n × t):
    /// each class's scores sorted once, then counted above each threshold by binary search.
    pub fn at_each(scores: &[f32], labels: &[u8], thresholds: &[f32]) -> Vec<Confusion> {
        // Per class: the non-NaN scores in ascending order, and how many were NaN.
        let mut sorted: [(Vec<f32>, u64); 2] = Default::default();
        for (&score, &label) in scores.iter().zip(labels) {
            let (values, nan) = &mut sorted[usize::from(label == 1)];
            if score.is_nan() {
                *nan += 1;
            } else {
                values.push(score);
            }
        }
        for (values, _) in &mut sorted {
            values.sort_unstable_by(f32::total_cmp);
        }
        let flagged = |class: usize, threshold: f32| {
            let (values, nan) = &sorted[class];
            // `predicted_suspicious`: NaN, or score >= threshold (false for a NaN threshold).
            let below = values.partition_point(|&s| !predicted_suspicious(s, threshold));
            nan + (values.len() - below) as u64
        };
        let total = |class: usize| sorted[class].0.len() as u64 + sorted[class].1;
        thresholds
            .iter()
            .map(|&t| {
                let (fp, tp) = (flagged(0, t), flagged(1, t));
                Confusion {
                    tn: total(0) - fp,
                    fp,
                    fn_: total(1) - tp,
                    tp,
                }
            })
            .collect()
    }

    /// All rows counted: tn + fp + fn + tp.
    pub fn total(&self) -> u64 {
        self.tn + self.fp + self.fn_ + self.tp
    }

    /// The rates of these counts; a rate whose denominator is zero is 0.
    pub fn rates(&self) -> Rates {
        let ratio = |num: u64, den: u64| {
            if den == 0 {
                0.0
            } else {
                num as f64 / den as f64
            }
        };
        let Confusion { tn, fp, fn_, tp } = *self;
        Rates {
            accuracy: ratio(tp + tn, self.total()),
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, tp + fn_),
            specificity: ratio(tn, tn + fp),
            // The harmonic mean of precision and recall, in counts: 0 exactly when tp is 0.
            f1: ratio(2 * tp, 2 * tp + fp + fn_),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_each_agrees_with_at() {
        // Ties on grid points, ±0, NaN, scores outside [0, 1] and a NaN threshold.
        let scores = [
            0.5,
            0.25,
            0.0,
            -0.0,
            1.0,
            f32::NAN,
            0.001,
            0.999,
            0.5,
            2.0,
            -1.0,
        ];
        let labels = [0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1];
        let mut thresholds: Vec<f32> = (0..=1000).map(|k| k as f32 / 1000.0).collect();
        thresholds.extend([-0.0, -1.0, 3.0, f32::NAN, 0.25 + f32::EPSILON]);
        let each = Confusion::at_each(&scores, &labels, &thresholds);
        for (&t, c) in thresholds.iter().zip(&each) {
            assert_eq!(*c, Confusion::at(&scores, &labels, t), "threshold {t}");
        }
        assert_eq!(
            each[500],
            Confusion {
                tn: 1,
                fp: 4,
                fn_: 4,
                tp: 2
            }
        );
    }

    #[test]
    fn at_fills_each_cell_and_counts_nan_as_suspicious() {
        let scores = [0.2, 0.5, 0.7, 0.5, 0.1, f32::NAN];
        let labels = [0, 0, 1, 1, 1, 0];
        let c = Confusion::at(&scores, &labels, 0.5);
        assert_eq!(
            c,
            Confusion {
                tn: 1,
                fp: 2,
                fn_: 1,
                tp: 2
            }
        );
        assert_eq!(c.total(), 6);
    }

    #[test]
    fn at_threshold_extremes() {
        let scores = [0.0, 0.3, 1.0];
        let labels = [1, 0, 1];
        assert_eq!(
            Confusion::at(&scores, &labels, 0.0),
            Confusion {
                tn: 0,
                fp: 1,
                fn_: 0,
                tp: 2
            }
        );
        assert_eq!(
            Confusion::at(&scores, &labels, 1.5),
            Confusion {
                tn: 1,
                fp: 0,
                fn_: 2,
                tp: 0
            }
        );
    }

    #[test]
    fn rates_reproduce_the_reference_system() {
        let r = Confusion {
            tn: 17_411,
            fp: 97,
            fn_: 10_172,
            tp: 161_287,
        }
        .rates();
        let exact = [
            (r.accuracy, 178_698.0 / 188_967.0, 0.9457),
            (r.precision, 161_287.0 / 161_384.0, 0.9994),
            (r.recall, 161_287.0 / 171_459.0, 0.9407),
            (r.specificity, 17_411.0 / 17_508.0, 0.9945),
            (r.f1, 322_574.0 / 332_843.0, 0.9691),
        ];
        for (got, fraction, rounded) in exact {
            assert!((got - fraction).abs() < 1e-12, "{got} vs {fraction}");
            assert!((got - rounded).abs() <= 5e-5, "{got} vs {rounded}");
        }
        assert!((r.accuracy - 0.945_657_178).abs() < 1e-9);
    }

    #[test]
    fn rates_with_zero_denominators_are_zero() {
        assert_eq!(Confusion::default().rates(), Rates::default());
        let all_benign = Confusion {
            tn: 5,
            ..Confusion::default()
        }
        .rates();
        let expected = Rates {
            accuracy: 1.0,
            specificity: 1.0,
            ..Rates::default()
        };
        assert_eq!(all_benign, expected);
    }
}
