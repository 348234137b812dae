#!/usr/bin/env bash
# Installs what the build and the tests need, and only what is missing. Safe to run again:
# when everything is present it only checks (well under a second) and changes nothing.
#
#   scripts/setup.sh          everything (same as `all`)
#   scripts/setup.sh build    what `make build` / `make serve` need: wasm32 target, wasm-pack,
#                             wasm-bindgen-cli of the Cargo.lock version, tools/ (wasm-opt 132)
#   scripts/setup.sh test     `build` + rustfmt, clippy, chromium + chromedriver and firefox-esr
#                             (apt), geckodriver (cargo install), tools/.venv (PyPI)
#   scripts/setup.sh all      the same as `test`
#
# Needs rustup/cargo already installed (https://rustup.rs). Only package registries are used:
# crates.io (cargo install), the npm registry (tools/), PyPI (tools/.venv), Debian apt (chromium,
# firefox-esr).
set -euo pipefail

mode="${1:-all}"
case "$mode" in
  build | test | all) ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$root/tools/node_modules/.bin:$cargo_bin:$PATH"

say() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  have apt-get || die "apt-get not found; install these by hand: $*"
  if [ "$apt_updated" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# --- Rust --------------------------------------------------------------------------------------
have cargo || die "cargo not found. Install Rust with rustup (https://rustup.rs), then run this again."
have rustup || die "rustup not found (needed to add the wasm32 target). Install Rust with rustup."

installed_targets="$(rustup target list --installed)"
if ! grep -qx wasm32-unknown-unknown <<<"$installed_targets"; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$mode" != build ]; then
  installed_components="$(rustup component list --installed)"
  missing=()
  grep -q '^rustfmt' <<<"$installed_components" || missing+=(rustfmt)
  grep -q '^clippy' <<<"$installed_components" || missing+=(clippy)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "adding rustup components: ${missing[*]}"
    rustup component add "${missing[@]}"
  fi
fi

# The version checked with this project; any installed wasm-pack is accepted.
wasm_pack_version=0.15.1
if ! have wasm-pack; then
  say "installing wasm-pack $wasm_pack_version (cargo install, about 2 minutes)"
  cargo install wasm-pack --version "$wasm_pack_version" --locked
fi

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock,
# or wasm-pack tries to download one from GitHub and then builds its own copy (minutes).
bindgen_version=""
if [ -f "$root/Cargo.lock" ]; then
  bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")"
fi
if [ -z "$bindgen_version" ]; then
  # No Cargo.lock yet: fall back to the exact pin in Cargo.toml (wasm-bindgen = "=X.Y.Z").
  bindgen_version="$(sed -n 's/^wasm-bindgen *= *"=\([0-9.]*\)".*/\1/p' "$root/Cargo.toml" | head -n1)"
fi
[ -n "$bindgen_version" ] || die "cannot find the wasm-bindgen version in Cargo.lock or Cargo.toml"
current_bindgen="$( (wasm-bindgen --version 2>/dev/null || true) | awk '{ print $2 }')"
if [ "$current_bindgen" != "$bindgen_version" ] || ! have wasm-bindgen-test-runner; then
  say "installing wasm-bindgen-cli $bindgen_version (found '${current_bindgen:-none}'; cargo install, about 2 minutes)"
  # No --locked: its lockfile pins crates newer than some registry mirrors carry.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

# --- Chromium for the browser tests --------------------------------------------------------------
if [ "$mode" != build ]; then
  if ! have chromium || ! have chromedriver; then
    say "installing chromium and chromium-driver from apt"
    apt_install chromium chromium-driver
  fi
fi

# --- Firefox for the browser tests: Debian's firefox-esr and geckodriver (crates.io) ------------
if [ "$mode" != build ]; then
  if ! have firefox-esr; then
    say "installing firefox-esr from apt"
    apt_install firefox-esr
  fi
  if ! have geckodriver; then
    say "installing geckodriver 0.37.1 (cargo install, about 3 minutes)"
    cargo install geckodriver --version 0.37.1 --locked
  fi
fi

# --- Node tools: wasm-opt 132, playwright-core and typescript, pinned in tools/package-lock.json -
if ! have node || ! have npm; then
  say "installing nodejs and npm from apt"
  apt_install nodejs npm
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  say "WARNING: node $(node --version) is older than 20; playwright-core (e2e tests) needs node >= 20"
fi

# Every package pinned in the lockfile must be installed at exactly its locked version.
tools_ok() {
  node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8"));
    for (const [where, meta] of Object.entries(lock.packages || {})) {
      if (!where) continue;
      const file = path.join(dir, where, "package.json");
      if (!fs.existsSync(file) || JSON.parse(fs.readFileSync(file, "utf8")).version !== meta.version) process.exit(1);
    }
  ' "$root/tools" 2>/dev/null
}
if ! tools_ok; then
  say "installing tools/ from its package-lock.json (npm ci)"
  (cd "$root/tools" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  tools_ok || die "tools/node_modules does not match tools/package-lock.json after npm ci"
fi

wasm_opt="$(command -v wasm-opt || true)"
[ "$wasm_opt" = "$root/tools/node_modules/.bin/wasm-opt" ] ||
  die "wasm-opt on PATH is '$wasm_opt', expected tools/node_modules/.bin/wasm-opt"

# --- Python for the ONNX and Spark checks: onnxruntime, onnx, pyspark from PyPI (tools/requirements.txt)
# Checked by the packages' dist-info directories, which is instant; pip runs only when one is
# missing or of another version.
if [ "$mode" != build ]; then
  venv="$root/tools/.venv"
  if [ ! -x "$venv/bin/python" ]; then
    have python3 || apt_install python3 python3-venv
    say "creating tools/.venv (python3 -m venv)"
    python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$venv"; }
  fi
  python_ok() {
    local line name site
    site="$(echo "$venv"/lib/python3*/site-packages)"
    while read -r line; do
      case "$line" in '' | '#'*) continue ;; esac
      name="${line%%==*}"
      [ -d "$site/${name//-/_}-${line##*==}.dist-info" ] || return 1
    done <"$root/tools/requirements.txt"
  }
  # Spark (pyspark's local mode) runs on a JVM: Java 17 from Debian when none is on the machine.
  have java || apt_install openjdk-17-jre-headless
  if ! python_ok; then
    say "installing tools/requirements.txt into tools/.venv (pip, PyPI; pyspark is 450 MB, a few minutes)"
    "$venv/bin/pip" install -q --prefer-binary -r "$root/tools/requirements.txt"
    python_ok || die "tools/.venv does not match tools/requirements.txt after pip install"
  fi
fi
