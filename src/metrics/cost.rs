//! What a threshold costs: every missed attack and every false alarm priced by the analyst,
//! counted from an evaluation's score histogram, and the threshold on its grid that costs least.

use super::best_run::widest_run;
use super::Histogram;
use serde::Serialize;

/// The price of one missed attack (false negative) and of one false alarm (false positive).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Costs {
    /// The price of one suspicious row scored below the threshold.
    pub missed_attack: f64,
    /// The price of one benign row scored at or above the threshold.
    pub false_alarm: f64,
}

impl Costs {
    /// Both prices, which must be numbers from 0 to [`MAX_COST`], not both 0 (then every
    /// threshold costs nothing and none is cheapest).
    pub fn new(missed_attack: f64, false_alarm: f64) -> Result<Costs, String> {
        let valid = |c: f64| (0.0..=MAX_COST).contains(&c);
        if !(valid(missed_attack) && valid(false_alarm)) {
            // NaN is what the page passes for an empty field: "found NaN" would say nothing.
            let found = |c: f64| match c.is_nan() {
                true => "no number".to_string(),
                false => c.to_string(),
            };
            return Err(format!(
                "costs must be numbers from 0 to {MAX_COST:e}; found {} for a missed attack and {} for a false alarm",
                found(missed_attack),
                found(false_alarm)
            ));
        }
        if missed_attack == 0.0 && false_alarm == 0.0 {
            return Err(
                "both costs are 0: every threshold costs nothing, so none is cheapest; price at least one kind of error"
                    .to_string(),
            );
        }
        Ok(Costs {
            missed_attack,
            false_alarm,
        })
    }

    fn of(self, threshold: f32, missed: u64, false_alarms: u64) -> CostPoint {
        CostPoint {
            threshold,
            missed,
            false_alarms,
            cost: missed as f64 * self.missed_attack + false_alarms as f64 * self.false_alarm,
        }
    }
}

/// The largest price of one error: beyond it sums of millions of errors lose their units, and
/// no analyst's price is that high.
pub const MAX_COST: f64 = 1e12;

/// The errors at one threshold and what they cost together.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CostPoint {
    /// Scores at or above this are called suspicious.
    pub threshold: f32,
    /// Suspicious rows scored below the threshold.
    pub missed: u64,
    /// Benign rows scored at or above it.
    pub false_alarms: u64,
    /// Both counts at their prices, summed.
    pub cost: f64,
}

/// The cost at `threshold`, exact on the histogram's bin edges.
pub fn cost_at(histogram: &Histogram, threshold: f32, costs: Costs) -> CostPoint {
    let c = histogram.confusion_at(threshold);
    costs.of(threshold, c.fn_, c.fp)
}

/// The cheapest of the thresholds 0, 1/bins, …, (bins-1)/bins; among equally cheap ones, the
/// middle of the widest run of them, which [`Cheapest`] also gives the ends of. Linear in the
/// bins: at threshold b/bins the suspicious rows of bins below b are missed and the benign rows
/// of bins b and up are false alarms, both kept as running totals.
pub fn cheapest(histogram: &Histogram, costs: Costs) -> Cheapest {
    let bins = histogram.bins.max(1);
    let count = |counts: &[u64], b: usize| counts.get(b).copied().unwrap_or(0);
    let mut false_alarms: u64 = histogram
        .benign
        .iter()
        .copied()
        .fold(0, u64::saturating_add);
    let mut missed = 0u64;
    let points: Vec<CostPoint> = (0..bins)
        .map(|b| {
            if b > 0 {
                missed = missed.saturating_add(count(&histogram.suspicious, b - 1));
                false_alarms = false_alarms.saturating_sub(count(&histogram.benign, b - 1));
            }
            costs.of(b as f32 / bins as f32, missed, false_alarms)
        })
        .collect();
    let best = points.iter().map(|p| p.cost).fold(f64::INFINITY, f64::min);
    let (a, b) = widest_run(points.iter().map(|p| p.cost <= best)).unwrap_or((0, 0));
    Cheapest {
        point: points[(a + b) / 2],
        from: points[a].threshold,
        to: points[b].threshold,
        flags_everything: points[(a + b) / 2].false_alarms == points[0].false_alarms
            && points[(a + b) / 2].missed == 0,
    }
}

/// The cheapest threshold and the run of equally cheap thresholds around it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Cheapest {
    /// The middle of the run.
    #[serde(flatten)]
    pub point: CostPoint,
    /// The lowest threshold of the run.
    pub from: f32,
    /// The highest threshold of the run.
    pub to: f32,
    /// Whether the cheapest threshold flags every event (every benign one a false alarm).
    pub flags_everything: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::score_histogram;
    use crate::rng::Rng;

    /// Benign at 0.05 and 0.35, suspicious at 0.3, 0.65 and 0.9, in ten bins.
    fn histogram() -> Histogram {
        score_histogram(&[0.05, 0.35, 0.3, 0.65, 0.9], &[0, 0, 1, 1, 1], 10)
    }

    fn valid(missed_attack: f64, false_alarm: f64) -> Costs {
        Costs::new(missed_attack, false_alarm).expect("valid")
    }

    #[test]
    fn the_cheapest_run_is_given_whole_and_flagging_everything_is_said() {
        // Misses dear: thresholds 0.1 to 0.3 each cost one false alarm.
        let c = cheapest(&histogram(), valid(10.0, 1.0));
        assert!(
            (c.from - 0.1).abs() < 1e-6 && (c.to - 0.3).abs() < 1e-6,
            "{c:?}"
        );
        assert!(!c.flags_everything);
        // A missed attack 100 times dearer than ten false alarms: flag everything (0.0 only).
        let c = cheapest(&histogram(), valid(1000.0, 1.0));
        assert!(!c.flags_everything, "{c:?}");
        let everything = score_histogram(&[0.05, 0.1, 0.02, 0.9], &[0, 0, 1, 1], 10);
        let c = cheapest(&everything, valid(100.0, 1.0));
        assert_eq!(
            (c.from, c.to, c.point.false_alarms, c.point.missed),
            (0.0, 0.0, 2, 0)
        );
        assert!(c.flags_everything);
    }

    #[test]
    fn zero_negative_and_absurd_costs_are_refused_with_the_reason() {
        assert_eq!(
            Costs::new(0.0, 0.0),
            Err("both costs are 0: every threshold costs nothing, so none is cheapest; price at least one kind of error".to_string())
        );
        assert_eq!(
            Costs::new(-1.0, 1.0),
            Err("costs must be numbers from 0 to 1e12; found -1 for a missed attack and 1 for a false alarm".to_string())
        );
        assert!(Costs::new(1.0, 1e13).is_err());
        assert_eq!(
            Costs::new(f64::NAN, 1.0),
            Err("costs must be numbers from 0 to 1e12; found no number for a missed attack and 1 for a false alarm".to_string())
        );
        assert!(Costs::new(1.0, f64::NAN).is_err());
        assert!(Costs::new(0.0, 1.0).is_ok());
    }

    #[test]
    fn cost_counts_each_error_at_its_price() {
        // At 0.5: the suspicious 0.3 is missed, the benign 0.35 is not flagged.
        let p = cost_at(&histogram(), 0.5, valid(10.0, 1.0));
        assert_eq!((p.missed, p.false_alarms, p.cost), (1, 0, 10.0));
        // At 0.0 everything is flagged: both benign rows are false alarms.
        let p = cost_at(&histogram(), 0.0, valid(10.0, 1.0));
        assert_eq!((p.missed, p.false_alarms, p.cost), (0, 2, 2.0));
    }

    #[test]
    fn cheapest_is_the_middle_of_the_widest_cheapest_run() {
        // Misses dear: flag from 0.1 to 0.3 (bins 1..=3 cost one false alarm each).
        let p = cheapest(&histogram(), valid(10.0, 1.0)).point;
        assert_eq!((p.missed, p.false_alarms, p.cost), (0, 1, 1.0));
        assert!((p.threshold - 0.2).abs() < 1e-6, "{}", p.threshold);
        // False alarms dear: flag from 0.4 to 0.6 (one miss each), not from 0.7 (two misses).
        let p = cheapest(&histogram(), valid(1.0, 10.0)).point;
        assert_eq!((p.missed, p.false_alarms), (1, 0));
        assert!((p.threshold - 0.5).abs() < 1e-6, "{}", p.threshold);
    }

    #[test]
    fn a_single_cheapest_edge_is_found() {
        // Only threshold 0.9 separates: benign up to 0.85, suspicious at 0.95.
        let h = score_histogram(&[0.85, 0.95], &[0, 1], 20);
        let p = cheapest(&h, valid(1.0, 1.0)).point;
        assert_eq!(p.cost, 0.0);
        assert!((p.threshold - 0.9).abs() < 1e-6, "{}", p.threshold);
    }

    #[test]
    fn equally_wide_cheapest_runs_give_the_last() {
        // Benign at 0.15 and 0.55, suspicious at 0.35 and 0.75, each error priced 1. By hand,
        // per edge b/10:
        // b=0,1: fp 2, fn 0 → 2; b=2,3: fp 1, fn 0 → 1; b=4,5: fp 1, fn 1 → 2;
        // b=6,7: fp 0, fn 1 → 1; b=8,9: fp 0, fn 2 → 2. Runs 2..=3 and 6..=7: the last, 0.6.
        let h = score_histogram(&[0.15, 0.55, 0.35, 0.75], &[0, 0, 1, 1], 10);
        let p = cheapest(&h, valid(1.0, 1.0)).point;
        assert_eq!((p.missed, p.false_alarms, p.cost), (1, 0, 1.0));
        assert!((p.threshold - 0.6).abs() < 1e-6, "{}", p.threshold);
    }

    /// The quadratic rule the page used before: every edge priced from scratch, every run of
    /// cheapest edges measured from each start.
    fn brute_force(h: &Histogram, costs: Costs) -> CostPoint {
        let points: Vec<CostPoint> = (0..h.bins)
            .map(|b| cost_at(h, b as f32 / h.bins as f32, costs))
            .collect();
        let best = points.iter().map(|p| p.cost).fold(f64::INFINITY, f64::min);
        let mut widest: Option<(usize, usize)> = None;
        for a in 0..points.len() {
            let width = points[a..].iter().take_while(|p| p.cost == best).count();
            // Among runs of equal width, the last.
            if width > 0 && widest.is_none_or(|(s, e)| width > e - s) {
                widest = Some((a, a + width - 1));
            }
        }
        let (a, b) = widest.unwrap_or((0, 0));
        points[(a + b) / 2]
    }

    #[test]
    fn cheapest_agrees_with_the_quadratic_rule() {
        let mut rng = Rng::new(11);
        for case in 0..200 {
            let n = 1 + rng.below(40);
            // Coarse scores so that costs tie often.
            let scores: Vec<f32> = (0..n).map(|_| rng.below(8) as f32 / 8.0).collect();
            let labels: Vec<u8> = (0..n).map(|_| rng.below(2) as u8).collect();
            let bins = 1 + rng.below(30);
            let h = score_histogram(&scores, &labels, bins);
            // Both prices 0 is refused (see above); every other pair is checked.
            let Ok(costs) = Costs::new(rng.below(4) as f64, rng.below(4) as f64) else {
                continue;
            };
            assert_eq!(
                cheapest(&h, costs).point,
                brute_force(&h, costs),
                "case {case}"
            );
        }
    }
}
