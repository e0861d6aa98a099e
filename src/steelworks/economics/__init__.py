"""The money side: price decks, capital plans, operating costs, cash flows, finance, country view.

Entry points (see :mod:`steelworks.economics.evaluate`)::

    from steelworks.economics import PlantYear, evaluate, compare
    result = evaluate(plant_year, "psm-bf-revival", prices="pk-2025")
    result.to_dict()

Batch use (risk analysis): ``model, _ = build_model(plant_year, load_inputs(...))`` once, then
``cashflow.run(model, Samples(...))`` with arrays of shape ``(S,)`` / ``(S, C)``.
"""

from steelworks.economics.cashflow import CashFlowModel, Samples, run
from steelworks.economics.evaluate import (
    EconomicsResult,
    Inputs,
    PlantYear,
    build_model,
    compare,
    evaluate,
    evaluate_inputs,
    load_inputs,
    placeholder_plant_year,
)

__all__ = [
    "CashFlowModel",
    "EconomicsResult",
    "Inputs",
    "PlantYear",
    "Samples",
    "build_model",
    "compare",
    "evaluate",
    "evaluate_inputs",
    "load_inputs",
    "placeholder_plant_year",
    "run",
]
