//! The evaluation of a model on labelled events: every number the report shows, computed once
//! and stored in the model file so the page can draw it without the evaluation rows.

use crate::ingest::Events;
use crate::metrics::{
    average_precision, pr_curve, ranking_intervals, roc_auc, roc_curve, score_histogram, Confusion,
    Curve, EvilCurves, EvilSummary, Histogram, Intervals, Rates,
};
use serde::{Deserialize, Serialize};

/// Bins of the stored score histogram: fine enough that the confusion at any threshold on a
/// 0.001 grid is exact, which is what the page's threshold slider reads.
pub const HISTOGRAM_BINS: usize = 1000;
/// Longest stored ROC or PR curve.
pub const CURVE_POINTS: usize = 400;
/// Most hosts given a row of their own in the per-host breakdown: those with the most rows; the
/// rest are counted in [`Evaluation::hosts_omitted`]. A file may name a new host on every row,
/// and a table of a hundred thousand hosts helps nobody and stalls the page that draws it.
pub const MAX_HOSTS: usize = 1000;

/// What a set of labelled rows was.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DataSummary {
    /// File names or a description of where the rows came from.
    pub source: String,
    /// Number of rows.
    pub rows: usize,
    /// Rows labelled benign (`sus` 0).
    pub benign: usize,
    /// Rows labelled suspicious (`sus` 1).
    pub suspicious: usize,
    /// SHA-256 (hex) of the input bytes, when they came from files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl DataSummary {
    /// Rows with these `labels` (0 benign, 1 suspicious), read from `source`, hashed to `sha256`.
    pub fn counted(source: String, labels: &[u8], sha256: Option<String>) -> DataSummary {
        let suspicious = labels.iter().filter(|&&l| l == 1).count();
        DataSummary {
            source,
            rows: labels.len(),
            benign: labels.len() - suspicious,
            suspicious,
            sha256,
        }
    }

    /// `events` described: their row and class counts, with a source and an optional hash.
    pub fn of(source: String, events: &Events, sha256: Option<String>) -> DataSummary {
        let (benign, suspicious) = events.class_counts();
        DataSummary {
            source,
            rows: events.len(),
            benign,
            suspicious,
            sha256,
        }
    }
}

/// Labelled rows read from a file (or a part of one) and what they were.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    /// The rows.
    pub events: Events,
    /// Where they came from and their class counts.
    pub summary: DataSummary,
}

impl Dataset {
    /// The rows `rows` (indices, ascending), described as `what` part of this data: the same
    /// source with `what` in brackets, and the same file hash.
    pub fn part(&self, rows: &[usize], what: &str) -> Dataset {
        let events = self.events.select(rows);
        let source = format!("{} ({what})", self.summary.source);
        let summary = DataSummary::of(source, &events, self.summary.sha256.clone());
        Dataset { events, summary }
    }

    /// The labels, empty when the rows have none.
    pub fn labels(&self) -> &[u8] {
        self.events.sus.as_deref().unwrap_or_default()
    }
}

/// Smallest, median and largest of a set of numbers (the finite ones; NaN for none), as the
/// seed study reports each metric over its seeds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Spread {
    /// The smallest value.
    pub min: f64,
    /// The middle value, or the mean of the two middle values for an even count.
    pub median: f64,
    /// The largest value.
    pub max: f64,
}

impl Spread {
    /// The spread of the finite `values`.
    pub fn of(values: &[f64]) -> Spread {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = match n {
            0 => f64::NAN,
            _ if n % 2 == 1 => v[n / 2],
            _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        };
        Spread {
            min: v.first().copied().unwrap_or(f64::NAN),
            median,
            max: v.last().copied().unwrap_or(f64::NAN),
        }
    }
}

/// Headline numbers at one threshold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Scores at or above this are called suspicious.
    pub threshold: f32,
    /// The counts at the threshold.
    pub confusion: Confusion,
    /// Accuracy, precision, recall, specificity and F1 at the threshold.
    pub rates: Rates,
    /// NaN (stored as null) when the rows hold one class only.
    #[serde(with = "nan_as_null")]
    pub roc_auc: f64,
    /// Average precision (the area under the precision-recall curve, as scikit-learn computes it);
    /// NaN (stored as null) when the rows hold one class only.
    #[serde(with = "nan_as_null")]
    pub average_precision: f64,
    /// 95% intervals of the rates and areas, for the summaries the report shows with them (the
    /// evaluation's and the cross-validation's); `None` elsewhere and in model files written
    /// before intervals, which load as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intervals: Option<Intervals>,
}

/// JSON has no NaN: store it as `null` and read `null` back as NaN.
pub(crate) mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
        if value.is_finite() {
            s.serialize_f64(*value)
        } else {
            s.serialize_none()
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

/// The same numbers for the rows of one host.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HostEvaluation {
    /// The host's name, from the `hostName` column.
    pub host: String,
    /// Rows of this host.
    pub rows: usize,
    /// Of them, rows labelled benign.
    pub benign: usize,
    /// Of them, rows labelled suspicious.
    pub suspicious: usize,
    /// The headline numbers on this host's rows alone, at the model's threshold.
    pub summary: Summary,
}

impl HostEvaluation {
    /// This host's results with the Wilson intervals of its rates, which its counts give exactly
    /// (hosts are stored without intervals; ROC-AUC and average precision get none, since the
    /// host's scores are not kept).
    pub fn with_rate_intervals(&self) -> HostEvaluation {
        HostEvaluation {
            summary: Summary {
                intervals: Some(
                    self.summary
                        .intervals
                        .unwrap_or_else(|| Intervals::of_rates(&self.summary.confusion)),
                ),
                ..self.summary
            },
            ..self.clone()
        }
    }
}

/// Fewer rows of a class than this make every figure on them noise: a rate over 29 rows has a
/// 95% interval wider than ±15 points near its middle.
pub const FEW_ROWS: usize = 30;

/// A warning for each class of the `what` rows ("training", "evaluation") with fewer than
/// [`FEW_ROWS`] rows; empty when both have enough.
pub fn few_rows(what: &str, benign: usize, suspicious: usize) -> Vec<String> {
    [("benign", benign), ("suspicious", suspicious)]
        .into_iter()
        .filter(|&(_, n)| n < FEW_ROWS)
        .map(|(label, n)| {
            let plural = if n == 1 { "" } else { "s" };
            format!("Only {n} {label} row{plural} in the {what} data: too few for its figures to mean much.")
        })
        .collect()
}

/// How much the model leans on one feature: the drop in ROC-AUC when it is shuffled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureImportance {
    /// The feature's name.
    pub feature: String,
    /// NaN when the rows sampled for it hold one class. Written as `null` in JSON, like every
    /// non-finite number, and read back from `null` as NaN.
    #[serde(deserialize_with = "nan_as_null::deserialize")]
    pub auc_drop: f64,
}

/// Everything the report shows about a model on one set of labelled rows: headline numbers at the
/// threshold, ROC and precision-recall curves, the score histogram, per-host results and feature
/// importance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// What the rows were.
    pub data: DataSummary,
    /// The headline numbers at the model's threshold.
    pub summary: Summary,
    /// The ROC curve (x = false-positive rate, y = true-positive rate), at most [`CURVE_POINTS`]
    /// points.
    pub roc: Curve,
    /// The precision-recall curve (x = recall, y = precision), at most [`CURVE_POINTS`] points.
    pub pr: Curve,
    /// Scores by class in [`HISTOGRAM_BINS`] bins: the confusion at any threshold on the slider's
    /// grid.
    pub histogram: Histogram,
    /// Results per host that has rows; empty when the rows have no hosts.
    pub hosts: Vec<HostEvaluation>,
    /// Hosts left out of `hosts` (beyond [`MAX_HOSTS`], the ones with the fewest rows).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hosts_omitted: usize,
    /// Permutation importance of each feature, in the spec's order; empty when it could not be
    /// computed (one class only, or a network too large for the work budget).
    pub importance: Vec<FeatureImportance>,
    /// Detection of the `evil` label at the same threshold, when the rows have it; absent in
    /// files written before it, which load as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evil: Option<EvilSummary>,
    /// The `evil` label's ROC and precision-recall curves (at most [`CURVE_POINTS`] points each),
    /// beside `evil`; absent in files written before them, which load as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evil_curves: Option<EvilCurves>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// The headline numbers of `scores` against `labels` (1 = suspicious) at `threshold`.
    pub fn compute(scores: &[f32], labels: &[u8], threshold: f32) -> Summary {
        let confusion = Confusion::at(scores, labels, threshold);
        Summary {
            threshold,
            confusion,
            rates: confusion.rates(),
            roc_auc: roc_auc(scores, labels),
            average_precision: average_precision(scores, labels),
            intervals: None,
        }
    }

    /// [`Summary::compute`] with 95% intervals: Wilson's for the rates, the seeded bootstrap's
    /// for ROC-AUC and average precision (see [`ranking_intervals`]).
    pub fn with_intervals(scores: &[f32], labels: &[u8], threshold: f32) -> Summary {
        let summary = Summary::compute(scores, labels, threshold);
        let (roc_auc, average_precision) = ranking_intervals(scores, labels);
        Summary {
            intervals: Some(Intervals {
                roc_auc,
                average_precision,
                ..Intervals::of_rates(&summary.confusion)
            }),
            ..summary
        }
    }
}

impl Evaluation {
    /// Evaluates `scores` against `labels`. `hosts` gives each row's host index into
    /// `host_names` (empty for no per-host breakdown).
    pub fn compute(
        data: DataSummary,
        scores: &[f32],
        labels: &[u8],
        threshold: f32,
        hosts: (&[u32], &[String]),
        importance: Vec<FeatureImportance>,
    ) -> Evaluation {
        let (host_of_row, host_names) = hosts;
        let mut per_host = Vec::new();
        if host_of_row.len() == scores.len() {
            // Rows grouped by host in one pass: a file may name a host per row.
            let mut rows_of: Vec<Vec<usize>> = vec![Vec::new(); host_names.len()];
            for (i, &h) in host_of_row.iter().enumerate() {
                if let Some(rows) = rows_of.get_mut(h as usize) {
                    rows.push(i);
                }
            }
            for (name, rows) in host_names.iter().zip(&rows_of) {
                if rows.is_empty() {
                    continue;
                }
                let s: Vec<f32> = rows.iter().map(|&i| scores[i]).collect();
                let l: Vec<u8> = rows.iter().map(|&i| labels[i]).collect();
                let suspicious = l.iter().filter(|&&x| x == 1).count();
                per_host.push(HostEvaluation {
                    host: name.clone(),
                    rows: rows.len(),
                    benign: rows.len() - suspicious,
                    suspicious,
                    summary: Summary::compute(&s, &l, threshold),
                });
            }
        }
        let hosts_omitted = per_host.len().saturating_sub(MAX_HOSTS);
        if hosts_omitted > 0 {
            // Stable: among hosts with as many rows, the file's order decides.
            per_host.sort_by_key(|h| std::cmp::Reverse(h.rows));
            per_host.truncate(MAX_HOSTS);
        }
        Evaluation {
            data,
            summary: Summary::with_intervals(scores, labels, threshold),
            roc: roc_curve(scores, labels, CURVE_POINTS),
            pr: pr_curve(scores, labels, CURVE_POINTS),
            histogram: score_histogram(scores, labels, HISTOGRAM_BINS),
            hosts: per_host,
            hosts_omitted,
            importance,
            evil: None,
            evil_curves: None,
        }
    }

    /// This evaluation with the `evil` figures and curves of the same `scores`, when every row
    /// has an `evil` label (`evil` is as long as the scores).
    pub fn with_evil(self, scores: &[f32], evil: Option<&[u8]>) -> Evaluation {
        let Some(evil) = evil.filter(|e| e.len() == scores.len()) else {
            return Evaluation {
                evil: None,
                evil_curves: None,
                ..self
            };
        };
        Evaluation {
            evil: Some(EvilSummary::compute(scores, evil, self.summary.threshold)),
            evil_curves: Some(EvilCurves::compute(scores, evil, CURVE_POINTS)),
            ..self
        }
    }

    /// Why [`importance`](Evaluation::importance) is empty, in words; `None` when it is not.
    pub fn importance_missing(&self) -> Option<&'static str> {
        if !self.importance.is_empty() {
            None
        } else if self.data.benign == 0 || self.data.suspicious == 0 {
            Some("the events are all of one class, so there is no ranking for shuffling to spoil")
        } else {
            Some("the network is too large to score the events again for every feature within the work budget")
        }
    }

    /// The headline numbers at another threshold, read from the stored histogram (exact on the
    /// histogram's bin grid), with the Wilson intervals of its rates; AUC and AP and their
    /// intervals (if stored) do not depend on the threshold.
    pub fn at_threshold(&self, threshold: f32) -> Summary {
        let confusion = self.histogram.confusion_at(threshold);
        let stored = self.summary.intervals.unwrap_or_default();
        Summary {
            threshold,
            confusion,
            rates: confusion.rates(),
            intervals: Some(Intervals {
                roc_auc: stored.roc_auc,
                average_precision: stored.average_precision,
                ..Intervals::of_rates(&confusion)
            }),
            ..self.summary
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_importance_says_why() {
        let scores = [0.1, 0.9];
        let at = |labels: &[u8], importance: Vec<FeatureImportance>| {
            let data = DataSummary::counted("t".into(), labels, None);
            Evaluation::compute(data, &scores, labels, 0.5, (&[], &[]), importance)
                .importance_missing()
        };
        assert_eq!(
            at(&[1, 1], vec![]),
            Some("the events are all of one class, so there is no ranking for shuffling to spoil")
        );
        assert!(at(&[0, 1], vec![]).is_some_and(|why| why.contains("too large")));
        let one = FeatureImportance {
            feature: "f".into(),
            auc_drop: 0.5,
        };
        assert_eq!(at(&[0, 1], vec![one]), None);
    }

    #[test]
    fn few_rows_of_a_class_are_named_once_each() {
        assert_eq!(
            few_rows("training", 3, 100),
            ["Only 3 benign rows in the training data: too few for its figures to mean much."]
        );
        assert_eq!(
            few_rows("evaluation", 1, 29),
            [
                "Only 1 benign row in the evaluation data: too few for its figures to mean much.",
                "Only 29 suspicious rows in the evaluation data: too few for its figures to mean much."
            ]
        );
        assert!(few_rows("training", 30, 30).is_empty());
    }

    #[test]
    fn a_host_gets_the_wilson_intervals_of_its_counts() {
        let confusion = Confusion {
            tn: 58,
            fp: 1,
            fn_: 4,
            tp: 4331,
        };
        let host = HostEvaluation {
            host: "h".into(),
            rows: 4394,
            benign: 59,
            suspicious: 4335,
            summary: Summary {
                confusion,
                rates: confusion.rates(),
                ..Summary::default()
            },
        };
        let i = host.with_rate_intervals().summary.intervals.expect("added");
        // 58 of 59 benign: 91.00% to 99.70%, as on the cards.
        assert!((i.specificity.expect("benign rows").lo - 0.910_042_740_358_577_1).abs() < 1e-12);
        assert_eq!(i.recall, crate::metrics::wilson(4331, 4335));
        assert_eq!((i.roc_auc, i.average_precision), (None, None));
        assert_eq!(host.with_rate_intervals().host, "h");
    }

    #[test]
    fn spread_takes_the_mean_of_the_two_middle_values_for_an_even_count() {
        let s = Spread::of(&[3.0, 1.0, 2.0, 10.0]);
        assert_eq!((s.min, s.median, s.max), (1.0, 2.5, 10.0));
        assert_eq!(Spread::of(&[0.5, f64::NAN, 0.25, 0.75]).median, 0.5);
        let none = Spread::of(&[f64::NAN]);
        assert!(none.min.is_nan() && none.median.is_nan() && none.max.is_nan());
    }

    #[test]
    fn only_the_largest_hosts_get_a_row_and_the_rest_are_counted() {
        // Host i has i + 1 rows; one more host than the table holds.
        let hosts = MAX_HOSTS + 1;
        let host_of_row: Vec<u32> = (0..hosts as u32)
            .flat_map(|h| std::iter::repeat_n(h, h as usize + 1))
            .collect();
        let names: Vec<String> = (0..hosts).map(|h| format!("h{h}")).collect();
        let scores = vec![0.5; host_of_row.len()];
        let labels: Vec<u8> = (0..host_of_row.len()).map(|i| (i % 2) as u8).collect();
        let data = DataSummary {
            source: "many-hosts.csv".into(),
            rows: scores.len(),
            benign: labels.iter().filter(|&&l| l == 0).count(),
            suspicious: labels.iter().filter(|&&l| l == 1).count(),
            sha256: None,
        };
        let e = Evaluation::compute(data, &scores, &labels, 0.5, (&host_of_row, &names), vec![]);
        assert_eq!(e.hosts.len(), MAX_HOSTS);
        assert_eq!(e.hosts_omitted, 1);
        assert_eq!(e.hosts[0].host, format!("h{}", hosts - 1));
        assert_eq!(e.hosts[0].rows, hosts);
        // The one left out is h0, with a single row.
        assert!(e.hosts.iter().all(|h| h.host != "h0"));
        assert_eq!(e.hosts.last().map(|h| h.rows), Some(2));
    }

    /// The page hands an evaluation from its worker to the report as JSON text (see
    /// `Report::showEvaluation`), where a NaN importance (a sample of one class) is `null`.
    #[test]
    fn a_nan_importance_is_written_as_null_and_read_back_as_nan() {
        let importance = FeatureImportance {
            feature: "userId".to_string(),
            auc_drop: f64::NAN,
        };
        let json = serde_json::to_string(&importance).expect("serialises");
        assert_eq!(json, r#"{"feature":"userId","auc_drop":null}"#);
        let back: FeatureImportance = serde_json::from_str(&json).expect("parses");
        assert!(back.auc_drop.is_nan());
        let finite: FeatureImportance =
            serde_json::from_str(r#"{"feature":"userId","auc_drop":0.25}"#).expect("parses");
        assert_eq!(finite.auc_drop, 0.25);
    }
}
