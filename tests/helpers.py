"""Small works built from Python data, for hand-checked tests."""

from __future__ import annotations

import copy
from typing import Any

from steelworks.api import BalanceResult, evaluate_plant
from steelworks.plant.build import build_plant
from steelworks.schema.loader import resolve_scenario

CARRIERS: dict[str, Any] = {
    "ore": {"name": "ore", "kind": "material", "unit": "t", "fe_frac": 0.5, "source": "test"},
    "iron": {
        "name": "iron",
        "kind": "material",
        "unit": "t",
        "fe_frac": 0.96,
        "c_frac": 0.04,
        "source": "test",
    },
    "steel": {
        "name": "steel",
        "kind": "material",
        "unit": "t",
        "fe_frac": 0.99,
        "c_frac": 0.0,
        "tags": ["crude_steel"],
        "source": "test",
    },
    "coal": {
        "name": "coal",
        "kind": "material",
        "unit": "t",
        "c_frac": 0.8,
        "lhv": "30 GJ/t",
        "source": "test",
    },
    "slag": {"name": "slag", "kind": "material", "unit": "t", "fe_frac": 0.01, "source": "test"},
    "air": {"name": "air", "kind": "material", "unit": "t", "source": "test"},
    "top_gas": {
        "name": "gas",
        "kind": "gas",
        "unit": "t",
        "volume_fractions": {"CO": 0.25, "CO2": 0.2, "N2": 0.55},
        "source": "test",
    },
    "natural_gas": {
        "name": "ng",
        "kind": "gas",
        "unit": "t",
        "volume_fractions": {"CH4": 1.0},
        "source": "test",
    },
    "electricity": {"name": "el", "kind": "energy", "unit": "MWh", "source": "test"},
    "fuel_heat": {"name": "fuel", "kind": "energy", "unit": "GJ", "source": "test"},
}

#: a two-unit works used by several tests (hand numbers in tests/plant/test_small_flowsheets.py)
FURNACE = {
    "name": "furnace",
    "kind": "furnace",
    "product": "iron",
    "capacity": "1000 t/year",
    "source": "test",
    # per t iron: 1.95 t ore (0.975 Fe) -> 0.96 Fe in iron + 0.5 t slag at 0.01 Fe = 0.965, loss 0.010 Fe (1.03 %)
    "inputs": {"ore": "1.95 t/t", "coal": "0.5 t/t"},
    "outputs": {"slag": "0.5 t/t"},
    "max_fe_loss": 0.02,
}
CONVERTER = {
    "name": "converter",
    "kind": "converter",
    "product": "steel",
    "capacity": "1000 t/year",
    "source": "test",
    # per t steel: 1.04 t iron = 0.9984 Fe -> 0.99 Fe in steel (loss 0.0084 Fe = 0.84 %)
    "inputs": {"iron": "1.04 t/t", "electricity": "50 kWh/t"},
    "max_fe_loss": 0.01,
}


GRID = {"co2_per_mwh": "0.5 t/MWh", "primary_energy_per_mwh": "9 GJ/MWh", "source": "test"}


def plant(units: dict[str, Any], buy: list[str], sell: list[str], **extra: Any) -> dict[str, Any]:
    body = {"name": "test works", "market": {"buy": buy, "sell": sell}, "grid": dict(GRID), "units": units}
    body.update(extra)
    return body


def run(
    units: dict[str, Any],
    demand: dict[str, str],
    buy: list[str],
    sell: list[str],
    carriers: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
    target: Any = None,
    **extra: Any,
) -> BalanceResult:
    scenario: dict[str, Any] = {"name": "test", "plant": "-", "demand": demand}
    if target is not None:
        scenario["target"] = target
    resolved = resolve_scenario(
        scenario, plant(units, buy, sell, **extra), copy.deepcopy(carriers or CARRIERS), overrides or {}
    )
    return evaluate_plant(resolved, build_plant(resolved))


def flow(result: BalanceResult, unit: str, carrier: str) -> float:
    """Net flow of a carrier at a unit, per year (+out, -in)."""
    p = result.plant
    rows = result.solution.row_ids
    return float(result.solution.flows[0, rows.index(unit), p.carrier(carrier)])
