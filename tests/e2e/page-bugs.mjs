// The page's bugs of issue 16, each reproduced as a reader met it; run.mjs calls `pageBugChecks`
// with its runner and the page it drives.

import path from 'node:path';
import { rm, writeFile } from 'node:fs/promises';
import { restored } from './harness.mjs';

/**
 * @param {object} t what run.mjs shares: its runner, the page and helpers
 * @param {(name: string, body: () => Promise<void>, timeoutMs?: number) => Promise<void>} t.check
 * @param {(condition: unknown, message: string) => void} t.expect
 * @param {import('playwright-core').Page} t.page the page, showing any model
 * @param {(page: import('playwright-core').Page, selector: string) => Promise<string>} t.text
 * @param {(options: object) => Promise<{ context: import('playwright-core').BrowserContext, page: import('playwright-core').Page }>} t.open a new page
 * @param {string} t.sample data/sample.csv
 * @param {string} t.shipped data/model.json
 * @param {string} t.artifacts a directory for files to upload
 */
export async function pageBugChecks({ check, expect, page, text, open, sample, shipped, artifacts }) {
  const upload = (name, contents, mimeType = 'text/csv') => page.locator('#file-input').setInputFiles({ name, mimeType, buffer: Buffer.from(contents) });
  const settings = async (values) => {
    for (const [id, value] of Object.entries(values)) await page.locator(`#${id}`).fill(value);
  };
  const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.localName);
  const bannerShown = () => page.locator('#shown-banner').isVisible();

  await check('dark theme: the toggle keeps its name and is marked pressed (bug 5)', async () => {
    const { context, page: dark } = await open({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    try {
      const toggle = dark.locator('#theme-toggle');
      expect((await toggle.textContent()) === 'Dark theme', `toggle reads "${await toggle.textContent()}"`);
      expect((await toggle.getAttribute('aria-pressed')) === 'true', 'the dark theme is on but the toggle is not pressed');
      await toggle.click();
      expect((await toggle.textContent()) === 'Dark theme' && (await toggle.getAttribute('aria-pressed')) === 'false', 'light: still pressed');
    } finally {
      await context.close();
    }
  });

  await check('an evaluation keeps the focus, and the trained model is shown as its own (bugs 1, 2, 3, 5)', async () => {
    await upload('sample.csv', sample);
    await page.getByText('Evaluated sample.csv').waitFor({ timeout: 20_000 });
    expect((await focused()) !== 'body', 'the focus dropped to <body> after the evaluation');
    expect((await page.evaluate(() => document.activeElement?.textContent)) === 'Evaluated sample.csv', 'the focus is not on the result');

    // By keyboard: the focus follows the view to Train, so that the next Tab goes on there.
    await page.getByRole('button', { name: 'Train a model on this file' }).focus();
    await page.keyboard.press('Enter');
    expect((await focused()) === 'train-title', `after "Train a model on this file" the focus is on ${await focused()}`);
    // The training section's code may still be on its way (it loads on first use).
    await page.locator('#train-file-name', { hasText: 'Training on ' }).waitFor({ timeout: 10_000 });
    const picked = await page.locator('#train-file').evaluate((input) => input.files?.[0]?.name);
    expect(picked === 'sample.csv', `the training file input holds ${picked}`);

    await settings({ 'train-hidden': '16, 8', 'train-steps': '100', 'train-lr': '0.01', 'train-seed': '7' });
    await page.locator('#train-start').click();
    await page.locator('#train-result').waitFor({ timeout: 60_000 });
    const result = await text(page, '#train-summary');

    // Bad settings are refused before anything starts; the finished result stays on offer.
    for (const [field, value, message] of [
      ['train-hidden', 'abc', 'Hidden layers: expected widths as whole numbers separated by commas, found "abc"'],
      ['train-seed', '-3', 'Seed: expected a whole number (0, 1, 2, …), found "-3"'],
      ['train-steps', '1.5', 'Steps: expected a whole number from 1 to 100000, found "1.5"'],
    ]) {
      await settings({ 'train-hidden': '16, 8', 'train-steps': '100', 'train-seed': '7', [field]: value });
      await page.locator('#train-start').click();
      const error = await text(page, '#train-error');
      expect(error === message, `${field} ${value}: ${error}`);
      expect(await page.locator('#train-use').isVisible(), `${field} ${value}: the finished result disappeared`);
      expect((await text(page, '#train-summary')) === result, `${field} ${value}: the result changed`);
    }
    await settings({ 'train-hidden': '16, 8', 'train-steps': '100', 'train-seed': '7' });

    // Held out from the sample: hosts with one class, whose ROC-AUC is NaN (null in the file).
    await page.locator('#train-use').click();
    expect((await focused()) === 'report-title', `after "Use" the focus is on ${await focused()}`);
    expect(!(await bannerShown()), "the new model's own evaluation is called the reader's file");
    await upload('sample.csv', sample);
    await page.getByText('Evaluated sample.csv').waitFor({ timeout: 20_000 });
    expect(await bannerShown(), 'no banner for an uploaded file');
    await page.locator('#show-own').click();
    expect(!(await bannerShown()), '"Back to the model\'s own test results" did nothing');
  }, 90_000);

  await check('a model trained on 3 benign rows is flagged, not offered first, and named (bug 4)', async () => {
    const [head, ...rows] = sample.trimEnd().split('\n');
    const benign = rows.filter((line) => line.endsWith(',0,0'));
    const tiny = [head, ...benign.slice(0, 3), ...rows.filter((line) => !line.endsWith(',0,0'))].join('\n');
    await page.locator('#train-file').setInputFiles({ name: 'tiny.csv', mimeType: 'text/csv', buffer: Buffer.from(`${tiny}\n`) });
    await page.locator('#train-eval-file').setInputFiles({ name: 'sample.csv', mimeType: 'text/csv', buffer: Buffer.from(sample) });
    await settings({ 'train-hidden': '8', 'train-steps': '20', 'train-lr': '0.001', 'train-seed': '42' });
    await page.locator('#train-start').click();
    await page.locator('#train-result').waitFor({ timeout: 60_000 });
    await page.locator('#train-eval-file').setInputFiles([]);
    const warning = await text(page, '#train-warning');
    expect(warning.includes('Only 3 benign rows in the training data'), `warning: ${warning}`);
    // Both models on the sample: the new one ranks it worse, so keeping the old one comes first.
    // Each cell is the figure, then its 95% interval: the figure is the first four decimals.
    const cells = await page.locator('#train-comparison tr', { hasText: 'ROC-AUC' }).locator('td').allTextContents();
    const aucs = cells.map((cell) => /^\d\.\d{4}/.exec(cell)?.[0]);
    expect(Number(aucs[0]) < Number(aucs[1]), `ROC-AUC new ${aucs[0]}, current ${aucs[1]}`);
    expect(warning.includes(`ranks these events worse than the current one (ROC-AUC ${aucs[0]} against ${aucs[1]})`), `warning: ${warning}`);
    expect(!(await page.locator('#train-use').getAttribute('class')).includes('primary'), '"Use the new model" is still the primary button');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#train-download').click()]);
    expect(download.suggestedFilename() === 'model-tiny-binarised-seed42.json', `downloaded as ${download.suggestedFilename()}`);
  }, 90_000);

  await check('cancelling a scoring job says so and keeps the previous result (bug 3)', async () => {
    const [head, ...rows] = sample.trimEnd().split('\n');
    const body = `${rows.join('\n')}\n`;
    const big = path.join(artifacts, 'cancelled.csv');
    await writeFile(big, `${head}\n${body.repeat(Math.ceil(100e6 / body.length))}`);
    try {
      await page.locator('#file-input').setInputFiles(big);
      await page.waitForFunction(() => /read · /.test(document.getElementById('data-progress-text').textContent), null, { timeout: 20_000 });
      await page.locator('#data-cancel').click();
      await page.locator('#data-job').waitFor({ state: 'hidden', timeout: 10_000 });
    } finally {
      await rm(big);
    }
    const note = await text(page, '#data-note');
    expect(note === 'Cancelled reading cancelled.csv; the model and the report are unchanged.', `note: ${note}`);
    expect((await focused()) === 'data-note', `the focus is on ${await focused()}`);
    expect((await text(page, '#data-result h3')) === 'Evaluated sample.csv' && (await page.locator('#data-result').isVisible()), 'the previous result is gone');
  }, 60_000);

  await check('keyboard focus: the shipped-model buttons, "Back to the model\'s own test results" and training land on what they show', async () => {
    const { context, page: fresh } = await open({ viewport: { width: 1280, height: 900 } });
    try {
      await restored(fresh);
      const at = () => fresh.evaluate(() => document.activeElement?.id || document.activeElement?.localName);
      const pressed = () => fresh.locator('[data-shipped]').evaluateAll((all) => all.map((b) => `${b.dataset.shipped} ${b.getAttribute('aria-pressed')}`).join(', '));
      expect((await pressed()) === 'model.json true, anomaly.json false', `at first: ${await pressed()}`);
      expect(await fresh.locator('#nav-alerts').isHidden(), 'the nav links to the Alerts section before a file is read');
      // Each button's model is shown, the focus on the report's title (not on the upload result
      // far below), and the button pressed.
      for (const [name, title] of [['anomaly.json', 'Anomaly model report'], ['model.json', 'The shipped model']]) {
        await fresh.locator(`[data-shipped="${name}"]`).focus();
        await fresh.keyboard.press('Enter');
        await fresh.locator('#report-title', { hasText: title }).waitFor({ timeout: 20_000 });
        expect((await at()) === 'report-title', `after ${name}: the focus is on ${await at()}`);
        const expected = name === 'model.json' ? 'model.json true, anomaly.json false' : 'model.json false, anomaly.json true';
        expect((await pressed()) === expected, `after ${name}: ${await pressed()}`);
      }
      await fresh.locator('#file-input').setInputFiles({ name: 'sample.csv', mimeType: 'text/csv', buffer: Buffer.from(sample) });
      await fresh.getByText('Evaluated sample.csv').waitFor({ timeout: 20_000 });
      await fresh.locator('#nav-alerts').waitFor({ state: 'visible', timeout: 10_000 });
      // The intervals' example is the shown file's specificity, not the model's own.
      const note = await text(fresh, '#intervals-note');
      expect(note.includes('67 of 69 benign events is 97.1%, but anything from 90.0% to 99.2% fits them.'), `note: ${note}`);
      await fresh.locator('#show-own').focus();
      await fresh.keyboard.press('Enter');
      expect(await fresh.locator('#show-own').isHidden(), '"Back to the model\'s own test results" still shows');
      expect((await at()) === 'report-title', `after "Back to the model's own test results" the focus is on ${await at()}`);
      expect((await text(fresh, '#intervals-note')).includes('58 of 59 benign events is 98.3%'), `note: ${await text(fresh, '#intervals-note')}`);

      // Train is disabled while training runs: the focus goes to the progress text (a status),
      // then to the result's heading.
      expect((await fresh.locator('#train-progress-text').getAttribute('role')) === 'status', 'the training progress is no status');
      await fresh.locator('#train-file').setInputFiles({ name: 'sample.csv', mimeType: 'text/csv', buffer: Buffer.from(sample) });
      await fresh.locator('#train-steps').fill('50');
      await fresh.locator('#train-start').focus();
      await fresh.keyboard.press('Enter');
      await fresh.waitForFunction(() => ['train-progress-text', 'train-result-title'].includes(document.activeElement?.id ?? ''), null, { timeout: 10_000 });
      await fresh.locator('#train-result').waitFor({ timeout: 60_000 });
      expect((await at()) === 'train-result-title', `after training the focus is on ${await at()}`);
    } finally {
      await context.close();
    }
  }, 90_000);

  await check('wording: the threshold bar counts flagged events, and "Start here" says the alerts keep the model\'s threshold', async () => {
    const status = await text(page, '#threshold-status');
    expect(/^[\d,]+ of [\d,]+ events? flagged \([\d,]+ missed, [\d,]+ false\)/.test(status) && !status.includes('alert'), `bar: ${status}`);
    const step = await text(page, '#start-here li:nth-child(2)');
    expect(step.includes("the cards, charts and costs below follow it (the alerts of your own file keep the model's threshold)"), `step 2: ${step}`);
  });

  await check('the shipped model uploaded again is the shipped model, caveat and all (bug 3)', async () => {
    await upload('model.json', shipped, 'application/json');
    await page.getByText('Loaded the model file model.json').waitFor({ timeout: 10_000 });
    expect((await text(page, '#report-title')) === 'The shipped model', `title: ${await text(page, '#report-title')}`);
    expect(await page.locator('#caveat').isVisible(), 'the caveat is gone');
    expect(!(await bannerShown()), 'the banner shows');
  });
}
