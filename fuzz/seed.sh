#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the shipped data (the corpus directory is not committed).
# Run from fuzz/: ./seed.sh
set -euo pipefail
cd "$(dirname "$0")"
data=../data
csv=corpus/ingest_csv gz=corpus/ingest_gzip model=corpus/model_file json=corpus/ingest_tracee
mkdir -p "$csv" "$gz" "$model" "$json"

# CSV: the sample, slices of it, the 8- and 13-column forms, and the classic edge cases.
cp "$data/sample.csv" "$csv/sample.csv"
head -n 2 "$data/sample.csv" >"$csv/one-row.csv"
head -n 4 "$data/sample.csv" >"$csv/three-rows.csv"
head -n 1 "$data/sample.csv" >"$csv/header-only.csv"
sed -n '1p;200,205p' "$data/sample.csv" >"$csv/middle.csv"
head -n 6 "$data/sample.csv" | cut -d, -f2,3,4,5,6,9,12,13 >"$csv/cut-columns.csv"
printf 'processId,threadId,parentProcessId,userId,mountNamespace,eventId,argsNum,returnValue,sus\n1,1,0,0,4026531840,3,1,0,0\n7548,7548,7534,1001,4026531840,42,3,-115,1\n' >"$csv/numeric.csv"
printf 'timestamp,processId,parentProcessId,userId,processName,hostName,eventId,eventName,argsNum,returnValue,args,sus,evil\n126.23,1,0,0,systemd,ip-10-100-1-105,1005,security_file_open,4,0,[],0,0\n' >"$csv/host-form.csv"
printf '\xef\xbb\xbfprocessId,threadId,parentProcessId,userId,mountNamespace,eventId,argsNum,returnValue,args\r\n1,1,0,0,1,3,1,0,"a, ""b""\r\nc"\r\n\r\n2,2,1,1000,1,3,1,-1,x\r\n' >"$csv/bom-crlf-quotes.csv"
sed -n '1,4p' "$data/sample.csv" | gzip -9 -n >"$csv/three-rows.csv.gz"

# Gzip target: the same plain seeds (compressed inside the target) plus real gzip files.
cp "$csv"/*.csv "$gz/"
gzip -9 -n <"$data/sample.csv" >"$gz/sample.csv.gz"
cp "$csv/three-rows.csv.gz" "$gz/"

# Tracee JSON lines: the real events of both forms from Tracee's docs.
cp ../tests/fixtures/tracee/*.jsonl "$json/"

# Model files: the shipped model, a slim copy without the report, a tiny hand-made one, and
# mutated variants (future version, wrong shapes, huge claims, non-finite numbers).
cp "$data/model.json" "$model/model.json"
cp "$data/anomaly.json" "$model/anomaly.json"
python3 - "$data/model.json" "$model" <<'PY'
import copy, json, sys
src, out = sys.argv[1], sys.argv[2]
full = json.load(open(src))
slim = {k: v for k, v in full.items() if k not in ("evaluation", "baseline", "seed_study")}
slim["training"]["log"]["loss"] = slim["training"]["log"]["loss"][:3]
slim["provenance"]["training_data"] = []
def write(name, value):
    with open(f"{out}/{name}.json", "w") as f:
        json.dump(value, f, separators=(",", ":"))
write("slim", slim)
tiny = copy.deepcopy(slim)
tiny["features"]["scaler"] = [{"field": "argsNum", "mean": 2.0, "std": 1.5}]
tiny["features"]["features"] = [{"name": "argsNum", "transform": {"op": "z", "field": "argsNum"}, "monotone": False, "baseline": 0.0}]
tiny["layers"] = [{"inputs": 1, "outputs": 1, "activation": "sigmoid", "weights": [0.5], "bias": [0.0]}]
write("tiny", tiny)
ref = copy.deepcopy(tiny)
fields = ["processId", "threadId", "userId"]
ref["features"]["set"] = "reference"
ref["features"]["scaler"] = [{"field": f, "mean": 100.0, "std": 3.0} for f in fields]
ref["features"]["features"] = [
    {"name": "z", "transform": {"op": "z", "field": "processId"}, "baseline": 0.0},
    {"name": "sq", "transform": {"op": "z_square", "field": "userId"}, "baseline": 1.0},
    {"name": "prod", "transform": {"op": "z_product", "a": "userId", "b": "threadId"}, "baseline": 0.0},
    {"name": "below", "transform": {"op": "below", "field": "userId", "value": 0.0}, "baseline": 0.0},
    {"name": "above", "transform": {"op": "above", "field": "userId", "value": 0.0}, "baseline": 0.0},
]
ref["layers"] = [
    {"inputs": 5, "outputs": 2, "activation": "relu", "weights": [1, -1, 2, 0, 0, 3, -1, 1, 0.5, 0], "bias": [0, 1]},
    {"inputs": 2, "outputs": 1, "activation": "sigmoid", "weights": [1, -2], "bias": [0.1]},
]
write("reference-tiny", ref)
for name, edit in {
    "future": lambda v: v.update(version=2),
    "huge-layer": lambda v: v["layers"][0].update(inputs=100000, outputs=100000),
    "wide": lambda v: v["layers"][0].update(outputs=4097),
    "nan-weight": lambda v: v["layers"][0].update(weights=[1e39]),
    "bad-threshold": lambda v: v.update(threshold=1.5),
    "zero-std": lambda v: v["features"]["scaler"][0].update(std=0.0),
    "dup-scaler": lambda v: v["features"]["scaler"].extend([{"field": "argsNum", "mean": 0.0, "std": 1.0}] * 9),
    "tiny-std": lambda v: v["features"]["scaler"][0].update(std=1e-300, mean=-1e308),
    "no-version": lambda v: v.pop("version"),
}.items():
    v = copy.deepcopy(tiny)
    edit(v)
    write(name, v)
PY
# Anomaly models: the shipped histograms, slimmed, a hand-made forest of one tree in their
# place, and hostile variants of the histograms (unsorted, duplicate, -0 or huge values, counts
# that do not add up, too many values, both estimators), and hostile evil curves.
python3 - "$data/anomaly.json" "$model" <<'PY'
import copy, json, sys
src, out = sys.argv[1], sys.argv[2]
full = json.load(open(src))
slim = {k: v for k, v in full.items() if k not in ("evaluation", "compared", "seed_study")}
slim["training"].pop("method_study", None)
def write(name, value):
    with open(f"{out}/{name}.json", "w") as f:
        json.dump(value, f, separators=(",", ":"))
write("anomaly-slim", slim)
forest = copy.deepcopy(slim)
forest.pop("histogram")
forest["training"]["config"]["method"] = "forest"
forest["forest"] = {"sample_size": 2, "trees": [{"feature": [4, 0, 0], "value": [0.5, 1.0, 1.0], "left": [1, 0, 0]}]}
write("anomaly-forest", forest)
first = lambda v: v["histogram"]["features"][0]
for name, edit in {
    "hist-unsorted": lambda v: first(v)["values"].reverse(),
    "hist-duplicate": lambda v: first(v).update(values=[0.0, 0.0]),
    "hist-minus-zero": lambda v: first(v).update(values=[-0.0, 1.0]),
    "hist-huge": lambda v: first(v).update(values=[0.0, 1e39]),
    "hist-counts": lambda v: first(v).update(counts=[18446744073709551615, 1]),
    "hist-wide": lambda v: first(v).update(values=list(range(4097)), counts=[0] * 4097),
    "hist-rows": lambda v: v["histogram"].update(rows=0),
    "hist-and-forest": lambda v: v.update(forest=forest["forest"]),
    "hist-as-forest": lambda v: v["training"]["config"].update(method="forest"),
}.items():
    v = copy.deepcopy(slim)
    edit(v)
    write(name, v)
# The evaluation's evil curves (checked as the sus curves are): ragged, outside the unit
# square, without the evil figures they go with.
curves = lambda v: v["evaluation"]["evil_curves"]
for name, edit in {
    "evil-curve-ragged": lambda v: curves(v)["roc"]["y"].pop(),
    "evil-curve-outside": lambda v: curves(v)["pr"]["y"].__setitem__(0, 1.5),
    "evil-curves-alone": lambda v: v["evaluation"].pop("evil"),
}.items():
    v = copy.deepcopy(full)
    edit(v)
    write(name, v)
PY
echo "seeded: $(ls "$csv" | wc -l) csv, $(ls "$gz" | wc -l) gzip, $(ls "$json" | wc -l) JSON lines, $(ls "$model" | wc -l) model files"
