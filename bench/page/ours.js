// Our scoring and CSV parsing alone (sections 1 and 2 without the other engines), for a second
// browser: bench/drive-firefox.mjs imports this into the bench page in Firefox and calls benchOurs().

import init, { Scoring, parse } from '../pkg/cad_bench.js';
import { fetchBytes, medianMs } from './measure.js';

const OUT = new URL('../out/', import.meta.url);

/** Our wasm scoring the resampled test rows' features in memory, and parsing the same CSV. */
export async function benchOurs() {
  await init();
  const modelJson = await (await fetch(new URL('../../data/model.json', import.meta.url))).text();
  const testCsv = await fetchBytes(new URL('resampled-test-188967.csv', OUT));
  const ours = new Scoring(modelJson);
  const rows = ours.load(testCsv);
  const scoring = { rows, ours_ms: await medianMs(() => ours.score()) };
  ours.free();
  const parsing = { rows: parse(testCsv), bytes: testCsv.byteLength, ours_ms: await medianMs(() => parse(testCsv)) };
  return { scoring, parsing };
}
