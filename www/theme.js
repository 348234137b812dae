// @ts-check
// Light and dark themes: the system's preference unless the reader picked one with the toggle.

const KEY = 'cyber-attack-detector.theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');
/** @type {((dark: boolean) => void)[]} */
const listeners = [];

function stored() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null; // storage disabled: follow the system
  }
}

let choice = stored();

export function isDark() {
  return choice ? choice === 'dark' : media.matches;
}

/**
 * Calls `listener(dark)` whenever the theme changes.
 * @param {(dark: boolean) => void} listener
 */
export function onThemeChange(listener) {
  listeners.push(listener);
}

/** @param {HTMLElement} button */
function apply(button) {
  const dark = isDark();
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  // A toggle button: one name, and its pressed state says whether the dark theme is on.
  button.textContent = 'Dark theme';
  button.setAttribute('aria-pressed', String(dark));
  listeners.forEach((listener) => listener(dark));
}

/** @param {HTMLElement} button the toggle */
export function setUpTheme(button) {
  apply(button);
  button.addEventListener('click', () => {
    choice = isDark() ? 'light' : 'dark';
    try {
      localStorage.setItem(KEY, choice);
    } catch {
      // not remembered across visits, still applied
    }
    apply(button);
  });
  media.addEventListener('change', () => {
    if (!choice) apply(button);
  });
}
