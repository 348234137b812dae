// Section 1: scoring the resampled test rows' features, already in memory, with our wasm (one
// thread, and two Web Workers), TensorFlow.js (wasm backend) and ONNX Runtime Web (wasm, one
// thread), all with the shipped model's weights. Scores must agree before anything is timed.

import * as ort from '../node_modules/onnxruntime-web/dist/ort.wasm.min.mjs';
import { Layers, Scoring } from '../pkg/cad_bench.js';
import { fetchBytes, log, maxAbsDiff, medianMs } from './measure.js';

const TOLERANCE = 1e-5;
const CHUNK = 16_384;
/** Rows each layer is profiled on at a time: their inputs and outputs stay in L2 cache. */
const PROFILE_ROWS = 1024;

/** Each layer of our network alone, on PROFILE_ROWS rows repeated to all rows: where the time goes. */
async function layerProfile(ours, rows) {
  const layers = new Layers(ours, PROFILE_ROWS);
  const shapes = layers.shapes();
  const block = layers.rows();
  const times = Math.round(rows / block);
  const profile = [];
  for (let k = 0; k < shapes.length / 2; k += 1) {
    const ms = await medianMs(() => layers.run(k, times));
    profile.push({ inputs: shapes[2 * k], outputs: shapes[2 * k + 1], ms, rows: times * block, block });
  }
  layers.free();
  return profile;
}

/** TF.js: the same layers as a Sequential model, weights copied from the model file. */
function tfModel(layers) {
  const model = tf.sequential();
  layers.forEach((layer, k) => model.add(tf.layers.dense({
    units: layer.outputs,
    activation: layer.activation,
    ...(k === 0 ? { inputShape: [layer.inputs] } : {}),
  })));
  model.setWeights(layers.flatMap((layer) => [
    tf.tensor2d(layer.weights, [layer.inputs, layer.outputs]),
    tf.tensor1d(layer.bias),
  ]));
  return model;
}

async function tfScores(model, x, rows, chunk) {
  const out = new Float32Array(rows);
  for (let start = 0; start < rows; start += chunk) {
    const n = Math.min(chunk, rows - start);
    const y = tf.tidy(() => model.predict(n === rows ? x : x.slice([start, 0], [n, -1]), { batchSize: n }));
    out.set(await y.data(), start);
    y.dispose();
  }
  return out;
}

/** Workers that each keep a share of the rows; `score()` scores all shares at once. */
async function workerPool(count, modelJson, features, width) {
  const rows = features.length / width;
  const workers = Array.from({ length: count }, () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }));
  const ask = (worker, message) => new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => resolve(data);
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage(message);
  });
  const bounds = workers.map((_, k) => Math.round((rows * k) / count) * width);
  bounds.push(features.length);
  await Promise.all(workers.map((w, k) => ask(w, { model: modelJson, features: features.slice(bounds[k], bounds[k + 1]) })));
  return {
    async score() {
      const parts = await Promise.all(workers.map((w) => ask(w, {})));
      const out = new Float32Array(rows);
      parts.forEach((part, k) => out.set(part.scores, bounds[k] / width));
      return out;
    },
    close: () => workers.forEach((w) => w.terminate()),
  };
}

export async function scoringSection({ modelJson, testCsv, onnxUrl }) {
  const model = JSON.parse(modelJson);
  const width = model.layers[0].inputs;
  const ours = new Scoring(modelJson);
  const rows = ours.load(testCsv);
  const features = ours.features();
  const reference = ours.score();
  const result = { rows };

  result.ours_ms = await medianMs(() => ours.score());
  log(`ours: ${result.ours_ms.toFixed(1)} ms`);
  result.layers = await layerProfile(ours, rows);

  for (const count of [1, 2]) {
    const pool = await workerPool(count, modelJson, features, width);
    result[`workers_${count}_diff`] = maxAbsDiff(await pool.score(), reference);
    result[`workers_${count}_ms`] = await medianMs(() => pool.score());
    pool.close();
    log(`ours in ${count} worker(s): ${result[`workers_${count}_ms`].toFixed(1)} ms`);
  }

  tf.wasm.setWasmPaths(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).href);
  await tf.setBackend('wasm');
  await tf.ready();
  result.tfjs_wasm_simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  result.tfjs_wasm_threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const net = tfModel(model.layers);
  const x = tf.tensor2d(features, [rows, width]);
  for (const [name, chunk] of [['tfjs_whole', rows], ['tfjs_chunked', CHUNK]]) {
    result[`${name}_diff`] = maxAbsDiff(await tfScores(net, x, rows, chunk), reference);
    if (result[`${name}_diff`] <= TOLERANCE) result[`${name}_ms`] = await medianMs(() => tfScores(net, x, rows, chunk));
    log(`${name}: diff ${result[`${name}_diff`]}, ${result[`${name}_ms`]?.toFixed(1)} ms`);
  }
  x.dispose();
  net.dispose();

  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = new URL('../node_modules/onnxruntime-web/dist/', import.meta.url).href;
  const session = await ort.InferenceSession.create(await fetchBytes(onnxUrl), { executionProviders: ['wasm'] });
  const input = new ort.Tensor('float32', features, [rows, width]);
  const ortScores = async () => (await session.run({ x: input })).score.data;
  result.ort_diff = maxAbsDiff(await ortScores(), reference);
  if (result.ort_diff <= TOLERANCE) result.ort_ms = await medianMs(ortScores);
  log(`ort: diff ${result.ort_diff}, ${result.ort_ms?.toFixed(1)} ms`);
  await session.release();
  ours.free();
  result.tolerance = TOLERANCE;
  result.chunk = CHUNK;
  return result;
}
