#!/usr/bin/env bash
# `make bench`: every benchmark in one go on this machine, then BENCHMARKS.md, bench/results.json
# and bench/ratios.svg. Benchmark-only dependencies go to bench/node_modules and bench/.venv.
#
# Waits (up to BENCH_WAIT seconds, default 900) for the 1-minute load average to fall below
# BENCH_MAX_LOAD (default 0.3) before timing; the report says if the machine was busy anyway.
#
# `bench/run.sh tracee` (`make bench-tracee`) runs only the Tracee JSON section in Chromium: it
# builds the bench wasm and the Tracee lines, times them, and prints the figures with the load
# average before and after (also in bench/out/tracee.json); BENCHMARKS.md and the results are
# left as they are.
set -euo pipefail
only="${1:-}"
[ -z "$only" ] || [ "$only" = tracee ] || { echo "bench: unknown section $only (only: tracee)" >&2; exit 2; }
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
data="${BETH_DATA:-../shared/data/beth-samples}"
out=bench/out
port="${BENCH_PORT:-8765}"
bin="${CARGO_TARGET_DIR:-target}/release"
[ -d "$data" ] || { echo "bench: no BETH data at $data (set BETH_DATA)" >&2; exit 2; }
mkdir -p "$out"

step() { echo "==> bench: $*"; }

wait_quiet() {
  echo "==> bench: waiting for a quiet machine (load average below ${BENCH_MAX_LOAD:-0.3})"
  waited=0
  while awk -v max="${BENCH_MAX_LOAD:-0.3}" '{ exit !($1 >= max) }' /proc/loadavg && [ "$waited" -lt "${BENCH_WAIT:-900}" ]; do
    sleep 15; waited=$((waited + 15))
  done
}

serve() {
  python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1 &
  server=$!
  trap 'kill "$server" 2>/dev/null || true' EXIT
  sleep 1
}

if [ "$only" = tracee ]; then
  step "builds: the CLI (to resample) and the bench wasm"
  cargo build --release --quiet -p cyber-attack-detector-cli
  wasm-pack --quiet build bench --target web --release --no-typescript --out-dir pkg
  step "data: the resampled test rows as Tracee JSON lines"
  "$bin/cyber-attack-detector" resample --input "$data/test.csv.gz" --out "$out/resampled-test-188967.csv" --rows 188967 --seed 1
  python3 bench/tracee_lines.py "$out/resampled-test-188967.csv" "$out/resampled-test-188967.jsonl"
  sync
  wait_quiet
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  step "Tracee JSON lines in a Web Worker (headless Chromium, served on 127.0.0.1:$port)"
  serve
  node bench/drive.mjs "http://127.0.0.1:$port" "$out/tracee.json" tracee
  load_end=$(cut -d' ' -f1-3 /proc/loadavg)
  python3 - "$out/tracee.json" "$load_start" "$load_end" <<'PY'
import json, sys
figures = json.load(open(sys.argv[1]))
t = figures["tracee"]
mb_per_s = lambda ms: t["bytes"] / 1e3 / ms
runs = lambda key: " ".join(f"{ms:.0f}" for ms in t[key])
print(f"{figures['browser']}, {t['rows']} rows, {t['bytes'] / 1e6:.1f} MB; load average {sys.argv[2]} before, {sys.argv[3]} after")
print(f"tracee_parse_mb_per_s_wasm        {mb_per_s(t['ours_ms']):.0f}  (runs, ms: {runs('ours_runs_ms')})")
print(f"JSON.parse per line, MB/s         {mb_per_s(t['json_parse_ms']):.0f}  (runs, ms: {runs('json_parse_runs_ms')})")
print(f"tracee_parse_ratio_vs_json_parse  {t['json_parse_ms'] / t['ours_ms']:.2f}")
PY
  exit 0
fi

step "benchmark-only dependencies"
(cd bench && { npm ls --depth=0 >/dev/null 2>&1 || npm ci --no-audit --no-fund; })
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
cmp -s <(bench/.venv/bin/pip freeze) bench/requirements.txt || bench/.venv/bin/pip install -q -r bench/requirements.txt

step "builds: the page, the CLI, the bench wasm and binaries"
make --no-print-directory build
cargo build --release --quiet
cargo build --release --quiet -p cad-bench --bins
wasm-pack --quiet build bench --target web --release --no-typescript --out-dir pkg

step "data: resampled test (CSV and Tracee JSON lines) and train files, the model as ONNX"
"$bin/cyber-attack-detector" resample --input "$data/test.csv.gz" --out "$out/resampled-test-188967.csv" --rows 188967 --seed 1
python3 bench/tracee_lines.py "$out/resampled-test-188967.csv" "$out/resampled-test-188967.jsonl"
python3 bench/pool.py "$out/pool.csv" "$data/train.csv.gz" "$data/validation.csv.gz" "$data/hosts.csv.gz"
"$bin/cyber-attack-detector" resample --input "$out/pool.csv" --out "$out/resampled-train-763144.csv" --rows 763144 --seed 1
install -m 644 "$data/test.csv.gz" "$out/test.csv.gz"
bench/.venv/bin/python bench/onnx_model.py data/model.json "$out/model.onnx"

# Write the ~300 MB of resampled files out first: the kernel's write-back would otherwise take a
# core while the two-thread figures are timed.
sync
wait_quiet
cut -d' ' -f1-3 /proc/loadavg > "$out/load-start.txt"

step "native core and the numpy reference"
"$bin/native" "$out" > "$out/native.json"
# The machine's OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE slow a current numpy: unset for this command only.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/.venv/bin/python bench/reference.py "$out" > "$out/numpy.json"

step "in the browser (headless Chromium, served on 127.0.0.1:$port)"
serve
node bench/drive.mjs "http://127.0.0.1:$port" "$out/browser.json"
cut -d' ' -f1-3 /proc/loadavg > "$out/load-end.txt"

step "report"
python3 bench/report.py "$out"
"$bin/chart" bench/results.json bench/ratios.svg
echo "bench: wrote BENCHMARKS.md, bench/results.json and bench/ratios.svg"
