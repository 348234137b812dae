//! What a threshold's error rates mean at another share of attacks than the evaluated rows had.
//! Recall and the false-positive rate do not depend on that share; precision and the number of
//! alerts do. The test rows of BETH are almost all attacks, where any detector looks precise.

use super::confusion::Confusion;
use super::interval::{wilson, Interval};
use serde::Serialize;

/// Alerts are counted per this many events.
pub const PER_EVENTS: f64 = 10_000.0;

/// A threshold's results carried over to `prevalence`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AtPrevalence {
    /// The share of events that are attacks, in (0, 1).
    pub prevalence: f64,
    /// The share of alerts that would be attacks.
    pub precision: f64,
    /// Its 95% interval: the ends of the recall and false-positive-rate intervals combined
    /// (the lowest recall with the highest false-positive rate, and the other way round).
    pub precision_interval: Option<Interval>,
    /// False alarms per [`PER_EVENTS`] benign events: the false-positive rate, scaled.
    pub false_alarms_per_10k_benign: f64,
    /// Its 95% interval, from the false-positive rate's Wilson interval.
    pub false_alarms_interval: Option<Interval>,
    /// All alerts (attacks caught and false alarms) per [`PER_EVENTS`] events.
    pub alerts_per_10k: f64,
}

/// Why a prevalence was refused.
#[derive(Clone, Debug, PartialEq)]
pub struct BadPrevalence(pub f64);

impl std::fmt::Display for BadPrevalence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "prevalence: expected a share of attacks above 0% and below 100%, found {}%",
            self.0 * 100.0
        )
    }
}

impl std::error::Error for BadPrevalence {}

/// The results of `c` (counted on rows with any mix of classes) at `prevalence`, a share in
/// (0, 1); `Ok(None)` when `c` has no attacks or no benign rows to take the rates from.
pub fn at_prevalence(
    c: &Confusion,
    prevalence: f64,
) -> Result<Option<AtPrevalence>, BadPrevalence> {
    if !(prevalence > 0.0 && prevalence < 1.0) {
        return Err(BadPrevalence(prevalence));
    }
    let (attacks, benign) = (c.tp + c.fn_, c.tn + c.fp);
    let (Some(recall), Some(fpr)) = (wilson(c.tp, attacks), wilson(c.fp, benign)) else {
        return Ok(None);
    };
    let (r, f) = (c.tp as f64 / attacks as f64, c.fp as f64 / benign as f64);
    let precision_of = |r: f64, f: f64| {
        let caught = prevalence * r;
        let alarms = (1.0 - prevalence) * f;
        // No alerts at all: none of them is wrong.
        if caught + alarms > 0.0 {
            caught / (caught + alarms)
        } else {
            1.0
        }
    };
    Ok(Some(AtPrevalence {
        prevalence,
        precision: precision_of(r, f),
        precision_interval: Some(Interval {
            lo: precision_of(recall.lo, fpr.hi),
            hi: precision_of(recall.hi, fpr.lo),
        }),
        false_alarms_per_10k_benign: f * PER_EVENTS,
        false_alarms_interval: Some(Interval {
            lo: fpr.lo * PER_EVENTS,
            hi: fpr.hi * PER_EVENTS,
        }),
        alerts_per_10k: (prevalence * r + (1.0 - prevalence) * f) * PER_EVENTS,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn precision_falls_with_the_share_of_attacks() {
        // Recall 4,331 of 4,335, one false alarm in 59 benign events.
        let c = Confusion {
            tn: 58,
            fp: 1,
            fn_: 4,
            tp: 4331,
        };
        let r = 4331.0 / 4335.0;
        let f = 1.0 / 59.0;
        let p = at_prevalence(&c, 0.01)
            .expect("valid")
            .expect("both classes");
        // 0.01·r / (0.01·r + 0.99·f) = 0.37316…: at 1% attacks, 63% of alerts are false alarms.
        assert!(close(p.precision, 0.01 * r / (0.01 * r + 0.99 * f)));
        assert!(close(p.precision, 0.373_201_751_4), "{}", p.precision);
        assert!(close(p.false_alarms_per_10k_benign, 10_000.0 / 59.0));
        assert!(close(p.alerts_per_10k, (0.01 * r + 0.99 * f) * 10_000.0));
        let fa = p.false_alarms_interval.expect("benign rows");
        let w = wilson(1, 59).expect("rows");
        assert!(close(fa.lo, w.lo * 10_000.0) && close(fa.hi, w.hi * 10_000.0));
        let pi = p.precision_interval.expect("both classes");
        assert!(pi.lo < p.precision && p.precision < pi.hi, "{pi:?}");
        // At the test rows' own share, the precision measured there.
        let own = 4335.0 / 4394.0;
        let there = at_prevalence(&c, own)
            .expect("valid")
            .expect("both classes");
        assert!(
            close(there.precision, 4331.0 / 4332.0),
            "{}",
            there.precision
        );
    }

    #[test]
    fn a_share_outside_zero_to_one_is_refused() {
        let c = Confusion {
            tn: 1,
            fp: 1,
            fn_: 1,
            tp: 1,
        };
        for bad in [0.0, 1.0, -0.1, f64::NAN] {
            assert!(at_prevalence(&c, bad).is_err(), "{bad}");
        }
        let message = at_prevalence(&c, 1.5).expect_err("refused").to_string();
        assert_eq!(
            message,
            "prevalence: expected a share of attacks above 0% and below 100%, found 150%"
        );
        let one_class = Confusion {
            tn: 3,
            ..Confusion::default()
        };
        assert_eq!(at_prevalence(&one_class, 0.5), Ok(None));
    }
}
