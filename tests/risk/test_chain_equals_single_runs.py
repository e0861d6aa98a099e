"""The risk engine's batched chain equals one `evaluate` per sample (issue 12: to 1e-9).

Every kind of entry of the bundled psm-default file is drawn: price factors (wildcards included),
the capital overrun, physics parameters, and the grouped plan slip and steady state; each sample is
then written as the `--set` overrides a user would type and run on its own.
"""

from __future__ import annotations

import numpy as np
import pytest

from steelworks.api import run_evaluation
from steelworks.risk.engine import bind, draws_to_values, evaluate_chunk
from steelworks.risk.sampling import correlate, mc_chunk

KPIS = ("npv_usd", "irr", "lcos_usd_per_t", "cash_cost_usd_per_t")


def _overrides(job, values, s):  # type: ignore[no-untyped-def]
    out = []
    for p in job.parameters:
        drawn = float(values[p.name][s])
        for t in p.targets:
            value = {"factor": float(t.base) * drawn, "shift": float(t.base) + drawn, "value": drawn}[p.dist.apply]
            if isinstance(t.base, int):
                text = str(round(value))
            elif t.unit and t.unit != "-":
                text = f"{value!r} {t.unit}"
            else:
                text = repr(value)
            out.append(f"{t.path}={text}")
    return out


@pytest.mark.parametrize("scenario", ["psm-bf-revival", "psm-eaf"])
def test_six_random_samples_equal_six_single_evaluations(scenario: str) -> None:
    job = bind(scenario, "psm-default", strict=False)
    u = correlate(mc_chunk(20261204, 0, 6, job.dimension), job.correlation)
    values = draws_to_values(job, u)
    batch = evaluate_chunk(job, u)
    assert batch.feasible.all(), batch.reasons
    for s in range(u.shape[0]):
        single = run_evaluation(scenario, _overrides(job, values, s)).to_dict()["kpis"]
        for key in KPIS:
            assert batch.kpis[key][s] == pytest.approx(single[key], rel=1e-9), (scenario, s, key)
    # the draws really move the answer (a batch that ignored them would match only by luck)
    assert np.ptp(batch.kpis["npv_usd"]) > 1e8
