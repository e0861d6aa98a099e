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
