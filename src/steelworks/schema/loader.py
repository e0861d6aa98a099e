"""Load a scenario: scenario file -> plant file -> carriers file, apply overrides, validate.

The three files are merged into one tree, the *parameter tree*, whose dotted paths are what
``steelworks params`` lists and what ``--set`` and the scenario's ``overrides`` address::

    name, description, market.*, grid.*, supply.*, credits.*, units.<id>.*   (plant file)
    carriers.<id>.*                                                        (carriers file)
    demand.<carrier>, target.*                                             (scenario file)
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from steelworks.errors import InputError
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
from steelworks.schema.yamlio import LineMap, line_of, load_yaml, parse_scalar

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SCENARIO_DIR = DATA_DIR / "scenarios"

#: mappings under which an override may create a new key (everything else must exist already)
_OPEN_MAPPINGS = ("demand", "inputs", "outputs", "params", "shares", "overrides")

#: member types pydantic puts into the location of an error inside a union
_UNION_TAGS = {"str", "float", "int", "bool", "list[str]", "literal['all']", "dict[str,any]"}

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
    source: str = ""
    restored: list[str] = field(default_factory=list)  # units brought back from repairable/derelict
    built: list[str] = field(default_factory=list)  # units that were not built
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
    best: Origin | None = None
    for origin in origins:
        if path[: len(origin.prefix)] == origin.prefix and (best is None or len(origin.prefix) > len(best.prefix)):
            best = origin
    if best is None:
        return None, dotted
    line = line_of(best.lines, path[len(best.prefix) :])
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
    err = exc.errors()[0]
    # a union (e.g. "a number or a quantity string") adds its member types to the location: drop them
    path = prefix + tuple(str(p) for p in err["loc"] if str(p) not in _UNION_TAGS)
    file, where = locate(origins, overridden, path)
    message = err["msg"]
    allowed = None
    ctx = err.get("ctx") or {}
    if err["type"] == "literal_error":
        allowed = str(ctx.get("expected", ""))
    elif err["type"] == "extra_forbidden":
        message = f"unknown field '{path[-1]}'"
    elif any(str(p) in _UNION_TAGS for p in err["loc"]):
        message = f"expected a quantity such as '450 kg/t' or a number, got {err.get('input')!r}"
    elif err["type"] == "missing":
        message = f"required field '{path[-1]}' is missing"
    elif err["type"] in ("greater_than_equal", "less_than_equal"):
        allowed = f"{'>=' if err['type'] == 'greater_than_equal' else '<='} {ctx.get('ge', ctx.get('le'))}"
    distinct = {tuple(str(p) for p in e["loc"] if str(p) not in _UNION_TAGS) for e in exc.errors()}
    n_more = len(distinct) - 1
    if n_more:
        message += f" (and {n_more} more problem{'s' if n_more > 1 else ''})"
    return InputError(message, file=file, location=where, allowed=allowed)


def _model_at(parts: list[str]) -> type[BaseModel] | None:
    """The pydantic model describing the record at a path of the parameter tree (wildcards for ids)."""
    for pattern, model in _RECORD_MODELS:
        if len(pattern) == len(parts) and all(p == "*" or p == q for p, q in zip(pattern, parts, strict=True)):
            return model
    return None


def apply_override(tree: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``tree[dotted path] = value``.

    The path must exist, or name a field the schema allows there (e.g. a unit's ``availability``
    left at its default), or a new key of an open mapping (demand, recipe inputs/outputs, model params).
    """
    parts = dotted.split(".")
    node: Any = tree
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if not isinstance(node, dict):
            raise InputError(f"'{'.'.join(parts[:depth])}' is a value, not a section", location=dotted)
        if part not in node:
            parent = parts[depth - 1] if depth else ""
            model = _model_at(parts[:depth])
            if (last and parent in _OPEN_MAPPINGS) or (model is not None and part in model.model_fields):
                if last:
                    node[part] = value
                    return
                node[part] = {}
                node = node[part]
                continue
            known = set(map(str, node)) | (set(model.model_fields) if model is not None else set())
            keys = ", ".join(sorted(known)) or "(none)"
            raise InputError(
                f"override path '{dotted}' does not exist (no '{part}' here)",
                location=dotted,
                allowed=f"keys at '{'.'.join(parts[:depth]) or '<top>'}': {keys}",
            )
        if last:
            node[part] = value
            return
        node = node[part]


def load_scenario(name_or_path: str | Path, overrides: Iterable[str] | Mapping[str, Any] = ()) -> ResolvedScenario:
    """Read, merge, override and validate a scenario. ``overrides``: ``"a.b=value"`` strings or a mapping."""
    scenario_file = find_scenario(name_or_path)
    raw, scenario_lines = load_yaml(scenario_file)
    body = _section(raw, "scenario", scenario_file)
    plant_ref = body.get("plant")
    if not isinstance(plant_ref, str):
        line = scenario_lines.get(("scenario", "plant"), scenario_lines.get(("scenario",)))
        raise InputError(
            "the scenario must name its plant file ('plant: path/to/plant.yaml')",
            file=str(scenario_file),
            location=f"line {line}: plant" if line else "plant",
        )
    plant_file = (scenario_file.parent / plant_ref).resolve()
    plant_raw, plant_lines = load_yaml(plant_file)
    plant_body = _section(plant_raw, "plant", plant_file)
    carriers_ref = str(plant_body.get("carriers_file", "carriers.yaml"))
    carriers_file = (plant_file.parent / carriers_ref).resolve()
    if not carriers_file.exists():
        carriers_file = (DATA_DIR / carriers_ref).resolve()
    carriers_raw, carriers_lines = load_yaml(carriers_file)
    carriers_body = _section(carriers_raw, "carriers", carriers_file)
    return resolve_scenario(
        body,
        plant_body,
        carriers_body,
        overrides,
        files=(scenario_file, plant_file, carriers_file),
        lines=(
            _sub(scenario_lines, ("scenario",)),
            _sub(plant_lines, ("plant",)),
            _sub(carriers_lines, ("carriers",)),
        ),
    )


def resolve_scenario(
    scenario: Mapping[str, Any],
    plant: Mapping[str, Any],
    carriers: Mapping[str, Any],
    overrides: Iterable[str] | Mapping[str, Any] = (),
    *,
    files: tuple[Path, Path, Path] = (Path("<scenario>"), Path("<plant>"), Path("<carriers>")),
    lines: tuple[LineMap, LineMap, LineMap] = ({}, {}, {}),
) -> ResolvedScenario:
    """Merge and validate a scenario given as data (the bodies under ``scenario:``, ``plant:``, ``carriers:``).

    This is what :func:`load_scenario` does after reading the files; it lets Python users and tests
    build a works without writing files.
    """
    scenario_file, plant_file, carriers_file = files
    scenario_lines, plant_lines, carriers_lines = lines
    try:
        spec = ScenarioSpec.model_validate(dict(scenario))
    except ValidationError as exc:
        raise _validation_error(exc, [Origin(str(scenario_file), scenario_lines, ())], {}, ()) from None

    tree: dict[str, Any] = copy.deepcopy(dict(plant))
    tree["carriers"] = copy.deepcopy(dict(carriers))
    tree["demand"] = copy.deepcopy(scenario.get("demand", {}))
    tree["target"] = copy.deepcopy(scenario.get("target"))
    origins = [
        Origin(str(plant_file), plant_lines, ()),
        Origin(str(carriers_file), carriers_lines, ("carriers",)),
        Origin(str(scenario_file), _sub(scenario_lines, ("demand",)), ("demand",)),
        Origin(str(scenario_file), _sub(scenario_lines, ("target",)), ("target",)),
    ]
    if not isinstance(tree.get("units"), dict):
        raise InputError("the plant needs a 'units' mapping", file=str(plant_file), location="units")
    if not isinstance(tree.get("carriers"), dict):
        raise InputError("the carriers file needs a 'carriers' mapping", file=str(carriers_file), location="carriers")

    units_tree = tree["units"]
    original = {
        uid: (body.get("condition", "operating") if isinstance(body, dict) else "operating")
        for uid, body in units_tree.items()
    }
    _set_conditions(units_tree, spec, scenario_file, scenario_lines)

    overridden: dict[str, Any] = {}
    for key, value in spec.overrides.items():
        try:
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
        apply_override(tree, key, value)
        overridden[key] = value

    carrier_specs: dict[str, CarrierSpec] = {}
    for cid, cbody in tree["carriers"].items():
        try:
            carrier_specs[cid] = CarrierSpec.model_validate(cbody)
        except ValidationError as exc:
            raise _validation_error(exc, origins, overridden, ("carriers", cid)) from None
    plant_fields = {k: v for k, v in tree.items() if k not in ("carriers", "demand", "target")}
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
        source=spec.source,
        restored=[
            u
            for u, c in original.items()
            if c in ("repairable", "derelict") and plant_spec.units[u].condition == "operating"
        ],
        built=[u for u, c in original.items() if c == "not_built" and plant_spec.units[u].condition == "operating"],
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


def _set_conditions(units: dict[str, Any], spec: ScenarioSpec, file: Path, lines: LineMap) -> None:
    """Apply the scenario's ``restore`` (existing units) and ``build`` (units not yet built) lists."""

    def condition(unit_id: str) -> str:
        body = units.get(unit_id)
        return str(body.get("condition", "operating")) if isinstance(body, dict) else "operating"

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


def _sub(lines: LineMap, prefix: tuple[str, ...]) -> LineMap:
    return {k[len(prefix) :]: v for k, v in lines.items() if k[: len(prefix)] == prefix}


def override_items(overrides: Iterable[str] | Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Overrides as (dotted path, value): from a mapping, or from ``"path=value"`` strings read as YAML scalars."""
    if isinstance(overrides, Mapping):
        return list(overrides.items())
    items = []
    for text in overrides:
        if "=" not in text:
            raise InputError(
                f"override {text!r} is not of the form path=value",
                location="--set",
                allowed="e.g. units.bf1.availability=0.85",
            )
        key, _, value = text.partition("=")
        items.append((key.strip(), parse_scalar(value.strip(), where=f"--set {key.strip()}")))
    return items


def iter_parameters(tree: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """Every leaf of the parameter tree as (dotted path, value)."""
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            yield from iter_parameters(value, path)
        else:
            yield path, value
