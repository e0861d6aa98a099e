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
    rows.extend(_model_defaults(scenario, {r["path"] for r in rows}))
    return rows


def _model_defaults(scenario: ResolvedScenario, given: set[str]) -> list[dict[str, Any]]:
    """Parameters of the units' physics models left at their defaults, with the model table's sources."""
    from steelworks.physics import MODELS

    out: list[dict[str, Any]] = []
    for uid, unit in scenario.plant.units.items():
        if unit.model is None or unit.model.kind not in MODELS:
            continue
        for spec in MODELS[unit.model.kind].PARAMETERS:
            path = f"units.{uid}.model.params.{spec.name}"
            if path in given:
                continue
            out.append({"path": path, "value": spec.default, "unit": spec.unit, "source": spec.source,
                        "file": f"steelworks.physics ({unit.model.kind} model default)", "where": spec.description,
                        "overridden": False})
    return out
