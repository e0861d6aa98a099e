"""Sourcing data files load, and bad files are refused naming file and field (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from steelworks.errors import InputError
from steelworks.sourcing import load_sourcing
from steelworks.sourcing.data import DATA_DIR


def test_shipped_data_loads() -> None:
    d = load_sourcing()
    # psm_plant_and_context.md §6.1: berth design 3.36 Mt/yr
    assert d.legs["psm_berth"].capacity_t_per_yr == pytest.approx(3.36e6)  # type: ignore[attr-defined]
    assert {r.source for r in d.routes.values()} == set(d.sources) | set(d.beneficiation)


def _copy(tmp: Path, old: str, new: str, name: str) -> tuple[Path, Path]:
    s, lg = tmp / "sources.yaml", tmp / "logistics.yaml"
    s.write_text((DATA_DIR / "sources.yaml").read_text())
    lg.write_text((DATA_DIR / "logistics.yaml").read_text())
    target = s if name == "sources" else lg
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))
    return s, lg


def test_analysis_over_one_refused(tmp_path: Path) -> None:
    s, lg = _copy(tmp_path, "SiO2: 0.040", "SiO2: 0.400", "sources")
    with pytest.raises(InputError) as e:
        load_sourcing(s, lg)
    assert e.value.location == "sources.seaborne_fines_62.analysis" and e.value.file == str(s)


def test_zero_capacity_leg_refused(tmp_path: Path) -> None:
    s, lg = _copy(tmp_path, "capacity_t_per_yr: 3360000", "capacity_t_per_yr: 0", "logistics")
    with pytest.raises(InputError) as e:
        load_sourcing(s, lg)
    assert e.value.location == "legs.psm_berth.capacity_t_per_yr"


def test_source_without_route_refused(tmp_path: Path) -> None:
    s, lg = _copy(tmp_path, "source: chiniot_fines", "source: nokkundi_fines", "logistics")
    with pytest.raises(InputError) as e:
        load_sourcing(s, lg)
    assert e.value.location == "sources.chiniot_fines"


def test_beneficiation_recovering_more_iron_than_fed_refused(tmp_path: Path) -> None:
    """45 % yield x 63 % Fe / 35 % Fe feed = 81 % recovery; at 60 % yield it would be 108 %."""
    s, lg = _copy(tmp_path, "mass_yield: 0.45", "mass_yield: 0.60", "sources")
    with pytest.raises(InputError) as e:
        load_sourcing(s, lg)
    assert e.value.location == "beneficiation.chiniot_concentrate.mass_yield"
    assert "1.080" in e.value.message


def test_concentrate_price_from_its_recipe() -> None:
    """(15 USD/t feed + 30 kWh x 0.124 USD + 6 USD) / 0.45 = 24.72 / 0.45 = 54.93 USD/t concentrate."""
    sup = load_sourcing().supplies()["chiniot_concentrate"]
    assert sup.price_usd_per_t == pytest.approx((15 + 30 * 0.124 + 6) / 0.45, rel=1e-12)
    assert sup.capacity_t == pytest.approx(3e6 * 0.45) and sup.feed_per_t == pytest.approx(1 / 0.45)


def test_changes_of_unknown_fields_refused() -> None:
    from steelworks.sourcing.data import apply_changes

    d = load_sourcing()
    assert apply_changes(d, {"legs.instc_rail.cost_usd_per_t": 30}).legs["instc_rail"].cost_usd_per_t == 30
    with pytest.raises(InputError) as e:
        apply_changes(d, {"legs.instc_rail.speed": 3})
    assert e.value.location == "sourcing.set.legs.instc_rail.speed"
    with pytest.raises(InputError):
        apply_changes(d, {"legs.psm_berth.capacity_t_per_yr": 0})
