"""The search of the crews' plan: one OR-Tools model per crew shift (``ops.plan_operations``).

``solve_by_shift`` runs the vehicles that start together as one model, one shift after the
other; each stop goes to the first shift that can serve it. Each model stops once settled
(``SETTLE_PART`` of its time without a better plan, ``vrp.solve``), and the models share the
time limit by the number of stops each may take.

The models are OR-Tools': relief trips are pick-up-and-delivery pairs in seats, and stops need
skills, which ``vrp_pyvrp`` does not model (``KNOWN_FIELDS``); urgent tickets are brought
forward by their priority (a soft cost on the start time, ``vrp._solve_ortools``).
"""

from __future__ import annotations

import time

import numpy as np

from heatgis.routing.vrp import STALL_S, VrpProblem, VrpSolution, schedule, solve

#: a vehicle works at most this many times its fair share (and at least BALANCE_MIN_S may always be given)
BALANCE_MAX, BALANCE_MIN_S = 2.5, 4 * 3600
#: a shift's search has settled once no better plan came for this part of its time (and for as long
#: as the best took), at most ``vrp.STALL_S``
SETTLE_PART = 0.25


def solve_by_shift(veh, whole: VrpProblem, team_n, time_limit, feedback=None, on_plan=None) -> VrpSolution:
    """The routes, one crew shift after the other (the vehicles starting together form one model).

    Each model takes the stops not yet served whose window meets its vehicles' hours (a pair
    only whole), so a stop open for a day goes to the first shift that can serve it; the
    search time is shared by the number of stops. Smaller models find a first plan in time
    even over 72 hours.
    """
    tr, service, visits, starts, ends = whole.travel, whole.service, whole.visits, whole.starts, whole.ends
    shifts, windows, pairs = whole.shifts, whole.windows, whole.pairs or []
    nv = len(starts)
    routes = [[] for _ in range(nv)]
    left = set(int(i) for i in visits)
    history, status, stopped = [], [], []
    groups = sorted(set(veh["shift_start"]))
    sizes = []
    for g in groups:
        vs = [v for v in range(nv) if veh["shift_start"].iloc[v] == g]
        a0, a1 = min(shifts[v][0] for v in vs), max(shifts[v][1] for v in vs)
        sizes.append((g, vs, a0, a1))
    # the search time is shared by the stops each model may take (a stop open for a day counts in
    # every model it meets), so the models together search about ``time_limit``
    est = [sum(1 for i in left if windows[i, 0] <= a1 and windows[i, 1] >= a0) for _g, _vs, a0, a1 in sizes]
    total = max(sum(est), 1)
    t_start = time.perf_counter()
    for k, (_g, vs, a0, a1) in enumerate(sizes):
        if feedback is not None:
            feedback.check()
        cand = {i for i in left if windows[i, 0] <= a1 and windows[i, 1] >= a0}
        sub_pairs = [(a, b) for a, b in pairs if a in cand and b in cand]
        paired = {x for ab in pairs for x in ab}
        cand -= {x for x in paired & cand if not any(x in ab for ab in sub_pairs)}
        if not cand:
            continue
        cand = sorted(cand)
        sh = [shifts[v] for v in vs]
        caps = _work_caps(tr, service, cand, sh, [team_n[v] for v in vs])
        hours = [b - a for a, b in sh]
        problem = VrpProblem(
            tr,
            service,
            np.array(cand, np.int64),
            [starts[v] for v in vs],
            [ends[v] for v in vs],
            sh,
            windows,
            whole.priority,
            whole.node_skills,
            [whole.vehicle_skills[v] for v in vs],
            whole.load,
            [whole.seats[v] for v in vs],
            whole.drop_penalty,
            sub_pairs,
            caps,
            [int(min(h, max(BALANCE_MAX * c, BALANCE_MIN_S))) for c, h in zip(caps, hours)],
        )
        lo = 50 + 45 * k / len(sizes)
        spent = time.perf_counter() - t_start
        lim = max(0.2, min(time_limit * est[k] / total, time_limit * sum(est[: k + 1]) / total - spent + 0.1))
        sol = solve(
            problem,
            time_limit=lim,
            settle=min(STALL_S, SETTLE_PART * lim),
            span_cost=0,
            backend="ortools",
            feedback=None if feedback is None else feedback.sub(lo, lo + 45 / len(sizes)),
            on_plan=None if on_plan is None else _lift(on_plan, vs, nv),
        )
        for j, v in enumerate(vs):
            routes[v] = sol.routes[j]
            left -= set(sol.routes[j])
        history += sol.history
        status.append(sol.status)
        stopped.append(sol.stopped)
    st, en, tot = schedule(VrpProblem(tr, service, np.array(visits, np.int64), starts, ends, shifts, windows), routes)
    return VrpSolution(
        routes,
        sorted(left),
        tot,
        st,
        en,
        0,
        ",".join(sorted(set(status))) or "empty",
        history,
        stopped=",".join(stopped),  # per shift model: "settled" or "time limit"
    )


def _lift(on_plan, vs, nv):
    """``on_plan`` of one shift's model, with its routes placed among all vehicles."""

    def call(routes, travel_s):
        out = [[] for _ in range(nv)]
        for j, v in enumerate(vs):
            out[v] = list(routes[j])
        on_plan(out, travel_s)

    return call


def _work_caps(tr, service, visits, shifts, team_n) -> list[int]:
    """Each vehicle's fair share of the work: (service + cheapest way in to each stop) spread over the
    vehicles in proportion to their hours on duty, never above those hours."""
    if not visits:
        return [0] * len(shifts)
    v = np.asarray(visits)
    sub = tr[np.ix_(v, v)].astype(float)
    np.fill_diagonal(sub, np.inf)
    inbound = np.minimum(sub.min(axis=0), tr[:, v].min(axis=0))
    total = float(service[v].sum() + np.where(np.isfinite(inbound), inbound, 0).sum())
    hours = np.array([(b - a) if t else 0 for (a, b), t in zip(shifts, team_n)], float)
    share = total * hours / max(hours.sum(), 1.0)
    return [int(min(s, h)) for s, h in zip(share, hours)]
