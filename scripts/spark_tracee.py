"""Tracee JSON lines as BETH's columns, for scripts/spark_score.py: the same rows the CLI's reader
(src/ingest/tracee.rs) writes back out, in both of Tracee's forms.

- the flat form of BETH's era (`trace.Event`): `processId`, `threadId`, `parentProcessId`,
  `userId`, `mountNamespace`, `hostName`, `eventId`, `argsNum`, `returnValue`… at the top;
- the current `v1beta1.Event` form, told by its `workload` object: the process id at
  `workload.process.pid`, the thread's at `workload.process.thread.tid` (its name is the
  `processName`), the parent's at `workload.process.ancestors[0].pid`, the user at
  `workload.process.real_user.id`, `eventId` from `id`, `eventName` from `name`, `argsNum` the
  entries of `data` but the one named `returnValue`, which is the `returnValue`; a number may be
  wrapped as `{"value": n}`, and a missing one inside `workload.process` (protobuf omits zeros) or
  a missing return value is 0. The timestamp `{"seconds", "nanos"}` becomes nanoseconds. This form
  has no mount namespace (left empty).

Every cell is text, as the CLI writes it: a string's content, a number's JSON text.
"""
import json

import numpy as np

COLUMNS = [
    "timestamp",
    "processId",
    "threadId",
    "parentProcessId",
    "userId",
    "mountNamespace",
    "processName",
    "hostName",
    "eventId",
    "eventName",
    "argsNum",
    "returnValue",
]
LABELS = ["sus", "evil"]


def parse(line):
    """One event; numbers kept as their JSON text (parse_int/parse_float), as the CLI reads them."""
    return json.loads(line, parse_int=str, parse_float=str)


def labels(event):
    """The label columns the first event has: every row then carries them (as in the CLI)."""
    return [name for name in LABELS if name in event]


def text(value):
    """A value's text: a string's content, a number's JSON text, a wrapped value's, else JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value.get("value") is not None:
        return text(value["value"])
    return json.dumps(value, separators=(",", ":"))


def number(value):
    """A number, a string holding one, or one wrapped as `{"value": …}` (no value: 0); or None."""
    if isinstance(value, dict):
        inner = value.get("value")
        return 0.0 if inner is None else None if isinstance(inner, dict) else number(inner)
    if isinstance(value, str):
        try:
            n = float(value.strip())
        except ValueError:
            return None
        return n if np.isfinite(n) else None
    return None


def written(value):
    """A v1beta1 field as the CLI writes it: its number in shortest form (no exponent), else its text."""
    if value is None:
        return ""
    n = number(value)
    return text(value) if n is None else np.format_float_positional(n, trim="-")


def nanoseconds(stamp):
    """A v1beta1 timestamp `{"seconds": "…", "nanos": n}` as nanoseconds since the epoch."""
    if not isinstance(stamp, dict):
        return "" if stamp is None else text(stamp)

    def whole(value):
        if value is None:
            return 0
        digits = value if isinstance(value, str) else None
        return int(digits) if digits is not None and digits.isdigit() else None

    seconds, nanos = whole(stamp.get("seconds")), whole(stamp.get("nanos"))
    return "" if seconds is None or nanos is None else str(seconds * 1_000_000_000 + nanos)


def current(event, process):
    """BETH's columns of a v1beta1 event (`process` is its `workload.process`, maybe None)."""
    data = event.get("data") or []
    returned = [entry for entry in data if isinstance(entry, dict) and entry.get("name") == "returnValue"]
    # The last entry named so counts, its `int64` or else its `value` (as the CLI's reader).
    last = returned[-1] if returned else {}
    return_value = last.get("int64") if last.get("int64") is not None else last.get("value")

    def inside(*path):
        if process is None:
            return ""
        value = process
        for key in path:
            value = value[0] if key == 0 and isinstance(value, list) and value else value.get(key) if isinstance(value, dict) else None
            if value is None:
                return "0"
        return written(value)

    thread = (process or {}).get("thread") or {}
    return {
        "timestamp": nanoseconds(event.get("timestamp")),
        "processId": inside("pid"),
        "threadId": inside("thread", "tid"),
        "parentProcessId": inside("ancestors", 0, "pid"),
        "userId": inside("real_user", "id"),
        "mountNamespace": "",
        "processName": "" if thread.get("name") is None else text(thread["name"]),
        "hostName": "" if event.get("hostName") is None else text(event["hostName"]),
        "eventId": written(event.get("id")),
        "eventName": "" if event.get("name") is None else text(event["name"]),
        "argsNum": str(len(data) - (0 if return_value is None else 1)),
        "returnValue": "0" if return_value is None else written(return_value),
    }


def row(line, label_columns):
    """One line's cells: BETH's columns then the labels, each text or None when absent."""
    try:
        event = parse(line)
    except ValueError as e:
        raise ValueError(f"a Tracee line that is not JSON ({e}): {line[:200]}") from None
    if not isinstance(event, dict):
        raise ValueError(f"a Tracee event is a JSON object, found: {line[:200]}")
    workload = event.get("workload")
    if workload is None:
        cells = {name: None if event.get(name) is None else text(event[name]) for name in COLUMNS}
    else:
        cells = current(event, workload.get("process") if isinstance(workload, dict) else None)
    for name in label_columns:
        cells[name] = None if event.get(name) is None else text(event[name])
    return cells
