"""Process physics: one pure, vectorised model per process kind, and thermochemistry.

:data:`MODELS` maps the ``kind`` of a unit's ``model:`` section to the model object; every model
has ``name``, ``main_product``, ``PARAMETERS`` (a table of
:class:`~steelworks.physics.base.ParameterSpec`) and
``recipe(params, carriers, *, where="model") -> PhysicsResult``.
"""

from __future__ import annotations

from steelworks.physics import blast_furnace, blower, coke_oven, converter, dri, eaf, sinter
from steelworks.physics.base import ProcessModel

MODELS: dict[str, ProcessModel] = {
    "blast_furnace": blast_furnace.MODEL,
    "converter": converter.MODEL,
    "coke_oven": coke_oven.MODEL,
    "sinter": sinter.MODEL,
    "dri": dri.MODEL,
    "eaf": eaf.MODEL,
    "blower": blower.MODEL,
}

__all__ = ["MODELS"]
