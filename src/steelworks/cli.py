"""The ``steelworks`` command line: parse, call, print, exit codes. No model logic lives here.

Exit codes: 0 success, 2 bad input (a message naming the file, the place and what is allowed),
1 an internal error (a bug: the traceback is shown).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from steelworks.errors import InputError
from steelworks.fileio import check_output_path, write_text

#: commands that solve one works (or a few) on small matrices: one BLAS thread does them as fast, and a
#: process that starts OpenBLAS's thread pool spends ~0.05 s of CPU on it (the numbers do not change:
#: a solve of a few dozen units is below the size at which OpenBLAS splits work across threads)
_SINGLE_RUN_COMMANDS = frozenset({"balance", "evaluate", "compare", "params", "scenarios", "schema", "rist"})
#: this process was started to run one such command (not a test runner or a notebook importing the CLI)
_ONE_COMMAND = "numpy" not in sys.modules and bool(sys.argv[1:2]) and sys.argv[1] in _SINGLE_RUN_COMMANDS
if _ONE_COMMAND:
    for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):  # a user's own setting wins
        os.environ.setdefault(_name, "1")


def _imports_done() -> None:
    """In a process started for one command: move what the imports made (modules, classes, pydantic's
    validators, ~40,000 tracked objects) out of the garbage collector's reach. They live as long as the
    process, and the collector would otherwise scan all of them in a full collection during the run
    (10-20 ms of CPU in a ~0.3 s `steelworks balance`). Nothing else changes."""
    if _ONE_COMMAND:
        import gc

        gc.freeze()


if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table as RichTable

# rich (tables, colour) is imported when something is drawn, not at start: `--format json` never needs it


class _LazyConsole:
    """A rich Console made on first use (the same settings as before: fixed width when piped)."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def _console_or_new(self) -> Console:
        if self._console is None:
            from rich.console import Console

            stream = sys.stderr if self._stderr else sys.stdout
            self._console = Console(stderr=self._stderr, width=None if stream.isatty() else 150)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._console_or_new(), name)


def Table(*args: Any, **kwargs: Any) -> RichTable:  # noqa: N802 - rich's Table, imported when a table is drawn
    from rich.table import Table as RichTable

    return RichTable(*args, **kwargs)


@contextlib.contextmanager
def _progress(total: int, what: str) -> Iterator[Callable[[], None]]:
    """A rich progress bar on stderr (stdout stays for results and JSON); yields 'one more done'."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console._console_or_new(), transient=True) as bar:
        task = bar.add_task(what, total=total)
        started = [False]

        def step() -> None:
            if started[0]:
                bar.advance(task)
            started[0] = True

        yield step
        bar.update(task, completed=total)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Model an integrated steel works unit by unit: balances, CO2, economics.",
)
# a fixed width when piped, so tables stay readable in logs and CI
console = _LazyConsole()
err_console = _LazyConsole(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"


SetOption = Annotated[list[str] | None, typer.Option("--set", "-s", help="override: dotted.path=value (repeatable)")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table or json")]


#: longest error message printed (a message quoting a 100,000-character value is cut in the middle)
MAX_MESSAGE_CHARS = 3000


def _fail(exc: InputError) -> None:
    text = exc.render()
    if len(text) > MAX_MESSAGE_CHARS:
        cut = len(text) - MAX_MESSAGE_CHARS
        text = f"{text[: MAX_MESSAGE_CHARS // 2]} … ({cut:,} characters left out) … {text[-MAX_MESSAGE_CHARS // 2 :]}"
    # the message may quote sources such as "[S58]": print it as text, not as rich markup
    err_console.print(f"[bold red]error:[/] {escape(text)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def _finite(value: Any) -> Any:
    """JSON has no NaN or infinity: such values (e.g. an intensity of an idle works) become null."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _json_default(value: Any) -> Any:
    """Numbers held by numpy become floats; dates and anything else their text."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _dump(data: Any) -> None:
    sys.stdout.write(json.dumps(_finite(data), indent=2, allow_nan=False, default=_json_default) + "\n")


def _table(title: str, columns: list[str], right: set[str] | None = None) -> RichTable:
    """A rich table with its columns; those named in ``right`` (all but the first by default) align right."""
    table = Table(title=title)
    for i, col in enumerate(columns):
        align = col in right if right is not None else i > 0
        table.add_column(col, justify="right" if align else "left", overflow="fold")
    return table


def _row(table: RichTable, *cells: str) -> None:
    """Add a row of plain text: data and sources may hold brackets ("[S58]") that are not rich markup."""
    table.add_row(*(escape(str(c)) for c in cells))


def _print_figures(title: str, rows: list[tuple[str, str]]) -> None:
    table = _table(title, ["figure", "value"])
    for name, value in rows:
        _row(table, name, value)
    console.print(table)


def _per_t_steel(value: float | None) -> str:
    """A CO2 intensity, or '-' where no steel is made (the intensity is undefined, not zero)."""
    return "- (no crude steel made)" if value is None else f"{value:.2f} t/t crude steel"


def _num(value: float, digits: int = 0) -> str:
    if abs(value) < 1e-9:
        return "0"
    return f"{value:,.{digits}f}"


@app.command()
def balance(
    scenario: Annotated[str, typer.Argument(help="bundled scenario name (see `steelworks scenarios`) or a YAML file")],
    set_: SetOption = None,
    fmt: FormatOption = Format.table,
    sankey: Annotated[Path | None, typer.Option("--sankey", help="write an interactive Sankey HTML file")] = None,
) -> None:
    """Solve the works for one year: throughputs, boundary flows, works gases, balances, CO2."""
    from steelworks.api import run_balance

    _imports_done()
    try:
        if sankey is not None:  # a bad output path fails now, not after the computation
            check_output_path(sankey, "--sankey")
        result = run_balance(scenario, set_ or [])
        report = result.report
        if sankey is not None:
            from steelworks.report.sankey import write_sankey_html

            write_sankey_html(result.results, report["flows"], sankey)
    except InputError as exc:
        _fail(exc)
        return
    if fmt is Format.json:
        _dump(report)
        return
    _print_balance(report)
    if sankey is not None:
        console.print(f"Sankey written to {sankey}")


def _print_balance(report: dict[str, Any]) -> None:
    k = report["kpis"]
    console.rule(f"[bold]{report['plant']}[/] — scenario [bold]{report['scenario']}[/]")
    units = _table(
        "Units (per year; energy on LHV basis, electricity at 3.6 GJ/MWh)",
        [
            "unit",
            "kind",
            "condition",
            "output",
            "capacity",
            "utilisation",
            "CO2 direct t",
            "energy in GJ",
            "energy loss GJ",
        ],
        right={"output", "capacity", "utilisation", "CO2 direct t", "energy in GJ", "energy loss GJ"},
    )
    unbuilt = [u["id"] for u in report["units"] if u["condition"] == "not_built"]
    for u in report["units"]:
        if u["condition"] == "not_built":
            continue
        _row(
            units,
            u["id"],
            u["kind"],
            u["condition"],
            f"{_num(u['output_t'])} {u['output_unit']}",
            f"{_num(u['capacity_t'])}",
            f"{u['utilisation']:.1%}",
            _num(u["co2_direct_t"]),
            _num(u["energy_in_gj"]),
            _num(u["energy_loss_gj"]),
        )
    console.print(units)
    if unbuilt:
        console.print(f"Not built (options of other scenarios): {', '.join(unbuilt)}", highlight=False)

    boundary = _table(
        "Across the works boundary (per year)", ["carrier", "bought", "sold", "unit"], right={"bought", "sold"}
    )
    for row in report["boundary"]:
        _row(boundary, row["carrier"], _num(row["purchased"]), _num(row["sold"]), row["unit"])
    console.print(boundary)

    gas = _table(
        "Works gases (GJ/yr, LHV): made, then burned in priority order, sold, flared",
        ["gas", "made / used by", "GJ/yr"],
        right={"GJ/yr"},
    )
    for row in report["works_gas"]:
        made = "made" if row["produced_gj"] else f"bought ({_num(row['bought_t'])} t)"
        _row(gas, row["gas"], made, _num(row["produced_gj"] or row["direct_use_gj"]))
        if row["direct_use_gj"] > 0:
            _row(gas, "", "  used as reductant / feed", _num(row["direct_use_gj"]))
        for user, value in row["burned_gj"].items():
            _row(gas, "", f"  burned: {user}", _num(value))
        if row["sold_gj"] > 0:
            _row(gas, "", "  sold", _num(row["sold_gj"]))
        if row["flared_gj"] > 0:
            _row(gas, "", "  flared", _num(row["flared_gj"]))
    console.print(gas)

    for cid, comp in report.get("derived_compositions", {}).items():
        analysis = ", ".join(f"{k} {v:.3f}" for k, v in comp["analysis"].items())
        console.print(f"[bold]{cid}[/] composition set by its model: Fe {comp['fe_frac']:.4f} ({analysis})")
    bal = _table("Balances of the works", ["balance", "in", "out", "residual (relative)"])
    for name, row in report["balances"].items():
        unit = "GJ" if name == "energy" else "t"
        _row(
            bal,
            name,
            f"{_num(row[f'in_{unit.lower()}'])} {unit}",
            f"{_num(row[f'out_{unit.lower()}'])} {unit}",
            f"{row['residual_rel']:.1e}",
        )
    console.print(bal)

    rows = [
        ("crude steel", f"{_num(k['crude_steel_t'])} t"),
        ("hot metal", f"{_num(k['hot_metal_t'])} t"),
        ("coke made / bought", f"{_num(k['coke_t'])} / {_num(k['coke_bought_t'])} t"),
        ("sinter", f"{_num(k['sinter_t'])} t"),
        ("hot-rolled coil", f"{_num(k['hot_rolled_coil_t'])} t"),
        ("iron ore bought, dry / wet as shipped", f"{_num(k['iron_ore_t'])} / {_num(k.get('iron_ore_wet_t', 0.0))} t"),
        ("coking coal / PCI coal", f"{_num(k['coking_coal_t'])} / {_num(k['pci_coal_t'])} t"),
        ("scrap bought", f"{_num(k['scrap_t'])} t"),
        ("natural gas bought", f"{_num(k['natural_gas_gj'])} GJ"),
        *[
            (f"  natural gas: {use.replace('_', ' ')}", f"{_num(gj)} GJ")
            for use, gj in report.get("natural_gas_by_user", {}).get("by_use", {}).items()
        ],
        *[
            (f"  natural gas to {u['row']}", f"{_num(u['gj'])} GJ")
            for u in report.get("natural_gas_by_user", {}).get("users", [])
        ],
        (
            "electricity generated / bought / exported",
            f"{_num(k['electricity_generated_mwh'])} / {_num(k['electricity_purchased_mwh'])} / "
            f"{_num(k['electricity_exported_mwh'])} MWh",
        ),
        (
            "coke rate / fuel rate",
            f"{k['coke_rate_kg_per_thm']:.0f} / {k['fuel_rate_kg_per_thm']:.0f} kg/tHM",
        ),
        ("CO2 direct / indirect", f"{_num(k['co2_direct_t'])} / {_num(k['co2_indirect_t'])} t"),
        (
            "CO2 credits: electricity / by-products",
            f"{_num(k['co2_credit_electricity_t'])} / {_num(k['co2_credit_byproducts_t'])} t",
        ),
        ("CO2 intensity (direct + indirect)", f"{k['co2_t_per_t_crude_steel']:.3f} t/t crude steel"),
        ("CO2 intensity after credits", f"{k['co2_net_t_per_t_crude_steel']:.3f} t/t crude steel"),
        ("CO2 per t hot-rolled coil made", f"{k['co2_t_per_t_hot_rolled_coil']:.3f} t/t"),
        ("net purchased energy", f"{k['energy_gj_per_t_crude_steel']:.2f} GJ/t crude steel"),
        ("flared gas", f"{_num(k['flared_gas_gj'])} GJ"),
    ]
    _print_figures("Key figures", rows)


@app.command()
def evaluate(
    scenario: Annotated[str, typer.Argument(help="bundled scenario name or YAML file with an economics: block")],
    set_: SetOption = None,
    fmt: FormatOption = Format.table,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="write an Excel workbook")] = None,
) -> None:
    """The business case: capital plan, yearly cash flows, NPV, IRR, payback, LCOS, FX saved, jobs, CO2.

    Plant inputs take --set as in `balance`; economics inputs too: prices.<carrier>.price=..., option.<path>=...,
    finance.<path>=... .
    """
    from steelworks.api import run_evaluation

    _imports_done()
    try:
        if xlsx is not None:
            check_output_path(xlsx, "--xlsx")
        result = run_evaluation(scenario, set_ or [])
        data = result.to_dict()
        if xlsx is not None:
            from steelworks.report.params import parameter_rows
            from steelworks.report.xlsx import write_workbook

            write_workbook(data, result.balance.report, parameter_rows(result.balance.scenario), xlsx)
    except InputError as exc:
        _fail(exc)
        return
    if fmt is Format.json:
        _dump(data)
        return
    _print_evaluation(data)
    if xlsx is not None:
        console.print(f"Workbook written to {xlsx}")


def _usd_m(value: float | None) -> str:
    return "-" if value is None else f"{value / 1e6:,.0f}"


def _usd_t(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _pct(value: float | None) -> str:
    return "none" if value is None else f"{value:.1%}"


def _print_evaluation(data: dict[str, Any]) -> None:
    k = data["kpis"]
    console.rule(f"[bold]{data['option_name']}[/] — scenario [bold]{data['scenario']}[/], prices {data['price_deck']}")
    flows = Table(title="Cash flows (USD million, nominal)")
    cols = [
        ("year", "year"),
        ("production kt", "production_t"),
        ("capex", "capex_usd"),
        ("revenue", "revenue_usd"),
        ("raw materials", "raw_materials_usd"),
        ("energy", "energy_usd"),
        ("labour", "labour_usd"),
        ("maintenance", "maintenance_usd"),
        ("other fixed", "other_fixed_usd"),
        ("carbon", "carbon_cost_usd"),
        ("opex", "opex_usd"),
        ("tax", "tax_usd"),
        ("debt service", "debt_service_usd"),
        ("net cash flow", "net_cash_flow_usd"),
    ]
    for title, _ in cols:
        flows.add_column(title, justify="right")
    for row in data["cash_flows"]:
        cells = [str(row["year"]), f"{row['production_t'] / 1e3:,.0f}"]
        cells += [_usd_m(row.get(key, 0.0)) for _, key in cols[2:]]
        _row(flows, *cells)
    console.print(flows)
    imports = data["country"].get("products_vs_imports", [])
    if imports:
        prod = _table(
            "Products: the works' cash cost against the landed import price (USD/t, cost-year)",
            [
                "product",
                "sold kt/yr",
                "ex-works price",
                "import CFR",
                "landed (CFR + duties + port)",
                "works' cash cost",
            ],
        )
        for row in imports:
            _row(
                prod,
                row["product"],
                f"{row['sold_t_per_year_full_output'] / 1e3:,.0f}",
                *(
                    _usd_t(row[key])
                    for key in (
                        "price_usd_per_t",
                        "landed_cfr_usd_per_t",
                        "landed_total_usd_per_t",
                        "cash_cost_usd_per_t",
                    )
                ),
            )
        console.print(prod)
    rows = [
        ("capital cost (undiscounted)", f"USD {_usd_m(k['capex_usd'])} m"),
        (f"NPV at {k['discount_rate']:.1%} ({k.get('discount_rate_basis', '')})", f"USD {_usd_m(k['npv_usd'])} m"),
        ("IRR", _pct(k["irr"])),
        ("payback", "never" if k["payback_years"] is None else f"{k['payback_years']:.1f} years"),
        ("levelised cost of steel (break-even)", f"USD {_usd_t(k['lcos_usd_per_t'])}/t"),
        ("levelised cost of steel (capital-recovery annuity)", f"USD {_usd_t(k.get('lcos_annuity_usd_per_t'))}/t"),
        ("cash cost", f"USD {_usd_t(k['cash_cost_usd_per_t'])}/t"),
        ("foreign exchange saved (steady state)", f"USD {_usd_m(k['fx_saved_usd_per_year'])} m/yr"),
        ("jobs direct / indirect", f"{k['jobs_direct']:,.0f} / {k['jobs_indirect']:,.0f}"),
        ("CO2 (direct + indirect)", _per_t_steel(k["co2_t_per_t_crude_steel"])),
        ("horizon", f"{k['horizon_years']} years"),
    ]
    _print_figures("Business case", rows)


@app.command()
def hindcast(
    name: Annotated[str, typer.Argument(help="bundled hindcast (data/economics/hindcasts), e.g. psm-2008")],
    set_: SetOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """A past year priced as it was (its scenario's balance, the year's price deck and costs) against the
    result the works reported for it; --set overrides the scenario's inputs."""
    from steelworks.api import run_hindcast

    try:
        result = run_hindcast(name, set_ or [])
    except InputError as exc:
        _fail(exc)
        return
    data = result.to_dict()
    if fmt is Format.json:
        _dump(data)
        return
    cur = data["currency"]
    table = _table(f"{data['id']}: {data['period']} ({cur} m/yr)", ["line", f"{cur} m"])
    for group, sign in (("revenue", 1.0), ("purchases", -1.0), ("costs", -1.0)):
        for key, value in data[group].items():
            _row(table, f"{group}: {key.replace('_', ' ')}", _num(sign * value / 1e6))
    for key in ("profit_before_tax", "tax", "profit_after_tax"):
        sign = -1.0 if key == "tax" else 1.0
        _row(table, key.replace("_", " "), _num(sign * data[key] / 1e6))
    console.print(table)
    cmp_ = _table(
        "Model against the reported figures", ["figure", f"model, {cur} m", f"reported, {cur} m", "difference"]
    )
    for key, row in data["comparison"].items():
        _row(
            cmp_,
            key.replace("_", " "),
            _num(row["model"] / 1e6),
            _num(row["reported"] / 1e6),
            f"{_num(row['difference'] / 1e6)} ({row['relative']:+.1%})",
        )
    console.print(cmp_)


@app.command()
def compare(
    scenarios: Annotated[list[str], typer.Argument(help="two or more scenarios with economics blocks")],
    set_: SetOption = None,
    fmt: FormatOption = Format.table,
    html: Annotated[Path | None, typer.Option("--html", help="write a plotly chart of the comparison")] = None,
    baseline: Annotated[str | None, typer.Option("--baseline", help="scenario to compare against")] = None,
) -> None:
    """Put scenarios side by side: capex, NPV, IRR, LCOS, cash cost, FX saved, jobs, CO2."""
    from steelworks.api import run_evaluation
    from steelworks.report.compare import comparison_rows, write_comparison_html

    _imports_done()
    try:
        if html is not None:
            check_output_path(html, "--html")
        results = [run_evaluation(name, set_ or []) for name in scenarios]
        rows = comparison_rows(results, baseline)
        if html is not None:
            write_comparison_html(rows, html)
    except InputError as exc:
        _fail(exc)
        return
    if fmt is Format.json:
        _dump(rows)
        return
    table = Table(title="Revival options side by side")
    table.add_column("figure")
    for row in rows:
        table.add_column(row["scenario"], justify="right")
    fields = [
        ("option", lambda r: r["option_name"]),
        ("crude steel, kt/yr", lambda r: f"{r['crude_steel_t'] / 1e3:,.0f}"),
        ("capital cost, USD m", lambda r: _usd_m(r["capex_usd"])),
        ("NPV, USD m", lambda r: _usd_m(r["npv_usd"])),
        ("IRR", lambda r: _pct(r["irr"])),
        ("payback, years", lambda r: "never" if r["payback_years"] is None else f"{r['payback_years']:.1f}"),
        ("LCOS, USD/t", lambda r: _usd_t(r["lcos_usd_per_t"])),
        ("cash cost, USD/t", lambda r: _usd_t(r["cash_cost_usd_per_t"])),
        ("FX saved, USD m/yr", lambda r: _usd_m(r["fx_saved_usd_per_year"])),
        ("direct / indirect jobs", lambda r: f"{r['jobs_direct']:,.0f} / {r['jobs_indirect']:,.0f}"),
        (
            "CO2, t/t crude steel",
            lambda r: "-" if r["co2_t_per_t_crude_steel"] is None else f"{r['co2_t_per_t_crude_steel']:.2f}",
        ),
        ("CO2, Mt/yr", lambda r: f"{r['co2_t_per_year'] / 1e6:.2f}"),
    ]
    if baseline:
        fields.append(("NPV vs baseline, USD m", lambda r: _usd_m(r.get("npv_vs_baseline_usd"))))
    for name, get in fields:
        _row(table, name, *[get(r) for r in rows])
    console.print(table)
    if html is not None:
        console.print(f"Chart written to {html}")


def _exact_plan(problem: Any, scenario: str, plan_file: str, conflicting: bool) -> Any:
    """``problem`` fixed to the rows of a plan file (``--plan``), which must be for ``scenario``."""
    from steelworks.schema.planning import load_plan

    if conflicting:
        raise InputError(
            "--plan prices one given plan; --fix-option, --fix and --budget-sweep search for one",
            location="--plan",
            allowed="--plan alone, or the search options without it",
        )
    spec, path = load_plan(plan_file)
    if spec.scenario != Path(scenario).stem:
        raise InputError(
            f"the plan is for scenario {spec.scenario!r}, not {Path(scenario).stem!r}",
            file=str(path),
            location="plan.scenario",
            allowed=spec.scenario,
        )
    return (problem if spec.mandates else problem.without_mandates()).fix_rows(spec.rows, file=str(path))


def _save_plan(result: Any, scenario: str, path: Path, gap: float, time_limit: float | None, flags: list[str]) -> None:
    """Write the solved plan as a plan file (atomically), with how it was found as its source."""
    import datetime

    from steelworks.fileio import write_text
    from steelworks.schema.planning import plan_yaml

    if not result.actions:
        raise InputError("the plan has no action to save (keep the works as it is)", location="--save-plan")
    rows = [(r["unit"], r["action"], int(r["start_year"])) for r in result.actions]
    status = result.status + (f", gap {result.mip_gap:.1%}" if result.mip_gap is not None else "")
    limit = f" --time-limit {time_limit:g}" if time_limit is not None else ""
    how = " ".join([f"steelworks plan {scenario}", *flags, f"--gap {gap:g}{limit}"])
    source = f"{how} ({datetime.date.today().isoformat()}): {status}"
    text = plan_yaml(Path(scenario).stem, rows, source, mandates=result.problem.has_mandates)
    write_text(path, text, "--save-plan")


@app.command()
def plan(
    scenario: Annotated[str, typer.Argument(help="bundled scenario name or YAML file with an economics: block")],
    fmt: FormatOption = Format.table,
    budget: Annotated[float | None, typer.Option("--budget", help="total capital budget, USD")] = None,
    budget_per_year: Annotated[float | None, typer.Option("--budget-per-year", help="yearly capital cap, USD")] = None,
    fix_option: Annotated[
        bool, typer.Option("--fix-option", help="fix the plan to the scenario's option (its actions and years)")
    ] = False,
    fix: Annotated[
        list[str] | None,
        typer.Option("--fix", help="force unit:action@YEAR, or forbid !unit:action (repeatable)"),
    ] = None,
    plan_file: Annotated[
        str | None,
        typer.Option("--plan", help="price this plan (a plan file or bundled name) instead of searching"),
    ] = None,
    save_plan: Annotated[
        Path | None, typer.Option("--save-plan", help="write the solved plan as a plan file (YAML)")
    ] = None,
    gap: Annotated[float, typer.Option("--gap", help="relative MIP gap")] = 0.005,
    time_limit: Annotated[float | None, typer.Option("--time-limit", help="solver time limit, s")] = None,
    min_steel: Annotated[
        list[str] | None,
        typer.Option("--min-steel", help="mandate YEAR:AMOUNT least crude steel from YEAR on, e.g. 2031:1.0Mt/year"),
    ] = None,
    first_steel_by: Annotated[
        int | None, typer.Option("--first-steel-by", help="mandate: a steel shop in service in this year")
    ] = None,
    co2_cap: Annotated[
        list[str] | None,
        typer.Option("--co2-cap", help="mandate YEAR:AMOUNT most direct CO2 from YEAR on, e.g. 2035:2Mt/year"),
    ] = None,
    no_mandates: Annotated[
        bool, typer.Option("--no-mandates", help="drop the scenario's mandates (its planning block)")
    ] = False,
    gantt: Annotated[Path | None, typer.Option("--gantt", help="write the plan's Gantt chart (HTML)")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="write the plan as an Excel workbook")] = None,
    budget_sweep: Annotated[
        str | None,
        typer.Option("--budget-sweep", help="LOW:HIGH:N total budgets (USD): the NPV frontier, one plan a point"),
    ] = None,
    frontier: Annotated[Path, typer.Option("--frontier", help="HTML file of the --budget-sweep chart")] = Path(
        "plan-frontier.html"
    ),
) -> None:
    """The revival planner: which units to restore, rebuild or build, in which year, for the highest NPV.

    Prints the year x unit action grid (R restore, B rebuild, C clear and reline, N new, = building,
    # in service), output and capital by year, and the plan's NPV: evaluate's cash flow on the plan's own
    years (steelworks.planning.economics), and the MILP's linear surrogate (linear tax, no working capital).
    """
    from steelworks.planning import option_plan, problem_from_scenario, solve_plan
    from steelworks.planning.economics import price
    from steelworks.planning.problem import parse_year_amounts
    from steelworks.planning.summary import action_grid, yearly_rows

    free = None
    try:
        outputs = ((gantt, "--gantt"), (xlsx, "--xlsx"), (save_plan, "--save-plan"))
        for path, option in (*outputs, (frontier if budget_sweep else None, "--frontier")):
            if path is not None:
                check_output_path(path, option)
        if budget is not None and budget <= 0:
            raise InputError(f"--budget {budget} is not a positive amount", location="--budget", allowed="> 0 USD")
        problem = problem_from_scenario(scenario, budget_total=budget, budget_per_year=budget_per_year)
        if no_mandates:
            problem = problem.without_mandates()
        if min_steel or co2_cap or first_steel_by is not None:
            problem = problem.with_mandates(
                crude_steel=parse_year_amounts(min_steel or [], "--min-steel") or None,
                first_steel_by=first_steel_by,
                co2_cap=parse_year_amounts(co2_cap or [], "--co2-cap") or None,
            )
        if fix_option:
            problem = problem.fix(option_plan(scenario))
        if fix:
            problem = problem.apply_fixes(list(fix))
        if plan_file is not None:
            problem = _exact_plan(problem, scenario, plan_file, fix_option or bool(fix) or budget_sweep is not None)
        if budget_sweep is not None:
            _plan_frontier(problem, budget_sweep, frontier, gap, time_limit, fmt)
            return
        result = price(solve_plan(problem, gap=gap, time_limit=time_limit))
        if save_plan is not None:
            flags = [*(["--fix-option"] if fix_option else []), *(["--no-mandates"] if no_mandates else [])]
            flags += [f"--fix {f}" for f in fix or []]
            _save_plan(result, scenario, save_plan, gap, time_limit, flags)
        if problem.has_mandates and plan_file is None:  # the cost of the mandate: against the best plan without it
            free = solve_plan(problem.without_mandates(), gap=gap, time_limit=time_limit)
        if gantt is not None:
            from steelworks.report.plan import gantt_figure, write_figure_html

            write_figure_html(gantt_figure(result), gantt, "--gantt")
        if xlsx is not None:
            from steelworks.report.plan import write_plan_workbook

            write_plan_workbook(result, xlsx)
    except InputError as exc:
        _fail(exc)
        return
    mandate = None
    if free is not None:
        mandate = {
            "source": problem.mandate_source,
            "free_optimum_surrogate_npv_usd": free.surrogate_npv_usd,
            "cost_usd": free.surrogate_npv_usd - result.surrogate_npv_usd,
            "basis": "the MILP's surrogate NPV of both plans (one basis)",
        }
    grid = action_grid(result)
    rows = yearly_rows(result)
    if fmt is Format.json:
        _dump({**result.to_dict(), "grid": grid, "yearly": rows, "mandate": mandate})
        return
    years = result.problem.years
    header = "".join(str(y)[-1] for y in years)
    table = _table(f"Plan for {scenario}: actions by year ({years[0]}-{years[-1]})", ["unit", header], right=set())
    for uid, cells in grid.items():
        _row(table, uid, cells)
    if not grid:
        _row(table, "(none)", "keep the works idle: no action pays at these prices")
    console.print(table)
    out = _table(
        "Output and capital by year", ["year", "crude steel, kt", "products sold, kt", "capital, USD m", "cash, USD m"]
    )
    for r in rows:
        _row(
            out,
            str(r["year"]),
            _num(r["crude_steel_t"] / 1e3),
            _num(r["products_sold_t"] / 1e3),
            _num(r["capex_usd"] / 1e6),
            _num(r["cash_flow_usd"] / 1e6),
        )
    console.print(out)
    first = next((r["year"] for r in rows if r["crude_steel_t"] > 0), None)
    _print_figures(
        "Plan",
        [
            *(
                [
                    (
                        "NPV (evaluate's cash flow, after tax, cost-year USD), USD m"
                        + (" - the option's schedule" if result.economics_basis == "option_schedule" else ""),
                        _num(result.npv_usd / 1e6),
                    ),
                    *(
                        [
                            (
                                "NPV on the plan's own years (its flows, vintages and renewals), USD m",
                                _num(result.plan_years_economics.kpis["npv_usd"] / 1e6),
                            )
                        ]
                        if result.economics_basis == "option_schedule"
                        else []
                    ),
                    (
                        "IRR (real)",
                        f"{result.economics.kpis['irr']:.1%}" if result.economics.kpis["irr"] is not None else "none",
                    ),
                    ("LCOS, USD/t product", _num(result.economics.kpis["lcos_usd_per_t"] or float("nan"))),
                ]
                if result.economics is not None
                else []
            ),
            ("NPV of the MILP's linear surrogate (linear tax), USD m", _num(result.surrogate_npv_usd / 1e6)),
            ("capital, USD m", _num(sum(result.capex_by_year) / 1e6)),
            ("first steel", str(first) if first else "never"),
            ("solver", _solver_status(result.status, result.mip_gap)),
            *(
                [
                    (
                        "cost of the mandate (surrogate NPV of the free optimum - this plan's), USD m",
                        _num(mandate["cost_usd"] / 1e6),
                    )
                ]
                if mandate
                else []
            ),
            (
                "model",
                f"{result.size['variables']:,} variables, {result.size['binaries']:,} binaries, "
                f"{result.size['constraints']:,} constraints",
            ),
            ("build / solve, s", f"{result.build_s:.1f} / {result.solve_s:.1f}"),
        ],
    )


def _solver_status(status: str, gap: float | None) -> str:
    """'optimal (gap 0.4 %)' or 'time limit: best plan found, within 9.9 % of the bound'."""
    shown = "n/a" if gap is None else f"{gap:.1%}"
    if status == "time_limit":
        return f"time limit: the best plan found, within {shown} of the bound"
    return f"{status} (gap {shown})"


def _plan_frontier(problem: Any, sweep: str, out: Path, gap: float, time_limit: float | None, fmt: Format) -> None:
    """``plan --budget-sweep``: the best plan at each budget, a table (or JSON) and the chart."""
    from steelworks.planning.frontier import budget_frontier, parse_sweep
    from steelworks.report.plan import frontier_figure, write_figure_html

    budgets = parse_sweep(sweep)
    with _progress(len(budgets), "budgets") as step:
        points = budget_frontier(problem, budgets, gap=gap, time_limit=time_limit, progress=lambda k, b: step())
    write_figure_html(frontier_figure(points, f"Budget frontier of {problem.label}"), out, "--frontier")
    if fmt is Format.json:
        _dump({"scenario": problem.label, "points": points, "chart": str(out)})
        return
    table = _table(
        f"Budget frontier of {problem.label} (MILP surrogate NPV)",
        ["budget, USD m", "NPV, USD m", "capital, USD m", "first steel", "actions"],
        right={"budget, USD m", "NPV, USD m", "capital, USD m"},
    )
    for p in points:
        npv = _num(p["npv_usd"] / 1e6) if p["npv_usd"] is not None else "no plan"
        if p.get("status") == "time_limit":
            npv += f" (time limit, gap {p['mip_gap']:.1%})" if p.get("mip_gap") is not None else " (time limit)"
        _row(
            table,
            _num(p["budget_usd"] / 1e6),
            npv,
            _num(p["capex_usd"] / 1e6),
            str(p["first_steel"] or "-"),
            _shorten(p["actions"], 70),
        )
    console.print(table)
    console.print(f"Frontier chart written to {out} (each point's actions on hover, and in --format json)")


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command()
def source(
    scenario: Annotated[str, typer.Argument(help="bundled scenario name or YAML file (a sourcing: block is optional)")],
    domestic_ore_share: Annotated[
        float | None, typer.Option("--domestic-ore-share", help="force this share of domestic Fe units (0-1)")
    ] = None,
    sweep: Annotated[
        tuple[str, str] | None,
        typer.Option("--sweep", help="domestic-ore-share LOW:HIGH:N, e.g. --sweep domestic-ore-share 0:0.6:7"),
    ] = None,
    html: Annotated[Path, typer.Option("--html", help="HTML file of the --sweep frontier chart")] = Path(
        "source-frontier.html"
    ),
    fmt: FormatOption = Format.table,
    set_: SetOption = None,
) -> None:
    """Raw materials and logistics: the least-cost blend of sources and routes, solved with the works.

    Prints the sourcing table (source, route, t/yr, delivered cost, FX share, transport CO2), the blend's
    chemistry against its limits, and the effect on the works (coke rate, slag, CO2, cash cost per t).
    """
    from steelworks.report.sourcing import frontier_figure, sourcing_report, sweep_points, write_frontier_html
    from steelworks.schema.tree import override_items
    from steelworks.sourcing.run import parse_sweep, run_sourcing
    from steelworks.sourcing.run import sweep as run_sweep

    try:
        overrides = dict(override_items(set_ or []))
        if domestic_ore_share is not None and not 0.0 <= domestic_ore_share <= 1.0:
            raise InputError(
                f"--domestic-ore-share {domestic_ore_share}", location="--domestic-ore-share", allowed="0-1"
            )
        if sweep is not None:
            if sweep[0] != "domestic-ore-share":
                raise InputError(f"cannot sweep '{sweep[0]}'", location="--sweep", allowed="domestic-ore-share")
            check_output_path(html, "--html")
            shares = parse_sweep(sweep[1])
            with _progress(len(shares), "shares") as step:
                rows = sweep_points(run_sweep(scenario, shares, progress=step))
            write_frontier_html(frontier_figure(rows, f"Domestic-ore frontier of {scenario}"), html)
            if fmt is Format.json:
                _dump({"scenario": scenario, "points": rows, "chart": str(html)})
                return
            _print_sweep(scenario, rows, html)
            return
        report = sourcing_report(run_sourcing(scenario, domestic_ore_share, overrides))
    except InputError as exc:
        _fail(exc)
        return
    if fmt is Format.json:
        _dump(report)
        return
    _print_sourcing(report)


def _print_sourcing(r: dict[str, Any]) -> None:
    table = _table(
        f"Sourcing of {r['scenario']}",
        ["source", "route", "t/yr (dry)", "delivered USD/t", "cost USD m/yr", "FX share", "transport CO2 t/yr"],
        right={"t/yr (dry)", "delivered USD/t", "cost USD m/yr", "FX share", "transport CO2 t/yr"},
    )
    for row in r["routes"]:
        _row(
            table,
            row["source"],
            row["route"],
            _num(row["t_per_yr"]),
            _num(row["delivered_usd_per_t"], 2),
            _num(row["cost_usd_per_yr"] / 1e6, 1),
            _pct(row["fx_share"]),
            _num(row["transport_co2_t_per_yr"]),
        )
    tot = r["totals"]
    _row(
        table,
        "total",
        "",
        "",
        "",
        _num(tot["delivered_cost_usd_per_yr"] / 1e6, 1),
        _pct(tot["fx_share"]),
        _num(tot["transport_co2_t_per_yr"]),
    )
    console.print(table)
    if r["unused_routes"]:
        unused = _table("Routes not bought", ["route", "delivered USD/t", "cut to enter, USD/t"])
        for u in r["unused_routes"]:
            _row(unused, u["route"], _num(u["delivered_usd_per_t"], 2), _num(u["entry_cut_usd_per_t"], 2))
        console.print(unused)
    chem = _table("Blend chemistry", ["figure", "value", "min", "max", "binding"])
    for c in r["chemistry"]:
        bind = "yes" if c["binding"] else ""
        _row(
            chem,
            c["figure"],
            f"{c['value']:.4g}",
            "" if c["min"] is None else f"{c['min']:g}",
            "" if c["max"] is None else f"{c['max']:g}",
            bind,
        )
    console.print(chem)
    w = r["works"]
    econ = w.get("economics") or {}
    fp = r["fixed_point"]
    _print_figures(
        "Effect on the works",
        [
            ("burden Fe / sinter Fe", f"{w['burden_fe']:.2%} / {w['sinter_fe']:.2%}"),
            ("coke rate / fuel rate", f"{w['coke_rate_kg_per_thm']:.1f} / {w['fuel_rate_kg_per_thm']:.1f} kg/tHM"),
            ("slag", f"{w['slag_kg_per_thm']:.0f} kg/tHM"),
            ("CO2", _per_t_steel(w["co2_t_per_t_crude_steel"])),
            ("cash cost", _usd_t(econ.get("cash_cost_usd_per_t")) + f" ({econ.get('per_tonne_basis', '-')})"),
            ("binding", ", ".join(r["binding"])),
            (
                "fixed point",
                f"{fp['passes']} passes, last change {fp['last_relative_change']:.1e}, {fp['seconds']:.2f} s",
            ),
        ],
    )


def _print_sweep(scenario: str, rows: list[dict[str, Any]], html: Path) -> None:
    table = _table(
        f"Domestic-ore frontier of {scenario}",
        [
            "domestic share",
            "cash cost USD/t",
            "FX saved USD m/yr",
            "CO2 t/t",
            "burden Fe",
            "coke kg/tHM",
            "slag kg/tHM",
            "binding",
        ],
        right={"cash cost USD/t", "FX saved USD m/yr", "CO2 t/t", "burden Fe", "coke kg/tHM", "slag kg/tHM"},
    )
    for p in rows:
        if not p["feasible"]:
            _row(table, f"{p['domestic_ore_share']:.2f}", "infeasible", "", "", "", "", "", _shorten(p["reason"], 70))
            continue
        _row(
            table,
            f"{p['domestic_ore_share']:.2f}",
            _usd_t(p["cash_cost_usd_per_t"]),
            _num(p["fx_saved_usd_per_yr"] / 1e6, 1),
            f"{p['co2_t_per_t_crude_steel']:.3f}",
            f"{p['burden_fe']:.2%}",
            f"{p['coke_rate_kg_per_thm']:.1f}",
            f"{p['slag_kg_per_thm']:.0f}",
            ", ".join(p["binding"]),
        )
    console.print(table)
    console.print(f"Frontier chart written to {html}")


@app.command()
def rist(
    scenario: Annotated[str, typer.Argument(help="bundled scenario name or YAML file")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write")] = Path("rist.html"),
    unit: Annotated[str | None, typer.Option("--unit", help="blast furnace unit id (default: the first one)")] = None,
    set_: SetOption = None,
) -> None:
    """The Rist operating diagram of a blast furnace computed by the physics model, as interactive HTML."""
    from steelworks.physics.rist import figure
    from steelworks.plant.build import build_plant
    from steelworks.schema.loader import load_scenario

    try:
        check_output_path(out, "--out")
        plant = build_plant(load_scenario(scenario, set_ or []))
        furnaces = {
            plant.unit_ids[u]: r
            for u, r in plant.unit_models.items()
            if plant.unit_kind[u] == "blast_furnace" and plant.operating[u]
        }
        if not furnaces:
            raise InputError(
                "no operating blast furnace with a physics model in this scenario",
                location="units.<id>.model",
                allowed="a unit with model: {kind: blast_furnace}",
            )
        if unit is not None and unit not in furnaces:
            raise InputError(
                f"'{unit}' is not an operating blast furnace with a physics model",
                location="--unit",
                allowed=", ".join(furnaces),
            )
    except InputError as exc:
        _fail(exc)
        return
    chosen = unit or next(iter(furnaces))
    result = furnaces[chosen]
    fig = figure(result, title=f"Rist operating diagram — {chosen}, scenario {scenario}")
    try:
        write_text(out, fig.to_html(include_plotlyjs=True), option="--out")
    except InputError as exc:
        _fail(exc)
        return
    d = result.diagnostics
    console.print(
        f"{chosen}: coke {float(d['coke_rate_kg_per_thm']):.0f} kg/tHM, fuel {float(d['fuel_rate_kg_per_thm']):.0f}"
        f" kg/tHM, top-gas utilisation {float(d['eta_co']):.3f}; diagram written to {out}"
    )


@app.command()
def params(
    scenario: Annotated[str, typer.Argument(help="bundled scenario name or YAML file")],
    set_: SetOption = None,
    fmt: FormatOption = Format.table,
    match: Annotated[str | None, typer.Option("--match", "-m", help="only paths containing this text")] = None,
) -> None:
    """List every settable input path with its value, unit and source."""
    from steelworks.plant.build import build_plant
    from steelworks.report.params import parameter_rows
    from steelworks.schema.loader import load_scenario

    _imports_done()
    try:
        resolved = load_scenario(scenario, set_ or [])
        build_plant(resolved)  # every value is checked as `balance` would, not only listed
        rows = parameter_rows(resolved)
    except InputError as exc:
        _fail(exc)
        return
    if match:
        rows = [r for r in rows if match in r["path"]]
    if fmt is Format.json:
        _dump(rows)
        return
    table = Table(title=f"Parameters of {scenario} ({len(rows)})")
    for col in ("path", "value", "unit", "allowed", "source"):
        table.add_column(col, overflow="fold")
    for r in rows:
        value = str(r["value"])
        _row(table, r["path"] + (" *" if r["overridden"] else ""), value, r["unit"], r["allowed"], r["source"])
    console.print(table)


@app.command()
def scenarios() -> None:
    """List the bundled scenarios."""
    from steelworks.schema.loader import list_scenarios

    table = Table(title="Bundled scenarios")
    table.add_column("name")
    table.add_column("description", overflow="fold")
    for name, description in list_scenarios():
        _row(table, name, description)
    console.print(table)


class RiskMethod(StrEnum):
    mc = "mc"
    lhs = "lhs"
    sobol = "sobol"


def _parse_samples(text: str) -> int:
    """'100000', '1e5', '100_000' or '2^16'."""
    cleaned = text.strip().replace("_", "").replace(",", "")
    try:
        if "^" in cleaned:
            base, _, power = cleaned.partition("^")
            value = int(base) ** int(power)
        else:
            as_float = float(cleaned)
            if not math.isfinite(as_float) or as_float != int(as_float):
                raise ValueError
            value = int(as_float)
    except (ValueError, OverflowError):
        raise InputError(
            f"'{text}' is not a sample count", location="--samples", allowed="e.g. 10000, 1e5, 2^16"
        ) from None
    return value


@contextlib.contextmanager
def _sample_progress(what: str) -> Iterator[tuple[Callable[[str, int], None], Callable[[int], None]]]:
    """A rich progress bar on stderr with samples/s and the time left; sized when the run starts."""
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console._console_or_new(), transient=True) as bar:
        task = bar.add_task(what, total=None, rate="")
        started = [time.perf_counter(), 0]

        def on_start(run_id: str, samples: int) -> None:
            bar.update(task, total=samples, description=f"{what} {run_id}")

        def advance(n: int) -> None:
            started[1] += n
            rate = started[1] / max(time.perf_counter() - started[0], 1e-9)
            bar.update(task, advance=n, rate=f"{rate:,.0f} samples/s")

        yield on_start, advance


@app.command()
def risk(
    scenarios: Annotated[list[str] | None, typer.Argument(help="scenario(s); several with --compare")] = None,
    samples: Annotated[
        str, typer.Option("--samples", "-n", help="samples (sobol: base samples N, a power of 2)")
    ] = "1000",
    uncertainty: Annotated[str, typer.Option("--uncertainty", "-u", help="bundled name or YAML file")] = "psm-default",
    method: Annotated[RiskMethod, typer.Option("--method", help="mc, lhs or sobol")] = RiskMethod.mc,
    seed: Annotated[int, typer.Option("--seed", help="same seed, same numbers (any number of workers)")] = 1,
    chunk: Annotated[int, typer.Option("--chunk", help="samples per chunk (one batched pass each)")] = 1000,
    workers: Annotated[int, typer.Option("--workers", help="local Dask worker processes; 0 = in this process")] = 2,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="a Dask scheduler, tcp://host:8786")] = None,
    store: Annotated[Path | None, typer.Option("--store", help="the results store (DuckDB file)")] = None,
    resume: Annotated[str | None, typer.Option("--resume", help="finish an incomplete run by its id")] = None,
    compare: Annotated[bool, typer.Option("--compare", help="several scenarios on common random numbers")] = False,
    tornado: Annotated[bool, typer.Option("--tornado/--no-tornado", help="one-at-a-time tornado of NPV")] = True,
    cash_flows: Annotated[bool, typer.Option("--cash-flows", help="store each sample's yearly cash flow too")] = False,
    html: Annotated[Path | None, typer.Option("--html", help="write histograms, CDFs, tornado, Sobol bars")] = None,
    set_: SetOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Monte Carlo / Latin hypercube / Sobol over the whole chain into the results store."""
    from steelworks.risk.run import RunSpec
    from steelworks.risk.service import run
    from steelworks.store import Store

    names = scenarios or []
    try:
        if resume is None and not names:
            raise InputError("name a scenario (or --resume RUN)", location="SCENARIO", allowed="steelworks scenarios")
        if len(names) > 1 and not compare:
            raise InputError(
                f"{len(names)} scenarios given", location="SCENARIO", allowed="one, or several with --compare"
            )
        if workers < 0 or workers > 64:
            raise InputError(f"{workers} workers", location="--workers", allowed="0 to 64")
        the_store = Store(store)
        spec = RunSpec(
            scenarios=tuple(names) or ("-",),
            uncertainty=uncertainty,
            samples=_parse_samples(samples),
            method=method.value,
            seed=seed,
            chunk_size=chunk,
            overrides=tuple(set_ or []),
            cash_flows=cash_flows,
        )
        if html is not None:
            check_output_path(html, "--html")
        with _sample_progress("risk") as (on_start, advance):
            run_id, summary = run(
                spec, the_store, resume=resume, workers=workers, scheduler=scheduler,
                progress=advance, on_start=on_start, tornado=tornado,
            )  # fmt: skip
        if html is not None:
            from steelworks.report.risk import write_risk_html

            npv = {s: the_store.samples(run_id, s, ["sample", "npv_usd"])["npv_usd"] for s in summary["scenarios"]}
            write_risk_html(html, summary, npv)
    except InputError as exc:
        _fail(exc)
        return
    except KeyboardInterrupt:
        err_console.print(
            "interrupted: the chunks finished so far are stored; finish with --resume RUN (see `runs list`)"
        )
        raise typer.Exit(code=130) from None
    if fmt is Format.json:
        _dump(summary)
        return
    _print_risk(summary)
    if html is not None:
        console.print(f"figures written to {html}")


def _maybe(value: float | None) -> str:
    return "-" if value is None or not math.isfinite(value) else _num(value)


def _print_risk(summary: dict[str, Any]) -> None:
    from steelworks.report.risk import statistics_rows

    spec = summary["spec"]
    table = _table(
        f"Risk run {summary['run_id']}: {summary['rows']:,} draws ({spec['method']}, seed {spec['seed']}, "
        f"{spec['uncertainty']})",
        ["scenario", "feasible", "P(NPV>0)", "NPV P10, M USD", "P50", "P90", "ES10", "LCOS P10, USD/t", "P50", "P90"],
    )
    for r in statistics_rows(summary):
        _row(
            table, r["scenario"], f"{r['feasible']:,}/{r['samples']:,}", _pct(r["p_npv_positive"]),
            *(_maybe(r[k]) for k in ("npv_p10_musd", "npv_p50_musd", "npv_p90_musd", "npv_es10_musd")),
            *(_maybe(r[k]) for k in ("lcos_p10", "lcos_p50", "lcos_p90")),
        )  # fmt: skip
    console.print(table)
    for name, block in summary["scenarios"].items():
        if block.get("entries_held_for_a_plan"):
            held = ", ".join(block["entries_held_for_a_plan"])
            console.print(f"{name}: held at their values (a plan's flows are fixed): {held}")
        if block.get("sobol_npv"):
            t = _table(f"{name}: Sobol indices of NPV", ["parameter", "S1", "±", "ST", "±"])
            for p, ix in sorted(block["sobol_npv"].items(), key=lambda kv: -kv[1]["ST"]):
                _row(t, p, f"{ix['S1']:.3f}", f"{ix['S1_conf']:.3f}", f"{ix['ST']:.3f}", f"{ix['ST_conf']:.3f}")
            console.print(t)
        elif block.get("rank_correlation_npv"):
            t = _table(f"{name}: drivers of NPV (Spearman rank correlation)", ["parameter", "rho"])
            for p, rho in list(block["rank_correlation_npv"].items())[:8]:
                _row(t, p, f"{rho:+.2f}")
            console.print(t)
        if block.get("tornado_npv"):
            t = _table(f"{name}: tornado (NPV, M USD; one input at P10 / P90)", ["parameter", "P10", "P90", "swing"])
            for r in block["tornado_npv"][:8]:
                _row(t, r["parameter"], _num(r["npv_low_usd"] / 1e6), _num(r["npv_high_usd"] / 1e6),
                     _num(r["swing_usd"] / 1e6))  # fmt: skip
            console.print(t)
        points = block.get("convergence") or []
        if len(points) >= 2:
            half, full = points[-2], points[-1]
            console.print(
                f"{name}: NPV P50 {full['p50'] / 1e6:,.0f} M USD on {full['n']:,} samples, "
                f"{half['p50'] / 1e6:,.0f} on the first {half['n']:,}; P(NPV>0) {full['p_positive']:.2%} vs "
                f"{half['p_positive']:.2%}"
            )
        if block.get("infeasible_reasons"):
            for reason, count in block["infeasible_reasons"]:
                console.print(f"{name}: {count:,} infeasible: {escape(reason)}")
    for pair, b in summary.get("comparison", {}).items():
        if b.get("n"):
            console.print(
                f"{pair}: P(first beats second) {b['p_a_beats_b']:.1%}, mean NPV difference "
                f"{b['mean_difference_usd'] / 1e6:,.0f} M USD (P10 {b['p10_difference_usd'] / 1e6:,.0f}, "
                f"P90 {b['p90_difference_usd'] / 1e6:,.0f}) on {b['n']:,} common samples"
            )


runs_app = typer.Typer(no_args_is_help=True, help="The results store: list, show and export runs.")
app.add_typer(runs_app, name="runs")
StoreOption = Annotated[Path | None, typer.Option("--store", help="the results store (DuckDB file)")]


@runs_app.command("list")
def runs_list(store: StoreOption = None, fmt: FormatOption = Format.table) -> None:
    """Every run in the store, oldest first."""
    from steelworks.store import Store

    try:
        records = Store(store).runs()
    except InputError as exc:
        _fail(exc)
        return
    if fmt is Format.json:
        _dump([{k: v for k, v in vars(r).items() if k not in ("inputs", "summary")} for r in records])
        return
    table = _table(
        f"Runs in {Store(store).path}", ["run", "status", "scenarios", "method", "samples", "seed", "created"]
    )
    for r in records:
        _row(table, r.run_id, r.status, ", ".join(r.scenarios), r.method, f"{r.n_samples:,}", str(r.seed), r.created)
    console.print(table)


@runs_app.command("show")
def runs_show(run_id: Annotated[str, typer.Argument(help="run id")], store: StoreOption = None,
              fmt: FormatOption = Format.table) -> None:  # fmt: skip
    """A run's inputs, status and statistics."""
    from steelworks.store import Store

    try:
        record = Store(store).run(run_id)
        done = {s: len(Store(store).done_chunks(run_id, s)) for s in record.scenarios}
    except InputError as exc:
        _fail(exc)
        return
    if fmt is Format.json:
        _dump({**vars(record), "chunks_done": done})
        return
    _print_figures(
        f"Run {record.run_id} ({record.status})",
        [("scenarios", ", ".join(record.scenarios)), ("uncertainty", record.uncertainty),
         ("method, seed", f"{record.method}, {record.seed}"), ("samples", f"{record.n_samples:,}"),
         ("chunks done", ", ".join(f"{s}: {n}/{record.n_chunks}" for s, n in done.items())),
         ("overrides", ", ".join(record.inputs.get("overrides", [])) or "-"),
         ("versions", ", ".join(f"{k} {v}" for k, v in record.versions.items()))],
    )  # fmt: skip
    if record.summary:
        _print_risk(record.summary)


@runs_app.command("export")
def runs_export(
    run_id: Annotated[str, typer.Argument(help="run id")],
    parquet: Annotated[Path, typer.Option("--parquet", help="folder for one Parquet file per scenario")],
    store: StoreOption = None,
) -> None:
    """A run's samples (inputs and KPIs) as Parquet files."""
    from steelworks.store import Store

    try:
        files = Store(store).export(run_id, parquet)
    except InputError as exc:
        _fail(exc)
        return
    for f in files:
        console.print(f"written {f}")


class SchemaKind(StrEnum):
    scenario = "scenario"
    plant = "plant"
    carriers = "carriers"


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Option("--kind", help="which file format")] = SchemaKind.scenario,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write to this file instead of stdout")] = None,
) -> None:
    """Write the JSON Schema of the scenario, plant or carriers file format (for editor completion)."""
    from steelworks.schema.jsonschema import json_schema

    text = json.dumps(json_schema(kind.value), indent=2)
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        try:
            write_text(out, text + "\n", option="--out")
        except InputError as exc:
            _fail(exc)
            return
        console.print(f"JSON Schema of the {kind.value} format written to {out}")


@app.command("report")
def report_cmd(
    scenario: Annotated[str, typer.Argument(help="bundled scenario name or YAML file with an economics: block")],
    html: Annotated[Path, typer.Option("--html", help="the self-contained HTML report to write")],
    set_: SetOption = None,
    compare_with: Annotated[
        list[str] | None, typer.Option("--compare", help="another scenario to compare against (repeatable)")
    ] = None,
    baseline: Annotated[str | None, typer.Option("--baseline", help="scenario the comparison is against")] = None,
    risk_run: Annotated[
        str | None, typer.Option("--risk", help="a risk run of the store to include (a run id, or 'latest')")
    ] = None,
    store: Annotated[Path | None, typer.Option("--store", help="the results store (DuckDB file)")] = None,
) -> None:
    """Write a self-contained HTML report: inputs with sources, balance, Sankey, business case, comparison,
    and (with --risk) a risk run's statistics and figures."""
    from steelworks.api import run_evaluation
    from steelworks.report.html import write_report_html
    from steelworks.risk.service import risk_for_report

    try:
        check_output_path(html, "--html")
        result = run_evaluation(scenario, set_ or [])
        others = [run_evaluation(name) for name in compare_with or []]
        risk = risk_for_report(risk_run, scenario, store) if risk_run else None
        write_report_html(html, result, others, baseline, list(set_ or []), risk=risk)
    except InputError as exc:
        _fail(exc)
        return
    console.print(f"Report written to {html}")


@app.command("app")
def app_cmd(
    host: Annotated[str, typer.Option("--host", help="address to listen on (loopback by default)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port", min=1, max=65535)] = 8050,
) -> None:
    """Start the dashboard (Works, Options, Plan, Report) in a web server and print its address."""
    import ipaddress

    from steelworks.app import create_app

    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        err_console.print(
            f"[bold yellow]warning:[/] listening on {escape(host)}, beyond this machine's loopback: anyone who can "
            "reach this address can use the dashboard (it has no login)",
            highlight=False,
        )
    shown = f"[{host}]" if ":" in host else host
    console.print(f"steelworks dashboard at http://{shown}:{port}/ (Ctrl+C to stop)", highlight=False)
    create_app().run(host=host, port=port, debug=False)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
