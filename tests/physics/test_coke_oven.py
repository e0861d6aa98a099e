"""Coke ovens against published figures (process_coefficients.md §1.1, §2.4)."""

import pytest
from physics_testutil import assert_closure, load_carriers

from steelworks.errors import InputError
from steelworks.physics.base import CarrierProps
from steelworks.physics.coke_oven import MODEL


def test_defaults_match_published(carriers):
    r = MODEL.recipe({}, carriers)
    assert_closure(r, carriers)
    d = r.diagnostics
    # HTC 1.37 t coal/t coke; range 1.3-1.45 (dry coal, lump coke after breeze screening)
    assert 1.30 <= float(d["coal_t_per_t_coke"]) <= 1.45
    # ISPAT-COG/GSE/Energihandbok ~300 (300-350) Nm3 clean COG per t dry coal at 17.5 MJ/Nm3
    assert 290 <= float(d["cog_nm3_per_t_coal"]) <= 360
    assert float(d["cog_lhv_mj_per_nm3"]) == pytest.approx(17.5, abs=0.5)
    # He17: 7.29 GJ COG per t coke
    assert 6.5 <= float(d["cog_gj_per_t_coke"]) <= 9.0
    # HTC 3.72, He17 4.06 GJ/t coke underfiring (3.2-4.1)
    assert 3.2 <= -float(r.recipe["fuel_heat"]) <= 4.1
    # carriers: coke ash 11.5 % vs the ash the coal gives
    assert float(d["coke_ash_implied"]) == pytest.approx(0.115, abs=0.01)


def test_wetter_coal_needs_more_underfiring(carriers):
    dry = MODEL.recipe({"coal_moisture": 0.06}, carriers).recipe["fuel_heat"]
    wet = MODEL.recipe({"coal_moisture": 0.12}, carriers).recipe["fuel_heat"]
    assert float(wet) < float(dry)  # more heat demanded (negative coefficient)


def test_low_carbon_coal_is_rejected(carriers):
    bad = load_carriers({"coking_coal": CarrierProps(c_frac=0.55, analysis={"volatile_matter": 0.25, "ash": 0.09})})
    with pytest.raises(InputError, match="does not sum"):
        MODEL.recipe({}, bad, where="units.co.model")
