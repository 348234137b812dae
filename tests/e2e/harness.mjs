// The e2e tests' shared parts: a tiny test runner, the server (scripts/serve.py on a free port)
// and the canvas checks, for run.mjs in either engine (driver.mjs).
//
//   E2E_ONLY=regex      runs only the checks whose names match
//   E2E_VERBOSE=1       prints a failure's whole message and stack, not its first line

import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

// --- a tiny test runner ---------------------------------------------------------------------

/** One entry per check run: whether it passed. */
export const results = [];

/** The checks E2E_ONLY names; the rest are neither run nor counted. */
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;

export async function check(name, body, timeoutMs = 30_000) {
  if (only && !only.test(name)) return;
  const started = Date.now();
  let timer;
  try {
    await Promise.race([
      body(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    results.push(true);
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push(false);
    console.log(`FAIL ${name}: ${process.env.E2E_VERBOSE ? error.stack : error.message.split('\n')[0]}`);
  } finally {
    clearTimeout(timer);
  }
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

// --- the server -----------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export async function serve() {
  const port = await freePort();
  // The server `make serve` runs: it sends the page's policy as a header, which the worker needs.
  const server = spawn('python3', [path.join(root, 'scripts/serve.py'), String(port), root], {
    stdio: 'ignore',
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${origin}/index.html`)).ok) return { server, origin };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error(`scripts/serve.py did not start on port ${port}`);
}

// --- page helpers ---------------------------------------------------------------------------

/**
 * Pixels of a canvas that differ from its corner (the chart's background), and a hash; with
 * `colours` ([r, g, b] each), also how many pixels are within 40 of one of them (`matching`).
 */
export function canvasStats(page, id, colours = []) {
  return page.evaluate(([canvasId, wanted]) => {
    const canvas = document.getElementById(canvasId);
    if (!canvas || canvas.width === 0 || canvas.height === 0) return { painted: 0, total: 0, hash: 0, width: 0, matching: 0 };
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const distance = (i, [r, g, b]) => Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b);
    const corner = [data[0], data[1], data[2]];
    let painted = 0;
    let matching = 0;
    let hash = 2166136261;
    for (let i = 0; i < data.length; i += 4) {
      if (distance(i, corner) > 30) painted += 1;
      if (wanted.some((colour) => distance(i, colour) < 40)) matching += 1;
      hash = Math.imul(hash ^ (data[i] ^ (data[i + 1] << 8) ^ (data[i + 2] << 16)), 16777619);
    }
    const ratio = window.devicePixelRatio || 1;
    return {
      painted,
      matching,
      total: canvas.width * canvas.height,
      hash,
      width: canvas.width,
      expectedWidth: Math.round(canvas.clientWidth * ratio),
    };
  }, [id, colours]);
}

export async function expectPainted(page, id) {
  const stats = await canvasStats(page, id);
  expect(stats.total > 0, `#${id} has no pixels`);
  // A chart with data covers far more than its caption: axes, labels, bars or curves.
  expect(stats.painted > stats.total * 0.01, `#${id}: only ${stats.painted} of ${stats.total} pixels painted`);
  return stats;
}

/** Waits until the page has put back what this browser kept (or found nothing): `data-restored`. */
export const restored = (page) => page.waitForFunction(() => document.documentElement.dataset.restored === 'true', null, { timeout: 20_000 });

/**
 * "Forget all" by the keyboard (the button focused, Enter: no pointer to miss a button that a late
 * layout change moved), then waits for the page it reopens: its window has no mark, and it has
 * put back nothing.
 */
export async function forgetAll(page, button = 'footer [data-forget]') {
  await page.evaluate(() => (window.beforeForget = true));
  await page.locator(button).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !window.beforeForget && document.documentElement.dataset.restored === 'true', null, { timeout: 20_000 }).catch(async (error) => {
    const state = await page.evaluate(() => ({ reopened: !window.beforeForget, ...document.documentElement.dataset, focus: document.activeElement?.outerHTML.slice(0, 80) })).catch((e) => e.message);
    throw new Error(`Forget all did not reopen the page: ${JSON.stringify(state)} (${error.message})`);
  });
}

/** Waits until every change is kept in this browser (no `data-saving`): a reload before then would lose it. */
export const allKept = (page) => page.waitForFunction(() => !('saving' in document.documentElement.dataset), null, { timeout: 20_000 });

/**
 * Run inside a Web Worker (its source is sent there): what a worker under the page's policy must
 * not be able to do, fetch from another origin (`target`) and start a nested blob worker, and how
 * each ended.
 */
export async function workerPolicyProbe(target = 'http://other-origin.test/worker-probe') {
  const fetched = await fetch(target).then(() => 'reached', (e) => `blocked: ${e.name}`);
  // A refused worker script fails to load: an error event, or an exception at once.
  const nested = await new Promise((resolve) => {
    try {
      const w = new Worker(URL.createObjectURL(new Blob(['postMessage(1)'], { type: 'text/javascript' })));
      w.onmessage = () => resolve('ran');
      w.onerror = () => resolve('blocked: error event');
      setTimeout(() => resolve('no answer in 5 s'), 5000);
    } catch (e) {
      resolve(`blocked: ${e.name}`);
    }
  });
  return { fetched, nested };
}

/** Prints the summary line of a run and exits 0 when every check passed, else 1. */
export function finish(label, started) {
  const passed = results.filter(Boolean).length;
  const failed = results.length - passed;
  console.log(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
