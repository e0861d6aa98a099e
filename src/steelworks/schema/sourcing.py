"""Strict records for raw-material sources, beneficiation, logistics legs and blend limits (issue 11).

Units: tonnes are dry tonnes (prices per dmt, as the seaborne indices) unless a field says wet; legs
carry wet tonnes (dry / (1 - moisture)). Money is USD of the price deck's year.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import _Strict

#: the plant carriers a source can become (the works buys these at its boundary)
SINTER_FEED = ("iron_ore_fines", "local_ore_fines")
LUMP = ("iron_ore_lump",)
COAL = ("coking_coal", "pci_coal")
FLUX = ("limestone", "dolomite")
SCRAP = ("scrap",)
SOURCED_CARRIERS = SINTER_FEED + LUMP + COAL + FLUX + SCRAP


class OreAnalysis(_Strict):
    """Mass fractions of a dry ore or flux (Fe as element; oxides as oxide; LOI = water and CO2)."""

    Fe: float = Field(ge=0, le=1)
    SiO2: float = Field(ge=0, le=1)
    Al2O3: float = Field(ge=0, le=1)
    CaO: float = Field(ge=0, le=1)
    MgO: float = Field(ge=0, le=1)
    P: float = Field(ge=0, le=1)
    S: float = Field(ge=0, le=1)
    Mn: float = Field(ge=0, le=1)
    alkalis: float = Field(ge=0, le=1, description="K2O + Na2O")
    LOI: float = Field(ge=0, le=1)


class CoalAnalysis(_Strict):
    """Proximate analysis of a dry coal (mass fractions) and its coke strength after reaction."""

    ash: float = Field(ge=0, lt=1)
    volatile_matter: float = Field(ge=0, lt=1)
    S: float = Field(ge=0, lt=1)
    CSR: float | None = Field(default=None, ge=0, le=100, description="coke strength after reaction, %")


class Source(_Strict):
    carrier: Literal[SOURCED_CARRIERS]  # type: ignore[valid-type]
    analysis: OreAnalysis | None = None  # ores and fluxes
    coal: CoalAnalysis | None = None  # coking and PCI coal
    moisture_frac: float = Field(ge=0, lt=1)
    price_usd_per_t: float = Field(ge=0, description="USD per dry t at the price basis")
    price_basis: Literal["FOB", "ex-mine", "ex-yard", "delivered", "CFR"]
    currency: str
    price_date: str
    foreign_exchange: bool
    capacity_t_per_yr: float = Field(gt=0, description="dry t/yr available to the works")
    source: str


class Beneficiation(_Strict):
    """A concentrator at a lean-ore mine: feed (a source), mass yield, concentrate analysis, energy, cost.

    The concentrate is a supply of its own (routes name the beneficiation id as their source); its
    feed draws on the feed source's capacity at 1/yield t per t concentrate.
    """

    feed: str
    carrier: Literal[SINTER_FEED]  # type: ignore[valid-type]
    mass_yield: float = Field(gt=0, le=1, description="t concentrate per t dry feed")
    concentrate: OreAnalysis
    moisture_frac: float = Field(ge=0, lt=1)
    electricity_kwh_per_t_feed: float = Field(ge=0)
    electricity_usd_per_kwh: float = Field(ge=0)
    cost_usd_per_t_feed: float = Field(ge=0, description="processing cost besides electricity")
    grid_co2_kg_per_kwh: float = Field(ge=0)
    capacity_t_feed_per_yr: float = Field(gt=0)
    source: str


class Leg(_Strict):
    mode: Literal["sea", "rail", "road", "berth", "conveyor"]
    distance_km: float = Field(ge=0)
    cost_usd_per_t: float = Field(ge=0, description="per wet t")
    cost_usd_per_t_km: float = Field(ge=0, description="per wet t.km")
    capacity_t_per_yr: float = Field(description="wet t/yr")
    transit_days: float = Field(ge=0)
    co2_kg_per_t_km: float = Field(ge=0)
    foreign_exchange: bool = False
    source: str


class Route(_Strict):
    source: str
    legs: list[str]


class SourcesFile(_Strict):
    sources: dict[str, Source]
    beneficiation: dict[str, Beneficiation] = {}


class LogisticsFile(_Strict):
    legs: dict[str, Leg]
    routes: dict[str, Route]


class Limit(_Strict):
    value: float = Field(ge=0)
    source: str


class BlendLimits(_Strict):
    """Chemistry limits of the blend (each with its source)."""

    sinter_basicity_min: Limit  # CaO/SiO2 of the sinter
    sinter_basicity_max: Limit
    burden_sio2_kg_per_thm: Limit  # SiO2 of the iron-bearing feed per t hot metal (slag-volume proxy)
    burden_al2o3_kg_per_thm: Limit  # Al2O3 of the iron-bearing feed per t hot metal (slag Al2O3 proxy)
    p_kg_per_thm: Limit  # P of the iron-bearing feed per t hot metal (all P reports to the metal)
    alkali_kg_per_thm: Limit  # K2O + Na2O of the iron-bearing feed per t hot metal
    coal_ash_max: Limit  # dry ash of the coking-coal blend
    coal_s_max: Limit  # S of the coking-coal blend
    concentrate_share_of_sinter_feed_max: Limit  # concentrate in the sinter feed (granulation)


class LimitsFile(_Strict):
    limits: BlendLimits


class SourcingSpec(_Strict):
    """The ``sourcing:`` block of a scenario file (top level, beside ``scenario:``)."""

    sources_file: str | None = None  # default: the bundled data/sourcing/sources.yaml
    logistics_file: str | None = None
    limits_file: str | None = None
    exclude: list[str] = Field(default=[], description="source or beneficiation ids not offered")
    domestic_ore_share: float | None = Field(
        default=None, ge=0, le=1, description="forced share of domestic Fe units in the iron-bearing feed"
    )
    set: dict[str, float] = Field(
        default={}, description="dotted changes of the loaded data, e.g. legs.instc_rail.cost_usd_per_t: 60"
    )
    description: str = ""
