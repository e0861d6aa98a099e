"""Provenance of every number of the works and its carriers: each field has its own source.

``tests/plant/test_psm.py::test_every_number_has_a_source_or_an_estimate_mark`` accepts a number as
soon as its record (unit, carrier) has a ``source:``. Here a numeric field of a unit or carrier passes
only if the record's ``sources:`` names it (by its dotted path relative to the record, e.g.
``inputs.coke``, by its key, ``coke``, or by its group, ``inputs``), or one of these documented rules
covers it:

1. IDENTITY - a unit's own ``source:`` covers ``capacity`` and ``commissioned``: the nameplate and the
   dates are what the plant description that source names states (PSM-mesteel, PSM-berth, ...).
2. SETTING - ``fuel.priority`` is the order in which fuel users draw works gas, a model setting and
   not a quantity with a source.
3. RECIPE COPY - a recipe field (``inputs.*``, ``outputs.*``, ``model.*``) of a unit whose ``source``
   says it is "as" another unit ("recipe as converter 1") is covered when a unit of the same kind,
   in any bundled plant file, has the same value at the same path with its own ``sources`` entry.
4. COMPOSITION - a carrier is one analysis: its ``source:`` covers ``fe_frac``, ``c_frac``, ``lhv``,
   ``density``, ``analysis.*`` and ``volume_fractions.*`` (carriers.yaml's header states this);
   every other numeric field of a carrier needs its own entry.

What no rule covers and the data do not source today is listed in ``KNOWN_GAPS`` (data debt for the
data owners). The test fails on any gap not listed there, and on a listed gap that has been fixed
(remove it from the list), so the list can only shrink.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from steelworks.report.params import _split

DATA = Path(__file__).resolve().parents[1] / "src" / "steelworks" / "data"
PLANTS = sorted((DATA / "plants").glob("*.yaml"))
CARRIERS = DATA / "carriers.yaml"
_META = {"source", "sources", "name", "description", "notes", "citation", "url", "grade"}

IDENTITY = {"capacity", "commissioned"}
SETTINGS = {"fuel.priority"}
RECIPE_GROUPS = {"inputs", "outputs", "model"}
COMPOSITION = {"fe_frac", "c_frac", "lhv", "density"}
COMPOSITION_GROUPS = {"analysis", "volume_fractions"}

_AVAILABILITY_UNSOURCED = {
    "ieaghg-reference": (
        "coke_plant sinter_plant blast_furnace blower_station bof_shop slab_caster hot_strip_mill lime_kiln "
        "dolomite_kiln oxygen_plant boilers power_plant"
    ),
    "psm": (
        "ore_berth coke_battery_1 coke_battery_2 by_product_plant sinter_plant bf1 bf2 hot_metal_mixer bof1 bof2 "
        "slab_caster_1 slab_caster_2 bloom_caster billet_mill hot_strip_mill cold_rolling_complex galvanizing_line "
        "lime_kiln dolomite_kiln oxygen_plant blower_station process_boilers eaf dri_plant thin_slab_caster "
        "thin_slab_mill coke_battery_3 sinter_plant_2 bf3 bof_shop_2 slab_caster_3 hot_strip_mill_2 oxygen_plant_2 "
        "lime_kiln_2 blower_station_2"
    ),
}
_OTHER_UNSOURCED = {
    # the IEAGHG units' recipes are attributed to IEAGHG13 as a whole, without table or line per field
    "ieaghg-reference": (
        "sinter_plant.inputs.iron_ore_fines sinter_plant.inputs.limestone sinter_plant.inputs.dolomite "
        "sinter_plant.inputs.coke_breeze sinter_plant.inputs.dust_sludge sinter_plant.inputs.fuel_heat "
        "sinter_plant.inputs.electricity blast_furnace.outputs.bf_slag blast_furnace.outputs.dust_sludge "
        "blast_furnace.outputs.bf_gas blast_furnace.model.params.pellet_share blast_furnace.model.params.lump_share "
        "blast_furnace.model.params.natural_gas_rate blower_station.inputs.air bof_shop.inputs.hot_metal "
        "bof_shop.inputs.scrap bof_shop.inputs.oxygen bof_shop.inputs.burnt_lime bof_shop.inputs.burnt_dolomite "
        "bof_shop.inputs.ferroalloys bof_shop.inputs.air bof_shop.inputs.electricity bof_shop.outputs.bof_slag "
        "bof_shop.outputs.dust_sludge bof_shop.outputs.converter_gas slab_caster.inputs.liquid_steel "
        "slab_caster.inputs.fuel_heat slab_caster.inputs.electricity hot_strip_mill.inputs.slab "
        "hot_strip_mill.inputs.fuel_heat hot_strip_mill.inputs.electricity lime_kiln.inputs.fuel_heat "
        "oxygen_plant.inputs.electricity power_plant.efficiency power_plant.auxiliary"
    ),
    "psm": (
        "bof1.inputs.scrap bof2.inputs.scrap bof_shop_2.inputs.scrap bloom_caster.inputs.fuel_heat "
        "bloom_caster.inputs.electricity bloom_caster.outputs.scrap bloom_caster.outputs.mill_scale"
    ),
}
#: fields no rule covers and the bundled data leave unsourced (data debt), as "<plant file>:units.<id>.<field>"
KNOWN_GAPS = frozenset(
    {f"{plant}:units.{uid}.availability" for plant, ids in _AVAILABILITY_UNSOURCED.items() for uid in ids.split()}
    | {f"{plant}:units.{field}" for plant, fields in _OTHER_UNSOURCED.items() for field in fields.split()}
)


def numeric_fields(record: Mapping[str, Any], rel: tuple[str, ...] = ()) -> Iterator[tuple[str, float]]:
    """(dotted path relative to the record, value) of every numeric leaf, quantities like '0.3 Mt/year' included."""
    for key, value in record.items():
        if key in _META:
            continue
        path = (*rel, str(key))
        if isinstance(value, Mapping) and value:
            yield from numeric_fields(value, path)
            continue
        number, _ = _split(value)
        if isinstance(number, int | float) and not isinstance(number, bool):
            yield ".".join(path), float(number)


def own_source(record: Mapping[str, Any], path: str) -> str | None:
    sources = record.get("sources") or {}
    parts = path.split(".")
    for candidate in (path, parts[-1], parts[0]):
        if isinstance(sources, Mapping) and candidate in sources and str(sources[candidate]).strip():
            return str(sources[candidate])
    return None


def load_units(paths: list[Path]) -> dict[tuple[str, str], Mapping[str, Any]]:
    units = {}
    for path in paths:
        for uid, unit in yaml.safe_load(path.read_text(encoding="utf-8"))["plant"]["units"].items():
            units[(path.stem, str(uid))] = unit
    return units


def unit_gaps(paths: list[Path], siblings_from: list[Path] | None = None) -> set[str]:
    """Numeric unit fields of the plant files that neither have their own source nor a rule covering them."""
    units = load_units(paths)
    pool = load_units(siblings_from) if siblings_from else units
    pool = {**pool, **units}
    gaps = set()
    for (plant, uid), unit in units.items():
        assert str(unit.get("source", "")).strip(), f"{plant}: unit {uid} has no source"
        copied = re.search(r"\bas\b", str(unit.get("source", ""))) is not None
        for path, value in numeric_fields(unit):
            if own_source(unit, path) or path in IDENTITY or path in SETTINGS:
                continue
            if copied and path.split(".")[0] in RECIPE_GROUPS:
                same = [
                    other
                    for key, other in pool.items()
                    if key != (plant, uid)
                    and other.get("kind") == unit.get("kind")
                    and own_source(other, path)
                    and dict(numeric_fields(other)).get(path) == value
                ]
                if same:
                    continue
            gaps.add(f"{plant}:units.{uid}.{path}")
    return gaps


def carrier_gaps(path: Path) -> set[str]:
    gaps = set()
    for cid, carrier in yaml.safe_load(path.read_text(encoding="utf-8"))["carriers"].items():
        assert str(carrier.get("source", "")).strip(), f"{path.name}: carrier {cid} has no source"
        for field, _ in numeric_fields(carrier):
            if own_source(carrier, field) or field in COMPOSITION or field.split(".")[0] in COMPOSITION_GROUPS:
                continue
            gaps.add(f"{path.stem}:carriers.{cid}.{field}")
    return gaps


def test_every_numeric_field_of_a_unit_has_its_own_source_or_a_documented_rule() -> None:
    gaps = unit_gaps(PLANTS)
    new = sorted(gaps - KNOWN_GAPS)
    fixed = sorted(KNOWN_GAPS - gaps)
    assert not new, (
        f"{len(new)} unit fields without their own entry in `sources:` (and no rule of tests/test_provenance.py "
        f"covers them): {new[:20]}"
    )
    assert not fixed, f"these fields are sourced now - remove them from KNOWN_GAPS in tests/test_provenance.py: {fixed}"


def test_every_numeric_field_of_a_carrier_beyond_its_analysis_has_its_own_source() -> None:
    assert carrier_gaps(CARRIERS) == set()


def test_the_fields_checked_are_the_works_numbers() -> None:
    units = load_units(PLANTS).items()
    fields = {f"{plant}:{uid}.{path}" for (plant, uid), u in units for path, _ in numeric_fields(u)}
    assert len(fields) > 400
    assert "psm:bf1.inputs.coke" in fields
    assert "psm:power_plant.efficiency" in fields


def _without_per_field_sources(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_per_field_sources(v) for k, v in node.items() if k != "sources"}
    if isinstance(node, list):
        return [_without_per_field_sources(v) for v in node]
    return node


def test_deleting_the_per_field_sources_of_psm_yaml_fails_the_check(tmp_path: Path) -> None:
    """The planted defect of issue 7 §5: every `sources:` block of psm.yaml deleted must not pass."""
    original = DATA / "plants" / "psm.yaml"
    stripped = _without_per_field_sources(yaml.safe_load(original.read_text(encoding="utf-8")))
    copy = tmp_path / "psm.yaml"
    copy.write_text(yaml.safe_dump(stripped, sort_keys=False), encoding="utf-8")
    assert "sources:" not in copy.read_text(encoding="utf-8")
    others = [p for p in PLANTS if p.name != "psm.yaml"]
    new = unit_gaps([copy], siblings_from=others) - KNOWN_GAPS
    # the unit-level `source:` of every unit is still there - the old test still passed on this copy
    assert all(str(u.get("source", "")).strip() for u in stripped["plant"]["units"].values())
    assert len(new) > 150, f"only {len(new)} fields flagged"
    assert "psm:units.bf1.inputs.coke" in new
    assert "psm:units.power_plant.efficiency" in new
    with pytest.raises(AssertionError):
        assert not new


def test_the_check_on_the_untouched_copy_flags_nothing_new(tmp_path: Path) -> None:
    copy = tmp_path / "psm.yaml"
    copy.write_text((DATA / "plants" / "psm.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    others = [p for p in PLANTS if p.name != "psm.yaml"]
    assert unit_gaps([copy], siblings_from=others) - KNOWN_GAPS == set()
