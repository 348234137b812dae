//! Detection of BETH's `evil` label beside `sus`. Every `evil` row is also `sus`: `evil` marks
//! the events of the attacker's own processes, `sus` also their unusual side effects. So the
//! positives here are the `evil` rows and the negatives are every other row, suspicious-but-not-
//! evil rows included (as scikit-learn's `roc_auc_score(evil, scores)` counts them); recall at
//! the threshold needs no negatives at all. The curves rank the same way ([`EvilCurves`]).

use super::{average_precision, pr_curve, roc_auc, roc_curve, Confusion, Curve};
use serde::{Deserialize, Serialize};

/// How well the scores find the `evil` rows of a labelled set.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvilSummary {
    /// Rows scored (with an `evil` label each).
    pub rows: u64,
    /// Of them, rows labelled `evil` 1.
    pub evil: u64,
    /// Evil rows at or above the threshold (or scored NaN): flagged.
    pub detected: u64,
    /// `detected / evil`; NaN (stored as null) without evil rows.
    #[serde(with = "crate::evaluation::nan_as_null")]
    pub recall: f64,
    /// ROC-AUC of evil rows against every other row; NaN (null) when one kind is missing.
    #[serde(with = "crate::evaluation::nan_as_null")]
    pub roc_auc: f64,
    /// Average precision of the same ranking; NaN (null) when one kind is missing.
    #[serde(with = "crate::evaluation::nan_as_null")]
    pub average_precision: f64,
}

impl EvilSummary {
    /// The `evil` figures of `scores` (one per row of `evil`, 1 = evil) at `threshold`.
    pub fn compute(scores: &[f32], evil: &[u8], threshold: f32) -> EvilSummary {
        let c = Confusion::at(scores, evil, threshold);
        let positives = c.tp + c.fn_;
        EvilSummary {
            rows: c.tn + c.fp + positives,
            evil: positives,
            detected: c.tp,
            recall: if positives == 0 {
                f64::NAN
            } else {
                c.tp as f64 / positives as f64
            },
            roc_auc: roc_auc(scores, evil),
            average_precision: average_precision(scores, evil),
        }
    }
}

/// The ROC and precision-recall curves of the `evil` rows against every other row: the same
/// code as `sus`'s curves, on the `evil` labels.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EvilCurves {
    /// ROC curve (x = false-positive rate among the other rows, y = share of evil rows found);
    /// empty when the rows hold no evil row or nothing else.
    pub roc: Curve,
    /// Precision-recall curve (x = recall of evil rows, y = share of evil among flagged rows);
    /// empty without evil rows.
    pub pr: Curve,
}

impl EvilCurves {
    /// The curves of `scores` against `evil` (1 = evil), each thinned to `max_points`.
    pub fn compute(scores: &[f32], evil: &[u8], max_points: usize) -> EvilCurves {
        EvilCurves {
            roc: roc_curve(scores, evil, max_points),
            pr: pr_curve(scores, evil, max_points),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evil_rows_against_every_other_row() {
        // Rows: benign 0.1, sus-not-evil 0.7, evil 0.6, 0.9, 0.2.
        let scores = [0.1, 0.7, 0.6, 0.9, 0.2];
        let evil = [0, 0, 1, 1, 1];
        let s = EvilSummary::compute(&scores, &evil, 0.5);
        assert_eq!((s.rows, s.evil, s.detected), (5, 3, 2));
        assert_eq!(s.recall, 2.0 / 3.0);
        // Pairs (evil, other) ranked right: 0.6>0.1, 0.9>0.1, 0.9>0.7, 0.2>0.1 = 4 of 6.
        assert_eq!(s.roc_auc, 4.0 / 6.0);
        // Ranked: 0.9 (evil, P 1/1), 0.7, 0.6 (evil, P 2/3), 0.2 (evil, P 3/4), 0.1:
        // AP = (1 + 2/3 + 3/4) / 3.
        assert!((s.average_precision - (1.0 + 2.0 / 3.0 + 0.75) / 3.0).abs() < 1e-12);
        let none = EvilSummary::compute(&scores, &[0; 5], 0.5);
        assert!(none.recall.is_nan() && none.roc_auc.is_nan());
        let json = serde_json::to_string(&none).expect("serialises");
        assert!(json.contains("\"recall\":null"), "{json}");
        let back: EvilSummary = serde_json::from_str(&json).expect("parses");
        assert_eq!((back.rows, back.evil), (5, 0));
    }

    #[test]
    fn evil_curves_rank_evil_rows_against_every_other_row() {
        // The rows of the test above: ranked 0.9 (evil), 0.7 (other), 0.6 (evil), 0.2 (evil),
        // 0.1 (other); 3 evil rows, 2 others.
        let scores = [0.1, 0.7, 0.6, 0.9, 0.2];
        let evil = [0, 0, 1, 1, 1];
        let c = EvilCurves::compute(&scores, &evil, 100);
        // ROC: (0, 0) above every score, then (FPR, TPR) with each score flagged: 0.9 → (0, 1/3),
        // 0.7 → (1/2, 1/3), 0.6 → (1/2, 2/3), 0.2 → (1/2, 1), 0.1 → (1, 1).
        assert_eq!(c.roc.x, vec![0.0, 0.0, 0.5, 0.5, 0.5, 1.0]);
        assert_eq!(
            c.roc.y,
            vec![0.0, 1.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0, 1.0, 1.0]
        );
        let t: Vec<f64> = [0.9f32, 0.7, 0.6, 0.2, 0.1].map(f64::from).to_vec();
        assert_eq!(c.roc.thresholds[1..], t[..]);
        assert_eq!(c.roc.thresholds[0], f64::from(0.9f32) + 1.0);
        // PR: recall and precision after each score: 1/3 at 1/1, 1/3 at 1/2, 2/3 at 2/3,
        // 1 at 3/4, 1 at 3/5.
        assert_eq!(c.pr.x, vec![1.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0, 1.0, 1.0]);
        assert_eq!(c.pr.y, vec![1.0, 0.5, 2.0 / 3.0, 0.75, 0.6]);
        assert_eq!(c.pr.thresholds, t);
        // Thinned to 3 points: the ends and the middle one (index 2 of 6, index 2 of 5).
        let thin = EvilCurves::compute(&scores, &evil, 3);
        assert_eq!(thin.roc.x, vec![0.0, 0.5, 1.0]);
        assert_eq!(thin.roc.y, vec![0.0, 1.0 / 3.0, 1.0]);
        assert_eq!(thin.pr.x, vec![1.0 / 3.0, 2.0 / 3.0, 1.0]);
        // No evil row: both curves empty (recall is undefined).
        assert_eq!(
            EvilCurves::compute(&scores, &[0; 5], 100),
            EvilCurves::default()
        );
        // Only evil rows: no ROC (no false-positive rate), precision 1 throughout.
        let all = EvilCurves::compute(&scores, &[1; 5], 100);
        assert!(all.roc.x.is_empty());
        assert_eq!(all.pr.y, vec![1.0; 5]);
    }
}
