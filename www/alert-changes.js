// @ts-check
// How a scored file's alerts change from the model that scored it to the model now in use (after
// "Retrain with my verdicts" and "Use the new model", or any other model taken up): the alerts
// gone, new and kept with the change of their highest score, and whether each model says what
// each of the analyst's verdicts says. Every number comes from the core (alerts::compare, through
// the worker's CompareSession); this file lays them out. Loaded with www/verdicts.js.

import { el, fillTable, fmt, named } from './dom.js';

/** @param {import('./types').Standing | null} s */
const rank = (s) => (s ? `#${s.rank}` : '–');
/** @param {import('./types').Standing | null} s */
const score = (s) => (s ? fmt.dec(s.max_score, 4) : '–');
/** @param {number | null} x */
const signed = (x) => (x === null ? '–' : `${x > 0 ? '+' : ''}${fmt.dec(x, 4)}`);

/**
 * Fills `box` with the comparison `changes` of the file `name`.
 * @param {HTMLElement} box
 * @param {import('./types').AlertChanges} changes
 * @param {string} name
 */
export function showChanges(box, changes, name) {
  const c = changes;
  /** @type {[string, import('./types').AlertChange[], number][]} */
  const kinds = [
    ['gone', c.gone, c.gone_total],
    ['new', c.new, c.new_total],
    ['kept', c.kept, c.kept_total],
  ];
  const alerts = el('table', { className: 'numbers', id: 'alert-changes' });
  fillTable(
    alerts,
    ['Change', 'Alert', { text: 'Rank before', className: 'num' }, { text: 'Highest score before', className: 'num' }, { text: 'Rank now', className: 'num' }, { text: 'Highest score now', className: 'num' }, { text: 'Score change', className: 'num' }],
    kinds.flatMap(([kind, list]) =>
      list.map((a) => [
        kind,
        el('span', {}, named(a.process_name, 60), a.pid === null ? '' : ` (${a.pid})`, ' on ', named(a.host, 40)),
        { text: rank(a.before), className: 'num' },
        { text: score(a.before), className: 'num' },
        { text: rank(a.after), className: 'num' },
        { text: score(a.after), className: 'num' },
        { text: signed(a.score_change), className: 'num' },
      ]),
    ),
    'Alerts gone, new and kept',
    kinds.some(([, list, total]) => list.length < total) ? `The first ${fmt.int(c.gone.length)} gone, ${fmt.int(c.new.length)} new and ${fmt.int(c.kept.length)} kept are listed.` : undefined,
  );
  const verdicts = el('table', { className: 'numbers', id: 'verdict-checks' });
  /** @param {import('./types').VerdictCheck} v @param {boolean} flagged */
  const says = (v, flagged) => (v.on === 'alert' ? (flagged ? 'alert raised' : 'no alert') : flagged ? 'flagged' : 'not flagged');
  fillTable(
    verdicts,
    ['Your verdict on', 'Your verdict', 'The model that scored the file', 'The model now in use', 'Agrees now'],
    c.verdicts.map((v) => [
      v.on === 'alert' ? named(`the alert of ${v.process ?? 'a process'} (from line ${fmt.int(v.line)})`, 120) : `line ${fmt.int(v.line)}`,
      v.attack ? 'attack' : 'benign',
      says(v, v.before),
      says(v, v.after),
      v.after === v.attack ? 'yes' : 'no',
    ]),
    'Your verdicts against each model',
  );
  const n = c.verdicts.length;
  box.replaceChildren(
    el('h4', { textContent: 'How the alerts change with the model now in use' }),
    el('p', {
      id: 'alert-changes-summary',
      textContent:
        `${name}: ${fmt.count(c.before, 'alert')} under the model that scored it, ${fmt.int(c.after)} under the model now in use: ` +
        `${fmt.int(c.gone_total)} gone, ${fmt.int(c.new_total)} new, ${fmt.int(c.kept_total)} kept. ` +
        `Of your ${fmt.count(n, 'verdict')}, the model now in use agrees with ${fmt.int(c.agrees_after)} (the model that scored the file: ${fmt.int(c.agreed_before)}).`,
    }),
    el('div', { className: 'table-scroll' }, alerts),
    ...(n ? [el('div', { className: 'table-scroll' }, verdicts)] : []),
  );
}
