//! Shapley values of a small cooperative game: exactly from the worth of every coalition, or
//! estimated from a seeded sample of orderings of the players.
//!
//! A coalition is a bit mask over the players (bit `i` set: player `i` is in). The worth of
//! the coalitions is handed in as a slice indexed by mask; how it is computed (one batch of
//! the network, in [`super::explain`]) is no concern of this module.

use crate::rng::Rng;

/// A set of players as a bit mask: bit `i` is player `i`.
pub(super) type Coalition = u32;

/// Most players a game may have: coalitions are [`Coalition`] masks, and the worth of all
/// `2^players` of them is held in memory.
pub(super) const MAX_PLAYERS: usize = 16;

/// The mask of all `players` players.
pub(super) fn everyone(players: usize) -> Coalition {
    debug_assert!(players <= MAX_PLAYERS);
    ((1u64 << players) - 1) as Coalition
}

/// Exact Shapley values: `φ_i = Σ_{S ∌ i} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S))`,
/// with `worth[S]` the worth `v(S)` of every coalition (`2^players` of them). `O(n 2^n)`
/// additions in f64; the values add up to `v(everyone) − v(∅)` up to rounding.
pub(super) fn exact(players: usize, worth: &[f64]) -> Vec<f64> {
    debug_assert_eq!(worth.len(), 1 << players);
    let weight = weights(players);
    (0..players)
        .map(|i| {
            let bit: Coalition = 1 << i;
            (0..worth.len() as Coalition)
                .filter(|s| s & bit == 0)
                .map(|s| {
                    weight[s.count_ones() as usize]
                        * (worth[(s | bit) as usize] - worth[s as usize])
                })
                .sum()
        })
        .collect()
}

/// `|S|! (n − |S| − 1)! / n!` for each size `|S|` below `n`, computed as `1 / (n · C(n − 1, |S|))`
/// (binomials of at most 16 players are exact in f64).
fn weights(players: usize) -> Vec<f64> {
    let mut binomial = 1f64;
    (0..players)
        .map(|s| {
            let w = 1.0 / (players as f64 * binomial);
            binomial = binomial * (players - 1 - s) as f64 / (s + 1) as f64;
            w
        })
        .collect()
}

/// Orderings of the players drawn with a fixed seed, antithetic (every second one the reverse
/// of the one before): the estimate averages each player's marginal worth over them. Each
/// ordering's marginals add up to `v(everyone) − v(∅)`, so their average does too, whatever
/// the sample.
pub(super) struct Orderings {
    players: usize,
    orders: Vec<Vec<usize>>,
}

impl Orderings {
    /// `count` orderings of `players` players, drawn from `seed`.
    pub(super) fn new(players: usize, count: usize, seed: u64) -> Orderings {
        let mut rng = Rng::new(seed);
        let mut orders: Vec<Vec<usize>> = Vec::with_capacity(count);
        for k in 0..count {
            let order = match orders.last() {
                Some(last) if k % 2 == 1 => last.iter().rev().copied().collect(),
                _ => {
                    let mut order: Vec<usize> = (0..players).collect();
                    rng.shuffle(&mut order);
                    order
                }
            };
            orders.push(order);
        }
        Orderings { players, orders }
    }

    /// Every coalition whose worth the estimate needs, each once: the empty one and everyone
    /// first, then each ordering's proper prefixes.
    pub(super) fn coalitions(&self) -> Vec<Coalition> {
        let mut seen = vec![false; 1 << self.players];
        let mut out = Vec::new();
        let prefixes = self.orders.iter().flat_map(|order| {
            order.iter().scan(0, |s: &mut Coalition, &i| {
                *s |= 1 << i;
                Some(*s)
            })
        });
        for s in [0, everyone(self.players)].into_iter().chain(prefixes) {
            if !std::mem::replace(&mut seen[s as usize], true) {
                out.push(s);
            }
        }
        out
    }

    /// The estimate from `worth[S]`, read only at the masks [`Orderings::coalitions`] lists.
    pub(super) fn shares(&self, worth: &[f64]) -> Vec<f64> {
        let mut shares = vec![0f64; self.players];
        for order in &self.orders {
            let mut s: Coalition = 0;
            for &i in order {
                let before = worth[s as usize];
                s |= 1 << i;
                shares[i] += worth[s as usize] - before;
            }
        }
        let count = self.orders.len().max(1) as f64;
        shares.iter_mut().for_each(|x| *x /= count);
        shares
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The weights of 3 players by hand: 0!2!/3! = 1/3, 1!1!/3! = 1/6, 2!0!/3! = 1/3.
    #[test]
    fn weights_of_three_players() {
        assert_eq!(weights(3), vec![1.0 / 3.0, 1.0 / 6.0, 1.0 / 3.0]);
        assert_eq!(weights(1), vec![1.0]);
    }

    /// The glove game: player 0 holds a left glove, players 1 and 2 a right one each, and a
    /// pair is worth 1. Its Shapley values are known: 2/3, 1/6, 1/6.
    #[test]
    fn glove_game() {
        // Masks 0..8: {}, {0}, {1}, {0,1}, {2}, {0,2}, {1,2}, {0,1,2}.
        let worth = [0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0];
        let phi = exact(3, &worth);
        let expected = [2.0 / 3.0, 1.0 / 6.0, 1.0 / 6.0];
        for (got, want) in phi.iter().zip(expected) {
            assert!((got - want).abs() < 1e-15, "{phi:?}");
        }
    }

    /// Every second ordering is the reverse of the one before, every needed coalition is listed
    /// once, and in an additive game (no interactions) every ordering gives the exact values.
    #[test]
    fn sampled_orderings_come_in_pairs_and_are_exact_for_an_additive_game() {
        let orderings = Orderings::new(4, 5, 9);
        assert_eq!(orderings.orders.len(), 5);
        assert_ne!(orderings.orders[2], orderings.orders[1]);
        for pair in orderings.orders.chunks_exact(2) {
            let reversed: Vec<usize> = pair[0].iter().rev().copied().collect();
            assert_eq!(pair[1], reversed);
        }
        let coalitions = orderings.coalitions();
        assert_eq!(&coalitions[..2], &[0, 15]);
        let mut sorted = coalitions.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), coalitions.len());
        // v(S) = Σ_{i ∈ S} (i + 1): player i's share is i + 1.
        let worth: Vec<f64> = (0..16u32)
            .map(|s| {
                (0..4)
                    .filter(|i| s & (1 << i) != 0)
                    .map(|i| f64::from(i + 1))
                    .sum()
            })
            .collect();
        assert_eq!(orderings.shares(&worth), vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(exact(4, &worth), vec![1.0, 2.0, 3.0, 4.0]);
    }
}
