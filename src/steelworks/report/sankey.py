"""Interactive plotly Sankey diagrams of the material (t/yr) and energy (GJ/yr, LHV) flows, laid out as a flowsheet.

Nodes are placed by process stage (raw materials -> coke/sinter -> iron -> steel -> casting -> rolling ->
finishing -> products/atmosphere) with explicit x/y; utilities (blower, oxygen, power, boilers) sit in a band
at the bottom. A link that goes backwards or stays within a stage is a *recycle* (return fines, works gases to
the ovens/stoves, scrap back to the converters): in the ``process`` view they are drawn in a pale hatched-grey
so the forward path reads left to right; the ``recycles`` view shows only them. Links are coloured by carrier
group (iron-bearing, fuels & gases, fluxes, utilities, by-products) and flows below ``min_share`` of the
total are hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import plotly.graph_objects as go
import plotly.io as pio

from steelworks.fileio import write_text
from steelworks.report.balance import ATMOSPHERE, FUEL, MARKET
from steelworks.results import WorksResults

PURCHASES = "purchases"
SALES = "sales"
View = Literal["all", "process", "recycles"]

# process stage of each unit kind (column of the flowsheet, left to right)
STAGE_NAMES = (
    "raw materials",
    "receiving",
    "coke / sinter / kilns",
    "iron",
    "steel",
    "casting",
    "rolling",
    "finishing",
    "products / atmosphere",
)
_KIND_STAGE = {
    "port": 1,
    "coke_oven": 2,
    "byproduct_plant": 2,
    "sinter": 2,
    "lime_kiln": 2,
    "dri": 2,
    "blast_furnace": 3,
    "mixer": 3,
    "converter": 4,
    "eaf": 4,
    "caster": 5,
    "rolling_mill": 6,
    "cold_mill": 7,
    "galvanizing": 7,
    # utilities: drawn in the bottom band of the column that feeds the iron and steel plants
    "air_separation": 2,
    "blower": 2,
    "boiler": 2,
    "power_plant": 2,
    "utility": 2,
}
UTILITY_KINDS = frozenset({"air_separation", "blower", "boiler", "power_plant", "utility"})

CARRIER_GROUPS: dict[str, list[str]] = {
    "iron-bearing": [
        "iron_ore_fines",
        "iron_ore_lump",
        "iron_ore_pellets",
        "dr_pellets",
        "local_ore_fines",
        "sinter",
        "hot_metal",
        "pig_iron",
        "scrap",
        "shredded_scrap",
        "dri",
        "liquid_steel",
        "slab",
        "bloom",
        "thin_slab",
        "billet",
        "hot_rolled_coil",
        "cold_rolled_coil",
        "galvanized_coil",
        "mill_scale",
        "dust_sludge",
    ],
    "fuels & gases": [
        "coking_coal",
        "coke",
        "coke_breeze",
        "pci_coal",
        "bf_gas",
        "coke_oven_gas",
        "converter_gas",
        "natural_gas",
        "hydrogen",
        "tar",
        "benzol",
        "fuel_heat",
        "electrodes",
    ],
    "fluxes": ["limestone", "dolomite", "burnt_lime", "burnt_dolomite"],
    "utilities": ["air", "cold_blast", "oxygen", "nitrogen", "electricity", "steam"],
}
GROUP_COLOURS = {
    "iron-bearing": "214,39,40",
    "fuels & gases": "44,44,44",
    "fluxes": "44,160,44",
    "utilities": "31,119,180",
    "by-products & other": "148,103,189",
}
RECYCLE_COLOUR = "rgba(160,160,160,0.30)"


def carrier_group(carrier: str) -> str:
    for group, members in CARRIER_GROUPS.items():
        if carrier in members:
            return group
    return "by-products & other"


def node_stage(name: str, unit_kind: dict[str, str]) -> int:
    if name == PURCHASES:
        return 0
    if name in (SALES, ATMOSPHERE, "losses"):
        return len(STAGE_NAMES) - 1
    return _KIND_STAGE.get(unit_kind.get(name, ""), 2)


@dataclass
class SankeyLayout:
    """Nodes with their stage and explicit x/y, and links with their recycle flag (pure data, testable)."""

    nodes: list[str] = field(default_factory=list)
    stage: list[int] = field(default_factory=list)
    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    source: list[int] = field(default_factory=list)
    target: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    carrier: list[str] = field(default_factory=list)
    recycle: list[bool] = field(default_factory=list)
    hidden_below: float = 0.0


def layout_flows(
    flows: list[dict[str, Any]],
    weight: dict[str, float],
    unit_kind: dict[str, str],
    min_share: float = 1e-4,
    view: View = "process",
    groups: tuple[str, ...] | None = None,
) -> SankeyLayout:
    """Weighted links between stage-placed nodes; ``groups`` keeps only those carrier groups."""
    rows = [f for f in flows if f["carrier"] in weight and weight[f["carrier"]] > 0]
    if groups is not None:
        rows = [f for f in rows if carrier_group(f["carrier"]) in groups]
    total = sum(f["amount"] * weight[f["carrier"]] for f in rows) or 1.0
    out = SankeyLayout(hidden_below=min_share * total)
    index: dict[str, int] = {}

    def node(name: str) -> int:
        if name not in index:
            index[name] = len(out.nodes)
            out.nodes.append(name)
            out.stage.append(node_stage(name, unit_kind))
        return index[name]

    for f in rows:
        value = f["amount"] * weight[f["carrier"]]
        if value < out.hidden_below:
            continue
        src = PURCHASES if f["source"] == MARKET else f["source"]
        dst = SALES if f["target"] == MARKET else f["target"]
        recycle = node_stage(dst, unit_kind) <= node_stage(src, unit_kind)
        if view == "recycles" and not recycle:
            continue
        out.source.append(node(src))
        out.target.append(node(dst))
        out.value.append(value)
        out.carrier.append(f["carrier"])
        out.recycle.append(recycle)
    _place(out, unit_kind)
    return out


def _place(out: SankeyLayout, unit_kind: dict[str, str]) -> None:
    n_stage = len(STAGE_NAMES)
    by_stage: dict[int, list[int]] = {}
    for i, st in enumerate(out.stage):
        by_stage.setdefault(st, []).append(i)
    out.x = [0.0] * len(out.nodes)
    out.y = [0.0] * len(out.nodes)
    for st, members in by_stage.items():
        # process units on top (alphabetical so twin units sit together), utilities in the bottom band
        members.sort(key=lambda i: (unit_kind.get(out.nodes[i], "") in UTILITY_KINDS, out.nodes[i]))
        for rank, i in enumerate(members):
            out.x[i] = 0.01 + 0.98 * st / (n_stage - 1)
            out.y[i] = 0.02 + 0.96 * (rank + 0.5) / len(members)


def _rgba(carrier: str, recycle: bool, view: View) -> str:
    if recycle and view != "recycles":
        return RECYCLE_COLOUR
    return f"rgba({GROUP_COLOURS[carrier_group(carrier)]},0.55)"


def sankey_figure(lay: SankeyLayout, title: str, unit: str, view: View = "process") -> go.Figure:
    labels = [f"recycle: {c}" if r and view != "recycles" else c for c, r in zip(lay.carrier, lay.recycle, strict=True)]
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            valueformat=",.0f",
            valuesuffix=f" {unit}",
            node={
                "label": lay.nodes,
                "x": lay.x,
                "y": lay.y,
                "pad": 8,
                "thickness": 14,
                "color": ["#666" if s in (0, len(STAGE_NAMES) - 1) else "#345" for s in lay.stage],
                "hovertemplate": "%{label}: %{value:,.0f} " + unit + "<extra></extra>",
            },
            link={
                "source": lay.source,
                "target": lay.target,
                "value": lay.value,
                "label": labels,
                "color": [_rgba(c, r, view) for c, r in zip(lay.carrier, lay.recycle, strict=True)],
                "hovertemplate": "%{label}<br>%{source.label} → %{target.label}: %{value:,.0f} "
                + unit
                + "<extra></extra>",
            },
        )
    )
    # the stage headings in one go (one add_annotation each re-validates all before it: 5x slower)
    headings = [
        {
            "x": 0.01 + 0.98 * st / (len(STAGE_NAMES) - 1),
            "y": 1.04,
            "xref": "paper",
            "yref": "paper",
            "text": name,
            "showarrow": False,
            "font": {"size": 10, "color": "#555"},
        }
        for st, name in enumerate(STAGE_NAMES)
    ]
    legend = (
        " · ".join(f"<span style='color:rgb({c})'>■</span> {g}" for g, c in GROUP_COLOURS.items())
        + " · <span style='color:#aaa'>■</span> recycle"
    )
    fig.update_layout(
        annotations=headings,
        title={"text": f"{title}<br><sup>{legend}; flows below {lay.hidden_below:,.0f} {unit} hidden</sup>"},
        height=760,
        font={"size": 11},
        margin={"l": 20, "r": 20, "t": 110, "b": 20},
    )
    return fig


def flow_weights(res: WorksResults, s: int = 0) -> tuple[dict[str, float], dict[str, float]]:
    """Per-carrier weights: mass (t -> t) and energy (-> GJ LHV, electricity at 3.6 GJ/MWh)."""
    info = res.carriers
    kind = info.kinds
    mass_weight = {cid: 1.0 for c, cid in enumerate(info.ids) if kind[c] != "energy"}
    mass_weight["losses"] = 1.0
    produced_mass = res["produced"][s].sum(axis=0)
    produced_energy = res["energy_out"][s].sum(axis=0)
    energy_weight: dict[str, float] = {}
    for c, cid in enumerate(info.ids):
        if cid == FUEL:
            continue
        if info.units[c] == "MWh":
            energy_weight[cid] = 3.6
        elif kind[c] == "energy":
            energy_weight[cid] = 1.0
        elif kind[c] == "gas" and produced_mass[c] > 0:
            energy_weight[cid] = float(produced_energy[c] / produced_mass[c])
        else:
            energy_weight[cid] = float(info.lhv_gj_per_t[c])
    return mass_weight, energy_weight


def unit_kinds(res: WorksResults) -> dict[str, str]:
    units = res.units
    return dict(zip(units.ids, units.kinds, strict=True))


def sankey_figures(
    res: WorksResults,
    flows: list[dict[str, Any]],
    s: int = 0,
    min_share: float = 1e-4,
    view: View = "process",
    groups: tuple[str, ...] | None = None,
) -> list[go.Figure]:
    """Two flowsheet Sankeys: material flows (t/yr) and energy flows (GJ/yr LHV, electricity at 3.6 GJ/MWh)."""
    return [flow_sankey(res, flows, which, s, min_share, view, groups) for which in ("material", "energy")]


def flow_sankey(
    res: WorksResults,
    flows: list[dict[str, Any]],
    which: Literal["material", "energy"] = "material",
    s: int = 0,
    min_share: float = 1e-4,
    view: View = "process",
    groups: tuple[str, ...] | None = None,
) -> go.Figure:
    """One of the two flowsheet Sankeys of :func:`sankey_figures` (the dashboard draws the one shown)."""
    mass_weight, energy_weight = flow_weights(res, s)
    title, weight, unit = (
        ("Material flows", mass_weight, "t/yr")
        if which == "material"
        else ("Energy flows (LHV)", energy_weight, "GJ/yr")
    )
    lay = layout_flows(flows, weight, unit_kinds(res), min_share, view, groups)
    return sankey_figure(lay, f"{res.plant_name} — {title} ({unit}), scenario {res.scenario}", unit, view)


def write_sankey_html(res: WorksResults, flows: list[dict[str, Any]], path: Path, s: int = 0) -> None:
    """The CLI's --sankey: the two process-view flowsheets (recycles drawn in grey, labelled 'recycle:')."""
    figures = sankey_figures(res, flows, s)
    parts = [pio.to_html(fig, full_html=False, include_plotlyjs=(i == 0)) for i, fig in enumerate(figures)]
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>steelworks Sankey</title></head><body>"
        + "".join(parts)
        + "</body></html>"
    )
    write_text(path, html, option="--sankey")  # atomic: never a half-written page
