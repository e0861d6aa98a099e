"""The plant solve: demand -> throughput of every unit -> works gases -> electricity -> flows.

Everything works on a leading sample axis ``S`` (``S = 1`` for one scenario), so that risk
analysis can evaluate thousands of parameter samples in one call.

1. **Throughputs** (linear algebra). For every unit ``u`` that makes carrier ``m`` with share
   ``s_u`` of its need::

       x_u = s_u * ( d_m - sum_v x_v * R'_{v,m} )          (R' = recipe without main outputs)

   i.e. ``(I + S_share P R'^T) x = S_share d``, a (U x U) system solved per sample with LAPACK.
   Shares come from capacities (``proportional``), from data (``shares``) or from filling
   producers in order (``merit``); whatever own producers cannot make is bought where the
   carrier can be bought. Shares and the target scaling are iterated to a fixed point.
2. **Service units** (berth, by-product plant, mixer): throughput = the flows they handle.
3. **Works gases** (:func:`steelworks.plant.gas.allocate`): pooled per gas, given to fuel users
   in priority order, natural gas makes up deficits, the power plant burns the surplus, the
   rest is flared (or sold).
4. **Electricity**: the power plant's net output against the works' demand; the grid supplies
   the rest or takes the surplus.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from steelworks.errors import InputError
from steelworks.plant.balance import balance_faults, check_balances, compute_balances, per_row
from steelworks.plant.build import ELECTRICITY, FUEL, KIND_CODES, MARKET, Plant
from steelworks.plant.gas import allocate
from steelworks.plant.solution import Solution

__all__ = ["DemandError", "Solution", "solve", "standby_split"]

Array = NDArray[np.float64]
MJ_PER_KWH = 3.6


class DemandError(InputError):
    """The demand cannot be met: the binding units and by how much are in the message."""


def standby_split(plant: Plant, recipe: Array, active: bool = True) -> tuple[Array, Array]:
    """Split each operating unit's energy inputs into a part per tonne and a fixed part per year.

    With standby share ``f`` and effective capacity ``P``, an energy input of ``r`` per tonne at
    capacity becomes ``(1 - f) r`` per tonne plus ``f r P`` per year, so that the unit uses
    ``r x`` at ``x = P`` and more per tonne below it. Returns ``(variable recipe, fixed (S, U, C))``
    with fixed consumption as positive amounts. An idle works (``active`` false) has no standby.
    """
    energy = plant.carrier_kind == KIND_CODES["energy"]
    share = np.where(plant.operating & (np.array(plant.basis) == "output"), plant.standby_share, 0.0)
    if not active or not np.any(share > 0):
        return recipe, np.zeros_like(recipe)
    inputs = np.where(energy & (recipe < 0), -recipe, 0.0)
    fixed = inputs * (share * plant.effective_capacity)[None, :, None]
    variable = recipe + inputs * share[None, :, None]
    return variable, fixed


def _as_batch(recipe: Array | None, plant: Plant) -> Array:
    r = plant.recipe if recipe is None else recipe
    return r[None] if r.ndim == 2 else r


def _initial_shares(plant: Plant, S: int) -> dict[int, Array]:
    """Shares per supply (columns aligned with ``supply.producers``)."""
    cap = plant.effective_capacity
    shares: dict[int, Array] = {}
    for c, sup in plant.supplies.items():
        n = len(sup.producers)
        if sup.mode == "shares":
            assert sup.shares is not None
            shares[c] = np.broadcast_to(sup.shares, (S, n)).copy()
            continue
        if sup.mode == "merit":
            s = np.zeros((S, n))
            s[:, 0] = 1.0
            shares[c] = s
            continue
        own_cap = np.array([cap[u] for u in sup.producers])
        total = own_cap.sum()
        if total > 0:
            shares[c] = np.broadcast_to(own_cap / total, (S, n)).copy()
        else:
            shares[c] = np.broadcast_to(np.full(n, 1.0 / n), (S, n)).copy()
    return shares


def _update_shares(plant: Plant, c: int, need: Array, shares: Array, market: Array) -> tuple[Array, Array]:
    """New shares of own producers and of the market for carrier ``c`` given its need (S,)."""
    sup = plant.supplies[c]
    cap = plant.effective_capacity
    S = need.shape[0]
    safe_need = np.where(need > 0, need, 1.0)
    if sup.mode == "shares":
        return shares, np.zeros(S)
    if sup.mode == "merit":
        remaining = need.copy()
        new = np.zeros_like(shares)
        for i, u in enumerate(sup.producers):
            take = remaining if u == MARKET else np.minimum(remaining, cap[u])
            new[:, i] = take / safe_need
            remaining = remaining - take
        # whatever is left over (no market in the list) stays with the last producer: reported as overload
        new[:, -1] += remaining / safe_need
        return new, np.zeros(S)
    own_cap = np.array([cap[u] for u in sup.producers])
    total = own_cap.sum()
    prop = own_cap / total if total > 0 else np.full(len(own_cap), 1.0 / len(own_cap))
    # own producers up to their capacity; the market takes the excess if the carrier can be bought
    own_fraction = np.where(need > total, total / safe_need, 1.0) if plant.can_buy[c] else np.ones(S)
    return own_fraction[:, None] * prop[None, :], 1.0 - own_fraction


def _throughputs(plant: Plant, R: Array, d: Array, shares: dict[int, Array], market: dict[int, Array]) -> Array:
    S, U, _ = R.shape
    r_off = R.copy()
    for u in range(U):
        if plant.product[u] >= 0:
            r_off[:, u, plant.product[u]] = 0.0
    A = np.broadcast_to(np.eye(U), (S, U, U)).copy()
    b = np.zeros((S, U))
    for c, sup in plant.supplies.items():
        for i, u in enumerate(sup.producers):
            if u == MARKET:
                continue
            s = shares[c][:, i]
            A[:, u, :] += s[:, None] * r_off[:, :, c]
            b[:, u] = s * d[:, c]
    try:
        x = np.linalg.solve(A, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        raise InputError(
            "the flowsheet has a cycle with no net producer (the recipe matrix is singular): a loop of units "
            "consumes at least as much of a carrier as it makes",
            location="units",
            allowed="recipes whose loops (e.g. coke -> sinter -> hot metal -> ...) have a gain below 1",
        ) from None
    return np.asarray(x, dtype=np.float64)


def _need(plant: Plant, R: Array, x: Array, d: Array, c: int) -> Array:
    """Need of carrier c: final demand plus consumption minus co-production by non-producers."""
    own = [u for u in plant.supplies[c].producers if u != MARKET]
    r = R[:, :, c] * x
    r_own = r[:, own].sum(axis=1)
    return d[:, c] - (r.sum(axis=1) - r_own)


def solve_throughputs(
    plant: Plant,
    recipe: Array | None = None,
    demand: Array | None = None,
    max_iter: int = 60,
    fixed_need: Array | None = None,
) -> tuple[Array, Array, Array, dict[int, Array], dict[int, Array]]:
    """Throughput of every output unit, iterating shares (capacity, merit) and the target scale.

    ``fixed_need`` (S, C) is consumption that does not scale with throughput (standby energy); it adds
    to the need of the carriers but not to what is delivered. Returns ``(x, d_scaled, scale, shares,
    market_share)`` where ``d_scaled`` is the final demand delivered.
    """
    R = _as_batch(recipe, plant)
    S = R.shape[0]
    d0 = plant.demand if demand is None else demand
    d0 = np.broadcast_to(d0, (S, plant.n_carriers)).astype(float)
    if not np.any(d0 > 0):
        if plant.target_tag is not None:
            raise InputError(
                "a target needs a demand mix to scale", location="demand", allowed="at least one positive demand"
            )
        zero = np.zeros((S, plant.n_units))  # an idle works: nothing made, nothing bought
        return zero, d0, np.ones(S), _initial_shares(plant, S), {c: np.zeros(S) for c in plant.supplies}
    shares = _initial_shares(plant, S)
    market = {c: np.zeros(S) for c in plant.supplies}
    scale = np.ones(S)
    tag_mask = plant.tag_mask(plant.target_tag) if plant.target_tag else None
    x = np.zeros((S, plant.n_units))
    extra = np.zeros_like(d0) if fixed_need is None else np.broadcast_to(fixed_need, d0.shape)
    for _ in range(max_iter):
        d = d0 * scale[:, None] + extra
        x = _throughputs(plant, R, d, shares, market)
        changed = 0.0
        for c in plant.supplies:
            need = _need(plant, R, x, d, c)
            new, mk = _update_shares(plant, c, need, shares[c], market[c])
            changed = max(changed, float(np.max(np.abs(new - shares[c]))), float(np.max(np.abs(mk - market[c]))))
            shares[c], market[c] = new, mk
        if tag_mask is not None and plant.target_amount is not None:
            made = (np.clip(R, 0, None) * tag_mask * x[:, :, None]).sum(axis=(1, 2))
            if np.any(made <= 0):
                raise InputError(
                    f"no unit makes carriers tagged '{plant.target_tag}' for this demand",
                    location="target.tag",
                )
            ratio = plant.target_amount / made
            changed = max(changed, float(np.max(np.abs(ratio - 1.0))))
            scale = scale * ratio
        if changed < 1e-13:
            break
    x = _throughputs(plant, R, d0 * scale[:, None] + extra, shares, market)
    d = d0 * scale[:, None]
    return x, d, scale, shares, market


def _capacity_reason(plant: Plant, x: Array, over: Array, s: int) -> str:
    cap = plant.effective_capacity
    lines = []
    for u in map(int, np.flatnonzero(over[s] > 1e-6)):
        if cap[u] <= 0:
            why = f"is {plant.condition[u]}" if plant.condition[u] != "operating" else "has no capacity"
            lines.append(
                f"{plant.unit_ids[u]} {why} but would have to make {x[s, u]:,.0f} "
                f"{plant.carrier_unit[plant.product[u]] if plant.product[u] >= 0 else 't'}/yr"
            )
        else:
            lines.append(
                f"{plant.unit_ids[u]} needs {x[s, u]:,.0f} against an effective capacity of "
                f"{cap[u]:,.0f} /yr ({x[s, u] / cap[u]:.1%}, short by {x[s, u] - cap[u]:,.0f})"
            )
    return "the works cannot meet the demand: " + "; ".join(lines)


def _check_capacity(plant: Plant, x: Array, faults: dict[int, str] | None = None) -> None:
    """Raise :class:`DemandError` where a unit would run above its effective capacity; with ``faults``,
    record the reason of each such sample there instead (a batch keeps its other samples)."""
    over = x - plant.effective_capacity[None, :] * (1 + 1e-9)
    bad = np.flatnonzero((over > 1e-6).any(axis=1))
    if faults is not None:
        for s in map(int, bad):  # only the failing samples: building their messages
            faults.setdefault(s, _capacity_reason(plant, x, over, s))
    elif bad.size:
        s = int(np.argmax(over.max(axis=1)))
        reason = _capacity_reason(plant, x, over, s)
        sample = f" in sample {s}" if x.shape[0] > 1 else ""
        raise DemandError(
            reason.replace("the demand:", "the demand" + sample + ":", 1),
            location="demand / target",
            allowed="a lower demand or target, more availability or capacity, or restored units",
        )
    if np.any(x < -1e-9 * np.maximum(1.0, np.abs(x).max())):
        s, u = (int(v) for v in np.unravel_index(int(np.argmin(x)), x.shape))
        product = plant.carrier_ids[plant.product[u]]
        raise InputError(
            f"unit {plant.unit_ids[u]} would run at a negative rate ({x[s, u]:,.1f}/yr): either other "
            f"units co-produce more {product} than is needed, or a loop of units consumes more {product} "
            "than it makes (a cycle with no net producer)",
            location=f"units.{plant.unit_ids[u]}",
            allowed="recipes whose loops make more than they use; surplus co-products listed in market.sell",
        )


#: samples solved per block: a block's (S, U, C) temporaries (~15 kB a sample each for PSM) stay in the
#: core's cache instead of streaming through memory; measured in benchmarks/RESULTS.md
SOLVE_BLOCK = 256


def _block_target(amount: Any, S: int, lo: int, hi: int) -> Any:
    """The target of samples lo:hi: a per-sample array is cut, one shared number stays (typed ``float``
    on the plant, an array in a batch)."""
    return _block_of(amount, S, lo, hi) if np.ndim(amount) else amount


def _block_of(a: Array | None, S: int, lo: int, hi: int) -> Array | None:
    """Rows lo:hi of an array with a leading sample axis (one shared by every sample stays whole)."""
    if a is None:
        return None
    arr = np.asarray(a)
    return arr[lo:hi] if arr.ndim >= 1 and arr.shape[0] == S and arr.ndim in (1, 3) else arr


def _join(parts: list[Any]) -> Any:
    """Concatenate per-block results along the sample axis (dataclasses and dicts field by field)."""
    first = parts[0]
    if isinstance(first, np.ndarray):
        return np.concatenate(parts, axis=0)
    if isinstance(first, dict):
        return {k: _join([p[k] for p in parts]) for k in first}
    return type(first)(**{f.name: _join([getattr(p, f.name) for p in parts]) for f in fields(first)})


def solve(
    plant: Plant,
    recipe: Array | None = None,
    demand: Array | None = None,
    out_c_frac: Array | None = None,
    out_lhv: Array | None = None,
    check: bool = True,
    mask_faults: bool = False,
) -> Solution:
    """Solve the works for every sample; raise :class:`DemandError`/:class:`InputError` on bad cases.

    With ``mask_faults`` a sample that cannot be met (capacity, a carrier that can be neither bought
    nor sold, the grid) or that breaks a conservation law is recorded in :attr:`Solution.faults` with
    its reason, and the other samples are solved as usual. A large batch is solved in blocks of
    :data:`SOLVE_BLOCK` samples (each sample's numbers do not depend on the block it is in beyond
    the 1e-13 stopping rule of the share iteration).
    """
    S = 1 if recipe is None or np.ndim(recipe) == 2 else int(np.shape(recipe)[0])
    if S <= SOLVE_BLOCK:
        return _solve_block(plant, recipe, demand, out_c_frac, out_lhv, check, mask_faults)
    parts: list[Solution] = []
    for lo in range(0, S, SOLVE_BLOCK):
        hi = min(lo + SOLVE_BLOCK, S)
        sub = replace(
            plant,
            fe_frac=plant.fe_frac[lo:hi] if plant.fe_frac.ndim == 2 else plant.fe_frac,
            c_frac=plant.c_frac[lo:hi] if plant.c_frac.ndim == 2 else plant.c_frac,
            target_amount=_block_target(plant.target_amount, S, lo, hi),
        )
        d = None if demand is None else (np.asarray(demand)[lo:hi] if np.ndim(demand) == 2 else demand)
        parts.append(
            _solve_block(
                sub,
                _block_of(recipe, S, lo, hi),
                d,
                _block_of(out_c_frac, S, lo, hi),
                _block_of(out_lhv, S, lo, hi),
                check,
                mask_faults,
            )
        )
    faults = {lo + s: r for lo, p in zip(range(0, S, SOLVE_BLOCK), parts, strict=True) for s, r in p.faults.items()}
    head = parts[0]
    return Solution(
        plant=replace(head.plant, fe_frac=plant.fe_frac, c_frac=plant.c_frac, target_amount=plant.target_amount),
        **{
            f.name: _join([getattr(p, f.name) for p in parts])
            for f in fields(Solution)
            if f.name not in ("plant", "faults", "balances")
        },
        balances=None if head.balances is None else _join([p.balances for p in parts]),
        faults=faults,
    )


def _solve_block(
    plant: Plant,
    recipe: Array | None,
    demand: Array | None,
    out_c_frac: Array | None,
    out_lhv: Array | None,
    check: bool,
    mask_faults: bool,
) -> Solution:
    faults: dict[int, str] | None = {} if mask_faults else None
    R_full = _as_batch(recipe, plant)
    S, U, C = R_full.shape
    out_c = np.broadcast_to(plant.out_c_frac if out_c_frac is None else out_c_frac, (S, U, C))
    out_l = np.broadcast_to(plant.out_lhv if out_lhv is None else out_lhv, (S, U, C))
    d_in = np.broadcast_to(plant.demand if demand is None else demand, (S, C))
    R, standby = standby_split(plant, R_full, active=bool(np.any(d_in > 0)))
    fixed_need = standby.sum(axis=1) * np.isin(np.arange(C), list(plant.supplies))
    x, d, scale, shares, market = solve_throughputs(plant, R, demand, fixed_need=fixed_need)
    is_output = np.array([b == "output" for b in plant.basis])
    x_out = np.where(is_output, x, 0.0)
    flows = x_out[:, :, None] * R - standby

    # market purchases of main products
    bought = np.zeros((S, C))
    for c in plant.supplies:
        need = _need(plant, R, x_out, d + fixed_need, c)
        bought[:, c] += market[c] * need

    # net of ordinary carriers (not fuel heat / electricity / gases): positive = surplus, negative = deficit
    kind = plant.carrier_kind
    special = np.zeros(C, dtype=bool)
    special[plant.carrier(FUEL)] = True
    special[plant.carrier(ELECTRICITY)] = True
    special |= kind == KIND_CODES["gas"]

    # service units: production handled or purchases of tagged carriers
    net_pre = flows.sum(axis=1) + bought - d
    for u in range(U):
        if plant.basis[u] != "service":
            continue
        produced = (np.clip(flows, 0, None) * plant.service_production[u][None, None, :]).sum(axis=(1, 2))
        tag = plant.service_purchase_tag[u]
        purchased = np.zeros(S)
        if tag is not None:
            # a berth or a stockyard moves wet tonnes: dry purchases / (1 - moisture)
            mask = (plant.tags[tag] & ~special) / (1.0 - plant.moisture)
            purchased = (np.clip(-net_pre, 0, None) * mask).sum(axis=1) + (bought * mask).sum(axis=1)
        x_out[:, u] = produced + purchased
    flows = x_out[:, :, None] * R - standby
    if check:
        _check_capacity(plant, x_out, faults)

    net = flows.sum(axis=1) + bought - d
    # rounding noise of the linear solve (1e-16 relative) must not show up as a trade
    noise = 1e-12 * (np.abs(flows).max(axis=(1, 2)) + 1.0)[:, None]
    net = np.where(np.abs(net) < noise, 0.0, net)
    bought = np.where(bought < noise, 0.0, bought)
    ordinary = ~special
    surplus = np.where(ordinary, np.clip(net, 0, None), 0.0)
    deficit = np.where(ordinary, np.clip(-net, 0, None), 0.0)
    _check_market(plant, surplus, deficit, faults)
    bought += deficit
    sold = d + surplus

    # works gases, fuel, power plant
    gas = allocate(plant, flows, out_c, out_l, x_out)
    fuel_col = plant.carrier(FUEL)
    elec = plant.carrier(ELECTRICITY)
    zeros_row = np.zeros((S, 1, C))
    produced = np.concatenate([np.clip(flows, 0, None), zeros_row], axis=1)
    consumed = np.concatenate([np.clip(-flows, 0, None), zeros_row], axis=1)
    consumed[:, :, fuel_col] = 0.0  # fuel heat is met by the gases burned below
    consumed += gas.fuel_mass
    bought += gas.bought
    sold += gas.sold
    # electricity a process unit exports (a top-gas recovery turbine beyond the furnace's own use)
    unit_export_mwh = produced[:, :, elec].sum(axis=1)
    generated = gas.electricity_mwh  # (S, U+1) net generation by power-plant rows
    x_out = x_out + generated[:, :U]
    produced[:, :, elec] += generated
    demand_mwh = consumed[:, :, elec].sum(axis=1)
    gen_total = generated.sum(axis=1)
    e_bought = np.clip(demand_mwh - gen_total - unit_export_mwh, 0, None)
    e_sold = np.clip(gen_total + unit_export_mwh - demand_mwh, 0, None)
    if not plant.grid_buy and faults is not None:
        for s in map(int, np.flatnonzero(e_bought > 1e-9)):
            faults.setdefault(s, "the works needs more power than it generates and the grid may not be used")
    elif not plant.grid_buy and np.any(e_bought > 1e-9):
        raise InputError(
            f"the works needs {float(e_bought.max()):,.0f} MWh/yr more than it generates and the grid may not be used",
            location="grid.buy",
            allowed="grid.buy: true, or more own generation",
        )
    bought[:, elec] += e_bought
    sold[:, elec] += e_sold

    # carbon and energy carried by each flow (gross: a unit may make and burn the same gas)
    rows_c_out = np.concatenate([out_c, np.zeros((S, 1, C))], axis=1)
    rows_l_out = np.concatenate([out_l, np.zeros((S, 1, C))], axis=1)
    gas_mask = kind == KIND_CODES["gas"]
    c_out = produced * rows_c_out
    c_in = np.where(gas_mask, gas.c_in, consumed * per_row(plant.c_frac))
    energy_factor = np.where(
        np.array(plant.carrier_unit) == "MWh",
        MJ_PER_KWH,
        np.where(kind == KIND_CODES["energy"], 1.0, plant.lhv_gj_per_t),
    )
    out_factor = np.where(kind == KIND_CODES["energy"], energy_factor, rows_l_out)
    e_out = produced * out_factor
    e_in = np.where(gas_mask, gas.e_in, consumed * energy_factor)
    e_in[:, :, fuel_col] = 0.0
    e_out[:, :, fuel_col] = 0.0

    solution = Solution(
        plant=plant,
        throughput=x_out,
        produced=produced,
        consumed=consumed,
        bought=bought,
        sold=sold,
        delivered=d,
        demand_scale=scale,
        gas=gas,
        c_in=c_in,
        c_out=c_out,
        e_in=e_in,
        e_out=e_out,
        electricity_generated_mwh=gen_total,
        electricity_bought_mwh=e_bought,
        electricity_sold_mwh=e_sold,
        shares=shares,
    )
    if faults is not None:
        solution.faults = faults
        if check:
            solution.balances = compute_balances(solution)
            for s_bad, reason in balance_faults(solution, solution.balances).items():
                faults.setdefault(s_bad, reason)
    elif check:
        solution.balances = check_balances(solution)
    return solution


def _check_market(plant: Plant, surplus: Array, deficit: Array, faults: dict[int, str] | None = None) -> None:
    if faults is not None:
        short = (deficit > 1e-9) & ~plant.can_buy
        extra = (surplus > 1e-9) & ~plant.can_sell
        for s in map(int, np.flatnonzero(short.any(axis=1) | extra.any(axis=1))):
            names = [plant.carrier_ids[c] for c in np.flatnonzero(short[s])]
            spare = [plant.carrier_ids[c] for c in np.flatnonzero(extra[s])]
            faults.setdefault(s, f"carriers short and not buyable: {names}; surplus not sellable: {spare}")
        return
    for c in np.flatnonzero((deficit > 1e-9).any(axis=0) & ~plant.can_buy):
        amount = float(deficit[:, c].max())
        producers = [plant.unit_ids[u] for u in range(plant.n_units) if plant.recipe[u, c] > 0]
        why = f"its producers ({', '.join(producers)}) do not make enough" if producers else "no unit produces it"
        raise InputError(
            f"the works needs {amount:,.1f} {plant.carrier_unit[c]}/yr of '{plant.carrier_ids[c]}' but "
            f"{why} and it cannot be bought",
            location="market.buy",
            allowed=f"add '{plant.carrier_ids[c]}' to market.buy, or restore a producer",
        )
    for c in np.flatnonzero((surplus > 1e-9).any(axis=0) & ~plant.can_sell):
        amount = float(surplus[:, c].max())
        raise InputError(
            f"the works has a surplus of {amount:,.1f} {plant.carrier_unit[c]}/yr of "
            f"'{plant.carrier_ids[c]}' that cannot be sold or used",
            location="market.sell",
            allowed=f"add '{plant.carrier_ids[c]}' to market.sell, or a unit that uses it",
        )
