"""Pydantic models of carriers, units, plants and scenarios (structure and ranges only).

Quantities stay as written (``"0.6 Mt/year"``, ``"450 kg/t"``) until :mod:`steelworks.plant.build`
converts them, because the unit a recipe entry needs depends on its carrier's kind.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from steelworks.schema.base import _not_bool, _Strict
from steelworks.schema.domains import NON_NEGATIVE, POSITIVE, Domain
from steelworks.schema.money import CostAt

Fraction = Annotated[float, BeforeValidator(_not_bool), Field(ge=0.0, le=1.0)]
#: a quantity as written ("450 kg/t", or a number in the field's unit); converted when the plant is built,
#: which checks the :class:`~steelworks.schema.domains.Domain` declared here (``params`` shows it)
QuantityText = Annotated[str | float | int, Domain()]
NonNegativeQuantity = Annotated[str | float | int, NON_NEGATIVE]
PositiveQuantity = Annotated[str | float | int, POSITIVE]

#: the state a unit is in today (before a scenario's ``restore``/``build`` lists)
CONDITIONS: tuple[str, ...] = ("operating", "repairable", "frozen", "derelict", "not_built")

#: the capital actions a plan may take on a unit, by the unit's condition; each is priced per capex
#: kind in data/economics/capex.yaml (``new`` by the kind's ``new`` block, the others as a fraction of it).
#: repairable -> restored in place; frozen (a furnace or mixer full of solidified charge) -> the
#: salamander cleared and the lining renewed; derelict (a coke battery whose brickwork collapsed when it
#: cooled) -> rebuilt on its foundations; not built -> built new. A repairable or frozen unit may also be
#: rebuilt (replace rather than repair: the planner's choice).
ACTIONS_BY_CONDITION: dict[str, tuple[str, ...]] = {
    "operating": (),
    "repairable": ("restore", "rebuild"),
    "frozen": ("clear_and_reline", "rebuild"),
    "derelict": ("rebuild",),
    "not_built": ("new",),
}


class CarrierSpec(_Strict):
    """A material, gas or energy stream. Materials and gases are counted in t (dry), energy in MWh/GJ."""

    name: str
    kind: Literal["material", "gas", "energy"]
    unit: Literal["t", "MWh", "GJ"]
    tags: list[str] = []
    fe_frac: Fraction = 0.0
    c_frac: Fraction = 0.0
    moisture: Annotated[float, Field(ge=0.0, lt=1.0)] = Field(
        default=0.0, description="as-received H2O, mass fraction of the wet material (quantities are dry)"
    )
    lhv: PositiveQuantity | None = None
    density: PositiveQuantity | None = None
    analysis: dict[str, Fraction] = {}
    volume_fractions: dict[str, Fraction] = {}
    source: str
    sources: dict[str, str] = {}

    @field_validator("unit")
    @classmethod
    def _unit_matches_kind(cls, unit: str, info: Any) -> str:
        kind = info.data.get("kind")
        if kind in ("material", "gas") and unit != "t":
            raise ValueError("materials and gases are counted in t")
        if kind == "energy" and unit not in ("MWh", "GJ"):
            raise ValueError("energy carriers are counted in MWh or GJ")
        return unit


#: how a power plant is dispatched (``units.<id>.fuel.dispatch``; a scenario sets it by override):
#: ``works_gas_only`` burns works gas up to its capacity and buys no fuel; ``own_demand`` burns the works
#: gas it can (up to capacity) and buys make-up fuel so that its net output covers the works' own
#: electricity demand, as far as its capacity allows; ``fixed_load`` runs at ``fixed_load`` (gross MW, e.g.
#: 2 x 55 MW) for its availability, works gas first, make-up fuel for the rest, and leaves any works gas
#: above that load to the market or the flare. A fourth rule, dispatch "on economics" (own power from bought
#: gas when its marginal cost at the captive gas tariff is below the grid tariff) needs the price deck; the
#: plant solve knows no prices, so it is not a rule here: it belongs to the economics, which can pick one
#: of these rules per year (not implemented yet).
DISPATCH_RULES: tuple[str, ...] = ("works_gas_only", "own_demand", "fixed_load")


class FuelSpec(_Strict):
    """How a unit's ``fuel_heat`` demand is met: works gases in order of preference, then make-up.

    For a ``power_plant`` unit the demand is set by its ``dispatch`` rule (:data:`DISPATCH_RULES`).
    """

    priority: int = Field(ge=0, description="lower is served first")
    gases: list[str]
    makeup: str = "natural_gas"
    dispatch: Literal["works_gas_only", "own_demand", "fixed_load"] = Field(
        default="works_gas_only",
        description="power plants only: works_gas_only, own_demand or fixed_load (see DISPATCH_RULES)",
    )
    fixed_load: QuantityText | None = Field(
        default=None, description="power plants on dispatch fixed_load: gross electrical load, e.g. '110 MW'"
    )

    @model_validator(mode="after")
    def _dispatch_consistent(self) -> FuelSpec:
        if (self.dispatch == "fixed_load") != (self.fixed_load is not None):
            raise PydanticCustomError(
                "dispatch",
                "fixed_load (a gross load such as '110 MW') is given with, and only with, dispatch: fixed_load",
                {"allowed": "dispatch: fixed_load with fixed_load: '<MW>', or another rule without fixed_load"},
            )
        if self.dispatch != "works_gas_only" and self.makeup == "none":
            raise PydanticCustomError(
                "makeup",
                "dispatch {dispatch} buys make-up fuel: name it (makeup: natural_gas)",
                {"dispatch": self.dispatch, "allowed": "makeup: a fuel the market sells, e.g. natural_gas"},
            )
        return self


class HandlesSpec(_Strict):
    """What a service unit's throughput is: purchases of carriers with a tag, or production of carriers."""

    purchases_tagged: str | None = None
    production_of: list[str] = []


class ModelSpec(_Strict):
    """A physics model that computes the unit's recipe (``steelworks.physics.MODELS``).

    With ``use: true`` (default) the model's recipe replaces the unit's ``inputs``/``outputs``,
    which stay in the file as the fixed-recipe alternative (``units.<id>.model.use=false``).
    Parameters not given take the model's defaults (``steelworks params`` lists them).
    """

    kind: str
    use: bool = True
    params: dict[str, QuantityText] = {}


class RelineSpec(_Strict):
    """A unit's recurring relining campaign (blast furnaces): every ``interval_years`` after it enters
    service (the first after ``first_after_years`` if given), down for ``duration_days``; it costs
    ``fraction_of_new`` of the unit's new-build cost, by default capex.yaml's ``reline`` benchmark of its kind."""

    interval_years: int = Field(ge=1, le=50)
    duration_days: float = Field(ge=0.0, le=365.0)
    first_after_years: int | None = Field(default=None, ge=1, le=80)
    fraction_of_new: float | None = Field(default=None, ge=0.0, le=2.0)


#: lifecycle fields of a unit that must each name their source in the unit's ``sources:`` mapping
LIFECYCLE_FIELDS: tuple[str, ...] = ("life_years", "lead_time_years", "reline")


class UnitSpec(_Strict):
    """One physical unit of the works.

    ``inputs``/``outputs`` are per tonne of ``product`` (the main product, +1 implied) with units,
    e.g. ``coke: 480 kg/t``, ``electricity: 110 kWh/t``, ``bf_gas: 1600 Nm3/t``.

    Lifecycle (the one description of the works the economics and the planner read): ``condition``
    decides which capital actions a plan may take (:data:`ACTIONS_BY_CONDITION`), ``capex_kind`` which
    capex.yaml benchmark prices them; ``life_years`` (asset life after the action), ``lead_time_years``
    (construction time of the action, spending spread evenly over it) and ``reline`` override the
    benchmark's figures and each need a ``sources:`` entry; ``cost`` replaces the benchmark's cost of the
    unit's action by a sourced amount.
    """

    name: str
    kind: str
    product: str
    basis: Literal["output", "service", "power_plant"] = "output"
    capacity: NonNegativeQuantity
    availability: Fraction = 1.0
    condition: Literal["operating", "repairable", "frozen", "derelict", "not_built"] = "operating"
    commissioned: int | None = None
    inputs: dict[str, NonNegativeQuantity] = {}
    outputs: dict[str, NonNegativeQuantity] = {}
    fuel: FuelSpec | None = None
    handles: HandlesSpec | None = None
    efficiency: Fraction | None = None
    auxiliary: Fraction = 0.0
    max_fe_loss: Fraction = 0.005
    capex_kind: str | None = Field(
        default=None,
        description="the kind of data/economics/capex.yaml that costs this unit when a scenario restores or "
        "builds it (None: covered by the option's infrastructure share)",
    )
    counts_as: list[str] = Field(
        default=[],
        description="tags the unit's product output counts under besides its carrier's own tags, e.g. "
        "[crude_steel] for a caster whose billets are crude steel while rolled billets are not",
    )
    standby_share: Fraction = Field(
        default=0.0,
        description="share of the unit's energy use at capacity (electricity, steam, fuel heat) that is fixed "
        "while it operates: ovens, furnaces and machines kept hot and turning",
    )
    life_years: float | None = Field(default=None, gt=0.0, le=100.0, description="asset life after the action, years")
    lead_time_years: int | None = Field(
        default=None, ge=1, le=10, description="years from the start of the action to service (spending spread evenly)"
    )
    reline: RelineSpec | None = None
    cost: CostAt | None = Field(
        default=None, description="sourced cost of the unit's capital action, in place of the capex.yaml benchmark"
    )
    model: ModelSpec | None = None
    source: str
    sources: dict[str, str] = {}
    notes: str = ""

    @model_validator(mode="after")
    def _lifecycle_sourced(self) -> UnitSpec:
        missing = [name for name in LIFECYCLE_FIELDS if getattr(self, name) is not None and name not in self.sources]
        if missing:
            hint = "sources: {" + ", ".join(f"{m}: '...'" for m in missing) + "}"
            raise PydanticCustomError(
                "source",
                "lifecycle field(s) {missing} need a source in the unit's sources: mapping ({hint})",
                {"missing": ", ".join(missing), "hint": hint, "allowed": hint},
            )
        if self.fuel is not None and self.basis != "power_plant" and "dispatch" in self.fuel.model_fields_set:
            raise PydanticCustomError(
                "dispatch",
                "fuel.dispatch is a rule for power_plant units only",
                {"allowed": "remove fuel.dispatch, or basis: power_plant"},
            )
        if (self.reline is not None or self.cost is not None) and self.capex_kind is None:
            raise PydanticCustomError(
                "capex_kind",
                "a unit with a reline or cost needs a capex_kind (a kind of data/economics/capex.yaml)",
                {"allowed": "capex_kind: a kind of data/economics/capex.yaml"},
            )
        return self


class SupplySpec(_Strict):
    """How several producers (and the market) share a carrier.

    mode ``proportional`` (default): shares follow effective capacity, the market covers any
    excess if the carrier can be bought. ``shares``: fixed shares (may include ``market``).
    ``merit``: fill producers in ``order`` up to capacity (``market`` may close the list).
    """

    mode: Literal["proportional", "shares", "merit"] = "proportional"
    shares: dict[str, Fraction] = {}
    order: list[str] = []


class MarketSpec(_Strict):
    buy: list[str] = []
    sell: list[str] = []


class GridSpec(_Strict):
    """Electricity exchange with the public grid and the factors to account for it."""

    buy: bool = True
    sell: bool = True
    co2_per_mwh: QuantityText = Field(description="grid emission factor, t CO2/MWh")
    primary_energy_per_mwh: QuantityText = Field(description="primary energy of grid power, GJ/MWh")
    source: str
    sources: dict[str, str] = {}


class CreditSpec(_Strict):
    """CO2 credit per tonne (or MWh) of a carrier exported from the site (worldsteel / ISO 14404 style)."""

    co2_per_unit: QuantityText
    source: str


class PlantSpec(_Strict):
    name: str
    description: str = ""
    carriers_file: str = "carriers.yaml"
    market: MarketSpec
    grid: GridSpec
    supply: dict[str, SupplySpec] = {}
    credits: dict[str, CreditSpec] = {}
    units: dict[str, UnitSpec]
    source: str = ""


class TargetSpec(_Strict):
    """Scale the demand vector so that production of carriers with ``tag`` equals ``amount``."""

    tag: str
    amount: PositiveQuantity


class ScenarioSpec(_Strict):
    name: str
    description: str = ""
    plant: str
    restore: list[str] | Literal["all"] = Field(
        default=[], description="existing units (not 'not_built') brought back to condition 'operating'"
    )
    build: list[str] = Field(default=[], description="units with condition 'not_built' that are built and operating")
    overrides: dict[str, Any] = {}
    demand: dict[str, NonNegativeQuantity] = {}
    target: TargetSpec | None = None
    economics: dict[str, Any] | None = None
    planning: dict[str, Any] | None = Field(
        default=None, description="horizon, budgets and mandates of `steelworks plan` (schema.planning.PlanningSpec)"
    )
    source: str = ""
