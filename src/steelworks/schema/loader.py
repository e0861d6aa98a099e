"""Load a scenario: scenario file -> plant file -> carriers file, apply overrides, validate.

The three files are merged into one tree, the *parameter tree*, whose dotted paths are what
``steelworks params`` lists and what ``--set`` and the scenario's ``overrides`` address::

    name, description, market.*, grid.*, supply.*, credits.*, units.<id>.*   (plant file)
    carriers.<id>.*                                                        (carriers file)
    demand.<carrier>, target.*                                             (scenario file)

This is the *works* branch of the one parameter tree (:mod:`steelworks.schema.tree`, which also
holds the prices, option and finance branches); overrides are written by its one function
:func:`~steelworks.schema.tree.set_path` and schema errors translated by its one translator.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from steelworks.errors import InputError
from steelworks.schema.extends import load_layered
from steelworks.schema.plant import (
    CarrierSpec,
    CreditSpec,
    FuelSpec,
    GridSpec,
    HandlesSpec,
    MarketSpec,
    ModelSpec,
    PlantSpec,
    ScenarioSpec,
    SupplySpec,
    TargetSpec,
    UnitSpec,
)
from steelworks.schema.tree import WORKS, override_items, record_fields, route, set_path, validation_error
from steelworks.schema.yamlio import LineMap, load_yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SCENARIO_DIR = DATA_DIR / "scenarios"

#: mappings under which an override may create a new key (everything else must exist already)
_OPEN_MAPPINGS = ("demand", "inputs", "outputs", "params", "shares", "overrides")

#: which schema model describes the record at a path (for overriding fields left at their default)
_RECORD_MODELS: list[tuple[tuple[str, ...], type[BaseModel]]] = [
    ((), PlantSpec),
    (("units", "*"), UnitSpec),
    (("units", "*", "fuel"), FuelSpec),
    (("units", "*", "handles"), HandlesSpec),
    (("units", "*", "model"), ModelSpec),
    (("carriers", "*"), CarrierSpec),
    (("grid",), GridSpec),
    (("market",), MarketSpec),
    (("supply", "*"), SupplySpec),
    (("credits", "*"), CreditSpec),
    (("target",), TargetSpec),
]


@dataclass
class Origin:
    """Where a part of the parameter tree came from, for messages."""

    file: str
    lines: LineMap
    prefix: tuple[str, ...]  # path of this file's root inside the parameter tree


@dataclass
class ResolvedScenario:
    """A validated scenario with its plant and carriers, ready for :mod:`steelworks.plant.build`."""

    name: str
    description: str
    scenario_file: Path
    plant_file: Path
    carriers_file: Path
    plant: PlantSpec
    carriers: dict[str, CarrierSpec]
    demand: dict[str, Any]
    target: TargetSpec | None
    economics: dict[str, Any] | None
    tree: dict[str, Any]
    planning: dict[str, Any] | None = None
    source: str = ""
    restored: list[str] = field(default_factory=list)  # units brought back from repairable/frozen/derelict
    built: list[str] = field(default_factory=list)  # units that were not built
    conditions: dict[str, str] = field(default_factory=dict)  # each unit's condition before restore/build
    origins: list[Origin] = field(default_factory=list)
    overridden: dict[str, Any] = field(default_factory=dict)

    def where(self, path: str) -> tuple[str | None, str]:
        """The file and ``line N: path`` text for a dotted parameter path."""
        return locate(self.origins, self.overridden, tuple(path.split(".")))


def locate(origins: list[Origin], overridden: Mapping[str, Any], path: tuple[str, ...]) -> tuple[str | None, str]:
    dotted = ".".join(path)
    for key in overridden:
        if dotted == key or dotted.startswith(key + "."):
            return "override", dotted
    # the most specific file holding the path: the longest prefix, then the file (an extending file before
    # the files it extends) whose lines know the longest part of the path
    matching = [o for o in origins if path[: len(o.prefix)] == o.prefix]
    if not matching:
        return None, dotted
    longest = max(len(o.prefix) for o in matching)
    best, best_depth = None, -2
    for origin in (o for o in matching if len(o.prefix) == longest):
        rel = path[longest:]
        depth = next((cut for cut in range(len(rel), -1, -1) if rel[:cut] in origin.lines), -1)
        if depth > best_depth:
            best, best_depth = origin, depth
    assert best is not None
    line = best.lines.get(path[longest:][:best_depth]) if best_depth >= 0 else None
    return best.file, (f"line {line}: {dotted}" if line else dotted)


def list_scenarios() -> list[tuple[str, str]]:
    """Bundled scenarios as (name, description)."""
    out = []
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        data, _ = load_yaml(path)
        body = data.get("scenario", {}) if isinstance(data, dict) else {}
        out.append((path.stem, str(body.get("description", "")).strip()))
    return out


def find_scenario(name_or_path: str | Path) -> Path:
    """A bundled scenario by name, or a scenario file by path."""
    candidate = Path(name_or_path)
    try:
        exists = candidate.exists()
    except (OSError, ValueError) as exc:  # a name too long for the file system, a NUL byte
        raise InputError(f"cannot use this as a scenario ({exc})", file=str(candidate)[:200]) from None
    if candidate.suffix in (".yaml", ".yml") or exists:
        if not candidate.exists():
            raise InputError("scenario file not found", file=str(candidate))
        return candidate
    bundled = SCENARIO_DIR / f"{name_or_path}.yaml"
    if bundled.exists():
        return bundled
    names = ", ".join(name for name, _ in list_scenarios())
    raise InputError(
        f"no scenario named {str(name_or_path)!r}", allowed=f"a bundled scenario ({names}) or a .yaml file"
    )


def _section(data: Any, key: str, file: Path) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get(key), dict):
        raise InputError(
            f"the file must hold a mapping under the top-level key '{key}:'",
            file=str(file),
            location="line 1",
        )
    return dict(data[key])


def _validation_error(
    exc: ValidationError, origins: list[Origin], overridden: Mapping[str, Any], prefix: tuple[str, ...]
) -> InputError:
    return validation_error(exc, prefix=prefix, locate=lambda path: locate(origins, overridden, path))


def _model_at(parts: list[str]) -> type[BaseModel] | None:
    """The pydantic model describing the record at a path of the parameter tree (wildcards for ids)."""
    for pattern, model in _RECORD_MODELS:
        if len(pattern) == len(parts) and all(p == "*" or p == q for p, q in zip(pattern, parts, strict=True)):
            return model
    return None


def _may_add(parents: list[str], key: str) -> bool:
    """A new key is allowed in an open mapping, or where the schema has a field left at its default."""
    if parents and parents[-1] in _OPEN_MAPPINGS:
        return True
    return key in record_fields(_model_at(parents))


def apply_override(tree: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``tree[dotted path] = value`` in the works branch of the parameter tree (see :func:`set_path`).

    The path must exist, or name a field the schema allows there (e.g. a unit's ``availability``
    left at its default), or a new key of an open mapping (demand, recipe inputs/outputs, model params).
    """
    branch, _ = route(dotted)
    if branch != WORKS:
        raise InputError(
            f"'{dotted}' addresses the {branch} of the business case, which a balance does not use",
            location=dotted,
            allowed="set it on 'steelworks evaluate' (or in the scenario's economics.overrides)",
        )
    set_path(tree, dotted, value, may_add=_may_add, allowed_at=lambda parents: record_fields(_model_at(parents)))


def load_scenario(name_or_path: str | Path, overrides: Iterable[str] | Mapping[str, Any] = ()) -> ResolvedScenario:
    """Read, merge, override and validate a scenario. ``overrides``: ``"a.b=value"`` strings or a mapping."""
    scenario_file = find_scenario(name_or_path).resolve()
    raw, scenario_layers = load_layered(scenario_file, shared=True)
    body = _section(raw, "scenario", scenario_file)
    plant_ref = body.get("plant")
    if not isinstance(plant_ref, str):
        line = scenario_layers[0][1].get(("scenario", "plant"), scenario_layers[0][1].get(("scenario",)))
        raise InputError(
            "the scenario must name its plant file ('plant: path/to/plant.yaml')",
            file=str(scenario_file),
            location=f"line {line}: plant" if line else "plant",
        )
    plant_file = Path(plant_ref)  # anchored to the file that names it by load_layered
    plant_raw, plant_layers = load_layered(plant_file, shared=True)
    plant_body = _section(plant_raw, "plant", plant_file)
    carriers_ref = str(plant_body.get("carriers_file", "carriers.yaml"))
    carriers_file = Path(carriers_ref)
    if not carriers_file.is_absolute():  # the default name, left unset: the bundled carriers
        carriers_file = (DATA_DIR / carriers_ref).resolve()
    carriers_raw, carriers_layers = load_layered(carriers_file, shared=True)
    carriers_body = _section(carriers_raw, "carriers", carriers_file)
    resolved = resolve_scenario(
        body,
        plant_body,
        carriers_body,
        overrides,
        files=(scenario_file, plant_file, carriers_file),
        lines=(
            _sub(scenario_layers[0][1], ("scenario",)),
            _sub(plant_layers[0][1], ("plant",)),
            _sub(carriers_layers[0][1], ("carriers",)),
        ),
        shared=True,
    )
    resolved.origins.extend(_base_origins(scenario_layers, plant_layers, carriers_layers))
    return resolved


def _base_origins(
    scenario_layers: list[tuple[Path, LineMap]],
    plant_layers: list[tuple[Path, LineMap]],
    carriers_layers: list[tuple[Path, LineMap]],
) -> list[Origin]:
    """Origins of the files the three files extend (searched after the files themselves)."""
    out = []
    for layers, root, prefix in (
        (plant_layers, "plant", ()),
        (carriers_layers, "carriers", ("carriers",)),
        (scenario_layers, "scenario", ()),
    ):
        for file, lines in layers[1:]:
            out.append(Origin(str(file), _sub(lines, (root,)), prefix))
    return out


def resolve_scenario(
    scenario: Mapping[str, Any],
    plant: Mapping[str, Any],
    carriers: Mapping[str, Any],
    overrides: Iterable[str] | Mapping[str, Any] = (),
    *,
    files: tuple[Path, Path, Path] = (Path("<scenario>"), Path("<plant>"), Path("<carriers>")),
    lines: tuple[LineMap, LineMap, LineMap] = ({}, {}, {}),
    shared: bool = False,
) -> ResolvedScenario:
    """Merge and validate a scenario given as data (the bodies under ``scenario:``, ``plant:``, ``carriers:``).

    This is what :func:`load_scenario` does after reading the files; it lets Python users and tests
    build a works without writing files. ``shared``: the bodies and line maps are the parse cache's data,
    which nothing changes, so a record validated once (a carrier; a unit, per condition) need not be
    validated again.
    """
    scenario_file, plant_file, carriers_file = files
    scenario_lines, plant_lines, carriers_lines = lines
    try:
        spec = ScenarioSpec.model_validate(dict(scenario))
    except ValidationError as exc:
        raise _validation_error(exc, [Origin(str(scenario_file), scenario_lines, ())], {}, ()) from None

    # Copy on write: the tree shares the callers' data (e.g. load_yaml's cached files) and copies only the
    # nodes it changes: each unit's mapping (restore/build set its condition) and every node on the path
    # of an override, just before the override is applied (see _own_path). No deep copy.
    tree: dict[str, Any] = dict(plant)
    tree["carriers"] = dict(carriers)
    demand = scenario.get("demand", {})
    tree["demand"] = dict(demand) if isinstance(demand, Mapping) else demand
    tree["target"] = scenario.get("target")
    origins = [
        Origin(str(plant_file), plant_lines, ()),
        Origin(str(carriers_file), carriers_lines, ("carriers",)),
        Origin(str(scenario_file), _sub(scenario_lines, ("demand",), keep=shared), ("demand",)),
        Origin(str(scenario_file), _sub(scenario_lines, ("target",), keep=shared), ("target",)),
    ]
    if not isinstance(tree.get("units"), dict):
        raise InputError("the plant needs a 'units' mapping", file=str(plant_file), location="units")
    if not isinstance(tree.get("carriers"), dict):
        raise InputError("the carriers file needs a 'carriers' mapping", file=str(carriers_file), location="carriers")

    units_tree = tree["units"] = {
        uid: dict(body) if isinstance(body, dict) else body for uid, body in tree["units"].items()
    }
    original = {
        uid: (body.get("condition", "operating") if isinstance(body, dict) else "operating")
        for uid, body in units_tree.items()
    }
    _set_conditions(units_tree, spec, scenario_file, scenario_lines, plant_file)

    overridden: dict[str, Any] = {}
    for key, value in spec.overrides.items():
        try:
            _own_path(tree, key)
            apply_override(tree, key, value)
        except InputError as exc:
            line = scenario_lines.get(("overrides", key))
            raise InputError(
                exc.message,
                file=str(scenario_file),
                location=f"line {line}: overrides.{key}" if line else key,
                allowed=exc.allowed,
            ) from None
    for key, value in override_items(overrides):
        _own_path(tree, key)
        apply_override(tree, key, value)
        overridden[key] = value

    carrier_specs: dict[str, CarrierSpec] = {}
    for cid, cbody in tree["carriers"].items():
        kept = _CARRIERS.get(id(cbody)) if shared else None
        if kept is not None and kept[0] is cbody:  # the file's own record, validated before
            carrier_specs[cid] = kept[1]
            continue
        try:
            carrier_specs[cid] = CarrierSpec.model_validate(cbody)
        except ValidationError as exc:
            raise _validation_error(exc, origins, overridden, ("carriers", cid)) from None
        if shared and isinstance(cbody, dict) and cbody is carriers.get(cid):  # the file's record, not a copy
            if len(_CARRIERS) >= 4096:
                _CARRIERS.clear()
            _CARRIERS[id(cbody)] = (cbody, carrier_specs[cid])
    plant_fields = {k: v for k, v in tree.items() if k not in ("carriers", "demand", "target")}
    if shared and isinstance(plant.get("units"), dict):
        plant_fields["units"] = _kept_units(plant_fields["units"], plant["units"])
    try:
        plant_spec = PlantSpec.model_validate(plant_fields)
    except ValidationError as exc:
        raise _validation_error(exc, origins, overridden, ()) from None
    _refuse_inert_overrides(overridden, plant_spec)
    target = None
    if tree.get("target") is not None:
        try:
            target = TargetSpec.model_validate(tree["target"])
        except ValidationError as exc:
            raise _validation_error(exc, origins, overridden, ("target",)) from None
    if not isinstance(tree.get("demand"), dict):
        raise InputError(
            "demand must be a mapping of carrier: quantity per year",
            file=str(scenario_file),
            location="demand",
        )
    return ResolvedScenario(
        name=spec.name,
        description=spec.description,
        scenario_file=scenario_file,
        plant_file=plant_file,
        carriers_file=carriers_file,
        plant=plant_spec,
        carriers=carrier_specs,
        demand=dict(tree["demand"]),
        target=target,
        economics=spec.economics,
        tree=tree,
        planning=spec.planning,
        source=spec.source,
        restored=[
            u
            for u, c in original.items()
            if c in ("repairable", "frozen", "derelict") and plant_spec.units[u].condition == "operating"
        ],
        built=[u for u, c in original.items() if c == "not_built" and plant_spec.units[u].condition == "operating"],
        conditions=dict(original),
        origins=origins,
        overridden=overridden,
    )


def _refuse_inert_overrides(overridden: Mapping[str, Any], plant: PlantSpec) -> None:
    """An override of a unit that does not run in this scenario would change nothing: say so (issue 9)."""
    for key in overridden:
        parts = key.split(".")
        if len(parts) > 2 and parts[0] == "units" and parts[1] in plant.units and parts[2] != "condition":
            unit = plant.units[parts[1]]
            if unit.condition != "operating":
                raise InputError(
                    f"unit '{parts[1]}' is {unit.condition} in this scenario: the override would have no effect",
                    location=f"--set {key}",
                    allowed=f"overrides of operating units, or units.{parts[1]}.condition=operating first",
                )
            if parts[2] in ("inputs", "outputs") and unit.model is not None and unit.model.use:
                raise InputError(
                    f"the recipe of '{parts[1]}' comes from its {unit.model.kind} model: "
                    f"the override of its fixed {parts[2]} would have no effect",
                    location=f"--set {key}",
                    allowed=f"units.{parts[1]}.model.params.<name> (see `steelworks params`), "
                    f"or units.{parts[1]}.model.use=false first",
                )


def _own_path(tree: dict[str, Any], dotted: str) -> None:
    """Replace each mapping or list on ``dotted``'s path below ``tree`` by a shallow copy (copy on write).

    ``tree`` itself is the resolver's own; after this, setting anything along the path changes no
    data that the caller (or a file cache) holds.
    """
    node: Any = tree
    for part in str(dotted).split("."):
        if isinstance(node, dict) and part in node:
            key: Any = part
        elif isinstance(node, list) and part.lstrip("-").isdigit() and -len(node) <= int(part) < len(node):
            key = int(part)
        else:
            return  # the rest of the path does not exist yet: the override creates it (new objects)
        child = node[key]
        if isinstance(child, dict):
            child = dict(child)
        elif isinstance(child, list):
            child = list(child)
        else:
            return
        node[key] = child
        node = child


def _set_conditions(
    units: dict[str, Any], spec: ScenarioSpec, file: Path, lines: LineMap, plant_file: Path | None = None
) -> None:
    """Apply the scenario's ``restore`` (existing units) and ``build`` (units not yet built) lists."""

    allowed = typing.get_args(UnitSpec.model_fields["condition"].annotation)

    def condition(unit_id: str) -> str:
        body = units.get(unit_id)
        state = str(body.get("condition", "operating")) if isinstance(body, dict) else "operating"
        if state not in allowed:  # before the lists act on it: a typo is the error, not its consequence
            raise InputError(
                f"unknown condition '{state}' of unit '{unit_id}'",
                file=str(plant_file or file),
                location=f"units.{unit_id}.condition",
                allowed=", ".join(allowed),
            )
        return state

    restore = [u for u in units if condition(u) != "not_built"] if spec.restore == "all" else spec.restore
    for key, names in (("restore", restore), ("build", spec.build)):
        line = lines.get((key,))
        where = f"line {line}: {key}" if line else key
        for unit_id in names:
            if unit_id not in units or not isinstance(units[unit_id], dict):
                raise InputError(
                    f"{key} names unknown unit '{unit_id}'", file=str(file), location=where, allowed=", ".join(units)
                )
            state = condition(unit_id)
            if key == "restore" and state == "not_built":
                raise InputError(
                    f"'{unit_id}' is not built yet and cannot be restored: list it under 'build'",
                    file=str(file),
                    location=where,
                )
            if key == "build" and state != "not_built":
                raise InputError(
                    f"'{unit_id}' exists already ({state}): list it under 'restore'", file=str(file), location=where
                )
            units[unit_id]["condition"] = "operating"


def _sub(lines: LineMap, prefix: tuple[str, ...], keep: bool = True) -> LineMap:
    """The part of a line map under ``prefix``, with the prefix taken off (kept per map with ``keep``: a file's
    map is the parse cache's own object while the file is unchanged, and nothing changes it)."""
    if not keep:
        return {k[len(prefix) :]: v for k, v in lines.items() if k[: len(prefix)] == prefix}
    key = (id(lines), prefix)
    kept = _SUBS.get(key)
    if kept is not None and kept[0] is lines:
        return kept[1]
    sub = {k[len(prefix) :]: v for k, v in lines.items() if k[: len(prefix)] == prefix}
    if len(_SUBS) >= 256:
        _SUBS.clear()
    _SUBS[key] = (lines, sub)
    return sub


#: id of a carrier record of a parsed file -> (the record, its validated spec). The record is the parse
#: cache's own object, which nothing changes (an override copies the records on its path first), so its
#: spec is the same every time; it is held so that its id stays its own
_CARRIERS: dict[int, tuple[Any, CarrierSpec]] = {}

#: (id of a unit record of a parsed file, its condition in this scenario) -> (the record, its validated spec)
_UNITS: dict[tuple[int, Any], tuple[Any, UnitSpec]] = {}


def _kept_units(units: dict[str, Any], file_units: Mapping[str, Any]) -> dict[str, Any]:
    """The units for :class:`PlantSpec`, each record that is the file's own but for its condition (restore and
    build set it) given as its spec validated before; a record an override changed stays data and is
    validated with the plant. A record that fails alone leaves them all as data, so that the plant's
    validation reports it exactly as before."""
    out: dict[str, Any] = {}
    for uid, body in units.items():
        src = file_units.get(uid)
        if (
            not (isinstance(body, dict) and isinstance(src, dict))
            or not isinstance(body.get("condition"), str | None)  # a bad one is the plant validation's to report
            or not _same_but_condition(body, src)
        ):
            out[uid] = body
            continue
        key = (id(src), body.get("condition"))
        kept = _UNITS.get(key)
        if kept is not None and kept[0] is src:
            out[uid] = kept[1]
            continue
        try:
            spec = UnitSpec.model_validate(body)
        except ValidationError:
            return units
        if len(_UNITS) >= 1024:
            _UNITS.clear()
        _UNITS[key] = (src, spec)
        out[uid] = spec
    return out


def _same_but_condition(body: dict[str, Any], src: dict[str, Any]) -> bool:
    """``body`` holds the very values of ``src`` (not equal ones: the same objects), its condition aside."""
    keys = body.keys() - {"condition"}
    return keys == src.keys() - {"condition"} and all(body[k] is src[k] for k in keys)


#: (id of a line map, prefix) -> (the map, its part under the prefix); the map is held so its id stays its own
_SUBS: dict[tuple[int, tuple[str, ...]], tuple[LineMap, LineMap]] = {}


def iter_parameters(tree: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """Every leaf of the parameter tree as (dotted path, value)."""
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            yield from iter_parameters(value, path)
        else:
            yield path, value
