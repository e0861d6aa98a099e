"""Pydantic models of carriers, units, plants and scenarios (structure and ranges only).

Quantities stay as written (``"0.6 Mt/year"``, ``"450 kg/t"``) until :mod:`steelworks.plant.build`
converts them, because the unit a recipe entry needs depends on its carrier's kind.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {str(value).lower()}")
    return value


Fraction = Annotated[float, BeforeValidator(_not_bool), Field(ge=0.0, le=1.0)]
QuantityText = str | float | int


def _allows_bool(annotation: Any) -> bool:
    if annotation is bool or annotation is Any:
        return True
    return any(_allows_bool(arg) for arg in get_args(annotation))


class _Strict(BaseModel):
    # no NaN or infinity, and no true/false taken as 1/0 where a number is meant (issue 9)
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_as_number(cls, value: Any, info: Any) -> Any:
        field = cls.model_fields.get(info.field_name)
        if field is not None and _stray_bool(value, field.annotation):
            if isinstance(value, bool):
                raise ValueError(f"expected a value of this field's type, got {str(value).lower()}")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            keys = [str(k) for k, v in items if isinstance(v, bool)]
            raise ValueError(f"true/false is not a value of this field's type (at {', '.join(keys[:5])})")
        return value


def _checks_itself(annotation: Any) -> bool:
    """An item type such as :data:`Fraction` refuses a bool itself, with the item's own location."""
    return any(getattr(meta, "func", None) is _not_bool for meta in get_args(annotation)[1:])


def _stray_bool(value: Any, annotation: Any) -> bool:
    """True or false where the field (or the items of its mapping or list) wants no bool."""
    if isinstance(value, bool):
        return not _allows_bool(annotation) and not _checks_itself(annotation)
    if isinstance(value, dict | list):
        for member in (annotation, *get_args(annotation)):  # dict[str, float] | None, Annotated[...]
            origin, args = get_origin(member), get_args(member)
            if origin is dict and len(args) == 2:
                return any(_stray_bool(v, args[1]) for v in value.values()) if isinstance(value, dict) else False
            if origin is list and len(args) == 1:
                return any(_stray_bool(v, args[0]) for v in value) if isinstance(value, list) else False
    return False


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
    lhv: QuantityText | None = None
    density: QuantityText | None = None
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


class FuelSpec(_Strict):
    """How a unit's ``fuel_heat`` demand is met: works gases in order of preference, then make-up."""

    priority: int = Field(ge=0, description="lower is served first")
    gases: list[str]
    makeup: str = "natural_gas"


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


class UnitSpec(_Strict):
    """One physical unit of the works.

    ``inputs``/``outputs`` are per tonne of ``product`` (the main product, +1 implied) with units,
    e.g. ``coke: 480 kg/t``, ``electricity: 110 kWh/t``, ``bf_gas: 1600 Nm3/t``.
    """

    name: str
    kind: str
    product: str
    basis: Literal["output", "service", "power_plant"] = "output"
    capacity: QuantityText
    availability: Fraction = 1.0
    condition: Literal["operating", "repairable", "derelict", "not_built"] = "operating"
    commissioned: int | None = None
    inputs: dict[str, QuantityText] = {}
    outputs: dict[str, QuantityText] = {}
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
    model: ModelSpec | None = None
    source: str
    sources: dict[str, str] = {}
    notes: str = ""


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
    amount: QuantityText


class ScenarioSpec(_Strict):
    name: str
    description: str = ""
    plant: str
    restore: list[str] | Literal["all"] = Field(
        default=[], description="existing units (not 'not_built') brought back to condition 'operating'"
    )
    build: list[str] = Field(default=[], description="units with condition 'not_built' that are built and operating")
    overrides: dict[str, Any] = {}
    demand: dict[str, QuantityText] = {}
    target: TargetSpec | None = None
    economics: dict[str, Any] | None = None
    source: str = ""
