"""Numbers for people: thousands separators, USD m, Mt/yr, a dash where a figure is undefined."""

from __future__ import annotations

import math


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def num(value: float | None, digits: int = 0) -> str:
    """``1234567.8 -> '1,234,568'``; ``None`` or NaN -> '-'."""
    if _missing(value):
        return "-"
    assert value is not None
    if abs(value) < 0.5 * 10**-digits:
        return "0"
    return f"{value:,.{digits}f}"


def mt(value_t: float | None, digits: int = 2) -> str:
    """Tonnes per year as Mt/yr."""
    return "-" if _missing(value_t) else f"{num(value_t / 1e6, digits)} Mt/yr"  # type: ignore[operator]


def usd_m(value_usd: float | None) -> str:
    return "-" if _missing(value_usd) else f"USD {num(value_usd / 1e6)} m"  # type: ignore[operator]


def usd_t(value: float | None) -> str:
    return "-" if _missing(value) else f"USD {num(value)}/t"


def pct(value: float | None, digits: int = 1) -> str:
    return "-" if _missing(value) else f"{value * 100:.{digits}f} %"  # type: ignore[operator]


def sci(value: float | None) -> str:
    return "-" if _missing(value) else f"{value:.1e}"
