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


def leaf_rows(tree: Mapping[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    """Every leaf of a data tree as a row with its value, unit and source.

    The source of a leaf is the ``sources`` entry of the nearest record (a mapping with ``source``
    or ``sources``) that names it (by its path relative to the record, its key, or the record's first
    key on the way), else the record's ``source``.
    """
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
                    if isinstance(sources, Mapping) and candidate in sources:
                        source = str(sources[candidate])
                        break
                else:
                    source = str(record.get("source", ""))
            rows.append(
                {
                    "path": ".".join(here),
                    "value": number if not isinstance(number, list) else value,
                    "unit": unit,
                    "source": source.strip(),
                }
            )

    walk(tree, [prefix] if prefix else [], None, [])
    return rows


def parameter_rows(scenario: ResolvedScenario) -> list[dict[str, Any]]:
    """Rows of (path, value, unit, source, file, where) for every settable input of a scenario.

    Plant, carriers, demand and target (``--set`` paths of ``balance``), the physics models'
    defaults, and, for a scenario with an ``economics:`` block, the price deck (``prices.*``), the
    option (``option.*``) and the finance settings (``finance.*``) that ``evaluate`` uses.
    """
    rows = leaf_rows(scenario.tree)
    for row in rows:
        if row["path"].split(".")[0] in ("demand", "target"):
            row["source"] = scenario.source
        row["file"], row["where"] = scenario.where(row["path"])
        row["overridden"] = row["path"] in scenario.overridden
    rows.extend(_model_defaults(scenario, {r["path"] for r in rows}))
    rows.extend(_economics_rows(scenario))
    return rows


def _economics_rows(scenario: ResolvedScenario) -> list[dict[str, Any]]:
    from steelworks.schema.economics import economics_files

    if not scenario.economics:
        return []
    out: list[dict[str, Any]] = []
    for prefix, path, tree, root in economics_files(scenario.economics):
        for row in leaf_rows(tree):
            # the deck's own top-level keys are addressed as prices.fx..., its price table as prices.<carrier>
            dotted = (
                row["path"] if prefix == "prices" and row["path"].startswith("prices.") else f"{prefix}.{row['path']}"
            )
            row.update({"path": dotted, "file": str(path), "where": f"{root}.{row['path']}", "overridden": False})
            out.append(row)
    return out


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
            out.append(
                {
                    "path": path,
                    "value": spec.default,
                    "unit": spec.unit,
                    "source": spec.source,
                    "file": f"steelworks.physics ({unit.model.kind} model default)",
                    "where": spec.description,
                    "overridden": False,
                }
            )
    return out
