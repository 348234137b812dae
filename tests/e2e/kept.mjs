// Work survives a reload (issue 13): the model in use, the reader's threshold and prices and the
// analyst's verdicts on a file's events are kept in the browser's IndexedDB and put back on the
// next visit; "Forget all" clears them; a kept model that no longer loads is dropped and the
// shipped model stays. run.mjs calls `keptChecks` with its runner.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { allKept, forgetAll, restored } from './harness.mjs';

/**
 * @param {object} t what run.mjs shares: its runner and helpers
 * @param {(name: string, body: () => Promise<void>, timeoutMs?: number) => Promise<void>} t.check
 * @param {(condition: unknown, message: string) => void} t.expect
 * @param {(page: import('playwright-core').Page, selector: string) => Promise<string>} t.text
 * @param {(options: object) => Promise<{ context: import('playwright-core').BrowserContext, page: import('playwright-core').Page }>} t.open a new page
 * @param {string} t.shipped data/model.json
 * @param {string} t.events data/sample.csv without its labels
 * @param {string} t.sample data/sample.csv
 */
export async function keptChecks({ check, expect, text, open, shipped, events, sample }) {
  // Reloaded once every change is kept.
  const reload = async (page) => {
    await allKept(page);
    await page.reload();
    await restored(page);
  };
  const value = (page, id) => page.locator(`#${id}`).inputValue();
  // The shipped model with another threshold: a model of the reader's own.
  const mine = shipped.replace('"threshold": 0.308,', '"threshold": 0.4,');

  await check('the model in use, the threshold and the prices survive a reload; Forget all clears them', async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    try {
      await restored(page);
      expect(await page.locator('#restored').isHidden(), 'a first visit says something was restored');
      await page.locator('#file-input').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(mine) });
      await page.getByText('Loaded the model file mine.json').waitFor({ timeout: 20_000 });
      await page.locator('#threshold').evaluate((slider) => {
        slider.value = '0.65';
        slider.dispatchEvent(new Event('input'));
      });
      await page.locator('#cost-missed').fill('50');

      await reload(page);
      expect((await text(page, '#threshold-reset')).includes('0.400'), `after a reload the model's threshold reads "${await text(page, '#threshold-reset')}"`);
      expect((await value(page, 'threshold')) === '0.65', `the slider is at ${await value(page, 'threshold')}, not 0.65`);
      expect((await value(page, 'cost-missed')) === '50', `the missed-attack price is ${await value(page, 'cost-missed')}`);
      const note = await text(page, '#restored-text');
      expect(note === 'Restored from your last visit: the model mine.json, threshold 0.650 and your prices. They are kept in this browser only.', `note: ${note}`);
      // Putting the model back does not move the focus (nor so the page): the reader asked for
      // nothing. (Where the page stands is the browser's: Firefox puts back the last position.)
      const focused = await page.evaluate(() => document.activeElement?.tagName);
      expect(focused === 'BODY', `after a reload the focus is on ${focused}`);

      await forgetAll(page, '#restored [data-forget]');
      expect(await page.locator('#restored').isHidden(), 'after Forget all the page still says something was restored');
      expect((await text(page, '#threshold-reset')).includes('0.308'), `after Forget all the model's threshold reads "${await text(page, '#threshold-reset')}"`);
      expect((await value(page, 'threshold')) === '0.308' && (await value(page, 'cost-missed')) === '100', 'after Forget all the settings are not the defaults');
      const left = await page.evaluate(
        () =>
          new Promise((resolve, reject) => {
            const request = indexedDB.open('cyber-attack-detector');
            request.onsuccess = () => {
              const count = request.result.transaction('kept').objectStore('kept').count();
              count.onsuccess = () => resolve(count.result);
            };
            request.onerror = () => reject(request.error);
          }),
      );
      expect(left === 0, `${left} records are still kept after Forget all`);
    } finally {
      await context.close();
    }
  }, 90_000);

  await check('the page is marked data-saving from a change until every write is kept, and only then; nothing is kept after Forget all', async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    try {
      await restored(page);
      const marks = await page.evaluate(async () => {
        const { saving } = await import('./www/saved.js');
        const mark = () => document.documentElement.dataset.saving ?? 'none';
        /** @type {(value?: unknown) => void} */
        let first = () => {};
        /** @type {(error: Error) => void} */
        let second = () => {};
        const seen = [mark()];
        const one = saving(new Promise((resolve) => (first = resolve)));
        const two = saving(new Promise((_, reject) => (second = reject))).catch(() => {});
        seen.push(mark());
        first();
        await one;
        seen.push(mark());
        second(new Error('refused'));
        await two;
        seen.push(mark());
        return seen.join(' ');
      });
      // A failed write ends the mark too: nothing is left to wait for.
      expect(marks === 'none true true none', `marks: ${marks}`);
      // A setting changed: marked at once, though it is written a moment later.
      const marked = await page.evaluate(() => {
        const price = /** @type {HTMLInputElement} */ (document.getElementById('cost-missed'));
        price.value = '7';
        price.dispatchEvent(new Event('input'));
        return document.documentElement.dataset.saving === 'true';
      });
      expect(marked, 'a changed price is not marked as saving');
      // Forget all while that write waits for its moment: it is not made after the clear.
      await page.evaluate(() => import('./www/saved.js').then(({ forgetAll }) => forgetAll()));
      await allKept(page);
      const after = await page.evaluate(() => import('./www/saved.js').then(({ kept }) => kept('settings')));
      expect(after === undefined, `a price changed just before Forget all was kept after it: ${JSON.stringify(after)}`);
    } finally {
      await context.close();
    }
  });

  await check('a kept model that no longer loads is dropped with its settings, and the shipped model stays', async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    try {
      await restored(page);
      // What an older version of the page might have kept: a model file this one refuses.
      await page.evaluate(
        () =>
          new Promise((resolve, reject) => {
            const request = indexedDB.open('cyber-attack-detector');
            request.onsuccess = () => {
              const transaction = request.result.transaction('kept', 'readwrite');
              const store = transaction.objectStore('kept');
              store.put(new File(['{"format": "something else"}'], 'old.json'), 'model');
              store.put({ threshold: 0.9, missed: '7', false_alarm: '1', prevalence: '1' }, 'settings');
              transaction.oncomplete = resolve;
              transaction.onabort = () => reject(transaction.error);
            };
            request.onerror = () => reject(request.error);
          }),
      );
      await reload(page);
      const error = await text(page, '#data-error');
      expect(error.startsWith('old.json: ') && error.includes('The previous model is still in use.'), `the refused model's error: ${error}`);
      expect((await text(page, '#threshold-reset')).includes('0.308') && (await value(page, 'cost-missed')) === '100', 'the refused model’s settings were applied');
      await reload(page);
      expect((await text(page, '#data-error')) === '', 'the refused model was tried again on the next visit');
    } finally {
      await context.close();
    }
  }, 60_000);

  await check('verdicts on a scored file survive a reload, download as a labelled CSV, open the training form, and Forget all clears them', async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    const score = async () => {
      await page.locator('#file-input').setInputFiles({ name: 'events.csv', mimeType: 'text/csv', buffer: Buffer.from(events) });
      await page.getByText('Scored events.csv').waitFor({ timeout: 20_000 });
    };
    const choice = (line) => page.locator(`[aria-label="Your verdict on line ${line}"]`);
    const note = (line) => page.locator(`[aria-label="Note on line ${line}"]`);
    try {
      await restored(page);
      await score();
      const lines = await page.locator('#top-rows tbody th').allTextContents();
      const [first, second] = lines.map(Number);
      await choice(first).selectOption('attack');
      await note(second).fill('a cron job of ours');
      await choice(second).selectOption('benign');
      const summary = await text(page, '#verdicts-text');
      expect(summary.startsWith('Your verdicts on this file: 1 attack, 1 benign (2 on events, 0 on alerts).'), `summary: ${summary}`);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('Download my verdicts (labelled CSV)').click()]);
      expect(download.suggestedFilename() === 'events-verdicts.csv', `download named ${download.suggestedFilename()}`);
      const csv = (await readFile(await download.path(), 'utf8')).split('\n');
      const source = events.split('\n');
      const columns = 'sus,verdict_line,verdict,verdict_note,verdict_alert_line,verdict_alert,verdict_alert_note,verdict_file_sha256';
      expect(csv[0] === `${source[0]},${columns}`, `header: ${csv[0]}`);
      // Line N of the file is source[N - 1]; the verdict rows in file order, `sus` and where it came from after.
      const sha256 = csv[1].slice(-64);
      const expected = [[first, '1', 'attack', ''], [second, '0', 'benign', 'a cron job of ours']]
        .sort((a, b) => a[0] - b[0])
        .map(([line, sus, verdict, said]) => `${source[line - 1]},${sus},${line},${verdict},${said},,,,${sha256}`);
      expect(csv.length === 4 && csv[3] === '' && csv[1] === expected[0] && csv[2] === expected[1], `rows: ${csv.slice(1, 3).join(' | ')} vs ${expected.join(' | ')}`);

      await reload(page);
      await score();
      expect((await choice(first).inputValue()) === 'attack' && (await choice(second).inputValue()) === 'benign', 'the verdicts are not shown again after a reload');
      expect((await note(second).inputValue()) === 'a cron job of ours', 'the note was not kept');

      await page.getByRole('button', { name: 'Retrain with my verdicts' }).focus();
      await page.keyboard.press('Enter');
      // The worker writes the labelled CSV first.
      await page.locator('#train-file-name', { hasText: 'Training on events-verdicts.csv' }).waitFor({ timeout: 20_000 });
      const focused = await page.evaluate(() => document.activeElement?.id);
      expect(focused === 'train-title', `after "Retrain with my verdicts" the focus is on ${focused}`);
      const picked = await page.locator('#train-file').evaluate((input) => input.files?.[0]?.name);
      expect(picked === 'events-verdicts.csv', `the training form holds ${picked}`);

      await forgetAll(page);
      await score();
      expect((await choice(first).inputValue()) === '', 'Forget all left the verdicts');
    } finally {
      await context.close();
    }
  }, 90_000);

  await check('a model file is kept as the bytes read: deleted from disk after loading, it still evaluates the next file', async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cad-e2e-model-'));
    try {
      await restored(page);
      const file = path.join(dir, 'gone.json');
      await writeFile(file, mine);
      await page.locator('#file-input').setInputFiles(file);
      await page.getByText('Loaded the model file gone.json').waitFor({ timeout: 20_000 });
      await rm(dir, { recursive: true });
      await page.locator('#file-input').setInputFiles({ name: 'sample.csv', mimeType: 'text/csv', buffer: Buffer.from(sample) });
      await page.getByText('Evaluated sample.csv').waitFor({ timeout: 20_000 });
      const error = await text(page, '#data-error');
      expect(error === '', `error: ${error}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await context.close();
    }
  }, 60_000);
}
