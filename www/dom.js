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
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/**
 * Shows `message` in the alert `node`, or hides it when empty.
 * @param {HTMLElement} node
 * @param {string | null | undefined} message
 */
export function showError(node, message) {
  node.textContent = message ?? '';
  node.hidden = !message;
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
 */
export function fillTable(table, head, rows, caption) {
  /** @type {(tag: 'th' | 'td', value: Cell) => HTMLElement} */
  const cell = (tag, value) =>
    typeof value === 'object' && value !== null && !(value instanceof Node)
      ? el(tag, { className: value.className ?? '', title: value.title }, value.node ?? value.text ?? '')
      : el(tag, {}, value ?? '');
  table.replaceChildren(
    ...(caption ? [el('caption', { textContent: caption })] : []),
    el('thead', {}, el('tr', {}, ...head.map((h) => cell('th', h)))),
    el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((v, i) => cell(i === 0 ? 'th' : 'td', v))))),
  );
  table.querySelectorAll('tbody th').forEach((th) => th.setAttribute('scope', 'row'));
}

const integer = new Intl.NumberFormat('en-US');

/** Number formats. A number that is not finite (a NaN, or `null` for one) shows as "n/a". */
export const fmt = {
  /** @param {number} n */
  int: (n) => integer.format(n),
  /** @param {number | null} x */
  pct: (x) => (x !== null && Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a'),
  /** @param {number | null} x */
  dec: (x, digits = 4) => (x !== null && Number.isFinite(x) ? x.toFixed(digits) : 'n/a'),
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
