"""Capital plans: scaling, top-down split, reconciliation, timing of relines and errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from steelworks.economics.capex import estimate_capex, reconcile, schedule_capex
from steelworks.economics.prices import Converter
from steelworks.errors import InputError
from steelworks.schema.economics import load_capex_benchmarks, load_option, load_price_deck

CPI = {2010: 218.056, 2019: 255.657, 2025: 322.2}


def _conv() -> Converter:
    return Converter(load_price_deck("pk-2025"))


def test_six_tenths_scaling_by_hand(write_option: Callable[[dict], Path]) -> None:
    path = write_option(
        {"units.mill": {"kind": "hot_strip_mill", "action": "new", "capacity": "1 Mt/yr", "source": "test"}}
    )
    est = estimate_capex(load_option(path), _conv(), load_capex_benchmarks())
    # 113 USD(2010)/t x 4 Mt x (1/4)^0.6, escalated 2010 -> 2025 [S17]
    hand = 113 * 4e6 * (1 / 4) ** 0.6 * CPI[2025] / CPI[2010]
    assert est.lines[0].epc_usd == pytest.approx(hand, rel=1e-12)
    assert est.lines[0].replacement_usd == pytest.approx(hand, rel=1e-12)
    assert est.lines[0].duration == 3


def test_restore_action_is_a_fraction_of_new(write_option: Callable[[dict], Path]) -> None:
    path = write_option(
        {
            "units.mill": {
                "kind": "blast_furnace",
                "action": "restore",
                "capacity": "2 Mt/yr",
                "source": "test",
            }
        }
    )
    est = estimate_capex(load_option(path), _conv(), load_capex_benchmarks())
    assert est.lines[0].epc_usd == pytest.approx(0.4 * 300 * 2e6)  # [S3]: 400 M restore vs 1 bn new
    assert est.lines[0].replacement_usd == pytest.approx(300 * 2e6)


def test_bf_revival_top_down_reconciles_with_the_russian_figure() -> None:
    option = load_option("psm-bf-revival")
    est = estimate_capex(option, _conv(), load_capex_benchmarks())
    assert est.top_down_usd == pytest.approx(1.91e9)
    assert est.epc_usd == pytest.approx(1.91e9)  # shares sum to 1
    assert est.total_usd == pytest.approx(1.91e9 * 1.15)  # + 5 % owner's + 10 % contingency
    table = reconcile(est)
    assert sum(row["used_usd"] for row in table["units"]) == pytest.approx(1.91e9)
    # bottom-up benchmarks are shown next to it; the Russian figure is about twice the benchmark restore
    assert 0.3 < table["bottom_up_over_used"] < 1.0


def test_eaf_option_top_down_total() -> None:
    est = estimate_capex(load_option("psm-eaf"), _conv(), load_capex_benchmarks())
    assert est.epc_usd == pytest.approx(1.05e9)


def test_relines_recur_at_the_stated_interval() -> None:
    option = load_option("psm-bf-revival")
    est = estimate_capex(option, _conv(), load_capex_benchmarks())
    sched = schedule_capex(est, 40, 1, start_year=2027)
    c = sched.commissioning[0]
    assert c == 3  # 3-year restore -> first production in 2030
    years = np.flatnonzero(sched.recurring)
    # bf1 every 15 years after commissioning, bf2 first after 17, then every 15
    assert list(years) == [c + 15, c + 17, c + 30, c + 32]
    bf1 = next(line for line in est.lines if line.uid == "bf1")
    assert sched.recurring[c + 15] == pytest.approx(0.2 * bf1.replacement_usd)
    assert sched.output_loss[c + 15] == pytest.approx(0.14)
    assert sched.output_loss[c + 16] == 0.0


def test_construction_after_the_horizon_is_an_input_error(write_option: Callable[[dict], Path]) -> None:
    option = load_option(write_option({"units.mill.start_offset_years": 9}))
    est = estimate_capex(option, _conv(), load_capex_benchmarks())
    with pytest.raises(InputError, match="after the horizon") as err:
        schedule_capex(est, 10, 1, start_year=2027, file=option.file)
    assert err.value.location == "option.units"


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"units.mill.life_years": -5}, "option.units.mill.life_years"),
        ({"units.mill.action": "demolish"}, "option.units.mill.action"),
        ({"units.mill.profile": [0.5, 0.6]}, "option.units.mill"),
        ({"units.mill.cost.amount": "100e6 ZZZ"}, "option.units.mill.cost.amount"),
        ({"ramp_up.fractions": [1.5]}, "option.ramp_up.fractions.0"),
    ],
)
def test_bad_option_input(write_option: Callable[[dict], Path], change: dict, location: str) -> None:
    with pytest.raises(InputError) as err:
        load_option(write_option(change))
    assert err.value.location == location
    assert err.value.file is not None and err.value.file.endswith("changed.yaml")


def test_unknown_kind_without_cost_is_an_input_error(write_option: Callable[[dict], Path]) -> None:
    option = load_option(
        write_option({"units.mill": {"kind": "teleporter", "action": "new", "life_years": 10, "source": "test"}})
    )
    with pytest.raises(InputError, match="no cost benchmark") as err:
        estimate_capex(option, _conv(), load_capex_benchmarks())
    assert "blast_furnace" in (err.value.allowed or "")
