"""The vehicle-routing backends (PyVRP and OR-Tools): optimum, balance, settle, dispatch."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pytest

from heatgis.errors import Feedback
from heatgis.routing.vrp import VrpProblem, schedule, solve
from heatgis.routing.vrp_pyvrp import covered_by_pyvrp, work_share

pytest.importorskip("pyvrp")

BACKENDS = ("pyvrp", "ortools")


def _small():
    """Two crews (depots 0 and 1, shift 0-3 h), 6 visits, asymmetric travel, two time windows."""
    rng = np.random.default_rng(11)
    n = 8
    xy = rng.uniform(0, 6000, (n, 2))
    tr = np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1)) / 10
    tr = (tr * rng.uniform(1.0, 1.3, (n, n))).astype(np.int64)  # one-way streets: not symmetric
    np.fill_diagonal(tr, 0)
    service = np.r_[0, 0, np.full(n - 2, 600)].astype(np.int64)
    windows = np.full((n, 2), -1, np.int64)
    windows[3] = (3600, 4200)  # visit 3 must start between 1:00 and 1:10
    windows[6] = (0, 900)  # visit 6 in the first quarter hour
    return VrpProblem(tr, service, np.arange(2, n), [0, 1], [0, 1], [(0, 3 * 3600)] * 2, windows)


def _brute_force(prob):
    """The least travel over every split of the visits between the two crews and every order."""
    best = None
    visits = [int(v) for v in prob.visits]
    for perm in itertools.permutations(visits):
        for k in range(len(perm) + 1):
            routes = [list(perm[:k]), list(perm[k:])]
            st, en, tot = schedule(prob, routes)
            ok = all(e <= prob.shifts[v][1] for v, e in enumerate(en))
            ok = ok and all(
                prob.windows[x, 0] < 0 or t <= prob.windows[x, 1] for r, s in zip(routes, st) for x, t in zip(r, s)
            )
            if ok and (best is None or tot < best):
                best = tot
    return best


@pytest.mark.parametrize("backend", BACKENDS)
def test_small_instance_solved_to_its_known_optimum(backend):
    prob = _small()
    best = _brute_force(prob)
    sol = solve(prob, 5.0, span_cost=0, backend=backend)
    assert sol.backend == backend and sol.status == "ok" and not sol.dropped
    assert sol.travel_s == best
    # the schedule it reports keeps the windows and the shifts
    for r, st in zip(sol.routes, sol.starts_s):
        for x, t in zip(r, st):
            assert prob.windows[x, 0] < 0 or prob.windows[x, 0] <= t <= prob.windows[x, 1]
    assert all(e <= 3 * 3600 for e in sol.ends_s)


def _ring(n_visits=48, crews=4):
    """One central depot, visits evenly on two rings: every crew's fair share is the same."""
    ang = np.linspace(0, 2 * np.pi, n_visits // 2, endpoint=False)
    xy = np.r_[
        [[0.0, 0.0]],
        np.c_[3000 * np.cos(ang), 3000 * np.sin(ang)],
        np.c_[6000 * np.cos(ang + 0.1), 6000 * np.sin(ang + 0.1)],
    ]
    tr = (np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1)) / 8).astype(np.int64)
    service = np.r_[0, np.full(n_visits, 900)].astype(np.int64)
    return VrpProblem(tr, service, np.arange(1, n_visits + 1), [0] * crews, [0] * crews, [(0, 12 * 3600)] * crews)


@pytest.mark.parametrize("backend", BACKENDS)
def test_balance_brings_the_last_crew_back_near_the_lower_bound(backend):
    prob = _ring()
    drive = solve(prob, 3.0, span_cost=0, backend=backend)
    bal = solve(prob, 3.0, span_cost=1, backend=backend)
    assert drive.backend == bal.backend == backend
    assert not bal.dropped and not drive.dropped
    # lower bound: all the work (service + the least driving found) shared evenly by the crews
    lb = (prob.service.sum() + min(drive.travel_s, bal.travel_s)) / prob.n_vehicles
    assert max(bal.ends_s) <= 1.15 * lb
    assert max(drive.ends_s) > 1.5 * lb  # driving alone leaves crews idle: balance is what changed
    assert work_share(prob, drive.routes) == pytest.approx(
        (prob.service.sum() + drive.travel_s) / prob.n_vehicles, abs=1
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_search_stops_once_settled(backend):
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 5000, (6, 2))
    tr = (np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1)) / 10).astype(np.int64)
    prob = VrpProblem(tr, np.r_[0, np.full(5, 600)], np.arange(1, 6), [0], [0], [(0, 8 * 3600)])
    sol = solve(prob, 60.0, span_cost=0, backend=backend)
    assert sol.backend == backend and sol.stopped == "settled" and not sol.dropped
    unsettled = solve(prob, 1.0, span_cost=0, backend=backend, settle=None)
    assert unsettled.stopped == "time limit" and unsettled.travel_s == sol.travel_s


def test_cancel_stops_pyvrp():
    prob = _ring(24, 2)
    stop = Feedback()
    stop.cancel()
    sol = solve(prob, 60.0, backend="pyvrp", feedback=stop)
    assert sol.stopped == "canceled" and sol.backend == "pyvrp"


def test_what_pyvrp_does_not_cover_goes_to_ortools():
    prob = _small()
    assert covered_by_pyvrp(prob)
    urgent = VrpProblem(
        prob.travel,
        prob.service,
        prob.visits,
        prob.starts,
        prob.ends,
        prob.shifts,
        prob.windows,
        np.r_[0, 0, 1, 0, 0, 0, 0, 0],
    )
    assert not covered_by_pyvrp(urgent)
    assert solve(urgent, 0.5).backend == "ortools"
    with pytest.raises(ValueError):
        solve(urgent, 0.5, backend="pyvrp")

    @dataclass
    class WithSkills(VrpProblem):  # a field this backend does not know (another branch adds such)
        skills: object = None

    unknown = WithSkills(
        prob.travel,
        prob.service,
        prob.visits,
        prob.starts,
        prob.ends,
        prob.shifts,
        prob.windows,
        skills=np.ones(8, np.int64),
    )
    assert not covered_by_pyvrp(unknown) and solve(unknown, 0.5).backend == "ortools"
    unset = WithSkills(prob.travel, prob.service, prob.visits, prob.starts, prob.ends, prob.shifts, prob.windows)
    assert covered_by_pyvrp(unset) and solve(unset, 0.5).backend == "pyvrp"


def test_pyvrp_starts_from_given_routes_and_streams_plans():
    prob = _ring(24, 2)
    first = solve(prob, 1.0, span_cost=0)
    seen = []
    again = solve(prob, 0.5, span_cost=0, initial=first.routes, on_plan=lambda r, t: seen.append(t))
    assert again.backend == "pyvrp" and again.travel_s <= first.travel_s
    assert seen and seen[-1] == again.travel_s


@pytest.mark.parametrize("backend", BACKENDS)
def test_balance_with_windows_and_crews_that_start_late(backend):
    """Crews that start later (a re-plan: from their last stop) and visits with 1-hour windows."""
    rng = np.random.default_rng(3)
    n = 60
    xy = rng.uniform(0, 20000, (n, 2))
    tr = (np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1)) / 9).astype(np.int64)
    win = np.full((n, 2), -1, np.int64)
    for i in range(5, n, 3):
        a = int(rng.integers(0, 8 * 3600))
        win[i] = (a, a + 3600)
    shifts = [(0, 12 * 3600)] * 3 + [(2 * 3600, 12 * 3600), (3600, 10 * 3600)]
    visits = np.array([i for i in range(3, n) if i not in (10, 11)])
    prob = VrpProblem(
        tr,
        np.r_[np.zeros(3), np.full(n - 3, 1500)].astype(np.int64),
        visits,
        [0, 1, 2, 10, 11],
        [0, 1, 2, 0, 1],
        shifts,
        win,
    )
    drive = solve(prob, 2.0, span_cost=0, backend=backend)
    bal = solve(prob, 2.0, span_cost=1, backend=backend)
    assert not bal.dropped and bal.backend == backend
    for r, st in zip(bal.routes, bal.starts_s):
        assert all(win[x, 0] < 0 or win[x, 0] <= t <= win[x, 1] for x, t in zip(r, st))
    assert all(e <= s1 for e, (_, s1) in zip(bal.ends_s, shifts))
    # the lower bound (with the driving plan's travel): the even share of the work, or the latest window + its trip
    lb = work_share(prob, drive.routes)
    assert max(bal.ends_s) <= 1.15 * lb < max(drive.ends_s)


def test_urgent_visits_with_a_window_go_to_pyvrp_and_win_the_conflict():
    # one crew, two visits whose windows allow only one of them: the urgent one (prize x(1+p)) is kept
    tr = np.array([[0, 300, 300], [300, 0, 900], [300, 900, 0]], np.int64)
    windows = np.array([[-1, -1], [0, 600], [0, 600]], np.int64)
    for urgent in (1, 2):
        pr = np.zeros(3, np.int64)
        pr[urgent] = 2
        prob = VrpProblem(tr, np.r_[0, 1200, 1200], np.array([1, 2]), [0], [0], [(0, 4 * 3600)], windows, pr)
        assert covered_by_pyvrp(prob)
        sol = solve(prob, 0.5, span_cost=0)
        assert sol.backend == "pyvrp" and sol.routes == [[urgent]] and sol.dropped == [3 - urgent]
        assert 0 <= sol.starts_s[0][0] <= 600
        ort = solve(prob, 0.5, span_cost=0, backend="ortools")
        assert ort.routes == sol.routes  # the same choice as OR-Tools
