// @ts-check
// Train a model in the browser: settings form, the worker's live loss and progress, and the
// new model beside the current one, to use or download.

import { $, downloadLink, fmt, messageOf, named, perFrame, showError } from './dom.js';
import { Cancelled, JobView, Jobs } from './jobs.js';
import { paintCanvas } from './canvas.js';
import { isDark, onThemeChange } from './theme.js';
import { fillComparison } from './report-view.js';

/** @typedef {import('./pkg/cyber_attack_detector.js').Report} Report */
/** @typedef {import('./types').FeatureSet} FeatureSet */

export class TrainView {
  /** @param {import('./app.js').App} app */
  constructor(app) {
    this.app = app;
    this.wasm = app.wasm;
    /** @type {File | null} */
    this.file = null;
    /** @type {number[]} */
    this.loss = [];
    /** The model just trained and its model file, until it is used or replaced. @type {{ report: Report, json: string } | null} */
    this.candidate = null;
    this.jobs = new Jobs();
    this.job = new JobView($('train-job'), $('train-progress', HTMLProgressElement), $('train-progress-text'), $('train-cancel'), () => this.jobs.cancel());
    this.drawLoss = perFrame(() =>
      paintCanvas($('train-loss', HTMLCanvasElement), () => this.wasm.drawLoss('train-loss', Float32Array.from(this.loss), isDark())),
    );
    const picker = $('train-file', HTMLInputElement);
    picker.addEventListener('change', () => this.useFile(picker.files?.[0] ?? null));
    $('train-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.train();
    });
    $('train-use').addEventListener('click', () => this.adopt());
    onThemeChange(() => {
      if (this.loss.length > 0) this.drawLoss();
      if (this.candidate) this.drawCandidate();
    });
  }

  /**
   * Trains on `file` (a labelled file evaluated above, or the one picked here).
   * @param {File | null} file
   */
  useFile(file) {
    this.file = file;
    $('train-file-name').replaceChildren(...(file ? ['Training on ', named(file.name), ` (${fmt.bytes(file.size)})`] : []));
  }

  /** @returns {import('./types').TrainRequest} */
  request() {
    const number = (/** @type {string} */ id) => Number($(id, HTMLInputElement).value);
    const hidden = $('train-hidden', HTMLInputElement)
      .value.split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    return {
      // One of index.html's options; the face refuses any other name.
      features: /** @type {FeatureSet} */ ($('train-features', HTMLSelectElement).value),
      hidden: hidden.every((w) => Number.isInteger(w) && w >= 0) ? hidden : [],
      learning_rate: number('train-lr'),
      steps: Math.round(number('train-steps')),
      seed: Math.max(0, Math.round(number('train-seed'))),
      holdout: number('train-holdout'),
    };
  }

  async train() {
    const error = $('train-error');
    showError(error, '');
    if (!this.file) {
      showError(error, 'Choose a labelled training file first.');
      return;
    }
    if (this.jobs.busy) return;
    const evaluationFile = $('train-eval-file', HTMLInputElement).files?.[0];
    const start = $('train-start', HTMLButtonElement);
    start.disabled = true;
    $('train-result').hidden = true;
    $('train-live').hidden = false;
    this.loss = [];
    this.job.start('Reading ', named(this.file.name), '…');
    try {
      const result = await this.jobs.run(
        {
          kind: 'train',
          file: this.file,
          name: this.file.name,
          evaluation_file: evaluationFile,
          evaluation_name: evaluationFile?.name,
          model: this.app.json,
          request: this.request(),
        },
        (p) => this.progress(p),
      );
      this.show(this.wasm.Report.fromJson(result.model), result.model, result.onnx);
    } catch (e) {
      if (!(e instanceof Cancelled)) showError(error, messageOf(e));
    } finally {
      this.job.stop();
      start.disabled = false;
    }
  }

  /** @param {import('./types').Progress} p */
  progress(p) {
    if (p.phase === 'reading') {
      this.job.update(p.total > 0 ? p.done / p.total : 1, `Reading: ${fmt.bytes(p.done)} of ${fmt.bytes(p.total)} · ${fmt.int(p.rows)} events`);
    } else if (p.phase === 'training') {
      const last = p.loss?.[p.loss.length - 1];
      this.job.update(p.done / p.total, `Step ${fmt.int(p.done)} of ${fmt.int(p.total)} · loss ${fmt.dec(last ?? NaN)} · ${fmt.int(p.rows)} training events`);
      if (p.loss) this.loss.push(...p.loss);
      this.drawLoss();
    } else if (p.phase === 'validating') {
      this.job.update(p.done / p.total, `Choosing the threshold by cross-validation: step ${fmt.int(p.done)} of ${fmt.int(p.total)}`);
    } else {
      this.job.update(1, 'Evaluating on the held-out events…');
    }
  }

  /**
   * @param {Report} candidate the trained model
   * @param {string} json its model file
   * @param {Blob} onnx its ONNX export
   */
  show(candidate, json, onnx) {
    this.candidate?.report.free();
    this.candidate = { report: candidate, json };
    const info = candidate.info();
    // A trained model is always evaluated, on the held-out rows or the second file.
    const source = info.shown?.source ?? 'no rows';
    $('train-summary').replaceChildren(
      named(fmt.sentence(info.provenance.protocol)),
      `. Threshold ${fmt.threshold(info.threshold)} (`,
      named(info.threshold_rule),
      '). On ',
      named(source),
      `: ROC-AUC ${fmt.dec(info.comparison[0].summary.roc_auc)}.`,
    );
    fillComparison($('train-comparison', HTMLTableElement), info);
    const link = $('train-download', HTMLAnchorElement);
    downloadLink(link, new Blob([json], { type: 'application/json' }), 'model.json');
    downloadLink($('train-onnx', HTMLAnchorElement), onnx, 'model.onnx');
    $('train-result').hidden = false;
    this.drawCandidate();
  }

  drawCandidate() {
    const canvas = $('train-roc', HTMLCanvasElement);
    paintCanvas(canvas, () => {
      const report = this.candidate?.report;
      report?.draw('roc', canvas.id, report.info().threshold, isDark());
    });
  }

  adopt() {
    const candidate = this.candidate;
    if (!candidate) return;
    try {
      this.app.setReport(candidate.report, candidate.json);
    } catch (error) {
      // The candidate stays on offer (to download); the current model stays in use.
      showError($('train-error'), messageOf(error), { note: 'The current model is still in use.' });
      return;
    }
    this.candidate = null;
    $('train-result').hidden = true;
    $('report').scrollIntoView();
  }
}
