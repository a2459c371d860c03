"""The search of the crews' plan: one routing model per crew shift (``ops.plan_operations``).

``solve_by_shift`` runs the vehicles that start together as one model, one shift after the
other; each stop goes to the first shift that can serve it. Each model stops once settled
(``SETTLE_PART`` of its time without a better plan, ``vrp.solve``), and the models share the
time limit by the number of stops each may take.

Each model holds only the fields that bind for its stops and vehicles (``_shift_model``): seats
and pairs only with relief trips, skills only when some vehicle lacks one a stop needs, drop
penalties only when not the default, a window only when it is narrower than the vehicles' shift.
A model PyVRP can express (``vrp_pyvrp.covered_by_pyvrp``: a visit list, tickets without skills
...) goes to PyVRP (``vrp.solve(backend="auto")``; it drives less in the same time on the
300-stop benchmark) and shares the work with PyVRP's own balance (every route capped near the
work share, ``vrp_balance``); the others (relief trips in seats, skills, patrols' lower
penalties, urgent visits without a window of their own, which OR-Tools brings forward by a
soft cost on the start time) are OR-Tools' with each vehicle's work share (``work_cap``,
``work_max``) when balance is asked (``span_cost`` > 0).
"""

from __future__ import annotations

import time

import numpy as np

from heatgis.routing.vrp import DROP_PENALTY, STALL_S, VrpProblem, VrpSolution, schedule, solve
from heatgis.routing.vrp_pyvrp import covered_by_pyvrp

#: a vehicle works at most this many times its fair share (and at least BALANCE_MIN_S may always be given)
BALANCE_MAX, BALANCE_MIN_S = 2.5, 4 * 3600
#: a shift's search has settled once no better plan came for this part of its time (and for as long
#: as the best took), at most ``vrp.STALL_S``
SETTLE_PART = 0.25


def solve_by_shift(
    veh, whole: VrpProblem, team_n, time_limit, feedback=None, on_plan=None, span_cost: int = 1
) -> VrpSolution:
    """The routes, one crew shift after the other (the vehicles starting together form one model).

    Each model takes the stops not yet served whose window meets its vehicles' hours (a pair
    only whole), so a stop open for a day goes to the first shift that can serve it; the
    search time is shared by the number of stops. Smaller models find a first plan in time
    even over 72 hours. ``span_cost`` > 0 shares the work among each model's vehicles (module
    docstring). The solution's ``backend`` names the solvers of the models ("pyvrp", "ortools",
    "ortools,pyvrp"; "none" when no model had a stop).
    """
    tr, service, visits, starts, ends = whole.travel, whole.service, whole.visits, whole.starts, whole.ends
    shifts, windows, pairs = whole.shifts, whole.windows, whole.pairs or []
    nv = len(starts)
    routes = [[] for _ in range(nv)]
    left = set(int(i) for i in visits)
    history, status, stopped, backends = [], [], [], []
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
        teams = [team_n[v] for v in vs]
        problem, work = _shift_model(whole, cand, vs, sub_pairs, teams)
        # a vehicle without a team has a work share of 0, which only OR-Tools' work_cap keeps
        if not all(teams) or (span_cost and not covered_by_pyvrp(problem)):
            problem.work_cap, problem.work_max = work  # OR-Tools' work sharing (span_cost 0 below)
        lo = 50 + 45 * k / len(sizes)
        spent = time.perf_counter() - t_start
        lim = max(0.2, min(time_limit * est[k] / total, time_limit * sum(est[: k + 1]) / total - spent + 0.1))
        sol = solve(
            problem,
            time_limit=lim,
            settle=min(STALL_S, SETTLE_PART * lim),
            span_cost=0 if problem.work_cap is not None else span_cost,
            backend="auto",
            feedback=None if feedback is None else feedback.sub(lo, lo + 45 / len(sizes)),
            on_plan=None if on_plan is None else _lift(on_plan, vs, nv),
        )
        for j, v in enumerate(vs):
            routes[v] = sol.routes[j]
            left -= set(sol.routes[j])
        history += sol.history
        status.append(sol.status)
        stopped.append(sol.stopped)
        backends.append(sol.backend)
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
        backend=",".join(sorted(set(backends))) or "none",
        stopped=",".join(stopped),  # per shift model: "settled" or "time limit"
    )


def _shift_model(whole: VrpProblem, cand, vs, pairs, teams) -> tuple[VrpProblem, tuple[list, list]]:
    """The model of one shift's vehicles ``vs`` and stops ``cand`` with only the fields that bind,
    and the vehicles' work shares (``work_cap``, ``work_max``) for OR-Tools' balance.

    Left out, as they change nothing: seats and loads without relief pairs (the other stops load
    nothing), skills when every vehicle has those of every stop, drop penalties when all are the
    default (``DROP_PENALTY * (1 + priority)``), and a stop's window when it holds every start
    the vehicles' shifts allow (from the earliest shift start to the latest end less its service).
    """
    sh = [whole.shifts[v] for v in vs]
    c = np.asarray(cand, np.int64)
    windows = whole.windows
    if windows is not None:
        lo, hi = min(a for a, _ in sh), max(b for _, b in sh)
        free = (windows[c, 0] <= lo) & (windows[c, 1] >= hi - np.asarray(whole.service)[c])
        if free.any():
            windows = np.array(windows, copy=True)
            windows[c[free]] = -1
    skills = vskills = None
    if whole.node_skills is not None and whole.vehicle_skills is not None:
        vskills = [int(whole.vehicle_skills[v]) for v in vs]
        need = [int(x) for x in np.asarray(whole.node_skills)[c]]
        if all(m & r == r for r in need for m in vskills):
            vskills = None
        else:
            skills = whole.node_skills
    load = seats = None
    if pairs and whole.load is not None and whole.seats is not None:
        load, seats = whole.load, [whole.seats[v] for v in vs]
    pen = whole.drop_penalty
    if pen is not None:
        pr = np.zeros(len(whole.travel), np.int64) if whole.priority is None else np.asarray(whole.priority)
        if (np.asarray(pen)[c] == DROP_PENALTY * (1 + pr[c])).all():
            pen = None
    problem = VrpProblem(
        whole.travel,
        whole.service,
        c,
        [whole.starts[v] for v in vs],
        [whole.ends[v] for v in vs],
        sh,
        windows,
        whole.priority,
        skills,
        vskills,
        load,
        seats,
        pen,
        list(pairs) or None,
    )
    caps = _work_caps(whole.travel, whole.service, cand, sh, teams)
    hours = [b - a for a, b in sh]
    return problem, (caps, [int(min(h, max(BALANCE_MAX * cap, BALANCE_MIN_S))) for cap, h in zip(caps, hours)])


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
