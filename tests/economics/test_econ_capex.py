"""Capital plans priced against the works: scaling, actions by condition, calibration, relines, errors."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from steelworks.economics.capex import WorksUnit, estimate_capex, reconcile, schedule_capex, works_table
from steelworks.economics.prices import Converter
from steelworks.errors import InputError
from steelworks.plant.build import build_plant
from steelworks.schema.economics import load_capex_benchmarks, load_option, load_price_deck
from steelworks.schema.loader import load_scenario
from steelworks.schema.plant import RelineSpec
from tests.economics.conftest import MILL

CPI = {2010: 218.056, 2019: 255.657, 2025: 322.2}  # the pk-2025 deck's escalation index (US CPI-U)


def _conv() -> Converter:
    return Converter(load_price_deck("pk-2025"))


@lru_cache(maxsize=8)
def works_of(scenario: str) -> dict[str, WorksUnit]:
    resolved = load_scenario(scenario)
    return works_table(resolved, build_plant(resolved))


def _unit(uid: str, kind: str, condition: str, capacity: float, **kw: object) -> WorksUnit:
    return WorksUnit(uid, uid, kind, condition, True, capacity, "t/yr", **kw)  # type: ignore[arg-type]


def test_six_tenths_scaling_by_hand(write_option: Callable[[dict], Path]) -> None:
    works = {"mill": _unit("mill", "hot_strip_mill", "not_built", 1e6)}
    est = estimate_capex(load_option(write_option({})), works, _conv(), load_capex_benchmarks())
    # 113 USD(2010)/t x 4 Mt x (1/4)^0.6, escalated 2010 -> 2025 [S17]
    hand = 113 * 4e6 * (1 / 4) ** 0.6 * CPI[2025] / CPI[2010]
    assert est.lines[0].epc_usd == pytest.approx(hand, rel=1e-12)
    assert est.lines[0].replacement_usd == pytest.approx(hand, rel=1e-12)
    assert est.lines[0].duration == 3  # capex.yaml hot_strip_mill new
    assert list(est.lines[0].profile) == [0.3, 0.4, 0.3]


def test_restore_action_is_a_fraction_of_new(write_option: Callable[[dict], Path]) -> None:
    works = {"mill": _unit("mill", "blast_furnace", "repairable", 2e6)}
    est = estimate_capex(
        load_option(write_option({"plan.mill.action": "restore"})), works, _conv(), load_capex_benchmarks()
    )
    assert est.lines[0].epc_usd == pytest.approx(0.4 * 300 * 2e6)  # [S3]: 400 M restore vs 1 bn new
    assert est.lines[0].replacement_usd == pytest.approx(300 * 2e6)


def test_a_small_plan_by_hand(write_option: Callable[[dict], Path]) -> None:
    """A frozen furnace cleared and relined and a collapsed coke battery rebuilt, plus infrastructure."""
    works = {
        "bf": _unit("bf", "blast_furnace", "frozen", 0.6e6, reline=RelineSpec(interval_years=15, duration_days=100)),
        "cob": _unit("cob", "coke_oven", "derelict", 0.3e6, lead_time_years=3, life_years=30),
        "berth": WorksUnit("berth", "berth", None, "repairable", True, 3e6, "t/yr"),  # no capex kind: infrastructure
    }
    option = load_option(
        write_option(
            {
                "plan": {
                    "bf": {"action": "clear_and_reline", "year": 2027},
                    "cob": {"action": "rebuild", "year": 2028},
                },
                "capex.owners_cost.share": 0.05,
                "capex.contingency.share": 0.10,
                "capex.infrastructure": {"share_of_direct": 0.15, "life_years": 40, "source": "test"},
            }
        )
    )
    est = estimate_capex(option, works, _conv(), load_capex_benchmarks())
    lines = {line.uid: line for line in est.lines}
    # capex.yaml: BF new 300 USD(2025)/t at 2 Mt, exponent 0.6; clear_and_reline 0.4 of new, 3 years
    bf_new = 300 * 2e6 * (0.6 / 2.0) ** 0.6  # = 291.4 M USD
    # coke oven new 340 USD(2019)/t at 1.4 Mt, exponent 0.6, escalated to 2025; rebuild 0.2 of new
    cob_new = 340 * 1.4e6 * (0.3 / 1.4) ** 0.6 * CPI[2025] / CPI[2019]  # = 238.1 M USD
    assert lines["bf"].epc_usd == pytest.approx(0.4 * bf_new, rel=1e-12)
    assert lines["cob"].epc_usd == pytest.approx(0.2 * cob_new, rel=1e-12)
    assert lines["bf"].replacement_usd == pytest.approx(bf_new, rel=1e-12)
    direct = 0.4 * bf_new + 0.2 * cob_new
    assert lines["infrastructure"].epc_usd == pytest.approx(0.15 * direct, rel=1e-12)
    assert lines["infrastructure"].replacement_usd == pytest.approx(0.15 * (bf_new + cob_new), rel=1e-12)
    assert est.epc_usd == pytest.approx(1.15 * direct, rel=1e-12)
    assert est.total_usd == pytest.approx(1.15 * 1.15 * direct, rel=1e-12)  # + 5 % owner's + 10 % contingency
    assert "berth" not in lines
    # the unit's own life and lead time win over the benchmark's (35 yr, 3 yr with its profile)
    assert lines["cob"].life_years == 30 and list(lines["cob"].profile) == pytest.approx([1 / 3] * 3)
    assert lines["bf"].life_years == 25  # capex.yaml clear_and_reline
    # the reline: 0.2 of new (capex.yaml), 100 of 365 days of the only furnace's output
    assert lines["bf"].reline_usd == pytest.approx(0.2 * bf_new, rel=1e-12)
    assert lines["bf"].reline_output_loss == pytest.approx(100 / 365, rel=1e-12)
    sched = schedule_capex(est, 30, 1, start_year=2027)
    assert sched.commissioning == [4]  # the battery starts in 2028 and takes 3 years: in service 2031
    # first year: 0.3 of the furnace and a quarter of the infrastructure (spread over 4 years), marked up
    first = 1.15 * (0.3 * 0.4 * bf_new + 0.15 * direct / 4)
    assert sched.initial[0] == pytest.approx(first, rel=1e-12)
    assert sched.recurring[4 + 15] == pytest.approx(0.2 * bf_new, rel=1e-12)
    assert sched.initial.sum() == pytest.approx(est.total_usd, rel=1e-12)


def test_a_cost_override_on_the_unit_replaces_the_benchmark(simple_option: Path) -> None:
    est = estimate_capex(load_option(simple_option), {"mill": MILL}, _conv(), load_capex_benchmarks())
    assert est.lines[0].epc_usd == pytest.approx(100e6)
    # the replacement value stays the benchmark's new cost: EAF 240 EUR(2020)/t at 2 Mt, exponent 0.456
    assert est.lines[0].replacement_usd > 100e6


def test_bf_revival_calibration_equals_the_russian_figure_with_the_bottom_up_beside_it() -> None:
    option = load_option("psm-bf-revival")
    est = estimate_capex(option, works_of("psm-bf-revival"), _conv(), load_capex_benchmarks())
    assert est.basis == "top_down"
    assert est.top_down_usd == pytest.approx(1.91e9)
    assert est.epc_usd == pytest.approx(1.91e9, rel=1e-12)  # the calibration's shares sum to 1
    assert est.total_usd == pytest.approx(1.91e9 * 1.15)  # + 5 % owner's + 10 % contingency
    table = reconcile(est)
    assert table["top_down_usd"] == pytest.approx(1.91e9)
    rows = {row["unit"]: row for row in table["units"]}
    assert sum(row["used_usd"] for row in rows.values()) == pytest.approx(1.91e9, rel=1e-12)
    assert rows["bf1"]["used_usd"] == pytest.approx(0.14 * 1.91e9)
    assert rows["bf1"]["action"] == "clear_and_reline" and rows["coke_battery_1"]["action"] == "rebuild"
    # the bottom-up sum of the same plan is reported beside it
    assert table["bottom_up_usd"] == pytest.approx(sum(row["bottom_up_usd"] for row in rows.values()), rel=1e-12)
    # bf1 bottom-up: 0.4 x 300 USD/t x 2 Mt x (0.6/2)^0.6 at the plant's 0.60 Mt/yr
    assert rows["bf1"]["bottom_up_usd"] == pytest.approx(0.4 * 300 * 2e6 * 0.3**0.6, rel=1e-12)
    # the Russian figure is about twice the benchmark restore
    assert 0.3 < table["bottom_up_over_used"] < 0.8
    # every unit of the plan is a plant unit of the works, at the plant's capacity
    assert set(rows) - {"infrastructure"} == set(option.plan)


def test_eaf_option_calibration_total() -> None:
    est = estimate_capex(load_option("psm-eaf"), works_of("psm-eaf"), _conv(), load_capex_benchmarks(), 5e5)
    assert est.epc_usd == pytest.approx(1.05e9, rel=1e-12)
    grid = next(line for line in est.lines if line.uid == "grid_connection")
    # sized at the works' grid purchase: 60 USD per MWh/yr at 1.3 TWh/yr, exponent 0.6
    assert grid.bottom_up_usd == pytest.approx(60 * 1.3e6 * (5e5 / 1.3e6) ** 0.6, rel=1e-12)


def test_relines_recur_at_the_plant_files_interval() -> None:
    option = load_option("psm-bf-revival")
    works = works_of("psm-bf-revival")
    assert works["bf1"].reline == RelineSpec(interval_years=15, duration_days=100)
    est = estimate_capex(option, works, _conv(), load_capex_benchmarks())
    sched = schedule_capex(est, 40, 1, start_year=2027)
    c = sched.commissioning[0]
    assert c == 3  # 3 years to clear and reline the frozen furnaces -> first production in 2030
    years = np.flatnonzero(sched.recurring)
    # bf1 every 15 years after commissioning, bf2 first after 17, then every 15 (psm.yaml)
    assert list(years) == [c + 15, c + 17, c + 30, c + 32]
    bf1 = next(line for line in est.lines if line.uid == "bf1")
    assert sched.recurring[c + 15] == pytest.approx(0.2 * bf1.replacement_usd)
    assert sched.output_loss[c + 15] == pytest.approx(100 / 365 * 0.5)  # one of two equal furnaces
    assert sched.output_loss[c + 16] == 0.0


def test_works_table_reads_the_unit_table() -> None:
    works = works_of("psm")
    assert works["bf1"].condition == "frozen" and works["bf1"].in_service and works["bf1"].brought_in
    assert works["bf1"].actions == ("clear_and_reline", "rebuild")
    assert works["coke_battery_1"].actions == ("rebuild",) and works["coke_battery_1"].lead_time_years == 3
    assert works["bf1"].capacity == pytest.approx(0.6e6) and works["bf1"].capacity_unit == "t/yr"
    assert works["power_plant"].capacity == pytest.approx(
        110 * 8766
    )  # a pint year is 365.25 days and works["power_plant"].capacity_unit == "MWh/yr"
    assert works["eaf"].condition == "not_built" and not works["eaf"].in_service
    assert works["ore_berth"].capex_kind is None


def test_construction_after_the_horizon_is_an_input_error(write_option: Callable[[dict], Path]) -> None:
    option = load_option(write_option({"plan.mill.year": 2036}))
    est = estimate_capex(option, {"mill": MILL}, _conv(), load_capex_benchmarks())
    with pytest.raises(InputError, match="after the horizon") as err:
        schedule_capex(est, 10, 1, start_year=2027, file=option.file)
    assert err.value.location == "option.plan"


# ----------------------------------------------------------------------------------------------
# the plan against the works
# ----------------------------------------------------------------------------------------------
def _plan_error(option: str, works: dict[str, WorksUnit]) -> InputError:
    with pytest.raises(InputError) as err:
        estimate_capex(load_option(option), works, _conv(), load_capex_benchmarks())
    assert err.value.file is not None and err.value.file.endswith(f"{option}.yaml")
    return err.value


def test_a_plan_unit_the_works_does_not_have() -> None:
    works = dict(works_of("psm-bf-revival"))
    del works["hot_strip_mill"]
    err = _plan_error("psm-bf-revival", works)
    assert err.location == "option.plan.hot_strip_mill"
    assert "does not have" in err.message
    assert "bf1" in (err.allowed or "") and "hot_strip_mill" not in (err.allowed or "")


def test_an_action_the_condition_does_not_allow() -> None:
    works = dict(works_of("psm-bf-revival"))
    works["bf1"] = replace(works["bf1"], condition="derelict")
    err = _plan_error("psm-bf-revival", works)
    assert err.location == "option.plan.bf1.action"
    assert "derelict" in err.message and err.allowed == "rebuild"
    works["bf1"] = replace(works["bf1"], condition="operating")
    assert _plan_error("psm-bf-revival", works).location == "option.plan.bf1.action"


def test_a_unit_the_scenario_restores_but_the_plan_forgets() -> None:
    works = dict(works_of("psm-one-line"))  # one furnace line: bf2 and coke_battery_1 stay idle
    works["bf2"] = replace(works["bf2"], in_service=True)  # a scenario that restores bf2 too
    err = _plan_error("psm-phase-one", works)
    assert err.location == "option.plan"
    assert "bf2" in err.message and "clear_and_reline" in (err.allowed or "")


def test_a_plan_unit_the_scenario_leaves_idle() -> None:
    works = dict(works_of("psm-one-line"))
    works["bof1"] = replace(works["bof1"], in_service=False)
    err = _plan_error("psm-phase-one", works)
    assert err.location == "option.plan.bof1" and "does not bring it into service" in err.message


def test_a_plan_unit_without_a_capex_kind(write_option: Callable[[dict], Path]) -> None:
    works = {"mill": replace(MILL, capex_kind=None)}
    with pytest.raises(InputError, match="no capex_kind") as err:
        estimate_capex(load_option(write_option({})), works, _conv(), load_capex_benchmarks())
    assert err.value.location == "option.plan.mill"


def test_an_action_capex_yaml_does_not_price(write_option: Callable[[dict], Path]) -> None:
    works = {"mill": _unit("mill", "eaf", "repairable", 1e6)}  # an EAF has no restore benchmark
    with pytest.raises(InputError, match="no cost for action 'restore'") as err:
        estimate_capex(
            load_option(write_option({"plan.mill.action": "restore"})), works, _conv(), load_capex_benchmarks()
        )
    assert err.value.location == "capex.kinds.eaf.actions" and err.value.allowed == "new"
    assert (err.value.file or "").endswith("capex.yaml")


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"plan.mill.action": "demolish"}, "option.plan.mill.action"),
        ({"plan.mill.year": 2020}, "option.plan.mill.year"),
        ({"plan.mill.phase": 1}, "option.plan.mill.phase"),
        ({"plan": {}}, "option"),
        (
            {"capex.infrastructure": {"share_of_direct": 0.1, "life_years": -5, "source": "test"}},
            "option.capex.infrastructure.life_years",
        ),
        ({"ramp_up.fractions": [1.5]}, "option.ramp_up.fractions.0"),
        ({"units": {}}, "option.units"),  # capital blocks of their own are gone from the option files
        (
            {
                "calibration": {
                    "total": {"amount": "1e9 USD", "year": 2025, "source": "test"},
                    "shares": {"mill": 0.9},
                    "source": "test",
                }
            },
            "option.calibration",
        ),
        (
            {
                "calibration": {
                    "total": {"amount": "1e9 USD", "year": 2025, "source": "test"},
                    "shares": {"mill": 0.5, "bf9": 0.5},
                    "source": "test",
                }
            },
            "option.calibration.shares",
        ),
    ],
)
def test_bad_option_input(write_option: Callable[[dict], Path], change: dict, location: str) -> None:
    with pytest.raises(InputError) as err:
        load_option(write_option(change))
    assert err.value.location == location
    assert err.value.file is not None and err.value.file.endswith("changed.yaml")


def test_unknown_capex_kind_is_an_input_error(write_option: Callable[[dict], Path]) -> None:
    works = {"mill": replace(MILL, capex_kind="teleporter", cost=None)}
    with pytest.raises(InputError, match="does not price") as err:
        estimate_capex(load_option(write_option({})), works, _conv(), load_capex_benchmarks())
    assert "blast_furnace" in (err.value.allowed or "")
    assert err.value.location == "units.mill.capex_kind"


# ----------------------------------------------------------------------------------------------
# lifecycle fields of the unit table (validated in schema)
# ----------------------------------------------------------------------------------------------
def _mini_works(tmp_path: Path, change: Callable[[dict], None]) -> Path:
    import yaml

    examples = Path(__file__).resolve().parents[2] / "examples" / "mini-works"
    target = tmp_path / "mini-works"
    shutil.copytree(examples, target)  # self-contained: its paths are relative to its own files
    plant = yaml.safe_load((target / "plant.yaml").read_text())
    change(plant["plant"]["units"])
    (target / "plant.yaml").write_text(yaml.safe_dump(plant))
    return target / "scenario.yaml"


def test_a_lifecycle_field_without_its_source(tmp_path: Path) -> None:
    def change(units: dict) -> None:
        del units["eaf"]["sources"]["life_years"]
        units["eaf"]["lead_time_years"] = 2

    with pytest.raises(InputError, match="need a source") as err:
        load_scenario(_mini_works(tmp_path, change))
    assert "units.eaf" in (err.value.location or "")
    assert "sources: {life_years: '...', lead_time_years: '...'}" in err.value.message


def test_a_reline_needs_a_capex_kind(tmp_path: Path) -> None:
    def change(units: dict) -> None:
        del units["eaf"]["capex_kind"]
        units["eaf"]["reline"] = {"interval_years": 15, "duration_days": 100}
        units["eaf"]["sources"]["reline"] = "test"

    with pytest.raises(InputError, match="needs a capex_kind"):
        load_scenario(_mini_works(tmp_path, change))


def test_frozen_is_a_condition_a_scenario_can_restore(tmp_path: Path) -> None:
    def frozen(units: dict) -> None:
        units["eaf"]["condition"] = "frozen"

    path = _mini_works(tmp_path, frozen)
    text = path.read_text().replace(
        "build: [eaf, billet_caster, bar_mill]", "build: [billet_caster, bar_mill]\n  restore: [eaf]"
    )
    path.write_text(text)
    resolved = load_scenario(path)
    assert resolved.restored == ["eaf"] and resolved.conditions["eaf"] == "frozen"
    works = works_table(resolved, build_plant(resolved))
    assert works["eaf"].brought_in and works["eaf"].actions == ("clear_and_reline", "rebuild")

    def broken(units: dict) -> None:
        units["eaf"]["condition"] = "broken"

    with pytest.raises(InputError) as err:
        load_scenario(_mini_works(tmp_path / "second", broken))
    assert "frozen" in (err.value.allowed or "") and "derelict" in (err.value.allowed or "")
