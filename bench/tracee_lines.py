"""Writes a BETH CSV's rows as Tracee's flat JSON lines (`tracee --output json` of BETH's era), for
the Tracee parsing benchmark: every column under its name, in the CSV's order, compact as Tracee
writes them; numbers as JSON numbers but `eventId` as a string (as Tracee writes it); `args` and
`stackAddresses` as the lists Tracee writes (BETH stores them as Python literals), text columns
as strings; `sus` and `evil` kept. Standard library only. Usage: tracee_lines.py <in.csv> <out.jsonl>"""
import ast
import csv
import json
import sys

TEXT = {"processName", "hostName", "eventName", "eventId"}
LISTS = {"args", "stackAddresses"}


def value(name, text):
    if name in TEXT:
        return text
    if name in LISTS:
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
    return json.loads(text)


def main(source, out):
    with open(source, newline="") as f, open(out, "w") as w:
        for row in csv.DictReader(f):
            event = {name: value(name, text) for name, text in row.items()}
            w.write(json.dumps(event, separators=(",", ":")))
            w.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
