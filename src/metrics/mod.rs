//! Detection metrics: confusion matrix at a threshold, ROC and precision-recall curves with exact
//! areas (ties handled), score histograms by class, threshold sweep, the cost of a threshold,
//! permutation importance and 95% intervals (Wilson for rates, a seeded bootstrap for areas).
//!
//! Labels are `u8` (0 = benign, 1 = suspicious); scores are probabilities of `sus` in [0, 1].
//! A row is predicted suspicious when `score >= threshold`. A NaN score is suspicious at every
//! threshold and ranks above every number, so that a broken score never passes as benign.

mod best_run;
mod confusion;
mod cost;
mod curves;
mod evil;
mod histogram;
mod importance;
mod interval;
mod prevalence;

pub use best_run::middle_of_widest_run;
pub use confusion::{Confusion, Rates};
pub use cost::{cheapest, cost_at, Cheapest, CostPoint, Costs, MAX_COST};
pub use curves::{average_precision, pr_curve, roc_auc, roc_curve, Curve};
pub use evil::{EvilCurves, EvilSummary};
pub use histogram::{score_histogram, threshold_sweep, Histogram, SweepPoint};
pub use importance::permutation_importance;
pub use interval::{
    ranking_intervals, widest, wilson, Interval, Intervals, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED,
};
pub use prevalence::{at_prevalence, AtPrevalence, BadPrevalence, PER_EVENTS};
