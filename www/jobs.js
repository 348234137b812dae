// The page's side of the worker protocol (see worker.js): one job at a time per worker, with
// progress reports and cooperative cancel.

export class Cancelled extends Error {
  constructor() {
    super('Cancelled.');
  }
}

/** A lazily started module worker that runs one job at a time. */
export class Jobs {
  constructor() {
    this.worker = null;
    this.job = null;
    this.nextId = 1;
  }

  start() {
    if (this.worker) return;
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker.addEventListener('message', ({ data }) => this.receive(data));
    // A worker that cannot start (or crashes) fails the job in hand; the next job starts a new one.
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(new Error(`The background worker failed: ${event.message || 'unknown error'}`));
      this.worker.terminate();
      this.worker = null;
    });
  }

  /** Runs `request` ({kind, …}); resolves with the result, calls `onProgress` on the way. */
  run(request, onProgress) {
    if (this.job) return Promise.reject(new Error('Another job is still running.'));
    this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.job = { id, resolve, reject, onProgress };
      this.worker.postMessage({ ...request, id });
    });
  }

  cancel() {
    if (this.job) this.worker.postMessage({ kind: 'cancel', id: this.job.id });
  }

  get busy() {
    return this.job !== null;
  }

  receive(message) {
    const job = this.job;
    if (!job || message.id !== job.id) return;
    switch (message.kind) {
      case 'progress':
        job.onProgress?.(message.progress);
        return;
      case 'done':
        this.job = null;
        job.resolve(message.result);
        return;
      case 'cancelled':
        this.job = null;
        job.reject(new Cancelled());
        return;
      default:
        this.job = null;
        job.reject(new Error(message.message ?? 'The background worker failed.'));
    }
  }

  fail(error) {
    const job = this.job;
    this.job = null;
    job?.reject(error);
  }
}

/** A progress bar with a status text and a cancel button. */
export class JobView {
  constructor(root, bar, text, cancel, onCancel) {
    Object.assign(this, { root, bar, text });
    cancel.addEventListener('click', onCancel);
  }

  start(text) {
    this.root.hidden = false;
    this.bar.removeAttribute('value');
    this.text.textContent = text;
  }

  update(fraction, text) {
    this.bar.value = Math.min(1, Math.max(0, fraction));
    this.text.textContent = text;
  }

  stop() {
    this.root.hidden = true;
  }
}
