"""A self-contained HTML report of one scenario: inputs with sources, balance, Sankey, business case, comparison.

``steelworks report SCENARIO --html FILE`` and the dashboard's Report page write the same file. It embeds
plotly.js once and references nothing outside itself, so it opens offline and prints to PDF (print styles
put each part on its own page). It reads the results (an evaluated scenario, as
:mod:`steelworks.report.compare` reads it) and computes nothing of its own.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import plotly.io as pio

from steelworks.fileio import write_text
from steelworks.report.compare import Evaluation, comparison_figure, comparison_rows
from steelworks.report.params import parameter_rows
from steelworks.report.sankey import sankey_figures

_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:13px;color:#1d2733;margin:24px auto;max-width:1180px;
padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;border-bottom:2px solid #17324d;padding-bottom:3px;margin-top:28px}
h3{font-size:14px;margin:16px 0 6px}.note{color:#5b6775;font-size:12px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}th,td{border-bottom:1px solid #d8dee6;padding:3px 6px;
text-align:left;vertical-align:top}th{background:#eef2f6}td.n,th.n{text-align:right;white-space:nowrap;
font-variant-numeric:tabular-nums}tr.binding td{background:#fff1c2;font-weight:600}
.kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:8px}
.kpi{border:1px solid #d8dee6;border-left:4px solid #1f5f99;
padding:6px 10px}.kpi b{display:block;font-size:18px}
@media print{section{page-break-before:always}section:first-of-type{page-break-before:avoid}body{margin:0}}
"""

BINDING_SHARE = 0.98


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _n(value: float | None, digits: int = 0) -> str:
    if value is None or value != value:  # None or NaN
        return "-"
    return f"{value:,.{digits}f}" if abs(value) >= 0.5 * 10**-digits else "0"


def _table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    numeric: Sequence[bool] | None = None,
    highlight: Sequence[bool] | None = None,
) -> str:
    numeric = numeric if numeric is not None else [i > 0 for i in range(len(columns))]
    head = "".join(
        f"<th class='n'>{_e(c)}</th>" if n else f"<th>{_e(c)}</th>" for c, n in zip(columns, numeric, strict=True)
    )
    body = []
    for r, row in enumerate(rows):
        cells = "".join(
            f"<td class='n'>{_e(v)}</td>" if n else f"<td>{_e(v)}</td>" for v, n in zip(row, numeric, strict=True)
        )
        cls = " class='binding'" if highlight is not None and highlight[r] else ""
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _kpis(items: Sequence[tuple[str, str]]) -> str:
    return "<div class='kpis'>" + "".join(f"<div class='kpi'>{_e(k)}<b>{_e(v)}</b></div>" for k, v in items) + "</div>"


def _balance_part(report: dict[str, Any]) -> str:
    units = [u for u in report["units"] if u["condition"] != "not_built"]
    unit_rows = [
        [
            u["id"],
            u["kind"].replace("_", " "),
            u["condition"],
            f"{_n(u['output_t'])} {u['output_unit']}/yr",
            f"{_n(u['capacity_t'])} {u['output_unit']}/yr",
            f"{u['utilisation']:.1%}",
            f"{u['utilisation_of_available']:.1%}",
            _n(u["co2_direct_t"]),
        ]
        for u in units
    ]
    binding = [u["utilisation_of_available"] >= BINDING_SHARE and u["output_t"] > 0 for u in units]
    boundary = [[b["carrier"], _n(b["purchased"]), _n(b["sold"]), f"{b['unit']}/yr"] for b in report["boundary"]]
    balances = []
    for name, row in report["balances"].items():
        unit = "GJ" if name == "energy" else "t"
        k = unit.lower()
        balances.append(
            [name, f"{_n(row[f'in_{k}'])} {unit}/yr", f"{_n(row[f'out_{k}'])} {unit}/yr", f"{row['residual_rel']:.1e}"]
        )
    gases = [
        [g["gas"], _n(g["produced_gj"]), _n(sum(g["burned_gj"].values())), _n(g["sold_gj"]), _n(g["flared_gj"])]
        for g in report["works_gas"]
    ]
    co2 = [[u, _n(v)] for u, v in sorted(report["co2_by_unit_t"].items(), key=lambda kv: -kv[1])]
    return (
        "<section><h2>2. Balance of the works (one year)</h2>"
        "<h3>Units</h3><p class='note'>Highlighted: binding units "
        f"(at {BINDING_SHARE:.0%} or more of available capacity).</p>"
        + _table(
            [
                "unit",
                "kind",
                "condition",
                "throughput",
                "capacity",
                "utilisation, % of nameplate",
                "% of available",
                "direct CO2, t/yr",
            ],
            unit_rows,
            [False, False, False, True, True, True, True, True],
            binding,
        )
        + "<h3>Across the works boundary</h3>"
        + _table(["carrier", "bought", "sold", "unit"], boundary, [False, True, True, False])
        + "<h3>Balances and their residuals</h3>"
        + _table(["balance", "in", "out", "residual (relative, -)"], balances)
        + "<h3>Works gases</h3>"
        + _table(["gas", "made, GJ/yr", "burned in the works, GJ/yr", "sold, GJ/yr", "flared, GJ/yr"], gases)
        + "<h3>Direct CO2 by unit</h3>"
        + _table(["unit", "direct CO2, t/yr"], co2)
        + "</section>"
    )


def _business_part(data: dict[str, Any]) -> str:
    k = data["kpis"]
    figures = [
        ("capital cost (undiscounted), USD m", _n(k["capex_usd"] / 1e6)),
        (f"NPV at {k['discount_rate']:.1%} ({k.get('discount_rate_basis', '')}), USD m", _n(k["npv_usd"] / 1e6)),
        ("IRR (real)", "none" if k["irr"] is None else f"{k['irr']:.1%}"),
        ("payback, years", "never" if k["payback_years"] is None else f"{k['payback_years']:.1f}"),
        ("levelised cost of steel (break-even), USD/t", _n(k["lcos_usd_per_t"])),
        ("cash cost, USD/t", _n(k["cash_cost_usd_per_t"])),
        ("foreign exchange saved (steady state), USD m/yr", _n(k["fx_saved_usd_per_year"] / 1e6)),
        ("jobs direct / indirect", f"{_n(k['jobs_direct'])} / {_n(k['jobs_indirect'])}"),
        ("horizon, years", str(k["horizon_years"])),
    ]
    cols = [
        ("year", "year"),
        ("production, kt", "production_t"),
        ("capital", "capex_usd"),
        ("revenue", "revenue_usd"),
        ("raw materials", "raw_materials_usd"),
        ("energy", "energy_usd"),
        ("labour", "labour_usd"),
        ("maintenance", "maintenance_usd"),
        ("other fixed", "other_fixed_usd"),
        ("carbon", "carbon_cost_usd"),
        ("tax", "tax_usd"),
        ("net cash flow", "net_cash_flow_usd"),
    ]
    flows = []
    for row in data["cash_flows"]:
        flows.append(
            [str(row["year"]), _n(row["production_t"] / 1e3), *(_n(row.get(key, 0.0) / 1e6) for _, key in cols[2:])]
        )
    return (
        f"<section><h2>3. Business case: {_e(data['option_name'])} (prices {_e(data['price_deck'])})</h2>"
        + _table(["figure", "value"], figures)
        + "<h3>Cash flows (USD m, cost-year; production in kt)</h3>"
        + _table([c for c, _ in cols], flows)
        + "</section>"
    )


def _compare_part(rows: list[dict[str, Any]], baseline: str | None) -> str:
    fields = [
        ("option", lambda r: r["option_name"]),
        ("crude steel, Mt/yr", lambda r: _n(r["crude_steel_t"] / 1e6, 2)),
        ("capital cost, USD m", lambda r: _n(r["capex_usd"] / 1e6)),
        ("NPV, USD m", lambda r: _n(r["npv_usd"] / 1e6)),
        ("IRR (real)", lambda r: "none" if r["irr"] is None else f"{r['irr']:.1%}"),
        ("levelised cost, USD/t", lambda r: _n(r["lcos_usd_per_t"])),
        ("cash cost, USD/t", lambda r: _n(r["cash_cost_usd_per_t"])),
        ("FX saved, USD m/yr", lambda r: _n(r["fx_saved_usd_per_year"] / 1e6)),
        ("direct jobs", lambda r: _n(r["jobs_direct"])),
        (
            "CO2, t/t crude steel",
            lambda r: "-" if r["co2_t_per_t_crude_steel"] is None else f"{r['co2_t_per_t_crude_steel']:.2f}",
        ),
    ]
    if baseline:
        fields.append((f"NPV vs {baseline}, USD m", lambda r: _n((r.get("npv_vs_baseline_usd") or 0.0) / 1e6)))
    body = [[name, *(get(r) for r in rows)] for name, get in fields]
    chart = pio.to_html(comparison_figure(rows), full_html=False, include_plotlyjs=False, div_id="comparison")
    return (
        "<section><h2>6. Comparison with the other options</h2>"
        + _table(["figure", *(r["scenario"] for r in rows)], body)
        + chart
        + "</section>"
    )


def _inputs_part(rows: list[dict[str, Any]], overridden: Sequence[str]) -> str:
    def cells(r: dict[str, Any]) -> list[str]:
        value = r["value"]
        value = f"{value:g}" if isinstance(value, float) else str(value)
        return [r["path"] + (" *" if r.get("overridden") else ""), value, r["unit"], r.get("allowed", ""), r["source"]]

    changed = [cells(r) for r in rows if r.get("overridden")]
    head = ["path", "value", "unit", "allowed", "source"]
    num = [False] * 5
    changed_html = (
        "<h3>Changed from the bundled scenario</h3>" + _table(head, changed, num)
        if changed
        else "<p class='note'>No input was changed from the bundled scenario.</p>"
    )
    return (
        "<section><h2>8. Inputs with their sources</h2>"
        f"<p class='note'>{len(rows):,} settable inputs (as `steelworks params` lists them); * marks an override"
        f"{': ' + _e('; '.join(overridden)) if overridden else ''}.</p>"
        + changed_html
        + "<h3>All inputs</h3>"
        + _table(head, [cells(r) for r in rows], num)
        + "</section>"
    )


def _plan_part(data: dict[str, Any]) -> str:
    """The option as a plan: each unit's action, its years and its capital (evaluate's capital lines)."""
    rows = data.get("capex", {}).get("units") or []
    first = data["kpis"].get("first_year")
    if not rows or first is None:
        return ""
    body = [
        [
            r["unit"],
            r.get("kind", ""),
            r["action"],
            str(first + r.get("start_offset_years", 0)),
            str(first + r.get("start_offset_years", 0) + r.get("duration_years", 0)),
            _n(r["used_usd"] / 1e6),
        ]
        for r in sorted(rows, key=lambda r: (r.get("start_offset_years", 0), r["unit"]))
    ]
    table = _table(["unit", "kind", "action", "work starts", "in service", "capital (EPC), USD m"], body)
    return (
        "<section><h2>5. The plan</h2><p class='note'>The option as a plan on the works' units: what is "
        "done to each, when, and its capital before owner's costs and contingency (steelworks plan "
        f"--fix-option prices the same plan).</p>{table}</section>"
    )


def _risk_part(summary: Mapping[str, Any], npv: Mapping[str, Any]) -> str:
    """The risk run's statistics and figures (a run of the results store, read by the caller)."""
    from steelworks.report.risk import npv_cdf, npv_histogram, sobol_figure, statistics_rows, tornado_figure

    rows = statistics_rows(summary)
    table = _table(
        ["option", "feasible", "P(NPV > 0)", "NPV P10, USD m", "P50", "P90", "LCOS P10, USD/t", "P50", "P90"],
        [
            [
                r["scenario"],
                f"{r['feasible']:,} of {r['samples']:,}",
                "-" if r["p_npv_positive"] is None else f"{r['p_npv_positive']:.1%}",
                _n(r["npv_p10_musd"]),
                _n(r["npv_p50_musd"]),
                _n(r["npv_p90_musd"]),
                _n(r["lcos_p10"]),
                _n(r["lcos_p50"]),
                _n(r["lcos_p90"]),
            ]
            for r in rows
        ],
    )
    figures = [npv_histogram(npv), npv_cdf(npv)]
    for name, block in summary["scenarios"].items():
        if block.get("sobol_npv"):
            figures.append(sobol_figure(block["sobol_npv"], name))
        if block.get("tornado_npv"):
            figures.append(tornado_figure(block["tornado_npv"], name))
    spec = summary["spec"]
    html_figs = "".join(
        pio.to_html(fig, full_html=False, include_plotlyjs=False, config={"displaylogo": False}, div_id=f"risk-{i}")
        for i, fig in enumerate(figures)
    )
    return (
        f"<section><h2>7. Risk</h2><p class='note'>Run {_e(summary.get('run_id', ''))} of the results store: "
        f"{summary['rows']:,} draws ({_e(spec['method'])}, seed {spec['seed']}, uncertainty "
        f"{_e(spec['uncertainty'])}).</p>{table}{html_figs}</section>"
    )


def report_html(
    evaluation: Evaluation,
    comparisons: Sequence[Evaluation] = (),
    baseline: str | None = None,
    overrides: Sequence[str] = (),
    risk: Mapping[str, Any] | None = None,
) -> str:
    """The report of one evaluated scenario (``steelworks.api.Evaluation``), optionally against others;
    ``risk``: a risk run's summary with its NPV samples (``{"summary": ..., "npv": {scenario: array}}``)."""
    import steelworks

    balance = evaluation.balance
    report = balance.report
    data = evaluation.to_dict()  # type: ignore[attr-defined]
    k, e = report["kpis"], data["kpis"]
    scenario = balance.scenario
    crude = k["crude_steel_t"]
    kpis = [
        ("crude steel", f"{_n(crude / 1e6, 2)} Mt/yr"),
        ("hot metal", f"{_n(k['hot_metal_t'] / 1e6, 2)} Mt/yr"),
        ("CO2 intensity", f"{k['co2_t_per_t_crude_steel']:.2f} t/t crude steel" if crude > 0 else "-"),
        ("cash cost", f"USD {_n(e['cash_cost_usd_per_t'])}/t"),
        ("capital cost", f"USD {_n(e['capex_usd'] / 1e6)} m"),
        ("NPV", f"USD {_n(e['npv_usd'] / 1e6)} m"),
        ("IRR (real)", "none" if e["irr"] is None else f"{e['irr']:.1%}"),
        ("payback", "never" if e["payback_years"] is None else f"{e['payback_years']:.1f} years"),
    ]
    sankeys = sankey_figures(balance.results, report["flows"], min_share=1e-3)
    sankey_html = "".join(
        pio.to_html(
            fig, full_html=False, include_plotlyjs=(i == 0), config={"displaylogo": False}, div_id=f"sankey-{i}"
        )
        for i, fig in enumerate(sankeys)
    )
    parts = [
        f"<header><h1>{_e(report['plant'])}: scenario {_e(report['scenario'])}</h1>"
        f"<p>{_e(getattr(scenario, 'description', '') or '')}</p>"
        f"<p class='note'>steelworks {_e(steelworks.__version__)}, "
        f"written {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. "
        "Money in cost-year USD (real) unless stated; t = metric tonne; energy on LHV basis.</p></header>",
        "<section><h2>1. Key figures</h2>" + _kpis(kpis) + "</section>",
        _balance_part(report),
        _business_part(data),
        "<section><h2>4. Flows through the works</h2><p class='note'>Material (t/yr) and energy (GJ/yr, LHV) flows "
        "by process stage; recycles in grey; flows below 0.1 % of the total hidden.</p>" + sankey_html + "</section>",
    ]
    parts.append(_plan_part(data))
    if comparisons:
        rows = comparison_rows([evaluation, *[c for c in comparisons if c is not evaluation]], baseline)
        parts.append(_compare_part(rows, baseline))
    if risk is not None:
        parts.append(_risk_part(risk["summary"], risk["npv"]))
    parts.append(_inputs_part(parameter_rows(scenario), overrides))
    title = f"steelworks report: {report['scenario']}"
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{_e(title)}</title>"
        f"<style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )


def write_report_html(
    path: str | Path,
    evaluation: Evaluation,
    comparisons: Sequence[Evaluation] = (),
    baseline: str | None = None,
    overrides: Sequence[str] = (),
    option: str = "--html",
    risk: Mapping[str, Any] | None = None,
) -> Path:
    text = report_html(evaluation, comparisons, baseline, overrides, risk)
    return write_text(path, text, option=option)  # atomic
