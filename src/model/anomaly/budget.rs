//! The threshold from a false-alarm budget: no labels, only how many alerts the user can afford
//! on events like the ones the model was fitted on.

/// How many of `rows` held-out rows a budget of `alerts_per_10k` allows to be alerts:
/// ⌊budget × rows / 10,000⌋, except that a budget above 0 which the rows cannot resolve (it
/// allows less than one alert among them) allows one, the smallest budget they resolve, which
/// the model's threshold rule then states. A budget of 0 allows none.
pub fn allowed_alerts(alerts_per_10k: f64, rows: usize) -> usize {
    let budget = alerts_per_10k.max(0.0);
    let allowed = (budget * rows as f64 / 10_000.0).floor() as usize;
    if allowed == 0 && budget > 0.0 {
        rows.min(1)
    } else {
        allowed
    }
}

/// The lowest threshold at which at most [`allowed_alerts`] of `scores` (held-out training
/// rows, taken as benign) are at or above it: just above the (k + 1)-th highest score, so that
/// ties there are all below it. 0 when the budget covers every row; 0.5 for no rows.
pub fn budget_threshold(scores: &[f32], alerts_per_10k: f64) -> f32 {
    if scores.is_empty() {
        return 0.5;
    }
    let mut sorted: Vec<f32> = scores.to_vec();
    // Highest first; NaN (never from a forest or histogram) would sort first and be allowed as
    // an alert.
    sorted.sort_by(|a, b| b.total_cmp(a));
    match sorted.get(allowed_alerts(alerts_per_10k, sorted.len())) {
        None => 0.0,
        Some(&score) => next_up(score.max(0.0)).min(1.0),
    }
}

/// The smallest f32 above `x` (x finite and non-negative).
fn next_up(x: f32) -> f32 {
    f32::from_bits(x.to_bits() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_counts_alerts_among_held_out_rows() {
        let scores = [0.3, 0.5, 0.4, 0.5, 0.6, 0.35, 0.45, 0.4, 0.3, 0.55];
        // 1,000 per 10,000 of 10 rows: 1 alert; the second highest is 0.55.
        let t = budget_threshold(&scores, 1_000.0);
        assert_eq!(t, next_up(0.55));
        assert_eq!(scores.iter().filter(|&&s| s >= t).count(), 1);
        // 2,000: two allowed, but the third highest (0.5) ties the fourth: both stay below.
        let t = budget_threshold(&scores, 2_000.0);
        assert_eq!(t, next_up(0.5));
        assert_eq!(scores.iter().filter(|&&s| s >= t).count(), 2);
        // 3,000 also gives 2 alerts, since a third would bring its tie along.
        assert_eq!(budget_threshold(&scores, 3_000.0), next_up(0.5));
        // Under one alert's worth: the one alert the rows resolve (the highest, 0.6); a budget
        // of 0 allows none.
        assert_eq!(budget_threshold(&scores, 999.0), next_up(0.55));
        assert_eq!(budget_threshold(&scores, 0.0), next_up(0.6));
        assert_eq!(allowed_alerts(100.0, 99), 1);
        assert_eq!(allowed_alerts(100.0, 604), 6);
        assert_eq!(allowed_alerts(100.0, 0), 0);
        assert_eq!(budget_threshold(&scores, 10_000.0), 0.0);
        assert_eq!(budget_threshold(&[], 100.0), 0.5);
    }
}
