// The bench page: loads the data once, then runs each section in turn. bench/drive.mjs calls
// window.bench() and writes what it returns. Data comes from bench/out (written by run.sh).

import init from '../pkg/cad_bench.js';
import { fetchBytes, log } from './measure.js';
import { scoringSection } from './scoring.js';
import { parsingSection } from './parsing.js';
import { traceeSection } from './tracee.js';
import { trainingSection } from './training.js';
import { alertsSection } from './alerts.js';

const OUT = new URL('../out/', import.meta.url);

async function bench() {
  await init();
  const modelJson = await (await fetch(new URL('../../data/model.json', import.meta.url))).text();
  const testCsv = await fetchBytes(new URL('resampled-test-188967.csv', OUT));
  log('scoring');
  const scoring = await scoringSection({ modelJson, testCsv, onnxUrl: new URL('model.onnx', OUT) });
  log('parsing');
  const parsing = await parsingSection({ testCsv });
  log('tracee');
  const tracee = await traceeSection({ traceeJson: await fetchBytes(new URL('resampled-test-188967.jsonl', OUT)) });
  log('alerts');
  const alerts = await alertsSection({ modelJson, testCsv });
  log('training');
  const trainCsv = await fetchBytes(new URL('resampled-train-763144.csv', OUT));
  const realTest = await fetchBytes(new URL('test.csv.gz', OUT));
  const training = await trainingSection({ trainCsv, realTest, modelJson });
  return { scoring, parsing, tracee, training, alerts, tfjs: tf.version.tfjs, cross_origin_isolated: self.crossOriginIsolated };
}

window.bench = bench;
