// One share of the rows, scored by our wasm in a Web Worker. Messages: {model, features} keeps a
// share (answers {loaded}), {} scores it (answers {scores}, transferred).
import init, { Scoring } from '../pkg/cad_bench.js';

const ready = init();
let scoring = null;

onmessage = async ({ data }) => {
  await ready;
  if (data.features) {
    scoring ??= new Scoring(data.model);
    scoring.setFeatures(data.features);
    postMessage({ loaded: true });
  } else {
    const scores = scoring.score();
    postMessage({ scores }, [scores.buffer]);
  }
};
