"""Every settable input of a scenario with its value, unit and source (``steelworks params``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from steelworks.schema.loader import ResolvedScenario

_QUANTITY = re.compile(r"^\s*([-+]?\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?)\s+(.+?)\s*$")
_META = {"source", "sources", "name", "description", "notes", "citation", "url", "grade"}


def _split(value: Any) -> tuple[Any, str]:
    if isinstance(value, str):
        m = _QUANTITY.match(value)
        if m:
            return float(m.group(1)), m.group(2)
    if isinstance(value, bool | int | float):
        return value, "-" if not isinstance(value, bool) else ""
    return value, ""


def parameter_rows(scenario: ResolvedScenario) -> list[dict[str, Any]]:
    """Rows of (path, value, unit, source, file) for every leaf of the parameter tree."""
    rows: list[dict[str, Any]] = []

    def walk(node: Mapping[str, Any], path: list[str], record: Mapping[str, Any] | None, rel: list[str]) -> None:
        if "source" in node or "sources" in node:
            record, rel = node, []
        for key, value in node.items():
            if key in _META:
                continue
            here = [*path, str(key)]
            if isinstance(value, Mapping) and value:
                walk(value, here, record, [*rel, str(key)])
                continue
            number, unit = _split(value)
            source = ""
            if record is not None:
                sources = record.get("sources") or {}
                rel_path = [*rel, str(key)]
                for candidate in (".".join(rel_path), str(key), rel_path[0]):
                    if candidate in sources:
                        source = str(sources[candidate])
                        break
                else:
                    source = str(record.get("source", ""))
            if here[0] in ("demand", "target"):
                source = scenario.source
            file, where = scenario.where(".".join(here))
            rows.append(
                {
                    "path": ".".join(here),
                    "value": number if not isinstance(number, list) else value,
                    "unit": unit,
                    "source": source.strip(),
                    "file": file,
                    "where": where,
                    "overridden": ".".join(here) in scenario.overridden,
                }
            )

    walk(scenario.tree, [], None, [])
    return rows
