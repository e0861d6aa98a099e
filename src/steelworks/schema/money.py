"""Money in the data (``104.83 USD/t``, ``1.91e9 USD``) and a sourced amount in a cost year.

Kept apart from :mod:`steelworks.schema.economics` (which re-exports every name here) so that the plant
schema, whose units may state a cost (:class:`CostAt`), does not build the economics records' validators
at import: a ``steelworks balance`` never reads a price deck, an option or the finance settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from steelworks.schema.base import _Strict as _PlantStrict
from steelworks.units import pint_lock, registry

#: currencies a money value may be given in (ISO 4217); a deck must state a rate for each it uses
CURRENCIES: tuple[str, ...] = ("USD", "PKR", "EUR", "GBP", "AUD", "CNY", "INR", "RUB")

_MONEY_RE = re.compile(r"^\s*([-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z]{3})\s*(?:/\s*(.+?))?\s*$")


# --------------------------------------------------------------------------------------------
# Money
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Money:
    """An amount of money, optionally per a unit: ``104.83 USD/t``, ``2300 PKR/MMBtu``, ``1.91e9 USD``.

    ``per`` is the denominator as written (a pint unit); :meth:`per_unit` converts the amount to
    one of another unit of the same dimension (``t``, ``GJ``, ``MWh``, ``year``).
    """

    value: float
    currency: str
    per: str | None = None

    def per_unit(self, target: str) -> float:
        """The amount per one ``target`` unit (``target`` must have the dimension of ``per``)."""
        if self.per is None:
            raise ValueError(f"{self} is not a rate per unit, expected an amount per {target}")
        factor = _unit_factor(self.per, target)
        if factor is None:
            raise ValueError(f"{self} cannot be expressed per {target}")
        return self.value / factor

    def dimension_of_per(self) -> str | None:
        """``"mass"``, ``"energy"``, ``"time"`` or another dimensionality text; ``None`` without ``per``."""
        if self.per is None:
            return None
        return _dimension_name(self.per)

    def __str__(self) -> str:
        return f"{self.value:g} {self.currency}" + (f"/{self.per}" if self.per else "")


# pint (the unit registry) is used lazily and each answer kept: importing this module, or a warm run,
# does no pint work


@lru_cache(maxsize=512)
def _dimension_name(unit: str) -> str:
    with pint_lock():
        dim = registry().Quantity(1.0, unit).dimensionality
        for name, ref in (("mass", "t"), ("energy", "GJ"), ("time", "year")):
            if dim == registry().Quantity(1.0, ref).dimensionality:
                return name
        return str(dim)


@lru_cache(maxsize=512)
def _known_unit(unit: str) -> bool:
    import pint

    try:
        with pint_lock():
            registry().Quantity(1.0, unit)
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        AttributeError,
        TypeError,
        ValueError,
        AssertionError,
    ):
        return False
    return True


@lru_cache(maxsize=512)
def _unit_factor(unit: str, target: str) -> float | None:
    """How many ``target`` one ``unit`` is, or ``None`` if the dimensions differ."""
    import pint

    try:
        with pint_lock():
            return float(registry().Quantity(1.0, unit).to(target).magnitude)
    except pint.errors.DimensionalityError:
        return None


def parse_money(value: object) -> Money:
    """Read ``"<number> <CUR>[/<unit>]"``; raise a pydantic error with the allowed forms."""
    if isinstance(value, Money):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        raise PydanticCustomError(
            "money",
            "expected money such as '104.83 USD/t' or '1.91e9 USD', got {got}",
            {
                "got": repr(value),
                "allowed": "'<number> <currency>[/<unit>]', currency one of " + ", ".join(CURRENCIES),
            },
        )
    match = _MONEY_RE.match(value)
    if not match:
        raise PydanticCustomError(
            "money",
            "cannot read {got} as money",
            {
                "got": repr(value),
                "allowed": "'<number> <currency>[/<unit>]', e.g. '104.83 USD/t', '2300 PKR/MMBtu'",
            },
        )
    number, currency, per = match.groups()
    if float(number) < 0:  # no field of the data is a signed amount (issue 9: a negative scrap price)
        raise PydanticCustomError(
            "money", "money cannot be negative, got {got}", {"got": repr(value), "allowed": ">= 0"}
        )
    if currency not in CURRENCIES:
        raise PydanticCustomError(
            "currency", "unknown currency {got}", {"got": repr(currency), "allowed": ", ".join(CURRENCIES)}
        )
    if per is not None:
        per = per.strip()
        if not _known_unit(per):
            raise PydanticCustomError(
                "unit",
                "unknown unit {got} in {money}",
                {
                    "got": repr(per),
                    "money": repr(value),
                    "allowed": "a unit such as t, kg, Mt, GJ, MMBtu, MWh, kWh, year, month",
                },
            ) from None
    return Money(float(number.replace("_", "")), currency, per)


MoneyField = Annotated[
    Money,
    BeforeValidator(parse_money),
    WithJsonSchema({"type": "string", "description": "money: '<number> <currency>[/<unit>]', e.g. '104.83 USD/t'"}),
]


Source = Annotated[str, Field(min_length=3)]


class _MoneyStrict(_PlantStrict):  # the economics records' config (no NaN, infinity or true/false as a number)
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class CostAt(_MoneyStrict):
    """A sourced amount of money in a stated cost year."""

    amount: MoneyField
    year: int = Field(ge=1950, le=2100)
    source: Source
