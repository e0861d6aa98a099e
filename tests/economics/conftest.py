"""Shared fixtures: a hand-calculable option (one unit, no tax, no debt, no inflation)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from steelworks.economics import PlantYear
from steelworks.economics.capex import WorksUnit
from steelworks.schema.economics import CostAt, apply_overrides

#: the works of the hand-calculable cases: one EAF mill, not built, at a stated cost, 2 years to build
#: (spending spread evenly), 40 years of life
MILL = WorksUnit(
    uid="mill",
    name="test mill",
    capex_kind="eaf",
    condition="not_built",
    in_service=True,
    capacity=1e6,
    capacity_unit="t/yr",
    life_years=40,
    lead_time_years=2,
    cost=CostAt.model_validate({"amount": "100e6 USD", "year": 2025, "source": "test fixture"}),
)

SIMPLE_OPTION = {
    "option": {
        "id": "simple",
        "name": "Hand-calculable test option",
        "description": "one unit at a stated cost, nothing else",
        "kind": "project",
        "source": "test fixture",
        "schedule": {"construction_start": 2027, "source": "test fixture"},
        "ramp_up": {"fractions": [], "steady_state": 1.0, "source": "test fixture"},
        "capex": {
            "owners_cost": {"share": 0.0, "source": "test fixture"},
            "contingency": {"share": 0.0, "source": "test fixture"},
            "foreign_share": {"share": 0.5, "source": "test fixture"},
            "sustaining": {"share": 0.0, "source": "test fixture"},
        },
        "plan": {"mill": {"action": "new", "year": 2027}},
        "labour": {"headcount": {}, "source": "test fixture"},
        "fixed_costs": {
            "maintenance": {"share": 0.0, "source": "test fixture"},
            "insurance": {"share": 0.0, "source": "test fixture"},
            "overheads": {
                "fixed": {"amount": "0 USD/yr", "year": 2025, "source": "test fixture"},
                "share_of_revenue": 0.0,
                "source": "test fixture",
            },
            "consumables": {
                "cost": {"amount": "0 USD/t", "year": 2025, "source": "test fixture"},
                "source": "test fixture",
            },
        },
        "working_capital": {
            "receivable_days": 0,
            "inventory_days": 0,
            "payable_days": 0,
            "source": "test fixture",
        },
    }
}

#: finance overrides that switch off tax, debt, inflation and terminal value
PLAIN_FINANCE = {
    "inflation.value": 0.0,
    "tax.corporate_rate": 0.0,
    "tax.super_tax": [],
    "tax.minimum_tax_rate": 0.0,
    "debt.share": 0.0,
    "terminal_value.method": "none",
    "horizon_years": 10,
}


@pytest.fixture
def simple_option(tmp_path: Path) -> Path:
    path = tmp_path / "simple.yaml"
    path.write_text(yaml.safe_dump(SIMPLE_OPTION), encoding="utf-8")
    return path


@pytest.fixture
def write_option(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    """Write the simple option with dotted-path changes (``{"plan.mill.year": 2029}``) to a file."""

    def write(changes: dict[str, Any]) -> Path:
        data = {"option": apply_overrides(SIMPLE_OPTION["option"], changes)}
        path = tmp_path / "changed.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        return path

    return write


@pytest.fixture
def simple_plant() -> PlantYear:
    """1 Mt scrap in, 0.9 Mt HRC out: EBITDA = 0.9e6 x 545 - 1e6 x 382 = 108.5 M USD/yr (pk-2025)."""
    return PlantYear(
        purchased={"scrap": 1e6},
        sold={},
        crude_steel_t=1e6,
        products_t={"hot_rolled_coil": 0.9e6},
        co2_direct_t=1e5,
        co2_indirect_t=0.0,
        works={"mill": MILL},
    )
