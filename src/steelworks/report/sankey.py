"""Interactive plotly Sankey diagrams of the material (t/yr) and energy (GJ/yr, LHV) flows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from steelworks.fileio import write_text
from steelworks.report.balance import ATMOSPHERE, FUEL, MARKET
from steelworks.results import WorksResults

PURCHASES = "purchases"
SALES = "sales"
# one colour per carrier (links), so that a flow can be followed across the works
_PALETTE = (
    "31,119,180",
    "255,127,14",
    "44,160,44",
    "214,39,40",
    "148,103,189",
    "140,86,75",
    "227,119,194",
    "127,127,127",
    "188,189,34",
    "23,190,207",
)


def _colour(carrier: str, order: list[str]) -> str:
    if carrier not in order:
        order.append(carrier)
    return f"rgba({_PALETTE[order.index(carrier) % len(_PALETTE)]},0.45)"


def _links(
    flows: list[dict[str, Any]], weight: dict[str, float], min_share: float
) -> tuple[list[str], dict[str, list]]:
    rows = [f for f in flows if f["carrier"] in weight and weight[f["carrier"]] > 0]
    total = sum(f["amount"] * weight[f["carrier"]] for f in rows) or 1.0
    nodes: list[str] = []
    index: dict[str, int] = {}

    def node(name: str) -> int:
        if name not in index:
            index[name] = len(nodes)
            nodes.append(name)
        return index[name]

    links: dict[str, list] = {"source": [], "target": [], "value": [], "label": [], "color": []}
    order: list[str] = []
    for f in rows:
        value = f["amount"] * weight[f["carrier"]]
        if value < min_share * total:
            continue
        src = PURCHASES if f["source"] == MARKET else f["source"]
        dst = SALES if f["target"] == MARKET else f["target"]
        links["source"].append(node(src))
        links["target"].append(node(dst))
        links["value"].append(value)
        links["label"].append(f["carrier"])
        links["color"].append(_colour(f["carrier"], order))
    return nodes, links


def sankey_figures(
    res: WorksResults, flows: list[dict[str, Any]], s: int = 0, min_share: float = 1e-4
) -> list[go.Figure]:
    """Two Sankey figures: material flows (t/yr) and energy flows (GJ/yr LHV, electricity at 3.6 GJ/MWh)."""
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
    figures = []
    for title, weight, unit in (
        ("Material flows", mass_weight, "t/yr"),
        ("Energy flows (LHV)", energy_weight, "GJ/yr"),
    ):
        nodes, links = _links(flows, weight, min_share)
        fig = go.Figure(
            go.Sankey(
                arrangement="snap",
                node={
                    "label": nodes,
                    "pad": 12,
                    "thickness": 14,
                    "color": ["#888" if n in (PURCHASES, SALES, ATMOSPHERE) else "#1f77b4" for n in nodes],
                },
                link={**links, "hovertemplate": "%{label}: %{value:,.0f} " + unit + "<extra></extra>"},
            )
        )
        fig.update_layout(
            title=f"{res.plant_name} — {title} ({unit}), scenario {res.scenario}", height=800, font={"size": 11}
        )
        figures.append(fig)
    return figures


def write_sankey_html(res: WorksResults, flows: list[dict[str, Any]], path: Path, s: int = 0) -> None:
    figures = sankey_figures(res, flows, s)
    parts = [pio.to_html(fig, full_html=False, include_plotlyjs=(i == 0)) for i, fig in enumerate(figures)]
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>steelworks Sankey</title></head><body>"
        + "".join(parts)
        + "</body></html>"
    )
    write_text(path, html, option="--sankey")  # atomic: never a half-written page
