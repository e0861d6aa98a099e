"""Strict records for raw-material sources and logistics legs (issue 11)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import _Strict


class OreAnalysis(_Strict):
    """Mass fractions of a dry ore (Fe as element; oxides as oxide; LOI)."""

    Fe: float = Field(ge=0, le=1)
    SiO2: float = Field(ge=0, le=1)
    Al2O3: float = Field(ge=0, le=1)
    CaO: float = Field(ge=0, le=1)
    MgO: float = Field(ge=0, le=1)
    P: float = Field(ge=0, le=1)
    S: float = Field(ge=0, le=1)
    Mn: float = Field(ge=0, le=1)
    alkalis: float = Field(ge=0, le=1)
    LOI: float = Field(ge=0, le=1)


class Source(_Strict):
    carrier: str
    analysis: OreAnalysis
    moisture_frac: float = Field(ge=0, lt=1)
    price_usd_per_t: float = Field(ge=0)
    price_basis: Literal["FOB", "ex-mine", "delivered", "CFR"]
    currency: str
    price_date: str
    foreign_exchange: bool
    capacity_t_per_yr: float = Field(gt=0)
    source: str


class Leg(_Strict):
    mode: Literal["sea", "rail", "road", "berth", "conveyor"]
    distance_km: float = Field(ge=0)
    cost_usd_per_t: float = Field(ge=0)
    cost_usd_per_t_km: float = Field(ge=0)
    capacity_t_per_yr: float
    transit_days: float = Field(ge=0)
    co2_kg_per_t_km: float = Field(ge=0)
    source: str


class Route(_Strict):
    source: str
    legs: list[str]


class SourcesFile(_Strict):
    sources: dict[str, Source]


class LogisticsFile(_Strict):
    legs: dict[str, Leg]
    routes: dict[str, Route]
