// @ts-check
// The analyst's verdicts on a scored file: "attack" or "benign", with a note, on its most
// suspicious events and on its alerts (an alert's verdict applies to its process's events),
// kept in this browser (www/saved.js) under the file's SHA-256, so that opening the same file
// again, even after a reload, shows them. The worker writes them as a labelled CSV (the file's
// own rows, `sus` from the verdicts, then columns saying where each label came from:
// src/verdicts), which the page and the CLI read like any labelled file, which can be trained
// on, and which, opened on the page again, puts the verdicts back (the worker reads it).
// Loaded with the first scored file (the page's first load does without it).

import { downloadLink, el, fmt, messageOf, showError } from './dom.js';
import { Cancelled, Jobs } from './jobs.js';
import { keep, kept } from './saved.js';
import { showChanges } from './alert-changes.js';

/** A note is a line of text, not a document (the core cuts longer ones the same way). */
const NOTE_CHARS = 500;
/** Events of one judged alert the CSV holds at most (`verdicts::ALERT_ROWS`). */
const ALERT_ROWS = 1000;

/** The verdict files' own worker: a download never waits for a file being read. */
const jobs = new Jobs();

/** The verdicts of the file shown last: compared when the model in use changes. @type {Verdicts | null} */
let shown = null;
// app.js says when the model in use changes (a model trained, loaded or put back).
document.addEventListener('model-change', () => void shown?.compare());

/** @typedef {import('./types').Mark} Mark */
/** @typedef {import('./types').FileVerdicts} FileVerdicts */

/**
 * What the verdicts of a scored file need of the page.
 * @typedef {object} Context
 * @property {File} file the scored file, read again to write the CSV
 * @property {string} sha256 its SHA-256
 * @property {import('./types').TopTable} top its most suspicious events
 * @property {import('./types').ModelSource} scoredWith the model that scored it (another may have been
 *   taken up while it was read)
 * @property {() => import('./types').ModelSource} model the model in use (how the file is read)
 * @property {(file: File) => void} train opens the training form on a labelled file
 * @property {(file: File) => void} load opens a file on the page (a verdict CSV is read back)
 */

/** @param {string} sha256 */
const keyOf = (sha256) => `verdicts ${sha256}`;

/**
 * The verdicts kept for the file with SHA-256 `sha256`, or none. (An older page kept events'
 * verdicts with their rows as `verdicts`: their marks are read from those.)
 * @param {string} sha256
 * @param {string} name
 * @returns {Promise<FileVerdicts>}
 */
async function keptFor(sha256, name) {
  const found = /** @type {any} */ (await kept(keyOf(sha256)).catch(() => undefined));
  /** @param {unknown} marks */
  const valid = (marks) => (Array.isArray(marks) ? marks.map(({ line, attack, note }) => ({ line, attack, note })) : []);
  return found ? { name: found.name ?? name, events: valid(found.events ?? found.verdicts), alerts: valid(found.alerts) } : { name, events: [], alerts: [] };
}

/**
 * `marks` with `mark` in place of the one on its line (none when `choice` is '').
 * @param {Mark[]} marks
 * @param {number} line
 * @param {string} choice 'attack', 'benign' or ''
 * @param {string} note
 */
function marked(marks, line, choice, note) {
  const others = marks.filter((m) => m.line !== line);
  return choice ? [...others, { line, attack: choice === 'attack', note: note.slice(0, NOTE_CHARS) }].sort((a, b) => a.line - b.line) : others;
}

/**
 * `into` with `from`'s marks in place of those on the same lines.
 * @param {Mark[]} into
 * @param {Mark[]} from
 */
function merged(into, from) {
  const lines = new Set(from.map((m) => m.line));
  return [...into.filter((m) => !lines.has(m.line)), ...from].sort((a, b) => a.line - b.line);
}

export class Verdicts {
  /**
   * @param {FileVerdicts} file as kept
   * @param {Context} context
   */
  constructor(file, context) {
    this.file = file;
    this.context = context;
    this.key = keyOf(context.sha256);
    /** The model that scored the file: its alerts are compared with another model's. */
    this.scoredWith = context.scoredWith;
    shown = this;
    const base = context.file.name.replace(/\.gz$/i, '').replace(/\.(csv|jsonl?)$/i, '').replace(/[^\w.-]+/g, '_').slice(0, 60) || 'events';
    this.name = `${base}-verdicts.csv`;
    /** Each shown control by `event <line>` or `alert <line>`, to show restored verdicts in. @type {Map<string, { choice: HTMLSelectElement, note: HTMLInputElement }>} */
    this.controls = new Map();
    this.text = el('p', { id: 'verdicts-text' });
    this.status = el('p', { className: 'hint', role: 'status' });
    this.error = el('p', { className: 'error', role: 'alert', hidden: true });
    // The CSV is written by the worker when asked for, then saved through this link.
    this.saved = el('a', { hidden: true });
    const download = el('button', { type: 'button', className: 'button', textContent: 'Download my verdicts (labelled CSV)' });
    download.addEventListener('click', () => void this.write(false).then((csv) => csv && this.save(csv)));
    const retrain = el('button', { type: 'button', className: 'button', textContent: 'Retrain with my verdicts' });
    retrain.addEventListener('click', () => void this.write(true).then((csv) => csv && context.train(new File([csv], this.name, { type: 'text/csv' }))));
    /** Shown once there is a verdict. */
    this.actions = [download, retrain];
    const chooser = el('input', { type: 'file', accept: '.csv,text/csv', hidden: true, 'aria-label': 'A verdict CSV to load' });
    chooser.addEventListener('change', () => {
      const chosen = chooser.files?.[0];
      chooser.value = '';
      if (chosen) context.load(chosen);
    });
    const load = el('button', { type: 'button', className: 'button', textContent: 'Load verdicts (CSV)…' });
    load.addEventListener('click', () => chooser.click());
    /** How the alerts change with another model (alert-changes.js). */
    this.changes = el('div', { id: 'alert-changes-box', hidden: true });
    this.summary = el('div', { className: 'verdicts', id: 'verdicts' }, this.text, el('div', { className: 'actions' }, ...this.actions, load, chooser, this.saved), this.status, this.error, this.changes);
    this.render();
  }

  /**
   * The verdicts on the scored file `context.file`, as kept, or none yet.
   * @param {Context} context
   */
  static async of(context) {
    return new Verdicts(await keptFor(context.sha256, context.file.name), context);
  }

  /**
   * Keeps the verdicts a verdict CSV held (`read`, from the file `from`) with those kept for
   * the same scored file, in place of any on the same lines, and shows them on `current` when
   * it is that file. Returns what the page says of it.
   * @param {import('./types').VerdictsRead} read
   * @param {string} from
   * @param {Verdicts | null} current
   */
  static async restore(read, from, current) {
    const here = current?.context.sha256 === read.sha256 ? current : null;
    const file = here ? here.file : await keptFor(read.sha256, from);
    const restored = { ...file, events: merged(file.events, read.events), alerts: merged(file.alerts, read.alerts) };
    await keep(keyOf(read.sha256), restored);
    const what = `${fmt.count(read.events.length, 'verdict')} on events and ${fmt.int(read.alerts.length)} on alerts from ${from}`;
    if (!here) return `Kept ${what} for the file with SHA-256 ${read.sha256.slice(0, 12)}…; open that file to see them.`;
    here.file = restored;
    here.refresh();
    return `Restored ${what} on ${here.context.file.name}.`;
  }

  /**
   * The controls of one event of the table: its verdict and a note.
   * @param {import('./types').TopRow} row
   */
  cell(row) {
    return this.control('event', row.line, `line ${row.line}`);
  }

  /**
   * The controls of one alert, with what its verdict applies to.
   * @param {import('./types').Alert} alert
   */
  alertCell(alert) {
    const events = `${fmt.count(alert.events, 'event')} of ${alert.process_name}${alert.pid === null ? '' : ` (${alert.pid})`} on ${alert.host}`;
    const cap = alert.events > ALERT_ROWS ? ` (the download holds the first ${fmt.int(ALERT_ROWS)})` : '';
    return el(
      'div',
      {},
      el('p', { textContent: `Your verdict on this alert applies to its process's ${events}${cap}; its children are alerts of their own, and a verdict on an event of its own wins.` }),
      this.control('alert', alert.first_line, `alert #${alert.rank}`),
    );
  }

  /**
   * A verdict choice and a note for the event or alert at `line`.
   * @param {'event' | 'alert'} kind
   * @param {number} line
   * @param {string} label
   */
  control(kind, line, label) {
    const given = this.marks(kind).find((m) => m.line === line);
    const choice = el(
      'select',
      { 'aria-label': `Your verdict on ${label}`, className: 'verdict-choice' },
      el('option', { value: '', textContent: '—' }),
      el('option', { value: 'attack', textContent: 'attack', selected: given?.attack === true }),
      el('option', { value: 'benign', textContent: 'benign', selected: given?.attack === false }),
    );
    const note = el('input', { type: 'text', 'aria-label': `Note on ${label}`, placeholder: 'note', maxLength: NOTE_CHARS, value: given?.note ?? '', className: 'verdict-note' });
    const changed = () => this.set(kind, line, choice.value, note.value);
    choice.addEventListener('change', changed);
    note.addEventListener('change', changed);
    this.controls.set(`${kind} ${line}`, { choice, note });
    return el('span', { className: 'verdict' }, choice, note);
  }

  /** @param {'event' | 'alert'} kind */
  marks(kind) {
    return kind === 'event' ? this.file.events : this.file.alerts;
  }

  /**
   * @param {'event' | 'alert'} kind
   * @param {number} line
   * @param {string} choice 'attack', 'benign' or '' (none)
   * @param {string} note
   */
  set(kind, line, choice, note) {
    const marks = marked(this.marks(kind), line, choice, note);
    if (kind === 'event') this.file.events = marks;
    else this.file.alerts = marks;
    const any = this.file.events.length + this.file.alerts.length > 0;
    keep(this.key, any ? this.file : undefined).catch((error) =>
      showError(this.error, `Your verdicts could not be kept in this browser (${messageOf(error)}): download them to keep them.`),
    );
    this.render();
  }

  /** Shows the verdicts in the controls shown (after a verdict CSV was read back). */
  refresh() {
    for (const [key, { choice, note }] of this.controls) {
      const [kind, line] = key.split(' ');
      const given = this.marks(kind === 'event' ? 'event' : 'alert').find((m) => m.line === Number(line));
      choice.value = given ? (given.attack ? 'attack' : 'benign') : '';
      note.value = given?.note ?? '';
    }
    this.render();
  }

  /**
   * The labelled CSV, written by the worker from the file: the events judged, the events of
   * the alerts judged, and with `filled` the other events of the table labelled by the model.
   * @param {boolean} filled
   * @returns {Promise<Blob | null>} null when it failed (said on the page) or was cancelled
   */
  async write(filled) {
    const { file, sha256, top } = this.context;
    const given = new Set(this.file.events.map((m) => m.line));
    const request = {
      sha256,
      events: this.file.events,
      alerts: this.file.alerts,
      filled: filled ? top.rows.filter((r) => !given.has(r.line)).map((r) => ({ line: r.line, attack: r.suspicious })) : [],
    };
    showError(this.error, '');
    this.status.textContent = `Reading ${file.name} again for your verdicts’ rows…`;
    try {
      const result = await jobs.run({ kind: 'verdicts', file, name: file.name, model: this.context.model(), request }, (p) => {
        this.status.textContent = `Reading ${file.name} again for your verdicts’ rows: ${fmt.bytes(p.done)} of ${fmt.bytes(p.total)}…`;
      });
      const w = result.written;
      this.status.textContent =
        `${fmt.count(w.rows, 'row')} written: ${fmt.int(w.event_rows)} labelled by your verdict on the event, ${fmt.int(w.alert_rows)} by your verdict on its alert` +
        (filled ? `, ${fmt.int(w.filled_rows)} by the model` : '') +
        (w.alert_rows_left > 0 ? `; ${fmt.count(w.alert_rows_left, 'event')} of judged alerts beyond the first ${fmt.int(ALERT_ROWS)} of each left out.` : '.');
      return result.csv;
    } catch (error) {
      this.status.textContent = '';
      if (!(error instanceof Cancelled)) showError(this.error, `Your verdicts could not be written: ${messageOf(error)}`);
      return null;
    }
  }

  /**
   * Shows how the file's alerts change from the model that scored it to the model now in use,
   * and what each says of the verdicts (the worker reads the file once with each).
   */
  async compare() {
    const { file, model } = this.context;
    const now = model();
    // A file no longer shown is not compared.
    if (!this.summary.isConnected) return;
    if (now === this.scoredWith) {
      this.changes.hidden = true;
      return;
    }
    this.changes.hidden = false;
    const status = el('p', { className: 'hint', role: 'status', textContent: `Comparing the alerts of ${file.name} under the model that scored it and the model now in use…` });
    this.changes.replaceChildren(status);
    try {
      const judged = { events: this.file.events, alerts: this.file.alerts };
      const { changes } = await jobs.run({ kind: 'compare', file, name: file.name, before: this.scoredWith, after: now, judged }, (p) => {
        status.textContent = `Comparing the alerts of ${file.name} under both models: ${fmt.bytes(p.done)} of ${fmt.bytes(p.total)} read…`;
      });
      // Another model taken up meanwhile compares again.
      if (model() === now) showChanges(this.changes, changes, file.name);
    } catch (error) {
      if (!(error instanceof Cancelled)) status.replaceChildren(el('span', { className: 'error', textContent: `The alerts could not be compared: ${messageOf(error)}` }));
    }
  }

  /** @param {Blob} csv */
  save(csv) {
    downloadLink(this.saved, csv, this.name);
    this.saved.click();
  }

  render() {
    const { events, alerts } = this.file;
    const all = [...events, ...alerts];
    const attacks = all.filter((v) => v.attack).length;
    for (const button of this.actions) button.hidden = all.length === 0;
    this.text.textContent = all.length
      ? `Your verdicts on this file: ${fmt.count(attacks, 'attack')}, ${fmt.int(all.length - attacks)} benign (${fmt.int(events.length)} on events, ${fmt.int(alerts.length)} on alerts). ` +
        'They are kept in this browser with the file’s SHA-256 and shown again when you open it. ' +
        'The download is a labelled CSV of the file’s own rows; opened here again it puts your verdicts back. ' +
        'Retraining uses your verdict where you gave one and the current model’s for the other events listed.'
      : 'Mark an event "attack" or "benign" in the table below, or an alert in the alerts section: your verdicts are kept in this browser and can be downloaded as a labelled CSV or trained on.';
  }
}
