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
