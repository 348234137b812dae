// The Web Worker that reads, scores and trains, so that the page never freezes.
//
// Protocol (one job at a time; every message carries the job's `id`):
//   page → worker  {kind: 'score', id, file, name, model}
//                    file: a File or Blob; model: the model file's JSON text
//                  {kind: 'train', id, file, name, evaluationFile?, evaluationName?, model, request}
//                    request: {features, hidden, learningRate, steps, seed, holdout}
//                  {kind: 'cancel', id}
//   worker → page  {kind: 'progress', id, progress: {phase, done, total, rows, finished, loss?}}
//                  {kind: 'done', id, result}
//                    score: {kind: 'evaluated', evaluation} for a labelled file, or
//                           {kind: 'scored', source, rows, flagged, threshold, top, csv: Blob}
//                    train: {kind: 'trained', model: JSON text}
//                  {kind: 'cancelled', id}
//                  {kind: 'error', id, message}
// Between chunks of work the worker yields to its event loop, which is when a cancel arrives.

import init, { ScoreSession, TrainingSession } from './pkg-worker/cyber_attack_detector.js';

const ready = init();
const cancelled = new Set();

class Cancel extends Error {}

// A macrotask without setTimeout's clamping: lets queued messages (a cancel) in.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const breathe = (id) =>
  new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  }).then(() => {
    if (cancelled.has(id)) throw new Cancel();
  });

self.addEventListener('message', async ({ data }) => {
  if (data.kind === 'cancel') {
    cancelled.add(data.id);
    return;
  }
  const { id } = data;
  try {
    await ready;
    const result = data.kind === 'train' ? await train(data) : await score(data);
    self.postMessage({ kind: 'done', id, result });
  } catch (error) {
    if (error instanceof Cancel) self.postMessage({ kind: 'cancelled', id });
    else self.postMessage({ kind: 'error', id, message: error instanceof Error ? error.message : String(error) });
  } finally {
    cancelled.delete(id);
  }
});

/** Runs `session` to the end; `onChunk` sees each progress report first. */
async function drive(id, session, onChunk = () => {}) {
  try {
    for (;;) {
      const progress = session.advance();
      onChunk(progress);
      self.postMessage({ kind: 'progress', id, progress });
      if (progress.finished) break;
      await breathe(id);
    }
  } catch (error) {
    session.free();
    throw error;
  }
  return session.finish(); // consumes the session, even when it throws
}

async function score({ id, file, name, model }) {
  const session = ScoreSession.fromBlob(model, file, name);
  // The scored CSV is kept as a list of Blobs, which the browser may hold outside this heap.
  const parts = [];
  const result = await drive(id, session, () => {
    const bytes = session.takeOutput();
    if (bytes.length > 0) parts.push(new Blob([bytes]));
  });
  if (result.kind === 'scored') result.csv = new Blob(parts, { type: 'text/csv' });
  return result;
}

async function train({ id, file, name, evaluationFile, evaluationName, model, request }) {
  const session = TrainingSession.fromBlobs(request, model, file, name, evaluationFile, evaluationName);
  return { kind: 'trained', model: await drive(id, session) };
}
