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

from heatgis.routing.vrp import _solve_ortools, plan_done_text, schedule

#: with balance, no route may run longer than this factor times the balanced share (a hard cap,
#: dropped again when it would cost a visit)
BALANCE_CAPS = (1.10, 1.25, 1.5, None)
#: with balance, the part of the time limit that goes to the shortest driving (the first phase)
TRAVEL_PART = 0.25


def _offsets(problem) -> np.ndarray:
    """Each crew's shift start after the earliest one (seconds)."""
    s0 = np.array([s for s, _ in problem.shifts], dtype=float)
    return s0 - s0.min()


def _share(problem, visits, work) -> int:
    """The common return time (seconds after the earliest shift start) that shares ``work`` evenly.

    Every crew back at the same time T means sum over crews of (T - its start) = the work, so no
    plan brings its last crew back before T. Nor before the longest single trip: the visit whose
    best crew needs longest to start, drive there, wait for its window, serve it and drive back.
    """
    off = _offsets(problem)
    share = (work + off.sum()) / problem.n_vehicles
    if len(visits):
        tr = np.asarray(problem.travel, dtype=float)
        service = np.asarray(problem.service, dtype=float)[visits]
        arrive = off[:, None] + tr[np.asarray(problem.starts)][:, visits]
        if problem.windows is not None:
            origin = min(s for s, _ in problem.shifts)
            w0 = np.asarray(problem.windows, dtype=float)[visits, 0]
            arrive = np.maximum(arrive, np.where(w0 >= 0, w0 - origin, 0.0))
        trip = (arrive + service + tr[visits][:, np.asarray(problem.ends)].T).min(axis=0)
        share = max(share, trip.max())
    return int(np.ceil(share))


def balanced_share(problem) -> int:
    """Estimated balanced return time (after the earliest shift start) before any plan exists.

    The work is the service plus each visit's cheapest inbound leg (see :func:`_share`).
    """
    vis = np.asarray(problem.visits, np.int64)
    travel = np.asarray(problem.travel, dtype=float).copy()
    np.fill_diagonal(travel, np.inf)
    work = np.asarray(problem.service, dtype=float)[vis].sum() + travel[:, vis].min(axis=0).sum()
    return _share(problem, vis, work)


def work_share(problem, routes) -> int:
    """The balanced return time of a plan (seconds after the earliest shift start).

    Its service and driving shared evenly (see :func:`_share`): with equal shifts, the plan's
    work over the crews, the lower bound on its last crew's return.
    """
    _, _, travel = schedule(problem, routes)
    served = np.array([x for r in routes for x in r], np.int64)
    return _share(problem, served, np.asarray(problem.service, dtype=float)[served].sum() + travel)


def route_limits(problem, share, cap):
    """Per crew: (soft, hard) seconds of route after its own shift start for a balanced return.

    ``share`` and ``cap`` as in :data:`BALANCE_CAPS`; ``cap`` None = the shift end.
    """
    origin = min(s for s, _ in problem.shifts)
    out = []
    for s0, s1 in problem.shifts:
        hard = s1 if cap is None else max(s0, min(origin + int(cap * share), s1))
        soft = max(s0, min(origin + share, hard))
        out.append((int(soft - s0), int(hard - s0)))
    return out


def solve_balanced_ortools(problem, time_limit, span_cost, initial, progress, cancel, on_plan, settle):
    """OR-Tools in the two phases above; parameters and result as ``vrp.solve``."""
    t0 = time.perf_counter()
    runs = []

    def sub(budget, **kw):
        off = time.perf_counter() - t0

        def prog(f, m):
            if progress is not None:
                progress(min(0.99, (off + f * budget) / max(time_limit, 1e-6)), m)

        sol = _solve_ortools(
            problem, budget, kw.pop("span", span_cost), kw.pop("initial", None), prog, cancel, on_plan, settle, **kw
        )
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
        progress(1.0, plan_done_text(sum(map(len, best.routes)), best.travel_s))
    return best
