"""The blend LP against hand-solved cases, its infeasibility diagnosis, and the coupled works (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from steelworks.errors import InputError
from steelworks.schema.sourcing import BlendLimits, Leg, Limit, OreAnalysis, Route, Source
from steelworks.sourcing.blend import BlendDemand, solve_blend
from steelworks.sourcing.data import DATA_DIR, SourcingData


def _ore(fe: float, p: float, price: float, moisture: float = 0.0) -> Source:
    a = OreAnalysis(Fe=fe, SiO2=0, Al2O3=0, CaO=0, MgO=0, P=p, S=0, Mn=0, alkalis=0, LOI=0)
    return Source(
        carrier="iron_ore_fines",
        analysis=a,
        moisture_frac=moisture,
        price_usd_per_t=price,
        price_basis="CFR",
        currency="USD",
        price_date="2025",
        foreign_exchange=True,
        capacity_t_per_yr=1e9,
        source="test",
    )


def _leg(cost: float = 0.0, capacity: float = 1e9) -> Leg:
    return Leg(
        mode="rail",
        distance_km=100,
        cost_usd_per_t=cost,
        cost_usd_per_t_km=0,
        capacity_t_per_yr=capacity,
        transit_days=1,
        co2_kg_per_t_km=0.02,
        source="test",
    )


def _limits(p: float = 1.5) -> BlendLimits:
    big = Limit(value=1e6, source="test")
    return BlendLimits(
        sinter_basicity_min=Limit(value=0, source="test"),
        sinter_basicity_max=big,
        burden_sio2_kg_per_thm=big,
        burden_al2o3_kg_per_thm=big,
        p_kg_per_thm=Limit(value=p, source="test"),
        alkali_kg_per_thm=big,
        coal_ash_max=Limit(value=1, source="test"),
        coal_s_max=Limit(value=1, source="test"),
        concentrate_share_of_sinter_feed_max=Limit(value=1, source="test"),
    )


def _data(b_moisture: float = 0.0, b_leg: Leg | None = None, p_b: float = 0.003) -> SourcingData:
    return SourcingData(
        sources={"A": _ore(0.60, 0.0005, 100.0), "B": _ore(0.40, p_b, 30.0, b_moisture)},
        legs={"leg_a": _leg(), "leg_b": b_leg or _leg()},
        routes={"ra": Route(source="A", legs=["leg_a"]), "rb": Route(source="B", legs=["leg_b"])},
        sources_file="<test>",
        logistics_file="<test>",
        limits=_limits(),
        limits_file="<test>",
    )


DEMAND = BlendDemand(
    fe_sinter_feed_t=600.0,
    fe_lump_t=0.0,
    coking_coal_t=0.0,
    pci_coal_t=0.0,
    scrap_t=0.0,
    limestone_other_t=0.0,
    dolomite_other_t=0.0,
    hot_metal_t=1000.0,
    sinter_t=0.0,
)


def test_two_ores_phosphorus_limit_binding() -> None:
    """Ore A 60 % Fe, 0.05 % P, 100 USD/t; ore B 40 % Fe, 0.30 % P, 30 USD/t; 600 t Fe; P <= 1.5 kg/tHM
    on 1000 t hot metal = 1.5 t P. B is cheaper per t Fe (75 vs 167 USD), so the LP buys B until P binds:

        0.6 a + 0.4 b = 600  ->  a = 1000 - 2b/3
        0.0005 a + 0.003 b = 1.5  ->  0.5 + 0.0026667 b = 1.5  ->  b = 375, a = 750
        cost = 750 x 100 + 375 x 30 = 86,250 USD
    """
    r = solve_blend(_data(), DEMAND)
    buy = dict(zip(r.table.ids, r.buy, strict=True))
    assert buy["ra"] == pytest.approx(750.0, rel=1e-7)
    assert buy["rb"] == pytest.approx(375.0, rel=1e-7)
    assert r.cost_usd == pytest.approx(86_250.0, rel=1e-7)
    assert "burden_p" in r.binding and r.chemistry()["p_kg_per_thm"] == pytest.approx(1.5, rel=1e-7)
    assert r.fx_usd == pytest.approx(r.cost_usd)  # both ores paid in foreign currency, legs free


def test_route_capacity_binding() -> None:
    """No P limit in the way (B without P). B travels on a leg of 500 wet t/yr at 10 USD/wet t and ships
    at 20 % moisture: at most 500 x 0.8 = 400 dry t, each costing 30 + 10/0.8 = 42.5 USD (106 USD/t Fe,
    still below A's 167). So b = 400, a = (600 - 0.4 x 400)/0.6 = 733.33, cost = 73,333.33 + 17,000
    = 90,333.33 USD; transport CO2 of B = 500 wet t x 100 km x 0.02 kg = 1 t.
    """
    r = solve_blend(_data(b_moisture=0.2, b_leg=_leg(cost=10.0, capacity=500.0), p_b=0.0), DEMAND)
    buy = dict(zip(r.table.ids, r.buy, strict=True))
    assert buy["rb"] == pytest.approx(400.0, rel=1e-7)
    assert buy["ra"] == pytest.approx(733.333333, rel=1e-7)
    assert r.cost_usd == pytest.approx(90_333.3333, rel=1e-7)
    assert "leg_capacity:leg_b" in r.binding
    rows = {row["route"]: row for row in r.rows()}
    assert rows["rb"]["transport_co2_t_per_yr"] == pytest.approx(1.0, rel=1e-9)
    assert rows["ra"]["transport_co2_t_per_yr"] == pytest.approx(733.333333 * 100 * 0.02 / 1000, rel=1e-7)


def test_infeasible_limit_names_the_constraint() -> None:
    """P <= 0.2 kg/tHM: even ore A alone brings 1000 t x 0.0005 = 0.5 t P > 0.2 t."""
    data = _data()
    with pytest.raises(InputError) as e:
        solve_blend(data, DEMAND, _limits(p=0.2))
    assert e.value.location == "constraint burden_p"
    assert "burden_p off by 0.3" in e.value.message  # 0.5 - 0.2 t P


def test_infeasible_limit_via_cli_exits_2(tmp_path: Path) -> None:
    limits = tmp_path / "limits.yaml"
    text = (DATA_DIR / "limits.yaml").read_text()
    assert "value: 1.5\n" in text
    limits.write_text(text.replace("value: 1.5\n", "value: 0.1\n", 1))
    plant = (DATA_DIR.parent / "plants" / "psm.yaml").resolve()
    scen = tmp_path / "s.yaml"
    scen.write_text(
        f"scenario:\n  name: t\n  plant: {plant}\n  restore: all\n  demand: {{hot_rolled_coil: 400 kt/year}}\n"
        f"sourcing:\n  limits_file: {limits}\n"
    )
    from steelworks.cli import app

    res = CliRunner().invoke(app, ["source", str(scen)])
    assert res.exit_code == 2, res.output
    assert "burden_p" in res.output and "Traceback" not in res.output


def test_coupled_psm_sourcing_closes_and_settles() -> None:
    """The fixed point: the LP's Fe, coal and scrap are what the solved works consumes (rel 1e-6)."""
    from steelworks.sourcing.coupling import demand_from
    from steelworks.sourcing.run import run_sourcing

    run = run_sourcing("psm-sourcing")
    c = run.coupled
    assert c.residual < 1e-6 and c.iterations <= 10
    d = demand_from(c.balance)
    carriers = c.blend.carriers()
    fe = carriers["iron_ore_fines"]["analysis"]["Fe"] * carriers["iron_ore_fines"]["t_per_yr"]
    assert fe == pytest.approx(d.fe_sinter_feed_t, rel=1e-6)
    assert carriers["coking_coal"]["t_per_yr"] == pytest.approx(d.coking_coal_t, rel=1e-6)
    assert carriers["scrap"]["t_per_yr"] == pytest.approx(d.scrap_t, rel=1e-6)
    assert c.blend.chemistry()["domestic_fe_share"] == pytest.approx(0.0, abs=1e-9)
    assert max(c.lp_seconds[1:]) < 1.0  # one yearly LP (build + solve), warm


def test_domestic_sweep_moves_coke_as_the_reference() -> None:
    """process_coefficients.md §5.1: +1 %-point burden Fe -> -(1-1.5) % fuel rate. More domestic ore
    lowers the burden Fe and must raise the coke and fuel rate by that much (band widened to 0.8-1.7 %
    for the model's own heat balance)."""
    from steelworks.report.sourcing import sweep_points
    from steelworks.sourcing.run import sweep

    rows = sweep_points(sweep("psm-domestic-ore", np.array([0.0, 0.3])))
    lo, hi = rows
    assert lo["feasible"] and hi["feasible"]
    assert hi["burden_fe"] < lo["burden_fe"]
    assert hi["coke_rate_kg_per_thm"] > lo["coke_rate_kg_per_thm"]
    d_fe_points = (hi["burden_fe"] - lo["burden_fe"]) * 100
    d_fuel_pct = (hi["fuel_rate_kg_per_thm"] / lo["fuel_rate_kg_per_thm"] - 1) * 100
    assert -1.7 <= d_fuel_pct / d_fe_points <= -0.8
    assert hi["fx_saved_usd_per_yr"] > 0


def test_cli_json_has_the_sourcing_table() -> None:
    from steelworks.cli import app

    res = CliRunner().invoke(app, ["source", "psm-sourcing", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {r["source"] for r in data["routes"]} >= {"seaborne_fines_62", "au_hard_coking_coal"}
    assert data["works"]["economics"]["cash_cost_usd_per_t"] > 0


def test_entry_cut_of_a_route_not_bought() -> None:
    """Ore C is ore A (60 % Fe, 0.05 % P) at 120 instead of 100 USD/t: it enters only 20 USD/t cheaper.
    (The reduced cost c - A^T y of its column: the same rows as A, 20 USD more.)"""
    data = _data()
    data = SourcingData(
        {**data.sources, "C": _ore(0.60, 0.0005, 120.0)},
        {**data.legs, "leg_c": _leg()},
        {**data.routes, "rc": Route(source="C", legs=["leg_c"])},
        "<test>",
        "<test>",
        limits=_limits(),
        limits_file="<test>",
    )
    r = solve_blend(data, DEMAND)
    (unused,) = r.unused()
    assert unused["route"] == "rc"
    assert unused["entry_cut_usd_per_t"] == pytest.approx(20.0, rel=1e-7)


def test_compose_into_a_given_model() -> None:
    """add_blend adds to a model that already holds the caller's own variables; same optimum."""
    import linopy

    from steelworks.sourcing.blend import _run, add_blend

    m = linopy.Model()
    other = m.add_variables(lower=0, upper=5, name="planner_x")
    h = add_blend(m, _data(), DEMAND)
    m.add_objective(h.cost - other)
    assert _run(m) == "optimal"
    buy = dict(zip(h.table.ids, np.asarray(h.buy.solution.values), strict=True))
    assert buy["rb"] == pytest.approx(375.0, rel=1e-7) and float(other.solution) == pytest.approx(5.0)


def test_sinter_strand_limits_domestic_ore_and_names_it() -> None:
    """psm with its strand at 1.38 Mt/yr cannot take half its Fe from domestic ore (more gangue, more sinter)."""
    from steelworks.sourcing.run import run_sourcing

    with pytest.raises(InputError) as e:
        run_sourcing("psm", domestic_share=0.5)
    assert e.value.location == "constraint sinter_capacity"
    assert e.value.file is not None and e.value.file.endswith("psm.yaml")


def test_bad_sourcing_block_exits_2(tmp_path: Path) -> None:
    from steelworks.cli import app

    plant = (DATA_DIR.parent / "plants" / "psm.yaml").resolve()
    scen = tmp_path / "s.yaml"
    scen.write_text(
        f"scenario:\n  name: t\n  plant: {plant}\n  restore: all\n  demand: {{hot_rolled_coil: 400 kt/year}}\n"
        "sourcing:\n  exclude: [no_such_mine]\n"
    )
    res = CliRunner().invoke(app, ["source", str(scen)])
    assert res.exit_code == 2 and "no_such_mine" in res.output and "sourcing.exclude" in res.output
    res = CliRunner().invoke(app, ["source", "psm-sourcing", "--sweep", "domestic-ore-share", "0:2:3"])
    assert res.exit_code == 2 and "--sweep" in res.output


def test_sweep_via_cli_writes_the_chart(tmp_path: Path) -> None:
    from steelworks.cli import app

    out = tmp_path / "f.html"
    res = CliRunner().invoke(
        app,
        ["source", "psm", "--sweep", "domestic-ore-share", "0:0.5:2", "--html", str(out), "--format", "json"],
    )
    assert res.exit_code == 0, res.output
    points = json.loads(res.stdout)["points"]
    assert [p["feasible"] for p in points] == [True, False]  # half domestic Fe: psm's sinter strand is full
    assert "sinter_capacity" in points[1]["reason"]
    assert out.stat().st_size > 100_000 and "plotly" in out.read_text()[:5000].lower()
