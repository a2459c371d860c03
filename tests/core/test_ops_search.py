"""The crews' plan search per shift (``ops_search``): each model holds only the fields that bind, and
goes to PyVRP when PyVRP can express it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from heatgis.routing.ops_search import _shift_model, solve_by_shift
from heatgis.routing.vrp import DROP_PENALTY, VrpProblem
from heatgis.routing.vrp_pyvrp import available, covered_by_pyvrp

SHIFT = (8 * 3600, 20 * 3600)


def instance(need=0, priority=0, window=None):
    """1 depot (node 0) and 6 visits on a line; two vehicles on one shift: v0 skill bit 1, v1 bits 1|2;
    visit 3 needs ``need``; visit 1 has ``priority``; each visit's window the shift unless ``window``."""
    n = 7
    xy = np.arange(n) * 600.0
    travel = np.abs(xy[:, None] - xy[None, :]).astype(np.int64)
    service = np.r_[0, np.full(n - 1, 1200)].astype(np.int64)
    windows = np.r_[[[-1, -1]], [[SHIFT[0], SHIFT[1] - 1200]] * (n - 1)].astype(np.int64)
    if window is not None:
        windows[2] = window
    prio = np.zeros(n, np.int64)
    prio[1] = priority
    skills = np.zeros(n, np.int64)
    skills[3] = need
    whole = VrpProblem(
        travel,
        service,
        np.arange(1, n),
        [0, 0],
        [0, 0],
        [SHIFT, SHIFT],
        windows,
        prio,
        skills,
        [1, 3],
        np.zeros(n, np.int64),
        [3, 3],
        DROP_PENALTY * (1 + prio),
        [],
    )
    veh = pd.DataFrame({"shift_start": [pd.Timestamp("2022-02-25T08:00")] * 2})
    return veh, whole


def test_a_visit_list_model_holds_only_what_binds_and_is_pyvrps():
    veh, whole = instance(need=1)  # both vehicles have bit 1
    model, _work = _shift_model(whole, list(range(1, 7)), [0, 1], [], [2, 2])
    assert model.node_skills is None and model.vehicle_skills is None
    assert model.load is None and model.seats is None and model.pairs is None and model.drop_penalty is None
    assert (model.windows[1:] == -1).all()  # the shift's own window binds nothing
    if not available():
        pytest.skip("PyVRP is not installed")
    assert covered_by_pyvrp(model)
    sol = solve_by_shift(veh, whole, [2, 2], 1.0)
    assert sol.backend == "pyvrp" and not sol.dropped


def test_a_skill_only_some_vehicles_have_stays_and_is_matched():
    veh, whole = instance(need=2)  # only v1 has bit 2
    model, _work = _shift_model(whole, list(range(1, 7)), [0, 1], [], [2, 2])
    assert model.vehicle_skills == [1, 3] and not covered_by_pyvrp(model)
    sol = solve_by_shift(veh, whole, [2, 2], 1.0)
    assert sol.backend == "ortools" and not sol.dropped
    assert 3 in sol.routes[1] and 3 not in sol.routes[0]


def test_urgency_without_a_window_of_its_own_stays_with_or_tools():
    veh, whole = instance(priority=2)
    sol = solve_by_shift(veh, whole, [2, 2], 1.0)
    assert sol.backend == "ortools"  # OR-Tools brings the urgent visit forward (a cost on its start)
    veh, whole = instance(priority=2, window=(9 * 3600, 10 * 3600))  # a real window elsewhere: still no own window
    assert solve_by_shift(veh, whole, [2, 2], 1.0).backend == "ortools"
    model, _work = _shift_model(whole, list(range(1, 7)), [0, 1], [], [2, 2])
    assert tuple(model.windows[2]) == (9 * 3600, 10 * 3600)  # a window that binds is kept
