#!/usr/bin/env python3
"""Checks `cyber-attack-detector export --onnx` in ONNX Runtime against the CLI's own `score`.

usage: scripts/onnx_check.py CLI SAMPLE.csv MODEL.json [MODEL.json ...]

For each model file (an anomaly model too, then also with a threshold that flags part of the
sample), for an isolation forest the CLI fits on SAMPLE.csv (`train --preset paper`, the
same checks), and for two variants of the first one written here (a feature whose set
of OS values is empty, and a network whose input limit is brought down to about 100 so that
rows with a huge argsNum are guarded), it exports the model, scores SAMPLE.csv with the CLI and
with ONNX Runtime, and requires:

- the file to pass onnx.checker (full check, shape inference included);
- every score within 1e-6 of the CLI's, and identical verdicts except for scores within 1e-6
  of the threshold; for a histogram anomaly model (which the graph computes in the core's
  doubles, added in the core's order) every score and verdict identical, to the bit;
- the metadata props to carry the model's threshold, feature spec and (for a file the CLI
  wrote) the SHA-256 of the model file;
- rows with a feature beyond the input limit to be scored NaN and flagged, as the core does.

Exits 1 naming the first difference. Needs numpy, onnx and onnxruntime (tools/requirements.txt,
installed into tools/.venv by scripts/setup.sh).
"""
import csv
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

TOLERANCE = 1e-6


class Mismatch(Exception):
    pass


def run(cli, *args):
    done = subprocess.run([cli, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise Mismatch(f"{' '.join(args[:1])} failed: {done.stderr.strip()}")


def read_columns(path):
    """Every column of a CSV as text, by header name."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {name: [row[name] for row in rows] for name in rows[0]}


def onnx_scores(path, columns):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    # Text fields (processName, eventName) go in as strings, the others as doubles.
    feeds = {
        i.name: np.array(columns[i.name], dtype=object if i.type == "tensor(string)" else np.float64)
        for i in session.get_inputs()
    }
    score, verdict = session.run(["score", "verdict"], feeds)
    return score, verdict


def metadata(path):
    model = onnx.load(str(path))
    onnx.checker.check_model(model, full_check=True)
    return {p.key: p.value for p in model.metadata_props}


def exact(model):
    """Whether ONNX must give the CLI's bits: a histogram anomaly model."""
    return model.get("training", {}).get("config", {}).get("method") == "histogram"


def compare(name, model, ours, theirs):
    """Our scores and verdicts (CLI) against ONNX Runtime's; returns the largest difference."""
    (score, verdict), (their_score, their_verdict) = ours, theirs
    if len(score) != len(their_score):
        raise Mismatch(f"{name}: {len(score)} scores from the CLI, {len(their_score)} from ONNX")
    if exact(model):
        differ = (score.view(np.uint32) != their_score.view(np.uint32)) | (verdict != their_verdict)
        if differ.any():
            row = int(np.argmax(differ))
            raise Mismatch(
                f"{name}, row {row + 1}: score {score[row]!r}, verdict {bool(verdict[row])} (CLI) "
                f"against {their_score[row]!r}, {bool(their_verdict[row])} (ONNX): expected the same bits"
            )
        return 0.0, 0
    difference = np.abs(score.astype(np.float64) - their_score.astype(np.float64))
    worst = int(np.argmax(difference))
    if not difference[worst] <= TOLERANCE:
        raise Mismatch(
            f"{name}, row {worst + 1}: score {score[worst]!r} (CLI) against {their_score[worst]!r} (ONNX)"
        )
    threshold = np.float32(model["threshold"])
    near = np.abs(score.astype(np.float64) - float(threshold)) <= TOLERANCE
    differ = (verdict != their_verdict) & ~near
    if differ.any():
        row = int(np.argmax(differ))
        raise Mismatch(
            f"{name}, row {row + 1}: verdict {bool(verdict[row])} (CLI) against "
            f"{bool(their_verdict[row])} (ONNX), score {score[row]!r}, threshold {threshold!r}"
        )
    return float(difference[worst]), int(near.sum())


def check(cli, sample, model_path, tmp, written_by_cli=True):
    """Exports and scores one model file; returns a line saying how close the scores are."""
    name = model_path.name
    model = json.loads(model_path.read_text())
    onnx_path = tmp / f"{model_path.stem}.onnx"
    scored = tmp / f"{model_path.stem}-scored.csv"
    run(cli, "export", "--model", str(model_path), "--onnx", str(onnx_path))
    run(cli, "score", "--model", str(model_path), "--input", str(sample), "--output", str(scored))

    meta = metadata(onnx_path)
    if np.float32(meta["threshold"]) != np.float32(model["threshold"]):
        raise Mismatch(f"{name}: metadata threshold {meta['threshold']}, model {model['threshold']}")
    if json.loads(meta["feature_spec"]) != model["features"]:
        raise Mismatch(f"{name}: metadata feature_spec differs from the model file's features")
    if json.loads(meta["provenance"]) != model["provenance"]:
        raise Mismatch(f"{name}: metadata provenance differs from the model file's")
    digest = hashlib.sha256(model_path.read_bytes()).hexdigest()
    if written_by_cli and meta["model_sha256"] != digest:
        raise Mismatch(f"{name}: metadata model_sha256 {meta['model_sha256']}, file {digest}")

    columns = read_columns(scored)
    ours = (np.array(columns["score"], dtype=np.float32), np.array(columns["verdict"]) == "1")
    theirs = onnx_scores(onnx_path, columns)
    worst, near = compare(name, model, ours, theirs)
    if exact(model):
        return f"{name}: {len(ours[0])} rows, every score and verdict the same bits"
    line = f"{name}: {len(ours[0])} rows, largest |score difference| {worst:.1e}, verdicts agree"
    return line + (f" ({near} within {TOLERANCE:g} of the threshold)" if near else "")


def guarded(cli, sample, model_path, tmp):
    """The model with its first layer scaled so that its input limit is about 100: rows with
    argsNum 1e30 (a z-score near 7.5e29) are NaN and suspicious, the others match the CLI."""
    model = json.loads(model_path.read_text())
    first = tmp / "limit-probe.onnx"
    run(cli, "export", "--model", str(model_path), "--onnx", str(first))
    scale = float(metadata(first)["input_limit"]) / 100
    model["layers"][0]["weights"] = [w * scale for w in model["layers"][0]["weights"]]
    model["evaluation"] = model["baseline"] = model["seed_study"] = None
    model = {k: v for k, v in model.items() if v is not None}
    scaled = tmp / "guarded.json"
    scaled.write_text(json.dumps(model))
    line = check(cli, sample, scaled, tmp, written_by_cli=False)

    onnx_path = tmp / "guarded.onnx"
    limit = float(metadata(onnx_path)["input_limit"])
    if not 50 < limit < 200:
        raise Mismatch(f"guarded.json: input limit {limit}, expected about 100")
    columns = read_columns(sample)
    huge = [0, 7, len(columns["argsNum"]) - 1]
    for row in huge:
        columns["argsNum"][row] = "1e30"
    score, verdict = onnx_scores(onnx_path, columns)
    nan_rows = [int(r) for r in np.flatnonzero(np.isnan(score))]
    if nan_rows != huge or not verdict[huge].all():
        raise Mismatch(f"guarded.json: NaN rows {nan_rows}, expected {huge}, all flagged")
    return line + f"; rows {[r + 1 for r in huge]} with argsNum 1e30 are NaN and flagged"


def empty_set(cli, sample, model_path, tmp):
    """The model with its first outside-set feature given no values: 1 for every row."""
    model = json.loads(model_path.read_text())
    outside = [f for f in model["features"]["features"] if f["transform"]["op"] == "outside_set"]
    if not outside:
        raise Mismatch(f"{model_path.name} has no outside_set feature to empty")
    outside[0]["transform"]["values"] = []
    path = tmp / "empty-set.json"
    path.write_text(json.dumps(model))
    return check(cli, sample, path, tmp, written_by_cli=False)


def lower_threshold(cli, sample, model_path, tmp):
    """An anomaly model with a threshold that flags some of the sample and not all, so that
    verdicts of both kinds are compared: a histogram's at the median of its scores of the sample
    (as `check` left them), so that rows exactly at the threshold are compared too; a forest's
    at 0.55, between its scores (which agree only to about 1e-7)."""
    model = json.loads(model_path.read_text())
    scores = np.array(read_columns(tmp / f"{model_path.stem}-scored.csv")["score"], dtype=np.float32)
    model["threshold"] = float(np.median(scores)) if exact(model) else 0.55
    path = tmp / "anomaly-threshold.json"
    path.write_text(json.dumps(model))
    line = check(cli, sample, path, tmp, written_by_cli=False)
    scored = read_columns(tmp / "anomaly-threshold-scored.csv")["verdict"]
    flagged = scored.count("1")
    if not 0 < flagged < len(scored):
        raise Mismatch(f"{path.name}: {flagged} of {len(scored)} rows flagged; expected some of each")
    return line + f"; {flagged} of {len(scored)} flagged"


def main(cli, sample, *models):
    sample, models = Path(sample), [Path(m) for m in models]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        try:
            forest = tmp / "anomaly-forest.json"
            run(cli, "train", "--preset", "paper", "--data", str(sample), "--out", str(forest))
            for model in [*models, forest]:
                print(check(cli, sample, model, tmp))
                if json.loads(model.read_text()).get("kind") == "anomaly":
                    print(lower_threshold(cli, sample, model, tmp))
            print(empty_set(cli, sample, models[0], tmp))
            print(guarded(cli, sample, models[0], tmp))
        except Mismatch as e:
            print(f"onnx_check: FAILED: {e}", file=sys.stderr)
            return 1
    print(f"onnx_check: OK, ONNX Runtime {ort.__version__}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
