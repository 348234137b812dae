// @ts-check
// "Check your own events": a CSV dropped or chosen is evaluated (labelled) or scored
// (unlabelled) by the worker; a model file (.json) replaces the model. A .json file of Tracee's
// JSON lines is read as events (told by its content, file-kind.js). Loaded with the first file
// (app.js wires the drop zone).

import { $, downloadLink, el, fillTable, fmt, focusSection, loadOnce, messageOf, named, showError } from './dom.js';
import { holdsEvents } from './file-kind.js';
import { Cancelled, JobView, Jobs } from './jobs.js';

/** Model files are small; anything much larger is not one. */
const MAX_MODEL_BYTES = 50e6;
/** A file larger than this is not the shipped model (about 0.1 MB), so it is not read to compare. */
const SHIPPED_MAX_BYTES = 1e6;

export class UploadView {
  /**
   * @param {import('./app.js').App} app
   * @param {(file: File) => void} onLabelled a labelled file was evaluated
   */
  constructor(app, onLabelled) {
    this.app = app;
    this.onLabelled = onLabelled;
    /** The scored CSV's object URL, revoked when replaced. @type {string | null} */
    this.url = null;
    this.jobs = new Jobs();
    /**
     * The alerts section, its code loaded with the first file read (alerts-view.js: 4 KB the
     * page's first load does without).
     */
    this.alerts = loadOnce(() => import('./alerts-view.js').then(({ AlertsView }) => new AlertsView(app)));
    /** The verdicts' code, loaded with the first file scored. */
    this.verdicts = loadOnce(() => import('./verdicts.js'));
    /** The verdicts on the file scored last, when they could be shown. @type {import('./verdicts.js').Verdicts | null} */
    this.current = null;
    /** The file being read (a CSV by the worker, or a model file here), while it is. @type {File | null} */
    this.reading = null;
    this.job = new JobView($('data-job'), $('data-progress', HTMLProgressElement), $('data-progress-text'), $('data-cancel'), () => this.jobs.cancel());
    /**
     * The scores shown last, the model that gave them, and the note shown instead of them once
     * another model is in use. @type {{ model: import('./types').ModelSource, scores: HTMLElement[], note: HTMLElement } | null}
     */
    this.shownScores = null;
    // app.js says when the model in use changes (a model trained, loaded or put back).
    document.addEventListener('model-change', () => this.freshness());
  }

  /**
   * @param {File} file
   * @param {string} [shippedFile] the name in data/ of the page's model file that `file` is,
   *   when the report's button for it asked for it: the focus then goes back to the report
   */
  async open(file, shippedFile) {
    const error = $('data-error');
    // One file at a time, and no new model while a file is read with the current one: say so.
    if (this.reading) {
      error.replaceChildren(named(file.name), ' was not opened: ', named(this.reading.name), ' is still being read. Wait for it or cancel it, then open the file again.');
      error.hidden = false;
      return;
    }
    showError(error, '');
    // Held while its head is looked at, so that no second file starts meanwhile.
    this.reading = file;
    // A head that cannot be read goes to the model's reader, which says so.
    const model = file.name.toLowerCase().endsWith('.json') && !(await holdsEvents(file).catch(() => false));
    if (model) await this.loadModel(file, shippedFile);
    else await this.score(file);
  }

  /**
   * Loads a model file: the worker parses and validates it (seconds for tens of megabytes,
   * with Cancel), the page rebuilds the report from its compact digest and adopts it once
   * everything about it is shown; on any error or cancel the previous model stays.
   * @param {File} file
   * @param {string} [shippedFile] as `open` has it
   * @param {boolean} [focus] whether the focus moves to what became of it (not for the model
   *   put back as the page opens: the reader has asked for nothing yet)
   * @returns {Promise<boolean>} whether the model was adopted
   */
  async loadModel(file, shippedFile, focus = true) {
    /** @type {import('./pkg/cyber_attack_detector.js').Report | undefined} */
    let report;
    this.reading = file;
    const zone = $('drop-zone', HTMLButtonElement);
    try {
      if (file.size > MAX_MODEL_BYTES) throw new Error(`${fmt.bytes(file.size)} is too large for a model file`);
      zone.disabled = true;
      // The bytes as read now: later jobs are handed the model, and a file since changed or
      // deleted on disk would fail them.
      file = new File([await file.arrayBuffer()], file.name, { type: file.type });
      this.job.start('Checking the model file ', named(file.name), ` (${fmt.bytes(file.size)})…`);
      const checked = await this.jobs.run({ kind: 'check', file });
      report = this.app.wasm.Report.fromDigest(checked.json, checked.parameters);
      // Showing it is a task of its own: the page paints and reads input in between.
      await new Promise((resolve) => setTimeout(resolve));
      // The shipped model's text again (a small file: read only when it could be that one).
      const shipped = file.size <= SHIPPED_MAX_BYTES && (await file.text()) === this.app.shippedJson;
      this.app.setReport(report, file, { shipped, shippedFile });
    } catch (error) {
      // Not adopted (setReport put the previous model back on the page): nothing else holds it.
      report?.free();
      if (!(error instanceof Cancelled)) showError($('data-error'), `${file.name}: ${messageOf(error)}`, { name: file.name, note: 'The previous model is still in use.' });
      return false;
    } finally {
      this.reading = null;
      this.job.stop();
      zone.disabled = false;
    }
    this.result([el('p', {}, 'Loaded the model file ', named(file.name), '; the report above now describes it.')], focus && !shippedFile);
    if (focus && shippedFile) focusSection('report');
    return true;
  }

  /** @param {File} file */
  async score(file) {
    this.reading = file;
    const zone = $('drop-zone', HTMLButtonElement);
    zone.disabled = true;
    // The previous result is put away while this file is read, and back when it ends in no result.
    const box = $('data-result');
    const previous = !box.hidden;
    box.hidden = true;
    this.note();
    this.job.start('Reading ', named(file.name), '…');
    // The model the file is scored with, which may be replaced while it is read (a model trained).
    const model = this.app.json;
    try {
      const result = await this.jobs.run({ kind: 'score', file, name: file.name, model, spreadsheet_safe: $('spreadsheet-safe', HTMLInputElement).checked }, (p) =>
        this.job.update(
          p.total > 0 ? p.done / p.total : 1,
          p.phase === 'evaluating'
            ? `Computing the evaluation of ${fmt.int(p.rows)} events…`
            : `${fmt.bytes(p.done)} of ${fmt.bytes(p.total)} read · ${fmt.int(p.rows)} events`,
        ),
      );
      if (result.kind === 'verdicts') {
        // A verdict CSV: its verdicts go back on their file, and what was shown stays.
        box.hidden = !previous;
        const { Verdicts } = await this.verdicts();
        this.note(await Verdicts.restore(result, file.name, this.current));
        return;
      }
      if (result.kind === 'evaluated') this.evaluated(file, result.evaluation, result.host_namespace);
      else await this.scored(file, result, model);
      void this.showAlerts(result.alerts, result.ndjson, file.name, result.kind === 'scored' ? this.current : null, model, () => void this.open(file));
    } catch (error) {
      box.hidden = !previous;
      if (error instanceof Cancelled) this.note('Cancelled reading ', named(file.name), '; the model and the report are unchanged.');
      else showError($('data-error'), messageOf(error), { name: file.name, note: 'The model and the report are unchanged.' });
    } finally {
      this.reading = null;
      this.job.stop();
      zone.disabled = false;
    }
  }

  /**
   * @param {File} file
   * @param {import('./types').Evaluation} evaluation
   * @param {string | null} namespace what to say when the file had no mountNamespace
   */
  evaluated(file, evaluation, namespace) {
    this.app.showEvaluation(evaluation);
    const train = el('button', { type: 'button', className: 'button', textContent: 'Train a model on this file' });
    train.addEventListener('click', () => this.onLabelled(file));
    const view = el('a', { className: 'button primary', href: '#report', textContent: 'See the report' });
    this.result([
      el('h3', {}, 'Evaluated ', named(file.name)),
      el('p', {
        textContent: `${fmt.rows(evaluation.data)} scored by the current model. The report above now shows its results on these events: ` +
          `ROC-AUC ${fmt.dec(evaluation.summary.roc_auc)}, recall ${fmt.pct(evaluation.summary.rates.recall)}, ` +
          `specificity ${fmt.pct(evaluation.summary.rates.specificity)} at threshold ${fmt.threshold(evaluation.summary.threshold)}.`,
      }),
      ...(namespace ? [el('p', { id: 'evaluated-namespace', textContent: namespace })] : []),
      el('div', { className: 'actions' }, view, train),
    ]);
  }

  /**
   * @param {File} file
   * @param {import('./types').Scored & { csv: Blob }} result
   * @param {import('./types').ModelSource} model the model that scored it
   */
  async scored(file, result, model) {
    const base = file.name.replace(/\.gz$/i, '').replace(/\.(csv|jsonl?)$/i, '');
    const link = el('a', { className: 'button primary', id: 'scored-download', textContent: `Download the scored CSV (${fmt.bytes(result.csv.size)})` });
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = downloadLink(link, result.csv, `${base}-scored.csv`);
    const sha256 = result.sha256;
    // Without its code (a failed load) the table is shown without the verdict column.
    const context = { file, sha256: sha256 ?? '', top: result.top, scoredWith: model, model: () => this.app.json, train: this.onLabelled, load: (/** @type {File} */ f) => void this.open(f) };
    const verdicts = sha256
      ? await this.verdicts()
          .then(({ Verdicts }) => Verdicts.of(context))
          .catch(() => null)
      : null;
    this.current = verdicts;
    const table = el('table', { className: 'numbers', id: 'top-rows' });
    // A time (Tracee's as UTC text) stays on one line.
    const column = (/** @type {number} */ k, /** @type {string} */ text) =>
      result.top.columns[k] === 'timestamp' ? { node: named(text), className: 'num' } : named(text);
    fillTable(
      table,
      [{ text: 'Line', className: 'num' }, { text: 'Score', className: 'num' }, 'Verdict', ...(verdicts ? ['Your verdict'] : []), ...result.top.columns.map((c, k) => column(k, c))],
      result.top.rows.map((row) => [
        { text: String(row.line), className: 'num' },
        { text: fmt.dec(row.score, 4), className: 'num' },
        { node: el('span', { className: `badge ${row.suspicious ? 'suspicious' : 'benign'}`, textContent: row.suspicious ? 'suspicious' : 'benign' }) },
        ...(verdicts ? [{ node: verdicts.cell(row) }] : []),
        ...row.values.map((v, k) => column(k, v)),
      ]),
      `The ${fmt.count(result.top.rows.length, 'most suspicious event')}`,
    );
    const again = el('button', { type: 'button', className: 'button small', textContent: 'Check this file again' });
    again.addEventListener('click', () => void this.open(file));
    const note = el('p', { id: 'scored-stale' }, 'Its scores were given by the previous model, not the one now in use, so they are hidden. ', again, ' to score it with the model now in use.');
    const summary = el('p', {
      textContent: `${fmt.count(result.rows, 'event')} scored: ${fmt.int(result.flagged)} flagged as suspicious at threshold ${fmt.threshold(result.threshold)}. ` +
        'The download has every input row and column, in order, with score and verdict (1 = suspicious) appended.',
    });
    const notes = [
      ...(result.extrapolated ? [el('p', { id: 'scored-extrapolated' }, extrapolation(result.extrapolated))] : []),
      ...(result.host_namespace ? [el('p', { id: 'scored-namespace', textContent: result.host_namespace })] : []),
    ];
    const actions = el('div', { className: 'actions' }, link);
    // Focusable, so that the keyboard scrolls it sideways on a phone: browsers make a scroll box
    // focusable only when nothing in it is, and its verdict fields are.
    const rows = el('div', { className: 'table-scroll', tabIndex: 0, role: 'region', 'aria-label': 'The most suspicious events' }, table);
    // The verdicts stay: they are the reader's, and say how the alerts change with the new model.
    this.shownScores = { model, scores: [summary, ...notes, actions, rows], note };
    this.result([el('h3', {}, 'Scored ', named(file.name)), summary, note, ...notes, actions, ...(verdicts ? [verdicts.summary] : []), rows]);
    this.freshness();
  }

  /**
   * Shows the scores shown last when the model in use gave them; else hides them and says so,
   * with a button that reads the file again, as the alerts section does with its alerts.
   */
  freshness() {
    const shown = this.shownScores;
    // Another result replaced them.
    if (!shown?.note.isConnected) return;
    const stale = shown.model !== this.app.json;
    shown.note.hidden = !stale;
    for (const part of shown.scores) part.hidden = stale;
  }

  /**
   * Shows the alerts of a file read, loading the section's code the first time.
   * @param {import('./types').Alerts} alerts
   * @param {Blob} ndjson
   * @param {string} name
   * @param {import('./verdicts.js').Verdicts | null} verdicts the file's, when it can be given them
   * @param {import('./types').ModelSource} scoredWith the model that scored the file
   * @param {() => void} again reads the file again (with the model then in use)
   */
  async showAlerts(alerts, ndjson, name, verdicts, scoredWith, again) {
    try {
      (await this.alerts()).show(alerts, ndjson, name, verdicts, scoredWith, again);
    } catch (error) {
      showError($('data-error'), `The alerts of ${name} could not be shown: ${messageOf(error)}`, { name });
    }
  }

  /**
   * Says what became of a job that ended in no result (and moves the focus there, from the
   * cancel button that is gone), or hides the note when given nothing.
   * @param {(string | Node)[]} parts
   */
  note(...parts) {
    const note = $('data-note');
    note.hidden = parts.length === 0;
    note.replaceChildren(...parts);
    if (parts.length > 0) note.focus();
  }

  /**
   * Shows a result and moves the focus to its heading (or first line), so that keyboard and
   * screen reader users land on it (unless `focus` is false: the reader is elsewhere).
   * @param {HTMLElement[]} children
   */
  result(children, focus = true) {
    const box = $('data-result');
    box.replaceChildren(...children);
    box.hidden = false;
    children[0].tabIndex = -1;
    if (focus) children[0].focus();
  }
}

/**
 * How many of a file's flags the training rows said nothing about: on a host the model never
 * saw, how much of what it flags is its network guessing.
 * @param {import('./types').Extrapolated} extrapolated
 */
function extrapolation({ flagged, unprecedented, rows_not_kept }) {
  const which = flagged === 1 ? 'The flagged event' : unprecedented === 0 ? `All ${fmt.int(flagged)} flagged events` : `Of the ${fmt.int(flagged)} flagged events, ${fmt.int(unprecedented)}`;
  if (unprecedented === 0) {
    return `${which} had inputs some training events had exactly: an alert's explanation says how many of those training events were labelled suspicious.`;
  }
  const kept = rows_not_kept > 0 ? ` among those the model file keeps (it leaves out the rarer inputs of ${fmt.count(rows_not_kept, 'training event')})` : '';
  return (
    `${which} had inputs no training event had exactly${kept}: ${flagged === 1 ? 'its score is' : 'their scores are'} the network extrapolating beyond anything it was trained on, ` +
    "not what its training labels said (an alert's explanation says which, for the alert's most suspicious event)."
  );
}
