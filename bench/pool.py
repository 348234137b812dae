"""Pools the real rows the shipped model was fitted on (every non-test BETH file: train,
validation and the per-host samples) into one CSV of the columns they all have, for `resample`
to draw the full-size train file from. Usage: pool.py <out.csv> <in.csv[.gz]>..."""
import csv
import gzip
import sys


def text(path):
    return gzip.open(path, "rt", newline="") if path.endswith(".gz") else open(path, newline="")


def header(path):
    with text(path) as f:
        return next(csv.reader(f))


def rows(path):
    with text(path) as f:
        yield from csv.DictReader(f)


def main(out, *inputs):
    headers = [header(p) for p in inputs]
    common = [name for name in headers[0] if all(name in h for h in headers)]
    with open(out, "w", newline="") as f:
        writer = csv.DictWriter(f, common, extrasaction="ignore")
        writer.writeheader()
        for path in inputs:
            writer.writerows(rows(path))


if __name__ == "__main__":
    main(*sys.argv[1:])
