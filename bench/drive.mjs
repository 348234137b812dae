// Drives headless Chromium over the bench page and the real page, both served from localhost.
// Usage: node bench/drive.mjs <base URL of the repository root> <output JSON> [tracee]
// Writes {browser, bench, page}: the bench page's window.bench() result; the gzipped bytes of
// everything the page loads except the model and data; navigation-to-first-chart times.
// With `tracee` (`make bench-tracee`), only the Tracee JSON section: {browser, tracee}.

import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from '../tools/node_modules/playwright-core/index.mjs';

const [base, output, only] = process.argv.slice(2);
const RUNS = 5;
const ARGS = ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/** Until the page says it is ready, then one animation frame: the frame its charts are painted in. */
function watchFirstChart() {
  window.firstChart = new Promise((resolve) => {
    const check = () => {
      const root = document.documentElement;
      if (root.dataset.ready === 'true') requestAnimationFrame(() => resolve(performance.now()));
      if (root.dataset.ready === 'failed') resolve(null);
    };
    new MutationObserver(check).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  });
}

async function benchPage(browser) {
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`[bench page] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[bench page] error: ${e.message}`));
  await page.goto(`${base}/bench/page/index.html`);
  await page.waitForFunction(() => typeof window.bench === 'function');
  const result = await page.evaluate(() => window.bench());
  await page.close();
  return result;
}

/** The bench page's Tracee section alone (bench/page/tracee.js), on run.sh's Tracee lines. */
async function traceeOnly(browser) {
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`[bench page] ${m.text()}`));
  await page.goto(`${base}/bench/page/index.html`);
  const result = await page.evaluate(async () => {
    const { traceeSection } = await import('./tracee.js');
    const { fetchBytes } = await import('./measure.js');
    return traceeSection({ traceeJson: await fetchBytes(new URL('../out/resampled-test-188967.jsonl', location.href)) });
  });
  await page.close();
  return result;
}

/** One fresh load (new context: no HTTP cache) of the page: bytes loaded and first-chart time. */
async function pageLoad(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (response.ok() && !path.startsWith('/data/')) bodies.push(response.body().then((body) => [path, gzipSync(body, { level: 9 }).length]));
  });
  page.on('pageerror', (e) => console.error(`[page] error: ${e.message}`));
  await page.addInitScript(watchFirstChart);
  await page.goto(`${base}/index.html`);
  const firstChart = await page.evaluate(() => Promise.race([window.firstChart, new Promise((r) => setTimeout(() => r(null), 30_000))]));
  // Where the time went: when each file finished arriving, and when the document was parsed.
  const timeline = await page.evaluate(() => ({
    dom_content_loaded_ms: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
    files_ms: Object.fromEntries(performance.getEntriesByType('resource').map((e) => [new URL(e.name).pathname, Math.round(e.responseEnd)])),
  }));
  await page.waitForLoadState('networkidle');
  const files = Object.fromEntries(await Promise.all(bodies));
  await context.close();
  return { firstChart, files, timeline };
}

async function pageFigures(browser) {
  await pageLoad(browser);
  const loads = [];
  for (let k = 0; k < RUNS; k += 1) loads.push(await pageLoad(browser));
  const times = loads.map((l) => l.firstChart);
  const sorted = times.every((t) => t !== null) ? [...times].sort((a, b) => a - b) : null;
  const { files } = loads[0];
  const median = sorted && loads.find((l) => l.firstChart === sorted[Math.floor(RUNS / 2)]);
  return {
    files,
    timeline_of_median_run: median?.timeline ?? null,
    gz_bytes: Object.values(files).reduce((s, n) => s + n, 0),
    first_chart_runs_ms: times,
    first_chart_ms: sorted && sorted[Math.floor(RUNS / 2)],
  };
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
try {
  const name = `Chromium ${browser.version()}`;
  const figures =
    only === 'tracee'
      ? { browser: name, tracee: await traceeOnly(browser) }
      : { browser: name, bench: await benchPage(browser), page: await pageFigures(browser) };
  writeFileSync(output, `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await browser.close();
}
