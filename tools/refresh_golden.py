#!/usr/bin/env python
"""Rewrite the golden values of the bundled scenarios (tests/golden/<name>.json) and print what moved.

    python tools/refresh_golden.py --reason "converter slag basicity default 3.5 -> 3.2 (new source X)"
    python tools/refresh_golden.py --reason "..." --scenario psm --scenario psm-eaf
    python tools/refresh_golden.py --check        # only print the diff, write nothing (exit 1 if any)

Refresh only on purpose: a change of a golden value is a change of the model's answer. Put the
reason (the same text as --reason) in the commit message. Run with PYTHONPATH=src.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from tests.golden import golden  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reason", help="why the key results move (required unless --check)")
    parser.add_argument("--scenario", action="append", help="refresh only this scenario (repeatable)")
    parser.add_argument("--check", action="store_true", help="print the diff only, write nothing")
    args = parser.parse_args(argv)
    if not args.check and not (args.reason and args.reason.strip()):
        parser.error("--reason is required: say why the golden values change (it also goes into the commit)")
    names = args.scenario or golden.scenario_names()
    unknown = sorted(set(names) - set(golden.scenario_names()))
    if unknown:
        parser.error(f"unknown scenario(s) {unknown}; bundled: {golden.scenario_names()}")

    moved = 0
    for name in names:
        current = golden.compute(name)
        path = golden.path_of(name)
        stored = golden.load(name) if path.exists() else {}
        diff = golden.differences(stored, current) if stored else ["(new golden file)"]
        if diff:
            moved += 1
            print(f"{name}:")
            for line in diff:
                print(f"  {line}")
        if args.check or not diff:
            continue
        record = {
            "scenario": name,
            "reason": args.reason.strip(),
            "refreshed": _dt.date.today().isoformat(),
            "tolerance": {"rel": golden.REL_TOL, "abs": golden.ABS_TOL},
            **current,
        }
        path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    if not moved:
        print("golden values unchanged")
    elif args.check:
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
