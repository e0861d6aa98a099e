"""resolve_scenario copies on write: overrides and restore/build never change the caller's data."""

from __future__ import annotations

import copy

from steelworks.schema.loader import load_scenario, resolve_scenario
from steelworks.schema.yamlio import load_yaml


def _bodies() -> tuple[dict, dict, dict]:
    scenario_file = load_scenario("psm").scenario_file
    raw, _ = load_yaml(scenario_file)
    resolved = load_scenario("psm")
    plant, _ = load_yaml(resolved.plant_file)
    carriers, _ = load_yaml(resolved.carriers_file)
    return raw["scenario"], plant["plant"], carriers["carriers"]


def test_overrides_and_restore_leave_the_callers_data_alone() -> None:
    scenario, plant, carriers = _bodies()
    scenario = {**scenario, "restore": "all"}
    before = copy.deepcopy((scenario, plant, carriers))
    unit = next(iter(plant["units"]))
    carrier = next(iter(carriers))
    demand = next(iter(scenario["demand"]))
    overrides = {
        f"units.{unit}.availability": 0.5,
        f"carriers.{carrier}.name": "renamed",
        f"demand.{demand}": "1 t/year",
        "demand.new_product": "2 t/year",
    }
    resolved = resolve_scenario(scenario, plant, carriers, overrides)
    assert resolved.plant.units[unit].availability == 0.5
    assert resolved.carriers[carrier].name == "renamed"
    assert resolved.demand[demand] == "1 t/year"
    assert resolved.tree["units"][unit]["availability"] == 0.5
    assert (scenario, plant, carriers) == before  # nothing of the input changed
    # and a second resolve without overrides sees the original values
    again = resolve_scenario(scenario, plant, carriers)
    assert again.carriers[carrier].name == before[2][carrier]["name"]
    assert again.demand[demand] == before[0]["demand"][demand]
