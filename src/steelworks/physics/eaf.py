r"""Electric arc furnace with any charge of scrap, DRI and hot metal (per t liquid steel).

Balances (per t liquid steel, fixed point on slag mass and ferroalloys)::

    Mc fe_charge + FA fe_FA = fe_LS + fe_slag S + fe_dust D                     Fe
    L = max(L_min, (B SiO2_0 - CaO_0) / (cao_L - B sio2_L))                      lime
    S (1 - k) = SiO2 + CaO + MgO + Al2O3 + MnO + P2O5 + other                    slag
    O2 = [C_bath (1 + PCR) + 2 Si + Mn + 2.5 P + Fe_slag + 1.5 Fe_dust - O_FeO,DRI
          + O for the burner gas] / 2 / oxygen_yield                            kmol
    E_arc = H_steel(T_tap) + S h_slag + sum dHf(products) + gas(T_gas) + Q_loss
            + q_DRI m_DRI - H_HM(T_HM) - H_DRI(T_DRI) - eta_b Q_burner           GJ
    electricity = E_arc / 3.6 + auxiliaries                                      MWh

``k`` makes the slag iron equal ``carriers["eaf_slag"].fe_frac`` (as FeO); the DRI's FeO is
reduced by carbon (endothermic, counted through its formation enthalpy), its gangue reports to
the slag and needs lime. Steel composition is the ``liquid_steel`` carrier's; its non-Fe, non-C
remainder comes from scrap residuals, then hot-metal Mn, then ``ferroalloys``. All gasified
carbon (charge carbon, electrodes, burner gas, bath carbon, carbonate) is emitted.

=============  ======================================  ============================
symbol         meaning                                 attribute / key
=============  ======================================  ============================
Mc             metallic charge per t steel             diag ``charge_t_per_t``
B, L_min       slag basicity, minimum lime             ``slag_basicity``, ``lime_min``
PCR            post-combustion ratio in the furnace    ``post_combustion``
Q_loss         heat losses (panels, off-gas, idle)     ``heat_losses``
=============  ======================================  ============================
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
    gas_atoms_per_nm3,
    gas_props,
    get_carrier,
    infeasible,
    num,
    shaped,
)

M = thermo.MOLAR_MASS
HF = thermo.FORMATION_ENTHALPY_KJ_PER_MOL
MO = thermo.oxide_molar_mass
VM = thermo.MOLAR_VOLUME_NM3_PER_KMOL
#: mean heat capacity of DRI, GJ/(t K) (estimate: iron/oxide mixture ~0.7 kJ/kg K)
DRI_CP = 0.0007
#: ZnO: molar mass g/mol (STD) and enthalpy of formation kJ/mol (NBS82: -350.46)
M_ZNO = M["Zn"] + M["O"]
HF_ZNO = -350.46
#: the carrier of the scrap charge: purchased scrap with its analysis (the works' home scrap, carrier
#: ``scrap``, is clean crop ends and returns and goes to the converters or the market)
SCRAP = "shredded_scrap"
#: scrap components the model reads from ``carriers[SCRAP].analysis`` (mass fractions of dry scrap)
SCRAP_KEYS = ("Fe2O3", "FeO", "SiO2", "Al2O3", "CaO", "MgO", "Zn")

PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "scrap_share",
        "dimensionless",
        "-",
        1.0,
        0.0,
        1.0,
        "scrap share of the metallic charge (mass)",
        "choice of charge, not a data value: 1.0 = all-scrap EAF (ECORYS08: 1.09 t scrap/t)",
    ),
    ParameterSpec(
        "dri_share",
        "dimensionless",
        "-",
        0.0,
        0.0,
        1.0,
        "DRI share of the metallic charge (mass)",
        "choice of charge, not a data value: DRI-EAF shops run 0.6-0.9 (Jacobasch21: 0.87 t DRI + 0.20 t scrap)",
    ),
    ParameterSpec(
        "hot_metal_share",
        "dimensionless",
        "-",
        0.0,
        0.0,
        0.6,
        "hot metal share of the metallic charge (mass)",
        "estimate: up to ~50-60 % hot metal is run in EAFs with extra oxygen",
    ),
    ParameterSpec(
        "dri_temperature",
        "temperature",
        "degC",
        25.0,
        25.0,
        700.0,
        "DRI charging temperature (hot DRI 600 degC)",
        "Vogl18: hot vs cold DRI charging (process_coefficients 1.12)",
    ),
    ParameterSpec(
        "hot_metal_temperature",
        "temperature",
        "degC",
        1300.0,
        1150.0,
        1450.0,
        "hot metal temperature",
        "estimate: as charged to the converter, less transfer losses",
    ),
    ParameterSpec(
        "tap_temperature",
        "temperature",
        "degC",
        1630.0,
        1560.0,
        1700.0,
        "tap temperature",
        "estimate: 1,600-1,650 degC",
    ),
    ParameterSpec("slag_basicity", "dimensionless", "-", 2.0, 1.2, 3.0, "slag CaO/SiO2", "estimate: EAF slags 1.5-2.5"),
    ParameterSpec(
        "lime_min",
        "mass_per_mass",
        "t/t",
        0.035,
        0.0,
        0.1,
        "minimum burnt lime per t steel (slag foaming)",
        "estimate: scrap EAFs charge 30-50 kg/t; Vogl18/Agora23 50 kg/t for DRI-EAF",
    ),
    ParameterSpec(
        "charge_carbon",
        "mass_per_mass",
        "t/t",
        0.012,
        0.0,
        0.04,
        "charge and injection carbon (coke breeze) per t",
        "Jacobasch21: coal 10.4 kg/tLS (as ~10 kg C)",
    ),
    ParameterSpec(
        "electrodes",
        "mass_per_mass",
        "t/t",
        0.002,
        0.0005,
        0.005,
        "graphite electrode consumption per t",
        "Vogl18, Agora23: 2 kg/tLS (ECORYS08 3, Jacobasch21 1.5)",
    ),
    ParameterSpec(
        "burner_gas",
        "energy_per_mass",
        "GJ/t",
        0.43,
        0.0,
        1.0,
        "natural gas to oxy-fuel burners (LHV) per t at an all-scrap charge; scaled by the scrap share "
        "(burners heat the scrap's cold spots, a continuously fed DRI charge needs none)",
        "ECORYS08: 0.43 GJ fuel/tLS beside its 0.40 MWh/tLS for 100 % scrap (Worrell07 best practice 0.15)",
    ),
    ParameterSpec(
        "burner_efficiency",
        "dimensionless",
        "-",
        0.6,
        0.2,
        0.9,
        "share of burner heat taken up by the charge",
        "estimate: oxy-fuel burners 50-70 % in the scrap-heating phase",
    ),
    ParameterSpec(
        "post_combustion",
        "dimensionless",
        "-",
        0.3,
        0.0,
        0.8,
        "CO2/(CO+CO2) of the bath carbon gas",
        "estimate: 20-40 % in-furnace post-combustion",
    ),
    ParameterSpec(
        "oxygen_yield",
        "dimensionless",
        "-",
        0.85,
        0.5,
        1.0,
        "share of the oxygen that reacts as computed",
        "estimate: the rest leaves unreacted or burns ingress/CO beyond the PCR",
    ),
    ParameterSpec(
        "offgas_temperature",
        "temperature",
        "degC",
        1400.0,
        900.0,
        1700.0,
        "off-gas temperature at the 4th hole",
        "estimate",
    ),
    ParameterSpec(
        "heat_losses",
        "energy_per_mass",
        "GJ/t",
        0.25,
        0.0,
        1.0,
        "cooling-panel, radiation, idle-time losses per t (excluding off-gas sensible heat)",
        "estimate: calibrated to ~410 kWh/t arc energy for 100 % scrap (Worrell07 409 kWh)",
    ),
    ParameterSpec(
        "dri_time_losses",
        "energy_per_mass",
        "GJ/t",
        0.30,
        0.0,
        0.8,
        "extra time-dependent losses per t DRI charged (continuous DRI feeding lengthens power-on time)",
        "estimate: calibrated to Jacobasch21 (524 kWh/tLS for 0.87 t DRI + 0.20 t scrap)",
    ),
    ParameterSpec(
        "auxiliary_electricity",
        "electricity_per_mass",
        "MWh/t",
        0.030,
        0.0,
        0.1,
        "fume extraction and auxiliaries per t",
        "estimate: Worrell07 65 kWh/t includes ladle refining",
    ),
    ParameterSpec(
        "dust_rate", "mass_per_mass", "t/t", 0.015, 0.0, 0.03, "EAF dust per t steel", "estimate: 15-20 kg/t"
    ),
    ParameterSpec(
        "scrap_moisture",
        "mass_per_mass",
        "t/t",
        0.01,
        0.0,
        0.08,
        "water charged with the scrap, t per t dry scrap (evaporated and heated to off-gas temperature)",
        "estimate: as carriers.yaml shredded_scrap moisture (0.5-2 %)",
    ),
)


def solve(
    params: Mapping[str, float | Array], carriers: Mapping[str, CarrierProps], *, where: str = "model"
) -> PhysicsResult:
    p, shape = broadcast_parameters(PARAMETERS, params, where=where)
    s_sh, d_sh, h_sh = p["scrap_share"], p["dri_share"], p["hot_metal_share"]
    tot = s_sh + d_sh + h_sh
    infeasible(
        np.abs(tot - 1.0) > 1e-6,
        where,
        "scrap_share",
        lambda bad: f"charge shares sum to {first_bad(tot, bad):.6f}",
        "scrap_share + dri_share + hot_metal_share = 1",
    )
    g = get_carrier
    sc, dri, hm, ls, fa = (g(carriers, c, where) for c in (SCRAP, "dri", "hot_metal", "liquid_steel", "ferroalloys"))
    lime = flux_props(g(carriers, "burnt_lime", where))
    ng, cb, el = (
        g(carriers, "natural_gas", where),
        g(carriers, "coke_breeze", where),
        g(carriers, "electrodes", where),
    )
    fe_sl = num(g(carriers, "eaf_slag", where).fe_frac)
    dust = g(carriers, "dust_sludge", where)
    fe_d, c_d = num(dust.fe_frac), num(dust.c_frac)
    o_d = fe_d * 1.5 * M["O"] / M["Fe"]
    other_d = 1.0 - fe_d - c_d - o_d
    k = fe_sl * MO("FeO") / M["Fe"]
    fe_sc, c_sc = num(sc.fe_frac), num(sc.c_frac)
    sa = {kk: num(sc.analysis.get(kk, 0.0)) for kk in SCRAP_KEYS}
    fe_ox_sc = sa["Fe2O3"] * 2 * M["Fe"] / MO("Fe2O3") + sa["FeO"] * M["Fe"] / MO("FeO")
    o_ox_sc = sa["Fe2O3"] + sa["FeO"] - fe_ox_sc  # oxygen of rust and scale, t/t scrap
    fe_met_sc = num(sc.analysis.get("Fe_metallic", fe_sc - fe_ox_sc))
    # residual metals (Cu, Ni, Cr, Mn, Sn ...) and other non-metallics, by difference
    oth_sc = 1.0 - fe_sc - c_sc - o_ox_sc - sa["SiO2"] - sa["Al2O3"] - sa["CaO"] - sa["MgO"] - sa["Zn"]
    infeasible(
        (np.abs(fe_met_sc + fe_ox_sc - fe_sc) > 0.005) | (oth_sc < -1e-9),
        where,
        "carriers.shredded_scrap",
        "scrap chemistry does not sum (Fe_metallic + Fe in Fe2O3/FeO != fe_frac, or the analysis exceeds 1)",
        "analysis consistent with fe_frac within 0.005 and summing to <= 1",
    )
    oth_sc = np.maximum(oth_sc, 0.0)
    fe_dri, c_dri = num(dri.fe_frac), num(dri.c_frac)
    da = {kk: num(dri.analysis.get(kk, 0.0)) for kk in ("FeO", "SiO2", "Al2O3", "CaO", "MgO")}
    fe_in_feo = da["FeO"] * M["Fe"] / MO("FeO")
    fe_met = num(dri.analysis.get("Fe_metallic", fe_dri - fe_in_feo))
    oth_dri = 1.0 - fe_met - da["FeO"] - c_dri - da["SiO2"] - da["Al2O3"] - da["CaO"] - da["MgO"]
    infeasible(
        (np.abs(fe_met + fe_in_feo - fe_dri) > 0.01) | (oth_dri < -0.01),
        where,
        "carriers.dri",
        "DRI chemistry does not sum (Fe_metallic + Fe in FeO != fe_frac)",
        "analysis consistent with fe_frac within 0.01",
    )
    ha = {kk: num(hm.analysis.get(kk, 0.0)) for kk in ("Si", "Mn", "P", "S")}
    fe_hm, c_hm = num(hm.fe_frac), num(hm.c_frac)
    oth_hm = 1.0 - fe_hm - c_hm - sum(ha.values())
    fe_ls, c_ls = num(ls.fe_frac), num(ls.c_frac)
    oth_ls = 1.0 - fe_ls - c_ls
    fe_fa, c_fa = num(fa.fe_frac), num(fa.c_frac)
    fe_charge = s_sh * fe_sc + d_sh * fe_dri + h_sh * fe_hm
    ng_gp = gas_props(ng)
    burner_gj = p["burner_gas"] * s_sh  # burners work on the scrap
    ng_t = burner_gj / num(ng_gp["lhv_gj_per_t"])
    ng_nm3 = 1000.0 * ng_t / num(ng_gp["density_kg_per_nm3"])
    ng_atoms = gas_atoms_per_nm3(ng.volume_fractions)
    dust_t = p["dust_rate"]

    S = np.full(shape, 0.1)
    FA = np.zeros(shape)
    Mc = np.full(shape, 1.1)
    for _ in range(5):
        Mc = (fe_ls + fe_sl * S + fe_d * dust_t - fe_fa * FA) / fe_charge
        # the dust grows where the scrap's zinc (as ZnO) would exceed its non-iron gangue
        dust_t = np.maximum(p["dust_rate"], Mc * s_sh * sa["Zn"] * M_ZNO / M["Zn"] / other_d)
        Mc = (fe_ls + fe_sl * S + fe_d * dust_t - fe_fa * FA) / fe_charge
        need = oth_ls
        use_sc = np.minimum(Mc * s_sh * oth_sc, need)
        mn_ret = np.minimum(Mc * h_sh * ha["Mn"], need - use_sc)
        FA = (need - use_sc - mn_ret) / (1.0 - fe_fa - c_fa)
        mn_ox = Mc * h_sh * ha["Mn"] - mn_ret
        si_ox = Mc * h_sh * ha["Si"]
        p_ox = Mc * h_sh * ha["P"]
        m_sc = Mc * s_sh
        zno = m_sc * sa["Zn"] * M_ZNO / M["Zn"]  # zinc fumes to the dust as ZnO
        sio2_0 = Mc * d_sh * da["SiO2"] + m_sc * sa["SiO2"] + si_ox * MO("SiO2") / M["Si"]
        # the dust gangue is the scrap's ZnO, the rest taken from the lime
        cao_0 = Mc * d_sh * da["CaO"] + m_sc * sa["CaO"] - (other_d * dust_t - zno)
        L = np.maximum(
            p["lime_min"],
            (p["slag_basicity"] * sio2_0 - cao_0) / (lime["CaO"] - p["slag_basicity"] * lime["SiO2"]),
        )
        sio2 = sio2_0 + L * lime["SiO2"]
        cao = cao_0 + L * lime["CaO"]
        mgo = Mc * d_sh * da["MgO"] + m_sc * sa["MgO"] + L * lime["MgO"]
        rest = (
            Mc * d_sh * (da["Al2O3"] + oth_dri)
            + m_sc * sa["Al2O3"]
            + mn_ox * MO("MnO") / M["Mn"]
            + p_ox * MO("P2O5") / (2 * M["P"])
            + Mc * h_sh * (ha["S"] + oth_hm)
            + (Mc * s_sh * oth_sc - use_sc)
        )
        S = (sio2 + cao + mgo + rest) / (1.0 - k)
    fe_slag = fe_sl * S
    Mc = (fe_ls + fe_slag + fe_d * dust_t - fe_fa * FA) / fe_charge  # Fe closes exactly with the final slag
    m_sc = Mc * s_sh
    zno = m_sc * sa["Zn"] * M_ZNO / M["Zn"]
    infeasible(
        zno > other_d * dust_t * (1.0 + 1e-6) + 1e-12,
        where,
        "dust_rate",
        lambda bad: f"the scrap's zinc ({1000 * first_bad(zno, bad):.1f} kg ZnO/t) exceeds the dust's non-iron gangue",
        "a higher dust_rate or less zinc in carriers.shredded_scrap.analysis",
    )
    # carbon and oxygen (kmol)
    c_bath = (
        Mc * (s_sh * c_sc + d_sh * c_dri + h_sh * c_hm)
        + p["charge_carbon"] * num(cb.c_frac)
        + p["electrodes"] * num(el.c_frac)
        + FA * c_fa
        - c_ls
        - dust_t * c_d
    )
    infeasible(
        c_bath < 0,
        where,
        "charge_carbon",
        "the charge carries less carbon than the steel and dust",
        "more charge carbon",
    )
    n_c = 1000.0 * c_bath / M["C"]
    pcr = p["post_combustion"]
    o_dri = 1000.0 * Mc * d_sh * da["FeO"] / MO("FeO")
    o_scrap = 1000.0 * m_sc * (o_ox_sc / M["O"] - sa["Zn"] / M["Zn"])  # rust/scale O in, minus O to ZnO
    o_burn = ng_nm3 * (2 * ng_atoms["C"] + ng_atoms["H2"] - ng_atoms["O"])
    o_need = (
        n_c * (1 + pcr)
        + 2000.0 * si_ox / M["Si"]
        + 1000.0 * mn_ox / M["Mn"]
        + 2500.0 * p_ox / M["P"]
        + 1000.0 * fe_slag / M["Fe"]
        + 1500.0 * fe_d * dust_t / M["Fe"]
        - o_dri
        - o_scrap
        + o_burn
    )
    infeasible(
        o_need <= 0,
        where,
        "charge_carbon",
        "too little carbon to reduce the FeO of the DRI",
        "more charge carbon",
    )
    o2_t = o_need / 2.0 * thermo.species_molar_mass("O2") / 1000.0 / p["oxygen_yield"]
    # heat balance (MJ per t steel)
    T_gas = p["offgas_temperature"]
    H_hm = 1000.0 * thermo.metal_enthalpy_gj_per_t(
        {"Fe": fe_hm, "C": c_hm, **ha, "other": oth_hm}, p["hot_metal_temperature"]
    )
    h_steel = 1000.0 * thermo.metal_enthalpy_gj_per_t({"Fe": fe_ls, "C": c_ls, "other": oth_ls}, p["tap_temperature"])
    h_in = (
        Mc * h_sh * H_hm
        + Mc * d_sh * (1000.0 * da["FeO"] / MO("FeO") * HF["FeO"] + 1000.0 * DRI_CP * (p["dri_temperature"] - 25.0))
        + L * 1000.0 * lime["C"] / M["C"] * HF["CaCO3"]
        + m_sc * 1000.0 * (sa["Fe2O3"] / MO("Fe2O3") * HF["Fe2O3"] + sa["FeO"] / MO("FeO") * HF["FeO"])
        + p["burner_efficiency"] * 1000.0 * burner_gj
    )
    n_carb = L * 1000.0 * lime["C"] / M["C"]
    h_out = (
        h_steel
        + S * 1000.0 * thermo.slag_enthalpy_gj_per_t(p["tap_temperature"])
        + 1000.0 * fe_slag / M["Fe"] * HF["FeO"]
        + 1000.0 * si_ox / M["Si"] * HF["SiO2"]
        + 1000.0 * mn_ox / M["Mn"] * HF["MnO"]
        + 1000.0 * p_ox / M["P"] * HF["P2O5"] / 2
        + 1000.0 * fe_d * dust_t / (2 * M["Fe"]) * HF["Fe2O3"]
        + 1000.0 * dust_t * DUST_CP * (T_gas - 25.0)
        + n_c * ((1 - pcr) * thermo.gas_enthalpy("CO", T_gas) + pcr * thermo.gas_enthalpy("CO2", T_gas))
        + n_carb * (HF["CaO"] + thermo.gas_enthalpy("CO2", T_gas))
        + 1000.0 * (p["heat_losses"] + p["dri_time_losses"] * Mc * d_sh)
        + 1000.0 * m_sc * sa["Zn"] / M["Zn"] * HF_ZNO
        + m_sc
        * p["scrap_moisture"]
        * 1000.0
        / (2 * M["H"] + M["O"])
        * (thermo.gas_enthalpy("H2O", T_gas) - HF["H2O_l"])
    )
    e_arc = (h_out - h_in) / 1000.0  # GJ
    surplus = np.maximum(-e_arc, 0.0)
    elec = np.maximum(e_arc, 0.0) / 3.6 + p["auxiliary_electricity"]
    recipe = {
        SCRAP: -Mc * s_sh,
        "dri": -Mc * d_sh,
        "hot_metal": -Mc * h_sh,
        "ferroalloys": -FA,
        "burnt_lime": -L,
        "coke_breeze": -p["charge_carbon"],
        "electrodes": -p["electrodes"],
        "natural_gas": -ng_t,
        "oxygen": -o2_t,
        "electricity": -elec,
        "liquid_steel": np.ones(shape),
        "eaf_slag": S,
        "dust_sludge": dust_t + 0.0 * S,
    }
    recipe = {kk: shaped(v, shape) for kk, v in recipe.items()}
    c_in = sum(
        -recipe[c] * (carriers[c].c_frac if c != "natural_gas" else ng_gp["c_frac"])
        for c in (
            SCRAP,
            "dri",
            "hot_metal",
            "ferroalloys",
            "burnt_lime",
            "coke_breeze",
            "electrodes",
            "natural_gas",
        )
    )
    c_em = c_in - c_ls - dust_t * c_d
    m_in = -sum(
        v
        for kk, v in recipe.items()
        if v is not None and kk not in ("electricity", "liquid_steel", "eaf_slag", "dust_sludge")
    )
    diag = {
        "charge_t_per_t": Mc,
        "electricity_kwh_per_t": 1000.0 * elec,
        "arc_energy_gj_per_t": np.maximum(e_arc, 0.0),
        "heat_surplus_gj_per_t": surplus,
        "oxygen_nm3_per_t": o_need / 2.0 * VM / p["oxygen_yield"],
        "lime_kg_per_t": 1000.0 * L,
        "slag_kg_per_t": 1000.0 * S,
        "slag_basicity": cao / np.maximum(sio2, 1e-9),
        "slag_feo": fe_sl * MO("FeO") / M["Fe"] + 0.0 * S,
        "scrap_wet_t_per_t": m_sc * (1.0 + p["scrap_moisture"]),
        "ferroalloys_kg_per_t": 1000.0 * FA,
        "fe_yield": fe_ls / (Mc * fe_charge + fe_fa * FA),
        "carbon_emitted_t": c_em,
        "co2_t_per_t": c_em * thermo.CO2_PER_C,
        "mass_loss_t": m_in - 1.0 - S - dust_t,
    }
    diag = {kk: shaped(v, shape) for kk, v in diag.items()}
    return PhysicsResult(recipe=recipe, diagnostics=diag)


MODEL = Model("eaf", "liquid_steel", PARAMETERS, solve)
