"""The country view: foreign exchange saved, jobs, and the EU CBAM charge on exports.

Foreign exchange. A domestic tonne that replaces an import saves its CFR price (paid abroad); the
duties and port charges of the landed price are paid in PKR and save no foreign exchange, so they
count only in the import-parity price. From the saving we take the foreign part of what the works
buys (``foreign_share`` of each price: seaborne ore and coal 100 %, RLNG ~85 %, electricity ~35 %)
and of its spares. Debt service on foreign loans and the foreign share of capex are reported next
to it, because they depend on how the project is financed; the saving net of the foreign debt
service (mean over the repayment years) is reported as well.

CBAM. From 2026 an EU importer pays for the embedded emissions less the free allocation an EU
producer of the same product still gets: ``max(0, e - factor(year) x benchmark) x EUA price``
per tonne, with the CBAM factor falling from 97.5 % (2026) to 0 (2034).
"""

from __future__ import annotations

import numpy as np

from steelworks.economics.prices import Converter
from steelworks.errors import InputError
from steelworks.schema.economics import CountryParams


def cbam_factor(years: np.ndarray, params: CountryParams) -> np.ndarray:
    """Share of free allocation still granted in each year (before the table: first value; after: last)."""
    table = params.cbam.factor
    known = np.array(sorted(table), dtype=float)
    values = np.array([table[int(y)] for y in known])
    return np.interp(np.asarray(years, dtype=float), known, values)


def cbam_usd_per_t(
    years: np.ndarray,
    embedded_t_per_t: float | np.ndarray,
    benchmark: str,
    params: CountryParams,
    conv: Converter,
    *,
    file: str | None = None,
) -> np.ndarray:
    """CBAM charge per tonne of product exported to the EU, cost-year USD, per year."""
    bench = params.cbam.benchmarks.get(benchmark)
    if bench is None:
        raise InputError(
            f"unknown CBAM benchmark {benchmark!r}",
            file=file,
            location="option.export.cbam_benchmark",
            allowed=", ".join(sorted(params.cbam.benchmarks)),
        )
    eua = conv.usd_per(
        params.cbam.eua_price.amount,
        "t",
        params.cbam.eua_price.year,
        where="country.cbam.eua_price",
        file=params.file,
    )
    factor = cbam_factor(years, params)
    charge = np.maximum(0.0, embedded_t_per_t - factor * bench) * eua
    before = np.asarray(years) < 2026  # the definitive period starts on 1 Jan 2026
    return np.where(before, 0.0, charge)


def fx_saved_per_year(
    products_t: np.ndarray,
    landed_cfr: np.ndarray,
    purchases_usd: np.ndarray,
    foreign_share: np.ndarray,
    spares_usd: float,
    spares_foreign_share: float,
    other_foreign_usd: float = 0.0,
) -> dict[str, float]:
    """Foreign exchange saved in a year (cost-year USD): imports replaced minus imported inputs."""
    replaced = float(np.dot(products_t, landed_cfr))
    inputs = float(np.dot(purchases_usd, foreign_share))
    spares = spares_usd * spares_foreign_share
    return {
        "imports_replaced_usd": replaced,
        "imported_inputs_usd": inputs,
        "imported_spares_usd": spares,
        "other_foreign_costs_usd": other_foreign_usd,
        "fx_saved_usd": replaced - inputs - spares - other_foreign_usd,
    }


def jobs(direct: float, params: CountryParams, *, producing: bool = True) -> dict[str, float]:
    """Direct staff and the supply-chain jobs they support. The multiplier is a sector ratio of
    steel-industry employment (indirect per direct, country.yaml); it counts the jobs of suppliers,
    hauliers and services that live on the works' *production*, so an idle works (``producing=False``:
    staff kept on, nothing bought or sold) supports none."""
    indirect = float(direct) * params.indirect_jobs_per_direct.value if producing else 0.0
    return {"direct": float(direct), "indirect": indirect}
