"""Turn a validated scenario into the arrays the solve works on (the recipe matrix and friends).

Everything here is done once per scenario: unit conversion (pint, at the boundary), name lookup,
recipe closure checks. The solve then works on plain numpy arrays only.

Symbols (shapes; U units, C carriers):

==========================  ===========  =====================================================
attribute                   shape        meaning
==========================  ===========  =====================================================
``recipe``                  (..., U, C)  signed flow per unit of main product (+out, -in)
``fe_frac``, ``c_frac``     (C,)         element mass fractions of each carrier
``lhv_gj_per_t``            (C,)         lower heating value (materials and gases)
``out_c_frac``, ``out_lhv``  (..., U, C)  composition of each unit's output (gases may differ)
``capacity``                (U,)         nameplate, per year, in the product's unit
``effective_capacity``      (U,)         capacity x availability, 0 unless operating
``demand``                  (C,)         final demand per year before target scaling
==========================  ===========  =====================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from steelworks.errors import InputError
from steelworks.physics import MODELS
from steelworks.physics.base import CarrierProps
from steelworks.physics.thermo import gas_properties
from steelworks.plant.models import (
    FOLLOW_PASSES,
    FOLLOW_TOLERANCE,
    apply_model,
    carrier_props,
    follows_furnace,
    furnace_sinter_basicity,
    model_parameters,
    run_model,
)
from steelworks.schema.domains import NON_NEGATIVE, POSITIVE
from steelworks.schema.loader import ResolvedScenario
from steelworks.units import convert

Array = NDArray[np.float64]

KIND_CODES = {"material": 0, "gas": 1, "energy": 2}
FUEL = "fuel_heat"
ELECTRICITY = "electricity"
MARKET = -1  # producer index used for "the market" in supply lists


@dataclass
class FuelUser:
    unit: int
    priority: int
    gases: list[int]
    makeup: int  # carrier index of the make-up fuel, or -1 for none
    dispatch: str = "works_gas_only"  # power plants: schema.plant.DISPATCH_RULES
    fixed_mwh: float = 0.0  # power plants on dispatch fixed_load: gross MWh/yr (load x 8766 h x availability)


@dataclass
class Supply:
    """How producers of one carrier share its need (see :class:`steelworks.schema.plant.SupplySpec`)."""

    carrier: int
    mode: str
    producers: list[int]  # unit indices, MARKET for the market
    shares: Array | None = None  # for mode "shares", aligned with producers


@dataclass
class Plant:
    """The works as arrays. Built by :func:`build_plant`; read by the solve and the accounting."""

    name: str
    scenario: str
    carrier_ids: list[str]
    carrier_names: list[str]
    carrier_kind: NDArray[np.int_]
    carrier_unit: list[str]
    fe_frac: Array
    c_frac: Array
    lhv_gj_per_t: Array
    density_kg_per_nm3: Array
    moisture: Array  # as-received H2O share of the wet material
    tags: dict[str, NDArray[np.bool_]]
    can_buy: NDArray[np.bool_]
    can_sell: NDArray[np.bool_]
    unit_ids: list[str]
    unit_names: list[str]
    unit_kind: list[str]
    basis: list[str]
    product: NDArray[np.int_]  # carrier index of the main product, -1 for service units
    product_label: list[str]
    recipe: Array
    out_c_frac: Array
    out_lhv: Array
    capacity: Array
    availability: Array
    operating: NDArray[np.bool_]
    condition: list[str]
    max_fe_loss: Array
    standby_share: Array
    fuel_users: list[FuelUser]
    service_production: Array  # (U, C) 1 where a service unit handles production of carrier c
    service_purchase_tag: list[str | None]
    power_efficiency: Array
    power_auxiliary: Array
    supplies: dict[int, Supply]
    demand: Array
    target_tag: str | None
    target_amount: float | None
    grid_buy: bool
    grid_sell: bool
    grid_co2_t_per_mwh: float
    grid_primary_gj_per_mwh: float
    credit_co2_per_unit: Array
    counts_as: list[list[str]] = field(default_factory=list)  # per unit: tags its product counts under
    unit_models: dict[int, Any] = field(default_factory=dict)  # PhysicsResult of units computed by a model
    derived_compositions: dict[str, dict[str, Any]] = field(default_factory=dict)  # carriers a model composed
    #: model parameters the plant set (a sinter basicity that follows the furnaces): uid -> name -> value
    settled_params: dict[str, dict[str, float]] = field(default_factory=dict)
    #: results computed from this plant, kept by their callers (e.g. each year's state) when the plant is one
    #: that nothing changes any more (the API's cached works, arrays read-only); None: keep nothing.
    #: Not copied by ``dataclasses.replace``: a changed plant starts with none.
    memo: dict[Any, Any] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def n_units(self) -> int:
        return len(self.unit_ids)

    @property
    def n_carriers(self) -> int:
        return len(self.carrier_ids)

    @property
    def effective_capacity(self) -> Array:
        return np.asarray(self.capacity * self.availability * self.operating, dtype=float)

    def carrier(self, cid: str) -> int:
        return self.carrier_ids.index(cid)

    def unit(self, uid: str) -> int:
        return self.unit_ids.index(uid)

    def tag_mask(self, tag: str) -> NDArray[np.bool_]:
        """(U, C) outputs that count under ``tag``: carriers with the tag, and units' products that count as it."""
        mask = np.broadcast_to(
            self.tags.get(tag, np.zeros(self.n_carriers, dtype=bool)), (self.n_units, self.n_carriers)
        ).copy()
        for u in range(self.n_units):
            if tag in self.counts_as[u] and self.product[u] >= 0:
                mask[u, self.product[u]] = True
        return mask

    @property
    def mass_mask(self) -> NDArray[np.bool_]:
        return np.asarray(self.carrier_kind != KIND_CODES["energy"])


@lru_cache(maxsize=1024)
def _gas_properties(volume_fractions: tuple[tuple[str, float], ...]) -> tuple[float, float, float]:
    """C share, LHV and density of a gas from its analysis (kept: the same analysis gives the same numbers)."""
    props = gas_properties(dict(volume_fractions))
    return float(props["c_frac"]), float(props["lhv_gj_per_t"]), float(props["density_kg_per_nm3"])


def _carrier_tables(scenario: ResolvedScenario) -> dict[str, Any]:
    ids = list(scenario.carriers)
    n = len(ids)
    fe = np.zeros(n)
    c = np.zeros(n)
    lhv = np.zeros(n)
    density = np.zeros(n)
    for i, cid in enumerate(ids):
        spec = scenario.carriers[cid]
        path = f"carriers.{cid}"
        if spec.kind == "gas":
            if not spec.volume_fractions:
                file, where = scenario.where(path)
                raise InputError(f"gas carrier '{cid}' needs volume_fractions", file=file, location=where)
            try:
                props = _gas_properties(tuple(spec.volume_fractions.items()))
            except ValueError as exc:
                file, where = scenario.where(path)
                raise InputError(
                    str(exc),
                    file=file,
                    location=f"{where}.volume_fractions",
                    allowed="fractions of CO, CO2, H2, H2O, CH4, C2H6, C2H4, C3H8, N2, O2, Ar summing to 1",
                ) from None
            fe[i] = 0.0
            c[i], lhv[i], density[i] = props
        else:
            fe[i] = spec.fe_frac
            c[i] = spec.c_frac
            if spec.lhv is not None:
                lhv[i] = _convert_at(scenario, f"{path}.lhv", spec.lhv, "GJ/t")
                if not POSITIVE.allows(lhv[i]):  # a heating value is positive; leave it out where a carrier has none
                    lfile, lwhere = scenario.where(f"{path}.lhv")
                    raise InputError(
                        f"lhv of '{cid}' is {spec.lhv!r}", file=lfile, location=lwhere, allowed=f"{POSITIVE.text} GJ/t"
                    )
            if spec.density is not None:
                density[i] = _convert_at(scenario, f"{path}.density", spec.density, "kg/m**3")
                if not POSITIVE.allows(density[i]):
                    dfile, dwhere = scenario.where(f"{path}.density")
                    raise InputError(
                        f"density of '{cid}' is {spec.density!r}",
                        file=dfile,
                        location=dwhere,
                        allowed=f"{POSITIVE.text} kg/m3",
                    )
        if spec.kind == "material" and fe[i] + c[i] > 1.0 + 1e-12:
            file, where = scenario.where(path)
            raise InputError(f"fe_frac + c_frac of '{cid}' exceed 1", file=file, location=where)
    return {"ids": ids, "fe": fe, "c": c, "lhv": lhv, "density": density}


def _unknown(kind: str, name: str, known: list[str], file: str | None, where: str) -> InputError:
    close = [k for k in known if name[:4] in k][:5]
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return InputError(f"unknown {kind} '{name}'{hint}", file=file, location=where, allowed=", ".join(sorted(known)))


def _convert_at(scenario: ResolvedScenario, path: str, value: object, to_unit: str, **kw: Any) -> float:
    """:func:`convert` of the value at a dotted path; the file and line are looked up only for a message."""
    try:
        return convert(value, to_unit, **kw)
    except InputError:
        file, where = scenario.where(path)
        return convert(value, to_unit, where=where, file=file, **kw)  # raises again, naming the place


def _grid_value(scenario: ResolvedScenario, name: str, value: object, to_unit: str) -> float:
    try:
        return convert(value, to_unit)
    except InputError:
        # the message names the grid section's line (as it always has) and the field
        gfile, gwhere = scenario.where("grid")
        return convert(value, to_unit, where=f"{gwhere}.{name}", file=gfile)


def build_plant(scenario: ResolvedScenario, *, candidate_recipes: bool = False) -> Plant:
    """Convert the validated scenario into a :class:`Plant`, checking names, units and closure.

    ``candidate_recipes``: units that do not run also get their model's recipe at the works' operating
    point (:func:`_candidate_rows`), for the planner, which may start them; a balance, whose idle units make
    nothing, does not pay for their models."""
    spec = scenario.plant
    tables = _carrier_tables(scenario)
    carrier_ids: list[str] = tables["ids"]
    cindex = {cid: i for i, cid in enumerate(carrier_ids)}
    n_c = len(carrier_ids)
    carriers = scenario.carriers
    kind = np.array([KIND_CODES[carriers[c].kind] for c in carrier_ids])
    tag_names = sorted({t for c in carriers.values() for t in c.tags})
    tags = {t: np.array([t in carriers[c].tags for c in carrier_ids]) for t in tag_names}

    def carrier_index(name: str, path: str) -> int:
        if name not in cindex:
            file, where = scenario.where(path)
            raise _unknown("carrier", name, carrier_ids, file, where)
        return cindex[name]

    can_buy = np.zeros(n_c, dtype=bool)
    can_sell = np.zeros(n_c, dtype=bool)
    for i, name in enumerate(spec.market.buy):
        can_buy[carrier_index(name, f"market.buy.{i}")] = True
    for i, name in enumerate(spec.market.sell):
        can_sell[carrier_index(name, f"market.sell.{i}")] = True

    unit_ids = list(spec.units)
    n_u = len(unit_ids)
    recipe = np.zeros((n_u, n_c))
    product = np.full(n_u, -1)
    capacity = np.zeros(n_u)
    availability = np.zeros(n_u)
    operating = np.zeros(n_u, dtype=bool)
    max_fe_loss = np.zeros(n_u)
    power_eff = np.zeros(n_u)
    power_aux = np.zeros(n_u)
    service_production = np.zeros((n_u, n_c))
    service_tag: list[str | None] = [None] * n_u
    fuel_users: list[FuelUser] = []
    out_c = np.broadcast_to(tables["c"], (n_u, n_c)).copy()
    out_lhv = np.broadcast_to(tables["lhv"], (n_u, n_c)).copy()
    model_units: list[int] = []

    for u, uid in enumerate(unit_ids):
        unit = spec.units[uid]
        base = f"units.{uid}"
        availability[u] = unit.availability
        operating[u] = unit.condition == "operating"
        max_fe_loss[u] = unit.max_fe_loss
        if unit.basis == "output":
            p = carrier_index(unit.product, f"{base}.product")
            product[u] = p
            product_unit = carriers[unit.product].unit
            recipe[u, p] = 1.0
        elif unit.basis == "power_plant":
            p = carrier_index(unit.product, f"{base}.product")
            if unit.product != ELECTRICITY:
                file, where = scenario.where(base)
                raise InputError(
                    "a power_plant unit must have product 'electricity'",
                    file=file,
                    location=f"{where}.product",
                    allowed="electricity",
                )
            product[u] = p
            product_unit = "MWh"
            if unit.efficiency is None or unit.efficiency <= 0:
                file, where = scenario.where(base)
                raise InputError(
                    "a power_plant unit needs an efficiency above 0",
                    file=file,
                    location=f"{where}.efficiency",
                    allowed="a fraction in (0, 1]",
                )
            power_eff[u] = unit.efficiency
            power_aux[u] = unit.auxiliary
            if unit.fuel is None:
                file, where = scenario.where(base)
                raise InputError(
                    "a power_plant unit needs a fuel section listing the gases it burns",
                    file=file,
                    location=where,
                )
        else:  # service
            product_unit = "t"
            if unit.handles is None:
                file, where = scenario.where(base)
                raise InputError(
                    "a service unit needs 'handles' (purchases_tagged or production_of)",
                    file=file,
                    location=where,
                )
            if unit.handles.purchases_tagged is not None:
                if unit.handles.purchases_tagged not in tags:
                    file, where = scenario.where(base)
                    raise InputError(
                        f"no carrier has the tag '{unit.handles.purchases_tagged}'",
                        file=file,
                        location=f"{where}.handles.purchases_tagged",
                        allowed=", ".join(tag_names),
                    )
                service_tag[u] = unit.handles.purchases_tagged
            for j, name in enumerate(unit.handles.production_of):
                service_production[u, carrier_index(name, f"{base}.handles.production_of.{j}")] = 1.0

        capacity[u] = _convert_at(
            scenario,
            f"{base}.capacity",
            unit.capacity,
            f"{product_unit}/year" if unit.basis != "power_plant" else "MWh/year",
        )
        if not NON_NEGATIVE.allows(capacity[u]):
            cap_file, cap_where = scenario.where(f"{base}.capacity")
            raise InputError(
                f"capacity is negative ({unit.capacity})",
                file=cap_file,
                location=cap_where,
                allowed=f"{NON_NEGATIVE.text} per year",
            )

        for side, sign, entries in (("inputs", -1.0, unit.inputs), ("outputs", 1.0, unit.outputs)):
            for name, amount in entries.items():
                c = carrier_index(name, f"{base}.{side}.{name}")
                if c == product[u]:
                    efile, ewhere = scenario.where(f"{base}.{side}.{name}")
                    raise InputError(
                        f"the main product '{name}' must not be listed in {side} (it is 1 per 1 implied)",
                        file=efile,
                        location=ewhere,
                    )
                value = _convert_at(
                    scenario,
                    f"{base}.{side}.{name}",
                    amount,
                    f"{carriers[name].unit}/{product_unit}",
                    density_kg_per_m3=tables["density"][c] or None,
                    lhv_gj_per_t=tables["lhv"][c] or None,
                )
                if not NON_NEGATIVE.allows(value):
                    efile, ewhere = scenario.where(f"{base}.{side}.{name}")
                    raise InputError(
                        f"negative amount {amount!r}: list it under the other side instead",
                        file=efile,
                        location=ewhere,
                        allowed=NON_NEGATIVE.text,
                    )
                recipe[u, c] += sign * value
        if unit.basis != "output":
            allowed = {ELECTRICITY, FUEL}
            bad = [carrier_ids[c] for c in np.flatnonzero(recipe[u]) if carrier_ids[c] not in allowed]
            if bad:
                file, where = scenario.where(base)
                raise InputError(
                    f"a {unit.basis} unit may only use electricity and fuel_heat, not {bad}",
                    file=file,
                    location=where,
                )
        burns_fuel = FUEL in cindex and recipe[u, cindex[FUEL]] < 0
        if burns_fuel and unit.fuel is None:
            file, where = scenario.where(base)
            raise InputError(
                "the unit burns fuel_heat but has no 'fuel' section (priority and gases)", file=file, location=where
            )
        if unit.fuel is not None:
            gases = [carrier_index(g, f"{base}.fuel.gases.{j}") for j, g in enumerate(unit.fuel.gases)]
            for j, g in enumerate(gases):
                if kind[g] != KIND_CODES["gas"]:
                    gfile, gwhere = scenario.where(f"{base}.fuel.gases.{j}")
                    raise InputError(
                        f"'{carrier_ids[g]}' is not a gas",
                        file=gfile,
                        location=gwhere,
                        allowed=", ".join(c for c in carrier_ids if kind[cindex[c]] == 1),
                    )
            makeup = -1 if unit.fuel.makeup == "none" else carrier_index(unit.fuel.makeup, f"{base}.fuel.makeup")
            fixed = 0.0
            if unit.fuel.fixed_load is not None:
                ffile, fwhere = scenario.where(f"{base}.fuel.fixed_load")
                fixed = convert(unit.fuel.fixed_load, "MWh/year", where=fwhere, file=ffile) * unit.availability
            fuel_users.append(FuelUser(u, unit.fuel.priority, gases, makeup, unit.fuel.dispatch, fixed))
        if unit.model is not None and unit.model.use:
            if unit.basis != "output":
                file, where = scenario.where(base)
                raise InputError("only output units can take a physics model", file=file, location=f"{where}.model")
            if unit.model.kind in MODELS and MODELS[unit.model.kind].main_product != unit.product:
                file, where = scenario.where(base)
                raise InputError(
                    f"the {unit.model.kind} model makes {MODELS[unit.model.kind].main_product}, "
                    f"not the unit's product {unit.product}",
                    file=file,
                    location=f"{where}.model.kind",
                )
            model_units.append(u)

    unit_models, derived, settled = _run_models(
        scenario, unit_ids, model_units, tables, cindex, product, recipe, out_c, out_lhv, candidate_recipes
    )
    fuel_users.sort(key=lambda f: (f.priority, f.unit))
    supplies = _supplies(scenario, unit_ids, product, carrier_ids, can_buy)

    demand = np.zeros(n_c)
    for name, amount in scenario.demand.items():
        c = carrier_index(name, f"demand.{name}")
        demand[c] = _convert_at(scenario, f"demand.{name}", amount, f"{carriers[name].unit}/year")
        if not NON_NEGATIVE.allows(demand[c]):
            dfile, dwhere = scenario.where(f"demand.{name}")
            raise InputError("demand must not be negative", file=dfile, location=dwhere, allowed=NON_NEGATIVE.text)
        if product[product >= 0].size and c not in set(product.tolist()) and not can_buy[c]:
            dfile, dwhere = scenario.where(f"demand.{name}")
            raise InputError(
                f"no unit makes '{name}' and it cannot be bought",
                file=dfile,
                location=dwhere,
                allowed="a carrier some unit produces: "
                + ", ".join(sorted({carrier_ids[p] for p in product if p >= 0})),
            )
    target_tag = target_amount = None
    if scenario.target is not None:
        target_tag = scenario.target.tag
        unit_tags = {t for unit in spec.units.values() for t in unit.counts_as}
        if target_tag not in tags and target_tag not in unit_tags:
            tfile, twhere = scenario.where("target.tag")
            raise InputError(
                f"no carrier or unit has the tag '{target_tag}'",
                file=tfile,
                location=twhere,
                allowed=", ".join(sorted(set(tag_names) | unit_tags)),
            )
        target_amount = _convert_at(scenario, "target.amount", scenario.target.amount, "t/year")
        if not POSITIVE.allows(target_amount):
            tfile, twhere = scenario.where("target.amount")
            raise InputError("target amount must be positive", file=tfile, location=twhere, allowed=POSITIVE.text)

    grid = spec.grid
    credits = np.zeros(n_c)
    for name, credit in spec.credits.items():
        c = carrier_index(name, f"credits.{name}")
        credits[c] = _convert_at(scenario, f"credits.{name}", credit.co2_per_unit, f"t/{carriers[name].unit}")

    plant = Plant(
        name=spec.name,
        scenario=scenario.name,
        carrier_ids=carrier_ids,
        carrier_names=[carriers[c].name for c in carrier_ids],
        carrier_kind=kind,
        carrier_unit=[carriers[c].unit for c in carrier_ids],
        fe_frac=tables["fe"],
        c_frac=tables["c"],
        lhv_gj_per_t=tables["lhv"],
        density_kg_per_nm3=tables["density"],
        moisture=np.array([carriers[c].moisture for c in carrier_ids]),
        tags=tags,
        can_buy=can_buy,
        can_sell=can_sell,
        unit_ids=unit_ids,
        unit_names=[spec.units[u].name for u in unit_ids],
        unit_kind=[spec.units[u].kind for u in unit_ids],
        basis=[spec.units[u].basis for u in unit_ids],
        product=product,
        product_label=[spec.units[u].product for u in unit_ids],
        recipe=recipe,
        out_c_frac=out_c,
        out_lhv=out_lhv,
        capacity=capacity,
        availability=availability,
        operating=operating,
        condition=[spec.units[u].condition for u in unit_ids],
        max_fe_loss=max_fe_loss,
        standby_share=np.array([spec.units[u].standby_share for u in unit_ids]),
        fuel_users=fuel_users,
        service_production=service_production,
        service_purchase_tag=service_tag,
        power_efficiency=power_eff,
        power_auxiliary=power_aux,
        supplies=supplies,
        demand=demand,
        target_tag=target_tag,
        target_amount=target_amount,
        grid_buy=grid.buy,
        grid_sell=grid.sell,
        grid_co2_t_per_mwh=_grid_value(scenario, "co2_per_mwh", grid.co2_per_mwh, "t/MWh"),
        grid_primary_gj_per_mwh=_grid_value(scenario, "primary_energy_per_mwh", grid.primary_energy_per_mwh, "GJ/MWh"),
        credit_co2_per_unit=credits,
        counts_as=[list(spec.units[u].counts_as) for u in unit_ids],
        unit_models=unit_models,
        derived_compositions=derived,
        settled_params=settled,
    )
    check_recipes(plant, scenario)
    return plant


def _check_idle_models(scenario: ResolvedScenario, unit_ids: list[str], idle: list[int]) -> None:
    """The model of a unit that does not run is validated all the same (kind, parameter names, values
    and units): a plan or a ``condition`` override may start it, and a bad value must not wait for that."""
    for u in idle:
        spec = scenario.plant.units[unit_ids[u]].model
        assert spec is not None
        file, _ = scenario.where(f"units.{unit_ids[u]}")
        where = f"units.{unit_ids[u]}.model"
        if spec.kind not in MODELS:
            raise InputError(
                f"unknown model kind '{spec.kind}'", file=file, location=f"{where}.kind", allowed=", ".join(MODELS)
            )
        model_parameters(spec, MODELS[spec.kind], file=file, where=where)


def _run_models(
    scenario: ResolvedScenario,
    unit_ids: list[str],
    model_units: list[int],
    tables: dict[str, Any],
    cindex: dict[str, int],
    product: NDArray[np.int_],
    recipe: Array,
    out_c: Array,
    out_lhv: Array,
    candidate_recipes: bool = False,
) -> tuple[dict[int, Any], dict[str, dict[str, Any]], dict[str, dict[str, float]]]:
    """Run the units' physics models and write their recipes into the plant arrays.

    A model may compose its product (the sinter model's chemistry from its blend); the plant then
    holds that composition for the carrier and runs the models again so that consumers (the blast
    furnace) read it: a fixed point reached after as many passes as the chain of models is long.
    Producers of one carrier must agree on its composition (one composition per carrier). A sinter
    plant with ``basicity_follows_furnace`` takes, in the next pass, the basicity the furnaces ask
    for (:func:`~steelworks.plant.models.furnace_sinter_basicity`) until it settles.
    """
    props = carrier_props(scenario, tables)
    results: dict[int, Any] = {}
    derived: dict[str, dict[str, Any]] = {}
    running = [u for u in model_units if scenario.plant.units[unit_ids[u]].condition == "operating"]
    _check_idle_models(scenario, unit_ids, [u for u in model_units if u not in running])
    follow = [u for u in running if _follows_furnace(scenario, unit_ids[u])]
    basicity: float | None = None
    settled_basicity = False
    for _ in range(len(running) + 1 + (FOLLOW_PASSES if follow else 0)):
        results = {}
        carriers_key = _carriers_key(props)
        for u in running:
            spec = scenario.plant.units[unit_ids[u]].model
            assert spec is not None
            if u in follow and basicity is not None:
                spec = spec.model_copy(update={"params": {**spec.params, "basicity": basicity}})
            results[u] = _model_result(scenario, unit_ids[u], spec, props, carriers_key)
        composed: dict[str, tuple[str, dict[str, Any]]] = {}
        for u, result in results.items():
            if not result.product_composition:
                continue
            cid = str(scenario.plant.units[unit_ids[u]].product)
            comp = {
                "fe_frac": float(np.asarray(result.product_composition["fe_frac"])),
                "c_frac": float(np.asarray(result.product_composition["c_frac"])),
                "analysis": {k: float(np.asarray(v)) for k, v in result.product_composition["analysis"].items()},
            }
            if cid in composed and abs(composed[cid][1]["fe_frac"] - comp["fe_frac"]) > 1e-12:
                file, where = scenario.where(f"units.{unit_ids[u]}.model")
                raise InputError(
                    f"{unit_ids[u]} and {composed[cid][0]} make {cid} of different chemistry "
                    f"(Fe {comp['fe_frac']:.4f} vs {composed[cid][1]['fe_frac']:.4f}); the plant holds "
                    "one composition per carrier",
                    file=file,
                    location=where,
                    allowed="the same model parameters for every producer of the carrier",
                )
            composed[cid] = (unit_ids[u], comp)
        changed = False
        for cid, (_, new) in composed.items():
            old = props[cid]
            fe_new, c_new = float(new["fe_frac"]), float(new["c_frac"])
            analysis: dict[str, float] = dict(new["analysis"])
            if abs(float(np.asarray(old.fe_frac)) - fe_new) > 1e-13 or dict(old.analysis) != analysis:
                props[cid] = CarrierProps(
                    fe_frac=fe_new,
                    c_frac=c_new,
                    lhv_gj_per_t=old.lhv_gj_per_t,
                    analysis=analysis,
                    volume_fractions=old.volume_fractions,
                )
                changed = True
            derived[cid] = new
        if follow and not settled_basicity:
            wanted = furnace_sinter_basicity(results)
            if wanted is not None and np.isfinite(wanted):
                if basicity is not None and abs(float(wanted) - basicity) <= FOLLOW_TOLERANCE:
                    settled_basicity = True  # keep the value the last pass used: the chain then closes exactly
                else:
                    basicity = float(wanted)
                    changed = True
        if not changed:
            break
    for cid, held in derived.items():
        tables["fe"][cindex[cid]] = float(held["fe_frac"])
        tables["c"][cindex[cid]] = float(held["c_frac"])
        out_c[:, cindex[cid]] = float(held["c_frac"])
    carriers = tuple(cindex)
    for u, result in results.items():
        _apply_model(scenario, unit_ids[u], result, u, int(product[u]), cindex, carriers, recipe, out_c, out_lhv)
    if candidate_recipes:
        idle = [u for u in model_units if u not in running]
        _candidate_rows(scenario, unit_ids, idle, props, basicity, derived, product, cindex, recipe, out_c, out_lhv)
    settled = {unit_ids[u]: {"basicity": basicity} for u in follow if basicity is not None}
    return results, derived, settled


def _candidate_rows(
    scenario: ResolvedScenario,
    unit_ids: list[str],
    idle: list[int],
    props: dict[str, CarrierProps],
    basicity: float | None,
    derived: dict[str, dict[str, Any]],
    product: NDArray[np.int_],
    cindex: dict[str, int],
    recipe: Array,
    out_c: Array,
    out_lhv: Array,
) -> None:
    """The recipe of a unit that does not run in this scenario (a candidate the planner may build, a unit
    left idle) is its model at the works' settled operating point: the carrier compositions the running
    units make and, for a sinter plant that follows the furnaces, their basicity. Its throughput is zero
    in the balance; a plan that starts it then closes mass, Fe and C with the rest of the works.

    The plant holds one composition per carrier: a candidate whose own model would make a carrier the
    running units make at another chemistry (its own blend differs from theirs, e.g. a scenario that
    changed the running strand's ore) takes the recipe of the running producer of the same kind instead,
    so that a plan starting it makes the works' sinter."""
    carriers = tuple(cindex)
    key = _carriers_key(props)
    for u in idle:
        uid = unit_ids[u]
        unit = scenario.plant.units[uid]
        spec = unit.model
        assert spec is not None
        if basicity is not None and _follows_furnace(scenario, uid):
            spec = spec.model_copy(update={"params": {**spec.params, "basicity": basicity}})
        result = _model_result(scenario, uid, spec, props, key)
        comp = result.product_composition
        cid = str(unit.product)
        if comp and cid in derived and abs(float(np.asarray(comp["fe_frac"])) - float(derived[cid]["fe_frac"])) > 1e-9:
            twin = next(
                (
                    v
                    for v, vid in enumerate(unit_ids)
                    if scenario.plant.units[vid].condition == "operating"
                    and scenario.plant.units[vid].product == unit.product
                    and scenario.plant.units[vid].kind == unit.kind
                ),
                None,
            )
            if twin is not None:
                recipe[u], out_c[u], out_lhv[u] = recipe[twin], out_c[twin], out_lhv[twin]
                continue
        _apply_model(scenario, uid, result, u, int(product[u]), cindex, carriers, recipe, out_c, out_lhv)


#: physics results per validated input: (model, kind, params, carrier compositions) -> PhysicsResult.
#: A model is a pure function of these, so a warm run reuses the result (its arrays are read-only).
_MODEL_RESULTS: dict[tuple[Any, ...], Any] = {}
_MODEL_RESULTS_MAX = 512


#: the plant rows of a kept physics result: id(result) -> (result, {(product, carriers, C row, LHV row): rows})
_MODEL_ROWS: dict[int, tuple[Any, dict[tuple[Any, ...], tuple[Array, Array, Array]]]] = {}


def _apply_model(
    scenario: ResolvedScenario,
    uid: str,
    result: Any,
    u: int,
    product: int,
    cindex: dict[str, int],
    carriers: tuple[str, ...],
    recipe: Array,
    out_c: Array,
    out_lhv: Array,
) -> None:
    """:func:`apply_model`, with the rows of a kept (read-only) result written from the last time."""
    entry = _MODEL_ROWS.get(id(result))
    if entry is None or entry[0] is not result:
        if not is_kept_result(result):  # not kept (e.g. a batch): nothing to reuse
            file, _ = scenario.where(f"units.{uid}")
            apply_model(result, u, product, cindex, recipe, out_c, out_lhv, file=file, where=f"units.{uid}.model")
            return
        entry = _MODEL_ROWS[id(result)] = (result, {})
    key = (product, carriers, out_c[u].tobytes(), out_lhv[u].tobytes())
    rows = entry[1].get(key)
    if rows is None:
        file, _ = scenario.where(f"units.{uid}")
        apply_model(result, u, product, cindex, recipe, out_c, out_lhv, file=file, where=f"units.{uid}.model")
        entry[1][key] = (recipe[u].copy(), out_c[u].copy(), out_lhv[u].copy())
        return
    recipe[u, :], out_c[u, :], out_lhv[u, :] = rows


def is_kept_result(result: Any) -> bool:
    """Whether a physics result is one kept for reuse (and so already read-only)."""
    return any(r is result for r in _MODEL_RESULTS.values())


def _carriers_key(props: dict[str, CarrierProps]) -> tuple[Any, ...] | None:
    """The carrier compositions a model reads, as a hashable key (None when they hold arrays)."""
    key = tuple(
        (cid, p.fe_frac, p.c_frac, p.lhv_gj_per_t, tuple(p.analysis.items()), tuple(p.volume_fractions.items()))
        for cid, p in props.items()
    )
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _follows_furnace(scenario: ResolvedScenario, uid: str) -> bool:
    spec = scenario.plant.units[uid].model
    if spec is None:
        return False
    file, where = scenario.where(f"units.{uid}.model")
    params = model_parameters(spec, MODELS[spec.kind], file=file, where=where) if spec.kind in MODELS else {}
    follows = bool(follows_furnace(spec.kind, params))
    if follows and "basicity" in params:
        raise InputError(
            f"the basicity of '{uid}' is set by the blast furnaces (basicity_follows_furnace = 1), not by a value",
            file=file,
            location=f"{where}.params.basicity",
            allowed=f"units.{uid}.model.params.basicity_follows_furnace=0 to fix the basicity, or no basicity",
        )
    return follows


def _model_result(
    scenario: ResolvedScenario, uid: str, spec: Any, props: dict[str, CarrierProps], carriers_key: Any
) -> Any:
    key = None
    if carriers_key is not None:
        key = (id(MODELS.get(spec.kind)), spec.kind, tuple(spec.params.items()), carriers_key)
        try:
            hit = _MODEL_RESULTS.get(key)
        except TypeError:  # a parameter value that is not hashable
            key = hit = None
        if hit is not None:
            return hit
    file, _ = scenario.where(f"units.{uid}")
    result = run_model(spec, props, file=file, where=f"units.{uid}.model")
    if key is not None:
        _freeze(result)
        if len(_MODEL_RESULTS) >= _MODEL_RESULTS_MAX:
            _MODEL_RESULTS.clear()
            _MODEL_ROWS.clear()
        _MODEL_RESULTS[key] = result
    return result


def _freeze(value: Any) -> None:
    """Make the numpy arrays in a (nested) physics result read-only: a cached result is shared."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, dict):
        for item in value.values():
            _freeze(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _freeze(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            _freeze(getattr(value, name))


def _supplies(
    scenario: ResolvedScenario,
    unit_ids: list[str],
    product: NDArray[np.int_],
    carrier_ids: list[str],
    can_buy: NDArray[np.bool_],
) -> dict[int, Supply]:
    spec = scenario.plant
    supplies: dict[int, Supply] = {}
    for c in sorted({int(p) for p in product if p >= 0}):
        producers = [u for u in range(len(unit_ids)) if product[u] == c and spec.units[unit_ids[u]].basis == "output"]
        if not producers:
            continue
        supplies[c] = Supply(carrier=c, mode="proportional", producers=producers)
    for name, sspec in spec.supply.items():
        file, where = scenario.where(f"supply.{name}")
        if name not in carrier_ids:
            raise _unknown("carrier", name, carrier_ids, file, where)
        c = carrier_ids.index(name)
        if c not in supplies:
            raise InputError(
                f"no unit has '{name}' as its product, so there is nothing to share",
                file=file,
                location=where,
            )
        own = supplies[c].producers

        if sspec.mode == "shares":
            names = list(sspec.shares)
            if not names:
                raise InputError(
                    f"shares of '{name}' list no producers",
                    file=file,
                    location=f"{where}.shares",
                    allowed=", ".join([*(unit_ids[u] for u in own), "market"]),
                )
            producers = _resolve_producers(names, name, own, unit_ids, bool(can_buy[c]), file, f"{where}.shares")
            shares = np.array([sspec.shares[n] for n in names])
            if abs(shares.sum() - 1.0) > 1e-9:
                raise InputError(
                    f"shares of '{name}' sum to {shares.sum():.6g}, not 1",
                    file=file,
                    location=f"{where}.shares",
                    allowed="shares summing to 1",
                )
            supplies[c] = Supply(c, "shares", producers, shares)
        elif sspec.mode == "merit":
            if not sspec.order:
                raise InputError(
                    f"merit order of '{name}' lists no producers",
                    file=file,
                    location=f"{where}.order",
                    allowed=", ".join([*(unit_ids[u] for u in own), "market"]),
                )
            order = _resolve_producers(sspec.order, name, own, unit_ids, bool(can_buy[c]), file, f"{where}.order")
            supplies[c] = Supply(c, "merit", order)
        else:
            supplies[c] = Supply(c, "proportional", own)
    return supplies


def _resolve_producers(
    names: list[str], carrier: str, own: list[int], unit_ids: list[str], can_buy: bool, file: str | None, where: str
) -> list[int]:
    """Unit indices (or MARKET) for the producer names of a supply list."""
    own_names = [unit_ids[u] for u in own]
    out = []
    for n in names:
        if n == "market":
            if not can_buy:
                raise InputError(
                    f"'{carrier}' cannot be bought, so 'market' cannot supply it",
                    file=file,
                    location=where,
                    allowed=", ".join(own_names),
                )
            out.append(MARKET)
        elif n in own_names:
            out.append(unit_ids.index(n))
        else:
            raise InputError(
                f"'{n}' does not produce '{carrier}'",
                file=file,
                location=where,
                allowed=", ".join([*own_names, "market"]),
            )
    return out


def unit_residuals(plant: Plant, recipe: Array | None = None) -> dict[str, Array]:
    """Per unit of main product: mass, Fe and C in minus out (the unit's declared losses).

    Fuel heat is excluded (its gases are allocated later and burned completely: their mass and
    carbon leave as stack gas by construction).
    """
    r = plant.recipe if recipe is None else recipe
    mass_r = np.where(plant.mass_mask, r, 0.0)
    return {
        "mass": -mass_r.sum(axis=-1),
        "Fe": -(r * plant.fe_frac).sum(axis=-1),
        "C": -(np.where(r > 0, r * plant.out_c_frac, r * plant.c_frac)).sum(axis=-1),
    }


def check_recipes(plant: Plant, scenario: ResolvedScenario | None = None, tol: float = 1e-9) -> None:
    """Reject recipes that create mass, iron or carbon, or lose more iron than the unit declares."""
    res = unit_residuals(plant)
    mass_in = -np.where(plant.mass_mask & (plant.recipe < 0), plant.recipe, 0.0).sum(axis=-1)
    fe_in = -np.where(plant.recipe < 0, plant.recipe * plant.fe_frac, 0.0).sum(axis=-1)
    c_in = -np.where(plant.recipe < 0, plant.recipe * plant.c_frac, 0.0).sum(axis=-1)
    for u, uid in enumerate(plant.unit_ids):
        # units that do not run are checked in the scenarios that run them (a composition a model
        # derives for this scenario may not suit a recipe that is never used in it)
        if plant.basis[u] != "output" or not plant.operating[u]:
            continue
        bad = [plant.carrier_ids[c] for c in np.flatnonzero(~np.isfinite(plant.recipe[u]))]
        if bad:  # a NaN passes every comparison below: refuse it here (issue 9)
            file, where = scenario.where(f"units.{uid}") if scenario else (None, f"units.{uid}")
            raise InputError(
                f"the recipe holds a NaN or infinity for {', '.join(bad[:5])} (from its inputs or its model)",
                file=file,
                location=where,
                allowed="finite inputs, and carriers with the properties its model needs",
            )
        scale_mass = max(mass_in[u], 1.0)
        if res["mass"][u] < -tol * scale_mass:
            file, where = scenario.where(f"units.{uid}") if scenario else (None, f"units.{uid}")
            raise InputError(
                f"the recipe creates mass: outputs exceed inputs by {-res['mass'][u]:.6g} t per t of product",
                file=file,
                location=where,
                allowed="inputs >= outputs (the difference is a declared loss)",
            )
        if res["Fe"][u] < -tol * max(fe_in[u], 1e-12):
            file, where = scenario.where(f"units.{uid}") if scenario else (None, f"units.{uid}")
            raise InputError(
                f"the recipe does not close its Fe balance: it creates {-res['Fe'][u]:.6g} t Fe per t",
                file=file,
                location=where,
                allowed="Fe in >= Fe out",
            )
        if fe_in[u] > 0 and res["Fe"][u] > plant.max_fe_loss[u] * fe_in[u] + tol:
            file, where = scenario.where(f"units.{uid}") if scenario else (None, f"units.{uid}")
            raise InputError(
                f"the recipe does not close its Fe balance: {res['Fe'][u] / fe_in[u]:.2%} of the iron in is lost",
                file=file,
                location=where,
                allowed=f"an Fe loss up to max_fe_loss = {plant.max_fe_loss[u]:.2%} of Fe in",
            )
        if res["C"][u] < -tol * max(c_in[u], 1e-12):
            file, where = scenario.where(f"units.{uid}") if scenario else (None, f"units.{uid}")
            raise InputError(
                f"the recipe does not close its C balance: it creates {-res['C'][u]:.6g} t C per t",
                file=file,
                location=where,
                allowed="C in >= C out (the difference is emitted as CO2)",
            )
