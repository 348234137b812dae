// @ts-check
// Entry point: loads the wasm face and the shipped model, then wires the page's sections.
// All URLs are relative, so the page works from any static host, under any sub-path.

import init, * as wasm from './pkg/cyber_attack_detector.js';
import { $, fmt, focusSection, loadOnce, messageOf, named, showError } from './dom.js';
import { setUpTheme } from './theme.js';
import { ReportView } from './report-view.js';
import { forgetAll, keep, kept, saving } from './saved.js';

const SECTIONS = ['report', 'data', 'train', 'event'];

/**
 * The one current model; views read it from here and replace it through `setReport`.
 * @typedef {object} App
 * @property {typeof wasm} wasm
 * @property {wasm.Report} report
 * @property {import('./types').ModelSource} json the model file, which the worker is given: its
 *   text, or the uploaded file itself (kept, not re-written: writing out a wide model takes
 *   seconds, and reading a large one is the worker's work)
 * @property {string} shippedJson the shipped model file's text: a file with the same text is
 *   the shipped model, shown as such
 * @property {(report: wasm.Report, json: import('./types').ModelSource, options?: { shipped?: boolean, shippedFile?: string }) => void} setReport
 *   adopts `report` once everything about it is shown; when showing it throws, the previous
 *   model stays, shown as it was, and the error is thrown on. `shippedFile`: the name in data/
 *   of the page's model file it came from, whose button then shows pressed
 * @property {(evaluation: import('./types').Evaluation) => void} showEvaluation shows the
 *   model on an uploaded file's evaluation; when that fails, the report stays as it was
 */

/** The shipped model file's text. */
async function fetchShippedModel() {
  const url = new URL('../data/model.json', import.meta.url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`data/model.json: the server answered ${response.status} ${response.statusText}`);
  return response.text();
}

async function main() {
  setUpTheme($('theme-toggle'));
  const status = $('status');
  try {
    await init();
  } catch (error) {
    throw new Error(`Could not load the WebAssembly module (${messageOf(error)}). Serve the page over http, e.g. with "make serve".`);
  }
  const shippedJson = await fetchShippedModel();
  const shipped = wasm.Report.fromOwnJson(shippedJson);

  const reportView = new ReportView();
  const shippedButtons = /** @type {HTMLElement[]} */ ([...document.querySelectorAll('[data-shipped]')]);
  const eventView = eventOnSight();
  // Nothing is kept until what the last visit kept has been put back.
  let keeping = false;
  /** @type {App} */
  const app = {
    wasm,
    report: shipped,
    json: shippedJson,
    shippedJson,
    setReport(report, json, options = {}) {
      const previous = this.report === report ? null : this.report;
      const restore = [reportView.snapshot(), eventView.snapshot()];
      try {
        reportView.show(report, options);
        eventView.show(report, reportView.shown?.info.threshold ?? 0, json);
      } catch (error) {
        if (previous) restore.forEach((back) => back());
        throw error;
      }
      this.report = report;
      this.json = json;
      previous?.free();
      const from = options.shipped ? 'model.json' : options.shippedFile;
      for (const button of shippedButtons) button.setAttribute('aria-pressed', String(button.dataset.shipped === from));
      if (keeping) keep('model', options.shipped ? undefined : json).catch(storageRefused);
      document.dispatchEvent(new Event('model-change'));
    },
    showEvaluation(evaluation) {
      reportView.showEvaluation(evaluation);
    },
  };
  const training = trainOnUse(app);
  // The upload section's code loads with the first file (or a kept model), not with the page.
  const uploading = loadOnce(() =>
    import('./upload-view.js').then(
      ({ UploadView }) =>
        new UploadView(app, (file) => {
          void training().then((view) => view.useFile(file));
          focusSection('train');
        }),
    ),
  );
  /** @param {File} file @param {string} [shippedFile] */
  const open = (file, shippedFile) =>
    uploading()
      .then((view) => view.open(file, shippedFile))
      .catch((error) => showError($('data-error'), messageOf(error), { name: file.name }));
  onFile(open);
  // The models in data/ open as if their files were dropped: checked by the worker, shown whole;
  // the focus goes back to the report, which then describes them.
  for (const button of shippedButtons) {
    const name = button.dataset.shipped ?? '';
    button.addEventListener('click', () =>
      fetch(new URL(`../data/${name}`, import.meta.url))
        .then((response) => (response.ok ? response.blob() : Promise.reject(new Error(`data/${name}: the server answered ${response.status}`))))
        .then((blob) => open(new File([blob], name, { type: 'application/json' }), name))
        .catch((error) => showError($('data-error'), messageOf(error), { name })),
    );
  }

  for (const id of SECTIONS) $(id).hidden = false;
  // The Alerts section shows once a file has been read (alerts-view.js): its link shows with it.
  const alerts = $('alerts');
  new MutationObserver(() => ($('nav-alerts').hidden = alerts.hidden)).observe(alerts, { attributeFilter: ['hidden'] });
  status.hidden = true;
  app.setReport(shipped, shippedJson, { shipped: true });
  document.documentElement.dataset.ready = 'true';
  for (const button of document.querySelectorAll('[data-forget]')) button.addEventListener('click', forget);
  await restore(reportView, uploading);
  keeping = true;
  /** @type {number | undefined} */
  let pending;
  /** Settles the page's "not yet kept" mark with the write, once the settings are written. @type {((written: Promise<unknown>) => void) | null} */
  let written = null;
  // Kept a moment after the last change, not on every step of a moving slider; the page is
  // marked as saving from the first change.
  reportView.onSettings = () => {
    clearTimeout(pending);
    if (!written) saving(new Promise((resolve) => (written = resolve)));
    pending = setTimeout(() => {
      written?.(keep('settings', reportView.settings()).catch(storageRefused));
      written = null;
    }, 300);
  };
  document.documentElement.dataset.restored = 'true';
}

/**
 * The "Score one event" section, whose code (event-view.js, with the explanation's and the
 * worker's) loads when the section comes near the screen, not with the page: until then it
 * remembers the model it is to show.
 * @returns {{ show: (report: wasm.Report, threshold: number, json: import('./types').ModelSource) => void, snapshot: () => () => void }}
 */
function eventOnSight() {
  /** @type {import('./event-view.js').EventView | null} */
  let view = null;
  /** @type {[wasm.Report, number, import('./types').ModelSource] | null} */
  let wanted = null;
  const section = $('event');
  const sight = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      sight.disconnect();
      import('./event-view.js')
        .then(({ EventView }) => {
          view = new EventView();
          if (wanted) view.show(...wanted);
        })
        .catch((error) => showError($('event-error'), messageOf(error)));
    },
    { rootMargin: '400px 0px' },
  );
  sight.observe(section);
  return {
    show(...shown) {
      if (view) view.show(...shown);
      else wanted = shown;
    },
    snapshot() {
      if (view) return view.snapshot();
      const before = wanted;
      return () => {
        wanted = before;
      };
    },
  };
}

/**
 * Hands `open` each file dropped on the drop zone or chosen through it (a button: Enter or Space
 * opens the file picker).
 * @param {(file: File) => void} open
 */
function onFile(open) {
  const zone = $('drop-zone', HTMLButtonElement);
  const input = $('file-input', HTMLInputElement);
  zone.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) open(file);
    input.value = '';
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const file = event.dataTransfer?.files?.[0];
    if (file) open(file);
  });
}

/**
 * The training section's code, loaded when the section is first used (focused, touched or given
 * a file), not with the page: most visits never train. A form sent before it arrived is trained
 * on once it has.
 * @param {App} app
 */
function trainOnUse(app) {
  let loaded = false;
  const training = loadOnce(() =>
    import('./train-view.js').then(({ TrainView }) => {
      loaded = true;
      return new TrainView(app);
    }),
  );
  const section = $('train');
  for (const type of ['focusin', 'pointerdown', 'change']) section.addEventListener(type, () => void training(), { capture: true });
  $('train-form').addEventListener('submit', (event) => {
    if (loaded) return;
    event.preventDefault();
    void training().then((view) => view.train());
  });
  return training;
}

/**
 * Puts back the model and settings kept at the last visit. A kept model goes through the same
 * check as an uploaded one; one that no longer loads (a file from an older version of the page)
 * is dropped, with its settings, and the shipped model stays.
 * @param {ReportView} reportView
 * @param {() => Promise<import('./upload-view.js').UploadView>} uploading
 */
async function restore(reportView, uploading) {
  let model, settings;
  try {
    [model, settings] = await Promise.all([kept('model'), kept('settings')]);
  } catch {
    storageRefused();
    return;
  }
  const restored = [];
  if (typeof model === 'string' || model instanceof Blob) {
    const file = model instanceof File ? model : new File([model], 'the model you trained.json', { type: 'application/json' });
    if (!(await (await uploading()).loadModel(file, undefined, false))) {
      await Promise.all([keep('model', undefined), keep('settings', undefined)]).catch(storageRefused);
      return;
    }
    restored.push('the model ', named(file.name));
  }
  if (isSettings(settings)) {
    reportView.applySettings(settings);
    restored.push(`${restored.length ? ', ' : ''}threshold ${fmt.threshold(reportView.threshold)} and your prices`);
  }
  if (!restored.length) return;
  $('restored-text').replaceChildren('Restored from your last visit: ', ...restored, '. They are kept in this browser only.');
  $('restored').hidden = false;
}

/** @param {unknown} s @returns {s is import('./types').Settings} */
function isSettings(s) {
  const text = (/** @type {unknown} */ v) => typeof v === 'string' && v.length <= 40;
  return (
    typeof s === 'object' && s !== null && 'threshold' in s && typeof s.threshold === 'number' && Number.isFinite(s.threshold) &&
    'missed' in s && text(s.missed) && 'false_alarm' in s && text(s.false_alarm) && 'prevalence' in s && text(s.prevalence)
  );
}

/** Clears everything kept and opens the page afresh: the shipped model, default settings. */
async function forget() {
  await forgetAll().catch(storageRefused);
  location.reload();
}

/** Storage refused (a private window, a full disk): the page works on, and says so once. */
function storageRefused() {
  const note = $('storage-note');
  note.hidden = false;
}

main().catch((error) => {
  const status = $('status');
  status.textContent = messageOf(error);
  status.classList.add('failed');
  document.documentElement.dataset.ready = 'failed';
});
