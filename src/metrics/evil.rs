//! Detection of BETH's `evil` label beside `sus`. Every `evil` row is also `sus`: `evil` marks
//! the events of the attacker's own processes, `sus` also their unusual side effects. So the
//! positives here are the `evil` rows and the negatives are every other row, suspicious-but-not-
//! evil rows included (as scikit-learn's `roc_auc_score(evil, scores)` counts them); recall at
//! the threshold needs no negatives at all.

use super::{average_precision, roc_auc, Confusion};
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
}
