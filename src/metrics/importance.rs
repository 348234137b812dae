use super::roc_auc;
use crate::rng::Rng;
use ndarray::{Array2, ArrayView1};

/// Permutation importance: for each feature column of `x`, the drop in ROC-AUC when that column
/// is shuffled (rows permuted with `rng`), averaged over `repeats` (0 is taken as 1). `score`
/// maps a feature matrix to scores. Deterministic for a given `rng` state.
pub fn permutation_importance(
    x: &Array2<f32>,
    labels: &[u8],
    score: &dyn Fn(&Array2<f32>) -> Vec<f32>,
    repeats: usize,
    rng: &mut Rng,
) -> Vec<f64> {
    let baseline = roc_auc(&score(x), labels);
    let repeats = repeats.max(1);
    let mut shuffled = x.clone();
    (0..x.ncols())
        .map(|j| {
            let mut column = x.column(j).to_vec();
            let mut drop = 0.0;
            for _ in 0..repeats {
                // Shuffling the previous repeat's order is still a uniform permutation.
                rng.shuffle(&mut column);
                shuffled
                    .column_mut(j)
                    .assign(&ArrayView1::from(column.as_slice()));
                drop += baseline - roc_auc(&score(&shuffled), labels);
            }
            shuffled.column_mut(j).assign(&x.column(j));
            drop / repeats as f64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Column 0 separates the classes ([0, 0.5) benign, [0.5, 1) suspicious); column 1 is
    /// noise; column 2 is constant.
    fn synthetic(n: usize) -> (Array2<f32>, Vec<u8>) {
        let mut rng = Rng::new(11);
        let labels: Vec<u8> = (0..n).map(|i| (i % 2) as u8).collect();
        let x = Array2::from_shape_fn((n, 3), |(i, j)| match j {
            0 => 0.5 * (f32::from(labels[i]) + rng.next_f64() as f32),
            1 => rng.next_f64() as f32,
            _ => 0.25,
        });
        (x, labels)
    }

    fn score(x: &Array2<f32>) -> Vec<f32> {
        x.rows()
            .into_iter()
            .map(|r| r[0] + 0.1 * r[1] + r[2])
            .collect()
    }

    #[test]
    fn informative_column_matters_and_noise_does_not() {
        let (x, labels) = synthetic(1000);
        let importance = permutation_importance(&x, &labels, &score, 5, &mut Rng::new(1));
        assert_eq!(importance.len(), 3);
        assert!(importance[0] > 0.3, "{importance:?}");
        assert!(importance[1].abs() < 0.05, "{importance:?}");
        // Shuffling a constant column changes nothing at all.
        assert_eq!(importance[2], 0.0);
    }

    #[test]
    fn deterministic_for_a_seed() {
        let (x, labels) = synthetic(200);
        let a = permutation_importance(&x, &labels, &score, 3, &mut Rng::new(4));
        let b = permutation_importance(&x, &labels, &score, 3, &mut Rng::new(4));
        let c = permutation_importance(&x, &labels, &score, 3, &mut Rng::new(5));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
