// Section 2b, in a Web Worker as the page reads files: the resampled test rows as Tracee JSON lines
// (bench/tracee_lines.py), read two ways from the same bytes, each doing what a reader for the
// page must do with them (bench/notes.md, "Reading Tracee JSON lines", says why this is fair):
// - ours: the bytes passed once into wasm and read as the page's worker reads a file it scores
//   (`readRecords`: every numeric field, both labels, the hosts interned, and each event's record
//   of BETH's columns, in chunks of the worker's 16,384 rows);
// - JSON.parse: the bytes decoded to one string, cut at each `\n`, each line parsed, and from each
//   object the same fields taken into typed columns (numbers written as strings converted, as
//   ours does `eventId`), the labels checked, the host interned, the object kept as the record.
// The two alternate, RUNS times after a warm-up of each, so a change in the machine's load hits
// both alike. Message: the bytes; answer: {rows, bytes, ours_ms, json_parse_ms (medians),
// ours_runs_ms, json_parse_runs_ms} or {error}.

import init, { readRecords } from '../pkg/cad_bench.js';
import { RUNS } from './measure.js';

/** The numeric fields ours reads (BETH's, `Field::ALL`), by their Tracee names. */
const NUMBERS = ['processId', 'threadId', 'parentProcessId', 'userId', 'mountNamespace', 'eventId', 'argsNum', 'returnValue'];
/** Rows per chunk, as the worker reads them. */
const CHUNK_ROWS = 16_384;

/** A number from a JSON value (a number, or a string holding one); throws on anything else. */
function number(value, name, line) {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new Error(`line ${line}: ${name} is not a number`);
  return n;
}

/** A 0/1 label; throws on anything else. */
function label(value, name, line) {
  const n = number(value, name, line);
  if (n !== 0 && n !== 1) throw new Error(`line ${line}: ${name} is not 0 or 1`);
  return n;
}

/** JSON.parse of every line of `bytes` that is not blank, its fields taken; returns how many. */
function jsonParseLines(bytes) {
  const text = new TextDecoder().decode(bytes);
  let columns = NUMBERS.map(() => new Float64Array(CHUNK_ROWS));
  let [sus, evil, host] = [new Uint8Array(CHUNK_ROWS), new Uint8Array(CHUNK_ROWS), new Uint32Array(CHUNK_ROWS)];
  let records = [];
  const hosts = new Map();
  let rows = 0;
  let line = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line += 1;
    const lineText = text.slice(start, end);
    start = end + 1;
    if (!lineText.trim()) continue;
    if (records.length === CHUNK_ROWS) {
      // The next chunk: fresh columns, as ours starts a fresh `Events` per chunk.
      columns = NUMBERS.map(() => new Float64Array(CHUNK_ROWS));
      [sus, evil, host] = [new Uint8Array(CHUNK_ROWS), new Uint8Array(CHUNK_ROWS), new Uint32Array(CHUNK_ROWS)];
      records = [];
    }
    const event = JSON.parse(lineText);
    const at = records.length;
    for (let k = 0; k < NUMBERS.length; k += 1) columns[k][at] = number(event[NUMBERS[k]], NUMBERS[k], line);
    sus[at] = label(event.sus, 'sus', line);
    evil[at] = label(event.evil, 'evil', line);
    let id = hosts.get(event.hostName);
    if (id === undefined) {
      id = hosts.size;
      hosts.set(event.hostName, id);
    }
    host[at] = id;
    records.push(event);
    rows += 1;
  }
  return rows;
}

/** Wall time in ms of one call of `f`. */
function timed(f) {
  const start = performance.now();
  f();
  return performance.now() - start;
}

const median = (times) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];

onmessage = async ({ data: bytes }) => {
  try {
    await init();
    const rows = { ours: readRecords(bytes), json_parse: jsonParseLines(bytes) };
    if (rows.ours !== rows.json_parse) throw new Error(`readers disagree on the rows: ${JSON.stringify(rows)}`);
    const ours = [];
    const json = [];
    for (let k = 0; k < RUNS; k += 1) {
      ours.push(timed(() => readRecords(bytes)));
      json.push(timed(() => jsonParseLines(bytes)));
    }
    postMessage({
      rows: rows.ours,
      bytes: bytes.byteLength,
      ours_ms: median(ours),
      json_parse_ms: median(json),
      ours_runs_ms: ours,
      json_parse_runs_ms: json,
    });
  } catch (error) {
    postMessage({ error: String(error) });
  }
};
