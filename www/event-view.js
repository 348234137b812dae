// Score one event: a form generated from the model's feature spec, example presets, and each
// feature's contribution to the score (Model::explain in the wasm face).

import { $, el, fillTable, fmt, showError } from './dom.js';

export class EventView {
  constructor() {
    this.report = null;
    this.form = $('event-form');
    this.form.addEventListener('input', () => this.score());
    this.form.addEventListener('submit', (event) => event.preventDefault());
  }

  show(report) {
    this.report = report;
    this.threshold = report.info().threshold;
    const form = report.eventForm();
    this.inputs = form.fields.map((field) =>
      el('input', { type: 'text', inputMode: 'decimal', id: `event-${field.column}`, name: field.column, autocomplete: 'off', spellcheck: false }),
    );
    this.form.replaceChildren(
      ...form.fields.map((field, i) =>
        el(
          'label',
          { className: 'field', htmlFor: this.inputs[i].id },
          el('span', { textContent: field.column }),
          this.inputs[i],
          el('span', { className: 'hint', textContent: field.hint }),
        ),
      ),
    );
    $('event-presets').replaceChildren(
      ...form.presets.map((preset) => {
        const button = el('button', { type: 'button', className: 'button small', textContent: preset.name, title: preset.description });
        button.addEventListener('click', () => this.fill(preset.values));
        return button;
      }),
    );
    this.fill(form.presets[form.presets.length - 1].values);
  }

  fill(values) {
    this.inputs.forEach((input, i) => {
      input.value = String(values[i]);
    });
    this.score();
  }

  score() {
    let explanation;
    try {
      explanation = this.report.explain(this.inputs.map((input) => input.value));
    } catch (error) {
      showError($('event-error'), error.message);
      const bad = error.message.split(':')[0];
      this.inputs.forEach((input) => input.setAttribute('aria-invalid', String(input.name === bad)));
      return;
    }
    showError($('event-error'), '');
    this.inputs.forEach((input) => input.removeAttribute('aria-invalid'));
    $('event-score').textContent = fmt.dec(explanation.score, 3);
    const verdict = $('event-verdict');
    verdict.className = `verdict ${explanation.suspicious ? 'suspicious' : 'benign'}`;
    verdict.textContent = `${explanation.suspicious ? 'Suspicious' : 'Benign'} at the model's threshold ${fmt.threshold(this.threshold)}`;
    this.renderContributions(explanation.contributions);
  }

  renderContributions(contributions) {
    const largest = Math.max(1e-9, ...contributions.map((c) => Math.abs(c.contribution)));
    const bar = (c) => {
      const width = `${(50 * Math.abs(c.contribution)) / largest}%`;
      const fill = el('span', { className: `bar ${c.contribution >= 0 ? 'up' : 'down'}` });
      fill.style.width = width;
      return el('div', { className: 'bar-track', title: c.contribution >= 0 ? 'towards suspicious' : 'towards benign' }, fill);
    };
    const signed = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
    fillTable(
      $('event-contributions'),
      ['Feature', { text: 'Value', className: 'num' }, { text: 'Training mean', className: 'num' }, { text: 'Contribution', className: 'num' }, 'Towards benign · suspicious'],
      contributions.map((c) => [
        c.feature,
        { text: fmt.dec(c.value, 3), className: 'num' },
        { text: fmt.dec(c.baseline, 3), className: 'num' },
        { text: signed(c.contribution), className: 'num' },
        { node: bar(c), className: 'bar-cell' },
      ]),
    );
  }
}
