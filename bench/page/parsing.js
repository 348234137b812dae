// Section 2: parsing the resampled test CSV (original 16-column form) from a buffer in memory:
// our wasm ingest against PapaParse, both turning every numeric BETH column and the labels
// into numbers (PapaParse's time includes decoding the bytes to the string it needs).

import { parse } from '../pkg/cad_bench.js';
import { medianMs } from './measure.js';

const NUMERIC = ['processId', 'threadId', 'parentProcessId', 'userId', 'mountNamespace', 'eventId', 'argsNum', 'returnValue', 'sus', 'evil'];

function papaParse(bytes) {
  const { data, errors } = Papa.parse(new TextDecoder().decode(bytes), { skipEmptyLines: true });
  if (errors.length) throw new Error(`PapaParse: ${errors[0].message} (row ${errors[0].row})`);
  const header = data[0];
  const columns = NUMERIC.map((name) => header.indexOf(name));
  const rows = data.length - 1;
  const values = columns.map(() => new Float64Array(rows));
  for (let r = 0; r < rows; r += 1) {
    const record = data[r + 1];
    columns.forEach((c, k) => {
      const v = Number(record[c]);
      if (!Number.isFinite(v)) throw new Error(`PapaParse: row ${r + 2}, ${NUMERIC[k]}: not a number`);
      values[k][r] = v;
    });
  }
  return rows;
}

export async function parsingSection({ testCsv }) {
  const rows = { ours: parse(testCsv), papaparse: papaParse(testCsv) };
  if (rows.ours !== rows.papaparse) throw new Error(`parsers disagree on the rows: ${JSON.stringify(rows)}`);
  return {
    rows: rows.ours,
    bytes: testCsv.byteLength,
    ours_ms: await medianMs(() => parse(testCsv)),
    papaparse_ms: await medianMs(() => papaParse(testCsv)),
  };
}
