"""Validated records of the money side: price decks, capital plans (options), finance, country view.

Every file is read once here and checked; nothing is computed. Money is kept as :class:`Money`
(value, currency, optional denominator unit) because converting it to USD of the deck's cost
year needs the deck's exchange rates and escalation index, which is the job of
:mod:`steelworks.economics.prices`. Physical quantities are converted at once with
:func:`steelworks.units.parse_quantity`.

Files (``src/steelworks/data``):

* ``prices/<deck>.yaml``           -> :class:`PriceDeck`
* ``economics/options/<id>.yaml``  -> :class:`OptionEconomics`: a revival option's ``plan`` on the plant's
  unit ids (``{unit_id: {action, year}}``), an optional ``calibration`` to a published total, and what is
  not of the works (labour, fixed costs, ramp-up, working capital, export); the works itself is the
  plant file's unit table
* ``economics/capex.yaml``         -> :class:`CapexBenchmarks` (cost per unit kind and action)
* ``economics/finance.yaml``       -> :class:`FinanceSettings`
* ``economics/labour.yaml``        -> :class:`LabourData` (wages and productivity norms)
* ``economics/country.yaml``       -> :class:`CountryParams` (jobs multiplier, CBAM, FX shares)

A problem anywhere is an :class:`~steelworks.errors.InputError` naming the file, the dotted
path inside it and what is allowed.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from steelworks.errors import InputError
from steelworks.schema.base import _Strict as _PlantStrict
from steelworks.schema.extends import load_layered
from steelworks.schema.money import (  # re-exported: the money records live in their own module
    CURRENCIES,
    CostAt,
    Money,
    MoneyField,
    Source,
)
from steelworks.schema.tree import set_path, validation_error
from steelworks.units import parse_quantity

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PRICES_DIR = DATA_DIR / "prices"
ECON_DIR = DATA_DIR / "economics"
OPTIONS_DIR = ECON_DIR / "options"
HINDCASTS_DIR = ECON_DIR / "hindcasts"

#: categories of a priced carrier; they are the lines of the cost/revenue breakdown
PRICE_CATEGORIES: tuple[str, ...] = ("raw_material", "energy", "consumable", "product", "byproduct")

#: capital actions a plan may take (which one a unit allows follows from its condition)
UNIT_ACTIONS: tuple[str, ...] = ("new", "rebuild", "restore", "clear_and_reline")

#: names a calibration may spread its total over besides plan unit ids
SITE_ITEMS: tuple[str, ...] = ("infrastructure", "grid_connection")


def _quantity(kind: str) -> BeforeValidator:
    """A field given as ``"1.1 Mt/yr"``-style text, stored in the internal unit of ``kind``."""

    def convert(value: object) -> float:
        try:
            return parse_quantity(value, kind)
        except InputError as exc:
            raise PydanticCustomError("quantity", "{msg}", {"msg": exc.message, "allowed": exc.allowed or ""}) from None

    return BeforeValidator(convert)


MassPerYear = Annotated[float, _quantity("mass_per_year")]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]


class _Strict(_PlantStrict):  # no NaN, infinity or true/false as a number (issue 9)
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def _require_per(money: Money, dims: tuple[str, ...], what: str) -> Money:
    """Check that ``money`` is a rate per one of ``dims`` (``"mass"``, ``"energy"``, ``"time"``)."""
    dim = money.dimension_of_per()
    if dim not in dims:
        names = {MASS: "mass (t)", ENERGY: "energy (GJ, MMBtu, MWh)", TIME: "time (year, month)"}
        raise PydanticCustomError(
            "money_unit",
            "{what} {money} must be given per {dims}",
            {
                "what": what,
                "money": str(money),
                "dims": " or ".join(names.get(d, d) for d in dims),
                "allowed": " or ".join(names.get(d, d) for d in dims),
            },
        )
    return money


MASS = "mass"
ENERGY = "energy"
TIME = "time"


# --------------------------------------------------------------------------------------------
# Price deck
# --------------------------------------------------------------------------------------------
class FxRate(_Strict):
    per_usd: float = Field(gt=0.0, description="units of the currency per 1 USD")
    date: dt.date | str
    source: Source


class EscalationIndex(_Strict):
    index: str
    source: Source
    values: dict[int, Annotated[float, Field(gt=0.0)]]


class LandedCost(_Strict):
    """Import-parity build-up of a product: CFR (paid in foreign exchange) + duties + port/inland."""

    cfr: MoneyField
    duties: Fraction = Field(description="customs + additional customs + regulatory duty, share of CFR")
    port_and_inland: MoneyField
    source: Source

    @field_validator("cfr", "port_and_inland")
    @classmethod
    def _per_mass(cls, money: Money) -> Money:
        return _require_per(money, (MASS,), "a landed-cost item")


class PriceEntry(_Strict):
    price: MoneyField
    sell_price: MoneyField | None = None
    category: Literal["raw_material", "energy", "consumable", "product", "byproduct"]
    foreign_share: Fraction = Field(
        default=0.0, description="share of the purchase paid in foreign exchange (country view)"
    )
    basis: str | None = None
    date: dt.date | str | None = None
    year: int | None = Field(default=None, ge=1950, le=2100)
    landed: LandedCost | None = None
    source: Source

    @field_validator("price", "sell_price")
    @classmethod
    def _per_something(cls, money: Money | None) -> Money | None:
        if money is not None:
            _require_per(money, (MASS, ENERGY), "a price")
        return money


class PriceDeck(_Strict):
    id: str
    name: str
    cost_year: int = Field(ge=1990, le=2100)
    sources: dict[str, str] = Field(default_factory=dict, description="sources of the deck's own fields")
    price_escalation: Literal["none", "index"] = "none"
    description: str | None = None
    fx: dict[str, FxRate]
    escalation: EscalationIndex
    prices: dict[str, PriceEntry]
    file: str | None = Field(default=None, exclude=True)

    @field_validator("fx")
    @classmethod
    def _known_currencies(cls, fx: dict[str, FxRate]) -> dict[str, FxRate]:
        for code in fx:
            if code not in CURRENCIES:
                raise PydanticCustomError(
                    "currency",
                    "unknown currency {got}",
                    {"got": repr(code), "allowed": ", ".join(CURRENCIES)},
                )
        return fx

    @model_validator(mode="after")
    def _cost_year_indexed(self) -> PriceDeck:
        if self.cost_year not in self.escalation.values:
            raise PydanticCustomError(
                "escalation",
                "the escalation index has no value for the cost year {year}",
                {
                    "year": self.cost_year,
                    "allowed": "years " + ", ".join(map(str, sorted(self.escalation.values))),
                },
            )
        return self


# --------------------------------------------------------------------------------------------
# Capital: benchmarks per unit kind and the capital plan of an option
# --------------------------------------------------------------------------------------------
class NewBuild(_Strict):
    specific_cost: CostAt
    reference_capacity: MassPerYear | None = None
    reference_capacity_mwh: Annotated[float, _quantity("electricity_per_year")] | None = None
    exponent: float = Field(gt=0.0, le=1.2)
    duration_years: int = Field(ge=1, le=10)
    profile: list[Annotated[float, Field(ge=0.0)]]
    life_years: float = Field(gt=0.0, le=100.0)
    source: Source

    @model_validator(mode="after")
    def _consistent(self) -> NewBuild:
        _check_profile(self.profile, self.duration_years)
        if (self.reference_capacity is None) == (self.reference_capacity_mwh is None):
            raise PydanticCustomError(
                "capacity",
                "give exactly one of reference_capacity (t/yr) or reference_capacity_mwh (MWh/yr)",
                {"allowed": "one of the two"},
            )
        return self


class ActionCost(_Strict):
    fraction_of_new: float = Field(ge=0.0, le=2.0)
    duration_years: int = Field(ge=1, le=10)
    profile: list[Annotated[float, Field(ge=0.0)]]
    life_years: float = Field(gt=0.0, le=100.0)
    source: Source

    @model_validator(mode="after")
    def _consistent(self) -> ActionCost:
        _check_profile(self.profile, self.duration_years)
        return self


class KindBenchmark(_Strict):
    description: str
    new: NewBuild
    actions: dict[Literal["rebuild", "restore", "clear_and_reline", "reline"], ActionCost] = Field(default_factory=dict)


class CapexBenchmarks(_Strict):
    scaling: dict[str, Any]
    kinds: dict[str, KindBenchmark]
    file: str | None = Field(default=None, exclude=True)


def _check_profile(profile: list[float], duration: int) -> None:
    if len(profile) != duration or abs(sum(profile) - 1.0) > 1e-6:
        raise PydanticCustomError(
            "profile",
            "spending profile {profile} must have {n} shares summing to 1",
            {"profile": profile, "n": duration, "allowed": f"{duration} non-negative shares summing to 1"},
        )


class PlanStep(_Strict):
    """One decision of a capital plan: what is done to a plant unit and in which year it starts.

    Everything about the unit itself (capex kind, condition, capacity, life, lead time, relines, a cost
    override) is in the plant's unit table; the action must be one the unit's condition allows
    (``steelworks.schema.plant.ACTIONS_BY_CONDITION``).
    """

    action: Literal["new", "rebuild", "restore", "clear_and_reline"]
    year: int = Field(ge=2000, le=2100, description="calendar year the action starts (its first spending year)")
    phase: int = Field(default=0, ge=0, le=5, description="index into ramp_up.phase_shares")
    source: Source | None = None


class Calibration(_Strict):
    """A published top-down total (the Russian offers) spread over the plan's unit ids.

    The calibrated figure is the capital used; the bottom-up sum of the same plan (capex.yaml benchmarks
    at the plant's capacities) is reported beside it by ``steelworks.economics.capex.reconcile``.
    ``shares`` may also name the option's site items ``infrastructure`` and ``grid_connection``.
    """

    total: CostAt
    includes_owners_cost: bool = False
    includes_contingency: bool = False
    shares: dict[str, Fraction]
    source: Source

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> Calibration:
        total = sum(self.shares.values())
        if abs(total - 1.0) > 1e-6:
            raise PydanticCustomError(
                "share",
                "calibration shares sum to {total}, not 1",
                {"total": round(total, 6), "allowed": "shares summing to 1"},
            )
        return self


class Share(_Strict):
    share: Annotated[float, Field(ge=0.0, le=1.0)]
    source: Source


class Infrastructure(_Strict):
    """Site works that are no plant unit of their own (water, rail, buildings, and the service units without
    a ``capex_kind``: berth, by-product plant, mixer, blowers, boilers), costed as a share of the direct cost."""

    share_of_direct: Annotated[float, Field(ge=0.0, le=2.0)]
    life_years: float = Field(gt=0.0, le=100.0)
    source: Source


class GridConnection(_Strict):
    """A new connection to the public grid, sized at the works' grid purchase at full output (capex.yaml
    ``grid_connection``)."""

    year: int = Field(ge=2000, le=2100, description="calendar year its construction starts")
    source: Source


class Overrun(_Strict):
    """Capital spent beyond the estimate (owner's costs and contingency included): every capital line
    (construction, replacements, relines, sustaining, residual value) x (1 + share). A risk input: the
    point estimate normally carries none beyond its contingency; reference classes give the spread."""

    share: Annotated[float, Field(ge=-0.5, le=3.0)]
    source: Source


class CapexPlan(_Strict):
    """How the plan's capital is marked up and reported (the units and their costs are elsewhere)."""

    owners_cost: Share
    contingency: Share
    overrun: Overrun | None = Field(default=None, description="capital beyond the estimate, share of it")
    foreign_share: Share
    sustaining: Share = Field(description="sustaining capex per year, share of replacement value")
    infrastructure: Infrastructure | None = None
    grid_connection: GridConnection | None = None
    comparisons: list[CostAt] = Field(
        default_factory=list, description="published figures to show next to the estimate"
    )


class Schedule(_Strict):
    construction_start: int = Field(ge=2000, le=2100, description="first year of the horizon (year index 0)")
    source: Source


class RampUp(_Strict):
    """Output after commissioning, as fractions of the plant's full-output year.

    ``fractions`` are the first operating years of each phase, then ``steady_state`` for ever.
    ``phase_shares`` split the full output over phases that come on line at different times (a
    phase is commissioned when the last capex item of that phase is finished).
    """

    fractions: list[Fraction]
    steady_state: Fraction = 1.0
    phase_shares: list[Fraction] = Field(default_factory=lambda: [1.0])
    source: Source

    @model_validator(mode="after")
    def _shares(self) -> RampUp:
        if abs(sum(self.phase_shares) - 1.0) > 1e-6:
            raise PydanticCustomError(
                "phase_shares",
                "phase shares sum to {total}, not 1",
                {"total": sum(self.phase_shares), "allowed": "shares summing to 1"},
            )
        return self


class Headcount(_Strict):
    headcount: dict[str, Annotated[int, Field(ge=0)]]
    during_construction: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    source: Source


class ShareOf(_Strict):
    share: Annotated[float, Field(ge=0.0, le=1.0)]
    source: Source


class Overheads(_Strict):
    fixed: CostAt
    share_of_revenue: Annotated[float, Field(ge=0.0, le=0.5)]
    source: Source

    @field_validator("fixed")
    @classmethod
    def _per_year(cls, cost: CostAt) -> CostAt:
        _require_per(cost.amount, (TIME,), "a fixed overhead")
        return cost


class PerTonne(_Strict):
    cost: CostAt
    source: Source

    @field_validator("cost")
    @classmethod
    def _per_t(cls, cost: CostAt) -> CostAt:
        _require_per(cost.amount, (MASS,), "a cost per tonne")
        return cost


class FixedCosts(_Strict):
    maintenance: ShareOf
    insurance: ShareOf
    overheads: Overheads
    consumables: PerTonne = Field(description="refractories, rolls, spares consumed, per t crude steel")


class WorkingCapital(_Strict):
    receivable_days: float = Field(ge=0.0, le=365.0)
    inventory_days: float = Field(ge=0.0, le=365.0)
    payable_days: float = Field(ge=0.0, le=365.0)
    source: Source


class YearlyCost(_Strict):
    name: str
    amount: MoneyField
    year: int = Field(ge=1950, le=2100)
    foreign_share: Fraction = 0.0
    in_cash_flow: bool = True
    source: Source

    @field_validator("amount")
    @classmethod
    def _per_year(cls, money: Money) -> Money:
        return _require_per(money, (TIME,), "a yearly cost")


class Export(_Strict):
    eu_share: Fraction
    cbam_benchmark: str
    source: Source


class OptionEconomics(_Strict):
    """A revival option: a capital plan on the plant's unit ids and the economics that are not of the works.

    The units themselves (condition, capex kind, capacity, life, lead time, relines, cost overrides)
    are the plant file's unit table; ``steelworks.economics.capex.check_plan`` prices the plan against it.
    """

    id: str
    name: str
    description: str
    kind: Literal["project", "idle"]
    source: Source
    schedule: Schedule
    ramp_up: RampUp | None = None
    capex: CapexPlan | None = None
    plan: dict[str, PlanStep] = Field(
        default_factory=dict, description="plant unit id -> the capital action taken on it and its start year"
    )
    valuation: Literal["plan", "greenfield"] = Field(
        default="plan",
        description="plan: the plan acts on the units the scenario restores or builds, as their condition "
        "allows; greenfield: the works is valued as built new (a validation case such as the IEAGHG "
        "reference mill, whose units are described as operating) - every unit in service with a capex kind "
        "takes action 'new'",
    )
    calibration: Calibration | None = None
    labour: Headcount
    fixed_costs: FixedCosts | None = None
    working_capital: WorkingCapital | None = None
    construction_period_costs: list[YearlyCost] = Field(default_factory=list)
    idle_costs: list[YearlyCost] = Field(default_factory=list)
    export: Export | None = None
    file: str | None = Field(default=None, exclude=True)

    @property
    def basis(self) -> str:
        """``top_down`` when a calibration sets the capital used, else ``bottom_up``."""
        return "top_down" if self.calibration is not None else "bottom_up"

    @model_validator(mode="after")
    def _project_parts(self) -> OptionEconomics:
        if self.kind == "idle":
            if self.plan or self.calibration is not None:
                raise PydanticCustomError(
                    "option", "an idle option has no capital plan", {"allowed": "no plan or calibration"}
                )
            return self
        missing = [
            name for name in ("ramp_up", "capex", "fixed_costs", "working_capital", "plan") if not getattr(self, name)
        ]
        if missing:
            raise PydanticCustomError(
                "option",
                "a project option needs {missing}",
                {"missing": ", ".join(missing), "allowed": "ramp_up, capex, plan, fixed_costs, working_capital"},
            )
        assert self.ramp_up is not None and self.capex is not None
        n_phases = len(self.ramp_up.phase_shares)
        start = self.schedule.construction_start
        for uid, step in self.plan.items():
            if step.phase >= n_phases:
                raise PydanticCustomError(
                    "phase",
                    "unit {uid} is in phase {phase} but ramp_up.phase_shares has {n} phase(s)",
                    {
                        "uid": uid,
                        "phase": step.phase,
                        "n": n_phases,
                        "allowed": f"0..{n_phases - 1}",
                        "field": f"plan.{uid}.phase",
                    },
                )
            if step.year < start:
                raise PydanticCustomError(
                    "year",
                    "unit {uid} starts in {year}, before the schedule's construction start {start}",
                    {
                        "uid": uid,
                        "year": step.year,
                        "start": start,
                        "allowed": f">= {start}",
                        "field": f"plan.{uid}.year",
                    },
                )
        grid = self.capex.grid_connection
        if grid is not None and grid.year < start:
            raise PydanticCustomError(
                "year",
                "the grid connection starts in {year}, before the construction start {start}",
                {"year": grid.year, "start": start, "allowed": f">= {start}", "field": "capex.grid_connection.year"},
            )
        if self.calibration is not None:
            site = [name for name in SITE_ITEMS if getattr(self.capex, name) is not None]
            names = [*self.plan, *site]
            unknown = sorted(set(self.calibration.shares) - set(names))
            if unknown:
                raise PydanticCustomError(
                    "calibration",
                    "calibration shares name {unknown}, which the plan does not",
                    {"unknown": ", ".join(unknown), "allowed": ", ".join(names), "field": "calibration.shares"},
                )
            unshared = [n for n in names if n not in self.calibration.shares]
            if unshared:
                raise PydanticCustomError(
                    "calibration",
                    "every unit of a calibrated plan needs a share; missing: {missing}",
                    {
                        "missing": ", ".join(unshared),
                        "allowed": "shares: {" + ", ".join(names) + "}",
                        "field": "calibration.shares",
                    },
                )
        return self


# --------------------------------------------------------------------------------------------
# Finance, labour, country
# --------------------------------------------------------------------------------------------
class Rate(_Strict):
    value: float = Field(gt=-0.5, lt=1.0)
    source: Source


class Factor(_Strict):
    value: float = Field(ge=0.0, le=50.0)
    source: Source


class DiscountRate(Rate):
    basis: Literal["real", "nominal"]


class TerminalValue(_Strict):
    method: Literal["none", "residual_value", "gordon"]
    growth: float = Field(default=0.0, ge=-0.1, le=0.05)
    source: Source


class Debt(_Strict):
    share: Fraction
    rate: float = Field(ge=0.0, lt=1.0, description="nominal interest rate")
    tenor_years: int = Field(ge=1, le=40)
    grace_years: int = Field(ge=0, le=10, description="years after commissioning with interest only")
    repayment: Literal["annuity", "equal_principal"]
    capitalise_idc: bool = True
    foreign_share: Fraction = 1.0
    source: Source


class SuperTaxBracket(_Strict):
    above: MoneyField
    rate: Fraction


class Depreciation(_Strict):
    method: Literal["wdv", "straight_line"]
    rate: Fraction
    initial_allowance: Fraction = 0.0
    source: Source


class Tax(_Strict):
    corporate_rate: Fraction
    super_tax: list[SuperTaxBracket] = Field(default_factory=list)
    super_tax_year: int = Field(ge=2000, le=2100)
    minimum_tax_rate: Annotated[float, Field(ge=0.0, le=0.1)] = 0.0
    depreciation: Depreciation
    source: Source


class FinanceSettings(_Strict):
    discount_rate: DiscountRate
    inflation: Rate
    horizon_years: int = Field(ge=2, le=100)
    sources: dict[str, str] = Field(default_factory=dict, description="sources of the settings' own fields")
    terminal_value: TerminalValue
    debt: Debt
    tax: Tax
    file: str | None = Field(default=None, exclude=True)


class Wage(_Strict):
    wage: MoneyField
    year: int = Field(ge=1990, le=2100)
    source: Source

    @field_validator("wage")
    @classmethod
    def _per_time(cls, money: Money) -> Money:
        return _require_per(money, (TIME,), "a wage")


class Norm(_Strict):
    employees: float = Field(gt=0.0)
    capacity: MassPerYear
    year: str | int
    description: str
    source: Source


class LabourData(_Strict):
    wages: dict[str, Wage]
    on_cost_factor: Factor
    norms: dict[str, Norm]
    file: str | None = Field(default=None, exclude=True)


class CbamParams(_Strict):
    factor: dict[int, Fraction] = Field(description="CBAM factor = share of free allocation still granted")
    factor_source: Source
    eua_price: CostAt
    benchmarks: dict[str, Annotated[float, Field(ge=0.0)]]
    benchmarks_source: Source

    @field_validator("eua_price")
    @classmethod
    def _per_t(cls, cost: CostAt) -> CostAt:
        _require_per(cost.amount, (MASS,), "the EU ETS price")
        return cost


class CountryParams(_Strict):
    indirect_jobs_per_direct: Factor
    spares_foreign_share: Rate
    cbam: CbamParams
    file: str | None = Field(default=None, exclude=True)


class HindcastLine(_Strict):
    """A cost of the hindcast year: a yearly amount (``2.5e9 PKR``), an amount per t of crude steel
    (``1200 PKR/t``) or a share of the revenue; the source says which basis it is."""

    amount: MoneyField | None = None
    share_of_revenue: Fraction | None = None
    source: Source

    @model_validator(mode="after")
    def _one_basis(self) -> HindcastLine:
        if (self.amount is None) == (self.share_of_revenue is None):
            raise PydanticCustomError(
                "hindcast_line",
                "a hindcast cost needs exactly one of amount and share_of_revenue",
                {"allowed": "amount: <money>[/t] or share_of_revenue: <fraction>"},
            )
        if self.amount is not None and self.amount.per is not None:
            _require_per(self.amount, (MASS,), "a hindcast cost per crude steel")
        return self


class ReportedFigure(_Strict):
    amount: MoneyField
    source: Source


class Hindcast(_Strict):
    """A past year of a works priced as it was, against what the works reported for it
    (``data/economics/hindcasts``): the scenario's balance, the price deck of the year, the costs that
    are not flows, and the reported figures (``profit_after_tax``, ``profit_before_tax``, ``sales``)."""

    id: str
    scenario: str
    prices: str
    period: str
    description: str | None = None
    reported: dict[str, ReportedFigure]
    costs: dict[str, HindcastLine]
    tax_rate: Fraction
    tax_source: Source
    file: str | None = Field(default=None, exclude=True)


class EconomicsChoice(_Strict):
    """The ``economics:`` block of a scenario file: which option, deck and finance to use."""

    option: str
    prices: str = "pk-2025"
    finance: str = "finance"
    country: str = "country"
    overrides: dict[str, Any] = Field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------
def _read(path: Path) -> Any:
    """Parse a YAML file and the files it ``extends`` (:mod:`steelworks.schema.extends`; safe loader, cached
    by path and modification time; a fresh copy per call)."""
    data, _layers = load_layered(path)
    return data


def _resolve(name: str | Path, folder: Path) -> Path:
    path = Path(name)
    try:
        exists = path.exists()
    except (OSError, ValueError) as exc:  # a name too long for the file system, a NUL byte
        raise InputError(f"cannot use {str(name)[:100]!r} as a file name ({exc})"[:300], file=str(folder)) from None
    if path.suffix in (".yaml", ".yml") or exists:
        return path
    candidate = folder / f"{name}.yaml"
    if not candidate.exists():
        known = sorted(p.stem for p in folder.glob("*.yaml"))
        raise InputError(f"no bundled file named {name!r}", file=str(folder), allowed=", ".join(known))
    return candidate


def apply_overrides(data: Any, overrides: Mapping[str, Any] | None, *, file: str | None = None) -> Any:
    """Set dotted paths (``prices.iron_ore_fines.price``) in a copy of ``data`` with the one override
    function (:func:`steelworks.schema.tree.set_path`).

    The parent of each path must exist; the last key may be new only inside a mapping that
    already exists (so a typo in a middle key is an error, not a silent new branch; the schema then
    rejects a new key it does not know).
    """
    if not overrides:
        return data
    data = copy.deepcopy(data)
    for dotted, value in overrides.items():
        depth = dotted.count(".")

        def only_the_last_key(parents: list[str], key: str, depth: int = depth) -> bool:
            return len(parents) == depth

        set_path(data, dotted, value, may_add=only_the_last_key, file=file)
    return data


def _validate(model: type[BaseModel], data: Any, file: str, root: str | None = None) -> Any:
    if root is not None:
        if not isinstance(data, dict) or root not in data:
            raise InputError(f"missing top-level key {root!r}", file=file, allowed=root)
        data = data[root]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_to_input_error(exc, file=file, prefix=root) from None


def validation_to_input_error(exc: ValidationError, *, file: str | None, prefix: str | None = None) -> InputError:
    """The first pydantic error as an :class:`InputError` (the one translator, :func:`validation_error`)."""
    return validation_error(exc, file=file, prefix=(prefix,) if prefix else ())


def economics_files(block: Mapping[str, Any]) -> list[tuple[str, Path, Any, str]]:
    """The raw trees a scenario's ``economics:`` block names, as (override prefix, file, tree, root key)."""
    try:
        choice = EconomicsChoice.model_validate(block)
    except ValidationError as exc:  # as in load_economics: a message, not a traceback (issue 9)
        raise validation_to_input_error(exc, file=None, prefix="economics") from None
    out = []
    for prefix, name, folder, root in (
        ("prices", choice.prices, PRICES_DIR, "deck"),
        ("option", choice.option, OPTIONS_DIR, "option"),
        ("finance", choice.finance, ECON_DIR, "finance"),
    ):
        path = _resolve(name, folder)
        raw = _read(path)
        out.append((prefix, path, raw.get(root, {}) if isinstance(raw, dict) else {}, root))
    return out


#: validated economics files: (model, file, overrides) -> (stamps of the file and the files it extends,
#: validated record); records are frozen, so one is shared by every caller until a file changes
_VALIDATED: dict[tuple[str, str, Any], tuple[tuple[tuple[str, int, int], ...], Any]] = {}


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _stamps(files: list[Path]) -> tuple[tuple[str, int, int], ...] | None:
    try:
        return tuple((str(f), (st := f.stat()).st_mtime_ns, st.st_size) for f in files)
    except OSError:
        return None


def _load(model: type[BaseModel], root: str, path: Path, overrides: Mapping[str, Any] | None) -> Any:
    """Read (with the files it extends), override and validate one economics file, once per change."""
    key = (model.__name__, str(path), _frozen(overrides or {}))
    hit = _VALIDATED.get(key)
    if hit is not None and _stamps([Path(f) for f, _, _ in hit[0]]) == hit[0]:
        return hit[1]
    raw, layers = load_layered(path)
    original = raw.get(root) if isinstance(raw, dict) else None
    if isinstance(raw, dict) and root in raw:
        raw = dict(raw)
        raw[root] = apply_overrides(raw[root], overrides, file=str(path))
    try:
        record = _validate(model, raw, str(path), root=root).model_copy(update={"file": str(path)})
    except InputError as exc:
        raise _blame_override(exc, root, overrides or {}, original) from None
    stamps = _stamps([f for f, _ in layers])
    if stamps is not None:
        if len(_VALIDATED) > 256:
            _VALIDATED.clear()
        _VALIDATED[key] = (stamps, record)
    return record


def _set_name(root: str, key: str) -> str:
    """The ``--set`` path of an override of an economics file (the deck's paths live under ``prices.``)."""
    if root == "deck":
        return key if key.startswith("prices.") else f"prices.{key}"
    return f"{root}.{key}"


def _blame_override(exc: InputError, root: str, overrides: Mapping[str, Any], original: Any) -> InputError:
    """An invalid value that came from ``--set`` (or a scenario's economics overrides) is reported at the
    override, not at the bundled file it was applied to; a record overridden by a bare value says which
    of its fields to set instead."""
    where = (exc.location or "").removeprefix(f"{root}.")
    for key in overrides:
        if where == key or where.startswith(key + ".") or key.startswith(where + "."):
            node = original
            for part in key.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            allowed = exc.allowed
            if isinstance(node, dict) and not isinstance(overrides[key], dict):
                fields = ", ".join(f"{_set_name(root, key)}.{f}" for f in node if f != "source")
                allowed = f"a field of this record: {fields}"
            # from --set or a scenario's economics overrides: both name the path the same way
            return InputError(exc.message, location=f"override of {_set_name(root, key)}", allowed=allowed)
    return exc


def load_price_deck(name: str | Path = "pk-2025", overrides: Mapping[str, Any] | None = None) -> PriceDeck:
    """Load a price deck by bundled id (``pk-2025``) or path; ``overrides`` are dotted paths under ``deck``.

    Example override: ``{"prices.iron_ore_fines.price": "110 USD/t", "fx.PKR.per_usd": 300}``.
    """
    deck: PriceDeck = _load(PriceDeck, "deck", _resolve(name, PRICES_DIR), overrides)
    return deck


def load_hindcast(name: str | Path, overrides: Mapping[str, Any] | None = None) -> Hindcast:
    """Load a hindcast (``psm-2008`` or a path); overrides address the ``hindcast`` tree."""
    hindcast: Hindcast = _load(Hindcast, "hindcast", _resolve(name, HINDCASTS_DIR), overrides)
    return hindcast


def load_option(name: str | Path, overrides: Mapping[str, Any] | None = None) -> OptionEconomics:
    """Load an option's economics (``psm-bf-revival`` or a path); overrides address the ``option`` tree."""
    option: OptionEconomics = _load(OptionEconomics, "option", _resolve(name, OPTIONS_DIR), overrides)
    return option


def load_finance(name: str | Path = "finance", overrides: Mapping[str, Any] | None = None) -> FinanceSettings:
    settings: FinanceSettings = _load(FinanceSettings, "finance", _resolve(name, ECON_DIR), overrides)
    return settings


@lru_cache(maxsize=8)
def _load_cached(model_name: str, name: str) -> Any:
    models: dict[str, tuple[type[BaseModel], str]] = {
        "capex": (CapexBenchmarks, "capex"),
        "labour": (LabourData, "labour"),
        "country": (CountryParams, "country"),
    }
    model, root = models[model_name]
    path = _resolve(name, ECON_DIR)
    obj = _validate(model, _read(path), str(path), root=root)
    return obj.model_copy(update={"file": str(path)})


def load_capex_benchmarks(name: str = "capex") -> CapexBenchmarks:
    result: CapexBenchmarks = _load_cached("capex", name)
    return result


def load_labour(name: str = "labour") -> LabourData:
    result: LabourData = _load_cached("labour", name)
    return result


def load_country(name: str = "country") -> CountryParams:
    result: CountryParams = _load_cached("country", name)
    return result


def list_options() -> list[str]:
    return sorted(p.stem for p in OPTIONS_DIR.glob("*.yaml"))


def list_price_decks() -> list[str]:
    return sorted(p.stem for p in PRICES_DIR.glob("*.yaml"))
