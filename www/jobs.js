// @ts-check
// The page's side of the worker protocol (see worker.js; its messages are typed in types.d.ts):
// one job at a time per worker, with progress reports and cooperative cancel.

/** @typedef {import('./types').Progress} Progress */
/** @typedef {import('./types').ScoreResult} ScoreResult */
/** @typedef {import('./types').TrainResult} TrainResult */
/** @typedef {import('./types').JobResult} JobResult */
/** @typedef {import('./types').FromWorker} FromWorker */
/** @typedef {import('./types').ToWorker} ToWorker */
/**
 * The job in hand.
 * @typedef {{ id: number, resolve: (result: JobResult) => void, reject: (error: Error) => void, onProgress?: (progress: Progress) => void, cancelled?: boolean }} Running
 */

/** How long a cancelled job may take to stop between chunks before its worker is stopped. */
const CANCEL_GRACE_MS = 1000;

export class Cancelled extends Error {
  constructor() {
    super('Cancelled.');
  }
}

/** A lazily started module worker that runs one job at a time. */
export class Jobs {
  constructor() {
    /** @type {Worker | null} */
    this.worker = null;
    /** @type {Running | null} */
    this.job = null;
    this.nextId = 1;
  }

  /** The worker, started on first use. */
  start() {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (/** @type {MessageEvent<FromWorker>} */ { data }) => this.receive(data));
    // A worker that cannot start (or crashes) fails the job in hand; the next job starts a new one.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(new Error(`The background worker failed: ${event.message || 'unknown error'}`));
      worker.terminate();
      this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  // Runs `request`; resolves with its result (a job's kind decides the result's, worker.js),
  // calls `onProgress` on the way.
  /**
   * @overload
   * @param {import('./types').ScoreJob} request
   * @param {(progress: Progress) => void} [onProgress]
   * @returns {Promise<ScoreResult>}
   */
  /**
   * @overload
   * @param {import('./types').TrainJob} request
   * @param {(progress: Progress) => void} [onProgress]
   * @returns {Promise<TrainResult>}
   */
  /**
   * @overload
   * @param {import('./types').TrainAnomalyJob} request
   * @param {(progress: Progress) => void} [onProgress]
   * @returns {Promise<import('./types').AnomalyTrainResult>}
   */
  /**
   * @overload
   * @param {import('./types').CheckJob} request
   * @param {(progress: Progress) => void} [onProgress]
   * @returns {Promise<import('./types').Checked>}
   */
  /**
   * @overload
   * @param {import('./types').ExplainJob} request
   * @param {(progress: Progress) => void} [onProgress]
   * @returns {Promise<import('./types').Explained>}
   */
  /**
   * @overload
   * @param {import('./types').VerdictsJob} request
   * @param {(progress: Progress) => void} [onProgress]
   * @returns {Promise<import('./types').VerdictsWritten>}
   */
  /**
   * @overload
   * @param {import('./types').CompareJob} request
   * @param {(progress: Progress) => void} [onProgress]
   * @returns {Promise<import('./types').Compared>}
   */
  /**
   * @param {import('./types').Job} request
   * @param {(progress: Progress) => void} [onProgress]
   * @returns {Promise<JobResult>}
   */
  run(request, onProgress) {
    if (this.job) return Promise.reject(new Error('Another job is still running.'));
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.job = { id, resolve, reject, onProgress };
      this.post(worker, { ...request, id });
    });
  }

  /**
   * Cancels the job in hand. The worker reads the cancel between chunks of work; one that does
   * not stop within `CANCEL_GRACE_MS` is inside one long call (a wide model's evaluation) and is
   * stopped, and the next job starts a new one.
   */
  cancel() {
    const { job, worker } = this;
    if (!job || !worker) return;
    // A result that was on its way when Cancel was pressed is dropped too.
    job.cancelled = true;
    this.post(worker, { kind: 'cancel', id: job.id });
    setTimeout(() => {
      if (this.job !== job) return;
      worker.terminate();
      if (this.worker === worker) this.worker = null;
      this.job = null;
      job.reject(new Cancelled());
    }, CANCEL_GRACE_MS);
  }

  /**
   * Sends `message`, checked against the protocol's page → worker messages.
   * @param {Worker} worker
   * @param {ToWorker} message
   */
  post(worker, message) {
    worker.postMessage(message);
  }

  get busy() {
    return this.job !== null;
  }

  /** @param {FromWorker} message */
  receive(message) {
    const job = this.job;
    if (!job || message.id !== job.id) return;
    switch (message.kind) {
      case 'progress':
        job.onProgress?.(message.progress);
        return;
      case 'done':
        this.job = null;
        if (job.cancelled) job.reject(new Cancelled());
        else job.resolve(message.result);
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

  /** @param {Error} error */
  fail(error) {
    const job = this.job;
    this.job = null;
    job?.reject(error);
  }
}

/** A progress bar with a status text and a cancel button. */
export class JobView {
  /**
   * @param {HTMLElement} root
   * @param {HTMLProgressElement} bar
   * @param {HTMLElement} text
   * @param {HTMLElement} cancel
   * @param {() => void} onCancel
   */
  constructor(root, bar, text, cancel, onCancel) {
    this.root = root;
    this.bar = bar;
    this.text = text;
    cancel.addEventListener('click', onCancel);
  }

  /** @param {(string | Node)[]} parts the status text */
  start(...parts) {
    this.root.hidden = false;
    this.bar.removeAttribute('value');
    this.text.replaceChildren(...parts);
  }

  /**
   * @param {number} fraction
   * @param {string} text
   */
  update(fraction, text) {
    this.bar.value = Math.min(1, Math.max(0, fraction));
    this.text.textContent = text;
  }

  stop() {
    this.root.hidden = true;
  }
}
