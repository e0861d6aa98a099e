"""Quantities with units at the boundary: parse once with pint, then plain floats inside.

Internal unit system (every number inside the model is in these units):

=============  ==========================  ================================
dimension      internal unit               examples accepted in files
=============  ==========================  ================================
mass           t (metric tonne)            ``450 kg``, ``1.1 Mt``
energy         GJ (LHV unless stated)      ``17.5 MJ``, ``3.2 MMBtu``; electricity in MWh
volume (gas)   Nm3 (0 degC, 101.325 kPa)   ``1200 Nm3``, ``1.2 kNm3``
money          USD of the deck's cost year ``12 USD``, ``3500 PKR`` (converted by economics)
time           yr                          ``8760 h``
=============  ==========================  ================================

Specific quantities are converted to their ratio of internal units (``kg/t`` -> t/t,
``MJ/Nm3`` -> GJ/Nm3, ``kWh/t`` -> MWh/t). ``Nm3`` is defined as a plain volume unit: the
normal state is a convention the data must respect, pint cannot check it.
"""

from __future__ import annotations

import atexit
import marshal
import math
import os
import re
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from steelworks.errors import InputError

if TYPE_CHECKING:
    import pint


#: pint's registry and its parse caches are not safe across threads (a web server's): two first
#: conversions at once built two registries and mixed their units (DimensionalityError). Every pint
#: call holds this lock; a cached conversion (a dict read) does not need it.
_PINT_LOCK = threading.RLock()


def pint_lock() -> threading.RLock:
    """The lock every use of pint holds (other modules that call the registry take it too)."""
    return _PINT_LOCK


def registry() -> pint.UnitRegistry:
    with _PINT_LOCK:
        return _registry()


@lru_cache(maxsize=1)
def _registry() -> pint.UnitRegistry:
    """The unit registry, built on first use (importing pint and building it takes ~0.1-0.2 s).

    A warm run does no pint work at all: :func:`convert` keeps every conversion it has made.
    """
    import pint

    ureg: pint.UnitRegistry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, on_redefinition="ignore")
    for definition in _DEFINITIONS:
        ureg.define(definition)
    return ureg


#: units defined on top of pint's defaults ("kt" is the knot in pint; in steel statistics it is the kilotonne)
_DEFINITIONS = (
    "kilotonne = 1000 * tonne = kt",
    "Nm3 = meter ** 3",
    "Sm3 = meter ** 3",
    "USD = [currency_usd]",
    "MMBtu = 1e6 * Btu",
)


def __getattr__(name: str) -> Any:
    # ``UREG`` stays importable (``from steelworks.units import UREG``) but is built only when asked for
    if name == "UREG":
        return registry()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: canonical internal unit for each kind of quantity a field may declare
INTERNAL_UNITS: dict[str, str] = {
    "dimensionless": "dimensionless",
    "mass": "t",
    "energy": "GJ",
    "electricity": "MWh",
    "volume": "m**3",
    "time": "year",
    "temperature": "degC",
    "power": "MW",
    "mass_per_mass": "t/t",
    "energy_per_mass": "GJ/t",
    "electricity_per_mass": "MWh/t",
    "volume_per_mass": "m**3/t",
    "density": "kg/m**3",
    "energy_per_volume": "GJ/m**3",
    "mass_per_year": "t/year",
    "energy_per_year": "GJ/year",
    "electricity_per_year": "MWh/year",
    "per_year": "1/year",
    "per_energy": "1/GJ",
    "mass_per_energy": "t/GJ",
    "mass_per_electricity": "t/MWh",
}


class _OffsetUnitError(Exception):
    """Units with an offset (degC): no constant conversion factor."""


@lru_cache(maxsize=1024)
def _unit(text: str) -> pint.Unit:
    return registry().Unit(text)


def _locked_dimensionless(to_unit: str) -> bool:
    with _PINT_LOCK:
        return _dimensionless(to_unit)


@lru_cache(maxsize=1024)
def _dimensionless(to_unit: str) -> bool:
    return bool(_unit(to_unit).dimensionless)


@lru_cache(maxsize=4096)
def _factor(from_units: str, to_unit: str) -> float:
    """Multiplicative conversion factor between two units (cached: pint's conversion is slow)."""
    ureg = registry()
    source = ureg.Quantity(1.0, from_units)
    if not source._ok_for_muldiv() or not ureg.Quantity(1.0, to_unit)._ok_for_muldiv():
        raise _OffsetUnitError
    return float(source.to(to_unit).magnitude)


#: characters a quantity may hold: digits, ASCII letters, operators, and the few unit signs people type
_STRAY = re.compile(r"[^0-9A-Za-z \t.,+\-*/^()%_°µμ²³·]")
#: a string that is only a number (pint would read it as dimensionless, but it names no unit)
_NUMBER_ONLY = re.compile(r"^\s*[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


#: bounds on the number written in a quantity (bigger is a typo or an attack; smaller is subnormal, below
#: float precision, where a ratio such as an intensity overflows) and on its text
MAX_MAGNITUDE = 1e15
MIN_MAGNITUDE = sys.float_info.min
MAX_QUANTITY_CHARS = 200


@lru_cache(maxsize=4096)
def _parse(text: str) -> pint.Quantity:
    return registry().Quantity(text)


#: every conversion made so far: (text, target unit, density, LHV, require_unit) -> value in the target unit.
#: A conversion is a pure function of these (``where``/``file`` only name the place in a message), so a
#: warm run reads its numbers from here and does no pint work at all.
_Key = tuple[str, str, float | None, float | None, bool]
_CONVERTED: dict[_Key, float] = {}
_CONVERTED_MAX = 100_000

# The conversions are also kept on disk, so that a fresh process (the command line) reads the
# numbers it converted before and never imports pint. The file is keyed on this module's unit
# definitions and on the installed pint (its path, size and modification time), so a change of
# either starts a new file. STEELWORKS_NO_UNIT_CACHE=1 turns it off; STEELWORKS_CACHE_DIR moves it.
_DISK_FORMAT = 3  # 2: stray characters refused (a cached "8 \U0001f525" -> 8000 must not survive); 3: marshal
_disk_state: dict[str, Any] = {"loaded": False, "path": None, "new": {}}


def _disk_path() -> Path | None:
    if os.environ.get("STEELWORKS_NO_UNIT_CACHE"):
        return None
    import hashlib
    import importlib.util

    spec = importlib.util.find_spec("pint")
    if spec is None or spec.origin is None:
        return None
    stamps: list[object] = [_DISK_FORMAT, _DEFINITIONS, sys.version_info[:2], marshal.version]
    for name in ("__init__.py", "default_en.txt", "constants_en.txt"):
        file = os.path.join(os.path.dirname(spec.origin), name)
        try:
            stat = os.stat(file)
        except OSError:
            return None
        stamps += [file, stat.st_mtime_ns, stat.st_size]
    fingerprint = repr(stamps)
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
    base = os.environ.get("STEELWORKS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "steelworks"
    )
    return Path(base) / f"unit-conversions-{digest}.marshal"


def _disk_key(key: _Key) -> _Key:
    text, unit, density, lhv, require = key
    return (text, unit, None if density is None else float(density), None if lhv is None else float(lhv), require)


def _read_disk(path: Path) -> dict[_Key, float]:
    """The kept conversions: a marshal dump of the dict (read ~3x faster than JSON rows at each cold start)."""
    try:
        rows = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}  # absent or unreadable: convert with pint and write it anew
    if not isinstance(rows, dict):
        return {}
    if rows and not (set(map(type, rows.values())) == {float} and set(map(type, rows)) == {tuple}):
        return {}
    if rows and set(map(len, rows)) != {5}:
        return {}
    return rows


def _load_disk() -> None:
    _disk_state["loaded"] = True
    path = _disk_path()
    _disk_state["path"] = path
    if path is not None:
        kept = _read_disk(path)
        if not _CONVERTED:
            _CONVERTED.update(kept)
        else:
            for key, value in kept.items():
                _CONVERTED.setdefault(key, value)


def _write_disk() -> None:
    """At exit: add this process's new conversions to the file (atomically; failures are ignored)."""
    path, new = _disk_state["path"], _disk_state["new"]
    if path is None or not new:
        return
    merged = _read_disk(path)
    merged.update(new)
    if len(merged) > _CONVERTED_MAX:
        merged = dict(new)
    try:
        blob = marshal.dumps({key: float(value) for key, value in merged.items()})
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)
    except (OSError, ValueError):  # ValueError: a key marshal cannot hold (kept in memory only)
        pass
    new.clear()


def parse_quantity(value: object, kind: str, *, where: str | None = None, file: str | None = None) -> float:
    """Convert ``value`` (a number or a string such as ``"450 kg/t"``) to the internal unit of ``kind``.

    A bare number is accepted only for ``kind == "dimensionless"``; everything else must say its
    unit. Raises :class:`InputError` naming ``where`` on a missing or wrong unit.
    """
    return convert(value, INTERNAL_UNITS[kind], where=where, file=file, require_unit=kind != "dimensionless")


def convert(
    value: object,
    to_unit: str,
    *,
    where: str | None = None,
    file: str | None = None,
    density_kg_per_m3: float | None = None,
    lhv_gj_per_t: float | None = None,
    require_unit: bool = True,
) -> float:
    """Convert ``value`` to ``to_unit`` (a pint unit expression such as ``"t/t"`` or ``"MWh/year"``).

    Volumes of a gas convert to mass (and back) through ``density_kg_per_m3`` when given, so that
    ``"1843 Nm3/t"`` of a gas becomes t/t; energies of a fuel through ``lhv_gj_per_t`` (``"9.7 GJ/t"``
    of natural gas becomes t/t). Every quantity must say its unit, even a ratio such as
    ``t/t``, unless ``require_unit`` is false and the target is dimensionless.

    Each conversion is made once per process (with pint) and then read from a cache.
    """
    if type(value) is str:
        key = (value, to_unit, density_kg_per_m3, lhv_gj_per_t, require_unit)
        hit = _CONVERTED.get(key)
        if hit is not None:
            return hit
        with _PINT_LOCK:
            if not _disk_state["loaded"]:
                _load_disk()
                hit = _CONVERTED.get(key)
                if hit is not None:
                    return hit
            result = _convert_text(value, to_unit, where, file, density_kg_per_m3, lhv_gj_per_t, require_unit)
        if len(_CONVERTED) >= _CONVERTED_MAX:
            _CONVERTED.clear()
        _CONVERTED[key] = result
        if _disk_state["path"] is not None:
            if not _disk_state["new"]:
                atexit.register(_write_disk)
            _disk_state["new"][_disk_key(key)] = result
        return result
    if isinstance(value, bool) or value is None:
        raise InputError(f"expected a quantity in {to_unit}, got {value!r}", file=file, location=where)
    if isinstance(value, int | float):
        if not require_unit and (to_unit == "dimensionless" or _locked_dimensionless(to_unit)):
            return float(value)
        raise InputError(
            f"the number {value} has no unit of measure",
            file=file,
            location=where,
            allowed=f"a quantity convertible to {to_unit}, e.g. '{value} {to_unit}'",
        )
    if not isinstance(value, str):
        raise InputError(f"expected a quantity string, got {type(value).__name__}", file=file, location=where)
    if len(value) > MAX_QUANTITY_CHARS:
        raise InputError(
            f"a quantity of {len(value):,} characters", file=file, location=where, allowed=f"≤ {MAX_QUANTITY_CHARS}"
        )
    with _PINT_LOCK:
        return _convert_text(value, to_unit, where, file, density_kg_per_m3, lhv_gj_per_t, require_unit)


def _convert_text(
    value: str,
    to_unit: str,
    where: str | None,
    file: str | None,
    density_kg_per_m3: float | None,
    lhv_gj_per_t: float | None,
    require_unit: bool,
) -> float:
    """:func:`convert` of a quantity string, with pint."""
    import pint

    ureg = registry()
    target = _unit(to_unit)
    stray = _STRAY.search(value)
    if stray is not None:  # pint's tokenizer drops some characters: '8 \U0001f525' read as 8 (issue 9)
        raise InputError(
            f"cannot read {value!r} as a quantity (unexpected character {stray.group(0)!r})",
            file=file,
            location=where,
            allowed=f"a number and a unit convertible to {to_unit}",
        )
    try:
        quantity = _parse(value.strip())
    except Exception as exc:  # pint's parser fails in many ways on damaged text (AssertionError, TokenError)
        raise InputError(
            f"cannot read {value!r} as a quantity ({exc})",
            file=file,
            location=where,
            allowed=f"a number and a unit convertible to {to_unit}",
        ) from None
    unitless = _NUMBER_ONLY.match(value) is not None
    if unitless and (require_unit or not target.dimensionless):
        raise InputError(
            f"{value!r} has no unit of measure",
            file=file,
            location=where,
            allowed=f"a quantity convertible to {to_unit}, e.g. '{value} {to_unit}'",
        )
    size = abs(float(quantity.magnitude if isinstance(quantity, ureg.Quantity) else quantity))
    if not math.isfinite(size) or size > MAX_MAGNITUDE or 0 < size < MIN_MAGNITUDE:
        raise InputError(
            f"{value!r}: the number is not finite or of an absurd size",
            file=file,
            location=where,
            allowed=f"a finite number of magnitude {MIN_MAGNITUDE:.1e} to {MAX_MAGNITUDE:g}, or 0, and a unit",
        )
    if not isinstance(quantity, ureg.Quantity):
        return float(quantity)
    try:
        return float(quantity.magnitude) * _factor(str(quantity.units), to_unit)
    except _OffsetUnitError:
        return float(quantity.to(target).magnitude)
    except pint.errors.DimensionalityError:
        pass
    factors: list[pint.Quantity] = []
    if density_kg_per_m3:
        factors.append(ureg.Quantity(density_kg_per_m3, "kg/m**3"))
    if lhv_gj_per_t:
        factors.append(ureg.Quantity(lhv_gj_per_t, "GJ/t"))
    for factor in factors:
        for candidate in (quantity * factor, quantity / factor):
            try:
                return float(candidate.to(target).magnitude)
            except pint.errors.DimensionalityError:
                continue
    hints = [h for h, f in (("a gas volume in Nm3", density_kg_per_m3), ("an energy (LHV)", lhv_gj_per_t)) if f]
    volume_hint = f" (or {' or '.join(hints)})" if hints else ""
    raise InputError(
        f"{value!r} has the wrong unit",
        file=file,
        location=where,
        allowed=f"a quantity convertible to {to_unit}{volume_hint}",
    )
