#!/usr/bin/env bash
# Scale check: build full-size BETH splits by resampling the real rows (named as resampled), then
# train and score on them with the CLI, reporting wall time and peak memory.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="${BETH_DATA:-../shared/data/beth-samples}"
out="${SCALE_DIR:-target/resampled-beth}"
[ -d "$data" ] || { echo "scale: no BETH data at $data (set BETH_DATA)" >&2; exit 2; }
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null  # GNU time, for peak memory
cargo build --release --quiet
bin=target/release/cyber-attack-detector
mkdir -p "$out"
find_split() { ls "$data"/"$1".csv* "$data"/labelled_"$2"_data.csv* 2>/dev/null | head -n 1; }
"$bin" resample --input "$(find_split train training)" --out "$out/train.csv" --rows 763144 --seed 1
"$bin" resample --input "$(find_split validation validation)" --out "$out/validation.csv" --rows 188967 --seed 2
"$bin" resample --input "$(find_split test testing)" --out "$out/test.csv" --rows 188967 --seed 3
measure() { /usr/bin/time -f "scale: %e s wall, %M KiB peak memory: $*" "$@"; }
measure "$bin" train --data "$out" --out "$out/model.json" > "$out/train.log"
measure "$bin" score --model "$out/model.json" --input "$out/test.csv" --output "$out/test-scored.csv"
echo "scale: resampled inputs and outputs are in $out"
