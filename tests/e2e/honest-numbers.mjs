// Issue 16's honest numbers on the real page: intervals, the cross-validated figures, the cost
// panel's cheapest range and refusals, the prevalence control and the training-file notice.
// run.mjs calls `honestNumberChecks` with its runner and a page showing the shipped model.

import { createHash } from 'node:crypto';

/**
 * @param {object} t what run.mjs shares
 * @param {(name: string, body: () => Promise<void>, timeoutMs?: number) => Promise<void>} t.check
 * @param {(condition: unknown, message: string) => void} t.expect
 * @param {import('playwright-core').Page} t.page the page, showing the shipped model
 * @param {(page: import('playwright-core').Page, selector: string) => Promise<string>} t.text
 * @param {string} t.sample data/sample.csv
 * @param {string} t.shipped data/model.json
 */
export async function honestNumberChecks({ check, expect, page, text, sample, shipped }) {
  const upload = (name, contents, mimeType = 'text/csv') => page.locator('#file-input').setInputFiles({ name, mimeType, buffer: Buffer.from(contents) });
  const card = (name) => page.locator('#cards .card', { has: page.locator('.card-name', { hasText: new RegExp(`^${name}$`) }) }).textContent();

  await check('the cards carry 95% intervals and the cross-validated figures', async () => {
    await page.locator('#threshold-reset').click();
    const specificity = await card('Specificity');
    // 58 of 59 benign test events: Wilson's 95% interval is 91.00% to 99.70%.
    expect(specificity.includes('98.31%95% CI 91.0–99.7%'), `specificity card: ${specificity}`);
    expect(specificity.includes('Cross-validated: 87.91%95% CI 85.1–90.3%'), `specificity card: ${specificity}`);
    const auc = await card('ROC-AUC');
    expect(/0\.999295% CI 0\.99\d–\d\.\d{3}/.test(auc) && auc.includes('Cross-validated: 0.8988'), `ROC-AUC card: ${auc}`);
    expect((await text(page, '#intervals-note')).includes('58 of 59 benign events is 98.3%'), 'no explanation of the intervals');
    expect((await text(page, '#cost-current-detail')).includes('false-alarm rate 1.69%, 95% CI 0.3–9.0%'), await text(page, '#cost-current-detail'));
  });

  await check('the cheapest threshold shows its tied range and says it flags everything', async () => {
    await page.locator('#cost-missed').fill('100');
    await page.locator('#cost-false-alarm').fill('1');
    const detail = await text(page, '#cost-cheapest-detail');
    expect(detail.startsWith('at threshold 0.135 (every threshold from 0.000 to 0.270 costs as little; this is the middle): 0 missed attacks, 59 false alarms'), detail);
    expect(detail.includes('That flags every event'), detail);
    // Both prices 0: refused, and the old figures go.
    await page.locator('#cost-missed').fill('0');
    await page.locator('#cost-false-alarm').fill('0');
    const error = await text(page, '#cost-error');
    expect(error === 'both costs are 0: every threshold costs nothing, so none is cheapest; price at least one kind of error', `error: ${error}`);
    expect((await text(page, '#cost-cheapest')) === '' && (await text(page, '#cost-current')) === '', 'the old figures stay');
    expect(await page.locator('#cost-apply').isDisabled(), '"Move the threshold there" still moves it');
    await page.locator('#cost-missed').fill('-5');
    await page.locator('#cost-false-alarm').fill('1');
    expect((await text(page, '#cost-error')).startsWith('costs must be numbers from 0 to 1e12; found -5 for a missed attack'), await text(page, '#cost-error'));
    await page.locator('#cost-missed').fill('100');
    expect(await page.locator('#cost-error').isHidden(), 'the error stays');
  });

  await check('precision and alerts at a prevalence the reader sets', async () => {
    await page.locator('#prevalence').fill('1');
    const result = await text(page, '#prevalence-result');
    // TP 4,331 of 4,335 attacks, FP 1 of 59 benign: at 1% attacks precision is
    // 0.01·0.99908 / (0.01·0.99908 + 0.99·0.01695) = 37.32%, and 10,000/59 = 169 false alarms.
    expect(result.startsWith('With 1% attacks, at threshold 0.308: precision 37.32% (95% CI '), result);
    expect(result.includes('169 false alarms per 10,000 benign events'), result);
    await page.locator('#prevalence').fill('0');
    const error = await text(page, '#prevalence-error');
    expect(error === 'prevalence: expected a share of attacks above 0% and below 100%, found 0%', `error: ${error}`);
    expect((await text(page, '#prevalence-result')) === '', 'the old result stays');
    await page.locator('#prevalence').fill('1');
  });

  await check('a file with the SHA-256 of a training file is said to be training data', async () => {
    const model = JSON.parse(shipped);
    model.provenance.training_data[0].sha256 = createHash('sha256').update(sample).digest('hex');
    await upload('knows-sample.json', JSON.stringify(model), 'application/json');
    await page.getByText('Loaded the model file knows-sample.json').waitFor({ timeout: 10_000 });
    await upload('sample.csv', sample);
    await page.getByText('Evaluated sample.csv').waitFor({ timeout: 20_000 });
    const banner = await text(page, '#shown-banner-text');
    expect(banner.includes('This file is the training file train.csv.gz (same SHA-256): these figures are on training data.'), `banner: ${banner}`);
    await upload('model.json', shipped, 'application/json');
    await page.getByText('Loaded the model file model.json').waitFor({ timeout: 10_000 });
  }, 60_000);
}

/**
 * At phone width: every chart's text is at least 12 CSS pixels, and every table fits its box or
 * scrolls sideways in a box with a scroll cue.
 * @param {object} t
 * @param {(name: string, body: () => Promise<void>, timeoutMs?: number) => Promise<void>} t.check
 * @param {(condition: unknown, message: string) => void} t.expect
 * @param {(options: object) => Promise<{ context: import('playwright-core').BrowserContext, page: import('playwright-core').Page }>} t.open
 */
export async function phoneLayoutChecks({ check, expect, open }) {
  await check('phone: chart text is at least 12 CSS px, and wide tables scroll with a cue', async () => {
    const { context, page } = await open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    try {
      // Every fillText's font size in CSS pixels, per canvas, while every chart is redrawn
      // (the theme toggle redraws them all).
      await page.evaluate(() => {
        window.chartText = {};
        const fill = CanvasRenderingContext2D.prototype.fillText;
        CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
          const px = Number(/(\d+(\.\d+)?)px/.exec(this.font)?.[1] ?? NaN);
          const ratio = this.canvas.width / this.canvas.clientWidth;
          const css = px / ratio;
          const id = this.canvas.id;
          if (String(text).trim()) window.chartText[id] = Math.min(window.chartText[id] ?? Infinity, css);
          return fill.call(this, text, x, y, ...rest);
        };
      });
      await page.locator('#theme-toggle').click();
      await page.waitForTimeout(300);
      await page.locator('#theme-toggle').click();
      await page.waitForTimeout(300);
      const sizes = await page.evaluate(() => window.chartText);
      const charts = Object.keys(sizes);
      expect(charts.length >= 6, `text drawn on ${charts.join(', ')}`);
      const small = Object.entries(sizes).filter(([, px]) => !(px >= 11.99));
      expect(small.length === 0, `chart text under 12 CSS px: ${small.map(([id, px]) => `${id} ${px.toFixed(1)} px`).join(', ')}`);
      const tables = await page.evaluate(() =>
        [...document.querySelectorAll('table')]
          .filter((table) => table.offsetParent !== null)
          .map((table) => {
            const box = table.closest('.table-scroll');
            const style = box ? getComputedStyle(box) : null;
            return {
              id: table.id,
              wide: table.getBoundingClientRect().width > (box ?? table.parentElement).clientWidth + 1,
              scrolls: style !== null && ['auto', 'scroll'].includes(style.overflowX),
              cue: style !== null && style.backgroundImage.includes('gradient'),
              past: table.getBoundingClientRect().right > window.innerWidth + 1 && !box,
            };
          }),
      );
      const bad = tables.filter((t) => t.past || (t.wide && !(t.scrolls && t.cue)));
      expect(tables.length >= 4, `${tables.length} tables shown`);
      expect(bad.length === 0, `tables cut off without a scroll cue: ${bad.map((t) => t.id).join(', ')}`);
      expect(tables.some((t) => t.wide), 'no table is wider than a phone: the check checks nothing');
    } finally {
      await context.close();
    }
  });
}
