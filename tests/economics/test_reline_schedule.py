"""Blast-furnace relines in the cash flows, read through the CLI JSON (the results contract).

Campaigns of 15 years (capex.yaml blast_furnace reline; options psm-bf-revival / psm-3mt [S21]):
bf1 relines 15 years after commissioning, bf2 17 (staggered so that one furnace always runs), and a
furnace the plant table adds (units_from_plant) also every 15 years. Catches the planted bug of
issue 7 §5 "reline interval 15 -> 20 years" wherever it is planted (option file or evaluate).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from steelworks.cli import app


def _evaluate(name: str) -> dict:
    result = CliRunner().invoke(app, ["evaluate", name, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("name", "after"), [("psm", [15, 17]), ("psm-one-line", [15])])
def test_relines_fall_in_the_15th_year_of_each_campaign(name: str, after: list[int]) -> None:
    out = _evaluate(name)
    start = out["kpis"]["commissioning_year"]
    years = [row["year"] for row in out["cash_flows"] if row["capex_reline_usd"] > 0]
    assert years == [start + a for a in after]


def test_a_reline_costs_a_fifth_of_a_new_furnace_and_a_hundred_days_of_one_furnace() -> None:
    out = _evaluate("psm")
    rows = {row["year"]: row for row in out["cash_flows"]}
    year = out["kpis"]["commissioning_year"] + 15
    # fraction_of_new 0.2 of the furnace's replacement value (capex.yaml [S21]), escalated to the year
    bf1 = next(u for u in out["capex"]["units"] if u["unit"] == "bf1")
    reline = rows[year]["capex_reline_usd"]
    assert 0.2 * bf1["replacement_value_usd"] <= reline <= 0.2 * bf1["replacement_value_usd"] * 1.02**25
    # 100 days down (psm.yaml bf1 reline) of one of two 0.60 Mt/yr furnaces: 0.5 x 100/365 of the year's output
    assert rows[year]["production_t"] / rows[year - 1]["production_t"] == pytest.approx(1 - 0.5 * 100 / 365, rel=1e-9)
