// Section 2b: reading Tracee JSON lines in a Web Worker, ours against JSON.parse per line
// (bench/page/tracee-worker.js does the timing).

/** @returns {Promise<{rows: number, bytes: number, ours_ms: number, json_parse_ms: number, ours_runs_ms: number[], json_parse_runs_ms: number[]}>} */
export function traceeSection({ traceeJson }) {
  const worker = new Worker(new URL('./tracee-worker.js', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      worker.terminate();
      if (data.error) reject(new Error(`tracee worker: ${data.error}`));
      else resolve(data);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`tracee worker: ${event.message}`));
    };
    worker.postMessage(traceeJson);
  });
}
