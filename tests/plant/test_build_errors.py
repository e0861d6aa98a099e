"""Bad works input names the file, the field and the allowed values (plant/build.py)."""

from __future__ import annotations

import pytest

from steelworks.errors import InputError
from tests.helpers import CARRIERS, CONVERTER, FURNACE, run


def test_an_unknown_carrier_lists_every_known_one() -> None:
    furnace = dict(FURNACE, inputs={"ore": "1.95 t/t", "coal": "0.5 t/t", "unobtainium": "1 t/t"})
    with pytest.raises(InputError) as err:
        run({"furnace": furnace, "converter": CONVERTER}, {"steel": "100 t/year"}, buy=["ore", "coal"], sell=["steel"])
    assert "unknown carrier 'unobtainium'" in err.value.message
    assert err.value.allowed == ", ".join(sorted(CARRIERS))
    assert "furnace" in (err.value.location or "")


def test_demand_beyond_capacity_is_a_demand_error_naming_the_unit_and_the_shortfall() -> None:
    from steelworks.plant.solve import DemandError

    with pytest.raises(DemandError) as err:
        run({"furnace": FURNACE, "converter": CONVERTER}, {"steel": "2000 t/year"}, buy=["ore", "coal"], sell=["steel"])
    # 2000 t steel need 2080 t iron from a 1000 t/yr furnace and 2000 t from the 1000 t/yr converter
    assert err.value.message.startswith("the works cannot meet the demand: ")
    expected = "furnace needs 2,080 against an effective capacity of 1,000 /yr (208.0%, short by 1,080)"
    assert expected in err.value.message
    assert err.value.location == "demand / target"
