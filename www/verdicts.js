// @ts-check
// The analyst's verdicts on a scored file's most suspicious events: "attack" or "benign", with a
// note, kept in this browser (www/saved.js) under the file's SHA-256, so that opening the same
// file again, even after a reload, shows them. They can be downloaded as a labelled BETH CSV
// (`sus` from the verdicts), which the page and the CLI read like any labelled file, and trained on.
// Loaded with the first scored file (the page's first load does without it).

import { downloadLink, el, fmt } from './dom.js';
import { keep, kept } from './saved.js';

/** A note is a line of text, not a document. */
const NOTE_CHARS = 500;

/**
 * One CSV field, quoted when it must be (RFC 4180), written as it is otherwise: the file is for
 * reading back, not for a spreadsheet (a scored CSV offers the spreadsheet-safe form).
 * @param {string} field
 */
const csvField = (field) => (/[",\r\n]|^\s|\s$/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);

/** @param {string[]} fields */
const csvLine = (fields) => `${fields.map(csvField).join(',')}\n`;

export class Verdicts {
  /**
   * @param {string} key where they are kept
   * @param {import('./types').FileVerdicts} kept
   * @param {import('./types').TopTable} top
   * @param {(file: File) => void} train opens the training form on a labelled file
   */
  constructor(key, kept, top, train) {
    this.key = key;
    this.file = kept;
    this.top = top;
    const base = kept.name.replace(/\.gz$/i, '').replace(/\.(csv|jsonl?)$/i, '').replace(/[^\w.-]+/g, '_').slice(0, 60) || 'events';
    this.name = `${base}-verdicts.csv`;
    // Built once and updated in place: a note's change (on blur) must not replace the link its
    // click is landing on.
    this.text = el('p');
    this.download = el('a', { className: 'button', textContent: 'Download my verdicts (labelled CSV)' });
    const retrain = el('button', { type: 'button', className: 'button', textContent: 'Retrain with my verdicts' });
    retrain.addEventListener('click', () => train(new File([this.csv(true)], this.name, { type: 'text/csv' })));
    this.actions = el('div', { className: 'actions' }, this.download, retrain);
    this.summary = el('div', { className: 'verdicts', id: 'verdicts' }, this.text, this.actions);
    this.render();
  }

  /**
   * The verdicts on the scored file `name` with SHA-256 `sha256`, as kept, or none yet.
   * @param {string} name
   * @param {string} sha256
   * @param {import('./types').TopTable} top
   * @param {(file: File) => void} train
   */
  static async of(name, sha256, top, train) {
    const key = `verdicts ${sha256}`;
    const found = /** @type {import('./types').FileVerdicts | undefined} */ (await kept(key).catch(() => undefined));
    const sameHeader = found && found.header.length === top.header.length && found.header.every((h, i) => h === top.header[i]);
    return new Verdicts(key, sameHeader && Array.isArray(found.verdicts) ? found : { name, header: top.header, verdicts: [] }, top, train);
  }

  /**
   * The controls of one row: the verdict and a note.
   * @param {import('./types').TopRow} row
   */
  cell(row) {
    const given = this.file.verdicts.find((v) => v.line === row.line);
    const choice = el(
      'select',
      { 'aria-label': `Your verdict on line ${row.line}`, className: 'verdict-choice' },
      el('option', { value: '', textContent: '—' }),
      el('option', { value: 'attack', textContent: 'attack', selected: given?.attack === true }),
      el('option', { value: 'benign', textContent: 'benign', selected: given?.attack === false }),
    );
    const note = el('input', { type: 'text', 'aria-label': `Note on line ${row.line}`, placeholder: 'note', maxLength: NOTE_CHARS, value: given?.note ?? '', className: 'verdict-note' });
    const changed = () => this.set(row, choice.value, note.value);
    choice.addEventListener('change', changed);
    note.addEventListener('change', changed);
    return el('span', { className: 'verdict' }, choice, note);
  }

  /**
   * @param {import('./types').TopRow} row
   * @param {string} choice 'attack', 'benign' or '' (none)
   * @param {string} note
   */
  set(row, choice, note) {
    const others = this.file.verdicts.filter((v) => v.line !== row.line);
    this.file.verdicts = choice
      ? [...others, { line: row.line, score: row.score, record: row.record, attack: choice === 'attack', note: note.slice(0, NOTE_CHARS) }].sort((a, b) => a.line - b.line)
      : others;
    keep(this.key, this.file.verdicts.length ? this.file : undefined).catch(() => {});
    this.render();
  }

  /**
   * The labelled CSV: the rows given a verdict with `sus` from it; with `filled`, also the other
   * rows shown, labelled by the model's verdict (yours where you gave one, the model's where
   * you did not).
   * @param {boolean} filled
   */
  csv(filled) {
    const header = [...this.file.header, 'sus'];
    /** @type {[number, string[], boolean][]} */
    const rows = this.file.verdicts.map((v) => [v.line, v.record, v.attack]);
    if (filled) {
      const given = new Set(rows.map(([line]) => line));
      for (const row of this.top.rows) if (!given.has(row.line)) rows.push([row.line, row.record, row.suspicious]);
      rows.sort((a, b) => a[0] - b[0]);
    }
    return new Blob([csvLine(header), ...rows.map(([, record, attack]) => csvLine([...record, attack ? '1' : '0']))], { type: 'text/csv' });
  }

  render() {
    const verdicts = this.file.verdicts;
    const attacks = verdicts.filter((v) => v.attack).length;
    downloadLink(this.download, this.csv(false), this.name);
    this.actions.hidden = verdicts.length === 0;
    this.text.textContent = verdicts.length
      ? `Your verdicts on this file: ${fmt.count(attacks, 'attack')}, ${fmt.int(verdicts.length - attacks)} benign. ` +
        'They are kept in this browser with the file’s SHA-256 and shown again when you open it. ' +
        'Retraining uses your verdict where you gave one and the current model’s for the other rows listed.'
      : 'Mark an event "attack" or "benign" in the table below: your verdicts are kept in this browser and can be downloaded as a labelled CSV or trained on.';
  }
}
