"""What ``steelworks plan`` prints: the year x unit action grid and the yearly figures of a solved plan."""

from __future__ import annotations

from typing import Any

from steelworks.planning.model import PlanResult

#: one letter per action in the grid; '=' under construction, '#' in service, '.' idle
CODES = {"restore": "R", "rebuild": "B", "clear_and_reline": "C", "new": "N"}


def action_grid(result: PlanResult) -> dict[str, str]:
    """Unit -> one character per year: the action's letter in its start year, '=' while it is built,
    '#' in service, '.' otherwise. Units the plan does not touch are left out."""
    prob = result.problem
    years = prob.years
    acts = {(a.unit, a.name): a for a in prob.actions}
    grid: dict[str, list[str]] = {}
    for row in result.actions:
        act = acts[(row["unit"], row["action"])]
        cells = grid.setdefault(row["unit"], ["."] * len(years))
        s = row["start_year"] - years[0]
        c = s + act.duration
        for t in range(s, min(len(years), c + act.life)):
            cells[t] = "=" if t < c else "#"
        cells[s] = CODES.get(row["action"], "?")
    return {uid: "".join(cells) for uid, cells in grid.items()}


def yearly_rows(result: PlanResult) -> list[dict[str, Any]]:
    """Per year: crude steel, products sold, capital, cash flow (cost-year USD)."""
    prob = result.problem
    products = [c for c in result.sales if prob.market_cap[prob.carrier_index(c)].max() < float("inf")]
    rows = []
    for t, year in enumerate(prob.years):
        rows.append(
            {
                "year": year,
                "crude_steel_t": result.lines["crude_steel_t"][t],
                "products_sold_t": sum(result.sales[c][t] for c in products),
                "capex_usd": result.capex_by_year[t],
                "cash_flow_usd": result.lines["cash"][t],
                "co2_t": result.extra["co2_t"][t] if "co2_t" in result.extra else None,
            }
        )
    return rows
