"""Load and check sources.yaml, logistics.yaml and limits.yaml; the supplies the blend LP buys from (issue 11).

A *supply* is what a route starts at: a source as mined/bought, or the concentrate of a beneficiation
plant (which draws on its feed source's capacity at 1/yield t per t concentrate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import InputError
from ..schema.sourcing import (
    COAL,
    FLUX,
    SCRAP,
    Beneficiation,
    BlendLimits,
    Leg,
    LimitsFile,
    LogisticsFile,
    OreAnalysis,
    Route,
    Source,
    SourcesFile,
)
from ..schema.yamlio import load_yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "sourcing"
FE2O3_PER_FE = 1.0 / 0.6994  # t Fe2O3 per t Fe (stoichiometry)
MNO_PER_MN = 70.937 / 54.938  # t MnO per t Mn (stoichiometry)
ANALYSIS_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Supply:
    """One thing a route can start at (a source, or a beneficiation plant's concentrate)."""

    id: str
    carrier: str
    analysis: OreAnalysis | None
    coal: Any  # CoalAnalysis | None
    moisture: float
    price_usd_per_t: float  # per dry t at the supply (for a concentrate: feed, power and processing)
    foreign_exchange: bool
    capacity_t: float  # dry t/yr of this supply
    feed: str | None = None  # source whose capacity a concentrate draws on
    feed_per_t: float = 0.0  # t feed per t concentrate
    co2_kg_per_t: float = 0.0  # beneficiation power CO2 per t concentrate
    concentrate: bool = False
    domestic: bool = False


@dataclass(frozen=True)
class SourcingData:
    sources: dict[str, Source]
    legs: dict[str, Leg]
    routes: dict[str, Route]
    sources_file: str
    logistics_file: str
    beneficiation: dict[str, Beneficiation] = field(default_factory=dict)
    limits: BlendLimits | None = None
    limits_file: str = ""

    def supplies(self) -> dict[str, Supply]:
        out: dict[str, Supply] = {}
        for sid, s in self.sources.items():
            out[sid] = Supply(
                sid,
                s.carrier,
                s.analysis,
                s.coal,
                s.moisture_frac,
                s.price_usd_per_t,
                s.foreign_exchange,
                s.capacity_t_per_yr,
                domestic=not s.foreign_exchange,
            )
        for bid, b in self.beneficiation.items():
            feed = self.sources[b.feed]
            per_feed = feed.price_usd_per_t + b.electricity_kwh_per_t_feed * b.electricity_usd_per_kwh
            out[bid] = Supply(
                bid,
                b.carrier,
                b.concentrate,
                None,
                b.moisture_frac,
                (per_feed + b.cost_usd_per_t_feed) / b.mass_yield,
                False,
                b.capacity_t_feed_per_yr * b.mass_yield,
                feed=b.feed,
                feed_per_t=1.0 / b.mass_yield,
                co2_kg_per_t=b.electricity_kwh_per_t_feed * b.grid_co2_kg_per_kwh / b.mass_yield,
                concentrate=True,
                domestic=True,
            )
        return out


def _parse(model: type[BaseModel], path: Path) -> Any:
    data, _lines = load_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InputError(err["msg"], file=str(path), location=where) from None


def _analysis_total(a: OreAnalysis) -> float:
    return a.Fe * FE2O3_PER_FE + a.SiO2 + a.Al2O3 + a.CaO + a.MgO + a.P + a.S + a.Mn + a.alkalis + a.LOI


def _check_analysis(a: OreAnalysis, file: Path, where: str) -> None:
    total = _analysis_total(a)
    if total > 1.0 + ANALYSIS_TOLERANCE:
        raise InputError(
            f"analysis sums to {total:.4f} (Fe counted as Fe2O3)",
            file=str(file),
            location=where,
            allowed="Fe/0.6994 + gangue + LOI <= 1",
        )


def apply_changes(data: SourcingData, changes: Mapping[str, float], file: str | None = None) -> SourcingData:
    """``{"legs.instc_rail.cost_usd_per_t": 60}``: the loaded data with those fields changed (checked)."""
    tables: dict[str, dict[str, Any]] = {
        "sources": dict(data.sources),
        "legs": dict(data.legs),
        "beneficiation": dict(data.beneficiation),
    }
    for key, value in changes.items():
        parts = key.split(".")
        if len(parts) != 3 or parts[0] not in tables or parts[1] not in tables[parts[0]]:
            names = ", ".join(f"{t}.<id>.<field>" for t in tables)
            raise InputError(f"cannot change '{key}'", file=file, location=f"sourcing.set.{key}", allowed=names)
        record = tables[parts[0]][parts[1]]
        if parts[2] not in type(record).model_fields or isinstance(getattr(record, parts[2]), BaseModel):
            raise InputError(
                f"'{parts[2]}' is not a number field of {parts[0]}.{parts[1]}",
                file=file,
                location=f"sourcing.set.{key}",
                allowed=", ".join(k for k, v in record if isinstance(v, int | float) and not isinstance(v, bool)),
            )
        try:
            tables[parts[0]][parts[1]] = type(record).model_validate({**record.model_dump(), parts[2]: value})
        except ValidationError as exc:
            raise InputError(exc.errors()[0]["msg"], file=file, location=f"sourcing.set.{key}") from None
    new = SourcingData(
        tables["sources"],
        tables["legs"],
        data.routes,
        data.sources_file,
        data.logistics_file,
        tables["beneficiation"],
        data.limits,
        data.limits_file,
    )
    _check(new)
    return new


def exclude(data: SourcingData, ids: list[str], file: str | None = None) -> SourcingData:
    """The data without the named sources / beneficiation plants (and their routes)."""
    known = set(data.sources) | set(data.beneficiation)
    for i in ids:
        if i not in known:
            raise InputError(
                f"cannot exclude unknown source '{i}'",
                file=file,
                location="sourcing.exclude",
                allowed=", ".join(sorted(known)),
            )
    drop = set(ids)
    sources = {k: v for k, v in data.sources.items() if k not in drop}
    ben = {k: v for k, v in data.beneficiation.items() if k not in drop and v.feed not in drop}
    supplies = set(sources) | set(ben)
    routes = {k: r for k, r in data.routes.items() if r.source in supplies}
    return SourcingData(
        sources, data.legs, routes, data.sources_file, data.logistics_file, ben, data.limits, data.limits_file
    )


def _check(d: SourcingData) -> None:
    sp, lp = Path(d.sources_file), Path(d.logistics_file)
    for name, src in d.sources.items():
        where = f"sources.{name}"
        if src.carrier in COAL:
            if src.coal is None:
                raise InputError(
                    "a coal source needs its 'coal:' analysis",
                    file=str(sp),
                    location=where,
                    allowed="coal: {ash, volatile_matter, S, CSR}",
                )
        elif src.carrier not in SCRAP:
            if src.analysis is None:
                raise InputError(
                    f"a {src.carrier} source needs its 'analysis:'",
                    file=str(sp),
                    location=where,
                    allowed="analysis: {Fe, SiO2, Al2O3, CaO, MgO, P, S, Mn, alkalis, LOI}",
                )
            _check_analysis(src.analysis, sp, f"{where}.analysis")
            if src.carrier not in FLUX and src.analysis.Fe <= 0:
                raise InputError(
                    "an iron ore source carries no Fe", file=str(sp), location=f"{where}.analysis.Fe", allowed="Fe > 0"
                )
    for name, b in d.beneficiation.items():
        where = f"beneficiation.{name}"
        if b.feed not in d.sources:
            raise InputError(
                f"beneficiation feed '{b.feed}' is not a source",
                file=str(sp),
                location=f"{where}.feed",
                allowed=", ".join(sorted(d.sources)),
            )
        feed = d.sources[b.feed]
        if feed.analysis is None or feed.analysis.Fe <= 0:
            raise InputError("the beneficiation feed carries no Fe", file=str(sp), location=f"{where}.feed")
        _check_analysis(b.concentrate, sp, f"{where}.concentrate")
        recovery = b.mass_yield * b.concentrate.Fe / feed.analysis.Fe
        if recovery > 1.0 + ANALYSIS_TOLERANCE:
            raise InputError(
                f"Fe recovery {recovery:.3f} > 1 (yield {b.mass_yield} x concentrate Fe {b.concentrate.Fe} / "
                f"feed Fe {feed.analysis.Fe})",
                file=str(sp),
                location=f"{where}.mass_yield",
                allowed=f"mass_yield <= {feed.analysis.Fe / b.concentrate.Fe:.3f}",
            )
    for name, leg in d.legs.items():
        if leg.capacity_t_per_yr <= 0:
            raise InputError(
                f"leg has capacity {leg.capacity_t_per_yr} t/yr",
                file=str(lp),
                location=f"legs.{name}.capacity_t_per_yr",
                allowed="> 0 t/yr",
            )
    supplies = set(d.sources) | set(d.beneficiation)
    for name, route in d.routes.items():
        if route.source not in supplies:
            raise InputError(
                f"route names unknown source '{route.source}'",
                file=str(lp),
                location=f"routes.{name}.source",
                allowed=", ".join(sorted(supplies)),
            )
        for leg_id in route.legs:
            if leg_id not in d.legs:
                raise InputError(
                    f"route names unknown leg '{leg_id}'",
                    file=str(lp),
                    location=f"routes.{name}.legs",
                    allowed=", ".join(sorted(d.legs)),
                )
    routed = {r.source for r in d.routes.values()}
    for name in supplies:
        if name not in routed and not any(b.feed == name for b in d.beneficiation.values()):
            raise InputError(
                "source has no route to the works",
                file=str(sp),
                location=f"{'sources' if name in d.sources else 'beneficiation'}.{name}",
                allowed=f"a route in {lp} with source: {name}",
            )


def load_sourcing(
    sources_path: Path | None = None, logistics_path: Path | None = None, limits_path: Path | None = None
) -> SourcingData:
    """Read the files; refuse analyses over 100 %, sources with no route, legs with zero capacity."""
    sp = sources_path or DATA_DIR / "sources.yaml"
    lp = logistics_path or DATA_DIR / "logistics.yaml"
    mp = limits_path or DATA_DIR / "limits.yaml"
    sf = _parse(SourcesFile, sp)
    lf = _parse(LogisticsFile, lp)
    mf = _parse(LimitsFile, mp)
    d = SourcingData(
        dict(sf.sources), dict(lf.legs), dict(lf.routes), str(sp), str(lp), dict(sf.beneficiation), mf.limits, str(mp)
    )
    _check(d)
    return d
