// Section 2b, in a Web Worker as the page reads files: the resampled test rows as Tracee JSON lines
// (bench/tracee_lines.py), read by our wasm (every numeric field and both labels, as for the CSV)
// against JSON.parse of each line of the same bytes (the bytes decoded to a string, cut at each
// `\n`, each line parsed; nothing taken from the objects, so JSON.parse does less than ours).
// Message: the bytes; answer: {rows, bytes, ours_ms, json_parse_ms} or {error}.

import init, { parse } from '../pkg/cad_bench.js';
import { medianMs } from './measure.js';

/** JSON.parse of every line of `bytes` that is not blank; returns how many. */
function jsonParseLines(bytes) {
  const text = new TextDecoder().decode(bytes);
  let rows = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    if (line.trim()) {
      JSON.parse(line);
      rows += 1;
    }
    start = end + 1;
  }
  return rows;
}

onmessage = async ({ data: bytes }) => {
  try {
    await init();
    const rows = { ours: parse(bytes), json_parse: jsonParseLines(bytes) };
    if (rows.ours !== rows.json_parse) throw new Error(`readers disagree on the rows: ${JSON.stringify(rows)}`);
    postMessage({
      rows: rows.ours,
      bytes: bytes.byteLength,
      ours_ms: await medianMs(() => parse(bytes)),
      json_parse_ms: await medianMs(() => jsonParseLines(bytes)),
    });
  } catch (error) {
    postMessage({ error: String(error) });
  }
};
