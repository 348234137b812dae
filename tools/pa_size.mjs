import { chromium } from './node_modules/playwright-core/index.mjs';
import { gzipSync } from 'node:zlib';
const base = process.argv[2];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const context = await browser.newContext();
const page = await context.newPage();
const bodies = [];
page.on('response', (response) => {
  const path = new URL(response.url()).pathname;
  if (response.ok() && !path.startsWith('/data/')) bodies.push(response.body().then((body) => [path, gzipSync(body, { level: 9 }).length]));
});
await page.goto(`${base}/index.html`);
await page.waitForFunction(() => document.documentElement.dataset.restored === 'true');
await page.waitForLoadState('networkidle');
const files = Object.fromEntries(await Promise.all(bodies));
console.log(JSON.stringify(files, null, 1), Object.values(files).reduce((s, n) => s + n, 0));
await browser.close();
