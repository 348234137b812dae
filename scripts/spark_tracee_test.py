#!/usr/bin/env python3
"""Known answers of scripts/spark_tracee.py on Tracee lines that reach each rule of the current
form (read by hand, and what the CLI's `resample` writes for them as BETH columns), without Spark.
Run by `make spark-check`: `tools/.venv/bin/python scripts/spark_tracee_test.py`."""
import unittest

import spark_tracee

# (line, the BETH columns: timestamp, processId, threadId, parentProcessId, userId,
#  mountNamespace, processName, hostName, eventId, eventName, argsNum, returnValue)
CASES = [
    # Numbers wrapped, no ancestors and no user (protobuf's zeros), returnValue among 4 entries.
    (
        '{"timestamp":{"seconds":"1700000000","nanos":5},"id":"close","name":"close","workload":{"process":'
        '{"thread":{"name":"sh","tid":{"value":900}},"pid":{"value":900},"ancestors":[]}},"data":[{"name":"fd",'
        '"int32":3},{"name":"a","str":"x"},{"name":"returnValue","int64":-2},{"name":"b","str":"y"}]}',
        ["1700000000000000005", "900", "900", "0", "0", "", "sh", "", "close", "close", "3", "-2"],
    ),
    # Plain numbers, no nanos, no thread; the first ancestor is the parent; returnValue as `value`.
    (
        '{"timestamp":{"seconds":"1700000001"},"id":"openat","name":"openat","workload":{"process":{"pid":1500,'
        '"real_user":{"id":1000},"ancestors":[{"pid":{"value":1400}},{"pid":1}]}},"data":[{"name":"returnValue",'
        '"value":5}]}',
        ["1700000001000000000", "1500", "0", "1400", "1000", "", "", "", "openat", "openat", "0", "5"],
    ),
    # Two entries named returnValue: the last, with no value, counts (an argument, and 0).
    (
        '{"id":"read","name":"read","workload":{"process":{"pid":{"value":2},"real_user":{"id":{"value":0}},'
        '"ancestors":[{"pid":1}]}},"data":[{"name":"returnValue","int64":3},{"name":"returnValue"},{"name":"x",'
        '"str":"z"}]}',
        ["", "2", "0", "1", "0", "", "", "", "read", "read", "3", "0"],
    ),
    # The flat form: numbers in strings or not, each cell its text.
    (
        '{"timestamp":12.5,"processId":"7","threadId":7,"parentProcessId":"1","userId":"0","mountNamespace":'
        '4026531840,"processName":"cron","hostName":"h","eventId":"257","eventName":"openat","argsNum":"4",'
        '"returnValue":"-13","sus":1}',
        ["12.5", "7", "7", "1", "0", "4026531840", "cron", "h", "257", "openat", "4", "-13", "1"],
    ),
]


class TraceeColumns(unittest.TestCase):
    def test_known_answers(self):
        for line, expected in CASES:
            labels = spark_tracee.labels(spark_tracee.parse(line))
            row = spark_tracee.row(line, labels)
            self.assertEqual([row[name] for name in spark_tracee.COLUMNS + labels], expected, line[:60])

    def test_a_line_that_is_not_json_is_named(self):
        with self.assertRaisesRegex(ValueError, r'not JSON .*: \{"a":'):
            spark_tracee.row('{"a":', [])


if __name__ == "__main__":
    unittest.main()
