"""Raw-material sourcing and logistics (issue 11): sources, beneficiation, routes, the yearly blend LP
(:mod:`.blend`, composable into a linopy model), its fixed point with the works' physics (:mod:`.coupling`)
and the ``steelworks source`` runs and sweeps (:mod:`.run`)."""

from .blend import BlendDemand, BlendResult, add_blend, solve_blend
from .data import SourcingData, load_sourcing

__all__ = ["BlendDemand", "BlendResult", "SourcingData", "add_blend", "load_sourcing", "solve_blend"]
