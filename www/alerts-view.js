// @ts-check
// The alerts of a file the worker read (one per process on a host, ranked by the core): a list
// to filter by host and sort, moved through with the arrow keys; for the chosen alert its
// process tree and timeline (drawn by the wasm on canvases), the explanation of its most
// suspicious event (the event form's explanation), its events, and every alert as ECS NDJSON
// for download. Every value comes from the worker's outcome; this file only lays it out.
// Alerts are the scores of the model that read the file: once another model is in use they are
// hidden, with a line saying so and a button that reads the file again with the model in use.

import { $, downloadLink, el, fillTable, fmt, loadOnce, messageOf, named, showError } from './dom.js';
import { paintCanvas } from './canvas.js';
import { isDark, onThemeChange } from './theme.js';
import { showExplanation } from './explanation-view.js';

/** @typedef {typeof import('./pkg-alerts/cyber_attack_detector.js')} AlertCharts */

/**
 * The wasm build that draws an alert's process tree and timeline (www/pkg-alerts, `make build`),
 * loaded when the page first has alerts to show: the page's first load carries only the report's
 * code (its size budget, README "Performance"). A failed load is tried again on the next draw.
 * @type {() => Promise<AlertCharts>}
 */
const alertCharts = loadOnce(async () => {
  const charts = await import('./pkg-alerts/cyber_attack_detector.js');
  await charts.default();
  return charts;
});

/** @typedef {import('./types').Alerts} Alerts */
/** @typedef {import('./types').AlertView} AlertView */

/** The list's orders: each compares two alerts, ties by rank. */
/** @type {Record<string, (a: import('./types').Alert, b: import('./types').Alert) => number>} */
const SORTS = {
  priority: (a, b) => a.rank - b.rank,
  score: (a, b) => b.max_score - a.max_score || a.rank - b.rank,
  count: (a, b) => b.suspicious - a.suspicious || a.rank - b.rank,
  time: (a, b) => a.first_time - b.first_time || a.rank - b.rank,
};

/** Seconds since the epoch that a `Date` can hold (±8.64e15 ms). */
const DATE_LIMIT = 8.64e12;

/**
 * A time on the outcome's clock, as text.
 * @param {number} t
 * @param {import('./types').Clock} clock
 */
function when(t, clock) {
  if (!Number.isFinite(t)) return 'n/a';
  if (clock === 'row_order') return `row ${fmt.int(t + 1)}`;
  if (clock === 'wall' && Math.abs(t) < DATE_LIMIT) return new Date(t * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC');
  return `${t.toFixed(3)} s after boot`;
}

/**
 * "name (pid)" of a process.
 * @param {string} name
 * @param {number | null} pid
 */
const process = (name, pid) => el('span', {}, named(name, 60), pid === null ? '' : ` (${pid})`);

/** @param {number} n */
const entries = (n) => `${fmt.int(n)} ${n === 1 ? 'entry' : 'entries'}`;
/** @param {number} n */
const events = (n) => fmt.count(n, 'event');

/**
 * "48 of 113 entries (208 of 282 events)", or "all 5 entries (7 events)" when `part` is `whole`.
 * @param {import('./types').TimelineCounts} part
 * @param {import('./types').TimelineCounts} whole
 */
function ofWhole(part, whole) {
  if (part.entries === whole.entries && part.events === whole.events) return `${whole.entries === 1 ? '' : 'all '}${entries(whole.entries)} (${events(whole.events)})`;
  return `${fmt.int(part.entries)} of ${entries(whole.entries)} (${fmt.int(part.events)} of ${events(whole.events)})`;
}

/**
 * What the events table of an alert lists of its family's events, from the core's counts: its
 * caption, and when some are left out, a line saying how many and where they are.
 * @param {AlertView} view
 * @param {Alerts} alerts
 * @param {import('./types').Alert} alert
 * @returns {{ caption: string, more: string | undefined }}
 */
function extentText(view, alerts, alert) {
  const { seen, kept } = view.extent;
  const { listed } = view;
  const why = [];
  if (kept.entries < seen.entries) why.push(`the first ${fmt.int(alerts.first_entries)} and the ${fmt.int(alerts.top_entries)} highest-scoring entries of each process are kept`);
  if (listed.entries < kept.entries) why.push(`the table lists ${fmt.int(listed.entries)} of the ${fmt.int(kept.entries)} kept, this process's first`);
  const caption = `Events of this process and its children: ${ofWhole(listed, seen)}${why.length ? `: ${why.join('; ')}` : ''}`;
  if (listed.entries === seen.entries) return { caption, more: undefined };
  const left = { entries: seen.entries - listed.entries, events: seen.events - listed.events };
  return {
    caption,
    more: `${entries(left.entries)} (${events(left.events)}) are left out here; the file itself has every event (this process's first is on line ${fmt.int(alert.first_line)}).`,
  };
}

/**
 * What the timeline chart marks of the alert's family's events, from the core's counts.
 * @param {AlertView} view
 */
function drawnText(view) {
  const { seen, kept } = view.extent;
  const { drawn } = view;
  if (drawn.entries === seen.entries) return `It marks ${ofWhole(drawn, seen)}.`;
  const which = drawn.entries < kept.entries ? `the first ${fmt.int(drawn.entries)} of those kept` : 'those kept';
  return `It marks ${ofWhole(drawn, seen)}, ${which}: events between its marks may be left out, and its ×N count only the marked ones.`;
}

/**
 * An alerts-list cell: how many training events had the inputs of an alert's top event and how
 * many of them were suspicious, or that none had (its score is the network extrapolating).
 * @param {import('./types').Said | null} said
 * @returns {import('./dom.js').Cell}
 */
function seenInTraining(said) {
  if (!said) return '–';
  if (said.rows === 0) return { text: said.rows_not_kept > 0 ? 'none kept' : 'none', title: 'No training event had these inputs: the score is the network extrapolating' };
  return `${fmt.int(said.rows)}, ${Math.round((100 * said.suspicious) / said.rows)}% suspicious`;
}

export class AlertsView {
  /** @param {import('./app.js').App} app */
  constructor(app) {
    this.app = app;
    /** @type {Alerts | null} */
    this.alerts = null;
    /** The model that scored the alerts shown (`app.json` then). @type {import('./types').ModelSource | null} */
    this.scoredWith = null;
    /** The file's name, and what reads it again. */
    this.file = { name: '', again: () => {} };
    /** @type {AlertView | null} */
    this.chosen = null;
    /** The analyst's verdicts on the file, when it was scored (www/verdicts.js). @type {import('./verdicts.js').Verdicts | null} */
    this.verdicts = null;
    /** The alerts listed, in order, and their buttons. @type {AlertView[]} */
    this.shown = [];
    /** @type {HTMLButtonElement[]} */
    this.buttons = [];
    this.host = $('alerts-host', HTMLSelectElement);
    this.sort = $('alerts-sort', HTMLSelectElement);
    this.host.addEventListener('change', () => this.list());
    this.sort.addEventListener('change', () => this.list());
    // Arrow keys move through the list and show the alert under the focus.
    $('alerts-list').addEventListener('keydown', (event) => {
      const at = this.buttons.indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
      if (at < 0) return;
      const last = this.buttons.length - 1;
      /** @type {Record<string, number>} */
      const moves = { ArrowDown: Math.min(at + 1, last), ArrowUp: Math.max(at - 1, 0), Home: 0, End: last };
      const to = moves[event.key];
      if (to === undefined) return;
      event.preventDefault();
      this.buttons[to].focus();
      this.buttons[to].click();
    });
    onThemeChange(() => void this.draw());
    // app.js says when the model in use changes (a model trained, loaded or put back).
    document.addEventListener('model-change', () => this.freshness());
  }

  /**
   * Shows the alerts of `name`, with `ndjson` for download, and opens the first; with
   * `verdicts`, each alert can be given one. `scoredWith` is the model that scored them: when
   * it is no longer the one in use (another taken up while the file was read), they are hidden
   * at once, and `again` reads the file again.
   * @param {Alerts} alerts
   * @param {Blob} ndjson
   * @param {string} name
   * @param {import('./verdicts.js').Verdicts | null} verdicts
   * @param {import('./types').ModelSource} scoredWith
   * @param {() => void} again
   */
  show(alerts, ndjson, name, verdicts, scoredWith, again) {
    this.alerts = alerts;
    this.verdicts = verdicts;
    this.scoredWith = scoredWith;
    this.file = { name, again };
    const section = $('alerts');
    section.hidden = false;
    const base = name.replace(/\.gz$/i, '').replace(/\.(csv|jsonl|json)$/i, '');
    downloadLink($('alerts-download', HTMLAnchorElement), ndjson, `${base}-alerts.ndjson`);
    $('alerts-download').textContent = `Download alerts (NDJSON, ${fmt.bytes(ndjson.size)})`;
    const hosts = [...new Set(alerts.alerts.map((v) => v.alert.host))].sort();
    this.host.replaceChildren(el('option', { value: '', textContent: `All hosts (${hosts.length})` }), ...hosts.map((h) => el('option', { value: h, textContent: h })));
    this.sort.value = 'priority';
    this.chosen = null;
    this.freshness();
  }

  /** Whether the alerts were scored by a model other than the one now in use. */
  get stale() {
    return this.scoredWith !== this.app.json;
  }

  /**
   * Lists the alerts when the model in use scored them; else hides them and says so in the
   * summary, with a button that reads the file again with the model in use.
   */
  freshness() {
    const alerts = this.alerts;
    if (!alerts) return;
    const { name } = this.file;
    const body = $('alerts-body');
    const summary = $('alerts-summary');
    if (this.stale) {
      body.hidden = true;
      this.chosen = null;
      const again = el('button', { type: 'button', className: 'button small', id: 'alerts-again', textContent: 'Check this file again' });
      again.addEventListener('click', () => this.file.again());
      summary.replaceChildren(
        'The alerts of ',
        named(name),
        ' were scored by the previous model, not the one now in use, so they are hidden. ',
        again,
        ' to score it and group its alerts with the model now in use.',
      );
      return;
    }
    const listed = alerts.alerts.length < alerts.total ? `; the first ${fmt.int(alerts.alerts.length)} are listed, the download has all` : '';
    summary.replaceChildren(
      named(name),
      `: ${fmt.count(alerts.rows, 'event')} of ${fmt.int(alerts.processes)} process${alerts.processes === 1 ? '' : 'es'} grouped into ${fmt.count(alerts.total, 'alert')} ` +
        `(processes with an event at or above the threshold ${fmt.threshold(alerts.threshold)}), highest priority first${listed}.` +
        (alerts.omitted_rows > 0 ? ` ${fmt.int(alerts.omitted_rows)} events of processes beyond the grouper's bound were not grouped.` : ''),
    );
    body.hidden = false;
    this.list();
  }

  /** Fills the list as the host filter and order say, and shows the chosen alert (or the first). */
  list() {
    if (!this.alerts || this.stale) return;
    const { clock } = this.alerts;
    const host = this.host.value;
    const order = SORTS[this.sort.value] ?? SORTS.priority;
    const shown = this.alerts.alerts.filter((v) => !host || v.alert.host === host).sort((a, b) => order(a.alert, b.alert));
    this.shown = shown;
    this.buttons = shown.map((v) => {
      const button = el('button', { type: 'button', className: 'alert-pick' }, `#${v.alert.rank} `, process(v.alert.process_name, v.alert.pid));
      button.addEventListener('click', () => this.choose(v));
      return button;
    });
    // Whether training backs each alert's top event: a column only for a model that keeps its
    // training inputs.
    const training = shown.some((v) => v.alert.precedent)
      ? [{ text: 'In training', title: "Training events with exactly the inputs of the alert's most suspicious event, and how many were labelled suspicious" }]
      : [];
    fillTable(
      $('alerts-list', HTMLTableElement),
      ['Alert', 'Host', { text: 'Highest score', className: 'num' }, ...training, { text: 'Suspicious events', className: 'num' }, 'First event', 'Events seen'],
      shown.map((v, i) => [
        { node: this.buttons[i] },
        { node: named(v.alert.host, 40), className: 'host' },
        { text: fmt.dec(v.alert.max_score, 3), className: 'num' },
        ...(training.length ? [seenInTraining(v.alert.precedent)] : []),
        { text: `${fmt.int(v.alert.suspicious)} of ${fmt.int(v.alert.events)}`, className: 'num' },
        when(v.alert.first_time, clock),
        named(v.alert.event_names.slice(0, 4).map((n) => `${n.name} ×${fmt.int(n.count)}`).join(', '), 80),
      ]),
      `${fmt.count(shown.length, 'alert')}${host ? ' on this host' : ''}`,
    );
    const keep = this.chosen && shown.includes(this.chosen) ? this.chosen : shown[0];
    if (keep) this.choose(keep);
    else $('alert-detail').hidden = true;
  }

  /** @param {AlertView} view */
  choose(view) {
    if (!this.alerts) return;
    this.chosen = view;
    const { clock } = this.alerts;
    const { alert } = view;
    // One stop in the tab order: the chosen alert's button; the arrow keys move from it.
    this.buttons.forEach((b, i) => {
      const current = this.shown[i] === view;
      b.setAttribute('aria-current', String(current));
      b.tabIndex = current ? 0 : -1;
    });
    const detail = $('alert-detail');
    detail.hidden = false;
    $('alert-title').replaceChildren(`Alert #${alert.rank}: `, process(alert.process_name, alert.pid), ' on ', named(alert.host, 60));
    const parent = alert.parent_pid === null ? 'not in the file' : [alert.parent_name === null ? 'a process not in the file' : alert.parent_name, ` (${alert.parent_pid})`].join('');
    const facts = /** @type {[string, string | Node][]} */ ([
      ['Priority', `${fmt.dec(alert.priority, 3)} (highest score × (1 + log₁₀ of the suspicious events))`],
      ['Scores', `highest ${fmt.dec(alert.max_score, 4)} (line ${fmt.int(alert.max_line)}), mean ${fmt.dec(alert.mean_score, 4)}`],
      ['Events', `${fmt.int(alert.suspicious)} suspicious of ${fmt.int(alert.events)}; ${fmt.int(alert.collapsed)} were repeats of the one before`],
      ['When', `${when(alert.first_time, clock)} to ${when(alert.last_time, clock)}`],
      ['Parent', named(parent, 80)],
      ['User id', alert.user_id === null ? 'n/a' : String(alert.user_id)],
      ['Names', named(alert.process_names.map((n) => `${n.name} ×${fmt.int(n.count)}`).join(', '), 200)],
    ]);
    $('alert-facts').replaceChildren(...facts.flatMap(([name, value]) => [el('dt', { textContent: name }), el('dd', {}, value)]));
    const verdict = $('alert-verdict');
    verdict.hidden = !this.verdicts;
    verdict.replaceChildren(...(this.verdicts ? [this.verdicts.alertCell(alert)] : []));
    void this.draw();
    this.explain(alert);
    const { caption, more } = extentText(view, this.alerts, alert);
    $('alert-timeline-extent').textContent = drawnText(view);
    fillTable(
      $('alert-events', HTMLTableElement),
      ['Time', { text: 'Line', className: 'num' }, { text: 'pid', className: 'num' }, 'Event', { text: '×', className: 'num' }, { text: 'Score', className: 'num' }, 'Verdict', 'Arguments'],
      view.events.map((e) => [
        when(e.time, clock),
        { text: fmt.int(e.line), className: 'num' },
        { text: e.pid === null ? '–' : String(e.pid), className: 'num' },
        named(e.event_name, 60),
        { text: fmt.int(e.repeats), className: 'num' },
        { text: fmt.dec(e.score, 4), className: 'num' },
        { node: el('span', { className: `badge ${e.suspicious > 0 ? 'suspicious' : 'benign'}`, textContent: e.suspicious > 0 ? 'suspicious' : 'benign' }) },
        { node: named(e.args, 120), className: 'mono' },
      ]),
      caption,
      more,
    );
    // The note in a block of its own, which stays in view as the table scrolls sideways.
    const note = $('alert-events').querySelector('tfoot td');
    note?.replaceChildren(el('span', { className: 'more-text' }, note.textContent ?? ''));
  }

  /** Draws the chosen alert's tree and timeline (again, for a theme change or a resize). */
  async draw() {
    const view = this.chosen;
    if (!view) return;
    const error = $('alert-charts-error');
    /** @type {AlertCharts} */
    let charts;
    try {
      charts = await alertCharts();
    } catch (e) {
      showError(error, `The alert charts could not be loaded: ${messageOf(e)}`);
      return;
    }
    showError(error, '');
    // Another alert chosen while the charts' code loaded draws itself.
    if (this.chosen !== view) return;
    paintCanvas($('alert-tree', HTMLCanvasElement), () => charts.drawProcessTree('alert-tree', view.tree, isDark()));
    paintCanvas($('alert-timeline', HTMLCanvasElement), () => charts.drawTimeline('alert-timeline', view.timeline, isDark()));
  }

  /**
   * The explanation of `alert`'s most suspicious event by the current model.
   * @param {import('./types').Alert} alert
   */
  explain(alert) {
    const error = $('alert-explanation-error');
    const box = $('alert-explanation');
    const report = this.app.report;
    showExplanation(box, null, 'alert-contributions');
    if (!report.explainsQuickly()) {
      // A wide network's explanation is seconds of work, and an anomaly model's code is the
      // worker's: the event form explains them in a worker.
      showError(error, '');
      $('alert-explanation-note').textContent = `This model explains events in the background, not on the page: type the event (line ${fmt.int(alert.max_line)}) into "Score one event" to see it explained.`;
      return;
    }
    try {
      const texts = alert.max_texts;
      const explained = report.explain(texts);
      // A text field's contribution shows its text (e.g. `sshd`), as the event form's does.
      const typed = new Map(report.eventForm().fields.map((f, i) => [f.column, f.text ? texts[i] : null]));
      const explanation = {
        ...explained,
        contributions: explained.contributions.map((c) => ({ ...c, value: typed.get(c.field) ?? c.value })),
      };
      showError(error, '');
      $('alert-explanation-note').textContent =
        `The most suspicious event (line ${fmt.int(alert.max_line)}) scores ${fmt.dec(explanation.score, 4)} with the current model; what pushed it:`;
      showExplanation(box, explanation, 'alert-contributions');
    } catch (e) {
      $('alert-explanation-note').textContent = '';
      showError(error, `The most suspicious event cannot be explained by the current model: ${messageOf(e)}`);
    }
  }
}
