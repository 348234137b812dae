// @ts-check
// Runs a wasm session of the worker (reading, scoring, training) chunk by chunk to its result.
// A module of its own, free of the wasm, so that the end-to-end test can drive it with stand-ins.

/**
 * Calls `session.advance()` until it reports `finished`, handing each report to `onChunk` and
 * awaiting `pause()` between chunks (which throws to stop), then returns `session.finish()`.
 * An error on the way is rethrown as it was: the session is freed first, quietly, because a
 * session that failed inside a call is still marked borrowed, and its `free()` would throw
 * "attempted to take ownership of Rust value while it was borrowed" in place of the real error.
 * @template {{ finished: boolean }} P
 * @template R
 * @param {{ advance(): P, finish(): R, free(): void }} session
 * @param {(progress: P) => void} onChunk
 * @param {() => Promise<void>} pause
 * @returns {Promise<R>}
 */
export async function drive(session, onChunk, pause) {
  try {
    for (;;) {
      const progress = session.advance();
      onChunk(progress);
      if (progress.finished) break;
      await pause();
    }
  } catch (error) {
    try {
      session.free();
    } catch {
      // Still borrowed after a failed call: the error that matters is the one above.
    }
    throw error;
  }
  return session.finish(); // consumes the session, even when it throws
}
