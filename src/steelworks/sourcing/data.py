"""Load and check sources.yaml and logistics.yaml (issue 11)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from ..schema.sourcing import LogisticsFile, Route, Source, SourcesFile
from ..schema.yamlio import load_yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "sourcing"
FE2O3_PER_FE = 1.0 / 0.6994  # t Fe2O3 per t Fe (stoichiometry)
ANALYSIS_TOLERANCE = 1e-6


@dataclass(frozen=True)
class SourcingData:
    sources: dict[str, Source]
    legs: dict[str, object]
    routes: dict[str, Route]
    sources_file: str
    logistics_file: str


def _parse(model: type[SourcesFile] | type[LogisticsFile], path: Path) -> SourcesFile | LogisticsFile:
    data, _lines = load_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InputError(err["msg"], file=str(path), location=where) from None


def load_sourcing(sources_path: Path | None = None, logistics_path: Path | None = None) -> SourcingData:
    """Read both files; refuse analyses over 100 %, sources with no route, legs with zero capacity."""
    sp = sources_path or DATA_DIR / "sources.yaml"
    lp = logistics_path or DATA_DIR / "logistics.yaml"
    sf = _parse(SourcesFile, sp)
    lf = _parse(LogisticsFile, lp)
    assert isinstance(sf, SourcesFile) and isinstance(lf, LogisticsFile)
    for name, src in sf.sources.items():
        a = src.analysis
        total = a.Fe * FE2O3_PER_FE + a.SiO2 + a.Al2O3 + a.CaO + a.MgO + a.P + a.S + a.Mn + a.alkalis + a.LOI
        if total > 1.0 + ANALYSIS_TOLERANCE:
            raise InputError(
                f"analysis sums to {total:.4f} (Fe counted as Fe2O3)",
                file=str(sp),
                location=f"sources.{name}.analysis",
                allowed="Fe/0.6994 + gangue + LOI <= 1",
            )
    for name, leg in lf.legs.items():
        if leg.capacity_t_per_yr <= 0:
            raise InputError(
                f"leg has capacity {leg.capacity_t_per_yr} t/yr",
                file=str(lp),
                location=f"legs.{name}.capacity_t_per_yr",
                allowed="> 0 t/yr",
            )
    for name, route in lf.routes.items():
        if route.source not in sf.sources:
            raise InputError(
                f"route names unknown source '{route.source}'",
                file=str(lp),
                location=f"routes.{name}.source",
                allowed=", ".join(sorted(sf.sources)),
            )
        for leg_id in route.legs:
            if leg_id not in lf.legs:
                raise InputError(
                    f"route names unknown leg '{leg_id}'",
                    file=str(lp),
                    location=f"routes.{name}.legs",
                    allowed=", ".join(sorted(lf.legs)),
                )
    routed = {r.source for r in lf.routes.values()}
    for name in sf.sources:
        if name not in routed:
            raise InputError(
                "source has no route to the works",
                file=str(sp),
                location=f"sources.{name}",
                allowed=f"a route in {lp} with source: {name}",
            )
    return SourcingData(dict(sf.sources), dict(lf.legs), dict(lf.routes), str(sp), str(lp))
