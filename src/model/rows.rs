//! How scoring splits its rows: into blocks that stay in cache through every layer, and into
//! contiguous runs of whole blocks, one per thread.

/// Rows that [`Mlp::score`](super::Mlp::score) takes through every layer at once: their
/// activations stay in L1 cache from one layer to the next.
pub(super) const BLOCK: usize = 64;

/// Rows a thread should have at least before another thread is started: starting one costs
/// about as much as scoring a few hundred rows.
const ROWS_PER_THREAD: usize = 8192;

/// How many threads to score `rows` rows on: the machine's cores, at most one per
/// [`ROWS_PER_THREAD`] rows, and one in wasm.
pub(crate) fn threads_for(rows: usize) -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    #[cfg(target_arch = "wasm32")]
    let cores = 1;
    cores.min(rows / ROWS_PER_THREAD).max(1)
}

/// Splits `out` (rows × `width`, row-major) into one contiguous run of rows per state, of
/// nearly equal sizes in whole blocks, and calls `work(state, rows, out_rows)` for each:
/// natively each run but the first on a thread of its own, the first on the caller's. Needs
/// at least one state.
pub(crate) fn split_rows<S: Send>(
    out: &mut [f32],
    width: usize,
    states: &mut [S],
    work: impl Fn(&mut S, std::ops::Range<usize>, &mut [f32]) + Sync,
) {
    assert!(!states.is_empty(), "no state to score with");
    let width = width.max(1);
    let per_state = (out.len() / width)
        .div_ceil(states.len())
        .next_multiple_of(BLOCK)
        .max(BLOCK);
    let mut runs = out
        .chunks_mut(per_state * width)
        .zip(states.iter_mut())
        .enumerate()
        .map(|(k, (out, state))| {
            let start = k * per_state;
            (state, start..start + out.len() / width, out)
        });
    let Some((state, range, out)) = runs.next() else {
        return;
    };
    #[cfg(not(target_arch = "wasm32"))]
    std::thread::scope(|scope| {
        let work = &work;
        for (state, range, out) in runs {
            scope.spawn(move || work(state, range, out));
        }
        work(state, range, out);
    });
    #[cfg(target_arch = "wasm32")]
    {
        work(state, range, out);
        runs.for_each(|(state, range, out)| work(state, range, out));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row goes to exactly one run, runs are contiguous and in order, in whole blocks
    /// but for the last.
    #[test]
    fn rows_split_into_contiguous_runs() {
        for rows in [0, 1, 63, 64, 65, 200, 1000] {
            for width in [1, 3] {
                for states in 1..5 {
                    let mut out = vec![0.0; rows * width];
                    let mut seen = vec![Vec::new(); states];
                    let runs = std::sync::Mutex::new(Vec::new());
                    split_rows(&mut out, width, &mut seen, |state, range, out| {
                        assert_eq!(out.len(), range.len() * width);
                        out.fill(range.start as f32);
                        state.push(range.clone());
                        runs.lock().expect("not poisoned").push(range);
                    });
                    let mut runs = runs.into_inner().expect("not poisoned");
                    runs.sort_by_key(|r| r.start);
                    let mut next = 0;
                    for (k, run) in runs.iter().enumerate() {
                        assert_eq!(run.start, next);
                        assert!(run.end > run.start);
                        assert!(k + 1 == runs.len() || run.len() % BLOCK == 0);
                        next = run.end;
                    }
                    assert_eq!(next, rows);
                    assert!(runs.len() <= states);
                    assert!(seen.iter().all(|s| s.len() <= 1));
                    for (r, chunk) in out.chunks(width).enumerate() {
                        let run = runs.iter().find(|run| run.contains(&r)).expect("a run");
                        assert!(chunk.iter().all(|&v| v == run.start as f32));
                    }
                }
            }
        }
    }
}
