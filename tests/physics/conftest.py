from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from physics_testutil import load_carriers


@pytest.fixture(scope="session")
def carriers():
    return load_carriers()
