// An anomaly model in the page (issue 13): trained in the page on events without labels (with
// progress, the training rows' score histogram and the alerts it would raise), used, kept across
// a reload; an uploaded anomaly model file shows its report and scores files and events; Cancel
// mid-training leaves the model in use. run.mjs calls `anomalyChecks` with its runner.

import { readFile } from 'node:fs/promises';
import { allKept, expectPainted, forgetAll, restored } from './harness.mjs';

/**
 * @param {object} t what run.mjs shares: its runner and helpers
 * @param {(name: string, body: () => Promise<void>, timeoutMs?: number) => Promise<void>} t.check
 * @param {(condition: unknown, message: string) => void} t.expect
 * @param {(page: import('playwright-core').Page, selector: string) => Promise<string>} t.text
 * @param {(options: object) => Promise<{ context: import('playwright-core').BrowserContext, page: import('playwright-core').Page }>} t.open a new page
 * @param {string} t.events data/sample.csv without its labels
 * @param {string} t.sample data/sample.csv
 * @param {string} t.anomaly data/anomaly.json
 */
export async function anomalyChecks({ check, expect, text, open, events, sample, anomaly }) {
  const file = (name, contents, mimeType = 'text/csv') => ({ name, mimeType, buffer: Buffer.from(contents) });
  /** Opens the training section on the anomaly choice (its code loads on first use). */
  const anomalyForm = async (page) => {
    await page.locator('#train-anomaly').click();
    await page.locator('#train-budget').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#train-hidden').isHidden(), 'the network settings show for an anomaly model');
  };
  /**
   * Opens a page and fits an anomaly model on `contents` at `budget` alerts per 10,000, to the end.
   * @returns {Promise<{ context: import('playwright-core').BrowserContext, page: import('playwright-core').Page }>}
   */
  const trained = async (name, contents, budget) => {
    const opened = await open({ viewport: { width: 1280, height: 900 } });
    const { page } = opened;
    await restored(page);
    await anomalyForm(page);
    await page.locator('#train-file').setInputFiles(file(name, contents));
    await page.locator('#train-budget').fill(String(budget));
    await page.locator('#train-start').click();
    await page.locator('#train-result:not([hidden]), #train-error:not([hidden])').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('#train-error').isHidden(), `training failed: ${await text(page, '#train-error')}`);
    return opened;
  };
  /** Scores `contents` with the model in use: the flagged count the page gives. */
  const flaggedOf = async (page, name, contents) => {
    await page.locator('#file-input').setInputFiles(file(name, contents));
    await page.locator('#data-result h3', { hasText: `Scored ${name}` }).waitFor({ timeout: 30_000 });
    const line = await text(page, '#data-result h3 + p');
    const found = /^400 events scored: (\d+) flagged/.exec(line);
    expect(found, `scored: ${line}`);
    return Number(found?.[1]);
  };

  await check('an anomaly model trained in the page without labels shows its scores and alerts, and survives a reload', async () => {
    // 500 alerts per 10,000 of 400 rows: at most 20 of them out of fold.
    const { context, page } = await trained('events.csv', events, 500);
    try {
      expect(await page.locator('#train-job').isHidden(), 'the progress bar is still shown');
      await expectPainted(page, 'train-scores');
      expect(await page.locator('#train-roc-figure').isHidden(), 'a ROC curve shows for a model without an evaluation');
      const summary = await text(page, '#train-alerts');
      const said = /^On events\.csv itself it would raise (\d+) alerts? \((\d+) of 400 events flagged\)\.$/.exec(summary);
      expect(said, `alerts: ${summary}`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#train-download').click()]);
      const model = JSON.parse(await readFile(await download.path(), 'utf8'));
      expect(model.kind === 'anomaly' && model.training.config.alerts_per_10k === 500 && model.training.held_out === 400, 'the download is not the anomaly model asked for');
      expect(download.suggestedFilename() === 'anomaly-events-budget500-seed42.json', `download name ${download.suggestedFilename()}`);
      await page.locator('#train-use').click();
      expect((await text(page, '#report-title')) === 'Anomaly model report', `title: ${await text(page, '#report-title')}`);
      expect((await text(page, '#provenance')).includes('fitted without labels, preset anomaly'), 'the report does not say what the model is');
      expect((await text(page, '#chart-loss + figcaption')).startsWith('No training loss'), 'the loss chart does not say why it is empty');
      // The count the training section gave is the one the model in use gives on the same rows.
      expect((await flaggedOf(page, 'events.csv', events)) === Number(said?.[2]), 'scoring the file again flags another count');

      await page.reload();
      await restored(page);
      expect((await text(page, '#report-title')) === 'Anomaly model report', `after a reload the title is ${await text(page, '#report-title')}`);
      expect((await text(page, '#restored-text')).includes('the model'), `note: ${await text(page, '#restored-text')}`);
      expect((await flaggedOf(page, 'again.csv', events)) === Number(said?.[2]), 'after a reload the model flags another count');
      // Another anomaly model replaces it (the event form had no explanation table to clear).
      await page.locator('#file-input').setInputFiles(file('anomaly.json', anomaly, 'application/json'));
      await page.getByText('Loaded the model file anomaly.json').waitFor({ timeout: 30_000 });
    } finally {
      await context.close();
    }
  }, 120_000);

  await check("issue 13's flow: an anomaly model trained in the page, two verdicts, a reload keeps both, the verdict CSV's labels, Forget all", async () => {
    const { context, page } = await trained('events.csv', events, 500);
    const verdict = (line) => page.locator(`[aria-label="Your verdict on line ${line}"]`);
    const score = async () => {
      await page.locator('#file-input').setInputFiles(file('events.csv', events));
      await page.locator('#data-result h3', { hasText: 'Scored events.csv' }).waitFor({ timeout: 30_000 });
      await verdict(lines[0]).waitFor({ timeout: 20_000 });
    };
    /** @type {number[]} */
    let lines = [];
    try {
      await page.locator('#train-use').click();
      expect((await text(page, '#report-title')) === 'Anomaly model report', `title: ${await text(page, '#report-title')}`);
      await page.locator('#file-input').setInputFiles(file('events.csv', events));
      await page.locator('#data-result h3', { hasText: 'Scored events.csv' }).waitFor({ timeout: 30_000 });
      // The two most anomalous events, by line: one an attack, the other benign.
      lines = (await page.locator('#top-rows tbody th').allTextContents()).slice(0, 2).map(Number);
      expect(lines.length === 2 && lines.every((line) => line > 1), `top lines: ${lines}`);
      await verdict(lines[0]).selectOption('attack');
      await verdict(lines[1]).selectOption('benign');
      // A reload before the browser has kept them would lose them: the page says when it has.
      await allKept(page);

      await page.reload();
      await restored(page);
      expect((await text(page, '#report-title')) === 'Anomaly model report', `after a reload the title is ${await text(page, '#report-title')}`);
      await score();
      expect((await verdict(lines[0]).inputValue()) === 'attack' && (await verdict(lines[1]).inputValue()) === 'benign', 'the verdicts are not shown again after a reload');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('Download my verdicts (labelled CSV)').click()]);
      const rows = (await readFile(await download.path(), 'utf8')).split('\n');
      const source = events.split('\n');
      expect(rows[0] === `${source[0]},sus,verdict_line,verdict,verdict_note,verdict_alert_line,verdict_alert,verdict_alert_note,verdict_file_sha256`, `header: ${rows[0]}`);
      const sha256 = rows[1].slice(-64);
      const expected = [...lines]
        .sort((a, b) => a - b)
        .map((line) => `${source[line - 1]},${line === lines[0] ? '1' : '0'},${line},${line === lines[0] ? 'attack' : 'benign'},,,,,${sha256}`);
      expect(rows.length === 4 && rows[3] === '' && rows[1] === expected[0] && rows[2] === expected[1], `rows: ${rows.slice(1).join('\n')}\nexpected ${expected.join('\n')}`);

      await forgetAll(page);
      expect((await text(page, '#report-title')) !== 'Anomaly model report', 'Forget all kept the anomaly model');
      // Scored again, now by the shipped model: no event of the file carries a verdict.
      await page.locator('#file-input').setInputFiles(file('events.csv', events));
      await page.locator('#data-result h3', { hasText: 'Scored events.csv' }).waitFor({ timeout: 30_000 });
      await page.locator('[aria-label^="Your verdict on line"]').first().waitFor({ timeout: 20_000 });
      const left = await page.locator('[aria-label^="Your verdict on line"]').evaluateAll((selects) => selects.filter((s) => s.value !== '').length);
      expect(left === 0, `Forget all left ${left} verdicts`);
    } finally {
      await context.close();
    }
  }, 150_000);

  await check('an anomaly model trained on a labelled file is fitted on its benign rows and evaluated on the held-out ones', async () => {
    const { context, page } = await trained('sample.csv', sample, 500);
    try {
      // 69 benign and 331 suspicious rows, a quarter of each held out: 52 benign rows fitted on.
      const summary = await text(page, '#train-summary');
      expect(summary.startsWith('Fitted on the 52 benign rows of sample.csv not held out'), `summary: ${summary}`);
      expect(/On sample\.csv itself it would raise \d+ alerts? \(\d+ of 400 events flagged\)\.$/.test(summary), `summary: ${summary}`);
      await expectPainted(page, 'train-roc');
      await expectPainted(page, 'train-scores');
      expect((await text(page, '#train-comparison')).includes('this model'), 'no evaluation of the new model');
      // One model drawn: the caption does not speak of two.
      const caption = await text(page, '#train-roc-caption');
      expect(caption.startsWith('The new model on sample.csv (25% held out), on sus (solid)'), `ROC caption: ${caption}`);
    } finally {
      await context.close();
    }
  }, 90_000);

  await check('an uploaded anomaly model file shows its report, its evaluation on sus and evil, and scores events', async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    try {
      await restored(page);
      await page.locator('#file-input').setInputFiles(file('anomaly.json', anomaly, 'application/json'));
      await page.getByText('Loaded the model file anomaly.json').waitFor({ timeout: 30_000 });
      expect((await text(page, '#report-title')) === 'Anomaly model report', `title: ${await text(page, '#report-title')}`);
      expect((await text(page, '#report-subtitle')).includes('test.csv.gz'), 'the report does not show the file\'s own test rows');
      const cards = await text(page, '#cards');
      expect(cards.includes('ROC-AUC0.9989') && cards.includes('ROC-AUC on evil0.9922'), `cards: ${cards}`);
      const comparison = await text(page, '#comparison');
      expect(comparison.includes("BETH paper's isolation forest (re-implemented)") && comparison.includes('none: not a network'), `comparison: ${comparison}`);
      // Columns: this model, then what the file compares it with (the supervised model, the
      // reference recipe, the paper's forest), whose training the file does not record.
      const row = async (name) =>
        page.locator('#comparison tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${name}$`) }) }).locator('td').allTextContents();
      const optimizer = await row('Optimizer');
      expect(optimizer[0] === 'none: not a network' && optimizer.slice(1).every((c) => c === 'not recorded in the model file'), `optimizer: ${optimizer}`);
      // The forest flags no test event at its threshold: its precision is no figure at all.
      const precision = await row('Precision');
      const caught = await row('Attacks caught \\(TP\\)');
      const alarms = await row('False alarms \\(FP\\)');
      const none = caught.flatMap((c, i) => (c === '0' && alarms[i] === '0' ? [i] : []));
      expect(none.length > 0 && none.every((i) => precision[i].startsWith('n/a')), `precision: ${precision}, caught: ${caught}, alarms: ${alarms}`);
      expect((await page.locator('#seed-table tbody tr').count()) === 10, 'the seed study does not list 10 seeds');
      // The settings its method reads (not a forest's trees), and the 505 calibration rows apart from the 99 fitted on.
      const provenance = await text(page, '#provenance');
      expect(provenance.includes('histogram-based outlier score of the paper features, at most 100 values a feature') && !provenance.includes('trees'), `settings: ${provenance}`);
      expect(provenance.includes('Trained on99 rows') && provenance.includes('Threshold calibrated on505 rows'), `rows: ${provenance}`);
      for (const chart of ['confusion', 'histogram', 'roc', 'pr', 'importance']) await expectPainted(page, `chart-${chart}`);
      // The event form scores in the worker, each field's share of the histogram's surprise.
      await page.locator('#event-explanation', { hasText: "The anomaly score is a sum of each feature's surprise" }).waitFor({ timeout: 20_000 });
      const sum = await text(page, '#event-explanation .explanation-sum');
      expect(/^0\.000 base( \+ \d\.\d{3} \w+){7} = \d\.\d{3} score$/.test(sum), `explanation: ${sum}`);
      expect(/^\d\.\d{3}$/.test(await text(page, '#event-score')), `event score: ${await text(page, '#event-score')}`);
      // The threshold slider moves the alert count: everything at 0.
      await page.locator('#threshold').evaluate((slider) => {
        slider.value = '0';
        slider.dispatchEvent(new Event('input'));
      });
      await page.waitForTimeout(200);
      expect((await text(page, '#threshold-status')).startsWith('4,394 of 4,394 events flagged'), `status: ${await text(page, '#threshold-status')}`);
      // A file without mountNamespace (as BETH's per-host files): scored as in the host's, said.
      const own = 'processId,parentProcessId,userId,eventId,argsNum,returnValue\n7548,7534,1001,257,4,3\n1,0,0,1005,4,0\n';
      await page.locator('#file-input').setInputFiles(file('own.csv', own));
      await page.locator('#data-result h3', { hasText: 'Scored own.csv' }).waitFor({ timeout: 30_000 });
      const said = await text(page, '#scored-namespace');
      expect(said.startsWith("own.csv has no mountNamespace (Tracee's current JSON form does not write it): its events were read as in the host's own"), `note: ${said}`);
      // Labelled, it is evaluated on the same reading, and says so too.
      await page.locator('#file-input').setInputFiles(file('own-labelled.csv', own.replace('returnValue\n', 'returnValue,sus\n').replace(',3\n', ',3,1\n').replace(',0\n', ',0,0\n')));
      await page.locator('#data-result h3', { hasText: 'Evaluated own-labelled.csv' }).waitFor({ timeout: 30_000 });
      const evaluated = await text(page, '#evaluated-namespace');
      expect(evaluated.startsWith('own-labelled.csv has no mountNamespace'), `note: ${evaluated}`);
    } finally {
      await context.close();
    }
  }, 90_000);

  await check("the report's buttons show the shipped anomaly model with the paper's table, and the supervised one again", async () => {
    const { context, page } = await open({ viewport: { width: 390, height: 844 } });
    try {
      await restored(page);
      await page.getByRole('button', { name: "Anomaly model (trained without labels) and the BETH paper's table" }).click();
      await page.getByText('Loaded the model file anomaly.json').waitFor({ timeout: 30_000 });
      expect((await text(page, '#report-title')) === 'Anomaly model report', `title: ${await text(page, '#report-title')}`);
      const comparison = await text(page, '#comparison');
      expect(comparison.includes("BETH paper's isolation forest (re-implemented)") && comparison.includes('0.9884'), `comparison: ${comparison}`);
      await page.getByRole('button', { name: 'Supervised model (needs labels to train)' }).click();
      await page.getByText('Loaded the model file model.json').waitFor({ timeout: 30_000 });
      expect((await text(page, '#report-title')) === 'The shipped model', `title: ${await text(page, '#report-title')}`);
    } finally {
      await context.close();
    }
  }, 90_000);

  await check('cancelling an anomaly training run leaves the model in use', async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    try {
      await restored(page);
      await anomalyForm(page);
      // 400 rows 300 times (36 MB): seconds of reading, fitting and scoring, time to cancel.
      const [header, ...rows] = events.trim().split('\n');
      const big = [header, ...Array.from({ length: 300 }, () => rows.join('\n'))].join('\n') + '\n';
      await page.locator('#train-file').setInputFiles(file('big.csv', big));
      await page.locator('#train-start').click();
      await page.locator('#train-job').waitFor({ state: 'visible', timeout: 20_000 });
      await page.locator('#train-cancel').click();
      await page.locator('#train-job').waitFor({ state: 'hidden', timeout: 10_000 });
      expect(await page.locator('#train-result').isHidden(), 'a cancelled run shows a result');
      expect(await page.locator('#train-error').isHidden(), `a cancelled run shows an error: ${await text(page, '#train-error')}`);
      expect((await text(page, '#report-title')) === 'The shipped model', `title: ${await text(page, '#report-title')}`);
    } finally {
      await context.close();
    }
  }, 90_000);
}
