// Work survives a reload (issue 13): the model in use and the reader's threshold and prices are
// kept in the browser's IndexedDB and put back on the next visit; "Forget all" clears them; a
// kept model that no longer loads is dropped and the shipped model stays. run.mjs calls
// `keptChecks` with its runner.

/**
 * @param {object} t what run.mjs shares: its runner and helpers
 * @param {(name: string, body: () => Promise<void>, timeoutMs?: number) => Promise<void>} t.check
 * @param {(condition: unknown, message: string) => void} t.expect
 * @param {(page: import('playwright-core').Page, selector: string) => Promise<string>} t.text
 * @param {(options: object) => Promise<{ context: import('playwright-core').BrowserContext, page: import('playwright-core').Page }>} t.open a new page
 * @param {string} t.shipped data/model.json
 */
export async function keptChecks({ check, expect, text, open, shipped }) {
  // The page has put back what was kept (or found nothing) once `data-restored` is set.
  const restored = (page) => page.waitForFunction(() => document.documentElement.dataset.restored === 'true', null, { timeout: 20_000 });
  const reload = async (page) => {
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
      // Kept a moment after the last change.
      await page.waitForTimeout(800);

      await reload(page);
      expect((await text(page, '#threshold-reset')).includes('0.400'), `after a reload the model's threshold reads "${await text(page, '#threshold-reset')}"`);
      expect((await value(page, 'threshold')) === '0.65', `the slider is at ${await value(page, 'threshold')}, not 0.65`);
      expect((await value(page, 'cost-missed')) === '50', `the missed-attack price is ${await value(page, 'cost-missed')}`);
      const note = await text(page, '#restored-text');
      expect(note === 'Restored from your last visit: the model mine.json, threshold 0.650 and your prices. They are kept in this browser only.', `note: ${note}`);

      await Promise.all([page.waitForEvent('load'), page.locator('#restored [data-forget]').click()]);
      await restored(page);
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
              const store = request.result.transaction('kept', 'readwrite').objectStore('kept');
              store.put(new File(['{"format": "something else"}'], 'old.json'), 'model');
              store.put({ threshold: 0.9, missed: '7', false_alarm: '1', prevalence: '1' }, 'settings').onsuccess = resolve;
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
}
