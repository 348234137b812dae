//! Fewer points with the same drawing: a line of a million points drawn on a canvas a few
//! thousand pixels wide puts hundreds of points in each pixel column, and all that shows of them
//! is where the line enters the column, how low and how high it goes there, and where it leaves.
//! [`keep_shape`] keeps exactly those points (the M4 rule), so a long loss log or a curve of
//! 100,000 points is drawn from a few thousand with the same pixels, endpoints exact.

/// Pixel columns a decimated line keeps its shape at: wider than any canvas the page draws
/// (its charts are at most about 1,300 CSS pixels wide, 2,600 device pixels at a ratio of 2).
pub const COLUMNS: usize = 4096;

/// The indices of `points` (in drawing order) to keep so that the line through them, drawn with
/// `x` from `lo` to `hi` over `columns` pixel columns, looks the same: of each run of points in
/// one column, the first, the lowest, the highest and the last, in their order (once each). A
/// point left of `lo`, right of `hi` or with a non-finite `x` counts in the first or last
/// column. Linear; at most `4 × columns` indices when `x` never goes back (a loss log's steps,
/// a ROC curve); a line whose `x` keeps going back and forth has a run per point, and is then
/// thinned to every k-th of the indices found, the last always kept, to stay within that bound.
pub fn keep_shape(
    points: impl IntoIterator<Item = (f64, f64)>,
    (lo, hi): (f64, f64),
    columns: usize,
) -> Vec<usize> {
    let columns = columns.max(1);
    let span = hi - lo;
    let column = |x: f64| {
        let at = ((x - lo) / span * columns as f64).floor();
        // A saturating cast: NaN and below zero give 0, beyond the range the last column.
        (at as usize).min(columns - 1)
    };
    let mut kept = Vec::new();
    // The run being read: its column and the indices of its first, lowest, highest and last
    // points, with the lowest and highest values.
    let mut run: Option<Run> = None;
    for (i, (x, y)) in points.into_iter().enumerate() {
        let c = column(x);
        match &mut run {
            Some(r) if r.column == c => r.add(i, y),
            _ => {
                if let Some(r) = run.take() {
                    r.keep(&mut kept);
                }
                run = Some(Run::new(c, i, y));
            }
        }
    }
    if let Some(r) = run {
        r.keep(&mut kept);
    }
    let most = 4 * columns;
    if kept.len() > most {
        let last = kept.last().copied();
        let every = kept.len().div_ceil(most);
        kept = kept.into_iter().step_by(every).collect();
        if kept.last().copied() != last {
            kept.pop();
            kept.extend(last);
        }
    }
    kept
}

/// Consecutive points in one pixel column.
struct Run {
    column: usize,
    first: usize,
    last: usize,
    low: (usize, f64),
    high: (usize, f64),
}

impl Run {
    fn new(column: usize, i: usize, y: f64) -> Run {
        Run {
            column,
            first: i,
            last: i,
            low: (i, y),
            high: (i, y),
        }
    }

    fn add(&mut self, i: usize, y: f64) {
        self.last = i;
        // NaN compares false both ways: it is never the lowest or highest.
        if y < self.low.1 || self.low.1.is_nan() {
            self.low = (i, y);
        }
        if y > self.high.1 || self.high.1.is_nan() {
            self.high = (i, y);
        }
    }

    /// Appends the run's points in order, each once.
    fn keep(self, kept: &mut Vec<usize>) {
        let mut four = [self.first, self.low.0, self.high.0, self.last];
        four.sort_unstable();
        for i in four {
            if kept.last() != Some(&i) {
                kept.push(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_column_keeps_its_first_lowest_highest_and_last_point() {
        // Ten points over x = 0..9 in two columns of [0, 10): 0..4 and 5..9.
        let y = [3.0, 1.0, 4.0, 1.5, 5.0, 9.0, 2.0, 6.0, 5.5, 3.5];
        let points = y.iter().enumerate().map(|(i, &y)| (i as f64, y));
        let kept = keep_shape(points, (0.0, 10.0), 2);
        // First column: first 0, lowest 1 (1.0), highest 4 (5.0), last 4.
        // Second column: first 5 (also the highest, 9.0), lowest 6 (2.0), last 9.
        assert_eq!(kept, vec![0, 1, 4, 5, 6, 9]);
    }

    #[test]
    fn a_point_per_column_is_kept_and_long_lines_cut_to_four_per_column() {
        let line = |n: usize| (0..n).map(move |i| (i as f64, ((i * 7919) % 101) as f64));
        // A point per column: every point is kept.
        assert_eq!(
            keep_shape(line(12), (0.0, 12.0), 12),
            (0..12).collect::<Vec<_>>()
        );
        // A million points over 4096 columns: at most four each, the ends kept.
        let n = 1_000_000;
        let kept = keep_shape(line(n), (0.0, (n - 1) as f64), COLUMNS);
        assert!(kept.len() <= 4 * COLUMNS, "{}", kept.len());
        assert!(kept.len() > 3 * COLUMNS, "{}", kept.len());
        assert_eq!((kept[0], kept[kept.len() - 1]), (0, n - 1));
        assert!(kept.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_vertical_run_keeps_its_ends_and_outliers_fall_in_the_edge_columns() {
        // A ROC staircase: up at x = 0 from 0 to 1 in 100 steps, then across to x = 1 in
        // sixteenths, over four columns of a quarter each.
        let up = (0..=100).map(|i| (0.0, f64::from(i) / 100.0));
        let across = (1..=16).map(|j| (f64::from(j) / 16.0, 1.0));
        let kept = keep_shape(up.chain(across), (0.0, 1.0), 4);
        // Column 0 (indices 0 to 103): (0, 0) first and lowest, (0, 1) at index 100 the first
        // highest, (3/16, 1) last. Columns 1 to 3 hold 104-107, 108-111 and 112-116 (x = 1
        // falls in the last column), all at y = 1: their first and last points.
        assert_eq!(kept, vec![0, 100, 103, 104, 107, 108, 111, 112, 116]);
        let odd = [
            (f64::NAN, 1.0),
            (-5.0, 2.0),
            (0.5, 0.0),
            (7.0, 3.0),
            (f64::INFINITY, 1.0),
        ];
        assert_eq!(keep_shape(odd, (0.0, 1.0), 2), vec![0, 1, 2, 3, 4]);
        assert_eq!(keep_shape(odd, (0.0, 1.0), 1), vec![0, 2, 3, 4]);
    }

    #[test]
    fn a_line_that_goes_back_and_forth_is_thinned_to_the_bound() {
        // x alternates between the two columns: every point is a run of its own.
        let zigzag = (0..1000).map(|i| (f64::from(i % 2), 0.0));
        let kept = keep_shape(zigzag, (0.0, 2.0), 2);
        // 1000 runs, thinned to every 125th (1000 / 8 rounded up), the last one kept.
        assert_eq!(kept, vec![0, 125, 250, 375, 500, 625, 750, 999]);
    }
}
