"""resolve_scenario copies on write: overrides and restore/build never change the caller's data."""

from __future__ import annotations

import copy

import yaml

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


def test_runs_with_overrides_never_change_the_cached_files() -> None:
    from steelworks.api import run_balance, run_evaluation
    from steelworks.schema import yamlio

    resolved = load_scenario("psm")
    files = (resolved.scenario_file, resolved.plant_file, resolved.carriers_file)
    before = [copy.deepcopy(load_yaml(f, shared=True)[0]) for f in files]
    run_balance(
        "psm",
        [
            "units.bf1.availability=0.9",
            "units.bf1.model.use=false",
            "units.sinter_plant.model.use=false",  # the sinter the fixed furnace recipe is written for
            "units.bf1.inputs.oxygen=31 kg/t",
            "demand.billet=280 kt/year",
        ],
    )
    run_evaluation("psm", ["units.bf2.model.params.blower_kwh_per_nm3=0.01", "carriers.coke.name=x"])
    after = [load_yaml(f, shared=True)[0] for f in files]
    assert after == before
    # and the shared data is the cache itself (no copy), while the default gives a copy
    assert load_yaml(files[1], shared=True)[0] is yamlio.load_yaml(files[1], shared=True)[0]
    assert load_yaml(files[1])[0] is not load_yaml(files[1], shared=True)[0]


def test_files_that_extend_bundled_files_stay_unchanged_in_the_cache() -> None:
    from pathlib import Path

    from steelworks.api import run_balance
    from steelworks.schema.extends import DATA_DIR

    example = Path(__file__).resolve().parents[1] / "examples" / "mini-works"
    files = [example / "scenario.yaml", example / "plant.yaml", example / "carriers.yaml", DATA_DIR / "carriers.yaml"]
    run_balance(example / "scenario.yaml")  # parse and cache every file of the chain
    before = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files]  # the files as written
    changed = run_balance(
        example / "scenario.yaml", {"carriers.rebar.name": "Rebar B500", "carriers.scrap.fe_frac": 0.93}
    )
    assert changed.scenario.carriers["scrap"].fe_frac == 0.93
    assert changed.scenario.carriers["rebar"].name == "Rebar B500"
    after = [load_yaml(f, shared=True)[0] for f in files]
    assert after == before  # the cache of the example's files and of the bundled carriers they extend
    again = run_balance(example / "scenario.yaml")
    assert again.scenario.carriers["scrap"].fe_frac == before[3]["carriers"]["scrap"]["fe_frac"]
    assert str(again.scenario.plant_file) == str((example / "plant.yaml").resolve())  # paths anchored as before
