// @ts-check
// One event's explanation (Model::explain): the base score and each field's Shapley value,
// written as a sum that adds up to the score, a table with the typed values beside the
// features the model computed from them, how the values were computed and which of the
// event's columns the model never reads. The event form shows it; so can any view of one event.

import { el, fillTable, fmt, named } from './dom.js';

/** @typedef {import('./types').Explanation} Explanation */
/** @typedef {import('./types').Contribution} Contribution */

/** Decimals shown of scores and contributions. */
const DIGITS = 3;
/** Features listed under one field at most (a wide model computes thousands from one field). */
const FEATURES_SHOWN = 8;

/**
 * The contributions in units of 10^-DIGITS, rounded so that they add up exactly to the
 * rounded score minus the rounded base score (largest remainders): each is within one unit of
 * its value. `null` when the score or the base score is not a number.
 * @param {Explanation} explanation
 * @returns {number[] | null}
 */
export function roundedShares(explanation) {
  const unit = 10 ** DIGITS;
  const { score, base_score: base } = explanation;
  const exact = explanation.contributions.map((c) => c.contribution * unit);
  if (!Number.isFinite(score) || !Number.isFinite(base) || !exact.every(Number.isFinite)) return null;
  const floors = exact.map(Math.floor);
  const target = Math.round(score * unit) - Math.round(base * unit);
  let left = target - floors.reduce((sum, x) => sum + x, 0);
  const order = exact.map((x, i) => i).sort((a, b) => exact[b] - floors[b] - (exact[a] - floors[a]));
  for (const i of order) {
    if (left <= 0) break;
    floors[i] += 1;
    left -= 1;
  }
  return floors;
}

/**
 * Fills `box` with `explanation`, or empties it (an input that does not score).
 * @param {HTMLElement} box
 * @param {Explanation | null} explanation
 * @param {string} tableId the id of the contributions table
 */
export function showExplanation(box, explanation, tableId) {
  if (!explanation) {
    box.replaceChildren();
    return;
  }
  if (explanation.contributions.length === 0) {
    box.replaceChildren(el('p', { className: 'hint' }, 'No per-field explanation: an isolation forest\'s score is no sum over fields.'));
    return;
  }
  const unit = 10 ** DIGITS;
  const rounded = roundedShares(explanation);
  /** @param {number} i */
  const share = (i) => (rounded ? rounded[i] / unit : explanation.contributions[i].contribution);
  /** @param {number} x */
  const signed = (x) => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(DIGITS)}` : 'n/a');
  const table = el('table', { id: tableId, className: 'numbers contributions' });
  const largest = explanation.contributions.reduce((most, c, i) => Math.max(most, Math.abs(share(i)) || 0), 1e-9);
  /** @param {number} x */
  const bar = (x) => {
    const fill = el('span', { className: `bar ${x >= 0 ? 'up' : 'down'}` });
    fill.style.width = `${(50 * (Math.abs(x) || 0)) / largest}%`;
    return el('div', { className: 'bar-track', title: x >= 0 ? 'towards suspicious' : 'towards benign' }, fill);
  };
  /**
   * One line per feature of `c`, at most FEATURES_SHOWN, in one cell.
   * @param {Contribution} c
   * @param {(f: import('./types').FeatureValue) => string | Node} line
   */
  const lines = (c, line) => {
    const shown = c.features.slice(0, FEATURES_SHOWN).map((f) => el('span', { className: 'line' }, line(f)));
    const more = c.features.length - shown.length;
    return el('span', {}, ...shown, ...(more > 0 ? [el('span', { className: 'line more-rows' }, `… ${fmt.int(more)} more`)] : []));
  };
  fillTable(
    table,
    [
      'Field',
      { text: 'Typed', className: 'num' },
      'Feature',
      { text: 'Model input', className: 'num' },
      { text: 'Training mean', className: 'num' },
      { text: 'Contribution', className: 'num' },
      'Towards benign · suspicious',
    ],
    explanation.contributions.map((c, i) => [
      c.field,
      { text: String(c.value), className: 'num' },
      { node: lines(c, (f) => named(f.name)) },
      { node: lines(c, (f) => fmt.dec(f.value, DIGITS)), className: 'num' },
      { node: lines(c, (f) => fmt.dec(f.baseline, DIGITS)), className: 'num' },
      { text: signed(share(i)), className: 'num' },
      { node: bar(share(i)), className: 'bar-cell' },
    ]),
  );
  const terms = explanation.contributions.map((c, i) => `${signed(share(i)).replace(/^([+−])/, '$1 ')} ${c.field}`);
  const sum = rounded
    ? `${fmt.dec(explanation.base_score, DIGITS)} base ${terms.join(' ')} = ${fmt.dec(explanation.score, DIGITS)} score`
    : 'The score is not a number (a value too large to score safely), so nothing adds up to it.';
  const count = explanation.contributions.length;
  const fields = count === 1 ? '1 field' : `the ${count} fields`;
  const coalitions = fmt.int(2 ** count);
  const method =
    explanation.method === 'additive'
      ? `The anomaly score is a sum of each feature's surprise (−ln of how often the training rows had its value, over the largest sum possible): each field's share is its features' terms, exact from one scoring.`
      : explanation.method === 'exact'
      ? `Exact Shapley values: all ${coalitions} combinations of ${fields} scored.`
      : `Estimated from ${fmt.int(explanation.evaluations)} of the ${coalitions} combinations of ${fields} (orderings drawn with a fixed seed): this network is too large to score them all at once. The estimate still adds up to the score.`;
  box.replaceChildren(
    el('p', { className: 'explanation-sum' }, sum),
    ...(explanation.precedent ? [el('p', { className: 'explanation-precedent' }, precedentLine(explanation.precedent))] : []),
    el('div', { className: 'table-scroll' }, table),
    el('p', { className: 'hint' }, `${method}${rounded ? ' Contributions are rounded so that they add up.' : ''}`),
    ...(explanation.method === 'additive'
      ? []
      : [
          el(
            'p',
            { className: 'hint' },
            'Model input is each feature as the network reads it: a flag is 0 or 1, a count or id is z-scored (standard deviations from its training mean, so a typed 1 can read −0.930).',
          ),
        ]),
    el('p', { className: 'hint' }, `Not read by this model: ${explanation.ignored.join(', ')}.`),
  );
}

/**
 * What the training rows said about this input: the model repeating its labels, or guessing.
 * @param {import('./types').Said} said
 */
function precedentLine({ rows, suspicious, rows_not_kept }) {
  if (rows > 0) {
    const share = `${Math.round((100 * suspicious) / rows)}%`;
    return `In training, ${fmt.count(rows, 'event')} reached the model with exactly these inputs; ${fmt.int(suspicious)} of them (${share}) were labelled suspicious.`;
  }
  if (rows_not_kept > 0) {
    return `None of the training's most common inputs is exactly this one (the model file leaves out the rarer inputs of ${fmt.count(rows_not_kept, 'training event')}).`;
  }
  return 'No training event had exactly these inputs: this score is the network extrapolating, not something its training rows said.';
}
