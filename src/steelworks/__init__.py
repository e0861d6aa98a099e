"""steelworks: an integrated steel works, unit by unit, as an auditable model."""

__version__ = "0.1.0"
