// The user paths of run.mjs that could differ between engines, in Firefox (firefox.mjs calls
// `firefoxPathChecks` with its runner and page): the threshold slider, the focus after an
// evaluation, alerts of Tracee JSON lines and of the sample with their tree and timeline, model
// files (the shipped one again, a refused one), cancelling a scoring job, the dark theme's charts,
// phone width, and the worker's Content-Security-Policy header enforced by Firefox.

import http from 'node:http';
import path from 'node:path';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { canvasStats, expectPainted, workerPolicyProbe } from './harness.mjs';

const CHARTS = ['confusion', 'histogram', 'roc', 'pr', 'loss', 'importance', 'seeds'];

/**
 * @param {object} t what firefox.mjs shares
 * @param {(name: string, body: () => Promise<void>, timeoutMs?: number) => Promise<void>} t.check
 * @param {(condition: unknown, message: string) => void} t.expect
 * @param {import('puppeteer-core').Page} t.page the page, showing any model
 * @param {import('puppeteer-core').Browser} t.browser
 * @param {string} t.origin where scripts/serve.py serves the repository root
 * @param {string} t.root the repository root
 * @param {string} t.artifacts a directory under the root for files to upload
 * @param {string} t.sample data/sample.csv
 * @param {{ requests: string[], errors: string[] }} t.log what the page asked for and reported
 */
export async function firefoxPathChecks({ check, expect, page, browser, origin, root, artifacts, sample, log }) {
  const text = (selector) => page.$eval(selector, (e) => e.textContent ?? '');
  const visible = (selector) => page.$eval(selector, (e) => !e.hidden && e.getClientRects().length > 0);
  const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.localName);
  const until = (fn, arg, timeout = 30_000) => page.waitForFunction(fn, { timeout }, arg);
  const frames = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))));
  /** Writes `contents` to artifacts/`name` and opens it with the page's file input. */
  const upload = async (name, contents) => {
    const file = path.join(artifacts, name);
    await writeFile(file, contents);
    const input = await page.$('#file-input');
    expect(input, 'no file input');
    await input.uploadFile(file);
  };
  /** Sets the slider as a reader dragging it does: its value, then an input event. */
  const slide = (value) =>
    page.$eval(
      '#threshold',
      (e, v) => {
        e.value = v;
        e.dispatchEvent(new Event('input', { bubbles: true }));
      },
      value,
    );

  await check('Firefox: an evaluation keeps the focus on its result', async () => {
    await upload('focus.csv', sample);
    await until(() => document.querySelector('#data-result h3')?.textContent === 'Evaluated focus.csv');
    const active = await page.evaluate(() => document.activeElement?.textContent);
    expect(active === 'Evaluated focus.csv', `the focus is on "${active}" (${await focused()})`);
  });

  await check('Firefox: the threshold slider changes the confusion matrix and cards, and moves with the keyboard', async () => {
    const before = await canvasStats(page, 'chart-confusion');
    const cards = await text('#cards');
    await slide('0.95');
    await until(() => document.getElementById('threshold-value').value === '0.950');
    await frames();
    expect((await canvasStats(page, 'chart-confusion')).hash !== before.hash, 'the confusion matrix was not redrawn');
    expect((await text('#cards')) !== cards, 'the metric cards did not change');
    await page.focus('#threshold');
    await page.keyboard.press('ArrowLeft');
    const moved = await page.$eval('#threshold', (e) => e.value);
    expect(moved === '0.949', `the arrow key moved the slider to ${moved}`);
    await page.click('#threshold-reset');
    expect((await text('#threshold-value')) === '0.308', `reset gave ${await text('#threshold-value')}`);
  });

  await check('Firefox: Tracee JSON lines of both forms and the sample list alerts, with tree and timeline drawn', async () => {
    for (const [name, process] of [['flat.jsonl', 'vlc (1014858)'], ['v1beta1.jsonl', 'bash (12345)']]) {
      await upload(name, await readFile(path.join(root, 'tests/fixtures/tracee', name)));
      await until((n) => document.getElementById('alerts-summary')?.textContent?.startsWith(n) || !document.getElementById('data-error').hidden, name);
      expect(!(await visible('#data-error')), `${name}: ${await text('#data-error')}`);
      await frames();
      expect((await text('#alert-title')).includes(process), `${name}: the first alert is "${await text('#alert-title')}"`);
      await expectPainted(page, 'alert-tree');
      await expectPainted(page, 'alert-timeline');
    }
    await upload('alerts.csv', sample);
    await until(() => document.getElementById('alerts-summary')?.textContent?.startsWith('alerts.csv'));
    await frames();
    // The attack's payload, tsm on BETH's test host, ranks first of 22 alerts, as in Chromium.
    expect((await text('#alert-title')).includes('Alert #1: tsm (7555) on ip-10-100-1-217'), `first alert: ${await text('#alert-title')}`);
    expect((await text('#alerts-summary')).includes('grouped into 22 alerts'), await text('#alerts-summary'));
    const tree = await expectPainted(page, 'alert-tree');
    const timeline = await expectPainted(page, 'alert-timeline');
    await page.focus('#alerts-list button[aria-current="true"]');
    await page.keyboard.press('ArrowDown');
    await frames();
    expect((await text('#alert-title')).startsWith('Alert #2: sh (7340)'), await text('#alert-title'));
    expect((await page.evaluate(() => document.activeElement?.getAttribute('aria-current'))) === 'true', 'the focus did not follow');
    expect((await canvasStats(page, 'alert-tree')).hash !== tree.hash, 'the tree was not redrawn');
    expect((await canvasStats(page, 'alert-timeline')).hash !== timeline.hash, 'the timeline was not redrawn');
  }, 60_000);

  await check('Firefox: cancelling a scoring job says so and keeps the previous result', async () => {
    const [head, ...rows] = sample.trimEnd().split('\n');
    const body = `${rows.join('\n')}\n`;
    try {
      // 100 MB: read in chunks for seconds, so the cancel lands mid-read.
      await upload('cancelled.csv', `${head}\n${body.repeat(Math.ceil(100e6 / body.length))}`);
      await until(() => /read · /.test(document.getElementById('data-progress-text').textContent));
      await page.click('#data-cancel');
      await until(() => document.getElementById('data-job').hidden, undefined, 10_000);
    } finally {
      await rm(path.join(artifacts, 'cancelled.csv'));
    }
    const note = await text('#data-note');
    expect(note === 'Cancelled reading cancelled.csv; the model and the report are unchanged.', `note: ${note}`);
    expect((await focused()) === 'data-note', `the focus is on ${await focused()}`);
    expect((await text('#data-result h3')) === 'Evaluated alerts.csv', `the previous result: ${await text('#data-result h3')}`);
  }, 60_000);

  await check('Firefox: the shipped model file loads again; a model file of another version is refused, naming it', async () => {
    await upload('model.json', await readFile(path.join(root, 'data/model.json')));
    await until(() => document.getElementById('data-result').textContent.includes('Loaded the model file model.json') || !document.getElementById('data-error').hidden);
    expect(!(await visible('#data-error')), `model.json: ${await text('#data-error')}`);
    expect((await text('#report-title')) === 'The shipped model', `title: ${await text('#report-title')}`);
    expect(await visible('#caveat'), 'the caveat is gone');
    const roc = (await canvasStats(page, 'chart-roc')).hash;
    await upload('future.json', '{"format": "cyber-attack-detector/model", "version": 99}');
    await until(() => !document.getElementById('data-error').hidden);
    const message = await text('#data-error');
    expect(message.startsWith('future.json: ') && message.includes('version 99'), `the error: ${message}`);
    expect(message.endsWith('The previous model is still in use.'), `the error: ${message}`);
    expect((await text('#report-title')) === 'The shipped model', `title: ${await text('#report-title')}`);
    expect((await canvasStats(page, 'chart-roc')).hash === roc, 'the charts changed');
  });

  await check('Firefox: the dark theme redraws every chart, painted', async () => {
    const light = {};
    for (const chart of CHARTS) light[chart] = (await canvasStats(page, `chart-${chart}`)).hash;
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const was = await theme();
    await page.click('#theme-toggle');
    await frames();
    try {
      expect((await theme()) === 'dark', `the toggle gave the theme "${await theme()}" (was "${was}")`);
      for (const chart of CHARTS) {
        const stats = await expectPainted(page, `chart-${chart}`);
        expect(stats.hash !== light[chart], `${chart} was not redrawn in the dark theme`);
      }
      await page.screenshot({ path: path.join(artifacts, 'firefox-dark.png') });
    } finally {
      await page.click('#theme-toggle');
      await frames();
    }
  });

  await check('Firefox: at phone width (390 px) the charts fit and nothing overflows sideways', async () => {
    const phone = await browser.newPage();
    try {
      await phone.setViewport({ width: 390, height: 844, deviceScaleFactor: 2 });
      await phone.goto(`${origin}/`);
      await phone.waitForFunction(() => document.documentElement.dataset.ready === 'true', { timeout: 20_000 });
      await phone.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))));
      for (const chart of CHARTS) {
        const stats = await expectPainted(phone, `chart-${chart}`);
        expect(stats.width === stats.expectedWidth, `${chart}: ${stats.width} px wide in a ${stats.expectedWidth} px box`);
      }
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 0, `the page is ${overflow} px wider than the screen`);
      await phone.screenshot({ path: path.join(artifacts, 'firefox-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  await check("Firefox: a worker served as the page's is held to its policy header: no other origin, no nested blob worker", async () => {
    const headers = (await fetch(`${origin}/www/worker.js`)).headers;
    const policy = headers.get('content-security-policy') ?? '';
    expect(policy.includes("default-src 'self'") && policy.includes("frame-ancestors 'none'"), `worker.js policy: ${policy}`);
    // Firefox's BiDi cannot run code in the page's own worker, so a probe worker from the same
    // server (the same header) tries what the page's must not do, and reports. The other origin
    // is a server of this test on another port, which would answer anyone.
    const asked = [];
    const other = http.createServer((request, response) => {
      asked.push(request.url);
      response.writeHead(200, { 'access-control-allow-origin': '*' }).end('reached');
    });
    await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${other.address().port}/worker-probe`;
    const probe = path.join(artifacts, 'csp-probe.js');
    await writeFile(probe, `(${workerPolicyProbe})(${JSON.stringify(target)}).then((outcome) => postMessage(outcome));\n`);
    const seen = { errors: log.errors.length, requests: log.requests.length };
    try {
      const url = `/${path.relative(root, probe).split(path.sep).join('/')}`;
      const outcome = await page.evaluate(
        (u) =>
          new Promise((resolve) => {
            const w = new Worker(u);
            w.onmessage = (e) => resolve(e.data);
            w.onerror = (e) => resolve({ failed: e.message });
          }),
        url,
      );
      expect(outcome.fetched?.startsWith('blocked'), `a fetch from the worker to another origin: ${JSON.stringify(outcome)}`);
      expect(outcome.nested?.startsWith('blocked'), `a nested blob worker: ${JSON.stringify(outcome)}`);
      expect(asked.length === 0, `the other origin was asked for ${asked.join(', ')}`);
    } finally {
      other.close();
      await rm(probe);
      // The refusals Firefox was asked to make are this check's, not the page's.
      log.errors.splice(seen.errors);
      log.requests.splice(seen.requests);
    }
  }, 30_000);
}
