#!/usr/bin/env python3
"""Scores a directory of BETH CSV, Tracee JSON lines (either form) or Parquet files on Apache
Spark with a model exported by `cyber-attack-detector export --onnx`, and writes every input
column plus `score` (float) and `verdict` (1 at or above the model's threshold, or a NaN score)
as Parquet, one file per Spark partition (or in directories per value of --partition-by).
Tracee events (`--format json`: the flat form of BETH's era or the current `v1beta1` one, see
scripts/spark_tracee.py) are written as BETH's columns, read as the CLI reads them, then the
event's line itself (`event`), as the CLI's `score` keeps it.

    spark-submit --py-files scripts/spark_tracee.py scripts/spark_score.py \\
        --model model.onnx --input DIR --output OUT [--format csv|json|parquet] [--partition-by COLUMN]

The scoring is `mapInPandas` with ONNX Runtime: each task loads the model once (its bytes are
broadcast) and scores Arrow batches of rows; the feature transforms and the threshold are in the
ONNX graph, so nothing here knows the model. Runs locally (`--master local[*]`, the default
without spark-submit) or on a cluster (`spark-submit --master yarn` or `spark://host:7077`,
with onnxruntime, numpy, pandas and pyarrow on every executor).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import onnxruntime as ort
import pandas as pd
from pyspark.sql import SparkSession
from pyspark.sql.types import ByteType, FloatType, StringType, StructField, StructType

import spark_tracee


def read(spark, path, fmt):
    """Every column as read: CSV cells as text (quoted cells with `""`, as BETH writes them);
    Tracee events as BETH's columns (text) and the line."""
    if fmt == "csv":
        return spark.read.options(header=True, escape='"', multiLine=False).csv(path)
    if fmt == "parquet":
        return spark.read.parquet(path)
    lines = spark.read.text(path).filter("trim(value) != ''")
    first = lines.first()
    if first is None:
        raise SystemExit(f"{path}: no Tracee events")
    # The label columns are those of the first event, as the CLI takes them from a file's first.
    labels = spark_tracee.labels(spark_tracee.parse(first.value))
    names = spark_tracee.COLUMNS + labels + ["event"]
    schema = StructType([StructField(name, StringType()) for name in names])

    def rows(batches):
        for batch in batches:
            cells = [spark_tracee.row(line, labels) for line in batch["value"]]
            table = pd.DataFrame(cells, columns=names[:-1])
            table["event"] = batch["value"].str.strip().to_numpy()
            yield table

    return lines.mapInPandas(rows, schema)


def numbers(column, name):
    """A column as float64; a cell that is no finite number stops the job with its column and text."""
    text = not pd.api.types.is_numeric_dtype(column)
    values = pd.to_numeric(column.astype(str).str.strip(), errors="coerce") if text else column
    values = values.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(values)
    if bad.any():
        found = column[bad].iloc[0]
        shown = "nothing" if found is None or (not text and np.isnan(found)) else repr(str(found)[:200])
        raise ValueError(f"column {name}: expected a number, found {shown}")
    return values


def scorer(model_bytes):
    """The mapInPandas function: score and verdict appended to every batch."""

    def score(batches):
        session = ort.InferenceSession(model_bytes.value, providers=["CPUExecutionProvider"])
        inputs = [(i.name, i.type == "tensor(string)") for i in session.get_inputs()]
        for batch in batches:
            # Text fields (processName, eventName) go in as strings; a missing one as "".
            feeds = {
                n: batch[n].fillna("").astype(str).to_numpy(dtype=object) if text else numbers(batch[n], n)
                for n, text in inputs
            }
            score, verdict = session.run(["score", "verdict"], feeds)
            batch["score"] = score
            batch["verdict"] = verdict.astype(np.int8)
            yield batch

    return score


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="the .onnx file (export --onnx)")
    parser.add_argument("--input", required=True, help="a file or directory of input files")
    parser.add_argument("--output", required=True, help="a directory, replaced")
    parser.add_argument("--format", choices=["csv", "json", "parquet"], default="csv")
    parser.add_argument("--partition-by", help="a column to partition the output by (e.g. hostName)")
    parser.add_argument("--timings", help="write the session's start-up and the job's seconds here (JSON)")
    args = parser.parse_args()

    # Local mode: the Python workers run this interpreter (its venv has onnxruntime).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    started = time.perf_counter()
    spark = SparkSession.builder.appName("cyber-attack-detector score").getOrCreate()
    # The executors import the Tracee reader from here (spark-submit --py-files does the same).
    spark.sparkContext.addPyFile(spark_tracee.__file__)
    ready = time.perf_counter()
    with open(args.model, "rb") as f:
        model = f.read()
    inputs = [i.name for i in ort.InferenceSession(model).get_inputs()]
    events = read(spark, args.input, args.format)
    missing = [n for n in inputs if n not in events.columns]
    if missing:
        raise SystemExit(f"{args.input}: lacks column {', '.join(missing)}")
    schema = StructType(
        events.schema.fields + [StructField("score", FloatType()), StructField("verdict", ByteType())]
    )
    scored = events.mapInPandas(scorer(spark.sparkContext.broadcast(model)), schema)
    writer = scored.write.mode("overwrite")
    if args.partition_by:
        writer = writer.partitionBy(args.partition_by)
    writer.parquet(args.output)
    done = time.perf_counter()
    spark.stop()
    if args.timings:
        with open(args.timings, "w") as f:
            json.dump({"startup_s": ready - started, "job_s": done - ready}, f)


if __name__ == "__main__":
    main()
