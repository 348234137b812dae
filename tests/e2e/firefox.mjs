// The real page in headless Firefox: Debian's firefox-esr, driven over WebDriver BiDi by
// puppeteer-core (tools/node_modules; it downloads no browser). playwright-core drives stock
// Firefox only through BiDi commands that Firefox ESR lacks (emulation.setMediaFeaturesOverride),
// so this is a second, shorter run of the page's main paths beside run.mjs's Chromium run:
// loading, every chart, the event form, evaluating and scoring a file in the Web Worker,
// training in it and exporting the result, then the paths of firefox-paths.mjs (slider, focus,
// alerts, model files, cancel, dark theme, phone width, the worker's policy), with no console
// error, CSP refusal or request to another origin. Needs the wasm built (`make e2e` builds it first).
//
//   node tests/e2e/firefox.mjs    prints one line per check, then "N passed, M failed"

import { createRequire } from 'node:module';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, expect, expectPainted, finish, serve } from './harness.mjs';
import { firefoxPathChecks } from './firefox-paths.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = path.join(root, 'tests/e2e/artifacts');
const puppeteer = createRequire(path.join(root, 'tools/package.json'))('puppeteer-core');
const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const CHARTS = ['confusion', 'histogram', 'roc', 'pr', 'loss', 'importance', 'seeds'];

const text = (page, selector) => page.$eval(selector, (e) => e.textContent ?? '');
const visible = (page, selector) => page.$eval(selector, (e) => !e.hidden && e.getClientRects().length > 0);
/** Waits until `selector`'s text includes `needle` (or the page shows an error). */
const waitForText = (page, selector, needle, timeout = 30_000) =>
  page.waitForFunction(
    (s, n) => document.querySelector(s)?.textContent.includes(n) || document.getElementById('data-error')?.hidden === false,
    { timeout },
    selector,
    needle,
  );

const started = Date.now();
const { server, origin } = await serve();
await mkdir(artifacts, { recursive: true });
const sample = await readFile(path.join(root, 'data/sample.csv'), 'utf8');
// The sample without its label columns (sus, evil: the last two, never quoted), to be scored.
const unlabelled = sample
  .trimEnd()
  .split('\n')
  .map((line) => line.split(',').slice(0, -2).join(','))
  .join('\n');
const files = { labelled: path.join(artifacts, 'sample.csv'), unlabelled: path.join(artifacts, 'events.csv') };
await writeFile(files.labelled, sample);
await writeFile(files.unlabelled, `${unlabelled}\n`);

const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
const log = { requests: [], errors: [] };

try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.evaluateOnNewDocument(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(`${e.violatedDirective} refused ${e.blockedURI || e.sample || 'an inline value'}`);
    });
  });
  page.on('request', (request) => log.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') log.errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => log.errors.push(`page error: ${error.message}`));
  const upload = async (file) => {
    const input = await page.$('#file-input');
    expect(input, 'no file input');
    await input.uploadFile(file);
  };

  await check('Firefox: the page loads the shipped model and draws every chart', async () => {
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.documentElement.dataset.ready, { timeout: 20_000 });
    const ready = await page.evaluate(() => document.documentElement.dataset.ready);
    expect(ready === 'true', `the page did not start: ${await text(page, '#status')}`);
    expect((await text(page, '#report-title')) === 'The shipped model', 'no report title');
    // Charts are painted on the next frame.
    await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))));
    for (const chart of CHARTS) await expectPainted(page, `chart-${chart}`);
    expect(log.errors.length === 0, log.errors.join('; '));
    await page.screenshot({ path: path.join(artifacts, 'firefox-desktop.png') });
  });

  await check('Firefox: the event form scores the presets', async () => {
    const presets = await page.$$('#event-presets button');
    const names = await Promise.all(presets.map((b) => b.evaluate((e) => e.textContent)));
    await presets[names.indexOf('Benign system process')].click();
    expect((await text(page, '#event-verdict')).startsWith('Benign'), `benign preset: ${await text(page, '#event-verdict')}`);
    await presets[names.indexOf('Suspicious process')].click();
    expect((await text(page, '#event-verdict')).startsWith('Suspicious'), `suspicious preset: ${await text(page, '#event-verdict')}`);
    const rows = await page.$$eval('#event-contributions tbody tr', (r) => r.length);
    // One Shapley value per field the model reads (5), as in Chromium.
    expect(rows === 5, `${rows} contribution rows`);
  });

  await check('Firefox: the worker evaluates data/sample.csv as Chromium does', async () => {
    await upload(files.labelled);
    await waitForText(page, '#report-subtitle', 'sample.csv: 400 rows');
    expect(!(await visible(page, '#data-error')), await text(page, '#data-error'));
    expect((await text(page, '#report-subtitle')).includes('sample.csv: 400 rows (69 benign, 331 suspicious)'), 'subtitle');
    for (const chart of ['confusion', 'histogram', 'roc', 'pr']) await expectPainted(page, `chart-${chart}`);
  });

  await check('Firefox: the worker scores an unlabelled file and lists its top rows', async () => {
    await upload(files.unlabelled);
    await page.waitForSelector('#top-rows tbody tr', { timeout: 30_000 });
    const rows = await page.$$eval('#top-rows tbody tr', (r) => r.length);
    expect(rows === 25, `${rows} rows in the most-suspicious table`);
    const link = await page.$eval('#scored-download', (a) => a.getAttribute('download'));
    expect(link === 'events-scored.csv', `download name ${link}`);
  });

  await check('Firefox: training in the worker ends with a model and its ONNX export', async () => {
    await upload(files.labelled);
    // The subtitle already names sample.csv (the evaluation above): the result's button tells this one.
    await waitForText(page, '#report-subtitle', 'sample.csv: 400 rows');
    await page.waitForSelector('::-p-text(Train a model on this file)', { visible: true, timeout: 30_000 });
    await page.click('::-p-text(Train a model on this file)');
    const fill = async (selector, value) => {
      await page.$eval(selector, (e) => {
        e.value = '';
      });
      await page.type(selector, value);
    };
    await fill('#train-hidden', '16, 8');
    await fill('#train-steps', '300');
    await fill('#train-lr', '0.01');
    expect((await text(page, '#train-file-name')).includes('sample.csv'), `training file: ${await text(page, '#train-file-name')}`);
    await page.click('#train-start');
    const shown = ['train-result', 'train-error'];
    await page.waitForFunction((ids) => ids.some((id) => !document.getElementById(id).hidden), { timeout: 60_000 }, shown);
    expect(!(await visible(page, '#train-error')), `training failed: ${await text(page, '#train-error')}`);
    await expectPainted(page, 'train-roc');
    const links = await page.$$eval('#train-result a[download]', (a) => a.map((e) => [e.getAttribute('download'), e.href.slice(0, 5)]));
    // Named from the training file and recipe; the ONNX file takes the model file's name.
    const named = 'model-sample-binarised-seed42';
    expect(JSON.stringify(links) === JSON.stringify([[`${named}.json`, 'blob:'], [`${named}.onnx`, 'blob:']]), `downloads ${JSON.stringify(links)}`);
  }, 90_000);

  await firefoxPathChecks({ check, expect, page, browser, origin, root, artifacts, sample, log });

  await check('Firefox: no console error, CSP refusal or request to another origin', async () => {
    expect(log.errors.length === 0, log.errors.join('; '));
    const refused = await page.evaluate(() => window.cspViolations);
    expect(refused.length === 0, `the Content-Security-Policy refused: ${refused.join('; ')}`);
    const elsewhere = log.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:'));
    expect(elsewhere.length === 0, `requests elsewhere: ${elsewhere.join(', ')}`);
  });
} finally {
  await browser.close();
  server.kill();
}

finish('e2e (Firefox)', started);
