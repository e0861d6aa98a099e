"""The results contract: one typed object, with named axes, that everything downstream reads.

The accounting step (:func:`works_results`) turns a solved works — the solve's flows, the balances
checked on it and the CO2 account — into :class:`WorksResults`. The report, the JSON and xlsx
writers, the economics and (next) the results store and the dashboard read only this object, never
the solver's internals, so a batch of samples and a single run take the same path.

Every variable is declared once in :data:`FIELDS` (name, dimensions, unit, description), the way
PyPSA declares component attributes. The dimensions are

=========  ===========================================================================
``sample`` one solved state per sample (length 1 for a single run)
``unit``   the works' units, in the plant file's order
``row``    the units plus ``flare`` (gas burned without use): where flows are made or used
``carrier`` every carrier of the works (materials and gases in t, energy in MWh or GJ)
=========  ===========================================================================

Arrays are kept as numpy (a single run reads them in microseconds); :meth:`WorksResults.dataset`
gives the same data as a labelled :class:`xarray.Dataset` with units as attributes, built on first
use (it costs ~2-3 ms, more than the rest of a warm run, so it is not built unless asked for).
Samples a physics model or the solve found infeasible are kept with ``feasible = False`` and their
``infeasible_reason``; their numbers are NaN.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from steelworks.carbon import CarbonAccount
from steelworks.plant.balance import Balances
from steelworks.plant.build import ELECTRICITY, KIND_CODES, Plant
from steelworks.plant.solve import Solution

if TYPE_CHECKING:
    import xarray as xr

Array = NDArray[np.float64]
FLARE = "flare"


class FieldSpec(NamedTuple):
    dims: tuple[str, ...]
    unit: str
    description: str


#: every variable of the contract: name -> (dimensions, unit, description)
FIELDS: dict[str, FieldSpec] = {
    "throughput": FieldSpec(("sample", "unit"), "product unit/yr", "output of each unit's main product"),
    "produced": FieldSpec(("sample", "row", "carrier"), "carrier unit/yr", "gross outputs of each row"),
    "consumed": FieldSpec(("sample", "row", "carrier"), "carrier unit/yr", "gross inputs, incl. gas burned"),
    "bought": FieldSpec(("sample", "carrier"), "carrier unit/yr", "purchases across the works boundary"),
    "sold": FieldSpec(("sample", "carrier"), "carrier unit/yr", "sales across the boundary, incl. demand met"),
    "delivered": FieldSpec(("sample", "carrier"), "carrier unit/yr", "final demand met (part of sold)"),
    "energy_in": FieldSpec(("sample", "row", "carrier"), "GJ/yr", "energy (LHV) of each row's inputs"),
    "energy_out": FieldSpec(("sample", "row", "carrier"), "GJ/yr", "energy (LHV) of each row's outputs"),
    "gas_burned": FieldSpec(("sample", "row", "carrier"), "GJ/yr", "works gas burned as fuel by each row"),
    "gas_input": FieldSpec(("sample", "row", "carrier"), "GJ/yr", "works gas taken by each row (fuel and direct)"),
    "gas_sold": FieldSpec(("sample", "carrier"), "GJ/yr", "works gas sold"),
    "gas_bought": FieldSpec(("sample", "carrier"), "t/yr", "works gas bought (direct-use deficits, make-up)"),
    "gas_bought_by_row": FieldSpec(
        ("sample", "row", "carrier"), "t/yr", "gas bought for each row (its direct-use deficit and make-up fuel)"
    ),
    "loss_mass": FieldSpec(("sample", "row"), "t/yr", "declared mass loss of each row (stack, vent, CO2)"),
    "loss_fe": FieldSpec(("sample", "row"), "t/yr", "Fe lost by each row (dust)"),
    "loss_c": FieldSpec(("sample", "row"), "t C/yr", "carbon each row takes in and does not pass on"),
    "loss_energy": FieldSpec(("sample", "row"), "GJ/yr", "energy lost by each row (heat, reactions, power used)"),
    "co2_direct_by_row": FieldSpec(("sample", "row"), "t CO2/yr", "direct CO2 of each row (carbon balance)"),
    "co2_credit_by_carrier": FieldSpec(("sample", "carrier"), "t CO2/yr", "credit of each exported carrier"),
    "balance_in": FieldSpec(("sample", "element"), "t/yr or GJ/yr", "boundary inputs of mass, Fe, C, energy"),
    "balance_out": FieldSpec(("sample", "element"), "t/yr or GJ/yr", "boundary outputs and declared losses"),
    "balance_residual_rel": FieldSpec(("sample", "element"), "1", "(in - out) / in of each conservation law"),
    "demand_scale": FieldSpec(("sample",), "1", "factor on the demand shape that meets the target"),
}

#: the headline KPIs, each (sample,): name -> unit
KPI_UNITS: dict[str, str] = {
    "crude_steel_t": "t/yr",
    "hot_metal_t": "t/yr",
    "coke_t": "t/yr",
    "sinter_t": "t/yr",
    "hot_rolled_coil_t": "t/yr",
    "iron_ore_t": "t/yr",
    "iron_ore_wet_t": "t/yr",
    "coking_coal_t": "t/yr",
    "pci_coal_t": "t/yr",
    "scrap_t": "t/yr",
    "coke_bought_t": "t/yr",
    "natural_gas_gj": "GJ/yr",
    "electricity_generated_mwh": "MWh/yr",
    "electricity_purchased_mwh": "MWh/yr",
    "electricity_exported_mwh": "MWh/yr",
    "electricity_demand_mwh": "MWh/yr",
    "coke_rate_kg_per_thm": "kg/t hot metal",
    "fuel_rate_kg_per_thm": "kg/t hot metal",
    "co2_direct_t": "t CO2/yr",
    "co2_indirect_t": "t CO2/yr",
    "co2_credit_electricity_t": "t CO2/yr",
    "co2_credit_byproducts_t": "t CO2/yr",
    "co2_t_per_t_crude_steel": "t CO2/t crude steel",
    "co2_net_t_per_t_crude_steel": "t CO2/t crude steel",
    "co2_t_per_t_hot_rolled_coil": "t CO2/t HRC",
    "energy_gj_per_t_crude_steel": "GJ/t crude steel",
    "flared_gas_gj": "GJ/yr",
}

ELEMENTS = ("mass", "Fe", "C", "energy")


@dataclass(frozen=True)
class UnitInfo:
    """The static description of each unit the results refer to (coordinates of the ``unit`` axis)."""

    ids: list[str]
    names: list[str]
    kinds: list[str]
    products: list[str]
    output_units: list[str]
    conditions: list[str]
    capacity: Array
    effective_capacity: Array
    availability: Array


@dataclass(frozen=True)
class CarrierInfo:
    """Coordinates of the ``carrier`` axis."""

    ids: list[str]
    names: list[str]
    units: list[str]
    kinds: list[str]
    lhv_gj_per_t: Array
    tags: dict[str, NDArray[np.bool_]]

    def tags_of(self, c: int) -> list[str]:
        return [t for t, mask in self.tags.items() if mask[c]]

    def index(self, cid: str) -> int | None:
        return self.ids.index(cid) if cid in self.ids else None


@dataclass
class WorksResults:
    """A solved, checked and accounted works for every sample (see the module docstring)."""

    scenario: str
    plant_name: str
    units: UnitInfo
    carriers: CarrierInfo
    data: dict[str, Array]
    kpi: dict[str, Array]
    feasible: NDArray[np.bool_]
    infeasible_reason: list[str]
    derived_compositions: dict[str, dict[str, Any]] = field(default_factory=dict)
    _dataset: Any = field(default=None, repr=False)

    @property
    def rows(self) -> list[str]:
        return [*self.units.ids, FLARE]

    @property
    def n_samples(self) -> int:
        return int(self.feasible.shape[0])

    def __getitem__(self, name: str) -> Array:
        return self.data[name] if name in self.data else self.kpi[name]

    def kpis(self, s: int = 0) -> dict[str, float]:
        """The headline KPIs of sample ``s`` as plain floats (the JSON ``kpis`` block)."""
        return {name: float(values[s]) for name, values in self.kpi.items()}

    def coords(self) -> dict[str, list[str]]:
        return {
            "sample": [str(i) for i in range(self.n_samples)],
            "unit": self.units.ids,
            "row": self.rows,
            "carrier": self.carriers.ids,
            "element": list(ELEMENTS),
        }

    def dataset(self) -> xr.Dataset:
        """All variables as one labelled :class:`xarray.Dataset` (units and descriptions as attributes)."""
        if self._dataset is None:
            import xarray as xr

            variables: dict[str, Any] = {}
            for name, spec in FIELDS.items():
                variables[name] = xr.Variable(
                    spec.dims, self.data[name], {"unit": spec.unit, "long_name": spec.description}
                )
            for name, unit in KPI_UNITS.items():
                variables[name] = xr.Variable(("sample",), self.kpi[name], {"unit": unit})
            variables["feasible"] = xr.Variable(("sample",), self.feasible)
            variables["infeasible_reason"] = xr.Variable(("sample",), np.array(self.infeasible_reason, dtype=object))
            coords: dict[str, Any] = {
                "sample": np.arange(self.n_samples),
                "unit": self.units.ids,
                "row": self.rows,
                "carrier": self.carriers.ids,
                "element": list(ELEMENTS),
                "unit_kind": ("unit", self.units.kinds),
                "capacity": ("unit", self.units.capacity),
                "carrier_unit": ("carrier", self.carriers.units),
                "lhv_gj_per_t": ("carrier", self.carriers.lhv_gj_per_t),
            }
            ds = xr.Dataset(variables, coords=coords, attrs={"scenario": self.scenario, "plant": self.plant_name})
            object.__setattr__(self, "_dataset", ds)
        return self._dataset

    def sample(self, s: int) -> WorksResults:
        """One sample as its own results (length-1 sample axis)."""
        pick = slice(s, s + 1)
        return WorksResults(
            self.scenario,
            self.plant_name,
            self.units,
            self.carriers,
            {k: v[pick] for k, v in self.data.items()},
            {k: v[pick] for k, v in self.kpi.items()},
            self.feasible[pick],
            self.infeasible_reason[pick],
            self.derived_compositions,
        )

    # --- what the economics takes: boundary flows of one sample -----------------------------------
    def purchased(self, s: int = 0) -> dict[str, float]:
        """Boundary purchases per carrier in its internal unit (t, MWh, GJ) per year."""
        bought = self.data["bought"][s]
        return {cid: float(bought[c]) for c, cid in enumerate(self.carriers.ids) if bought[c] > 0}

    def sold(self, s: int = 0) -> dict[str, float]:
        """Boundary sales per carrier (products, by-products, exported power) per year."""
        sold = self.data["sold"][s]
        return {cid: float(sold[c]) for c, cid in enumerate(self.carriers.ids) if sold[c] > 0}

    def products_sold(self, s: int = 0) -> dict[str, float]:
        """Sold carriers tagged ``product``."""
        mask = self.carriers.tags.get("product")
        sold = self.data["sold"][s]
        if mask is None:
            return {}
        return {cid: float(sold[c]) for c, cid in enumerate(self.carriers.ids) if mask[c] and sold[c] > 0}

    def unit_output(self, s: int = 0) -> dict[str, float]:
        return dict(zip(self.units.ids, map(float, self.data["throughput"][s]), strict=True))


def _kpis(plant: Plant, sol: Solution, bal: Balances, co2: CarbonAccount) -> dict[str, Array]:
    """The headline KPIs for every sample at once (same definitions as the JSON contract's ``kpis``)."""
    S = sol.produced.shape[0]
    produced = sol.produced.sum(axis=1)  # (S, C)
    bought, sold = sol.bought, sol.sold
    zero = np.zeros(S)

    def made(cid: str) -> Array:
        return produced[:, plant.carrier(cid)] if cid in plant.carrier_ids else zero

    def tagged(values: Array, tag: str) -> Array:
        return values[:, plant.tags[tag]].sum(axis=1) if tag in plant.tags else zero

    bf_rows = [u for u, k in enumerate(plant.unit_kind) if k == "blast_furnace"]
    hm_bf = sum((sol.produced[:, u, plant.product[u]] for u in bf_rows), start=zero)

    def used_at_bf(cid: str) -> Array:
        if cid not in plant.carrier_ids:
            return zero
        return sum((sol.consumed[:, u, plant.carrier(cid)] for u in bf_rows), start=zero)

    def per_thm(used: Array) -> Array:
        return np.divide(1000 * used, hm_bf, out=np.zeros(S), where=hm_bf > 0)

    coke_rate = per_thm(used_at_bf("coke"))
    fuel_rate = per_thm(sum((used_at_bf(c) for c in ("coke", "pci_coal", "natural_gas")), start=zero))
    elec = plant.carrier(ELECTRICITY)
    ng = plant.carrier("natural_gas") if "natural_gas" in plant.carrier_ids else None
    primary = plant.grid_primary_gj_per_mwh
    fuel_energy = np.where(plant.carrier_kind != KIND_CODES["energy"], plant.lhv_gj_per_t, 0.0)
    sold_fuel_energy = np.where(plant.carrier_kind == KIND_CODES["gas"], sol.gas.sold_e, sold * fuel_energy)
    energy_net = (
        (bought * fuel_energy).sum(axis=1)
        + bought[:, elec] * primary
        - sold_fuel_energy.sum(axis=1)
        - sold[:, elec] * primary
    )
    cs = co2.crude_steel_t
    hrc = co2.hot_rolled_coil_t

    def per(values: Array, basis: Array) -> Array:
        return np.divide(values, basis, out=np.zeros(S), where=basis > 0)

    return {
        "crude_steel_t": cs,
        "hot_metal_t": made("hot_metal"),
        "coke_t": made("coke"),
        "sinter_t": made("sinter"),
        "hot_rolled_coil_t": made("hot_rolled_coil"),
        "iron_ore_t": tagged(bought, "iron_ore"),
        # as shipped and as a works' import records count it: dry tonnes / (1 - moisture) (carriers' moisture)
        "iron_ore_wet_t": tagged(bought / np.maximum(1.0 - np.asarray(plant.moisture, dtype=float), 1e-9), "iron_ore"),
        "coking_coal_t": tagged(bought, "coking_coal"),
        "pci_coal_t": tagged(bought, "pci_coal"),
        "scrap_t": tagged(bought, "scrap"),
        "coke_bought_t": tagged(bought, "coke"),
        "natural_gas_gj": bought[:, ng] * plant.lhv_gj_per_t[ng] if ng is not None else zero,
        "electricity_generated_mwh": sol.electricity_generated_mwh,
        "electricity_purchased_mwh": sol.electricity_bought_mwh,
        "electricity_exported_mwh": sol.electricity_sold_mwh,
        "electricity_demand_mwh": sol.consumed[:, :, elec].sum(axis=1),
        "coke_rate_kg_per_thm": coke_rate,
        "fuel_rate_kg_per_thm": fuel_rate,
        "co2_direct_t": co2.direct_t,
        "co2_indirect_t": co2.indirect_t,
        "co2_credit_electricity_t": co2.credit_electricity_t,
        "co2_credit_byproducts_t": co2.credit_byproducts_t,
        "co2_t_per_t_crude_steel": per(co2.gross_t, cs),
        "co2_net_t_per_t_crude_steel": per(co2.net_t, cs),
        "co2_t_per_t_hot_rolled_coil": per(co2.gross_t, hrc),
        "energy_gj_per_t_crude_steel": per(energy_net, cs),
        "flared_gas_gj": sol.gas.fuel_gj[:, -1].sum(axis=1),
    }


def _unit_info(plant: Plant) -> UnitInfo:
    return UnitInfo(
        ids=list(plant.unit_ids),
        names=list(plant.unit_names),
        kinds=list(plant.unit_kind),
        products=list(plant.product_label),
        output_units=[plant.carrier_unit[p] if p >= 0 else "t" for p in plant.product],
        conditions=list(plant.condition),
        capacity=np.asarray(plant.capacity, dtype=float),
        effective_capacity=np.asarray(plant.effective_capacity, dtype=float),
        availability=np.asarray(plant.availability, dtype=float),
    )


def _carrier_info(plant: Plant) -> CarrierInfo:
    codes = {v: k for k, v in KIND_CODES.items()}
    return CarrierInfo(
        ids=list(plant.carrier_ids),
        names=list(plant.carrier_names),
        units=list(plant.carrier_unit),
        kinds=[codes[int(k)] for k in plant.carrier_kind],
        lhv_gj_per_t=np.asarray(plant.lhv_gj_per_t, dtype=float),
        tags=dict(plant.tags),
    )


def works_results(
    sol: Solution,
    bal: Balances,
    co2: CarbonAccount,
    *,
    feasible: NDArray[np.bool_] | None = None,
    reasons: Mapping[int, str] | None = None,
) -> WorksResults:
    """Assemble the results contract from a solve, its balances and its CO2 account."""
    plant = sol.plant
    S = sol.throughput.shape[0]
    balance_in = np.stack([bal.mass_in, bal.fe_in, bal.c_in, bal.energy_in], axis=1)
    balance_out = np.stack([bal.mass_out, bal.fe_out, bal.c_out, bal.energy_out], axis=1)
    residual = np.stack([bal.residual_rel(e) for e in ("mass", "fe", "c", "energy")], axis=1)
    data = {
        "throughput": sol.throughput,
        "produced": sol.produced,
        "consumed": sol.consumed,
        "bought": sol.bought,
        "sold": sol.sold,
        "delivered": sol.delivered,
        "energy_in": sol.e_in,
        "energy_out": sol.e_out,
        "gas_burned": sol.gas.fuel_gj,
        "gas_input": sol.gas.e_in,
        "gas_sold": sol.gas.sold_e,
        "gas_bought": sol.gas.bought,
        "gas_bought_by_row": sol.gas.bought_by_row,
        "loss_mass": bal.loss_mass,
        "loss_fe": bal.loss_fe,
        "loss_c": bal.loss_c,
        "loss_energy": bal.loss_energy,
        "co2_direct_by_row": co2.direct_by_row_t,
        "co2_credit_by_carrier": co2.credit_by_carrier_t,
        "balance_in": balance_in,
        "balance_out": balance_out,
        "balance_residual_rel": residual,
        "demand_scale": np.asarray(sol.demand_scale, dtype=float),
    }
    ok = np.ones(S, dtype=bool) if feasible is None else np.asarray(feasible, dtype=bool)
    why = [""] * S
    for s, reason in (reasons or {}).items():
        why[s] = reason
    return WorksResults(
        scenario=plant.scenario,
        plant_name=plant.name,
        units=_unit_info(plant),
        carriers=_carrier_info(plant),
        data=data,
        kpi=_kpis(plant, sol, bal, co2),
        feasible=ok,
        infeasible_reason=why,
        derived_compositions=plant.derived_compositions,
    )


def solved_works(plant: Plant) -> tuple[Solution, WorksResults]:
    """Solve a built works, check its mass, Fe and C balances and account its CO2: the one path a single
    run takes (``api.run_balance``, the sourcing fixed point, the planner's pricing)."""
    from steelworks.carbon import account
    from steelworks.plant.balance import check_balances
    from steelworks.plant.solve import solve

    sol = solve(plant)
    bal = sol.balances if sol.balances is not None else check_balances(sol)
    return sol, works_results(sol, bal, account(sol, bal))
