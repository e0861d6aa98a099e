"""The README's Python example and the API's doctest run as written."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import steelworks.api

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_blocks_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks
    namespace: dict[str, object] = {}
    for block in blocks:
        # our own documentation, run as a user would paste it (user data is never executed anywhere)
        exec(compile(block, "README.md", "exec"), namespace)
    assert round(namespace["result"].kpis["co2_t_per_t_crude_steel"], 2) == 2.01  # type: ignore[attr-defined]


def test_api_doctest() -> None:
    failures, tried = doctest.testmod(steelworks.api)
    assert tried > 0 and failures == 0
