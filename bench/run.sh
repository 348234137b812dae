#!/usr/bin/env bash
# `make bench`: every benchmark in one go on this machine, then BENCHMARKS.md, bench/results.json
# and bench/ratios.svg. Benchmark-only dependencies go to bench/node_modules and bench/.venv.
#
# Waits (up to BENCH_WAIT seconds, default 900) for the 1-minute load average to fall below
# BENCH_MAX_LOAD (default 0.3) before timing; the report says if the machine was busy anyway.
#
#   bench/run.sh [SECTION...]   every section by default, or only those named (in this order):
#                               deps builds data quiet native browser firefox spark report
# e.g. `bench/run.sh firefox spark` times Firefox and Spark again on the files of an earlier run.
# One more section, never run by default: `tracee` times only reading Tracee JSON lines in a Web
# Worker in Chromium, ours against JSON.parse (the browser section times it too), and prints the
# figures with the load average before and after, leaving BENCHMARKS.md and the results alone:
# `make bench-tracee` is `bench/run.sh deps builds data quiet tracee`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
data="${BETH_DATA:-../shared/data/beth-samples}"
out=bench/out
port="${BENCH_PORT:-8765}"
bin="${CARGO_TARGET_DIR:-target}/release"
[ -d "$data" ] || { echo "bench: no BETH data at $data (set BETH_DATA)" >&2; exit 2; }
mkdir -p "$out"

step() { echo "==> bench: $*"; }
sections=" ${*:-deps builds data quiet native browser firefox spark report} "
want() { [[ "$sections" == *" $1 "* ]]; }

if want deps; then
  step "benchmark-only dependencies"
  (cd bench && { npm ls --depth=0 >/dev/null 2>&1 || npm ci --no-audit --no-fund; })
  [ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
  cmp -s <(bench/.venv/bin/pip freeze) bench/requirements.txt || bench/.venv/bin/pip install -q -r bench/requirements.txt
fi

if want builds; then
  step "builds: the page, the CLI, the bench wasm and binaries"
  make --no-print-directory build
  cargo build --release --quiet
  cargo build --release --quiet -p cad-bench --bins
  wasm-pack --quiet build bench --target web --release --no-typescript --out-dir pkg
fi

if want data; then
  step "data: resampled test (CSV and Tracee JSON lines) and train files, the model as ONNX"
  "$bin/cyber-attack-detector" resample --input "$data/test.csv.gz" --out "$out/resampled-test-188967.csv" --rows 188967 --seed 1
  python3 bench/tracee_lines.py "$out/resampled-test-188967.csv" "$out/resampled-test-188967.jsonl"
  python3 bench/pool.py "$out/pool.csv" "$data/train.csv.gz" "$data/validation.csv.gz" "$data/hosts.csv.gz"
  "$bin/cyber-attack-detector" resample --input "$out/pool.csv" --out "$out/resampled-train-763144.csv" --rows 763144 --seed 1
  install -m 644 "$data/test.csv.gz" "$out/test.csv.gz"
  bench/.venv/bin/python bench/onnx_model.py data/model.json "$out/model.onnx"
fi

if want quiet; then
  step "waiting for a quiet machine (load average below ${BENCH_MAX_LOAD:-0.3})"
  # Write the ~300 MB of resampled files out first: the kernel's write-back would otherwise take a
  # core while the two-thread figures are timed.
  sync
  waited=0
  while awk -v max="${BENCH_MAX_LOAD:-0.3}" '{ exit !($1 >= max) }' /proc/loadavg && [ "$waited" -lt "${BENCH_WAIT:-900}" ]; do
    sleep 15; waited=$((waited + 15))
  done
  cut -d' ' -f1-3 /proc/loadavg > "$out/load-start.txt"
fi

if want native; then
  step "native core and the numpy reference"
  "$bin/native" "$out" > "$out/native.json"
  # The machine's OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE slow a current numpy: unset for this command only.
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/.venv/bin/python bench/reference.py "$out" > "$out/numpy.json"
fi

if want browser || want firefox || want tracee; then
  python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1 &
  server=$!
  trap 'kill "$server" 2>/dev/null || true' EXIT
  sleep 1
fi
if want browser; then
    step "in the browser (headless Chromium, served on 127.0.0.1:$port)"
    node bench/drive.mjs "http://127.0.0.1:$port" "$out/browser.json"
fi
if want firefox; then
    step "our scoring and parsing in headless Firefox (served on 127.0.0.1:$port)"
    node bench/drive-firefox.mjs "http://127.0.0.1:$port" "$out/firefox.json"
fi
if want spark; then
    step "the CLI's score and the Spark job in local mode on the resampled test CSV (4 files), checked against each other"
    tools/.venv/bin/python scripts/spark_check.py --figures "$out/spark.json" "$bin/cyber-attack-detector" data/model.json 4 \
      "$out/resampled-test-188967.csv"
fi
if want tracee; then
  step "Tracee JSON lines in a Web Worker, alone (headless Chromium, served on 127.0.0.1:$port)"
  node bench/drive.mjs "http://127.0.0.1:$port" "$out/tracee.json" tracee
  python3 - "$out/tracee.json" "$(cat "$out/load-start.txt" 2>/dev/null || echo '?')" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
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
fi
want report || exit 0
cut -d' ' -f1-3 /proc/loadavg > "$out/load-end.txt"

step "report"
python3 bench/report.py "$out"
"$bin/chart" bench/results.json bench/ratios.svg
echo "bench: wrote BENCHMARKS.md, bench/results.json and bench/ratios.svg"
