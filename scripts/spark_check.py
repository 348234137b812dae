#!/usr/bin/env python3
"""Runs scripts/spark_score.py on Spark in local mode and requires its output to equal the
CLI's `score` on the same rows: every input cell the same, every score within 1e-6, the same
verdicts except for scores within 1e-6 of the threshold.

usage: scripts/spark_check.py CLI MODEL.json PARTS INPUT.csv [INPUT.csv ...]

The input files are split into PARTS files in one directory (Spark reads the directory); the CLI
scores each input file. Rows are matched by their cells (Spark keeps no row order across files;
equal rows have equal scores). Prints the rows and the Spark job's throughput.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

TOLERANCE = 1e-6


def main(cli, model, parts, *inputs):
    here = Path(__file__).resolve().parent
    parts = int(parts)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        onnx = tmp / "model.onnx"
        subprocess.run([cli, "export", "--model", model, "--onnx", str(onnx)], check=True)
        ours, header = [], None
        for k, path in enumerate(inputs):
            scored = tmp / f"cli-{k}.csv"
            subprocess.run(
                [cli, "score", "--model", model, "--input", path, "--output", str(scored)],
                check=True,
                capture_output=True,
            )
            with open(scored, newline="") as f:
                reader = csv.reader(f)
                header = next(reader)
                ours.extend(reader)
        # The same rows, in PARTS files of one directory.
        data = tmp / "events"
        data.mkdir()
        writers = []
        for p in range(parts):
            f = open(data / f"part-{p}.csv", "w", newline="")
            writers.append((f, csv.writer(f, lineterminator="\n")))
            writers[-1][1].writerow(header[:-2])
        for i, row in enumerate(ours):
            writers[i % parts][1].writerow(row[:-2])
        for f, _ in writers:
            f.close()

        out = tmp / "scored"
        started = time.time()
        subprocess.run(
            [sys.executable, str(here / "spark_score.py"), "--model", str(onnx), "--input", str(data), "--output", str(out)],
            check=True,
            # No web UI (no port taken) and no progress bar in a test's output.
            env={
                **os.environ,
                "PYSPARK_SUBMIT_ARGS": "--conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false pyspark-shell",
            },
        )
        seconds = time.time() - started
        theirs = pd.read_parquet(out)

    threshold = json.loads(Path(model).read_text())["threshold"]
    columns = header[:-2]
    if list(theirs.columns) != columns + ["score", "verdict"]:
        return fail(f"Spark's columns {list(theirs.columns)}, expected {columns} + score, verdict")
    if len(theirs) != len(ours):
        return fail(f"{len(theirs)} rows from Spark, {len(ours)} from the CLI")
    cells = theirs[columns].fillna("").astype(str).values.tolist()
    spark_rows = sorted(zip(map(tuple, cells), theirs["score"].tolist(), theirs["verdict"].tolist()))
    cli_rows = sorted((tuple(r[:-2]), float(r[-2]), int(r[-1])) for r in ours)
    worst = 0.0
    for (cells_s, score_s, verdict_s), (cells_c, score_c, verdict_c) in zip(spark_rows, cli_rows):
        if cells_s != cells_c:
            return fail(f"a row differs: Spark {cells_s[:4]}…, CLI {cells_c[:4]}…")
        worst = max(worst, abs(score_s - score_c))
        if not abs(score_s - score_c) <= TOLERANCE:
            return fail(f"score {score_s} (Spark) against {score_c} (CLI) for {cells_c[:4]}…")
        if verdict_s != verdict_c and abs(score_c - threshold) > TOLERANCE:
            return fail(f"verdict {verdict_s} (Spark) against {verdict_c} (CLI), score {score_c}")
    print(
        f"spark_check: OK, {len(ours)} rows in {parts} files: scores within {worst:.1e} of the CLI's, "
        f"verdicts agree; Spark local job {seconds:.1f} s ({len(ours) / seconds:,.0f} events/s with start-up)"
    )
    return 0


def fail(message):
    print(f"spark_check: FAILED: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
