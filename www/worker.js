// @ts-check
// The Web Worker that reads, scores and trains, so that the page never freezes.
//
// Protocol (one job at a time; every message carries the job's `id`; types.d.ts types it, and
// its fields are snake_case like everything the wasm face takes and gives):
//   page → worker  {kind: 'score', id, file, name, model}
//                    file: a File or Blob; model: the model file's JSON text, or the file
//                  {kind: 'train', id, file, name, evaluation_file?, evaluation_name?, model, request}
//                    request: {features, hidden, learning_rate, steps, seed, holdout}
//                  {kind: 'train-anomaly', id, file, name, request}
//                    request: {alerts_per_10k, seed, holdout}
//                  {kind: 'check', id, file}       an uploaded model file, parsed and validated
//                  {kind: 'explain', id, model, key, values}  one typed event (a wide model's)
//                  {kind: 'verdicts', id, file, name, model, request}  the verdict CSV of a scored file
//                  {kind: 'compare', id, file, name, before, after, judged}  its alerts under two models
//                  {kind: 'cancel', id}
//   worker → page  {kind: 'progress', id, progress: {phase, done, total, rows, finished, loss?}}
//                  {kind: 'done', id, result}
//                    score: {kind: 'evaluated', evaluation, alerts, ndjson: Blob} for a labelled
//                           file, or {kind: 'scored', source, rows, flagged, threshold, top,
//                           alerts, csv: Blob, ndjson: Blob}
//                    train: {kind: 'trained', model: JSON text, onnx: Blob}
//                    train-anomaly: {kind: 'anomaly-trained', trained, checked, onnx: Blob, outcome}
//                      (outcome: the file scored by the new model, as a score job's result)
//                    check: {kind: 'checked', json, parameters: Float32Array (transferred)}
//                    explain: {kind: 'explained', explanation}
//                    verdicts: {kind: 'verdicts_written', csv: Blob, written}
//                    compare: {kind: 'compared', changes}
//                  {kind: 'cancelled', id}
//                  {kind: 'error', id, message}
// Between chunks of work the worker yields to its event loop, which is when a cancel arrives.

import init, { AnomalyTrainingSession, CompareSession, Digest, Explainer, ScoreSession, TrainingSession, VerdictSession, onnxFromJson } from './pkg-worker/cyber_attack_detector.js';
import { drive } from './drive.js';

/** @typedef {import('./types').Progress} Progress */

const ready = init();
/** @type {Set<number>} */
const cancelled = new Set();

class Cancel extends Error {}

// A macrotask without setTimeout's clamping: lets queued messages (a cancel) in.
const channel = new MessageChannel();
/** @type {(() => void)[]} */
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
/** @param {number} id */
const breathe = (id) =>
  /** @type {Promise<void>} */ (new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  })).then(() => {
    if (cancelled.has(id)) throw new Cancel();
  });

/**
 * @param {import('./types').FromWorker} message
 * @param {Transferable[]} [transfer] buffers moved to the page rather than copied
 */
const send = (message, transfer = []) => self.postMessage(message, transfer);

/** @param {import('./types').ModelSource} model */
const text = (model) => (typeof model === 'string' ? model : model.text());

self.addEventListener('message', async (/** @type {MessageEvent<import('./types').ToWorker>} */ { data }) => {
  if (data.kind === 'cancel') {
    cancelled.add(data.id);
    return;
  }
  const { id } = data;
  try {
    await ready;
    const result = await (data.kind === 'train'
      ? train(data)
      : data.kind === 'train-anomaly'
        ? trainAnomaly(data)
        : data.kind === 'check'
          ? check(data)
          : data.kind === 'explain'
            ? explain(data)
            : data.kind === 'verdicts'
              ? verdicts(data)
              : data.kind === 'compare'
                ? compare(data)
                : score(data));
    send({ kind: 'done', id, result }, result.kind === 'checked' ? [result.parameters.buffer] : result.kind === 'anomaly-trained' ? [result.checked.parameters.buffer] : []);
  } catch (error) {
    if (error instanceof Cancel) send({ kind: 'cancelled', id });
    else send({ kind: 'error', id, message: error instanceof Error ? error.message : String(error) });
  } finally {
    cancelled.delete(id);
  }
});

/**
 * Runs `session` to the end (drive.js), reporting progress; `onChunk` sees each report first.
 * @template R
 * @param {number} id
 * @param {{ advance(): Progress, finish(): R, free(): void }} session a ScoreSession, TrainingSession or AnomalyTrainingSession
 * @param {(progress: Progress) => void} [onChunk]
 * @returns {Promise<R>}
 */
function run(id, session, onChunk = () => {}) {
  return drive(
    session,
    (progress) => {
      onChunk(progress);
      send({ kind: 'progress', id, progress });
    },
    () => breathe(id),
  );
}

/**
 * @param {import('./types').ScoreJob & { id: number }} job
 * @returns {Promise<import('./types').ScoreResult>}
 */
async function score({ id, file, name, model, spreadsheet_safe }) {
  const session = ScoreSession.fromBlob(await text(model), file, name, spreadsheet_safe);
  // The scored CSV is kept as a list of Blobs, which the browser may hold outside this heap.
  /** @type {Blob[]} */
  const parts = [];
  /** @type {Blob[]} */
  const alerts = [];
  const outcome = await run(id, session, (progress) => {
    // A copy out of the wasm memory, in an ArrayBuffer of its own (never a shared one).
    const bytes = /** @type {Uint8Array<ArrayBuffer>} */ (session.takeOutput());
    if (bytes.length > 0) parts.push(new Blob([bytes]));
    // The alerts' NDJSON, written once the file is read.
    if (progress.finished) alerts.push(new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (session.takeAlerts())]));
  });
  const ndjson = new Blob(alerts, { type: 'application/x-ndjson' });
  return outcome.kind === 'scored' ? { ...outcome, csv: new Blob(parts, { type: 'text/csv' }), ndjson } : { ...outcome, ndjson };
}

/**
 * @param {import('./types').TrainJob & { id: number }} job
 * @returns {Promise<import('./types').TrainResult>}
 */
async function train({ id, file, name, evaluation_file, evaluation_name, model, request }) {
  const session = TrainingSession.fromBlobs(request, await text(model), file, name, evaluation_file, evaluation_name);
  const trained = await run(id, session);
  const onnx = new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (onnxFromJson(trained))], { type: 'application/octet-stream' });
  return { kind: 'trained', model: trained, onnx };
}

/**
 * Fits an anomaly model, then reads the file again with it: the rows and alerts it would flag.
 * @param {import('./types').TrainAnomalyJob & { id: number }} job
 * @returns {Promise<import('./types').AnomalyTrainResult>}
 */
async function trainAnomaly({ id, file, name, request }) {
  const trained = await run(id, AnomalyTrainingSession.fromBlob(request, file, name));
  const checked = await check({ kind: 'check', file: new Blob([trained.model]) });
  const onnx = new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (onnxFromJson(trained.model))], { type: 'application/octet-stream' });
  const outcome = await score({ kind: 'score', id, file, name, model: trained.model, spreadsheet_safe: false });
  return { kind: 'anomaly-trained', trained, checked, onnx, outcome };
}

/**
 * Parses and validates an uploaded model file: seconds for tens of megabytes, spent here rather
 * than on the page, which gets the compact digest (crates/web/src/digest.rs).
 * @param {import('./types').CheckJob} job
 * @returns {Promise<import('./types').Checked>}
 */
async function check({ file }) {
  const digest = Digest.check(await file.text());
  try {
    return { kind: 'checked', json: digest.json(), parameters: /** @type {Float32Array<ArrayBuffer>} */ (digest.parameters()) };
  } finally {
    digest.free();
  }
}

/** The model the last explain job named, parsed once for all its events. @type {{ key: number, explainer: Explainer } | null} */
let explaining = null;

/**
 * @param {import('./types').ExplainJob} job
 * @returns {Promise<import('./types').Explained>}
 */
async function explain({ model, key, values }) {
  if (explaining?.key !== key) {
    explaining?.explainer.free();
    explaining = null;
    explaining = { key, explainer: Explainer.fromJson(await text(model)) };
  }
  return { kind: 'explained', explanation: explaining.explainer.explain(values) };
}

/**
 * The verdict CSV of a scored file: the file read again, its judged rows written out.
 * @param {import('./types').VerdictsJob & { id: number }} job
 * @returns {Promise<import('./types').VerdictsWritten>}
 */
async function verdicts({ id, file, name, model, request }) {
  const session = VerdictSession.fromBlob(await text(model), file, name, request);
  /** @type {Blob[]} */
  const parts = [];
  const written = await run(id, session, () => parts.push(new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (session.takeOutput())])));
  return { kind: 'verdicts_written', csv: new Blob(parts, { type: 'text/csv' }), written };
}

/**
 * How the alerts of a scored file change from one model to another.
 * @param {import('./types').CompareJob & { id: number }} job
 * @returns {Promise<import('./types').Compared>}
 */
async function compare({ id, file, name, before, after, judged }) {
  const session = CompareSession.fromBlob(await text(before), await text(after), file, name, judged);
  return { kind: 'compared', changes: await run(id, session) };
}
