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
    for row in rows:
        row["allowed"] = allowed_values(scenario, row["path"])
    return rows


def allowed_values(scenario: ResolvedScenario, path: str) -> str:
    """What the field at ``path`` allows, from the schema's declarations or the model's parameter table."""
    from steelworks.physics import MODELS
    from steelworks.schema.domains import field_domain
    from steelworks.schema.economics import FinanceSettings, OptionEconomics, PriceDeck
    from steelworks.schema.plant import CarrierSpec, PlantSpec, ScenarioSpec
    from steelworks.schema.tree import route

    parts = path.split(".")
    if len(parts) == 5 and parts[0] == "units" and parts[2:4] == ["model", "params"]:
        unit = scenario.plant.units.get(parts[1])
        model = MODELS.get(unit.model.kind) if unit is not None and unit.model is not None else None
        spec = {p.name: p for p in model.PARAMETERS}.get(parts[4]) if model is not None else None
        unit_text = "" if spec is None or spec.unit in ("-", "") else f" {spec.unit}"
        return f"{spec.low:g} to {spec.high:g}{unit_text}" if spec is not None else ""
    branch, inner = route(path)
    roots: dict[str, Any] = {"prices": PriceDeck, "option": OptionEconomics, "finance": FinanceSettings}
    if branch in roots:
        return field_domain(roots[branch], inner)
    if parts[0] == "carriers":
        return field_domain(dict[str, CarrierSpec], ".".join(parts[1:]))
    if parts[0] in ScenarioSpec.model_fields and parts[0] not in PlantSpec.model_fields:
        return field_domain(ScenarioSpec, path)
    return field_domain(PlantSpec, path)


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
