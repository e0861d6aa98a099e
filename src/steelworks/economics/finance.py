"""Finance primitives, vectorised over a leading sample axis.

Conventions (the same as numpy-financial): cash flows ``cf[..., t]`` for years ``t = 0..T-1``;
``npv`` discounts year ``t`` by ``(1 + r) ** t``, so year 0 is not discounted. Every function takes
arrays of shape ``(T,)`` or ``(S, T)`` and rates of shape ``()`` or ``(S,)`` and returns one value
per sample. "No answer" (no IRR, no payback) is ``nan`` in arrays and ``None`` in results.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

#: rates at which NPV is evaluated to find the sign changes that bracket the IRRs
_IRR_GRID = np.concatenate(
    [np.linspace(-0.95, -0.2, 16, endpoint=False), np.linspace(-0.2, 0.6, 161), np.linspace(0.6, 3.0, 25)[1:]]
)


def _2d(cf: ArrayLike) -> Array:
    arr = np.asarray(cf, dtype=float)
    return arr[None, :] if arr.ndim == 1 else arr


def _squeeze(result: Array, like: ArrayLike) -> Array:
    return result[0] if np.asarray(like).ndim == 1 else result


def npv(rate: ArrayLike, cf: ArrayLike) -> Array:
    """Net present value at ``rate`` of flows ``cf`` (year 0 undiscounted), per sample."""
    flows = _2d(cf)
    r = np.broadcast_to(np.asarray(rate, dtype=float), flows.shape[:1])
    t = np.arange(flows.shape[1])
    factors = (1.0 + r[:, None]) ** -t[None, :]
    return _squeeze(np.einsum("st,st->s", flows, factors), cf)


def crf(rate: ArrayLike, years: ArrayLike) -> Array:
    """Capital recovery factor r (1+r)^n / ((1+r)^n - 1); 1/n at r = 0."""
    r = np.asarray(rate, dtype=float)
    n = np.asarray(years, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = (1.0 + r) ** n
        out = np.where(np.abs(r) < 1e-12, 1.0 / n, r * growth / (growth - 1.0))
    return np.asarray(out, dtype=float)


def pmt(rate: ArrayLike, nper: ArrayLike, pv: ArrayLike) -> Array:
    """Level payment that repays ``pv`` over ``nper`` periods at ``rate`` (positive number for positive pv).

    numpy-financial's ``pmt`` returns the same magnitude with the opposite sign.
    """
    return np.asarray(pv, dtype=float) * crf(rate, nper)


def irr(cf: ArrayLike, *, guess: ArrayLike | None = None, tol: float = 1e-10) -> tuple[Array, Array]:
    """Internal rate(s) of return, per sample; returns ``(irr, n_roots)``.

    NPV is evaluated on a grid of rates from -95 % to 300 %; each sign change brackets a root,
    refined by bisection. With no sign change the IRR is ``nan`` (e.g. all flows negative).
    With several roots (flows that change sign more than once, e.g. a large reline late in life)
    the root closest to ``guess`` (default 10 %) is returned and ``n_roots`` tells the caller.
    """
    flows = _2d(cf)
    n_samples, n_years = flows.shape
    t = np.arange(n_years)
    grid_factors = (1.0 + _IRR_GRID[None, :]) ** -t[:, None]  # (T, G)
    values = flows @ grid_factors  # (S, G)
    signs = np.sign(values)
    change = (signs[:, :-1] * signs[:, 1:]) < 0
    exact = values[:, :-1] == 0.0
    brackets = change | exact
    n_roots = brackets.sum(axis=1).astype(float)
    target = np.broadcast_to(np.asarray(0.10 if guess is None else guess, dtype=float), (n_samples,))
    mids = 0.5 * (_IRR_GRID[:-1] + _IRR_GRID[1:])
    distance = np.where(brackets, np.abs(mids[None, :] - target[:, None]), np.inf)
    pick = np.argmin(distance, axis=1)
    found = np.isfinite(distance[np.arange(n_samples), pick])
    lo = _IRR_GRID[pick].copy()
    hi = _IRR_GRID[pick + 1].copy()
    # the sign of f at the lower end never changes (it moves only to a point of the same sign), so it is
    # taken once; the values there are not needed
    sign_lo = np.sign(values[np.arange(n_samples), pick])
    minus_t = -t[None, :]
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        f_mid = np.einsum("st,st->s", flows, (1.0 + mid[:, None]) ** minus_t)
        same = np.sign(f_mid) == sign_lo
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
        if np.all(hi - lo < tol):
            break
    root = np.where(found, 0.5 * (lo + hi), np.nan)
    return _squeeze(root, cf), _squeeze(n_roots, cf)


def payback(cf: ArrayLike) -> Array:
    """Years from the start of year 0 until the cumulative flow turns non-negative for good.

    Flows of year ``t`` arrive at its end (time ``t + 1``) and are spread evenly through the year
    for the interpolation; ``nan`` if the cumulative flow is negative at the end.
    """
    flows = _2d(cf)
    cum = np.cumsum(flows, axis=1)
    n_samples, n_years = flows.shape
    negative = cum < 0.0
    # the last year in which the cumulative position is negative; payback happens in the next one
    any_negative = negative.any(axis=1)
    last_neg = n_years - 1 - np.argmax(negative[:, ::-1], axis=1)
    never = negative[:, -1]
    crossing = np.minimum(last_neg + 1, n_years - 1)
    rows = np.arange(n_samples)
    before = cum[rows, last_neg]
    step = flows[rows, crossing]
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(step > 0, -before / step, 0.0)
    years = crossing + fraction
    years = np.where(any_negative, years, 0.0)
    years = np.where(never, np.nan, years)
    return _squeeze(years, cf)


def depreciation_kernel(n_years: int, method: str, rate: float, initial_allowance: float) -> Array:
    """Matrix ``K`` so that ``depreciation = additions @ K`` for additions placed in service per year.

    ``wdv``: initial allowance in the first year, then ``rate`` of the written-down value every year
    (Pakistani Third Schedule style, first-year normal depreciation on cost less the allowance);
    ``straight_line``: ``rate`` of cost per year until fully written off.
    """
    k = np.arange(n_years)
    if method == "wdv":
        remaining = 1.0 - initial_allowance
        row = rate * remaining * (1.0 - rate) ** k
        row[0] += initial_allowance
    else:
        row = np.where(k < np.ceil(1.0 / rate - 1e-9), rate, 0.0)
        full = np.floor(1.0 / rate + 1e-9).astype(int)
        if full < n_years and abs(full * rate - 1.0) > 1e-9:
            row[full] = 1.0 - full * rate
    lag = k[None, :] - k[:, None]
    return np.where(lag >= 0, row[np.clip(lag, 0, None)], 0.0)


def income_tax(
    taxable: Array,
    revenue: Array,
    *,
    corporate_rate: float,
    super_thresholds: Array,
    super_rates: Array,
    minimum_rate: float,
) -> Array:
    """Tax per year with unlimited loss carry-forward, super tax by bracket and a turnover minimum.

    ``taxable`` and ``revenue`` are ``(S, T)`` nominal USD; super tax brackets are thresholds in
    nominal USD (ascending) with the rate that applies to the whole income above each. The tax paid
    is the larger of the income tax and ``minimum_rate`` x revenue (minimum tax on turnover).
    """
    base = _taxable_base(taxable)
    extra = np.zeros_like(base)
    if super_thresholds.size:
        idx = np.searchsorted(super_thresholds, base, side="right")
        extra = np.concatenate([[0.0], super_rates])[idx]
    return np.maximum(base * (corporate_rate + extra), minimum_rate * np.maximum(revenue, 0.0))


def _taxable_base(taxable: Array) -> Array:
    """Each year's income after the losses carried forward from earlier years, ``(S, T)``.

    The carry-forward runs year by year. One sample with finite numbers runs on Python floats with
    numpy's rules for ``minimum``/``maximum`` (the second argument on a tie, so the sign of a zero is
    kept), giving the numbers of the array loop below bit for bit, at a tenth of its cost.
    """
    n_samples, n_years = taxable.shape
    base = np.empty_like(taxable)
    if n_samples == 1 and np.isfinite(taxable).all():
        losses = 0.0
        row = base[0]
        for t, income in enumerate(taxable[0].tolist()):
            positive = income if income > 0.0 else 0.0  # np.maximum(income, 0.0)
            used = losses if losses < positive else positive  # np.minimum(losses, positive)
            rest = income - used
            row[t] = rest if rest > 0.0 else 0.0
            loss = -income
            losses = losses - used + (loss if loss > 0.0 else 0.0)
        return base
    losses_s = np.zeros(n_samples)
    for t in range(n_years):
        income = taxable[:, t]
        used_s = np.minimum(losses_s, np.maximum(income, 0.0))
        base[:, t] = np.maximum(income - used_s, 0.0)
        losses_s = losses_s - used_s + np.maximum(-income, 0.0)
    return base


def debt_schedule(
    draws: Array,
    *,
    rate: float,
    tenor: int,
    first_repayment: int,
    capitalise_until: int,
    repayment: str,
) -> tuple[Array, Array, Array, Array]:
    """Drawdowns -> (interest paid, principal, capitalised interest, balance at year end), all ``(S, T)``.

    Interest accrues on the opening balance. Before ``capitalise_until`` it is added to the loan
    (interest during construction); afterwards it is paid. Principal is repaid from
    ``first_repayment`` over ``tenor`` years, as an annuity (re-levelled each year, so later
    drawdowns are spread over the remaining tenor) or in equal instalments; what is left after the
    tenor is repaid at once.
    """
    n_samples, n_years = draws.shape
    interest_paid = np.zeros_like(draws)
    principal = np.zeros_like(draws)
    capitalised = np.zeros_like(draws)
    closing = np.zeros_like(draws)
    balance = np.zeros(n_samples)
    for t in range(n_years):
        interest = balance * rate
        if t < capitalise_until:
            capitalised[:, t] = interest
            balance = balance + interest
        else:
            interest_paid[:, t] = interest
        if t >= first_repayment:
            remaining = tenor - (t - first_repayment)
            if remaining <= 1:
                pay = balance
            elif repayment == "annuity":
                pay = pmt(rate, remaining, balance) - balance * rate
            else:
                pay = balance / remaining
            principal[:, t] = pay
            balance = balance - pay
        balance = balance + draws[:, t]
        closing[:, t] = balance
    return interest_paid, principal, capitalised, closing
