"""The cache of validated, built and solved works in ``api.run_balance``: a warm run answers from it, and it
is never stale: other overrides, a changed file (the scenario, the plant, a file it extends), another
thread, or a caller changing what it got back do not give a wrong answer."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest

from steelworks import api
from steelworks.api import run_balance
from steelworks.errors import InputError


def test_a_warm_run_reuses_the_works_and_an_override_after_it_takes_effect() -> None:
    first = run_balance("psm")
    again = run_balance("psm")
    assert again.plant is first.plant and again.solution is first.solution  # from the cache
    assert again.kpis == first.kpis
    lower = run_balance("psm", ["units.bf1.availability=0.85"])
    assert lower.plant is not first.plant
    bf1 = lower.plant.unit("bf1")
    assert lower.plant.availability[bf1] == 0.85 and first.plant.availability[bf1] == 0.95  # psm.yaml: 0.95
    # the same override given as a mapping is the same works; the base run is untouched by it
    assert run_balance("psm", {"units.bf1.availability": 0.85}).kpis == lower.kpis
    assert run_balance("psm").kpis == first.kpis


def test_values_that_compare_equal_across_types_are_different_overrides() -> None:
    one = run_balance("psm", {"units.bf1.availability": 1})
    assert one.plant.availability[one.plant.unit("bf1")] == 1.0
    with pytest.raises(InputError, match="expected a"):  # true is no number (issue 9), whatever 1 gave
        run_balance("psm", {"units.bf1.availability": True})


def _files(tmp_path: Path, co2_per_mwh: str) -> tuple[Path, Path]:
    base = tmp_path / "base-plant.yaml"
    base.write_text(
        f"extends: steelworks:plants/psm.yaml\nplant:\n  grid:\n    co2_per_mwh: {co2_per_mwh} t/MWh\n",
        encoding="utf-8",
    )
    plant = tmp_path / "plant.yaml"
    plant.write_text("extends: base-plant.yaml\nplant:\n  name: PSM copy\n", encoding="utf-8")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "extends: steelworks:scenarios/psm.yaml\nscenario:\n  name: copy\n  plant: plant.yaml\n", encoding="utf-8"
    )
    return scenario, base


def test_a_changed_file_that_the_plant_extends_invalidates_the_cached_works(tmp_path: Path) -> None:
    scenario, base = _files(tmp_path, "0.310")
    before = run_balance(scenario)
    assert before.plant.grid_co2_t_per_mwh == pytest.approx(0.310)
    assert run_balance(scenario).plant is before.plant
    # same size, new modification time: the cache checks the stamp of every file the works was read from
    stat = base.stat()
    base.write_text(base.read_text(encoding="utf-8").replace("0.310", "0.410"), encoding="utf-8")
    os.utime(base, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    after = run_balance(scenario)
    assert after.plant.grid_co2_t_per_mwh == pytest.approx(0.410)
    purchased = before.kpis["electricity_purchased_mwh"]
    if purchased > 0:
        assert after.kpis["co2_indirect_t"] == pytest.approx(before.kpis["co2_indirect_t"] * 0.410 / 0.310)
    else:
        assert after.kpis["co2_credit_electricity_t"] != before.kpis["co2_credit_electricity_t"]


def test_a_file_that_went_away_is_an_input_error_not_a_cached_answer(tmp_path: Path) -> None:
    scenario, base = _files(tmp_path, "0.310")
    run_balance(scenario)
    base.unlink()
    with pytest.raises(InputError):
        run_balance(scenario)


def test_what_a_caller_changes_in_its_result_does_not_reach_the_next_caller() -> None:
    first = run_balance("psm")
    crude = first.kpis["crude_steel_t"]
    first.results.kpi["crude_steel_t"] = np.zeros(1)  # its own dict
    first.scenario.demand.clear()
    with pytest.raises(ValueError, match="read-only"):
        first.results.data["bought"][...] = 0.0  # shared arrays are read-only
    with pytest.raises(ValueError, match="read-only"):
        first.plant.recipe[0, 0] = 1.0
    again = run_balance("psm")
    assert again.kpis["crude_steel_t"] == crude and again.scenario.demand


def test_runs_from_threads_at_once_agree_with_one_thread() -> None:
    cases = [[], ["units.bf1.availability=0.9"], ["units.bf2.availability=0.8"], ["target.amount=1.0 Mt/year"]]
    api.clear_cache()
    out: dict[int, dict[str, float]] = {}
    errors: list[str] = []
    barrier = threading.Barrier(len(cases) * 2)

    def work(i: int) -> None:
        barrier.wait()
        try:
            kpis = run_balance("psm", cases[i % len(cases)]).kpis
            out.setdefault(i % len(cases), kpis)
            assert out[i % len(cases)] == kpis
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(cases) * 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    api.clear_cache()
    for i, case in enumerate(cases):
        assert run_balance("psm", case).kpis == out[i], case


def test_a_cached_run_gives_the_numbers_of_a_run_without_the_cache() -> None:
    from steelworks.plant.build import build_plant
    from steelworks.results import solved_works
    from steelworks.schema.loader import load_scenario

    for case in ([], ["units.bf1.availability=0.9"]):
        run_balance("psm", case)
        cached = run_balance("psm", case)
        _, plain = solved_works(build_plant(load_scenario("psm", case)))
        for name, values in plain.data.items():
            assert np.array_equal(cached.results.data[name], values), name
        assert cached.kpis == plain.kpis(0)


def test_a_carrier_override_after_validated_carriers_were_kept_takes_effect() -> None:
    from steelworks.schema.loader import load_scenario

    before = load_scenario("psm").carriers["hot_rolled_coil"]
    renamed = load_scenario("psm", ["carriers.hot_rolled_coil.name=HRC renamed"]).carriers["hot_rolled_coil"]
    assert renamed.name == "HRC renamed" and before.name != "HRC renamed"
    assert load_scenario("psm").carriers["hot_rolled_coil"] == before  # the kept record is the file's
    assert (
        run_balance("psm", ["carriers.hot_rolled_coil.name=HRC renamed"]).plant.carrier_names[
            run_balance("psm").plant.carrier("hot_rolled_coil")
        ]
        == "HRC renamed"
    )


def test_unit_records_are_kept_per_condition_and_an_overridden_one_is_validated_anew() -> None:
    from steelworks.schema.loader import load_scenario

    restored = load_scenario("psm").plant.units["bf1"]  # restore: all
    assert restored.condition == "operating"
    assert load_scenario("psm").plant.units["bf1"] is restored  # the file's record, validated once
    idle = load_scenario("psm-mothballed").plant.units["bf1"]  # the same record of psm.yaml, not restored
    assert idle.condition == "frozen" and idle is not restored
    lower = load_scenario("psm", ["units.bf1.availability=0.8"]).plant.units["bf1"]
    assert lower.availability == 0.8 and restored.availability == 0.95
    with pytest.raises(InputError, match="availability"):
        load_scenario("psm", ["units.bf1.availability=1.5"])  # reported as before: a fraction in [0, 1]


def test_overrides_from_a_generator_or_with_a_value_that_is_no_key_take_effect() -> None:
    lower = run_balance("psm", (f"units.bf1.availability={a}" for a in ["0.85"]))
    assert lower.plant.availability[lower.plant.unit("bf1")] == 0.85

    class Unhashable(float):
        __hash__ = None  # type: ignore[assignment]

    odd = run_balance("psm", {"units.bf1.availability": Unhashable(0.8)})  # the plain path, not the cache
    assert odd.plant.availability[odd.plant.unit("bf1")] == 0.8
