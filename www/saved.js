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
  const store = (await database()).transaction(STORE, mode).objectStore(STORE);
  return settled(work(store));
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
  inStore('readwrite', (store) => /** @type {IDBRequest<unknown>} */ (value === undefined ? store.delete(key) : store.put(value, key)));

/** Removes everything kept. */
export const forgetAll = () => inStore('readwrite', (store) => store.clear());
