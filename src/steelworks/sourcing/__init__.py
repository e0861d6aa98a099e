"""Raw-material sourcing and logistics (issue 11): sources, routes (blend optimiser: not done yet)."""

from .data import SourcingData, load_sourcing

__all__ = ["SourcingData", "load_sourcing"]
