// @ts-check
// Score one event: a form generated from the model's feature spec, example presets, and each
// Score one event: a form generated from the model's feature spec, example presets, and each
// field's Shapley value (Model::explain in the wasm face, shown by explanation-view.js). A small
// model explains on every keystroke on the page (Report.explain); a wide one (Report.explainsQuickly
// false) in a Web Worker of its own (Explainer in worker.js), once typing pauses, the newest
// request first.

/** How long typing must pause before a wide model's explanation is asked for. */
const PAUSE_MS = 300;

import { $, SHORT, cut, el, fmt, messageOf, named, showError } from './dom.js';
import { showExplanation } from './explanation-view.js';
import { Jobs } from './jobs.js';

/** @typedef {import('./pkg/cyber_attack_detector.js').Report} Report */

export class EventView {
  constructor() {
    /** @type {Report | null} */
    this.report = null;
    this.threshold = 0;
    /** The model file, for the worker. @type {import('./types').ModelSource} */
    this.source = '';
    /** Tells the worker which model file `source` is: a new number for each model shown. */
    this.key = 0;
    /** @type {HTMLInputElement[]} */
    this.inputs = [];
    /** @type {Set<string>} the form's text fields */
    this.texts = new Set();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** The worker for wide models' explanations, started on first use. */
    this.jobs = new Jobs();
    /** The newest request not yet sent to the worker. @type {{ report: Report, values: string[] } | null} */
    this.wanted = null;
    this.form = $('event-form', HTMLFormElement);
    this.form.addEventListener('input', () => {
      clearTimeout(this.timer);
      if (this.report?.explainsQuickly()) this.score();
      else this.timer = setTimeout(() => this.score(), PAUSE_MS);
    });
    this.form.addEventListener('submit', (event) => event.preventDefault());
  }

  /**
   * A function that shows again what the form shows now (the model and the typed values).
   * @returns {() => void}
   */
  snapshot() {
    const { report, threshold, source } = this;
    const values = this.inputs.map((input) => input.value);
    return () => {
      if (!report) return;
      this.show(report, threshold, source);
      this.fill(values);
    };
  }

  /**
   * @param {Report} report
   * @param {number} threshold the model's
   * @param {import('./types').ModelSource} source its model file, for the worker
   */
  show(report, threshold, source) {
    clearTimeout(this.timer);
    if (report !== this.report) this.key += 1;
    this.report = report;
    this.threshold = threshold;
    this.source = source;
    const form = report.eventForm();
    /** The text fields: their typed text is shown rather than the code the model reads. */
    this.texts = new Set(form.fields.filter((field) => field.text).map((field) => field.column));
    this.inputs = form.fields.map((field) =>
      el('input', { type: 'text', inputMode: field.text ? 'text' : 'decimal', id: `event-${field.column}`, name: field.column, autocomplete: 'off', spellcheck: false }),
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
    if (!report.explainsQuickly()) {
      // Nothing of the previous model's explanation stays while the worker works on this one's.
      $('event-score').textContent = '–';
      $('event-verdict').className = 'verdict';
      $('event-verdict').textContent = 'Explaining in the background…';
      showExplanation($('event-explanation'), null, 'event-contributions');
    }
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
    const report = this.report;
    if (!report) return;
    const values = this.inputs.map((input) => input.value);
    if (!report.explainsQuickly()) {
      this.wanted = { report, values };
      if (!this.jobs.busy) this.explainWanted();
      return;
    }
    try {
      this.render(report.explain(values));
    } catch (error) {
      this.failed(messageOf(error));
    }
  }

  /**
   * Has the worker explain the newest request; when it answers, a newer one (typed meanwhile)
   * is asked for next and this answer dropped, as is an answer for a model no longer shown.
   */
  explainWanted() {
    const wanted = this.wanted;
    if (!wanted) return;
    this.wanted = null;
    $('event-score').setAttribute('aria-busy', 'true');
    const current = () => !this.wanted && this.report === wanted.report;
    this.jobs
      .run({ kind: 'explain', model: this.source, key: this.key, values: wanted.values })
      .then(
        (result) => current() && this.render(result.explanation),
        (error) => current() && this.failed(messageOf(error)),
      )
      .finally(() => {
        $('event-score').removeAttribute('aria-busy');
        this.explainWanted();
      });
  }

  /** @param {string} message why the typed values could not be explained */
  failed(message) {
    showError($('event-error'), message);
    const bad = message.split(':')[0];
    this.inputs.forEach((input) => input.setAttribute('aria-invalid', String(input.name === bad)));
    // Nothing of the last valid input stays shown beside an invalid one.
    $('event-score').textContent = '–';
    const verdict = $('event-verdict');
    verdict.className = 'verdict';
    verdict.textContent = '';
    showExplanation($('event-explanation'), null, 'event-contributions');
  }

  /** @param {import('./types').Explanation} explanation */
  render(explanation) {
    showError($('event-error'), '');
    this.inputs.forEach((input) => input.removeAttribute('aria-invalid'));
    $('event-score').textContent = fmt.dec(explanation.score, 3);
    const verdict = $('event-verdict');
    verdict.className = `verdict ${explanation.suspicious ? 'suspicious' : 'benign'}`;
    verdict.textContent = `${explanation.suspicious ? 'Suspicious' : 'Benign'} at the model's threshold ${fmt.threshold(this.threshold)}`;
    const typed = new Map(this.inputs.map((input) => [input.name, input.value]));
    const contributions = explanation.contributions.map((c) =>
      this.texts.has(c.field) ? { ...c, value: typed.get(c.field) ?? c.value } : c,
    );
    showExplanation($('event-explanation'), { ...explanation, contributions }, 'event-contributions');
  }
}
