#!/usr/bin/env python3
"""Runs scripts/spark_score.py on Spark in local mode and requires its output to equal the
CLI's `score` on the same rows: every input cell the same, every score within 1e-6, the same
verdicts except for scores within 1e-6 of the threshold.

usage: scripts/spark_check.py [--parquet] [--figures OUT.json] CLI MODEL.json PARTS INPUT...

The inputs are BETH CSV files (all with the same columns) or Tracee JSON lines (`.jsonl`, either
form); their rows are split into PARTS files of one directory, which Spark reads. `--parquet`
writes those parts as Parquet with typed columns (integers and floats as such), as a data lake
holds them. The CLI scores each input file. Rows are matched by their cells (Spark keeps no row
order across files; equal rows have equal scores); a Tracee event by its line, and its BETH
columns must be the CLI's reading of it. `--figures` writes the rows, the CLI's seconds and the
Spark job's (session start-up apart) as JSON, for `make bench`.
"""
import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

TOLERANCE = 1e-6
HERE = Path(__file__).resolve().parent
# What the CLI appends to a Tracee event's line when it scores it.
SCORED_LINE = re.compile(r'^(.*),"score":([^,]*),"verdict":(\d)\}$')


def main():
    parser = argparse.ArgumentParser(usage=__doc__.split("\n\n")[1])
    parser.add_argument("--parquet", action="store_true")
    parser.add_argument("--figures")
    parser.add_argument("cli")
    parser.add_argument("model")
    parser.add_argument("parts", type=int)
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()
    tracee = all(p.endswith((".jsonl", ".jsonl.gz")) for p in args.inputs)
    if tracee and args.parquet:
        return fail("--parquet takes CSV inputs")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        onnx = tmp / "model.onnx"
        subprocess.run([args.cli, "export", "--model", args.model, "--onnx", str(onnx)], check=True)
        scored = [tmp / f"cli-{k}.out" for k in range(len(args.inputs))]
        started = time.perf_counter()
        for path, out in zip(args.inputs, scored):
            command = [args.cli, "score", "--model", args.model, "--input", path, "--output", str(out)]
            subprocess.run(command, check=True, capture_output=True)
        cli_seconds = time.perf_counter() - started
        data = tmp / "events"
        data.mkdir()
        if tracee:
            ours = cli_events(scored)
            split([e for e, _, _ in ours], data, args.parts, "jsonl", lambda f, lines: f.writelines(f"{l}\n" for l in lines))
            fmt = "json"
        else:
            header, ours = cli_rows(scored)
            fmt = "parquet" if args.parquet else "csv"
            split(ours, data, args.parts, "csv", lambda f, rows: write_csv(f, header[:-2], rows))
            if args.parquet:
                for part in list(data.iterdir()):
                    # Typed columns (int64, double, string) as pyarrow infers them from the text.
                    pq.write_table(pacsv.read_csv(part), part.with_suffix(".parquet"))
                    part.unlink()

        out, timings = tmp / "scored", tmp / "timings.json"
        command = [sys.executable, str(HERE / "spark_score.py"), "--model", str(onnx), "--input", str(data)]
        command += ["--output", str(out), "--format", fmt, "--timings", str(timings)]
        started = time.perf_counter()
        # No web UI (no port taken) and no progress bar in a test's output.
        submit = "--conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false pyspark-shell"
        subprocess.run(command, check=True, env={**os.environ, "PYSPARK_SUBMIT_ARGS": submit})
        seconds = time.perf_counter() - started
        spark = json.loads(timings.read_text())
        theirs = pd.read_parquet(out)

    threshold = json.loads(Path(args.model).read_text())["threshold"]
    if tracee:
        error = compare_events(theirs, ours, threshold)
    else:
        error = compare_rows(theirs, header[:-2], ours, threshold)
    if isinstance(error, str):
        return fail(error)
    worst, rows = error, len(ours)
    print(
        f"spark_check: OK, {rows:,} rows ({fmt}) in {args.parts} files: scores within {worst:.1e} of the CLI's, "
        f"verdicts agree. CLI `score` {cli_seconds:.2f} s ({rows / cli_seconds:,.0f} events/s); Spark local job "
        f"{spark['job_s']:.1f} s ({rows / spark['job_s']:,.0f} events/s) after {spark['startup_s']:.1f} s of "
        f"session start-up ({seconds:.1f} s in all)"
    )
    if args.figures:
        figures = {
            "rows": rows,
            "format": fmt,
            "parts": args.parts,
            "cli_score_s": cli_seconds,
            "spark_job_s": spark["job_s"],
            "spark_startup_s": spark["startup_s"],
            "spark_total_s": seconds,
        }
        Path(args.figures).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


def split(items, directory, parts, suffix, write):
    """`items` dealt round-robin into `parts` files of `directory`."""
    for p in range(parts):
        with open(directory / f"part-{p}.{suffix}", "w", newline="") as f:
            write(f, items[p::parts])


def write_csv(f, header, rows):
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(row[:-2] for row in rows)


def cli_rows(scored):
    """The CLI's scored CSV files: their header (every input file's must be the same) and rows."""
    header, rows = None, []
    for path in scored:
        with open(path, newline="") as f:
            reader = csv.reader(f)
            this = next(reader)
            if header is not None and this != header:
                raise SystemExit(f"spark_check: the inputs' columns differ: {header} and {this}")
            header = this
            rows.extend(reader)
    return header, rows


def cli_events(scored):
    """The CLI's scored Tracee lines: (the event's line, score, verdict) each."""
    events = []
    for path in scored:
        for line in Path(path).read_text().splitlines():
            match = SCORED_LINE.match(line)
            if not match:
                raise SystemExit(f"spark_check: a scored line without its score: {line[:200]}")
            score = float("nan") if match[2] == "null" else float(match[2])
            events.append((match[1] + "}", score, int(match[3])))
    return events


def cell(value):
    """A cell compared by value: numbers as floats (a typed Parquet column or the CSV's text), else text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return (1, "")
    try:
        return (0, float(value))
    except (TypeError, ValueError):
        return (1, str(value))


def agree(spark_rows, cli_rows, threshold):
    """Sorted (key, score, verdict) lists compared: the worst score difference, or what differs."""
    if len(spark_rows) != len(cli_rows):
        return f"{len(spark_rows)} rows from Spark, {len(cli_rows)} from the CLI"
    worst = 0.0
    for (key_s, score_s, verdict_s), (key_c, score_c, verdict_c) in zip(sorted(spark_rows), sorted(cli_rows)):
        if key_s != key_c:
            return f"a row differs: Spark {str(key_s)[:200]}…, CLI {str(key_c)[:200]}…"
        worst = max(worst, abs(score_s - score_c))
        if not abs(score_s - score_c) <= TOLERANCE:
            return f"score {score_s} (Spark) against {score_c} (CLI) for {str(key_c)[:200]}…"
        if verdict_s != verdict_c and abs(score_c - threshold) > TOLERANCE:
            return f"verdict {verdict_s} (Spark) against {verdict_c} (CLI), score {score_c}"
    return worst


def compare_rows(theirs, columns, ours, threshold):
    if list(theirs.columns) != columns + ["score", "verdict"]:
        return f"Spark's columns {list(theirs.columns)}, expected {columns} + score, verdict"
    cells = theirs[columns].astype(object).values.tolist()
    spark_rows = [(tuple(map(cell, c)), s, v) for c, s, v in zip(cells, theirs["score"].tolist(), theirs["verdict"].tolist())]
    cli_rows = [(tuple(map(cell, r[:-2])), float(r[-2]), int(r[-1])) for r in ours]
    return agree(spark_rows, cli_rows, threshold)


def compare_events(theirs, ours, threshold):
    spark_rows = list(zip(theirs["event"].tolist(), theirs["score"].tolist(), theirs["verdict"].tolist()))
    worst = agree(spark_rows, ours, threshold)
    if isinstance(worst, str):
        return worst
    # BETH's columns as the CLI reads them, for the fixtures' events (tests/fixtures/tracee).
    checked = 0
    for event, expected in FIXTURE_COLUMNS.items():
        for _, row in theirs[theirs["event"].str.startswith(event)].iterrows():
            read = {name: row[name] for name in expected}
            if read != expected:
                return f"the event {event}… read as {read}, expected {expected}"
            checked += 1
    if checked:
        print(f"spark_check: the BETH columns of {checked} hand-read fixture events as expected")
    return worst


# The BETH columns of two fixture events, read by hand from the lines: the current form's (every
# number wrapped or nested, `data` with no returnValue) and the flat form's signature event.
FIXTURE_COLUMNS = {
    '{"timestamp":{"seconds":"1732454400","nanos":123456789},"id":"sched_process_exec"': {
        "timestamp": "1732454400123456789",
        "processId": "12345",
        "threadId": "12345",
        "parentProcessId": "1234",
        "userId": "1000",
        "mountNamespace": "",
        "processName": "bash",
        "hostName": "",
        "eventId": "sched_process_exec",
        "eventName": "sched_process_exec",
        "argsNum": "2",
        "returnValue": "0",
    },
    '{"timestamp":1677676197900822209,"threadStartTime":1677676197713685267': {
        "timestamp": "1677676197900822209",
        "processId": "441",
        "threadId": "441",
        "parentProcessId": "431",
        "userId": "0",
        "mountNamespace": "4026532733",
        "processName": "dpkg",
        "hostName": "app-75ff449bcd-",
        "eventId": "6029",
        "eventName": "New executable dropped",
        "argsNum": "1",
        "returnValue": "32768",
    },
}


def fail(message):
    print(f"spark_check: FAILED: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
