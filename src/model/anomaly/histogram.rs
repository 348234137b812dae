//! A histogram-based outlier score (HBOS, Goldstein and Dengel, 2012): one histogram per feature
//! of the training rows, and an event's surprise the sum over features of −ln p(its value).
//!
//! The paper's features are all categorical (four flags, eventId, argsNum, the sign of
//! returnValue), so a feature's histogram is a count per distinct value: the `bins` most common
//! values are kept (ties to the smaller value), every other value, and any value never seen,
//! shares one "other" bin. Counts are Laplace-smoothed over the kept values and "other":
//! p(bin) = (count + 1) / (rows + kept + 1), so an unseen value is never impossible. The score
//! is the summed surprise divided by its largest possible value (every feature at its least
//! likely bin), in [0, 1], so that each feature's term, divided the same way, is its share of
//! the score. Fitting sorts each column once; scoring is a binary search per feature.
//!
//! The surprises are f64 from `libm::log`, summed in feature order, so the page's scores are
//! the CLI's bits and the ONNX graph (which adds the same doubles in the same order) matches.

use serde::{Deserialize, Serialize};

/// One feature's histogram: its kept values, ascending, each with its count of training rows,
/// and the count of rows whose value is in none of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bins {
    /// The kept values, strictly ascending, finite (−0 is stored as 0).
    pub values: Vec<f32>,
    /// Training rows holding each kept value.
    pub counts: Vec<u64>,
    /// Training rows holding any other value.
    pub other: u64,
}

/// The histograms of every feature, in the spec's order, and the rows they were counted on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Histograms {
    /// Training rows counted (each feature's counts and `other` add up to it).
    pub rows: u64,
    /// One histogram per feature.
    pub features: Vec<Bins>,
    /// Each feature's surprise per kept value, then the "other" bin's: derived from the counts.
    #[serde(skip)]
    surprise: Vec<Vec<f64>>,
    /// The largest summed surprise: every feature at its least likely bin.
    #[serde(skip)]
    most: f64,
}

impl Bins {
    /// Counts the values of one feature (a column), keeping the `keep` most common.
    fn count(column: &[f32], keep: usize) -> Bins {
        let mut sorted: Vec<f32> = column
            .iter()
            .filter(|v| !v.is_nan())
            // −0 and 0 are one value, as `==` (and ONNX's `Equal`) see them.
            .map(|&v| v + 0.0)
            .collect();
        sorted.sort_by(f32::total_cmp);
        let mut distinct: Vec<(f32, u64)> = Vec::new();
        for v in sorted {
            match distinct.last_mut() {
                Some((last, n)) if *last == v => *n += 1,
                _ => distinct.push((v, 1)),
            }
        }
        // Most common first, ties to the smaller value; then the kept ones back in value order.
        distinct.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.total_cmp(&b.0)));
        distinct.truncate(keep);
        distinct.sort_by(|a, b| a.0.total_cmp(&b.0));
        let kept: u64 = distinct.iter().map(|d| d.1).sum();
        Bins {
            values: distinct.iter().map(|d| d.0).collect(),
            counts: distinct.iter().map(|d| d.1).collect(),
            other: column.len() as u64 - kept,
        }
    }

    /// The index of `value`'s kept bin, or `None` for "other".
    fn find(&self, value: f32) -> Option<usize> {
        if value.is_nan() {
            return None;
        }
        self.values
            .binary_search_by(|probe| probe.total_cmp(&(value + 0.0)))
            .ok()
    }
}

impl Histograms {
    /// Counts every feature of `x` (row-major, `width` features a row), keeping at most `keep`
    /// values of each.
    pub fn fit(x: &[f32], width: usize, keep: usize) -> Histograms {
        let rows = x.len().checked_div(width).unwrap_or(0);
        let features = (0..width)
            .map(|f| {
                let column: Vec<f32> = (0..rows).map(|r| x[r * width + f]).collect();
                Bins::count(&column, keep)
            })
            .collect();
        Histograms::new(rows as u64, features)
    }

    /// The histogram of `features` counted on `rows` rows, with its surprises worked out.
    pub fn new(rows: u64, features: Vec<Bins>) -> Histograms {
        let surprise: Vec<Vec<f64>> = features
            .iter()
            .map(|bins| {
                // Laplace smoothing over the kept bins and "other".
                let total = rows as f64 + bins.values.len() as f64 + 1.0;
                let term = |count: u64| -libm::log((count as f64 + 1.0) / total);
                bins.counts
                    .iter()
                    .map(|&c| term(c))
                    .chain([term(bins.other)])
                    .collect()
            })
            .collect();
        let most = surprise
            .iter()
            .map(|s| s.iter().copied().fold(0.0, f64::max))
            .sum();
        Histograms {
            rows,
            features,
            surprise,
            most,
        }
    }

    /// Feature `f`'s surprise (−ln p, in nats) at `value`.
    pub fn term(&self, f: usize, value: f32) -> f64 {
        let (Some(bins), Some(surprise)) = (self.features.get(f), self.surprise.get(f)) else {
            return 0.0;
        };
        let bin = bins.find(value).unwrap_or(bins.values.len());
        surprise.get(bin).copied().unwrap_or(0.0)
    }

    /// Each feature's surprise table, in feature order: its kept values' (in their order),
    /// then the "other" bin's.
    pub fn surprises(&self) -> &[Vec<f64>] {
        &self.surprise
    }

    /// The largest summed surprise, by which [`Histograms::score`] divides.
    pub fn most(&self) -> f64 {
        self.most
    }

    /// The anomaly score of `row` (its features): the summed surprise, added in feature order,
    /// over [`Histograms::most`], in [0, 1]; 0 when no value is more surprising than another.
    pub fn score(&self, row: &[f32]) -> f32 {
        if self.most <= 0.0 {
            return 0.0;
        }
        let mut total = 0.0;
        for (f, &value) in row.iter().enumerate().take(self.features.len()) {
            total += self.term(f, value);
        }
        (total / self.most) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_keep_the_most_common_values_and_pool_the_rest() {
        // 0 four times, 2 twice, 1 twice, 5 once, −0 once (as 0), NaN once: keep 2 → 0 and 1
        // (the tie between 1 and 2 goes to the smaller), the rest "other".
        let column = [0.0, 2.0, 1.0, 0.0, 5.0, 2.0, 0.0, -0.0, 1.0, f32::NAN, 0.0];
        let bins = Bins::count(&column, 2);
        assert_eq!(bins.values, vec![0.0, 1.0]);
        assert!(bins.values[0].is_sign_positive());
        assert_eq!(bins.counts, vec![5, 2]);
        assert_eq!(bins.other, 4);
        assert_eq!(bins.find(-0.0), Some(0));
        assert_eq!(bins.find(2.0), None);
        assert_eq!(bins.find(f32::NAN), None);
    }

    #[test]
    fn the_score_is_the_summed_surprise_over_its_largest() {
        // Two features, 4 rows: feature 0 is 1, 1, 1, 0; feature 1 is 7 everywhere.
        let x = [1.0, 7.0, 1.0, 7.0, 1.0, 7.0, 0.0, 7.0];
        let h = Histograms::fit(&x, 2, 10);
        assert_eq!(h.rows, 4);
        // Feature 0: bins 0 (1 row), 1 (3 rows), other (0): p = 2/7, 4/7, 1/7.
        // Feature 1: bins 7 (4 rows), other (0): p = 5/6, 1/6.
        let ln = libm::log;
        assert_eq!(h.term(0, 1.0), -ln(4.0 / 7.0));
        assert_eq!(h.term(0, 0.0), -ln(2.0 / 7.0));
        assert_eq!(h.term(0, 3.0), -ln(1.0 / 7.0));
        assert_eq!(h.term(1, 7.0), -ln(5.0 / 6.0));
        let most = -ln(1.0 / 7.0) + -ln(1.0 / 6.0);
        assert_eq!(h.most(), most);
        // ln 7 + ln 6 = 3.7377; the commonest row: (0.5596 + 0.1823) / 3.7377 = 0.19850.
        let common = (-ln(4.0 / 7.0) + -ln(5.0 / 6.0)) / most;
        assert_eq!(h.score(&[1.0, 7.0]), common as f32);
        assert!((h.score(&[1.0, 7.0]) - 0.198_50).abs() < 1e-5);
        assert_eq!(h.score(&[3.0, 8.0]), 1.0);
        assert!(h.score(&[0.0, 7.0]) > h.score(&[1.0, 7.0]));
    }
}
