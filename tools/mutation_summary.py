#!/usr/bin/env python
"""Summarise a mutmut run: per module, mutants killed / surviving / other and the share surviving.

    python tools/mutation_summary.py WORKDIR     # WORKDIR holds results.txt of `mutmut results --all true`
    python tools/mutation_summary.py WORKDIR WORKDIR/sample.txt   # only the sampled mutants

"Surviving" counts mutants no test killed: mutmut's ``survived`` and ``no tests`` (a mutant in code
no test runs). Timeouts and segfaults count as killed (the test run did not pass), as mutmut does.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

KILLED = {"killed", "timeout", "segfault", "caught by type check"}
SURVIVING = {"survived", "no tests"}


def summarise(lines: list[str], only: set[str] | None = None) -> dict[str, Counter[str]]:
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        if only is not None and line.strip().split(":")[0] not in only:
            continue
        m = re.match(r"\s*([\w.]+?)\.(?:x[_ǁ]|xǁ)\S*__mutmut_\d+: (.+)$", line)
        if not m:
            m = re.match(r"\s*([\w.]+?)\.\S*__mutmut_\d+: (.+)$", line)
        if not m:
            continue
        module, status = m.group(1), m.group(2).strip()
        kind = "killed" if status in KILLED else "surviving" if status in SURVIVING else status
        by_module[module][kind] += 1
    return by_module


def main(argv: list[str]) -> int:
    work = Path(argv[1]) if len(argv) > 1 else Path(".")
    lines = (work / "results.txt").read_text(encoding="utf-8").splitlines()
    only = set(Path(argv[2]).read_text(encoding="utf-8").split()) if len(argv) > 2 else None
    by_module = summarise(lines, only)
    total: Counter[str] = Counter()
    print(f"{'module':45s} {'mutants':>8s} {'killed':>8s} {'surviving':>10s} {'other':>6s} {'% surviving':>12s}")
    for module in sorted(by_module):
        c = by_module[module]
        total.update(c)
        n = sum(c.values())
        other = n - c["killed"] - c["surviving"]
        share = 100.0 * c["surviving"] / max(c["killed"] + c["surviving"], 1)
        print(f"{module:45s} {n:8d} {c['killed']:8d} {c['surviving']:10d} {other:6d} {share:11.1f}%")
    n = sum(total.values())
    share = 100.0 * total["surviving"] / max(total["killed"] + total["surviving"], 1)
    other = n - total["killed"] - total["surviving"]
    print(f"{'all':45s} {n:8d} {total['killed']:8d} {total['surviving']:10d} {other:6d} {share:11.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
