#!/usr/bin/env bash
# Runs one fuzz target the way docs/HOSTILE.md reports it: seeded corpus, the target's
# dictionary, one process, 10 million executions or 30 minutes, whichever comes first.
#   ./run.sh <ingest_csv|ingest_gzip|ingest_tracee|model_file> [runs] [seconds]
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: ./run.sh <ingest_csv|ingest_gzip|ingest_tracee|model_file> [runs] [seconds]}
runs=${2:-10000000}
seconds=${3:-1800}
case "$target" in
  ingest_csv | ingest_gzip) dict=dict/csv.dict max_len=16384 ;;
  ingest_tracee) dict=dict/tracee.dict max_len=16384 ;;
  model_file) dict=dict/json.dict max_len=262144 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
[ -d "corpus/$target" ] || ./seed.sh
# -a: debug assertions (integer overflow checks) on, as in `cargo test`.
exec cargo +nightly fuzz run -a "$target" -- -dict="$dict" -max_len="$max_len" \
  -runs="$runs" -max_total_time="$seconds" -print_final_stats=1 -jobs=1 -workers=1
