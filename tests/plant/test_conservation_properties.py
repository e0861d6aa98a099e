"""Property tests: for random valid plants and demands, every balance closes (hypothesis)."""

from __future__ import annotations

import copy
import functools
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steelworks.api import run_balance
from steelworks.physics.thermo import gas_properties
from tests.helpers import CARRIERS, run

# subnormal numbers (below float precision) are refused as input (issue 9): draw normal ones
_floats = functools.partial(st.floats, allow_subnormal=False)

GAS_C = float(gas_properties(CARRIERS["top_gas"]["volume_fractions"])["c_frac"])
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def chain_plants(
    draw: st.DrawFn,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str], list[str], list[str]]:
    """A random chain ore -> m1 -> ... -> mk, each stage closing Fe and C, with slag, coal, air, a gas and fuel."""
    n = draw(st.integers(2, 4))
    carriers: dict[str, Any] = copy.deepcopy(
        {k: CARRIERS[k] for k in ("coal", "slag", "air", "top_gas", "natural_gas", "electricity", "fuel_heat")}
    )
    fe_prev = draw(_floats(0.3, 0.7))
    c_prev = draw(_floats(0.0, 0.1))
    carriers["m0"] = {
        "name": "m0",
        "kind": "material",
        "unit": "t",
        "fe_frac": fe_prev,
        "c_frac": c_prev,
        "source": "t",
    }
    units: dict[str, Any] = {}
    for i in range(1, n + 1):
        fe = draw(_floats(0.3, 0.98))
        slag = draw(_floats(0.0, 0.4))
        loss = draw(_floats(0.0, 0.004))
        a = (fe + 0.01 * slag) / (fe_prev * (1 - loss))
        coal = draw(_floats(0.0, 0.6))
        c_avail = a * c_prev + 0.8 * coal
        # the gas carries carbon too: at most what the stage takes in
        gas = draw(_floats(0.0, 1.0)) * min(1.5, c_avail / GAS_C) if i == 1 else 0.0
        gas = gas if gas > 1e-12 else 0.0  # the data refuses subnormal numbers (issue 9): no 1e-309 t/t recipes
        c = max(0.0, min(draw(_floats(0.0, 1.0)) * (c_avail - gas * GAS_C), 0.999 - fe))
        air = max(0.0, 1.0 + slag + gas - a - coal) + draw(_floats(0.0, 0.2))
        heat = draw(_floats(0.0, 3.0))
        carriers[f"m{i}"] = {
            "name": f"m{i}",
            "kind": "material",
            "unit": "t",
            "fe_frac": fe,
            "c_frac": c,
            "tags": ["crude_steel"] if i == n else [],
            "source": "t",
        }
        inputs = {
            f"m{i - 1}": f"{a!r} t/t",
            "coal": f"{coal!r} t/t",
            "air": f"{air!r} t/t",
            "electricity": f"{draw(_floats(0, 0.2))!r} MWh/t",
            "fuel_heat": f"{heat!r} GJ/t",
        }
        outputs = {"slag": f"{slag!r} t/t"}
        if gas > 0:
            outputs["top_gas"] = f"{gas!r} t/t"
        unit = {
            "name": f"u{i}",
            "kind": "k",
            "product": f"m{i}",
            "capacity": "1e12 t/year",
            "source": "t",
            "inputs": inputs,
            "outputs": outputs,
            "fuel": {"priority": i, "gases": ["top_gas"]},
            "availability": draw(_floats(0.5, 1.0)),
        }
        units[f"u{i}"] = unit
        if i == n and draw(st.booleans()):
            units[f"u{i}b"] = dict(copy.deepcopy(unit), name="twin", capacity=f"{draw(_floats(1e6, 1e12))!r} t/year")
        fe_prev, c_prev = fe, c
    if draw(st.booleans()):
        units["power"] = {
            "name": "pp",
            "kind": "power_plant",
            "basis": "power_plant",
            "product": "electricity",
            "capacity": f"{draw(_floats(0.0, 50.0))!r} MW",
            "efficiency": draw(_floats(0.2, 0.45)),
            "auxiliary": 0.07,
            "source": "t",
            "fuel": {"priority": 99, "gases": ["top_gas"], "makeup": "none"},
        }
    demand = {f"m{n}": f"{draw(_floats(1.0, 1e6))!r} t/year"}
    if n > 2 and draw(st.booleans()):
        demand["m1"] = f"{draw(_floats(1.0, 1e5))!r} t/year"
    buy = ["m0", "coal", "air", "natural_gas"]
    sell = [f"m{i}" for i in range(1, n + 1)] + ["slag", "electricity"]
    return carriers, units, demand, buy, sell


@SETTINGS
@given(chain_plants())
def test_random_chain_plants_close_every_balance(case: tuple) -> None:
    carriers, units, demand, buy, sell = case
    result = run(units, demand, buy=buy, sell=sell, carriers=carriers)
    for element in ("mass", "Fe", "C"):
        assert abs(result.report["balances"][element]["residual_rel"]) < 1e-9, element
    assert abs(result.report["balances"]["energy"]["residual_rel"]) < 1e-6
    res = result.results
    mass_in, c_in = res["balance_in"][:, 0], res["balance_in"][:, 2]
    assert np.all(res["loss_mass"] > -1e-9 * mass_in[:, None])
    assert np.all(res["loss_c"] > -1e-9 * (c_in[:, None] + 1))
    # the demand is met exactly
    final = max(int(k[1:]) for k in demand)
    assert result.sold[f"m{final}"] >= float(demand[f"m{final}"].split()[0]) * (1 - 1e-12)


@SETTINGS
@given(
    availability=st.lists(_floats(0.85, 1.0), min_size=4, max_size=4),
    mix=st.lists(_floats(0.3, 1.0), min_size=4, max_size=4),
    target_mt=_floats(0.3, 0.7),  # every such product mix fits the casters and mills up to ~0.7 Mt/yr
    coke_kg=_floats(480, 560),  # less coke than the fixed recipe would create mass: rejected, tested elsewhere
    heat_scale=_floats(0.7, 1.3),
)
def test_psm_with_random_inputs_closes_every_balance(
    availability: list[float], mix: list[float], target_mt: float, coke_kg: float, heat_scale: float
) -> None:
    overrides: dict[str, Any] = {
        "units.bf1.availability": availability[0],
        "units.bf2.availability": availability[1],
        "units.coke_battery_1.availability": availability[2],
        "units.sinter_plant.availability": availability[3],
        "demand.hot_rolled_coil": f"{mix[0]} Mt/year",
        "demand.cold_rolled_coil": f"{mix[1] * 0.4} Mt/year",
        "demand.galvanized_coil": f"{mix[2] * 0.04} Mt/year",
        "demand.billet": f"{mix[3] * 0.2} Mt/year",
        "target.amount": f"{target_mt} Mt/year",
        "units.bf1.model.use": False,  # the fixed recipe, so that its coke rate has an effect (issue 9)
        # ... with the sinter it is written for (the carrier table's 0.57 Fe; the sinter model makes 0.591 Fe
        # sinter at the basicity its furnaces need, issue 8 item 3)
        "units.sinter_plant.model.use": False,
        "units.bf1.inputs.coke": f"{coke_kg} kg/t",
        "units.hot_strip_mill.inputs.fuel_heat": f"{1.69 * heat_scale} GJ/t",
    }
    result = run_balance("psm", overrides)
    for element in ("mass", "Fe", "C"):
        assert abs(result.report["balances"][element]["residual_rel"]) < 1e-9
    assert result.kpis["crude_steel_t"] == __import__("pytest").approx(target_mt * 1e6, rel=1e-9)
