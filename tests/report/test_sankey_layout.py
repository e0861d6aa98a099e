"""Flowsheet Sankey layout: stage order is monotone along every non-recycle link; recycles are declared."""

from __future__ import annotations

import pytest

from steelworks.api import run_balance
from steelworks.report.sankey import (
    STAGE_NAMES,
    carrier_group,
    flow_weights,
    layout_flows,
    sankey_figures,
    unit_kinds,
)


@pytest.fixture(scope="module")
def psm():  # type: ignore[no-untyped-def]
    return run_balance("psm")


def test_forward_links_go_left_to_right_and_recycles_are_flagged(psm) -> None:  # type: ignore[no-untyped-def]
    mass, _ = flow_weights(psm.results)
    lay = layout_flows(psm.report["flows"], mass, unit_kinds(psm.results), view="process")
    assert lay.source, "no links laid out"
    for s, t, r in zip(lay.source, lay.target, lay.recycle, strict=True):
        if not r:
            assert lay.stage[s] < lay.stage[t], (lay.nodes[s], lay.nodes[t])
            assert lay.x[s] < lay.x[t]
        else:
            assert lay.stage[t] <= lay.stage[s]
    idx = {n: i for i, n in enumerate(lay.nodes)}
    # iron from ore to coil: purchases < sinter < bf < bof < caster < hot strip mill < sales
    path = ["purchases", "sinter_plant", "bf1", "bof1", "slab_caster_1", "hot_strip_mill", "sales"]
    xs = [lay.x[idx[n]] for n in path]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert lay.stage[idx["sales"]] == len(STAGE_NAMES) - 1
    # works gas from the BF back to the coke ovens is a recycle (same/earlier stage)
    bf_to_coke = [
        r
        for s, t, c, r in zip(lay.source, lay.target, lay.carrier, lay.recycle, strict=True)
        if lay.nodes[s] == "bf1" and lay.nodes[t] == "coke_battery_1" and c == "bf_gas"
    ]
    assert bf_to_coke == [True]


def test_recycle_view_and_threshold_and_groups(psm) -> None:  # type: ignore[no-untyped-def]
    mass, _ = flow_weights(psm.results)
    kinds = unit_kinds(psm.results)
    flows = psm.report["flows"]
    rec = layout_flows(flows, mass, kinds, view="recycles")
    assert rec.recycle and all(rec.recycle)
    full = layout_flows(flows, mass, kinds, min_share=0.0)
    coarse = layout_flows(flows, mass, kinds, min_share=0.01)
    assert len(coarse.value) < len(full.value)
    assert min(coarse.value) >= coarse.hidden_below > 0
    iron = layout_flows(flows, mass, kinds, groups=("iron-bearing",))
    assert {carrier_group(c) for c in iron.carrier} == {"iron-bearing"}
    assert carrier_group("bf_gas") == "fuels & gases" and carrier_group("limestone") == "fluxes"


def test_figures_have_fixed_positions_and_units_on_hover(psm) -> None:  # type: ignore[no-untyped-def]
    figs = sankey_figures(psm.results, psm.report["flows"])
    assert len(figs) == 2
    trace = figs[0].data[0]
    assert trace.arrangement == "fixed"
    assert len(trace.node.x) == len(trace.node.label)
    assert "t/yr" in trace.link.hovertemplate
    assert "GJ/yr" in figs[1].data[0].link.hovertemplate
