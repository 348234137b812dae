// @ts-check
// Small DOM helpers. Every piece of text goes in through textContent: nothing from a file or
// a model is ever parsed as HTML.

/**
 * The page's element `id`, an instance of `type` (`HTMLElement` unless given); throws when
 * index.html has no such element, so that a renamed id fails at once and by name.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {new (...args: never[]) => T} [type]
 * @returns {T}
 */
export function $(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof (type ?? HTMLElement))) throw new Error(`The page has no ${type?.name ?? 'element'} #${id}.`);
  return /** @type {T} */ (node);
}

/**
 * A table cell's content: text, a node, or either with a class and a tooltip.
 * @typedef {string | Node | { text?: string, node?: Node, className?: string, title?: string }} Cell
 */

/**
 * An element with properties (`className`, `textContent`, `dataset`, attributes…) and children.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown>} [props]
 * @param {(Node | string | null | undefined)[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    // Properties by name (className, textContent, htmlFor…): `key in node` says it has one.
    else if (key in node) /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (node))[key] = value;
    else node.setAttribute(key, String(value));
  }
  appendAll(node, children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** The most nodes passed to one `append` call: spreading a huge array overflows the stack. */
const BATCH = 1000;

/**
 * Appends `nodes` to `parent`, in batches of at most `BATCH` arguments per call.
 * @param {ParentNode} parent
 * @param {(Node | string)[]} nodes
 */
export function appendAll(parent, nodes) {
  for (let i = 0; i < nodes.length; i += BATCH) parent.append(...nodes.slice(i, i + BATCH));
}

/** The longest text from a file shown whole; longer ones show this much and a button for more. */
export const SHORT = 200;
/** What "more" shows of a long text at most: enough to read, bounded so that layout stays quick. */
const LONG = 10_000;

/**
 * The first `n` UTF-16 units of `text`, without a lone half of a surrogate pair at the end.
 * @param {string} text
 * @param {number} n
 */
export function cut(text, n) {
  if (text.length <= n) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(n - 1)) ? n - 1 : n;
  return text.slice(0, end);
}

/** The whole length of each text that the shown report holds only the start of, by that start. */
let wholeLengths = new Map();

/**
 * Tells `named` how long the texts the shown report holds only the start of were (its `Info`'s
 * `whole_lengths`), so that it counts what is not shown of them.
 * @param {[string, number][]} lengths
 */
export function setWholeLengths(lengths) {
  wholeLengths = new Map(lengths);
}

/**
 * A text from a file (a name, a value, a message), shown isolated from the sentence around it,
 * so that bidi controls inside it (a right-to-left override) cannot reorder that sentence, and
 * shortened to `limit` characters, with a button that shows up to `LONG` of it.
 * @param {string} text
 * @param {number} [limit]
 * @param {number} [length] the whole text's length, when `text` is only its start (by default
 *   the one `setWholeLengths` gave for it)
 * @returns {HTMLElement}
 */
export function named(text, limit = SHORT, length = wholeLengths.get(text) ?? text.length) {
  const shown = cut(text, limit);
  if (shown.length === length) return el('bdi', { textContent: text });
  const rest = (/** @type {string} */ part) => `… (${fmt.int(length - part.length)} more characters)`;
  const more = el('button', { type: 'button', className: 'more', textContent: rest(shown) });
  // Named by the text's start: a table of long arguments is otherwise a column of buttons all
  // called "… (41 more characters)" to a screen reader.
  more.setAttribute('aria-label', `Show ${fmt.int(length - shown.length)} more characters of ${cut(shown, 40)}`);
  const node = el('span', { className: 'long' }, el('bdi', { textContent: shown }), more);
  more.addEventListener('click', () => {
    const longer = cut(text, LONG);
    node.replaceChildren(el('bdi', { textContent: longer }), longer.length < length ? ` ${rest(longer)}, not shown` : '');
  });
  return node;
}

/** Error messages are longer than names: they name a file, a place and a value. */
const MESSAGE = 1000;

/**
 * Shows `message` in the alert `node`, or hides it when empty; `note` (the page's own words)
 * follows on a line of its own. A message that starts with `name` (the file's name, which the
 * message echoes) shows the name isolated, as `named` shows it.
 * @param {HTMLElement} node
 * @param {string | null | undefined} message
 * @param {{ note?: string, name?: string }} [options]
 */
export function showError(node, message, { note, name } = {}) {
  node.hidden = !message;
  if (!message) {
    node.textContent = '';
    return;
  }
  const head = name && message.startsWith(name) ? [named(name), named(message.slice(name.length), MESSAGE)] : [named(message, MESSAGE)];
  node.replaceChildren(...head, ...(note ? [`\n${note}`] : []));
}

/**
 * Moves the focus to the title (`${id}-title`, tabindex -1) of the section `id` and brings the
 * section into view: where the reader goes once it shows what they asked for (the report
 * another model, Train the file to train on), so that the next Tab goes on from there.
 * @param {string} id
 */
export function focusSection(id) {
  $(`${id}-title`).focus();
  $(id).scrollIntoView();
}

/**
 * `load()` run on the first call and its promise kept for the next ones; after a failure (code
 * loaded on first use, and the network failed) the next call runs it again.
 * @template T
 * @param {() => Promise<T>} load
 * @returns {() => Promise<T>}
 */
export function loadOnce(load) {
  /** @type {Promise<T> | null} */
  let loading = null;
  return () => {
    if (!loading) {
      loading = load();
      loading.catch(() => {
        loading = null;
      });
    }
    return loading;
  };
}

/**
 * The message of anything thrown: wasm errors are `Error`s carrying the core's message.
 * @param {unknown} error
 */
export function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A table of `head` (column names) and `rows` (arrays of cells).
 * @param {HTMLTableElement} table
 * @param {Cell[]} head
 * @param {Cell[][]} rows
 * @param {string} [caption]
 * @param {string} [more] a last line under the rows: what the table leaves out
 */
export function fillTable(table, head, rows, caption, more) {
  /** @type {(tag: 'th' | 'td', value: Cell) => HTMLElement} */
  const cell = (tag, value) =>
    typeof value === 'object' && value !== null && !(value instanceof Node)
      ? el(tag, { className: value.className ?? '', title: value.title }, value.node ?? value.text ?? '')
      : el(tag, {}, value ?? '');
  const body = el('tbody');
  appendAll(body, rows.map((row) => el('tr', {}, ...row.map((v, i) => cell(i === 0 ? 'th' : 'td', v)))));
  table.replaceChildren(
    ...(caption ? [el('caption', { textContent: caption })] : []),
    el('thead', {}, el('tr', {}, ...head.map((h) => cell('th', h)))),
    body,
    ...(more ? [el('tfoot', {}, el('tr', {}, el('td', { colSpan: head.length, className: 'more-rows', textContent: more })))] : []),
  );
  table.querySelectorAll('tbody th').forEach((th) => th.setAttribute('scope', 'row'));
}

/** The most rows a table of a file's items (hosts, training files) shows. */
export const TABLE_ROWS = 50;

const integer = new Intl.NumberFormat('en-US');

/** Number formats. A number that is not finite (a NaN, or `null` for one) shows as "n/a". */
export const fmt = {
  /** @param {number} n */
  int: (n) => integer.format(n),
  /** @param {number | null} x */
  pct: (x) => (x !== null && Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a'),
  /** @param {number | null} x */
  dec: (x, digits = 4) => (x !== null && Number.isFinite(x) ? x.toFixed(digits) : 'n/a'),
  /**
   * A 95% interval of a rate, two decimals as the rate itself: "91.00–99.70%" (one made a
   * recall of 99.91% read "99.8–100.0%", an interval seeming to reach 100% when it ends at 99.96%).
   * @param {{ lo: number, hi: number }} i
   */
  pctRange: (i) => `${(i.lo * 100).toFixed(2)}–${(i.hi * 100).toFixed(2)}%`,
  /**
   * A 95% interval of an area, four decimals as the area itself: "0.9985–0.9997" (three made
   * 0.9997 "1.000", an interval that seemed to leave out its own 0.9992).
   * @param {{ lo: number, hi: number }} i
   */
  decRange: (i) => `${i.lo.toFixed(4)}–${i.hi.toFixed(4)}`,
  /** @param {number} t */
  threshold: (t) => t.toFixed(3),
  /**
   * A setting stored as f32, without its binary tail: 0.003000000026 → "0.003".
   * @param {number} x
   */
  setting: (x) => String(Number(x.toPrecision(6))),
  /** @param {number} x */
  cost: (x) => (Number.isFinite(x) ? integer.format(Math.round(x * 100) / 100) : 'n/a'),
  /** @param {number} n */
  bytes: (n) => {
    const units = ['bytes', 'KB', 'MB', 'GB'];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) {
      n /= 1000;
      i += 1;
    }
    return i === 0 ? `${n} bytes` : `${n.toFixed(1)} ${units[i]}`;
  },
  /**
   * The text with a capital first letter.
   * @param {string} text
   */
  sentence: (text) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`,
  /**
   * `count` and `noun`, plural unless it is one: (1, 'false alarm') → "1 false alarm".
   * @param {number} n
   * @param {string} noun
   */
  count: (n, noun) => `${integer.format(n)} ${noun}${n === 1 ? '' : 's'}`,
  /**
   * "4,394 rows (59 benign, 4,335 suspicious)"
   * @param {{ rows: number, benign: number, suspicious: number }} d
   */
  rows: (d) => `${integer.format(d.rows)} rows (${integer.format(d.benign)} benign, ${integer.format(d.suspicious)} suspicious)`,
};

/**
 * Runs `fn` at most once per animation frame, with the latest arguments.
 * @template {unknown[]} A
 * @param {(...args: A) => void} fn
 * @returns {(...args: A) => void}
 */
export function perFrame(fn) {
  /** @type {A | null} */
  let pending = null;
  return (...args) => {
    const first = pending === null;
    pending = args;
    if (first) {
      requestAnimationFrame(() => {
        const latest = /** @type {A} */ (pending);
        pending = null;
        fn(...latest);
      });
    }
  };
}

/**
 * Offers `blob` for download as `name`; returns the object URL (revoke it when replaced).
 * @param {HTMLAnchorElement} anchor
 * @param {Blob} blob
 * @param {string} name
 */
export function downloadLink(anchor, blob, name) {
  if (anchor.href.startsWith('blob:')) URL.revokeObjectURL(anchor.href);
  anchor.href = URL.createObjectURL(blob);
  anchor.download = name;
  return anchor.href;
}
