//! What a threshold costs: every missed attack and every false alarm priced by the analyst,
//! counted from an evaluation's score histogram, and the threshold on its grid that costs least.

use cyber_attack_detector::metrics::Histogram;
use serde::Serialize;

/// The price of one missed attack (false negative) and of one false alarm (false positive).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Costs {
    pub missed_attack: f64,
    pub false_alarm: f64,
}

impl Costs {
    pub fn new(missed_attack: f64, false_alarm: f64) -> Result<Costs, String> {
        let valid = |c: f64| c.is_finite() && c >= 0.0;
        if valid(missed_attack) && valid(false_alarm) {
            Ok(Costs {
                missed_attack,
                false_alarm,
            })
        } else {
            Err("costs must be numbers of zero or more".to_string())
        }
    }
}

/// The errors at one threshold and what they cost together.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CostPoint {
    pub threshold: f32,
    pub missed: u64,
    pub false_alarms: u64,
    pub cost: f64,
}

/// The cost at `threshold`, exact on the histogram's bin edges.
pub fn cost_at(histogram: &Histogram, threshold: f32, costs: Costs) -> CostPoint {
    let c = histogram.confusion_at(threshold);
    CostPoint {
        threshold,
        missed: c.fn_,
        false_alarms: c.fp,
        cost: c.fn_ as f64 * costs.missed_attack + c.fp as f64 * costs.false_alarm,
    }
}

/// The cheapest of the thresholds 0, 1/bins, …, (bins-1)/bins. Among equally cheap ones, the
/// middle of the widest run, so that it sits in the gap between the classes rather than at
/// the edge of one (the rule the core uses for its balanced-accuracy threshold).
pub fn cheapest(histogram: &Histogram, costs: Costs) -> CostPoint {
    let bins = histogram.bins.max(1);
    let points: Vec<CostPoint> = (0..bins)
        .map(|b| cost_at(histogram, b as f32 / bins as f32, costs))
        .collect();
    let best = points.iter().map(|p| p.cost).fold(f64::INFINITY, f64::min);
    let (mut start, mut widest) = (None, None);
    for (k, point) in points.iter().enumerate() {
        if point.cost <= best {
            let s = *start.get_or_insert(k);
            if widest.is_none_or(|(a, b)| k - s > b - a) {
                widest = Some((s, k));
            }
        } else {
            start = None;
        }
    }
    let (a, b) = widest.unwrap_or((0, 0));
    points[(a + b) / 2]
}

#[cfg(test)]
mod tests {
    use super::*;
    use cyber_attack_detector::metrics::score_histogram;

    /// Benign at 0.05 and 0.35, suspicious at 0.3, 0.65 and 0.9, in ten bins.
    fn histogram() -> Histogram {
        score_histogram(&[0.05, 0.35, 0.3, 0.65, 0.9], &[0, 0, 1, 1, 1], 10)
    }

    #[test]
    fn cost_counts_each_error_at_its_price() {
        let costs = Costs::new(10.0, 1.0).expect("valid");
        // At 0.5: the suspicious 0.3 is missed, the benign 0.35 is not flagged.
        let p = cost_at(&histogram(), 0.5, costs);
        assert_eq!((p.missed, p.false_alarms, p.cost), (1, 0, 10.0));
        // At 0.0 everything is flagged: both benign rows are false alarms.
        let p = cost_at(&histogram(), 0.0, costs);
        assert_eq!((p.missed, p.false_alarms, p.cost), (0, 2, 2.0));
    }

    #[test]
    fn cheapest_is_the_middle_of_the_widest_cheapest_run() {
        // Misses dear: flag from 0.1 to 0.3 (bins 1..=3 cost one false alarm each).
        let p = cheapest(&histogram(), Costs::new(10.0, 1.0).expect("valid"));
        assert_eq!((p.missed, p.false_alarms, p.cost), (0, 1, 1.0));
        assert!((p.threshold - 0.2).abs() < 1e-6, "{}", p.threshold);
        // False alarms dear: flag from 0.4 to 0.6 (one miss each), not from 0.7 (two misses).
        let p = cheapest(&histogram(), Costs::new(1.0, 10.0).expect("valid"));
        assert_eq!((p.missed, p.false_alarms), (1, 0));
        assert!((p.threshold - 0.5).abs() < 1e-6, "{}", p.threshold);
    }

    #[test]
    fn a_single_cheapest_edge_is_found() {
        // Only threshold 0.9 separates: benign up to 0.85, suspicious at 0.95.
        let h = score_histogram(&[0.85, 0.95], &[0, 1], 20);
        let p = cheapest(&h, Costs::new(1.0, 1.0).expect("valid"));
        assert_eq!(p.cost, 0.0);
        assert!((p.threshold - 0.9).abs() < 1e-6, "{}", p.threshold);
    }

    #[test]
    fn negative_or_missing_costs_are_refused() {
        assert!(Costs::new(-1.0, 1.0).is_err());
        assert!(Costs::new(1.0, f64::NAN).is_err());
        assert!(Costs::new(0.0, 0.0).is_ok());
    }
}
