// @ts-check
// Train a model in the browser: settings form, the worker's live loss and progress, and the
// new model beside the current one, to use or download.

import { $, downloadLink, el, fmt, focusSection, messageOf, named, perFrame, showError } from './dom.js';
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
    // A file picked before this code arrived (its arrival was started by the picking).
    if (picker.files?.[0]) this.useFile(picker.files[0]);
    $('train-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.train();
    });
    $('train-use').addEventListener('click', () => this.adopt());
    /** The training rows' scores of the anomaly model just fitted, for its chart. @type {{ histogram: import('./types').Histogram, threshold: number } | null} */
    this.scores = null;
    $('train-form').addEventListener('change', () => this.showKind());
    this.showKind();
    onThemeChange(() => {
      if (this.loss.length > 0) this.drawLoss();
      if (this.candidate) this.drawCandidate();
    });
  }

  /** Whether the form asks for an anomaly model. */
  get anomaly() {
    return $('train-anomaly', HTMLInputElement).checked;
  }

  /** Shows the form's fields for the kind of model chosen. */
  showKind() {
    for (const field of $('train-form').querySelectorAll('.supervised')) field.toggleAttribute('hidden', this.anomaly);
    for (const field of $('train-form').querySelectorAll('.anomaly')) field.toggleAttribute('hidden', !this.anomaly);
  }

  /**
   * Trains on `file` (a labelled file evaluated above, or the one picked here).
   * @param {File | null} file
   */
  useFile(file) {
    this.file = file;
    // The picker shows the file too when it came from elsewhere (the upload section).
    const picker = $('train-file', HTMLInputElement);
    if (file && picker.files?.[0] !== file) {
      const chosen = new DataTransfer();
      chosen.items.add(file);
      picker.files = chosen.files;
    }
    $('train-file-name').replaceChildren(...(file ? ['Training on ', named(file.name), ` (${fmt.bytes(file.size)})`] : []));
  }

  /**
   * The form's settings; throws, naming the field and what it holds, when a field that must be
   * a whole number (or a list of them) holds anything else. The ranges are the worker's to check
   * (before it reads the file).
   * @returns {import('./types').TrainRequest | import('./types').AnomalyRequest}
   */
  request() {
    const value = (/** @type {string} */ id) => $(id, HTMLInputElement).value.trim();
    /**
     * The whole number in the field `id`; the message names the field's range (its `min` and
     * `max`, which the worker checks again), so that a fraction is not refused as out of a
     * range that 0 is then refused from too.
     * @param {string} name @param {string} id
     */
    const whole = (name, id) => {
      const { min, max } = $(id, HTMLInputElement);
      const text = value(id);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
        throw new Error(`${name}: expected a whole number ${max ? `from ${min} to ${max}` : '(0, 1, 2, …)'}, found "${text}"`);
      }
      return Number(text);
    };
    if (this.anomaly) {
      return { alerts_per_10k: Number(value('train-budget') || NaN), seed: whole('Seed', 'train-seed'), holdout: Number(value('train-holdout') || NaN) };
    }
    const hiddenText = value('train-hidden');
    const hidden = hiddenText.split(/[\s,]+/).filter(Boolean);
    if (hidden.length === 0 || !hidden.every((w) => /^\d+$/.test(w))) {
      throw new Error(`Hidden layers: expected widths as whole numbers separated by commas, found "${hiddenText}"`);
    }
    return {
      // One of index.html's options; the face refuses any other name.
      features: /** @type {FeatureSet} */ ($('train-features', HTMLSelectElement).value),
      hidden: hidden.map(Number),
      learning_rate: Number(value('train-lr') || NaN),
      steps: whole('Steps', 'train-steps'),
      seed: whole('Seed', 'train-seed'),
      holdout: Number(value('train-holdout') || NaN),
    };
  }

  async train() {
    const error = $('train-error');
    showError(error, '');
    if (!this.file) {
      showError(error, this.anomaly ? 'Choose a training file first.' : 'Choose a labelled training file first.');
      return;
    }
    if (this.jobs.busy) return;
    /** @type {import('./types').TrainRequest | import('./types').AnomalyRequest} */
    let request;
    try {
      request = this.request();
    } catch (e) {
      // Nothing started: the previous result and its loss chart stay as they were.
      showError(error, messageOf(e));
      return;
    }
    const evaluationFile = $('train-eval-file', HTMLInputElement).files?.[0];
    const start = $('train-start', HTMLButtonElement);
    // The button is disabled while training runs: the focus it held goes to the progress text,
    // and from there (if it is still there) to what the training ended in.
    const text = $('train-progress-text');
    const focused = document.activeElement === start;
    start.disabled = true;
    $('train-live').hidden = false;
    this.loss = [];
    this.drawLoss();
    const file = this.file;
    this.job.start('Reading ', named(file.name), '…');
    if (focused) text.focus();
    let trained = false;
    try {
      if ('alerts_per_10k' in request) {
        $('train-live').hidden = true;
        await this.trainAnomaly(file, request);
        trained = true;
        return;
      }
      const result = await this.jobs.run(
        {
          kind: 'train',
          file,
          name: file.name,
          evaluation_file: evaluationFile,
          evaluation_name: evaluationFile?.name,
          model: this.app.json,
          request,
        },
        (p) => this.progress(p),
      );
      this.show(this.wasm.Report.fromOwnJson(result.model), result.model, result.onnx, downloadName(file.name, /** @type {import('./types').TrainRequest} */ (request)));
      trained = true;
    } catch (e) {
      // The previous result, if any, stays on offer.
      if (!(e instanceof Cancelled)) showError(error, messageOf(e), { note: this.candidate ? 'The previous result below is unchanged.' : undefined });
      $('train-live').hidden = this.loss.length === 0;
    } finally {
      // Still on the progress text or the Cancel button (both about to hide), or already lost.
      const here = document.activeElement;
      const lost = !here || here === document.body || $('train-job').contains(here);
      this.job.stop();
      start.disabled = false;
      if (lost) (trained ? $('train-result-title') : start).focus();
    }
  }

  /**
   * Fits an anomaly model on `file` in the worker, which then scores `file` with it.
   * @param {File} file
   * @param {import('./types').AnomalyRequest} request
   */
  async trainAnomaly(file, request) {
    let fitted = false;
    const result = await this.jobs.run({ kind: 'train-anomaly', file, name: file.name, request }, (p) => {
      if (p.phase === 'training') {
        fitted = p.finished;
        this.job.update(p.done, `Fitting the anomaly model on ${fmt.int(p.rows)} events…`);
      } else if (fitted) {
        this.job.update(p.total > 0 ? p.done / p.total : 1, `Scoring ${file.name} with the new model: ${fmt.bytes(p.done)} of ${fmt.bytes(p.total)} · ${fmt.int(p.rows)} events`);
      } else this.progress(p);
    });
    const { trained, checked, outcome } = result;
    const report = this.wasm.Report.fromDigest(checked.json, checked.parameters);
    const base = file.name.replace(/\.(csv|jsonl?)(\.gz)?$/i, '').replace(/[^\w.-]+/g, '_').slice(0, 60) || 'data';
    const name = `anomaly-${base}-budget${request.alerts_per_10k}-seed${request.seed}.json`;
    this.scores = { histogram: trained.histogram, threshold: trained.threshold };
    this.show(report, trained.model, result.onnx, name);
    const info = report.info();
    // A labelled file is evaluated: its flagged rows are the evaluation's at the model's threshold.
    // (A verdict CSV is read as marks by a score job, not scored: it has no alerts to count.)
    if (outcome.kind === 'verdicts') throw new Error(`${file.name} is a verdict CSV: train on it as a labelled file (supervised)`);
    const rows = outcome.kind === 'scored' ? outcome.rows : outcome.evaluation.data.rows;
    const confusion = outcome.kind === 'scored' ? null : outcome.evaluation.summary.confusion;
    const count = confusion ? confusion.tp + confusion.fp : outcome.kind === 'scored' ? outcome.flagged : 0;
    $('train-summary').replaceChildren(
      named(fmt.sentence(info.provenance.protocol)),
      `. Threshold ${fmt.threshold(info.threshold)} (`,
      named(info.threshold_rule),
      `). Of the ${fmt.count(trained.fitted.rows, 'row')} it was fitted on, ${fmt.int(trained.flagged)} score${trained.flagged === 1 ? 's' : ''} at or above it. `,
      el('strong', { id: 'train-alerts' }, `On ${file.name} itself it would raise ${fmt.count(outcome.alerts.total, 'alert')} (${fmt.int(count)} of ${fmt.count(rows, 'event')} flagged).`),
    );
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
   * @param {string} name the model file download's name
   */
  show(candidate, json, onnx, name) {
    this.candidate?.report.free();
    this.candidate = { report: candidate, json };
    const info = candidate.info();
    if (info.kind === 'supervised') this.scores = null;
    // A trained model is always evaluated, on the held-out rows or the second file.
    const source = info.shown?.source ?? 'no rows';
    const [ours, previous] = info.comparison;
    $('train-summary').replaceChildren(
      named(fmt.sentence(info.provenance.protocol)),
      `. Threshold ${fmt.threshold(info.threshold)} (`,
      named(info.threshold_rule),
      ...(ours ? ['). On ', named(source), `: ROC-AUC ${fmt.dec(ours.summary.roc_auc)}.`] : [').']),
    );
    const warnings = [...info.few_rows];
    // Worse at ranking the same events than the model in use: using it is not the obvious step.
    const worse = ours !== undefined && previous !== undefined && (ours.summary.roc_auc ?? NaN) < (previous.summary.roc_auc ?? NaN);
    if (worse) {
      warnings.push(
        `The new model ranks these events worse than the current one (ROC-AUC ${fmt.dec(ours.summary.roc_auc)} against ` +
          `${fmt.dec(previous.summary.roc_auc)}): keeping the current model is the safer choice.`,
      );
    }
    const warning = $('train-warning');
    warning.hidden = warnings.length === 0;
    warning.textContent = warnings.join(' ');
    $('train-use').className = worse ? 'button' : 'button primary';
    fillComparison($('train-comparison', HTMLTableElement), info);
    $('train-comparison').hidden = info.comparison.length === 0;
    const link = $('train-download', HTMLAnchorElement);
    downloadLink(link, new Blob([json], { type: 'application/json' }), name);
    link.textContent = `Download the model file (${name})`;
    downloadLink($('train-onnx', HTMLAnchorElement), onnx, name.replace(/\.json$/, '.onnx'));
    $('train-result').hidden = false;
    $('train-scores-figure').hidden = !this.scores;
    $('train-roc-figure').hidden = !info.shown;
    // The previous model is drawn beside it only when both were evaluated on the same events.
    const code = (/** @type {string} */ text) => el('code', { textContent: text });
    $('train-roc-caption').replaceChildren(
      ...(previous
        ? ['Both models on the same held-out events, on ', code('sus'), ' (solid) and, when they have ', code('evil'), ', the new model on ']
        : ['The new model on ', named(source), ', on ', code('sus'), ' (solid) and, when it has ', code('evil'), ', on ']),
      code('evil'),
      ' (dashed).',
    );
    this.drawCandidate();
  }

  drawCandidate() {
    const scores = this.scores;
    if (scores) paintCanvas($('train-scores', HTMLCanvasElement), () => this.wasm.drawTrainingScores('train-scores', scores.histogram, scores.threshold, isDark()));
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
    // Focus follows the reader to the report, which now describes the new model.
    focusSection('report');
  }
}

/**
 * The download's name: the training file's name, the feature set and the seed, so that two
 * downloads do not overwrite each other. `sample.csv.gz` → `model-sample-binarised-seed42.json`.
 * @param {string} file the training file's name
 * @param {import('./types').TrainRequest} request
 */
function downloadName(file, request) {
  const base = file.replace(/\.(csv|jsonl)(\.gz)?$/i, '').replace(/[^\w.-]+/g, '_').slice(0, 60) || 'data';
  return `model-${base}-${request.features}-seed${request.seed}.json`;
}
