// The browsers of the e2e run behind one interface: Chromium through playwright-core, as before,
// and Firefox (Debian's firefox-esr) through puppeteer-core over WebDriver BiDi, wrapped below in
// the part of playwright's API that run.mjs and its modules use (contexts, locators, getByText and
// getByRole, setInputFiles, downloads, the file chooser), so that one suite runs in both engines.
// playwright-core cannot drive Firefox ESR (it needs BiDi commands ESR lacks), and puppeteer
// cannot emulate the dark colour scheme in Firefox: a context asking for it gets a browser of its
// own, started with Firefox's content colour-scheme preference set to dark.

import { createRequire } from 'node:module';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tools = createRequire(path.join(root, 'tools/package.json'));

/**
 * Starts `engine` ('chromium' or 'firefox') headless, every request through the HTTP proxy at
 * `proxy` (a URL), and returns a browser with playwright's `newContext` and `close`.
 */
export async function launch(engine, proxy) {
  if (engine === 'chromium') {
    return tools('playwright-core').chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      proxy: { server: proxy },
    });
  }
  if (engine !== 'firefox') throw new Error(`unknown engine ${engine}: chromium or firefox`);
  const { hostname, port } = new URL(proxy);
  const prefs = {
    'network.proxy.type': 1,
    'network.proxy.http': hostname,
    'network.proxy.http_port': Number(port),
    'network.proxy.ssl': hostname,
    'network.proxy.ssl_port': Number(port),
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
  };
  const start = (extra = {}) =>
    tools('puppeteer-core').launch({
      browser: 'firefox',
      executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
      headless: true,
      extraPrefsFirefox: { ...prefs, ...extra },
    });
  const browser = await start();
  return {
    async newContext(options = {}) {
      // 0: dark (layout.css.prefers-color-scheme.content-override).
      const own = options.colorScheme === 'dark' ? await start({ 'layout.css.prefers-color-scheme.content-override': 0 }) : undefined;
      const context = await (own ?? browser).createBrowserContext();
      return new Context(context, options, own);
    },
    close: () => browser.close(),
  };
}

class Context {
  constructor(context, options, own) {
    this.context = context;
    this.options = options;
    this.own = own;
    this.scripts = [];
    this.requestListeners = [];
  }

  addInitScript(script) {
    this.scripts.push(script);
  }

  on(event, listener) {
    if (event !== 'request') throw new Error(`context.on('${event}') is not wrapped`);
    this.requestListeners.push(listener);
  }

  async newPage() {
    const page = await this.context.newPage();
    const { viewport = { width: 1280, height: 720 }, deviceScaleFactor = 1, isMobile = false, hasTouch = false } = this.options;
    await page.setViewport({ ...viewport, deviceScaleFactor, isMobile, hasTouch });
    await page.evaluateOnNewDocument(recordBlobs);
    for (const script of this.scripts) await page.evaluateOnNewDocument(script);
    page.on('request', (request) => this.requestListeners.forEach((listener) => listener(request)));
    return new Page(page);
  }

  async close() {
    await this.context.close();
    await this.own?.close();
  }
}

/**
 * Runs in the page before its scripts: remembers the blob of every object URL, so that a caught
 * download can be read (Firefox holds `fetch` of a blob: URL to the page's connect-src 'self').
 */
function recordBlobs() {
  const create = URL.createObjectURL;
  const blobs = new Map();
  Object.defineProperty(window, '__e2eBlobs', { value: blobs });
  URL.createObjectURL = function (object) {
    const url = create.call(URL, object);
    blobs.set(url, object);
    return url;
  };
}

// --- locators -----------------------------------------------------------------------------------

/**
 * Runs in the page: the elements a locator's steps find. A step is { css, hasText, has },
 * { role, name } or { text, exact }, optionally with nth; each searches within the elements of
 * the step before (`has`: steps that must find something within the element). Texts match as
 * playwright's do: trimmed, whitespace collapsed, a case-insensitive substring unless exact, or
 * a regular expression ({ source, flags }).
 */
function resolve(steps, start = [document]) {
  const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
  const matches = (value, wanted, exact) =>
    typeof wanted === 'object'
      ? new RegExp(wanted.source, wanted.flags).test(norm(value))
      : exact
        ? norm(value) === wanted
        : norm(value).toLowerCase().includes(norm(wanted).toLowerCase());
  const shown = (e) => !e.closest('[hidden], [aria-hidden="true"]') && e.getClientRects().length > 0;
  const roles = { button: 'button, [role="button"], input[type="button"], input[type="submit"]', link: 'a[href], [role="link"]' };
  let scope = start;
  for (const step of steps) {
    let found = [];
    for (const within of scope) {
      let candidates;
      if (step.css !== undefined) {
        candidates = [...within.querySelectorAll(step.css)];
        if (step.hasText !== undefined) candidates = candidates.filter((e) => matches(e.textContent, step.hasText, false));
        if (step.has !== undefined) candidates = candidates.filter((e) => resolve(step.has, [e]).length > 0);
      } else if (step.role !== undefined) {
        candidates = [...within.querySelectorAll(roles[step.role] ?? `[role="${step.role}"]`)].filter(
          (e) => shown(e) && matches(e.getAttribute('aria-label') ?? e.textContent, step.name, step.exact),
        );
      } else {
        // The innermost elements whose text matches.
        const all = [...within.querySelectorAll('body *')].filter((e) => !['SCRIPT', 'STYLE'].includes(e.tagName) && matches(e.textContent, step.text, step.exact));
        candidates = all.filter((e) => ![...e.children].some((child) => matches(child.textContent, step.text, step.exact)));
      }
      found.push(...candidates);
    }
    if (step.nth !== undefined) found = [found.at(step.nth)].filter(Boolean);
    scope = found;
  }
  return scope;
}

/** Whether `e` is visible as playwright means it: a non-empty box, and not visibility: hidden. */
function visible(e) {
  const box = e.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(e).visibility !== 'hidden';
}

class Locator {
  constructor(page, steps) {
    this.page = page;
    this.steps = steps;
  }

  /** Source of an expression applying `fn` to (the matched elements, ...args). */
  expression(fn, ...args) {
    const list = `(${resolve})(${JSON.stringify(this.steps)})`;
    return `(${fn})(${list}, ${args.map((a) => JSON.stringify(a) ?? 'undefined').join(', ')})`;
  }

  run(fn, ...args) {
    return this.page.raw.evaluate(`(() => { const visible = ${visible}; return ${this.expression(fn, ...args)}; })()`);
  }

  locator(css, options = {}) {
    const text = options.hasText instanceof RegExp ? { source: options.hasText.source, flags: options.hasText.flags } : options.hasText;
    return new Locator(this.page, [...this.steps, { css, hasText: text, has: options.has?.steps }]);
  }

  nth(index) {
    const steps = [...this.steps];
    steps[steps.length - 1] = { ...steps.at(-1), nth: index };
    return new Locator(this.page, steps);
  }

  first() {
    return this.nth(0);
  }

  last() {
    return this.nth(-1);
  }

  /**
   * Waits for the first match to be in `state`: visible (the default), hidden, attached, detached,
   * or enabled (visible and not disabled: what playwright waits for before a click).
   */
  async waitFor({ state = 'visible', timeout = 30_000 } = {}) {
    const test = {
      visible: '(els) => els.length > 0 && visible(els[0])',
      enabled: '(els) => els.length > 0 && visible(els[0]) && !els[0].disabled',
      hidden: '(els) => els.length === 0 || !visible(els[0])',
      attached: '(els) => els.length > 0',
      detached: '(els) => els.length === 0',
    }[state];
    const list = `(${resolve})(${JSON.stringify(this.steps)})`;
    try {
      await this.page.raw.waitForFunction(`(() => { const visible = ${visible}; return (${test})(${list}); })()`, { timeout, polling: 100 });
    } catch (error) {
      throw new Error(`${JSON.stringify(this.steps)} not ${state} in ${timeout} ms: ${error.message.split('\n')[0]}`);
    }
  }

  /** The first match as a puppeteer element handle, once it is in `state`. */
  async handle(state = 'visible', timeout = 30_000) {
    await this.waitFor({ state, timeout });
    const handle = await this.page.raw.evaluateHandle(`(${resolve})(${JSON.stringify(this.steps)})[0]`);
    return handle.asElement();
  }

  count() {
    return this.run((els) => els.length);
  }

  async textContent() {
    await this.waitFor({ state: 'attached' });
    return this.run((els) => els[0].textContent);
  }

  allTextContents() {
    return this.run((els) => els.map((e) => e.textContent));
  }

  async getAttribute(name) {
    await this.waitFor({ state: 'attached' });
    return this.run((els, n) => els[0].getAttribute(n), name);
  }

  async inputValue() {
    await this.waitFor({ state: 'attached' });
    return this.run((els) => els[0].value);
  }

  isVisible() {
    return this.run((els) => els.length > 0 && visible(els[0]));
  }

  async isHidden() {
    return !(await this.isVisible());
  }

  async isEnabled() {
    await this.waitFor({ state: 'attached' });
    return this.run((els) => !els[0].disabled);
  }

  async isDisabled() {
    return !(await this.isEnabled());
  }

  async evaluate(fn, arg) {
    await this.waitFor({ state: 'attached' });
    return this.run(`(els, a) => (${fn})(els[0], a)`, arg);
  }

  evaluateAll(fn, arg) {
    return this.run(`(els, a) => (${fn})(els, a)`, arg);
  }

  /**
   * As playwright's click: once the element is enabled, scrolled into view at once (the page
   * scrolls smoothly, which would move it under the pointer) and still for a frame.
   */
  async click(options = {}) {
    const handle = await this.handle('enabled', options.timeout);
    await handle.evaluate(
      (e) =>
        new Promise((resolve) => {
          e.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
          let before = '';
          const still = (frames) => {
            const r = e.getBoundingClientRect();
            const now = `${r.x},${r.y},${r.width},${r.height}`;
            if (now === before || frames > 30) resolve(undefined);
            else {
              before = now;
              requestAnimationFrame(() => still(frames + 1));
            }
          };
          requestAnimationFrame(() => still(0));
        }),
    );
    await handle.click();
  }

  async focus() {
    await this.waitFor({ state: 'attached' });
    await this.run((els) => els[0].focus());
  }

  async scrollIntoViewIfNeeded() {
    await this.waitFor({ state: 'attached' });
    await this.run((els) => els[0].scrollIntoView({ block: 'center' }));
  }

  /** As playwright's fill: focus, the value set, then input and change events. */
  async fill(value) {
    await this.waitFor({ state: 'visible' });
    await this.run(
      (els, v) => {
        const e = els[0];
        e.focus();
        e.value = v;
        e.dispatchEvent(new Event('input', { bubbles: true }));
        e.dispatchEvent(new Event('change', { bubbles: true }));
      },
      value,
    );
  }

  async selectOption(value) {
    await this.fill(value);
  }

  /** Focus, then every key in one input action (one round trip, as the keys' spacing matters). */
  async pressSequentially(text, options = {}) {
    await this.waitFor({ state: 'visible' });
    await this.run((els) => els[0] === document.activeElement || els[0].focus());
    await this.page.raw.keyboard.type(text, { delay: options.delay });
  }

  async screenshot(options) {
    await (await this.handle()).screenshot(options);
  }

  /** `files`: a path, { name, mimeType, buffer }, or a list of them (empty clears the input). */
  async setInputFiles(files) {
    const paths = [];
    for (const file of [files].flat()) {
      if (typeof file === 'string') paths.push(file);
      else {
        // A directory of its own, so that the name is the file's and a second upload of the
        // same name is a new file.
        const dir = await mkdtemp(path.join(os.tmpdir(), 'cad-e2e-'));
        await writeFile(path.join(dir, file.name), file.buffer);
        paths.push(path.join(dir, file.name));
      }
    }
    await (await this.handle('attached')).uploadFile(...paths);
  }
}

// --- pages --------------------------------------------------------------------------------------

/** A download caught in the page: the anchor's name and its blob's bytes. */
class Download {
  constructor(name, bytes) {
    this.name = name;
    this.bytes = bytes;
  }

  suggestedFilename() {
    return this.name;
  }

  async path() {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cad-e2e-download-'));
    const file = path.join(dir, this.name);
    await writeFile(file, this.bytes);
    return file;
  }
}

class Page {
  constructor(raw) {
    this.raw = raw;
    // BiDi knows the space bar by its character only.
    this.keyboard = { press: (key) => raw.keyboard.press(key === 'Space' ? ' ' : key) };
  }

  locator(css, options) {
    return new Locator(this, []).locator(css, options);
  }

  getByText(text, options = {}) {
    return new Locator(this, [{ text, exact: options.exact ?? false }]);
  }

  getByRole(role, options = {}) {
    return new Locator(this, [{ role, name: options.name ?? '', exact: options.exact ?? false }]);
  }

  on(event, listener) {
    this.raw.on(event, listener);
  }

  goto(url) {
    return this.raw.goto(url);
  }

  reload() {
    return this.raw.reload();
  }

  evaluate(fn, arg) {
    return this.raw.evaluate(fn, arg);
  }

  waitForFunction(fn, arg, options = {}) {
    return this.raw.waitForFunction(fn, { timeout: options.timeout ?? 30_000, polling: 100 }, arg);
  }

  waitForTimeout(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  screenshot(options) {
    return this.raw.screenshot(options);
  }

  /** Firefox's BiDi gives no access to a page's workers. */
  workers() {
    return [];
  }

  /**
   * 'filechooser', or 'download': the next click on a download link is caught before the browser
   * acts on it, and its blob read (the page offers every download as an `<a download>` of a blob).
   */
  async waitForEvent(event, options = {}) {
    const timeout = options.timeout ?? 30_000;
    if (event === 'filechooser') return this.raw.waitForFileChooser({ timeout });
    if (event !== 'download') throw new Error(`waitForEvent('${event}') is not wrapped`);
    // Sent before the click that the caller sends next, so it is in place first.
    const caught = this.raw.evaluate(
      (ms) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no download in ${ms} ms`)), ms);
          const listener = (e) => {
            const a = e.target instanceof Element ? e.target.closest('a[download]') : null;
            if (!a) return;
            e.preventDefault();
            document.removeEventListener('click', listener, true);
            clearTimeout(timer);
            const blob = window.__e2eBlobs.get(a.href);
            if (!blob) reject(new Error(`the download ${a.download} is not a blob of this page: ${a.href}`));
            const reader = new FileReader();
            reader.onload = () => resolve({ name: a.download, data: String(reader.result).split(',')[1] ?? '' });
            reader.onerror = () => reject(reader.error);
            reader.readAsDataURL(blob);
          };
          document.addEventListener('click', listener, true);
        }),
      timeout,
    );
    const { name, data } = await caught;
    return new Download(name, Buffer.from(data, 'base64'));
  }
}
