"""The balance of a solved works as plain data: KPIs, units, flows, balances, gases, CO2.

This is the JSON contract of ``steelworks balance SCENARIO --format json`` (keys ``scenario``,
``kpis``, ``units``, ``flows``, ``balances`` are fixed; more keys are added, never renamed). It is
read off the results contract (:class:`steelworks.results.WorksResults`) and nothing else.
"""

from __future__ import annotations

from typing import Any

from steelworks.results import ELEMENTS, WorksResults

MARKET = "market"
ATMOSPHERE = "atmosphere"
#: the carrier that stands for fuel heat demand (met by gases and make-up fuels; not a flow of its own)
FUEL = "fuel_heat"


def units_table(res: WorksResults, s: int = 0) -> list[dict[str, Any]]:
    info = res.units
    out = []
    for u, uid in enumerate(info.ids):
        cap = float(info.capacity[u])
        eff = float(info.effective_capacity[u])
        output = float(res["throughput"][s, u])
        out.append(
            {
                "id": uid,
                "name": info.names[u],
                "kind": info.kinds[u],
                "product": info.products[u],
                "condition": info.conditions[u],
                "output_t": output,
                "output_unit": info.output_units[u],
                "capacity_t": cap,
                "effective_capacity_t": eff,
                "availability": float(info.availability[u]),
                "utilisation": output / cap if cap > 0 else 0.0,
                "utilisation_of_available": output / eff if eff > 0 else 0.0,
                "co2_direct_t": float(res["co2_direct_by_row"][s, u]),
                "loss_mass_t": float(res["loss_mass"][s, u]),
                "loss_fe_t": float(res["loss_fe"][s, u]),
                "energy_in_gj": float(res["energy_in"][s, u].sum()),
                "energy_out_gj": float(res["energy_out"][s, u].sum()),
                "energy_loss_gj": float(res["loss_energy"][s, u]),
            }
        )
    return out


def flows_table(res: WorksResults, s: int = 0, min_amount: float = 1e-6) -> list[dict[str, Any]]:
    """Flows between rows (units, flare), the market and the atmosphere, per carrier.

    Each carrier is a pool: producers and purchases feed it, users and sales draw from it, and
    every source-target pair gets ``produced_p * used_q / total`` (pooled, proportional).
    Mass that leaves a unit as a declared loss goes to ``atmosphere`` as carrier ``losses``.
    """
    rows = res.rows
    produced, consumed = res["produced"][s], res["consumed"][s]
    bought, sold = res["bought"][s], res["sold"][s]
    flows: list[dict[str, Any]] = []
    for c, cid in enumerate(res.carriers.ids):
        if cid == FUEL:
            continue
        sources = [(rows[r], float(produced[r, c])) for r in range(len(rows)) if produced[r, c] > 0]
        if bought[c] > 0:
            sources.append((MARKET, float(bought[c])))
        targets = [(rows[r], float(consumed[r, c])) for r in range(len(rows)) if consumed[r, c] > 0]
        if sold[c] > 0:
            targets.append((MARKET, float(sold[c])))
        total = sum(a for _, a in sources)
        if total <= 0:
            continue
        unit = f"{res.carriers.units[c]}/yr"
        for src, a in sources:
            for dst, b in targets:
                amount = a * b / total
                if amount > min_amount and src != dst:
                    flows.append({"source": src, "target": dst, "carrier": cid, "amount": amount, "unit": unit})
    loss = res["loss_mass"][s]
    for r, row in enumerate(rows):
        if loss[r] > min_amount:
            flows.append(
                {"source": row, "target": ATMOSPHERE, "carrier": "losses", "amount": float(loss[r]), "unit": "t/yr"}
            )
    return flows


def gas_table(res: WorksResults, s: int = 0) -> list[dict[str, Any]]:
    """Works-gas balance in GJ/yr: made, burned by each user, sold, flared, bought."""
    rows = res.rows
    burned, taken = res["gas_burned"][s], res["gas_input"][s]
    made_e = res["energy_out"][s]
    out = []
    for c, kind in enumerate(res.carriers.kinds):
        if kind != "gas":
            continue
        made_gj = float(made_e[:, c].sum())
        used = {rows[r]: float(burned[r, c]) for r in range(len(rows)) if burned[r, c] > 0}
        direct = float(taken[:, c].sum() - burned[:, c].sum())
        if made_gj <= 0 and not used and direct <= 0:
            continue
        out.append(
            {
                "gas": res.carriers.ids[c],
                "produced_gj": made_gj,
                "bought_t": float(res["gas_bought"][s, c]),
                "direct_use_gj": direct,
                "burned_gj": {k: v for k, v in used.items() if k != "flare"},
                "sold_gj": float(res["gas_sold"][s, c]),
                "flared_gj": used.get("flare", 0.0),
            }
        )
    return out


#: the carrier whose purchases :func:`natural_gas_by_user` splits by user
NATURAL_GAS = "natural_gas"


def natural_gas_by_user(res: WorksResults, s: int = 0) -> dict[str, Any]:
    """Natural gas bought, per row and by use: injected or fed (a direct use such as the blast-furnace
    tuyeres or a DRI shaft) and burned as make-up fuel (the power plant's and every other fuel user's).

    ``by_use`` groups the rows as the issue of a plant engineer would: ``blast_furnace_tuyeres`` (direct use
    at blast-furnace rows), ``power_plant`` (make-up at power-plant rows), ``make_up_elsewhere`` (make-up at
    any other row) and ``other_direct_use`` (e.g. DRI reformer feed, EAF burners). The parts sum to
    ``total_gj``, which equals the natural gas across the works boundary.
    """
    c = res.carriers.index(NATURAL_GAS)
    empty = {"total_t": 0.0, "total_gj": 0.0, "users": [], "by_use": {}}
    if c is None:
        return empty
    lhv = float(res.carriers.lhv_gj_per_t[c])
    bought = res["gas_bought_by_row"][s, :, c]
    burned = res["gas_burned"][s, :, c]  # make-up fuel, GJ (valued at the bought gas's LHV)
    kinds = [*res.units.kinds, "flare"]
    users = []
    by_use = {"blast_furnace_tuyeres": 0.0, "power_plant": 0.0, "make_up_elsewhere": 0.0, "other_direct_use": 0.0}
    for r, row in enumerate(res.rows):
        if bought[r] <= 0:
            continue
        total = float(bought[r] * lhv)
        makeup = float(min(burned[r], total))
        direct = total - makeup
        users.append(
            {
                "row": row,
                "kind": kinds[r],
                "t": float(bought[r]),
                "gj": total,
                "direct_use_gj": direct,
                "make_up_gj": makeup,
            }
        )
        by_use["blast_furnace_tuyeres" if kinds[r] == "blast_furnace" else "other_direct_use"] += direct
        by_use["power_plant" if kinds[r] == "power_plant" else "make_up_elsewhere"] += makeup
    return {
        "total_t": float(bought.sum()),
        "total_gj": float(bought.sum() * lhv),
        "users": users,
        "by_use": by_use,
    }


def balances_table(res: WorksResults, s: int = 0) -> dict[str, dict[str, float]]:
    out = {}
    for e, element in enumerate(ELEMENTS):
        unit = "gj" if element == "energy" else "t"
        out[element] = {
            f"in_{unit}": float(res["balance_in"][s, e]),
            f"out_{unit}": float(res["balance_out"][s, e]),
            "residual_rel": float(res["balance_residual_rel"][s, e]),
        }
    return out


def boundary_table(res: WorksResults, s: int = 0) -> list[dict[str, Any]]:
    info = res.carriers
    out = []
    for c, cid in enumerate(info.ids):
        b, so = float(res["bought"][s, c]), float(res["sold"][s, c])
        if b > 0 or so > 0:
            out.append(
                {
                    "carrier": cid,
                    "name": info.names[c],
                    "unit": info.units[c],
                    "purchased": b,
                    "sold": so,
                    "lhv_gj_per_t": float(info.lhv_gj_per_t[c]),
                    "tags": info.tags_of(c),
                }
            )
    return out


def balance_report(res: WorksResults, s: int = 0) -> dict[str, Any]:
    """The JSON contract of one sample of the results."""
    co2_rows = res["co2_direct_by_row"][s]
    return {
        "scenario": res.scenario,
        "plant": res.plant_name,
        "kpis": res.kpis(s),
        "units": units_table(res, s),
        "flows": flows_table(res, s),
        "balances": balances_table(res, s),
        "boundary": boundary_table(res, s),
        "works_gas": gas_table(res, s),
        "natural_gas_by_user": natural_gas_by_user(res, s),
        "co2_by_unit_t": {row: float(co2_rows[r]) for r, row in enumerate(res.rows) if abs(co2_rows[r]) > 0},
        "demand_scale": float(res["demand_scale"][s]),
        "derived_compositions": res.derived_compositions,
    }
