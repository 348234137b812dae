// @ts-check
// Entry point: loads the wasm face and the shipped model, then wires the page's sections.
// All URLs are relative, so the page works from any static host, under any sub-path.

import init, * as wasm from './pkg/cyber_attack_detector.js';
import { $, messageOf } from './dom.js';
import { setUpTheme } from './theme.js';
import { ReportView } from './report-view.js';
import { EventView } from './event-view.js';
import { UploadView } from './upload-view.js';
import { TrainView } from './train-view.js';

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
 * @property {(report: wasm.Report, json: import('./types').ModelSource, options?: { shipped?: boolean }) => void} setReport
 *   adopts `report` once everything about it is shown; when showing it throws, the previous
 *   model stays, shown as it was, and the error is thrown on
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
  const shipped = wasm.Report.fromJson(shippedJson);

  const reportView = new ReportView();
  const eventView = new EventView();
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
    },
    showEvaluation(evaluation) {
      reportView.showEvaluation(evaluation);
    },
  };
  const trainView = new TrainView(app);
  new UploadView(app, (file) => {
    trainView.useFile(file);
    $('train').scrollIntoView();
  });

  for (const id of SECTIONS) $(id).hidden = false;
  status.hidden = true;
  app.setReport(shipped, shippedJson, { shipped: true });
  document.documentElement.dataset.ready = 'true';
}

main().catch((error) => {
  const status = $('status');
  status.textContent = messageOf(error);
  status.classList.add('failed');
  document.documentElement.dataset.ready = 'failed';
});
