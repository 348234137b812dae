// Section 3: training. (a) The same number of steps of the default recipe from the same start
// with our wasm trainer and with TensorFlow.js, on each TF.js backend that trains correctly;
// (b) the page's own training session on the full-size resampled train file, timed from bytes
// in memory to the evaluated model, whose quality on the real test rows is then checked.

import { Training, evaluate, trainSession } from '../pkg/cad_bench.js';
import { log, medianMs } from './measure.js';

const STEPS = 100;
const BACKENDS = ['wasm', 'webgl', 'cpu'];
/** A backend trains correctly when its mean loss over the last quarter of a run from the same
 * start is within this share of ours (batches are drawn differently; early losses differ too
 * where ours clamps saturated probabilities). */
const LOSS_AGREEMENT = 0.1;
/** The page's training form as it opens (index.html): the default recipe, 600 steps. */
const PAGE_REQUEST = { features: 'binarised', hidden: [64, 32, 16], learning_rate: 0.003, steps: 600, seed: 42, holdout: 0.25 };
/** The shipped model's quality bar on the real test rows (tests/model_file.rs). */
export const BAR = { roc_auc: 0.995, accuracy: 0.995, max_fp: 1 };

const lastQuarterMean = (values) => {
  const tail = values.slice(Math.floor((values.length * 3) / 4));
  return tail.reduce((s, v) => s + v, 0) / tail.length;
};

/** Our recipe in TF.js: balanced batches, weighted cross-entropy plus L2, Adam, monotone projection. */
function tfTrainer({ config, monotone, layers }, features, labels) {
  const width = layers[0].inputs;
  const vars = layers.map((l) => ({
    w: tf.variable(tf.tensor2d(l.weights, [l.inputs, l.outputs])),
    b: tf.variable(tf.tensor1d(l.bias)),
  }));
  const mask = tf.tensor2d(Array.from({ length: width }, (_, i) => (monotone.includes(i) ? 1 : 0)), [width, 1]);
  const x = tf.tensor2d(features, [labels.length, width]);
  const y = tf.tensor1d(Float32Array.from(labels));
  const pools = [1, 0].map((c) => labels.reduce((rows, label, i) => (label === c ? (rows.push(i), rows) : rows), []));
  const optimizer = tf.train.adam(config.learning_rate, 0.9, 0.999, 1e-8);
  const batch = new Int32Array(config.batch_size);
  // Cross-entropy on the logits: its gradient is our p - y, also where the probability saturates.
  const loss = (xb, yb) => () => {
    const logits = vars.reduce((h, v, k) => {
      const z = h.matMul(v.w).add(v.b);
      return k === vars.length - 1 ? z : tf.relu(z);
    }, xb).reshape([-1]);
    const penalty = tf.addN(vars.map((v) => v.w.square().sum())).mul(config.weight_decay / 2);
    return tf.losses.sigmoidCrossEntropy(yb, logits).add(penalty);
  };
  const step = () => {
    batch.forEach((_, k) => {
      const pool = pools[k % 2];
      batch[k] = pool[Math.floor(Math.random() * pool.length)];
    });
    return tf.tidy(() => {
      const rows = tf.tensor1d(batch, 'int32');
      const value = optimizer.minimize(loss(x.gather(rows), y.gather(rows)), true);
      vars[0].w.assign(vars[0].w.sub(mask.mul(tf.minimum(vars[0].w, 0))));
      vars.slice(1).forEach((v) => v.w.assign(tf.relu(v.w)));
      return value;
    });
  };
  return {
    async steps(n) {
      const losses = Array.from({ length: n }, step);
      const values = await Promise.all(losses.map((l) => l.data()));
      losses.forEach((l) => l.dispose());
      return values.map((v) => v[0]);
    },
    dispose() {
      tf.dispose([x, y, mask, ...vars.flatMap((v) => [v.w, v.b])]);
      optimizer.dispose();
    },
  };
}

async function stepSection(trainCsv) {
  const ours = new Training(trainCsv);
  const recipe = JSON.parse(ours.recipe());
  const features = ours.features();
  const labels = Array.from(ours.labels());
  const result = { steps: STEPS, batch: recipe.config.batch_size, loss_agreement: LOSS_AGREEMENT, tfjs: {} };
  result.ours_loss = lastQuarterMean(ours.steps(STEPS));
  result.ours_ms_per_step = (await medianMs(() => ours.steps(STEPS))) / STEPS;
  ours.free();
  log(`ours: ${result.ours_ms_per_step.toFixed(3)} ms/step, loss ${result.ours_loss}`);
  for (const backend of BACKENDS) {
    let trainer = null;
    try {
      if (!(await tf.setBackend(backend))) throw new Error('unavailable');
      await tf.ready();
      trainer = tfTrainer(recipe, features, labels);
      const loss = lastQuarterMean(await trainer.steps(STEPS));
      const correct = Math.abs(loss - result.ours_loss) <= LOSS_AGREEMENT * result.ours_loss;
      const figures = { loss, correct };
      if (correct) figures.ms_per_step = (await medianMs(() => trainer.steps(STEPS))) / STEPS;
      result.tfjs[backend] = figures;
    } catch (error) {
      result.tfjs[backend] = { error: String(error.message ?? error) };
    }
    trainer?.dispose();
    log(`tfjs ${backend}: ${JSON.stringify(result.tfjs[backend])}`);
  }
  return result;
}

async function sessionSection({ trainCsv, realTest, modelJson }) {
  const request = JSON.stringify(PAGE_REQUEST);
  let trained = null;
  const ms = await medianMs(() => {
    trained = trainSession(request, trainCsv, modelJson);
  });
  const summary = JSON.parse(evaluate(trained, realTest));
  const meets = summary.roc_auc >= BAR.roc_auc && summary.rates.accuracy >= BAR.accuracy && summary.confusion.fp <= BAR.max_fp;
  log(`page training session: ${ms.toFixed(0)} ms, test ${JSON.stringify(summary)}`);
  const { provenance, training } = JSON.parse(trained);
  return { request: PAGE_REQUEST, rows: provenance.training_data[0].rows, steps: training.log.loss.length, ms, test: summary, bar: BAR, meets_bar: meets };
}

export async function trainingSection(data) {
  return { steps: await stepSection(data.trainCsv), session: await sessionSection(data) };
}
