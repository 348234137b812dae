#!/usr/bin/env python3
"""Scores a directory of BETH CSV, Tracee JSON lines (the flat form) or Parquet files on Apache
Spark with a model exported by `cyber-attack-detector export --onnx`, and writes every input
column plus `score` (float) and `verdict` (1 at or above the model's threshold, or a NaN score)
as Parquet, one file per Spark partition (or in directories per value of --partition-by).

    spark-submit scripts/spark_score.py --model model.onnx --input DIR --output OUT \\
        [--format csv|json|parquet] [--partition-by COLUMN]

The scoring is `mapInPandas` with ONNX Runtime: each task loads the model once (its bytes are
broadcast) and scores Arrow batches of rows; the feature transforms and the threshold are in the
ONNX graph, so nothing here knows the model. Runs locally (`--master local[*]`, the default
without spark-submit) or on a cluster (`spark-submit --master yarn` or `spark://host:7077`,
with onnxruntime, numpy, pandas and pyarrow on every executor).
"""
import argparse
import os
import sys

import numpy as np
import onnxruntime as ort
from pyspark.sql import SparkSession
from pyspark.sql.types import ByteType, FloatType, StructField, StructType


def read(spark, path, fmt):
    """Every column as read: CSV cells as text (quoted cells with `""`, as BETH writes them)."""
    if fmt == "csv":
        return spark.read.options(header=True, escape='"', multiLine=False).csv(path)
    if fmt == "json":
        return spark.read.json(path)
    return spark.read.parquet(path)


def scorer(model_bytes):
    """The mapInPandas function: score and verdict appended to every batch."""

    def score(batches):
        session = ort.InferenceSession(model_bytes.value, providers=["CPUExecutionProvider"])
        names = [i.name for i in session.get_inputs()]
        for batch in batches:
            feeds = {n: batch[n].astype("float64").to_numpy(dtype=np.float64) for n in names}
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
    args = parser.parse_args()

    # Local mode: the Python workers run this interpreter (its venv has onnxruntime).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.appName("cyber-attack-detector score").getOrCreate()
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
    spark.stop()


if __name__ == "__main__":
    main()
