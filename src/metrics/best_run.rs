//! The rule both threshold choices share: among equally good thresholds on a grid, take the
//! middle of the widest run of them, so that the threshold sits in the gap between the classes
//! rather than at the edge of one.

/// The index in the middle of the widest run of consecutive `true`s (rounded down); among runs
/// of equal width, the last. `None` when there is no `true`. Linear in the items.
pub fn middle_of_widest_run(is_best: impl IntoIterator<Item = bool>) -> Option<usize> {
    widest_run(is_best).map(|(a, b)| (a + b) / 2)
}

/// The first and last index of the widest run of consecutive `true`s; among runs of equal
/// width, the last. `None` when there is no `true`. Linear in the items.
pub(super) fn widest_run(is_best: impl IntoIterator<Item = bool>) -> Option<(usize, usize)> {
    let (mut start, mut widest): (Option<usize>, Option<(usize, usize)>) = (None, None);
    for (k, best) in is_best.into_iter().enumerate() {
        if best {
            let s = *start.get_or_insert(k);
            if widest.is_none_or(|(a, b)| k - s >= b - a) {
                widest = Some((s, k));
            }
        } else {
            start = None;
        }
    }
    widest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn middle(bits: &str) -> Option<usize> {
        middle_of_widest_run(bits.chars().map(|c| c == '1'))
    }

    #[test]
    fn the_middle_of_the_widest_run_is_chosen() {
        // Runs 1..=2 and 4..=8: the middle of 4..=8 is 6.
        assert_eq!(middle("011011111"), Some(6));
        // An even run rounds down: 2..=5 gives 3.
        assert_eq!(middle("001111000"), Some(3));
        assert_eq!(middle("1"), Some(0));
        assert_eq!(
            widest_run("011011111".chars().map(|c| c == '1')),
            Some((4, 8))
        );
    }

    #[test]
    fn equal_runs_give_the_last_and_no_run_gives_none() {
        // Runs 0..=1 and 4..=5, equally wide: the last, middle 4.
        assert_eq!(middle("110011"), Some(4));
        assert_eq!(middle("1001"), Some(3));
        assert_eq!(middle("000"), None);
        assert_eq!(middle(""), None);
    }
}
