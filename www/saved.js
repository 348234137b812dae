// @ts-check
// What the page keeps between visits, in this browser's IndexedDB and nowhere else: the model
// in use (the file itself, or a trained model's text) and the threshold and cost settings.
// Keeping is best effort: where storage is refused (a private window, a full disk) the page
// works as before and says so once.

const DB = 'cyber-attack-detector';
const STORE = 'kept';

/** @type {Promise<IDBDatabase> | null} */
let opened = null;

/**
 * What a request settles to.
 * @template T
 * @param {IDBRequest<T>} request
 * @returns {Promise<T>}
 */
const settled = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

function database() {
  if (!opened) {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    opened = settled(request);
    opened.catch(() => (opened = null));
  }
  return opened;
}

/**
 * Runs `work` on the store in one transaction and gives its result.
 * @template T
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => IDBRequest<T>} work
 * @returns {Promise<T>}
 */
async function inStore(mode, work) {
  const transaction = (await database()).transaction(STORE, mode);
  const result = settled(work(transaction.objectStore(STORE)));
  if (mode === 'readonly') return result;
  // A write is kept once its transaction commits, not when its request succeeds.
  const committed = new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onabort = () => reject(transaction.error);
  });
  return (await Promise.all([result, committed]))[0];
}

/** Changes not yet kept: while there are any, the page carries `data-saving`. */
let unkept = 0;

/**
 * Marks the page `data-saving` until `done` settles (a reload before then would lose a change),
 * and gives `done` back.
 * @template T
 * @param {Promise<T>} done
 * @returns {Promise<T>}
 */
export function saving(done) {
  unkept += 1;
  document.documentElement.dataset.saving = 'true';
  const settle = () => {
    unkept -= 1;
    if (unkept === 0) delete document.documentElement.dataset.saving;
  };
  done.then(settle, settle);
  return done;
}

/**
 * The value kept under `key`, or undefined.
 * @param {string} key
 * @returns {Promise<unknown>}
 */
export const kept = (key) => inStore('readonly', (store) => store.get(key));

/**
 * Keeps `value` (anything structured clone copies: text, numbers, a File) under `key`; undefined
 * removes it.
 * @param {string} key
 * @param {unknown} value
 */
export const keep = (key, value) =>
  forgotten
    ? Promise.resolve(undefined)
    : saving(inStore('readwrite', (store) => /** @type {IDBRequest<unknown>} */ (value === undefined ? store.delete(key) : store.put(value, key))));

/**
 * Set by forgetAll, after which the page reloads: a write that comes later (the settings' delayed
 * one, a verdict) is not made, so nothing is kept again between the clear and the reload.
 */
let forgotten = false;

/** Removes everything kept, and keeps nothing more in this page's life. */
export const forgetAll = () => {
  forgotten = true;
  return saving(inStore('readwrite', (store) => store.clear()));
};
