// Drives headless Firefox (Debian's firefox-esr, over WebDriver BiDi by puppeteer-core, as
// tests/e2e/driver.mjs does) over the bench page: our scoring and CSV parsing
// (bench/page/ours.js), for the figures beside Chromium's (bench/drive.mjs).
// Usage: node bench/drive-firefox.mjs <base URL of the repository root> <output JSON>
// Writes {browser, bench: {scoring: {rows, ours_ms}, parsing: {rows, bytes, ours_ms}}}.

import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, output] = process.argv.slice(2);
const root = fileURLToPath(new URL('..', import.meta.url));
const puppeteer = createRequire(path.join(root, 'tools/package.json'))('puppeteer-core');

const browser = await puppeteer.launch({ browser: 'firefox', executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr', headless: true });
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`[bench page, Firefox] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[bench page, Firefox] error: ${e.message}`));
  await page.goto(`${base}/bench/page/index.html`);
  const bench = await page.evaluate(async () => (await import(new URL('ours.js', location.href).href)).benchOurs());
  writeFileSync(output, `${JSON.stringify({ browser: `Firefox ESR ${(await browser.version()).replace(/^firefox\//i, '')}`, bench }, null, 2)}\n`);
} finally {
  await browser.close();
}
