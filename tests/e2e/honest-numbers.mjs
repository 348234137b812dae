// Issue 16's honest numbers on the real page: intervals, the cross-validated figures, the cost
// panel's cheapest range and refusals, the prevalence control and the training-file notice.
// run.mjs calls `honestNumberChecks` with its runner and a page showing the shipped model.

import { createHash } from 'node:crypto';
import { canvasStats } from './harness.mjs';

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
    expect(specificity.includes('98.31%95% CI 91.00–99.70%'), `specificity card: ${specificity}`);
    expect(specificity.includes('Cross-validated: 87.91%95% CI 85.07–90.28%'), `specificity card: ${specificity}`);
    const auc = await card('ROC-AUC');
    expect(auc.includes('0.999295% CI 0.9985–0.9997') && auc.includes('Cross-validated: 0.898895% CI 0.8704–0.9248'), `ROC-AUC card: ${auc}`);
    expect((await text(page, '#intervals-note')).includes('58 of 59 benign events is 98.3%'), 'no explanation of the intervals');
    expect((await text(page, '#cost-current-detail')).includes('false-alarm rate 1.69%, 95% CI 0.30–9.00%'), await text(page, '#cost-current-detail'));
  });

  await check('the comparison, host and seed tables carry 95% intervals from the core', async () => {
    const row = (table, name) => page.locator(`#${table} tbody tr`, { has: page.locator('th', { hasText: new RegExp(`^${name}$`) }) }).textContent();
    // 58 of 59 benign test events for this model (91.00–99.70%), 59 of 59 for the reference
    // recipe (Wilson: 93.89–100.00%).
    const comparison = await row('comparison', 'Specificity');
    expect(comparison.includes('98.31%91.00–99.70%') && comparison.includes('100.00%93.89–100.00%'), `comparison: ${comparison}`);
    expect((await row('comparison', 'ROC-AUC')).includes('0.99920.9985–0.9997'), await row('comparison', 'ROC-AUC'));
    const host = await page.locator('#hosts tbody tr').first().textContent();
    // Recall 4,331 of 4,335: 99.76–99.96%.
    expect(host.includes('99.91%99.76–99.96%') && host.includes('98.31%91.00–99.70%'), `host row: ${host}`);
    const seeds = await row('seed-table', 'Specificity');
    expect(/95% CI \d+\.\d\d–\d+\.\d\d%.*95% CI \d+\.\d\d–100\.00%/.test(seeds), `seed row: ${seeds}`);
  });

  await check('threshold, flagged events and cost stay in view together; "Move the threshold there" moves a visible slider', async () => {
    await stickyThresholdChecks({ page, expect, text });
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

  await check('the ROC and PR charts draw this model on evil beside sus when the rows have evil, and not otherwise', async () => {
    // Pixels of the theme's evil colour (light #BC4C00, dark #F0883E): the dashed line and
    // its legend swatch.
    const orange = async (id) => (await canvasStats(page, id, [[0xbc, 0x4c, 0x00], [0xf0, 0x88, 0x3e]])).matching;
    await page.locator('#threshold-reset').click();
    for (const id of ['chart-roc', 'chart-pr']) expect((await orange(id)) > 100, `#${id}: ${await orange(id)} evil-coloured pixels on the shipped model`);
    // The sample without its evil column: sus curves only.
    const [head, ...rows] = sample.trimEnd().split('\n');
    expect(head.endsWith(',sus,evil'), `sample header: ${head}`);
    const noEvil = [head, ...rows].map((r) => r.slice(0, r.lastIndexOf(','))).join('\n');
    await upload('no-evil.csv', `${noEvil}\n`);
    await page.getByText('Evaluated no-evil.csv').waitFor({ timeout: 20_000 });
    for (const id of ['chart-roc', 'chart-pr']) expect((await orange(id)) < 10, `#${id}: ${await orange(id)} evil-coloured pixels without evil`);
    await page.locator('#show-own').click();
  }, 60_000);

  await check('a report on too few rows of a class says so (the rule is the core\'s)', async () => {
    expect(await page.locator('#few-rows').isHidden(), 'the shipped model is flagged');
    const [head, ...rows] = sample.trimEnd().split('\n');
    // sus is the second-to-last column: 3 benign rows and every suspicious one (331).
    const few = [head, ...rows.filter((r) => r.split(',').at(-2) === '0').slice(0, 3), ...rows.filter((r) => r.split(',').at(-2) === '1')];
    await upload('few.csv', `${few.join('\n')}\n`);
    await page.getByText('Evaluated few.csv').waitFor({ timeout: 20_000 });
    const warning = await text(page, '#few-rows');
    expect(warning === 'Only 3 benign rows in the evaluation data: too few for its figures to mean much.', `warning: ${warning}`);
    // Rows of one class have no importance to measure: the chart's caption says so, and why.
    await upload('attacks.csv', `${[head, ...rows.filter((r) => r.split(',').at(-2) === '1')].join('\n')}\n`);
    await page.getByText('Evaluated attacks.csv').waitFor({ timeout: 20_000 });
    const caption = await text(page, '#importance-caption');
    expect(caption === 'No feature importance for these events: the events are all of one class, so there is no ranking for shuffling to spoil.', `caption: ${caption}`);
    await page.locator('#show-own').click();
    expect(await page.locator('#few-rows').isHidden(), 'the warning stays on the model\'s own rows');
    expect((await text(page, '#importance-caption')).startsWith('How much ROC-AUC drops'), 'the caption keeps the reason on the model\'s own rows');
  }, 60_000);

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
 * The threshold bar sticks while the cost panel scrolls under it: after "Move the threshold
 * there" the slider is in the viewport and shows the cheapest threshold, and the bar's line
 * counts the alerts and the cost; the "Threshold & cost" link brings the bar into view.
 * @param {{ page: import('playwright-core').Page, expect: (condition: unknown, message: string) => void, text: (page: import('playwright-core').Page, selector: string) => Promise<string> }} t
 */
async function stickyThresholdChecks({ page, expect, text }) {
  const inView = (selector) =>
    page.locator(selector).evaluate((node) => {
      const r = node.getBoundingClientRect();
      return r.height > 0 && r.top >= -1 && r.bottom <= window.innerHeight + 1;
    });
  await page.locator('#cost-missed').fill('100');
  await page.locator('#cost-false-alarm').fill('1');
  await page.locator('#cost-apply').scrollIntoViewIfNeeded();
  await page.locator('#cost-apply').click();
  expect(await inView('#threshold'), 'the slider is out of view after "Move the threshold there"');
  expect(await inView('#cost-apply'), 'the button is out of view');
  expect((await page.locator('#threshold').inputValue()) === '0.135', `slider at ${await page.locator('#threshold').inputValue()}`);
  // At 0.135 every event is flagged: 4,331 + 4 attacks and 59 benign, cost 59 false alarms × 1.
  const status = await text(page, '#threshold-status');
  expect(status === '4,394 of 4,394 events flagged (0 missed, 59 false) · cost 59', `bar: ${status}`);
  await page.locator('#threshold-reset').click();
  expect((await text(page, '#threshold-status')) === '4,332 of 4,394 events flagged (4 missed, 1 false) · cost 401', await text(page, '#threshold-status'));
  await page.locator('#event').scrollIntoViewIfNeeded();
  const link = page.locator('nav a[href="#threshold-zone"]');
  if (await link.isVisible()) {
    await link.click();
    // The jump may scroll smoothly: wait for the bar to arrive.
    const arrived = await page
      .waitForFunction(() => {
        const r = document.getElementById('threshold-panel')?.getBoundingClientRect();
        const cards = document.getElementById('cards')?.getBoundingClientRect();
        // The bar at the top and the cards it drives under it, not the bar alone at the zone's end.
        return r !== undefined && r.height > 0 && r.top >= -1 && r.bottom <= window.innerHeight + 1 && cards !== undefined && cards.top < window.innerHeight;
      }, undefined, { timeout: 3_000 })
      .then(() => true, () => false);
    expect(arrived, 'the "Threshold & cost" link does not show the threshold with the cards under it');
  }
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

  await check('phone: the threshold bar stays in view, and the event score while its inputs are typed in', async () => {
    const { context, page } = await open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const text = async (p, selector) => ((await p.locator(selector).textContent()) ?? '').trim();
    try {
      await stickyThresholdChecks({ page, expect, text });
      const inputs = page.locator('#event-form input');
      // The form's code loads as its section comes near the screen.
      await page.locator('#event').scrollIntoViewIfNeeded();
      await inputs.first().waitFor({ timeout: 20_000 });
      expect((await inputs.count()) >= 5, `${await inputs.count()} inputs`);
      for (const index of [0, (await inputs.count()) - 1]) {
        const input = inputs.nth(index);
        await input.scrollIntoViewIfNeeded();
        await input.focus();
        await input.fill('1');
        const score = await page.locator('#event-score').evaluate((node) => {
          const r = node.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, height: window.innerHeight };
        });
        expect(score.top >= -1 && score.bottom <= score.height + 1, `input ${index}: the score is at ${score.top}–${score.bottom} of ${score.height}`);
        const field = await input.evaluate((node) => node.getBoundingClientRect().top);
        expect(field > score.bottom - 1, `input ${index} is under the score box`);
      }
    } finally {
      await context.close();
    }
  });
}
