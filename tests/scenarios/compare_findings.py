#!/usr/bin/env python3
"""compare_findings.py EXPECTED.jsonl ACTUAL.jsonl [--kinds k1,k2]

Matches findings by (kind, person, system), optionally only those of the given kinds, and
compares their severities. Prints each difference and a last line
'N/M expected, K unexpected, S severity mismatches'; exits 0 when the two agree, 1 when they
do not, 2 on bad usage or a damaged line in either file.
"""
import json
import sys


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)


def load(path, kinds):
    out = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                o = json.loads(line)
            except ValueError as e:
                fail("%s:%d: not a JSON object: %s" % (path, number, e))
            if not isinstance(o, dict) or "kind" not in o:
                fail("%s:%d: not a finding (no 'kind')" % (path, number))
            if kinds is None or o["kind"] in kinds:
                out[(o["kind"], o.get("person"), o.get("system"))] = o.get("severity")
    return out


def main(args):
    kinds = None
    if "--kinds" in args:
        i = args.index("--kinds")
        if i + 1 >= len(args):
            print(__doc__, file=sys.stderr)
            return 2
        kinds = set(args[i + 1].split(","))
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    expected, actual = load(args[0], kinds), load(args[1], kinds)
    show = lambda key: " ".join("-" if part is None else part for part in key)
    missing = sorted((k for k in expected if k not in actual), key=show)
    extra = sorted((k for k in actual if k not in expected), key=show)
    severity = sorted((k for k in expected if k in actual and expected[k] != actual[k]), key=show)
    for key in missing:
        print("missing    ", show(key))
    for key in extra:
        print("unexpected ", show(key))
    for key in severity:
        print("severity   ", show(key), "expected", expected[key], "got", actual[key])
    print("%d/%d expected, %d unexpected, %d severity mismatches"
          % (len(expected) - len(missing), len(expected), len(extra), len(severity)))
    return 0 if not (missing or extra or severity) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
