"""The balance of a solved works as plain data: KPIs, units, flows, balances, gases, CO2.

This is the JSON contract of ``steelworks balance SCENARIO --format json`` (keys ``scenario``,
``kpis``, ``units``, ``flows``, ``balances`` are fixed; more keys are added, never renamed).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from steelworks.carbon import CarbonAccount
from steelworks.plant.balance import Balances
from steelworks.plant.build import ELECTRICITY, FUEL, KIND_CODES
from steelworks.plant.solve import Solution

MARKET = "market"
ATMOSPHERE = "atmosphere"


def _f(value: Any) -> float:
    return float(np.asarray(value))


def _tagged(plant: Any, values: np.ndarray, tag: str) -> float:
    return float(values[plant.tags[tag]].sum()) if tag in plant.tags else 0.0


def kpis(sol: Solution, bal: Balances, co2: CarbonAccount, s: int = 0) -> dict[str, float]:
    plant = sol.plant
    produced = sol.produced[s].sum(axis=0)
    bought = sol.bought[s]
    sold = sol.sold[s]

    def made(cid: str) -> float:
        return float(produced[plant.carrier(cid)]) if cid in plant.carrier_ids else 0.0

    bf_rows = [u for u, k in enumerate(plant.unit_kind) if k == "blast_furnace"]
    hm_bf = sum(float(sol.produced[s, u, plant.product[u]]) for u in bf_rows)

    def used_at_bf(cid: str) -> float:
        if cid not in plant.carrier_ids:
            return 0.0
        return float(sum(sol.consumed[s, u, plant.carrier(cid)] for u in bf_rows))

    coke_rate = 1000 * used_at_bf("coke") / hm_bf if hm_bf > 0 else 0.0
    fuel_rate = 1000 * sum(used_at_bf(c) for c in ("coke", "pci_coal", "natural_gas")) / hm_bf if hm_bf > 0 else 0.0
    ng = plant.carrier("natural_gas") if "natural_gas" in plant.carrier_ids else None
    elec = plant.carrier(ELECTRICITY)
    primary = plant.grid_primary_gj_per_mwh
    fuel_energy = np.where(plant.carrier_kind != KIND_CODES["energy"], plant.lhv_gj_per_t, 0.0)
    sold_fuel_energy = np.where(plant.carrier_kind == KIND_CODES["gas"], sol.gas.sold_e[s], sold * fuel_energy)
    energy_net = (
        float((bought * fuel_energy).sum())
        + float(bought[elec]) * primary
        - float(sold_fuel_energy.sum())
        - float(sold[elec]) * primary
    )
    cs = float(co2.crude_steel_t[s])
    return {
        "crude_steel_t": cs,
        "hot_metal_t": made("hot_metal"),
        "coke_t": made("coke"),
        "sinter_t": made("sinter"),
        "hot_rolled_coil_t": made("hot_rolled_coil"),
        "iron_ore_t": _tagged(plant, bought, "iron_ore"),
        "coking_coal_t": _tagged(plant, bought, "coking_coal"),
        "pci_coal_t": _tagged(plant, bought, "pci_coal"),
        "scrap_t": _tagged(plant, bought, "scrap"),
        "coke_bought_t": _tagged(plant, bought, "coke"),
        "natural_gas_gj": float(bought[ng] * plant.lhv_gj_per_t[ng]) if ng is not None else 0.0,
        "electricity_generated_mwh": _f(sol.electricity_generated_mwh[s]),
        "electricity_purchased_mwh": _f(sol.electricity_bought_mwh[s]),
        "electricity_exported_mwh": _f(sol.electricity_sold_mwh[s]),
        "electricity_demand_mwh": float(sol.consumed[s, :, elec].sum()),
        "coke_rate_kg_per_thm": coke_rate,
        "fuel_rate_kg_per_thm": fuel_rate,
        "co2_direct_t": _f(co2.direct_t[s]),
        "co2_indirect_t": _f(co2.indirect_t[s]),
        "co2_credit_electricity_t": _f(co2.credit_electricity_t[s]),
        "co2_credit_byproducts_t": _f(co2.credit_byproducts_t[s]),
        "co2_t_per_t_crude_steel": _f(co2.gross_t[s]) / cs if cs > 0 else 0.0,
        "co2_net_t_per_t_crude_steel": _f(co2.net_t[s]) / cs if cs > 0 else 0.0,
        "co2_t_per_t_hot_rolled_coil": (
            _f(co2.gross_t[s]) / _f(co2.hot_rolled_coil_t[s]) if _f(co2.hot_rolled_coil_t[s]) > 0 else 0.0
        ),
        "energy_gj_per_t_crude_steel": energy_net / cs if cs > 0 else 0.0,
        "flared_gas_gj": float(sol.gas.fuel_gj[s, -1].sum()),
    }


def units_table(sol: Solution, bal: Balances, co2: CarbonAccount, s: int = 0) -> list[dict[str, Any]]:
    plant = sol.plant
    out = []
    for u, uid in enumerate(plant.unit_ids):
        cap = float(plant.capacity[u])
        eff = float(plant.effective_capacity[u])
        output = float(sol.throughput[s, u])
        unit = plant.carrier_unit[plant.product[u]] if plant.product[u] >= 0 else "t"
        out.append(
            {
                "id": uid,
                "name": plant.unit_names[u],
                "kind": plant.unit_kind[u],
                "product": plant.product_label[u],
                "condition": plant.condition[u],
                "output_t": output,
                "output_unit": unit,
                "capacity_t": cap,
                "effective_capacity_t": eff,
                "availability": float(plant.availability[u]),
                "utilisation": output / cap if cap > 0 else 0.0,
                "utilisation_of_available": output / eff if eff > 0 else 0.0,
                "co2_direct_t": float(co2.direct_by_row_t[s, u]),
                "loss_mass_t": float(bal.loss_mass[s, u]),
                "loss_fe_t": float(bal.loss_fe[s, u]),
                "energy_in_gj": float(sol.e_in[s, u].sum()),
                "energy_out_gj": float(sol.e_out[s, u].sum()),
                "energy_loss_gj": float(bal.loss_energy[s, u]),
            }
        )
    return out


def flows_table(sol: Solution, bal: Balances, s: int = 0, min_amount: float = 1e-6) -> list[dict[str, Any]]:
    """Flows between rows (units, flare), the market and the atmosphere, per carrier.

    Each carrier is a pool: producers and purchases feed it, users and sales draw from it, and
    every source-target pair gets ``produced_p * used_q / total`` (pooled, proportional).
    Mass that leaves a unit as a declared loss goes to ``atmosphere`` as carrier ``losses``, and
    the carbon in it appears as ``co2`` (t CO2).
    """
    plant = sol.plant
    rows = sol.row_ids
    fuel = plant.carrier(FUEL)
    flows: list[dict[str, Any]] = []
    for c, cid in enumerate(plant.carrier_ids):
        if c == fuel:
            continue
        sources = [(rows[r], float(sol.produced[s, r, c])) for r in range(len(rows)) if sol.produced[s, r, c] > 0]
        if sol.bought[s, c] > 0:
            sources.append((MARKET, float(sol.bought[s, c])))
        targets = [(rows[r], float(sol.consumed[s, r, c])) for r in range(len(rows)) if sol.consumed[s, r, c] > 0]
        if sol.sold[s, c] > 0:
            targets.append((MARKET, float(sol.sold[s, c])))
        total = sum(a for _, a in sources)
        if total <= 0:
            continue
        for src, a in sources:
            for dst, b in targets:
                amount = a * b / total
                if amount > min_amount and src != dst:
                    flows.append(
                        {
                            "source": src,
                            "target": dst,
                            "carrier": cid,
                            "amount": amount,
                            "unit": f"{plant.carrier_unit[c]}/yr",
                        }
                    )
    for r, row in enumerate(rows):
        if bal.loss_mass[s, r] > min_amount:
            flows.append(
                {
                    "source": row,
                    "target": ATMOSPHERE,
                    "carrier": "losses",
                    "amount": float(bal.loss_mass[s, r]),
                    "unit": "t/yr",
                }
            )
    return flows


def gas_table(sol: Solution, s: int = 0) -> list[dict[str, Any]]:
    """Works-gas balance in GJ/yr: made, burned by each user, sold, flared, bought."""
    plant = sol.plant
    rows = sol.row_ids
    out = []
    for c in np.flatnonzero(plant.carrier_kind == KIND_CODES["gas"]):
        made_gj = float((sol.produced[s, :, c] * np.append(plant.out_lhv[:, c], 0.0)).sum())
        used = {rows[r]: float(sol.gas.fuel_gj[s, r, c]) for r in range(len(rows)) if sol.gas.fuel_gj[s, r, c] > 0}
        direct = float(sol.gas.e_in[s, :, c].sum() - sol.gas.fuel_gj[s, :, c].sum())
        if made_gj <= 0 and not used and direct <= 0:
            continue
        out.append(
            {
                "gas": plant.carrier_ids[c],
                "produced_gj": made_gj,
                "bought_t": float(sol.gas.bought[s, c]),
                "direct_use_gj": direct,
                "burned_gj": {k: v for k, v in used.items() if k != "flare"},
                "sold_gj": float(sol.gas.sold_e[s, c]),
                "flared_gj": used.get("flare", 0.0),
            }
        )
    return out


def balances_table(bal: Balances, s: int = 0) -> dict[str, dict[str, float]]:
    out = {}
    for key, element in (("mass", "mass"), ("Fe", "fe"), ("C", "c")):
        out[key] = {
            "in_t": _f(getattr(bal, f"{element}_in")[s]),
            "out_t": _f(getattr(bal, f"{element}_out")[s]),
            "residual_rel": _f(bal.residual_rel(element)[s]),
        }
    out["energy"] = {
        "in_gj": _f(bal.energy_in[s]),
        "out_gj": _f(bal.energy_out[s]),
        "residual_rel": _f(bal.residual_rel("energy")[s]),
    }
    return out


def boundary_table(sol: Solution, s: int = 0) -> list[dict[str, Any]]:
    plant = sol.plant
    out = []
    for c, cid in enumerate(plant.carrier_ids):
        b, so = float(sol.bought[s, c]), float(sol.sold[s, c])
        if b > 0 or so > 0:
            out.append(
                {
                    "carrier": cid,
                    "name": plant.carrier_names[c],
                    "unit": plant.carrier_unit[c],
                    "purchased": b,
                    "sold": so,
                    "lhv_gj_per_t": float(plant.lhv_gj_per_t[c]),
                    "tags": [t for t, m in plant.tags.items() if m[c]],
                }
            )
    return out


def balance_report(sol: Solution, bal: Balances, co2: CarbonAccount, s: int = 0) -> dict[str, Any]:
    return {
        "scenario": sol.plant.scenario,
        "plant": sol.plant.name,
        "kpis": kpis(sol, bal, co2, s),
        "units": units_table(sol, bal, co2, s),
        "flows": flows_table(sol, bal, s),
        "balances": balances_table(bal, s),
        "boundary": boundary_table(sol, s),
        "works_gas": gas_table(sol, s),
        "co2_by_unit_t": {
            row: float(co2.direct_by_row_t[s, r])
            for r, row in enumerate(sol.row_ids)
            if abs(co2.direct_by_row_t[s, r]) > 0
        },
        "demand_scale": float(sol.demand_scale[s]),
        "derived_compositions": sol.plant.derived_compositions,
    }
