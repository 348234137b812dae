#!/usr/bin/env bash
# Quality check of the shipped model on the real BETH rows (not part of `make test`, which must
# pass without them): retrain with the documented command and require the model file and its
# report to come out byte-identical, then show the headline numbers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="${BETH_DATA:-../shared/data/beth-samples}"
[ -d "$data" ] || { echo "quality: no BETH data at $data (set BETH_DATA)" >&2; exit 2; }
# `make model` is the documented command; run it exactly.
make --no-print-directory model BETH_DATA="$data"
if git diff --quiet -- data/model.json data/anomaly.json data/metrics.md; then
    echo "quality: data/model.json, data/anomaly.json and data/metrics.md rebuilt bit-for-bit"
else
    git diff --stat -- data/model.json data/anomaly.json data/metrics.md
    echo "quality: FAILED: the rebuilt model differs from the committed one" >&2
    exit 1
fi
# The quality bar itself is asserted on the committed file by tests/model_file.rs.
cargo test --release --quiet --test model_file
# Issue 13's goal for the anomaly model (AUROC on `sus` and `evil` of the test rows at every
# seed of its seed study); reported, not enforced.
python3 scripts/goals.py --anomaly data/anomaly.json
# Issue 15's goals, host-grouped cross-validation first, for the shipped recipe and the `names`
# preset (processName and eventName tokens), each retrained with seeds 1-10, `ubuntu`'s false
# alarms when that host is held out of training and the specificity when each host is (about
# six minutes more than ubuntu alone); reported, not
# enforced: see the README's model section.
for preset in default names; do
    runs=()
    for seed in 1 2 3 4 5 6 7 8 9 10; do
        out="target/quality/$preset-seed$seed.json"
        mkdir -p target/quality
        cargo run --release --quiet -- train --data "$data" --preset "$preset" --seed "$seed" --out "$out" >/dev/null
        # Its line goes beside the model for goals.py.
        cargo run --release --quiet -- holdout --data "$data" --every-host --presets "$preset" --seed "$seed" \
            >"${out%.json}.txt"
        runs+=("$out")
    done
    python3 scripts/goals.py "$preset" "${runs[@]}"
done
