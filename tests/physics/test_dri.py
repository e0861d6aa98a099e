"""Direct reduction against published figures (process_coefficients.md §1.11)."""

import pytest
from physics_testutil import assert_closure

from steelworks.physics.dri import MODEL


def test_natural_gas_plant(carriers):
    r = MODEL.recipe({}, carriers)
    assert_closure(r, carriers)
    d = r.diagnostics
    assert float(d["natural_gas_gj_per_t"]) == pytest.approx(9.7)  # Holling17
    assert -float(r.recipe["natural_gas"]) == pytest.approx(0.205, abs=0.01)  # Jacobasch21: 0.205 t NG/tDRI
    assert 0.080 <= -float(r.recipe["electricity"]) <= 0.100  # Holling17 80, Benavides24 91 kWh/t
    # Sandbag: ~0.5 t CO2/tDRI typical NG-DRI (JRC EU 0.39)
    assert 0.38 <= float(d["co2_t_per_t"]) <= 0.55
    # Jacobasch21 1.28, Rechberger20 1.39 t pellets/tDRI
    assert 1.25 <= float(d["pellets_t_per_t"]) <= 1.45


def test_hydrogen_shaft(carriers):
    r = MODEL.recipe({"hydrogen_share": 1.0}, carriers)
    assert_closure(r, carriers)
    d = r.diagnostics
    # Holling17 57, Otto17 56.5, Rechberger20 67, Jacobasch21 66 kg H2/tDRI; 50-67 brief
    assert 50 <= float(d["hydrogen_kg_per_t"]) <= 67
    assert float(d["co2_t_per_t"]) == pytest.approx(0.0, abs=1e-12)  # NG only carburises
    # Agora23: ~50 Nm3 NG per t (for carburising)
    assert 0.3 <= float(d["natural_gas_gj_per_t"]) <= 2.5
