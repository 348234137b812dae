// @ts-check
// What a `.json` upload holds, told by its content rather than its name: Tracee's output is often
// saved as `events.json`, and a model file is `.json` too.

/** The bytes looked at: a Tracee line is a few KB, a model file's first line `{` or the whole file. */
const HEAD_BYTES = 1 << 16;

/** Keys of a Tracee event's line: `eventName`/`eventId`/`processId` (flat form), `workload` (v1beta1). */
const EVENT_KEYS = ['eventName', 'eventId', 'processId', 'workload'];

/** The key every model file starts with (`"format": "cyber-attack-detector/model"`). */
const MODEL_KEY = 'format';

/**
 * Whether `file` holds events for the worker (gzip, or JSON lines whose first line is one
 * object with a Tracee event's keys and not the model's) rather than a model file. Anything
 * else is left to the model file's reader, whose errors say what is wrong with it. Reads at most
 * the first 64 KB and parses one line: quick on the page's thread.
 * @param {Blob} file
 * @returns {Promise<boolean>}
 */
export async function holdsEvents(file) {
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  if (head[0] === 0x1f && head[1] === 0x8b) return true;
  const text = new TextDecoder().decode(head);
  const end = text.indexOf('\n');
  // A first line longer than the head is no Tracee event.
  if (end < 0 && file.size > HEAD_BYTES) return false;
  /** @type {unknown} */
  let first;
  try {
    first = JSON.parse(end < 0 ? text : text.slice(0, end));
  } catch {
    return false;
  }
  if (typeof first !== 'object' || first === null || Array.isArray(first) || MODEL_KEY in first) return false;
  return EVENT_KEYS.some((key) => key in first);
}
