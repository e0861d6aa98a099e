"""An Excel workbook of an evaluation, for people who live in Excel: KPIs, cash flows, flows, inputs."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from steelworks.fileio import write_bytes

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def workbook_table(
    ws: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[Any]], number_format: str = "#,##0"
) -> None:
    ws.append(list(headers))
    for cell in ws[ws.max_row]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([None if v is None else v for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = number_format if abs(cell.value) >= 10 else "0.000"
    ws.freeze_panes = ws.cell(row=2, column=2)
    for i, header in enumerate(headers, start=1):
        width = max(
            [len(str(header))]
            + [
                len(f"{c.value:,.0f}" if isinstance(c.value, float) else str(c.value or ""))
                for c in ws[get_column_letter(i)][1:200]
            ]
        )
        ws.column_dimensions[get_column_letter(i)].width = min(max(10, width + 2), 60)


def write_workbook(
    evaluation: dict[str, Any], balance: dict[str, Any], parameters: list[dict[str, Any]], path: Path
) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "KPIs"
    rows = [
        (k, v if not isinstance(v, int | float) or isinstance(v, bool) else float(v))
        for k, v in evaluation["kpis"].items()
    ]
    rows += [("plant: " + k, float(v)) for k, v in balance["kpis"].items()]
    workbook_table(ws, ["figure", "value"], rows, "#,##0")

    cf = wb.create_sheet("Cash flows")
    lines = evaluation["cash_flows"]
    keys = [k for k in lines[0] if k != "year"]
    headers = ["line (USD, nominal)"] + [str(r["year"]) for r in lines]
    workbook_table(cf, headers, [[k] + [r[k] for r in lines] for k in keys])

    fl = wb.create_sheet("Boundary flows")
    workbook_table(
        fl,
        ["carrier", "name", "unit", "bought per year", "sold per year"],
        [(r["carrier"], r["name"], r["unit"], r["purchased"], r["sold"]) for r in balance["boundary"]],
    )

    un = wb.create_sheet("Units")
    workbook_table(
        un,
        ["unit", "kind", "condition", "output", "unit of output", "capacity", "utilisation", "CO2 direct t"],
        [
            (
                u["id"],
                u["kind"],
                u["condition"],
                u["output_t"],
                u["output_unit"],
                u["capacity_t"],
                u["utilisation"],
                u["co2_direct_t"],
            )
            for u in balance["units"]
        ],
    )

    cx = wb.create_sheet("Capex")
    capex_units = evaluation["capex"].get("units", [])
    if capex_units:
        keys = list(capex_units[0])
        workbook_table(cx, keys, [[u.get(k) for k in keys] for u in capex_units])

    inp = wb.create_sheet("Inputs")
    workbook_table(
        inp,
        ["path", "value", "unit", "source", "file / line"],
        [
            (
                p["path"],
                p["value"] if isinstance(p["value"], int | float | str) else str(p["value"]),
                p["unit"],
                p["source"],
                f"{p['file']} {p['where']}",
            )
            for p in parameters
        ],
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    write_bytes(path, buffer.getvalue(), option="--xlsx")  # atomic: never a half-written workbook
