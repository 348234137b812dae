// @ts-check
// The report: metric cards, threshold slider, charts, cost panel, comparison and provenance of
// the current model. Every number comes from the wasm face (`Report`); this file only lays
// them out.

import { $, SHORT, TABLE_ROWS, cut, el, fillTable, fmt, focusSection, messageOf, named, perFrame, setWholeLengths, showError } from './dom.js';
import { paintCanvas } from './canvas.js';
import { isDark, onThemeChange } from './theme.js';

/** @typedef {import('./pkg/cyber_attack_detector.js').Report} Report */
/** @typedef {import('./types').Info} Info */
/** @typedef {import('./types').Summary} Summary */
/** @typedef {import('./types').EvilSummary} EvilSummary */
/** @typedef {import('./types').Column} Column */

/** Charts whose picture depends on the threshold. */
const MOVING = new Set(['confusion', 'roc', 'pr', 'histogram']);

/** @typedef {import('./types').Interval} Interval */
/** @typedef {import('./types').Intervals} Intervals */

/**
 * A metric card: its value, its 95% interval (`null` for F1, which has none) and how to write
 * both, and a note from the counts.
 * @typedef {object} Card
 * @property {string} name
 * @property {(s: Summary) => number | null} value
 * @property {(x: number | null) => string} format
 * @property {(i: Intervals) => Interval | null} interval
 * @property {(i: Interval) => string} range
 * @property {(c: import('./types').Confusion) => string} note
 */

/**
 * Precision, or `null` (shown "n/a") when nothing was flagged: the core counts 0 of 0 as 0, but
 * a model that flags nothing has made no claim to be precise about.
 * @param {Summary} s
 */
const precision = (s) => (s.confusion.tp + s.confusion.fp > 0 ? s.rates.precision : null);

/** @type {Card[]} */
const CARDS = [
  {
    name: 'Accuracy',
    value: (s) => s.rates.accuracy,
    format: fmt.pct,
    interval: (i) => i.accuracy,
    range: fmt.pctRange,
    note: ({ tn, fp, fn, tp }) => `${fmt.int(tp + tn)} of ${fmt.count(tn + fp + fn + tp, 'event')} classified correctly`,
  },
  {
    name: 'Precision',
    value: precision,
    format: fmt.pct,
    interval: (i) => i.precision,
    range: fmt.pctRange,
    note: ({ fp, tp }) => `${fmt.int(tp)} of ${fmt.int(tp + fp)} flagged events are attacks`,
  },
  {
    name: 'Recall',
    value: (s) => s.rates.recall,
    format: fmt.pct,
    interval: (i) => i.recall,
    range: fmt.pctRange,
    note: ({ fn, tp }) => `${fmt.int(tp)} of ${fmt.count(tp + fn, 'attack')} flagged`,
  },
  {
    name: 'Specificity',
    value: (s) => s.rates.specificity,
    format: fmt.pct,
    interval: (i) => i.specificity,
    range: fmt.pctRange,
    note: ({ tn, fp }) => `${fmt.int(tn)} of ${fmt.count(tn + fp, 'benign event')} let through`,
  },
  { name: 'F1', value: (s) => s.rates.f1, format: fmt.dec, interval: () => null, range: fmt.decRange, note: () => 'harmonic mean of precision and recall' },
  { name: 'ROC-AUC', value: (s) => s.roc_auc, format: fmt.dec, interval: (i) => i.roc_auc, range: fmt.decRange, note: () => 'ranking quality over all thresholds' },
  {
    name: 'Average precision',
    value: (s) => s.average_precision,
    format: fmt.dec,
    interval: (i) => i.average_precision,
    range: fmt.decRange,
    note: () => 'area under the PR curve, all thresholds',
  },
];

/**
 * The card of the `evil` label (the attacker's own events, a subset of `sus`), at the model's
 * own threshold; none when the rows have no `evil`. The other cards are for `sus`.
 * @param {EvilSummary | null} evil
 * @returns {HTMLElement[]}
 */
const evilCard = (evil) =>
  evil
    ? [
        el(
          'div',
          { className: 'card' },
          el('p', { className: 'card-name', textContent: 'ROC-AUC on evil' }),
          el('p', { className: 'card-value', textContent: evil.roc_auc === null ? '–' : fmt.dec(evil.roc_auc) }),
          el('p', {
            className: 'card-note',
            textContent:
              `label evil, not sus: ${fmt.int(evil.detected)} of ${fmt.int(evil.evil)} evil events flagged at the model's threshold` +
              ` (${evil.recall === null ? '–' : fmt.pct(evil.recall)}); other events count as negatives`,
          }),
        ),
      ]
    : [];

/**
 * "95% CI" and an interval's `range` in a span of `className`, the range's two ends kept on one
 * line (a narrow card wraps before "99.76–99.96%", not at its dash).
 * @param {string} className
 * @param {string} range
 */
const ci95 = (className, range) => el('span', { className }, '95% CI ', el('span', { className: 'ends', textContent: range }));

/**
 * A card's figure and, when the summary has one, its 95% interval as a small line.
 * @param {Card} card
 * @param {Summary} s
 * @returns {(string | HTMLElement)[]}
 */
const figure = (card, s) => {
  const interval = s.intervals ? card.interval(s.intervals) : null;
  return [card.format(card.value(s)), ...(interval ? [ci95('ci', card.range(interval))] : [])];
};

/**
 * A table cell's figure with its 95% interval (from the core) as a muted second line; the
 * figure alone when there is none.
 * @param {string} figure
 * @param {Interval | null | undefined} interval
 * @param {(i: Interval) => string} range
 * @returns {string | HTMLElement}
 */
const withInterval = (figure, interval, range) =>
  interval ? el('span', {}, figure, el('span', { className: 'range', textContent: range(interval) })) : figure;

/** What the comparison says of a model not trained by gradient steps. */
const NO_STEPS = 'none: not a network';

/** What it says of what a model file does not record (the models an anomaly file compares with). */
const UNRECORDED = 'not recorded in the model file';

/** @type {[string, (c: Column) => string | HTMLElement][]} */
const COMPARISON = [
  ['Threshold', (c) => fmt.threshold(c.summary.threshold)],
  ['Accuracy', (c) => withInterval(fmt.pct(c.summary.rates.accuracy), c.summary.intervals?.accuracy, fmt.pctRange)],
  ['Precision', (c) => withInterval(fmt.pct(precision(c.summary)), c.summary.intervals?.precision, fmt.pctRange)],
  ['Recall', (c) => withInterval(fmt.pct(c.summary.rates.recall), c.summary.intervals?.recall, fmt.pctRange)],
  ['Specificity', (c) => withInterval(fmt.pct(c.summary.rates.specificity), c.summary.intervals?.specificity, fmt.pctRange)],
  ['F1', (c) => fmt.dec(c.summary.rates.f1)],
  ['ROC-AUC', (c) => withInterval(fmt.dec(c.summary.roc_auc), c.summary.intervals?.roc_auc, fmt.decRange)],
  ['Average precision', (c) => withInterval(fmt.dec(c.summary.average_precision), c.summary.intervals?.average_precision, fmt.decRange)],
  ['Missed attacks (FN)', (c) => fmt.int(c.summary.confusion.fn)],
  ['False alarms (FP)', (c) => fmt.int(c.summary.confusion.fp)],
  ['Attacks caught (TP)', (c) => fmt.int(c.summary.confusion.tp)],
  ['Benign passed (TN)', (c) => fmt.int(c.summary.confusion.tn)],
  ['Feature set', (c) => named(c.feature_set)],
  ['Optimizer', (c) => (c.optimizer === undefined ? UNRECORDED : named(c.optimizer ?? NO_STEPS))],
  ['Training steps', (c) => (c.optimizer === undefined ? UNRECORDED : c.optimizer ? fmt.int(c.steps_run) : NO_STEPS)],
  ['Training rows', (c) => (c.training_rows === null ? UNRECORDED : fmt.int(c.training_rows))],
];

/**
 * The comparison table of `info` into `table`, each model at its own threshold.
 * @param {HTMLTableElement} table
 * @param {Info} info
 */
export function fillComparison(table, info) {
  const columns = comparedColumns(info);
  fillTable(
    table,
    ['', ...columns.map((c) => ({ node: named(c.name), className: 'num' }))],
    COMPARISON.map(([name, cell]) => [name, ...columns.map((c) => ({ node: wrap(cell(c)), className: 'num' }))]),
  );
}

/**
 * The comparison's columns: the core's, then the models an anomaly model file compares it with
 * on its own test rows (`about.compared`), when those rows are shown.
 * @param {Info} info
 * @returns {Column[]}
 */
const comparedColumns = (info) => [
  ...info.comparison,
  ...(info.shows_own_evaluation ? (info.anomaly?.compared ?? []) : []).map((c) => ({
    name: c.name,
    feature_set: c.features,
    // The anomaly file keeps only their names, features and results.
    optimizer: undefined,
    steps_run: 0,
    training_rows: null,
    summary: c.summary,
  })),
];

/** @param {string | Node} value */
const wrap = (value) => (typeof value === 'string' ? document.createTextNode(value) : value);

/**
 * The line under a table of a file's items that shows only the first `shown` of `count`.
 * @param {number} count
 * @param {number} shown
 * @param {string} noun
 * @param {string} [extra] what else is left out
 */
const moreRows = (count, shown, noun, extra = '') =>
  count > shown ? `and ${fmt.count(count - shown, `more ${noun}`)}${extra}` : extra ? `and${extra}` : undefined;

/** The most items of a list (training files, features) named in a sentence. */
const LISTED = 20;

/**
 * The first `LISTED` of `names` (the first of `count`), each isolated and shortened, between
 * `separator`s, then how many more there are.
 * @param {string[]} names
 * @param {number} count
 * @param {string} noun
 * @param {string} [separator]
 * @returns {(string | Node)[]}
 */
const listed = (names, count, noun, separator = ', ') => {
  const shown = names.slice(0, LISTED);
  return [
    ...shown.flatMap((name, i) => [...(i > 0 ? [separator] : []), named(name)]),
    ...(count > shown.length ? [` and ${fmt.count(count - shown.length, `more ${noun}`)}`] : []),
  ];
};

/**
 * The miss and false-alarm rates of `s` with their 95% intervals (1 − recall, 1 − specificity),
 * as the end of a sentence; empty without intervals.
 * @param {Summary | null} s
 */
const errorRates = (s) => {
  const i = s?.intervals;
  if (!s || !i?.recall || !i.specificity) return '';
  /** @param {Interval} r */
  const complement = (r) => fmt.pctRange({ lo: 1 - r.hi, hi: 1 - r.lo });
  return (
    ` (miss rate ${fmt.pct(1 - s.rates.recall)}, 95% CI ${complement(i.recall)}; ` +
    `false-alarm rate ${fmt.pct(1 - s.rates.specificity)}, 95% CI ${complement(i.specificity)})`
  );
};

export class ReportView {
  constructor() {
    /** What the view shows: none until `show`. @type {{ report: Report, info: Info } | null} */
    this.shown = null;
    this.shipped = false;
    /** The evaluation of an uploaded file the report shows, or null for the model file's own. @type {import('./types').Evaluation | null} */
    this.evaluation = null;
    this.threshold = 0.5;
    /** @type {number | undefined} */
    this.cheapest = undefined;
    this.slider = $('threshold', HTMLInputElement);
    /** Called after the threshold, a price or the prevalence changed (app.js keeps them). */
    this.onSettings = () => {};
    this.canvases = [.../** @type {NodeListOf<HTMLCanvasElement>} */ ($('report').querySelectorAll('canvas[data-chart]'))];
    const moved = perFrame(() => this.thresholdChanged());
    this.slider.addEventListener('input', () => {
      this.threshold = Number(this.slider.value);
      moved();
    });
    $('threshold-reset').addEventListener('click', () => {
      if (this.shown) this.setThreshold(this.shown.info.threshold);
    });
    for (const id of ['cost-missed', 'cost-false-alarm']) $(id).addEventListener('input', () => {
        if (!this.shown) return;
        this.renderCosts(this.shown);
        this.renderStatus(this.shown.report);
        this.onSettings();
      });
    $('prevalence').addEventListener('input', () => {
      if (this.shown) this.renderPrevalence(this.shown.report);
      this.onSettings();
    });
    $('cost-apply').addEventListener('click', () => {
      if (this.cheapest !== undefined) this.setThreshold(this.cheapest);
    });
    // The button hides itself: the focus goes to the report it brings back.
    $('show-own').addEventListener('click', () => {
      this.showEvaluation(null);
      focusSection('report');
    });
    onThemeChange(() => this.paint(() => true));
  }

  /**
   * A function that shows again what the view shows now (the model, its threshold).
   * @returns {() => void}
   */
  snapshot() {
    const { shown, shipped, threshold, evaluation } = this;
    return () => {
      if (!shown) return;
      this.show(shown.report, { shipped });
      this.evaluation = evaluation;
      this.setThreshold(threshold);
    };
  }

  /** The reader's settings: threshold, the two prices and the share of attacks. @returns {import('./types').Settings} */
  settings() {
    const value = (/** @type {string} */ id) => $(id, HTMLInputElement).value;
    return { threshold: this.threshold, missed: value('cost-missed'), false_alarm: value('cost-false-alarm'), prevalence: value('prevalence') };
  }

  /**
   * Puts back settings kept from an earlier visit (the model they were set on is shown).
   * @param {import('./types').Settings} settings
   */
  applySettings({ threshold, missed, false_alarm, prevalence }) {
    $('cost-missed', HTMLInputElement).value = missed;
    $('cost-false-alarm', HTMLInputElement).value = false_alarm;
    $('prevalence', HTMLInputElement).value = prevalence;
    this.setThreshold(threshold);
  }

  /**
   * Shows the current model on `evaluation` (of an uploaded file), or on the model file's own
   * evaluation for null. When drawing it fails, the evaluation shown before is shown again and
   * the error is thrown on.
   * @param {import('./types').Evaluation | null} evaluation
   */
  showEvaluation(evaluation) {
    const report = this.shown?.report;
    if (!report) return;
    /** @param {import('./types').Evaluation | null} e */
    const showOn = (e) => {
      if (e) report.showEvaluation(e);
      else report.showOwnEvaluation();
      this.evaluation = e;
      this.refresh();
    };
    const previous = this.evaluation;
    try {
      showOn(evaluation);
    } catch (error) {
      showOn(previous);
      throw error;
    }
  }

  /**
   * Shows `report` from scratch, at its own threshold.
   * @param {Report} report
   * @param {{ shipped?: boolean }} [options]
   */
  show(report, { shipped = false } = {}) {
    const info = report.info();
    this.shown = { report, info };
    this.shipped = shipped;
    this.evaluation = null;
    this.moveSlider(info.threshold);
    // Written once, while the report shows the model file's own evaluation.
    const caveat = $('caveat');
    caveat.hidden = !shipped;
    caveat.textContent = shipped
      ? `Caveat: these numbers come from small public samples of BETH (${fmt.int(info.provenance.trained.rows)} ` +
        `training rows; ${fmt.int(info.shown?.rows ?? 0)} test events), not from the full dataset. ` +
        'Treat them as indicative, not as a measurement.'
      : '';
    this.render(info);
  }

  /** Redraws everything after the shown evaluation changed. */
  refresh() {
    if (!this.shown) return;
    const info = this.shown.report.info();
    this.shown.info = info;
    this.render(info);
  }

  /**
   * Draws everything of the shown report, whose facts are `info`.
   * @param {Info} info
   */
  render(info) {
    setWholeLengths(info.whole_lengths);
    this.renderText(info);
    this.thresholdChanged();
    this.paint((chart) => !MOVING.has(chart));
  }

  /** @param {number} threshold */
  setThreshold(threshold) {
    this.moveSlider(threshold);
    this.thresholdChanged();
  }

  /**
   * The slider's grid is the evaluation histogram's: 0.000 to 0.999 in steps of 0.001.
   * @param {number} threshold
   */
  moveSlider(threshold) {
    this.threshold = Math.min(0.999, Math.max(0, Math.round(threshold * 1000) / 1000));
    this.slider.value = String(this.threshold);
  }

  thresholdChanged() {
    if (!this.shown) return;
    $('threshold-value', HTMLOutputElement).value = fmt.threshold(this.threshold);
    $('threshold-reset').textContent = `Model's threshold (${fmt.threshold(this.shown.info.threshold)})`;
    this.renderCards(this.shown.report);
    this.renderCosts(this.shown);
    this.renderStatus(this.shown.report);
    this.paint((chart) => MOVING.has(chart));
    this.onSettings();
  }

  /**
   * The sticky bar's line: flagged events and cost at the threshold, in view beside the slider.
   * @param {Report} report
   */
  renderStatus(report) {
    const s = report.summaryAt(this.threshold);
    const c = s?.confusion;
    const cost = $('cost-current').textContent;
    $('threshold-status').textContent = c
      ? `${fmt.int(c.tp + c.fp)} of ${fmt.count(c.tp + c.fp + c.tn + c.fn, 'event')} flagged (${fmt.int(c.fn)} missed, ${fmt.int(c.fp)} false)` +
        (cost ? ` · cost ${cost}` : '')
      : '';
  }

  /**
   * (Re)draws the charts that `which(chart)` selects, now and on every resize.
   * @param {(chart: string) => boolean} which
   */
  paint(which) {
    const report = this.shown?.report;
    if (!report) return;
    for (const canvas of this.canvases) {
      const chart = canvas.dataset.chart ?? '';
      if (!which(chart)) continue;
      paintCanvas(canvas, () => report.draw(chart, canvas.id, this.threshold, isDark()));
    }
  }

  /** @param {Report} report */
  renderCards(report) {
    const summary = report.summaryAt(this.threshold);
    const cv = this.shown?.info.cross_validation ?? null;
    $('cards').replaceChildren(
      ...(summary
        ? CARDS.map((card) =>
            el(
              'div',
              { className: 'card' },
              el('p', { className: 'card-name', textContent: card.name }),
              el('p', { className: 'card-value' }, ...figure(card, summary)),
              el('p', { className: 'card-note', textContent: card.note(summary.confusion) }),
              // The same measure by host-grouped cross-validation on the training rows, at the
              // model's own threshold: what a host the model never saw might see.
              cv ? el('p', { className: 'card-cv' }, el('span', { className: 'card-cv-name', textContent: 'Cross-validated: ' }), ...figure(card, cv)) : null,
            ),
          )
        : [el('p', { className: 'hint', textContent: 'This model file holds no evaluation: upload a labelled file below to see its metrics.' })]),
      ...evilCard(this.shown?.info.evil ?? null),
    );
    // The intervals' note explains them on the specificity card's own numbers.
    const example = $('intervals-example');
    const specificity = summary?.intervals?.specificity;
    example.hidden = !summary || !specificity;
    if (summary && specificity) {
      const { tn, fp } = summary.confusion;
      const pct = (/** @type {number} */ x) => `${(x * 100).toFixed(1)}%`;
      example.textContent = `${fmt.int(tn)} of ${fmt.count(tn + fp, 'benign event')} is ${pct(summary.rates.specificity)}, but anything from ${pct(specificity.lo)} to ${pct(specificity.hi)} fits them.`;
    }
  }

  /** @param {{ report: Report, info: Info }} shown */
  renderCosts({ report, info }) {
    const error = $('cost-error');
    const price = (/** @type {string} */ id) => Number($(id, HTMLInputElement).value || NaN);
    const figures = ['cost-current', 'cost-current-detail', 'cost-cheapest', 'cost-cheapest-detail'];
    let costs;
    try {
      costs = report.costs(this.threshold, price('cost-missed'), price('cost-false-alarm'));
      showError(error, '');
    } catch (e) {
      // The old figures were for other prices: none are shown rather than wrong ones.
      showError(error, messageOf(e));
      for (const id of figures) $(id).textContent = '';
      this.cheapest = undefined;
      $('cost-apply', HTMLButtonElement).disabled = true;
      this.renderPrevalence(report);
      return;
    }
    $('costs').hidden = !costs;
    if (!costs) return;
    const { current, cheapest, rows } = costs;
    this.cheapest = cheapest.threshold;
    $('cost-apply', HTMLButtonElement).disabled = false;
    $('threshold-marks').replaceChildren(
      el('option', { value: fmt.threshold(info.threshold), label: "model's threshold" }),
      el('option', { value: fmt.threshold(cheapest.threshold), label: 'cheapest threshold' }),
    );
    $('cost-current').textContent = fmt.cost(current.cost);
    $('cost-current-detail').textContent =
      `${fmt.count(current.missed, 'missed attack')} and ${fmt.count(current.false_alarms, 'false alarm')} ` +
      `at ${fmt.threshold(current.threshold)}, over ${fmt.count(rows, 'event')}${errorRates(report.summaryAt(current.threshold))}`;
    $('cost-cheapest').textContent = fmt.cost(cheapest.cost);
    const tied =
      cheapest.from < cheapest.to ? ` (every threshold from ${fmt.threshold(cheapest.from)} to ${fmt.threshold(cheapest.to)} costs as little; this is the middle)` : '';
    const everything = cheapest.flags_everything
      ? ' That flags every event: at these prices no threshold beats calling everything an attack.'
      : '';
    $('cost-cheapest-detail').textContent =
      `at threshold ${fmt.threshold(cheapest.threshold)}${tied}: ${fmt.count(cheapest.missed, 'missed attack')}, ` +
      `${fmt.count(cheapest.false_alarms, 'false alarm')}${errorRates(report.summaryAt(cheapest.threshold))}.${everything}`;
    this.renderPrevalence(report);
  }

  /**
   * Precision and alerts at the threshold for the share of attacks the reader set.
   * @param {Report} report
   */
  renderPrevalence(report) {
    const error = $('prevalence-error');
    const result = $('prevalence-result');
    const percent = Number($('prevalence', HTMLInputElement).value || NaN);
    let at;
    try {
      at = report.atPrevalence(this.threshold, percent / 100);
      showError(error, '');
    } catch (e) {
      showError(error, messageOf(e));
      result.textContent = '';
      return;
    }
    if (!at) {
      result.textContent = 'The events shown hold one class only: no rates to carry over.';
      return;
    }
    const range = (/** @type {Interval | null} */ i, /** @type {(x: number) => string} */ f) => (i ? ` (95% CI ${f(i.lo)}–${f(i.hi)})` : '');
    const per10k = (/** @type {number} */ x) => (x < 10 ? x.toFixed(1) : fmt.int(Math.round(x)));
    result.textContent =
      `With ${fmt.setting(percent)}% attacks, at threshold ${fmt.threshold(this.threshold)}: precision ${fmt.pct(at.precision)}` +
      `${at.precision_interval ? ` (95% CI ${fmt.pctRange(at.precision_interval)})` : ''}; ` +
      `${per10k(at.false_alarms_per_10k_benign)} false alarms per 10,000 benign events${range(at.false_alarms_interval, per10k)}; ` +
      `${per10k(at.alerts_per_10k)} events flagged per 10,000.`;
  }

  /** @param {Info} info */
  renderText(info) {
    const shown = info.shown;
    $('report-title').textContent = this.shipped ? 'The shipped model' : info.kind === 'anomaly' ? 'Anomaly model report' : 'Model report';
    $('report-subtitle').replaceChildren(
      ...(shown ? ['Its results on ', named(shown.source), `: ${fmt.rows(shown)}.`] : ['This model file holds no evaluation.']),
    );
    const banner = $('shown-banner');
    banner.hidden = info.shows_own_evaluation;
    const trainedOn = info.shown_trained_on;
    $('shown-banner-text').replaceChildren(
      ...(shown
        ? ['Showing this model on your file ', named(shown.source), `. The cards, charts and costs describe its ${fmt.count(shown.rows, 'event')}.`]
        : []),
      // Same bytes as a training file: the model has seen these rows, so they flatter it.
      ...(trainedOn
        ? [el('strong', { className: 'trained-on' }, ' This file is the training file ', named(trainedOn), ' (same SHA-256): these figures are on training data.')]
        : []),
    );
    // The core's warnings of classes with too few rows to trust (training rows, shown rows).
    const few = $('few-rows');
    few.hidden = info.few_rows.length === 0;
    few.textContent = info.few_rows.join(' ');
    // The importance chart's "no data" says why.
    const importance = $('importance-caption');
    importance.dataset.text ??= importance.textContent ?? '';
    importance.textContent = info.importance_missing ? `No feature importance for these events: ${info.importance_missing}.` : importance.dataset.text;
    this.renderComparison(info);
    this.renderSeedStudy(info);
    this.renderKind(info);
    this.renderHosts(info.hosts, info.hosts_omitted);
    this.renderProvenance(info);
  }

  /** @param {Info} info */
  renderComparison(info) {
    $('comparison-panel').hidden = info.comparison.length === 0;
    fillComparison($('comparison', HTMLTableElement), info);
    const [ours, other] = comparedColumns(info);
    $('comparison-title').replaceChildren(...(other ? ['This model beside the ', named(other.name)] : ['This model']));
    $('comparison-note').replaceChildren(
      ...(other
        ? [`Both at their own threshold, on the same ${fmt.count(ours.summary.confusion.tn + ours.summary.confusion.fp + ours.summary.confusion.fn + ours.summary.confusion.tp, 'event')}; under each rate and area, its 95% CI.`]
        : info.baseline_elsewhere || info.anomaly?.compared.length
          ? ['The ', named(info.baseline_elsewhere ?? 'models the file compares with'), " was evaluated on the model file's own test rows, not on these events; go back to the model's own results to compare."]
          : ['This model file has no baseline to compare with.']),
    );
  }

  /**
   * The hosts with the most events first, at most `TABLE_ROWS` of them.
   * @param {import('./types').HostEvaluation[]} hosts
   * @param {number} omitted hosts the evaluation counted but did not keep
   */
  renderHosts(hosts, omitted) {
    $('hosts-panel').hidden = hosts.length === 0;
    const num = (/** @type {string} */ text) => ({ text, className: 'num' });
    /** A rate and its interval, or a dash when its class has no rows. */
    const rate = (/** @type {boolean} */ has, /** @type {number} */ x, /** @type {Interval | null | undefined} */ i) =>
      has ? { node: wrap(withInterval(fmt.pct(x), i, fmt.pctRange)), className: 'num' } : num('–');
    const largest = [...hosts].sort((a, b) => b.rows - a.rows).slice(0, TABLE_ROWS);
    const dropped = omitted > 0 ? ` (${fmt.int(omitted)} smaller ${omitted === 1 ? 'host is' : 'hosts are'} not kept in the evaluation)` : '';
    fillTable(
      $('hosts', HTMLTableElement),
      ['Host', ...['Events', 'Benign', 'Suspicious', 'Recall', 'Specificity', 'Missed', 'False alarms', 'ROC-AUC'].map(num)],
      largest.map((h) => [
        { node: named(h.host), className: 'host' },
        num(fmt.int(h.rows)),
        num(fmt.int(h.benign)),
        num(fmt.int(h.suspicious)),
        rate(h.suspicious > 0, h.summary.rates.recall, h.summary.intervals?.recall),
        rate(h.benign > 0, h.summary.rates.specificity, h.summary.intervals?.specificity),
        num(fmt.int(h.summary.confusion.fn)),
        num(fmt.int(h.summary.confusion.fp)),
        // One class only: no ranking to measure.
        num(h.summary.roc_auc === null ? '–' : fmt.dec(h.summary.roc_auc)),
      ]),
      undefined,
      moreRows(hosts.length, largest.length, 'host', dropped),
    );
  }

  /**
   * The loss chart says why it is empty for an anomaly model; its seed study is the file's
   * ROC-AUC at each seed, on `sus` and on `evil`.
   * @param {Info} info
   */
  renderKind(info) {
    const anomaly = info.anomaly;
    const loss = $('chart-loss', HTMLCanvasElement);
    loss.hidden = anomaly !== null;
    const caption = /** @type {HTMLElement} */ (loss.nextElementSibling);
    caption.dataset.network ??= caption.textContent ?? '';
    caption.textContent = anomaly ? 'No training loss: an anomaly model is fitted without gradient steps, so it has no loss to chart.' : caption.dataset.network;
    const seeds = anomaly?.seed_study ?? [];
    $('chart-seeds').closest('figure')?.toggleAttribute('hidden', anomaly !== null);
    if (!anomaly || seeds.length === 0 || !info.shows_own_evaluation) return;
    $('seed-study').hidden = false;
    $('seed-study-title').textContent = `Across ${fmt.int(seeds.length)} seeds`;
    $('seed-study-note').textContent = "This recipe and the BETH paper's isolation forest refitted with each seed, on the model file's own test rows: ROC-AUC on sus and on evil.";
    const auc = (/** @type {number | null} */ x) => ({ text: x === null ? '–' : fmt.dec(x), className: 'num' });
    fillTable(
      $('seed-table', HTMLTableElement),
      ['Seed', ...['sus', 'evil', "paper's sus", "paper's evil"].map((h) => ({ text: `ROC-AUC ${h}`, className: 'num' }))],
      seeds.map((r) => [String(r.seed), auc(r.sus), auc(r.evil), auc(r.paper_sus), auc(r.paper_evil)]),
    );
  }

  /** @param {Info} info */
  renderSeedStudy(info) {
    const study = info.seed_study;
    const other = info.comparison[1];
    $('seed-study').hidden = !study || !other;
    if (!study || !other) return;
    $('seed-study-title').textContent = `Across ${fmt.int(study.seeds)} training seeds`;
    $('seed-study-note').textContent =
      `Both recipes retrained on the same rows with ${study.seeds} other seeds for the initial weights, and tested on the same events: ` +
      'the median, under it the lowest and highest result, and under those the widest of the runs\' 95% CIs. A wide range means that one run says little.';
    /** @type {Record<string, (x: number) => string>} */
    const format = { 'ROC-AUC': (x) => fmt.dec(x), Recall: fmt.pct, Specificity: fmt.pct };
    /** @type {(metric: string, s: import('./types').Spread, i: Interval | null) => import('./dom.js').Cell} */
    const spread = (metric, s, i) => {
      const f = format[metric] ?? ((x) => (Number.isInteger(x) ? fmt.int(x) : x.toFixed(1)));
      const ci = i ? [ci95('range', metric === 'ROC-AUC' ? fmt.decRange(i) : fmt.pctRange(i))] : [];
      return { node: el('span', {}, f(s.median), el('span', { className: 'range', textContent: `${f(s.min)} – ${f(s.max)}` }), ...ci), className: 'num' };
    };
    fillTable(
      $('seed-table', HTMLTableElement),
      ['', { node: named(info.comparison[0].name), className: 'num' }, { node: named(other.name), className: 'num' }],
      study.rows.map((row) => [
        named(row.metric),
        spread(row.metric, row.ours, row.ours_interval),
        spread(row.metric, row.reference, row.reference_interval),
      ]),
    );
  }

  /** @param {Info} info */
  renderProvenance(info) {
    const c = info.config;
    const { training_data: files, training_files: count, trained, calibration_data: calibration, calibration_files: calibrationCount, calibrated } = info.provenance;
    /** @type {[string, (string | Node)[]][]} */
    const facts = [
      ['Trained on', [`${fmt.rows(trained)} from `, ...listed(files.map((d) => d.source), count, 'file')]],
      ...(calibrationCount > 0
        ? /** @type {[string, (string | Node)[]][]} */ ([['Threshold calibrated on', [`${fmt.rows(calibrated)} not fitted on, from `, ...listed(calibration.map((d) => d.source), calibrationCount, 'file')]]])
        : []),
      ['Protocol', [named(fmt.sentence(info.provenance.protocol))]],
      ['Features', [named(info.feature_set), ': ', ...listed(info.features, info.features.length, 'feature', '; ')]],
      c
        ? [
            'Network',
            [
              `layers ${info.layers.join(' → ')}; `,
              named(info.optimizer),
              `, learning rate ${fmt.setting(c.learning_rate)}, batch ${fmt.int(c.batch_size)}; ${fmt.int(info.steps_run)} steps (`,
              named(info.stopped),
              ')',
            ],
          ]
        : [
            'Anomaly model',
            ['fitted without labels, preset ', named(info.preset), ': ', named(info.anomaly?.settings ?? '')],
          ],
      ['Threshold', [`${fmt.threshold(info.threshold)}: `, named(info.threshold_rule)]],
    ];
    if (info.cross_validation) {
      const cv = info.cross_validation;
      facts.push([
        'Cross-validation',
        [`within the training rows: ROC-AUC ${fmt.dec(cv.roc_auc)}, recall ${fmt.pct(cv.rates.recall)}, specificity ${fmt.pct(cv.rates.specificity)}`],
      ]);
    }
    facts.push(['Made by', [named(info.provenance.tool), ': ', named(info.provenance.command, SHORT, info.provenance.command_length)]]);
    $('provenance').replaceChildren(...facts.flatMap(([name, parts]) => [el('dt', { textContent: name }), el('dd', {}, ...parts)]));
    // Calibration files after the training files, said to be so.
    const shown = [...files.map((d) => ({ d, note: '' })), ...calibration.map((d) => ({ d, note: ' · threshold calibration only' }))].slice(0, TABLE_ROWS);
    fillTable(
      $('training-data', HTMLTableElement),
      ['Training file', ...['Rows', 'Benign', 'Suspicious'].map((h) => ({ text: h, className: 'num' })), 'SHA-256'],
      shown.map(({ d, note }) => [
        el('span', {}, named(d.source), note),
        { text: fmt.int(d.rows), className: 'num' },
        { text: fmt.int(d.benign), className: 'num' },
        { text: fmt.int(d.suspicious), className: 'num' },
        { text: d.sha256 ? `${cut(d.sha256, 16)}…` : '–', className: 'mono', title: cut(d.sha256 ?? '', SHORT) },
      ]),
      undefined,
      moreRows(count + calibrationCount, shown.length, 'training file'),
    );
  }
}
