// @ts-check
// Score one event: a form generated from the model's feature spec, example presets, and each
// feature's contribution to the score (Model::explain in the wasm face).

/** An explanation slower than this (a wide model's) is not redone on every keystroke... */
const SLOW_MS = 50;
/** ...but once typing pauses this long. */
const PAUSE_MS = 400;

import { $, SHORT, cut, el, fillTable, fmt, messageOf, named, showError } from './dom.js';

/** @typedef {import('./pkg/cyber_attack_detector.js').Report} Report */

export class EventView {
  constructor() {
    /** @type {Report | null} */
    this.report = null;
    this.threshold = 0;
    /** @type {HTMLInputElement[]} */
    this.inputs = [];
    /** How long the last explanation took. */
    this.lastMs = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.form = $('event-form', HTMLFormElement);
    this.form.addEventListener('input', () => {
      clearTimeout(this.timer);
      if (this.lastMs > SLOW_MS) this.timer = setTimeout(() => this.score(), PAUSE_MS);
      else this.score();
    });
    this.form.addEventListener('submit', (event) => event.preventDefault());
  }

  /**
   * A function that shows again what the form shows now (the model and the typed values).
   * @returns {() => void}
   */
  snapshot() {
    const { report, threshold } = this;
    const values = this.inputs.map((input) => input.value);
    return () => {
      if (!report) return;
      this.show(report, threshold);
      this.fill(values);
    };
  }

  /**
   * @param {Report} report
   * @param {number} threshold the model's
   */
  show(report, threshold) {
    clearTimeout(this.timer);
    this.report = report;
    this.threshold = threshold;
    const form = report.eventForm();
    this.inputs = form.fields.map((field) =>
      el('input', { type: 'text', inputMode: 'decimal', id: `event-${field.column}`, name: field.column, autocomplete: 'off', spellcheck: false }),
    );
    this.form.replaceChildren(
      ...form.fields.map((field, i) =>
        el(
          'label',
          { className: 'field', htmlFor: this.inputs[i].id },
          el('span', {}, named(field.column)),
          this.inputs[i],
          el('span', { className: 'hint' }, named(field.hint)),
        ),
      ),
    );
    $('event-presets').replaceChildren(
      ...form.presets.map((preset) => {
        const button = el('button', { type: 'button', className: 'button small', title: cut(preset.description, SHORT) }, named(preset.name));
        button.addEventListener('click', () => this.fill(preset.values));
        return button;
      }),
    );
    this.fill(form.presets[form.presets.length - 1].values);
  }

  /** @param {(number | string)[]} values one per field */
  fill(values) {
    this.inputs.forEach((input, i) => {
      input.value = String(values[i]);
    });
    this.score();
  }

  score() {
    if (!this.report) return;
    let explanation;
    const started = performance.now();
    try {
      explanation = this.report.explain(this.inputs.map((input) => input.value));
    } catch (error) {
      const message = messageOf(error);
      showError($('event-error'), message);
      const bad = message.split(':')[0];
      this.inputs.forEach((input) => input.setAttribute('aria-invalid', String(input.name === bad)));
      return;
    }
    this.lastMs = performance.now() - started;
    showError($('event-error'), '');
    this.inputs.forEach((input) => input.removeAttribute('aria-invalid'));
    $('event-score').textContent = fmt.dec(explanation.score, 3);
    const verdict = $('event-verdict');
    verdict.className = `verdict ${explanation.suspicious ? 'suspicious' : 'benign'}`;
    verdict.textContent = `${explanation.suspicious ? 'Suspicious' : 'Benign'} at the model's threshold ${fmt.threshold(this.threshold)}`;
    fillContributions($('event-contributions', HTMLTableElement), explanation.contributions);
  }
}

/**
 * Each feature's contribution to a score as a table: value, training mean, contribution and a bar.
 * @param {HTMLTableElement} table
 * @param {import('./types').Contribution[]} contributions
 */
export function fillContributions(table, contributions) {
  const largest = contributions.reduce((most, c) => Math.max(most, Math.abs(c.contribution)), 1e-9);
  /** @param {import('./types').Contribution} c */
  const bar = (c) => {
    const width = `${(50 * Math.abs(c.contribution)) / largest}%`;
    const fill = el('span', { className: `bar ${c.contribution >= 0 ? 'up' : 'down'}` });
    fill.style.width = width;
    return el('div', { className: 'bar-track', title: c.contribution >= 0 ? 'towards suspicious' : 'towards benign' }, fill);
  };
  /** @param {number} x */
  const signed = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
  fillTable(
    table,
    ['Feature', { text: 'Value', className: 'num' }, { text: 'Training mean', className: 'num' }, { text: 'Contribution', className: 'num' }, 'Towards benign · suspicious'],
    contributions.map((c) => [
      named(c.feature),
      { text: fmt.dec(c.value, 3), className: 'num' },
      { text: fmt.dec(c.baseline, 3), className: 'num' },
      { text: signed(c.contribution), className: 'num' },
      { node: bar(c), className: 'bar-cell' },
    ]),
  );
}
