import { createRequire } from 'node:module'; const { chromium } = createRequire('/work/main/tools/package.json')('playwright-core');
import { gzipSync } from 'node:zlib';
const browser = await chromium.launch({ executablePath: process.env.CHROME || '/usr/bin/chromium' });
const context = await browser.newContext();
const page = await context.newPage();
const bodies = [];
page.on('response', (r) => { const p = new URL(r.url()).pathname; if (r.ok() && !p.startsWith('/data/')) bodies.push(r.body().then((b) => [p, gzipSync(b, { level: 9 }).length])); });
await page.goto(`http://127.0.0.1:${process.argv[2]}/index.html`);
await page.waitForLoadState('networkidle');
await page.waitForTimeout(1500);
const files = await Promise.all(bodies);
let total = 0; for (const [p, n] of files) { total += n; console.log(n, p); }
console.log('TOTAL', total);
await browser.close();
