// Verdicts on alerts, and verdicts read back (issue 13): an alert marked "attack" stays marked
// after a reload; the download holds its process's events labelled by it, under the file's
// header, with the columns that say where each label came from; after "Forget all", opening the
// download on the page puts the marks back; a malformed verdict CSV is refused with its line and
// column, and the marks stay. run.mjs calls `verdictChecks` with its runner.

import { readFile } from 'node:fs/promises';
import { allKept, forgetAll, restored } from './harness.mjs';

/**
 * @param {object} t what run.mjs shares: its runner and helpers
 * @param {(name: string, body: () => Promise<void>, timeoutMs?: number) => Promise<void>} t.check
 * @param {(condition: unknown, message: string) => void} t.expect
 * @param {(page: import('playwright-core').Page, selector: string) => Promise<string>} t.text
 * @param {(options: object) => Promise<{ context: import('playwright-core').BrowserContext, page: import('playwright-core').Page }>} t.open a new page
 * @param {string} t.events data/sample.csv without its labels
 */
export async function verdictChecks({ check, expect, text, open, events }) {

  await check('an alert marked attack survives a reload, downloads as its process events, comes back from the CSV after Forget all, and a malformed CSV changes nothing', async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    const alert = page.locator('[aria-label="Your verdict on alert #1"]');
    const alertNote = page.locator('[aria-label="Note on alert #1"]');
    const event = (line) => page.locator(`[aria-label="Your verdict on line ${line}"]`);
    const score = async () => {
      await page.locator('#file-input').setInputFiles({ name: 'events.csv', mimeType: 'text/csv', buffer: Buffer.from(events) });
      await page.getByText('Scored events.csv').waitFor({ timeout: 20_000 });
      await alert.waitFor({ timeout: 20_000 });
    };
    /** @param {string} name @param {string} body */
    const drop = (name, body) => page.locator('#file-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(body) });
    try {
      await restored(page);
      await score();
      // Alert #1 is tsm (pid 7555), the attack's payload: every one of its events, by line.
      const title = await text(page, '#alert-title');
      expect(title.startsWith('Alert #1: tsm (7555) on '), `alert #1: ${title}`);
      const applies = await text(page, '#alert-verdict p');
      expect(applies.startsWith("Your verdict on this alert applies to its process's 282 events of tsm (7555) on "), `what the alert's verdict applies to: ${applies}`);
      const source = events.split('\n');
      const host = title.slice('Alert #1: tsm (7555) on '.length);
      const tsm = source.flatMap((row, i) => {
        const cells = row.split(',');
        return cells[1] === '7555' && cells[7] === host ? [i + 1] : [];
      });
      expect(tsm.length === 282 && tsm[0] === 108, `tsm's lines: ${tsm.length} from ${tsm[0]}`);
      await alertNote.fill('the payload');
      await alert.selectOption('attack');
      // An event's own verdict wins over its alert's: the most suspicious event, benign.
      const top = Number(await page.locator('#top-rows tbody th').first().textContent());
      await event(top).selectOption('benign');
      const summary = await text(page, '#verdicts-text');
      expect(summary.startsWith('Your verdicts on this file: 1 attack, 1 benign (1 on events, 1 on alerts).'), `summary: ${summary}`);

      await allKept(page);
      await page.reload();
      await restored(page);
      await score();
      expect((await alert.inputValue()) === 'attack' && (await alertNote.inputValue()) === 'the payload', 'the alert’s verdict is not shown again after a reload');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('Download my verdicts (labelled CSV)').click()]);
      const csv = await readFile(await download.path(), 'utf8');
      const rows = csv.split('\n');
      expect(rows[0] === `${source[0]},sus,verdict_line,verdict,verdict_note,verdict_alert_line,verdict_alert,verdict_alert_note,verdict_file_sha256`, `header: ${rows[0]}`);
      const lines = [...new Set([...tsm, top])].sort((a, b) => a - b);
      expect(rows.length === lines.length + 2 && rows.at(-1) === '', `${rows.length - 2} rows for ${lines.length} lines`);
      const sha256 = rows[1].slice(-64);
      lines.forEach((line, i) => {
        const ours = line === top;
        const alerted = tsm.includes(line);
        const expected =
          `${source[line - 1]},${ours ? 0 : 1},${line},${ours ? 'benign' : ''},,` + (alerted ? '108,attack,the payload' : ',,') + `,${sha256}`;
        expect(rows[i + 1] === expected, `row of line ${line}: ${rows[i + 1]}\nexpected ${expected}`);
      });
      const written = await text(page, '#verdicts [role=status]');
      expect(written === `${lines.length} rows written: 1 labelled by your verdict on the event, ${lines.length - 1} by your verdict on its alert.`, `status: ${written}`);

      // Forget all, then the download opened on the page puts the marks back.
      await forgetAll(page);
      await score();
      expect((await alert.inputValue()) === '' && (await event(top).inputValue()) === '', 'Forget all left verdicts');
      await drop('events-verdicts.csv', csv);
      await page.locator('#data-note', { hasText: 'Restored' }).waitFor({ timeout: 20_000 });
      const note = await text(page, '#data-note');
      expect(note === 'Restored 1 verdict on events and 1 on alerts from events-verdicts.csv on events.csv.', `note: ${note}`);
      expect((await alert.inputValue()) === 'attack' && (await alertNote.inputValue()) === 'the payload', 'the alert’s verdict did not come back');
      expect((await event(top).inputValue()) === 'benign', 'the event’s verdict did not come back');

      // A malformed verdict CSV: the error names line and column; the marks stay.
      const at = rows.findIndex((row) => row.includes(',benign,'));
      const bad = csv.replace(',benign,', ',maybe,');
      await drop('bad-verdicts.csv', bad);
      await page.locator('#data-error', { hasText: 'maybe' }).waitFor({ timeout: 20_000 });
      const error = await text(page, '#data-error');
      const column = source[0].split(',').length + 3;
      expect(
        error.startsWith(`bad-verdicts.csv, line ${at + 1}, column ${column} (verdict): expected "attack", "benign" or nothing, found "maybe"`),
        `error: ${error}`,
      );
      expect((await alert.inputValue()) === 'attack' && (await event(top).inputValue()) === 'benign', 'the malformed file changed the marks');
      await page.reload();
      await restored(page);
      await score();
      expect((await alert.inputValue()) === 'attack' && (await event(top).inputValue()) === 'benign', 'the malformed file changed the kept marks');
    } finally {
      await context.close();
    }
  }, 120_000);

  await check('retrained with verdicts on alerts, the new model in use lists the alerts gone, new and kept and checks each verdict', async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    const alert = (rank) => page.locator(`[aria-label="Your verdict on alert #${rank}"]`);
    try {
      await restored(page);
      await page.locator('#file-input').setInputFiles({ name: 'events.csv', mimeType: 'text/csv', buffer: Buffer.from(events) });
      await page.getByText('Scored events.csv').waitFor({ timeout: 20_000 });
      await alert(1).waitFor({ timeout: 20_000 });
      // tsm, the payload, is an attack; the last alert listed is said benign.
      await alert(1).selectOption('attack');
      const picks = page.locator('#alerts-list .alert-pick');
      const count = await picks.count();
      expect(count === 22, `${count} alerts listed`);
      await picks.nth(count - 1).click();
      await alert(count).selectOption('benign');
      await page.getByRole('button', { name: 'Retrain with my verdicts' }).click();
      await page.locator('#train-file-name', { hasText: 'Training on events-verdicts.csv' }).waitFor({ timeout: 20_000 });
      await page.locator('#train-hidden').fill('8');
      await page.locator('#train-steps').fill('40');
      await page.locator('#train-lr').fill('0.01');
      await page.locator('#train-start').click();
      await page.locator('#train-result').waitFor({ timeout: 60_000 });
      await page.locator('#train-use').click();
      // The file's scores and top events were the previous model's: hidden, and said to be.
      expect(!(await page.locator('#top-rows').isVisible()) && !(await page.getByText('flagged as suspicious at threshold').isVisible()), 'the previous model\'s scores are still shown');
      const stale = await text(page, '#scored-stale');
      expect(stale.startsWith('Its scores were given by the previous model, not the one now in use, so they are hidden.'), `note: ${stale}`);
      await page.locator('#alert-changes-summary').waitFor({ timeout: 30_000 });
      const summary = await text(page, '#alert-changes-summary');
      const found = summary.match(/^events\.csv: 22 alerts under the model that scored it, (\d+) under the model now in use: (\d+) gone, (\d+) new, (\d+) kept\. Of your 2 verdicts, the model now in use agrees with (\d) \(the model that scored the file: (\d)\)\.$/);
      expect(found, `summary: ${summary}`);
      const [after, gone, fresh, kept, agrees, agreed] = found.slice(1).map(Number);
      expect(gone + kept === 22 && fresh + kept === after, `22 before, ${after} after: ${gone} gone, ${fresh} new, ${kept} kept`);
      // Every alert before was raised by the model that scored the file: it agreed with the attack, not the benign.
      expect(agreed === 1, `the model that scored the file agreed with ${agreed}`);
      const rows = await page.locator('#alert-changes tbody tr').allTextContents();
      expect(rows.length === gone + fresh + kept, `${rows.length} rows listed`);
      const checks = await page.locator('#verdict-checks tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
      const tsm = checks.find((c) => c[0].startsWith('the alert of tsm (7555) on ') && c[0].endsWith(' (from line 108)'));
      const other = checks.find((c) => c !== tsm);
      expect(checks.length === 2 && tsm?.[1] === 'attack' && tsm[2] === 'alert raised' && other?.[1] === 'benign' && other[2] === 'alert raised', `checks: ${JSON.stringify(checks)}`);
      const yes = checks.filter((c) => c[4] === 'yes').length;
      expect(yes === agrees, `${yes} rows agree, the summary says ${agrees}`);
    } finally {
      await context.close();
    }
  }, 120_000);
}
