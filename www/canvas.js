// @ts-check
// Canvases sized to their box at the device's pixel ratio, redrawn when the box changes size.
// The drawing itself is the wasm face's (plotters on the canvas; text measured with the
// canvas's own measureText, so nothing is added to the DOM and the page's CSP holds).

/** @type {Map<Element, () => void>} */
const painters = new Map();

const observer = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const canvas = /** @type {HTMLCanvasElement} */ (entry.target); // only canvases are observed
    if (fit(canvas)) painters.get(canvas)?.();
  }
});

/**
 * Matches the canvas's pixel size to its CSS size; true when it changed.
 * @param {HTMLCanvasElement} canvas
 */
function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.round(canvas.clientWidth * ratio);
  const height = Math.round(canvas.clientHeight * ratio);
  if (width === 0 || height === 0 || (canvas.width === width && canvas.height === height)) return false;
  canvas.width = width;
  canvas.height = height;
  return true;
}

/**
 * Draws with `paint()` now (if visible) and again whenever the canvas is resized.
 * @param {HTMLCanvasElement} canvas
 * @param {() => void} paint
 */
export function paintCanvas(canvas, paint) {
  if (!painters.has(canvas)) observer.observe(canvas);
  painters.set(canvas, paint);
  fit(canvas);
  if (canvas.width > 0 && canvas.clientWidth > 0) paint();
}
