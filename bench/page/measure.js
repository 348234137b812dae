// Timing and checking helpers shared by the benchmark sections.

export const RUNS = 5;

/** Median wall time in ms of RUNS awaited calls of `f`, after one untimed warm-up call. */
export async function medianMs(f) {
  await f();
  const times = [];
  for (let k = 0; k < RUNS; k += 1) {
    const start = performance.now();
    await f();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)];
}

/** Largest |a[i] - b[i]|; Infinity when the lengths differ or a value is NaN. */
export function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i += 1) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= max)) max = Number.isNaN(d) ? Infinity : d;
  }
  return max;
}

export function log(message) {
  document.getElementById('log').textContent += `${message}\n`;
  console.log(message);
}

export async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}
