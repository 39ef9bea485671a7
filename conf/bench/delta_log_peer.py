#!/usr/bin/env python3
"""The plain-Python peer of the inspection benchmark (conf/bench/inspect.sh): a table's history straight from its
Delta log (the commit files' commitInfo lines), or the lake's tables with their latest commit. No Parquet: Python's
standard library has no reader for it, so show and stats have no Python peer here."""
import json
import os
import sys


def commits(table):
    log = os.path.join(table, "_delta_log")
    for name in sorted(os.listdir(log)):
        if len(name) == 25 and name.endswith(".json"):
            with open(os.path.join(log, name)) as f:
                for line in f:
                    info = json.loads(line).get("commitInfo")
                    if info:
                        yield int(name[:20]), info


def tables(root, prefix="", depth=0):
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        if name.startswith(("_", ".")) or not os.path.isdir(path):
            continue
        if os.path.isdir(os.path.join(path, "_delta_log")):
            yield prefix + name, path
        elif depth < 2:
            yield from tables(path, prefix + name + "/", depth + 1)


if sys.argv[1] == "versions":
    for version, info in sorted(commits(sys.argv[2]), reverse=True):
        meta = json.loads(info.get("userMetadata") or "{}")
        print(version, info["timestamp"], info["operation"], meta.get("stage", ""), meta.get("rows_out", ""))
else:
    for name, path in tables(sys.argv[2]):
        version, info = max(commits(path), key=lambda c: c[0])
        print(name, version, info["timestamp"], json.loads(info.get("userMetadata") or "{}").get("stage", ""))
