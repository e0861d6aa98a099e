"""The revival planner: which units to restore, rebuild or build, in which year, under a budget.

``problem_from_scenario`` -> :class:`PlanningProblem` -> ``solve_plan`` -> :class:`PlanResult`;
equations and simplifications in :mod:`steelworks.planning.model`.
"""

from steelworks.planning.model import PlanInfeasibleError, PlanResult, build, solve_plan
from steelworks.planning.problem import Action, PlanningProblem, option_plan, problem_from_scenario

__all__ = [
    "Action",
    "PlanInfeasibleError",
    "PlanResult",
    "PlanningProblem",
    "build",
    "option_plan",
    "problem_from_scenario",
    "solve_plan",
]
