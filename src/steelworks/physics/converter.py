r"""Basic oxygen converter (LD/BOF): charge, oxygen, slag and heat balance (per t liquid steel).

Per t of hot metal charged with ``x`` t scrap the model balances:

* **Metal.** Fe in (hot metal + scrap) = Fe to steel + Fe to slag (FeO at
  ``carriers["bof_slag"].fe_frac``) + Fe to dust (Fe2O3 at ``carriers["dust_sludge"]``). Steel
  composition is the ``liquid_steel`` carrier's: Fe ``fe_frac``, C ``c_frac`` (the tap carbon),
  the remainder ``1 - Fe - C`` (Mn and residuals) filled from scrap residuals, then from the hot
  metal Mn, then (rarely) from ``ferroalloys``. Si, the rest of Mn and all P oxidise to slag.
* **Slag.** Burnt lime ``L`` and burnt dolomite ``D`` are solved from three linear conditions::

      CaO = B SiO2,    MgO = m S,    S (1 - k) = SiO2 + CaO + MgO + MnO + P2O5 + S_el + other

  with ``k`` the FeO mass fraction that makes the slag's Fe equal ``bof_slag.fe_frac``
  (dolomite is clipped at 0 when the lime alone brings enough MgO).
* **Oxygen.** O2 = ½ [C_ox (1 + PCR) + 2 Si + Mn + 2.5 P + Fe_slag + 1.5 Fe_dust] (kmol), where
  PCR = CO2/(CO+CO2) of the vessel gas (post-combustion ratio).
* **Heat** (25 degC reference, Hess)::

      H_HM(T_HM) = W h_steel(T_tap) + S h_slag(T_tap) + sum dHf(oxides) + dH(2CaO.SiO2)
                   + n_CO h_CO(T_gas) + n_CO2 h_CO2(T_gas) + dust + carbonate decomposition + W Q_loss

  In the default mode the scrap ``x`` is the largest the heat balance allows (Newton on x);
  with ``scrap_from_heat_balance = 0`` the given ``scrap_share`` must not exceed it (else
  InputError) and any surplus is reported as ``coolant_need_gj_per_t``.
* **Gas.** A fraction ``gas_recovery`` of the vessel gas is collected with ``air_ingress`` Nm3
  air per Nm3 (its O2 burns CO to CO2) and leaves as ``converter_gas`` with its own
  ``gas_properties``; the rest burns at the mouth (its carbon is emitted, its mass a loss).

=====================  ===================================  ============================
symbol                 meaning                              attribute / key
=====================  ===================================  ============================
x                      scrap per t hot metal                diag ``scrap_t_per_t_hm``
T_HM, T_tap            temperatures, degC                   params
B, m                   slag CaO/SiO2, slag MgO              ``slag_basicity``, ``slag_mgo``
PCR                    post-combustion ratio                ``post_combustion``
W                      steel per t hot metal                diag ``steel_t_per_t_hm``
Q_loss                 heat losses, GJ/tLS                  ``heat_losses``
=====================  ===================================  ============================
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from steelworks.physics import thermo
from steelworks.physics.base import Array, CarrierProps, Model, ParameterSpec, PhysicsResult
from steelworks.physics.common import (
    DUST_CP,
    broadcast_parameters,
    first_bad,
    flux_props,
    get_carrier,
    infeasible,
    num,
    shaped,
)

M = thermo.MOLAR_MASS
VM = thermo.MOLAR_VOLUME_NM3_PER_KMOL
HF = thermo.FORMATION_ENTHALPY_KJ_PER_MOL
MO = thermo.oxide_molar_mass
#: kJ per mol SiO2 combined as 2CaO.SiO2 (basic slag), from RH95/JANAF formation enthalpies
H_SILICATE = HF["Ca2SiO4"] - 2 * HF["CaO"] - HF["SiO2"]

PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "hot_metal_temperature",
        "temperature",
        "degC",
        1340.0,
        1200.0,
        1450.0,
        "hot metal temperature at charging",
        "Britannica: tapped at 1,400-1,500 degC with ~100 K lost on the way to the shop",
    ),
    ParameterSpec(
        "scrap_from_heat_balance",
        "dimensionless",
        "-",
        1.0,
        0.0,
        1.0,
        "1: charge the largest scrap the heat balance allows; 0: use scrap_share",
        "switch, not a data value: the default lets the heat balance set the scrap (Britannica: about 25 % scrap)",
    ),
    ParameterSpec(
        "scrap_share",
        "dimensionless",
        "-",
        0.20,
        0.0,
        0.45,
        "scrap share of the metallic charge when scrap_from_heat_balance = 0",
        "Britannica: about 75 % liquid iron and 25 % scrap; He17: ~13 %",
    ),
    ParameterSpec(
        "tap_temperature",
        "temperature",
        "degC",
        1650.0,
        1580.0,
        1720.0,
        "steel tapping temperature",
        "process_coefficients 5.2: 1,620-1,680 degC",
    ),
    ParameterSpec(
        "slag_basicity",
        "dimensionless",
        "-",
        3.5,
        2.0,
        5.0,
        "slag basicity CaO/SiO2",
        "estimate: BOF slags run CaO/SiO2 3-4",
    ),
    ParameterSpec(
        "slag_mgo",
        "dimensionless",
        "-",
        0.08,
        0.0,
        0.14,
        "MgO mass fraction of the slag (from burnt dolomite)",
        "estimate: 6-10 % MgO for refractory protection",
    ),
    ParameterSpec(
        "post_combustion",
        "dimensionless",
        "-",
        0.10,
        0.0,
        0.4,
        "post-combustion ratio CO2/(CO+CO2) of the vessel gas",
        "estimate: 5-15 % in top-blown converters with gas recovery",
    ),
    ParameterSpec(
        "gas_recovery",
        "dimensionless",
        "-",
        0.85,
        0.0,
        1.0,
        "share of the vessel gas recovered as converter_gas (rest flared at the mouth)",
        "estimate: the blow start and end are flared; JISF: OG system recovers ~70 % of the heat",
    ),
    ParameterSpec(
        "air_ingress",
        "dimensionless",
        "Nm3/Nm3",
        0.25,
        0.0,
        0.5,
        "air drawn in at the skirt per Nm3 of recovered vessel gas",
        "estimate: gives ~16 % N2 in the recovered gas (process_coefficients 2.4: N2 10-20 %)",
    ),
    ParameterSpec(
        "offgas_temperature",
        "temperature",
        "degC",
        1600.0,
        1400.0,
        1750.0,
        "temperature of the gas leaving the vessel mouth",
        "estimate: ~tap temperature",
    ),
    ParameterSpec(
        "heat_losses",
        "energy_per_mass",
        "GJ/t",
        0.10,
        0.0,
        0.4,
        "heat losses through the vessel lining and between heats, per t liquid steel",
        "estimate: radiation and lining heat, ~5-8 % of the heat input",
    ),
    ParameterSpec(
        "dust_rate",
        "mass_per_mass",
        "t/t",
        0.015,
        0.0,
        0.03,
        "dust and sludge per t liquid steel",
        "ISPAT-BOFG: 100-120 g/Nm3 raw gas at the mouth, ~15 kg/t",
    ),
    ParameterSpec(
        "electricity",
        "electricity_per_mass",
        "MWh/t",
        0.0355,
        0.0,
        0.1,
        "electricity per t liquid steel (fans, handling)",
        "He17: 127.8 MJ/t steel (label inferred, process_coefficients 1.5)",
    ),
)


def solve(
    params: Mapping[str, float | Array], carriers: Mapping[str, CarrierProps], *, where: str = "model"
) -> PhysicsResult:
    p, shape = broadcast_parameters(PARAMETERS, params, where=where)
    g = get_carrier
    hm, sc, ls = (
        g(carriers, "hot_metal", where),
        g(carriers, "scrap", where),
        g(carriers, "liquid_steel", where),
    )
    fa = g(carriers, "ferroalloys", where)
    lime, dolo = (
        flux_props(g(carriers, "burnt_lime", where)),
        flux_props(g(carriers, "burnt_dolomite", where)),
    )
    fe_sl = num(g(carriers, "bof_slag", where).fe_frac)
    dust = g(carriers, "dust_sludge", where)
    fe_d, c_d = num(dust.fe_frac), num(dust.c_frac)
    o_d = fe_d * 1.5 * M["O"] / M["Fe"]
    other_d = 1.0 - fe_d - c_d - o_d
    ha = {k: num(hm.analysis.get(k, 0.0)) for k in ("Si", "Mn", "P", "S")}
    fe_hm, c_hm = num(hm.fe_frac), num(hm.c_frac)
    other_hm = 1.0 - fe_hm - c_hm - sum(ha.values())
    fe_sc, c_sc = num(sc.fe_frac), num(sc.c_frac)
    other_sc = 1.0 - fe_sc - c_sc
    fe_ls, c_ls = num(ls.fe_frac), num(ls.c_frac)
    other_ls = 1.0 - fe_ls - c_ls
    fe_fa, c_fa = num(fa.fe_frac), num(fa.c_frac)
    for name, val in (
        ("hot_metal", other_hm),
        ("scrap", other_sc),
        ("liquid_steel", other_ls),
        ("dust_sludge", other_d),
    ):
        infeasible(
            val < -1e-9,
            where,
            f"carriers.{name}",
            f"{name} chemistry does not sum (Fe + C + ... > 1)",
            "fractions summing to <= 1",
        )
    infeasible(
        c_hm <= c_ls,
        where,
        "carriers.hot_metal",
        "hot metal carries no more carbon than the steel",
        "hot_metal c_frac > liquid_steel c_frac",
    )
    k_feo = fe_sl * MO("FeO") / M["Fe"]
    air = g(carriers, "air", where).analysis or {"O2": 0.2314, "N2": 0.7552, "Ar": 0.0129}
    air_kmol = {s: float(air.get(s, 0.0)) / thermo.species_molar_mass(s) for s in ("O2", "N2", "Ar")}
    tot = sum(air_kmol.values())
    y_air = {s: v / tot for s, v in air_kmol.items()}
    air_kg_per_nm3 = sum(y_air[s] * thermo.species_molar_mass(s) for s in y_air) / VM

    T_hm, T_tap, T_gas = p["hot_metal_temperature"], p["tap_temperature"], p["offgas_temperature"]
    pcr, beta, mgo_t = p["post_combustion"], p["slag_basicity"], p["slag_mgo"]
    H_hm = 1000.0 * thermo.metal_enthalpy_gj_per_t({"Fe": fe_hm, "C": c_hm, **ha, "other": other_hm}, T_hm)
    h_steel = 1000.0 * thermo.metal_enthalpy_gj_per_t({"Fe": fe_ls, "C": c_ls, "other": other_ls}, T_tap)
    h_slag = 1000.0 * thermo.slag_enthalpy_gj_per_t(T_tap)
    h_co, h_co2 = thermo.gas_enthalpy("CO", T_gas), thermo.gas_enthalpy("CO2", T_gas)

    def flows(x: Array, start: dict[str, Array] | None = None, passes: int = 9) -> dict[str, Array]:
        """All flows per t hot metal for scrap x (t/tHM); fixed point on steel and slag mass,
        optionally warm-started from an earlier answer."""
        W = (fe_hm + fe_sc * x) / fe_ls * 0.9 if start is None else start["W"]
        S = 0.1 * W if start is None else start["S"]
        out: dict[str, Array] = {}
        for _ in range(passes):
            dust_t = p["dust_rate"] * W
            fe_slag = fe_sl * S
            need = other_ls * W
            use_sc = np.minimum(other_sc * x, need)
            mn_ret = np.minimum(ha["Mn"], need - use_sc)
            fa_t = (need - use_sc - mn_ret) / (1.0 - fe_fa - c_fa)
            W_new = (fe_hm + fe_sc * x + fe_fa * fa_t - fe_slag - fe_d * dust_t) / fe_ls
            mn_ox = ha["Mn"] - mn_ret
            si_ox = ha["Si"]
            # slag pieces independent of fluxes
            a0 = si_ox * MO("SiO2") / M["Si"]
            rest = (
                mn_ox * MO("MnO") / M["Mn"]
                + ha["P"] * MO("P2O5") / (2 * M["P"])
                + ha["S"]
                + (other_sc * x - use_sc)
                + other_hm
            )
            dother = other_d * dust_t  # dust gangue, taken from the lime
            # CaO = beta SiO2 -> L = l0 + l1 Dl
            den = lime["CaO"] - beta * lime["SiO2"]
            l0 = (beta * a0 + dother) / den
            l1 = -(dolo["CaO"] - beta * dolo["SiO2"]) / den
            sum_l = lime["SiO2"] + lime["CaO"] + lime["MgO"]
            sum_d = dolo["SiO2"] + dolo["CaO"] + dolo["MgO"]
            s0 = (a0 + rest - dother + sum_l * l0) / (1.0 - k_feo)
            s1 = (sum_l * l1 + sum_d) / (1.0 - k_feo)
            Dl = (mgo_t * s0 - lime["MgO"] * l0) / (lime["MgO"] * l1 + dolo["MgO"] - mgo_t * s1)
            Dl = np.maximum(Dl, 0.0)
            L = l0 + l1 * Dl
            S_new = s0 + s1 * Dl
            out = {
                "W": W_new,
                # the slag reported is the one the Fe balance of this pass used, so Fe closes
                # exactly; it differs from S_new by the (converged) fixed-point residual only
                "S": S,
                "L": L,
                "Dl": Dl,
                "fa": fa_t,
                "dust": dust_t,
                "mn_ox": mn_ox,
                "si_ox": si_ox + 0.0 * x,
                "fe_slag": fe_sl * S,
                "S_used": S,
                "W_used": W,
                "sio2": a0 + lime["SiO2"] * L + dolo["SiO2"] * Dl,
                "cao": lime["CaO"] * L + dolo["CaO"] * Dl - dother,
                "mgo": lime["MgO"] * L + dolo["MgO"] * Dl,
            }
            W, S = W_new, S_new
        # carbon and oxygen
        c_ox = c_hm + c_sc * x + c_fa * out["fa"] - c_ls * out["W"] - c_d * out["dust"]  # t C burnt from the metal
        n_c = 1000.0 * c_ox / M["C"]
        n_carb = 1000.0 * (lime["C"] * out["L"] + dolo["C"] * out["Dl"]) / M["C"]
        n_co = n_c * (1.0 - pcr)
        n_co2_metal = n_c * pcr
        fe_dust = fe_d * out["dust"]
        o_atoms = (
            n_c * (1.0 + pcr)
            + 2000.0 * out["si_ox"] / M["Si"]
            + 1000.0 * out["mn_ox"] / M["Mn"]
            + 2500.0 * ha["P"] / M["P"]
            + 1000.0 * out["fe_slag"] / M["Fe"]
            + 1500.0 * fe_dust / M["Fe"]
        )
        n_o2 = o_atoms / 2.0
        # heat balance, MJ per t HM
        h_out = (
            out["W"] * h_steel
            + out["S"] * h_slag
            + 1000.0 * out["si_ox"] / M["Si"] * (HF["SiO2"] + H_SILICATE)
            + 1000.0 * out["mn_ox"] / M["Mn"] * HF["MnO"]
            + 1000.0 * ha["P"] / M["P"] * HF["P2O5"] / 2
            + 1000.0 * out["fe_slag"] / M["Fe"] * HF["FeO"]
            + 1000.0 * fe_dust / (2 * M["Fe"]) * HF["Fe2O3"]
            + 1000.0 * out["dust"] * DUST_CP * (T_gas - 25.0)
            + n_co * h_co
            + n_co2_metal * h_co2
            + n_carb * (HF["CaO"] - HF["CaCO3"] + h_co2)
            + 1000.0 * p["heat_losses"] * out["W"]
        )
        out.update(
            {
                "surplus": H_hm - h_out,
                "n_co": n_co,
                "n_co2": n_co2_metal + n_carb,
                "n_o2": n_o2,
                "c_ox": c_ox,
                "n_carb": n_carb,
            }
        )
        return out

    # largest scrap: secant on the (almost linear) surplus, two steps from x = 0.15 and 0.35
    state = flows(np.full(shape, 0.15))
    x_prev, f_prev = np.full(shape, 0.15), state["surplus"]
    x = np.full(shape, 0.35)
    for _ in range(2):
        state = flows(x, state, 4)
        fx = state["surplus"]
        x, x_prev, f_prev = x - fx * (x - x_prev) / (fx - f_prev), x, fx
    x_max = x
    infeasible(
        x_max < 0,
        where,
        "hot_metal_temperature",
        lambda bad: (
            "no solution: the heat balance leaves no heat to melt scrap "
            f"(coolant-free limit {first_bad(x_max, bad):.3f} t scrap/tHM); "
            "hot metal too cold or too lean"
        ),
        "a hotter hot metal, more Si, lower tap temperature or heat losses",
    )
    share_max = x_max / (1.0 + x_max)
    fixed = p["scrap_from_heat_balance"] < 0.5
    x_fixed = p["scrap_share"] / (1.0 - p["scrap_share"])
    infeasible(
        fixed & (x_fixed > x_max + 1e-9),
        where,
        "scrap_share",
        lambda bad: (
            f"scrap_share {first_bad(p['scrap_share'], bad):.3f} is above what the heat "
            f"balance allows ({first_bad(share_max, bad):.3f})"
        ),
        lambda bad: f"0 to {first_bad(share_max, bad):.3f}",
    )
    x = np.where(fixed, x_fixed, x_max)
    f = flows(x, state, 12)
    W = f["W"]

    # gas: recovered part with air ingress, rest flared
    rec = p["gas_recovery"]
    n_co_v, n_co2_v = f["n_co"], f["n_co2"]
    v_vessel = (n_co_v + n_co2_v) * VM
    air_nm3 = p["air_ingress"] * rec * v_vessel
    o2_in = air_nm3 * y_air["O2"] / VM
    co_r = rec * n_co_v - 2.0 * o2_in
    infeasible(
        co_r < 0,
        where,
        "air_ingress",
        "the air drawn in would burn all CO of the recovered gas",
        "a lower air_ingress",
    )
    co2_r = rec * n_co2_v + 2.0 * o2_in
    n2_r, ar_r = air_nm3 * y_air["N2"] / VM, air_nm3 * y_air["Ar"] / VM
    tot_r = co_r + co2_r + n2_r + ar_r
    safe = np.where(tot_r > 0, tot_r, 1.0)
    vf = {
        "CO": np.where(tot_r > 0, co_r / safe, 1.0),
        "CO2": co2_r / safe,
        "N2": n2_r / safe,
        "Ar": ar_r / safe,
    }
    gp = thermo.gas_properties(vf)
    gas_t = (
        co_r * thermo.species_molar_mass("CO")
        + co2_r * thermo.species_molar_mass("CO2")
        + n2_r * thermo.species_molar_mass("N2")
        + ar_r * thermo.species_molar_mass("Ar")
    ) / 1000.0
    air_t = air_nm3 * air_kg_per_nm3 / 1000.0
    lost_t = (
        (1.0 - rec) * (n_co_v * thermo.species_molar_mass("CO") + n_co2_v * thermo.species_molar_mass("CO2")) / 1000.0
    )
    c_emitted = (1.0 - rec) * (n_co_v + n_co2_v) * M["C"] / 1000.0
    o2_t = f["n_o2"] * thermo.species_molar_mass("O2") / 1000.0

    per = 1.0 / W
    recipe = {
        "hot_metal": -per,
        "scrap": -x * per,
        "oxygen": -o2_t * per,
        "burnt_lime": -f["L"] * per,
        "burnt_dolomite": -f["Dl"] * per,
        "ferroalloys": -f["fa"] * per,
        "air": -air_t * per,
        "electricity": -p["electricity"] + 0.0 * per,
        "liquid_steel": np.ones(shape),
        "bof_slag": f["S"] * per,
        "dust_sludge": f["dust"] * per,
        "converter_gas": gas_t * per,
    }
    recipe = {k: shaped(v, shape) for k, v in recipe.items()}
    diag = {
        "scrap_t_per_t_hm": x,
        "scrap_share": x / (1.0 + x),
        "max_scrap_share": share_max,
        "steel_t_per_t_hm": W,
        "hot_metal_t_per_t": per,
        "scrap_kg_per_t": 1000.0 * x * per,
        "oxygen_nm3_per_t": f["n_o2"] * VM * per,
        "lime_kg_per_t": 1000.0 * f["L"] * per,
        "dolomite_kg_per_t": 1000.0 * f["Dl"] * per,
        "slag_kg_per_t": 1000.0 * f["S"] * per,
        "slag_basicity": f["cao"] / f["sio2"],
        "slag_mgo": f["mgo"] / f["S"],
        "slag_feo": k_feo + 0.0 * x,
        "vessel_gas_nm3_per_t": v_vessel * per,
        "converter_gas_nm3_per_t": tot_r * VM * per,
        "converter_gas_lhv_mj_per_nm3": gp["lhv_mj_per_nm3"],
        "converter_gas_energy_gj_per_t": gas_t * gp["lhv_gj_per_t"] * per,
        "fe_yield": fe_ls * W / (fe_hm + fe_sc * x + fe_fa * f["fa"]),
        "coolant_need_gj_per_t": np.where(fixed, f["surplus"], 0.0) / 1000.0 * per,
        "carbon_emitted_t": c_emitted * per,
        "mass_loss_t": lost_t * per,
        "ferroalloys_kg_per_t": 1000.0 * f["fa"] * per,
    }
    diag = {k: shaped(v, shape) for k, v in diag.items()}
    gas = {
        "volume_fractions": vf,
        **{k: gp[k] for k in ("c_frac", "lhv_gj_per_t", "density_kg_per_nm3", "lhv_mj_per_nm3")},
    }
    return PhysicsResult(recipe=recipe, gas_properties={"converter_gas": gas}, diagnostics=diag)  # type: ignore[dict-item]


MODEL = Model("converter", "liquid_steel", PARAMETERS, solve)
