// Small DOM helpers. Every piece of text goes in through textContent: nothing from a file or
// a model is ever parsed as HTML.

export const $ = (id) => document.getElementById(id);

/** An element with properties (`className`, `textContent`, `dataset`, attributes…) and children. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** Shows `message` in the alert `node`, or hides it when empty. */
export function showError(node, message) {
  node.textContent = message ?? '';
  node.hidden = !message;
}

/** The message of anything thrown: wasm errors are `Error`s carrying the core's message. */
export function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/** A table of `head` (column names) and `rows` (arrays of cells: text, or {text, className}). */
export function fillTable(table, head, rows, caption) {
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

export const fmt = {
  int: (n) => integer.format(n),
  pct: (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a'),
  dec: (x, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a'),
  threshold: (t) => Number(t).toFixed(3),
  /** A setting stored as f32, without its binary tail: 0.003000000026 → "0.003". */
  setting: (x) => String(Number(Number(x).toPrecision(6))),
  cost: (x) => (Number.isFinite(x) ? integer.format(Math.round(x * 100) / 100) : 'n/a'),
  bytes: (n) => {
    const units = ['bytes', 'KB', 'MB', 'GB'];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) {
      n /= 1000;
      i += 1;
    }
    return i === 0 ? `${n} bytes` : `${n.toFixed(1)} ${units[i]}`;
  },
  /** The text with a capital first letter. */
  sentence: (text) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`,
  /** `count` and `noun`, plural unless it is one: (1, 'false alarm') → "1 false alarm". */
  count: (n, noun) => `${integer.format(n)} ${noun}${n === 1 ? '' : 's'}`,
  /** "4,394 rows (59 benign, 4,335 suspicious)" */
  rows: (d) => `${integer.format(d.rows)} rows (${integer.format(d.benign)} benign, ${integer.format(d.suspicious)} suspicious)`,
};

/** Runs `fn` at most once per animation frame, with the latest arguments. */
export function perFrame(fn) {
  let pending = null;
  return (...args) => {
    const first = pending === null;
    pending = args;
    if (first) {
      requestAnimationFrame(() => {
        const latest = pending;
        pending = null;
        fn(...latest);
      });
    }
  };
}

/** Offers `blob` for download as `name`; returns the object URL (revoke it when replaced). */
export function downloadLink(anchor, blob, name) {
  if (anchor.href.startsWith('blob:')) URL.revokeObjectURL(anchor.href);
  anchor.href = URL.createObjectURL(blob);
  anchor.download = name;
  return anchor.href;
}
