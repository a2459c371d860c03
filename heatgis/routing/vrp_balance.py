"""Balanced crew plans: shortest driving first, then every route capped near the fair share.

The dispatcher's balance is the time the last crew is back (makespan). A span cost or a soft
end at an estimated share alone balances poorly within a few seconds (on the 300-stop benchmark
OR-Tools' 2 s plan had its last crew back at 1.6x the lower bound). Both backends now balance in
two phases:

1. the shortest driving (``TRAVEL_PART`` of the time limit), whose work (service + driving) over
   the crews is the balanced share (the lower bound on the makespan, or the longest single
   out-and-back trip if that is longer);
2. the same visits with every route capped at ``BALANCE_CAPS[0]`` x that share (a hard limit;
   time over the share itself costs ``span_cost`` per second, so long routes hand work to short
   ones). If at half of the remaining time the capped search still leaves out a visit the first
   phase served, the cap is relaxed to the next factor (``None``: the shift end).

The travel this costs is printed by ``benchmarks/routing.py``. ``vrp_pyvrp`` uses the same
shares and caps with PyVRP.
"""
from __future__ import annotations

import time

import numpy as np

from heatgis.routing.vrp import _solve_ortools, schedule

#: with balance, no route may run longer than this factor times the balanced share (a hard cap,
#: dropped again when it would cost a visit)
BALANCE_CAPS = (1.10, 1.25, None)
#: with balance, the part of the time limit that goes to the shortest driving (the first phase)
TRAVEL_PART = 0.25


def balanced_share(problem) -> int:
    """A lower bound on the longest crew's work (seconds) if the visits were shared evenly.

    The larger of the total work over the crews (service + cheapest inbound travel of every
    visit, divided by the crews) and the longest single out-and-back trip (the visit whose
    cheapest crew needs longest to drive there, serve it and drive back).
    """
    vis = np.asarray(problem.visits, np.int64)
    travel = np.asarray(problem.travel, dtype=float).copy()
    np.fill_diagonal(travel, np.inf)
    inbound = travel[:, vis].min(axis=0)
    service = np.asarray(problem.service, dtype=float)[vis]
    share = (service.sum() + inbound.sum()) / problem.n_vehicles
    tr = np.asarray(problem.travel, dtype=float)
    trip = (tr[np.asarray(problem.starts)][:, vis] + service + tr[vis][:, np.asarray(problem.ends)].T).min(axis=0)
    return int(max(share, trip.max()))




def work_share(problem, routes) -> int:
    """The balanced share of a plan: its service and driving over the crews (seconds).

    At least the longest single out-and-back trip of a served visit (its cheapest crew).
    """
    _, _, travel = schedule(problem, routes)
    served = np.array([x for r in routes for x in r], np.int64)
    service = np.asarray(problem.service, dtype=float)
    share = (service[served].sum() + travel) / problem.n_vehicles
    if len(served):
        tr = np.asarray(problem.travel, dtype=float)
        trip = (tr[np.asarray(problem.starts)][:, served] + service[served]
                + tr[served][:, np.asarray(problem.ends)].T).min(axis=0)
        share = max(share, trip.max())
    return int(np.ceil(share))


def solve_balanced_ortools(problem, time_limit, span_cost, initial, progress, cancel, on_plan, settle):
    """OR-Tools in the two phases above; parameters and result as ``vrp.solve``."""
    t0 = time.perf_counter()
    runs = []

    def sub(budget, **kw):
        off = time.perf_counter() - t0

        def prog(f, m):
            if progress is not None:
                progress(min(0.99, (off + f * budget) / max(time_limit, 1e-6)), m)

        sol = _solve_ortools(problem, budget, kw.pop("span", span_cost), kw.pop("initial", None), prog, cancel,
                             on_plan, settle, **kw)
        sol.history = [(off + t, tr) for t, tr in sol.history]
        runs.append(sol)
        return sol

    first = sub(TRAVEL_PART * time_limit, span=0, initial=initial)
    best = first
    if first.stopped != "canceled":
        ok = first.status == "ok"
        share = work_share(problem, first.routes) if ok else balanced_share(problem)
        drops = len(first.dropped) if ok else 0
        for cap in BALANCE_CAPS:
            left = time_limit - (time.perf_counter() - t0)
            if left <= 0.01:
                break
            got = sub(left, share=share, cap=cap, give_up=None if cap is None else left / 2, drops=drops)
            if got.status == "ok" and (best.status != "ok" or len(got.dropped) <= drops):
                best = got
                if len(got.dropped) <= drops:
                    break
            if got.stopped == "canceled":
                break
    best.history = [h for r in runs for h in r.history]
    best.iterations = sum(r.iterations for r in runs)
    best.stopped = runs[-1].stopped if runs[-1].stopped != "gave up" else "time limit"
    if progress is not None:
        progress(1.0, f"plan done: {sum(map(len, best.routes))} visits, {best.travel_s / 3600:.1f} h driving")
    return best
