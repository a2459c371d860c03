"""The crew plan solved with PyVRP (iterated local search), for the instances it covers.

``vrp.solve`` sends a problem here when :func:`covered_by_pyvrp` says PyVRP can express all of
it: the travel-time matrix, service times, each crew's start and end node and shift window,
visit time windows, and optional visits (each dropped only at a prize far above any route
cost). Anything else (urgent visits with a soft start-time cost, or any model field added to
``VrpProblem`` that this module does not know: skills, loads, per-node penalties ...) stays
with OR-Tools.

Why PyVRP: on the 300-stop, 15-crew benchmark (20 min service, 12 h shifts) it drives 11.35 h
after 2 s on an idle machine (11.56 h on a loaded one) where OR-Tools' guided local search drives
11.72-11.99 h; the best known is 11.16 h (PyVRP, 30 s). It is as good on the demo's small
instances, and it keeps the GUI thread responsive (at most ~50 ms without the GIL, OR-Tools
~350 ms). ``benchmarks/routing.py`` prints the comparison.

The model
---------
* Locations are the depots (unique start/end nodes) then the visits; the travel matrix is both
  PyVRP's distance (the cost) and its duration. Crews with the same start, end and shift are one
  vehicle type with that many vehicles. The search starts from the nearest-neighbour plan
  (milliseconds; PyVRP's own random start + full local search takes ~0.2 s on 300 stops).
* Balance (``span_cost`` > 0) in the two phases of ``vrp_balance``: the shortest driving first,
  then every route capped at 1.10x that plan's work share, its shift duration the share and the
  time over it overtime at ``span_cost`` per second (relaxed to 1.25x, then the shift end, when
  the cap would leave a visit out).
* The search stops at the time limit, on cancel, or once it has settled: no better plan for
  ``settle`` seconds and for as long as the best took (the rule OR-Tools uses in ``vrp.solve``),
  and for at least ``HISTORY`` iterations (PyVRP's late acceptance compares with the plan that
  many iterations back, so fewer say nothing).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from heatgis.routing.vrp import DROP_PENALTY, VrpSolution, nearest_neighbour, plan_done_text, plan_text, schedule
from heatgis.routing.vrp_balance import (
    BALANCE_CAPS,
    TRAVEL_PART,
    balanced_share,
    route_limits,
    work_share,
)

#: fields of VrpProblem this backend understands; any other field that is set sends the
#: problem to OR-Tools
KNOWN_FIELDS = frozenset({"travel", "service", "visits", "starts", "ends", "shifts", "windows", "priority"})
#: at most this often (seconds) a better plan is streamed to ``on_plan``/``progress``
STREAM_EVERY_S = 0.1
#: PyVRP's late-acceptance history (iterations); the search has not settled before this many
#: iterations without a better plan
HISTORY = 300


def available() -> bool:
    """True when PyVRP can be imported."""
    try:
        import pyvrp  # noqa: F401
    except ImportError:
        return False
    return True


def _unused(value) -> bool:
    if value is None:
        return True
    try:
        return len(value) == 0
    except TypeError:
        return False


def covered_by_pyvrp(problem) -> bool:
    """Whether PyVRP can solve ``problem`` as it is modelled (else OR-Tools does).

    Parameters
    ----------
    problem : VrpProblem

    Returns
    -------
    bool
        False when PyVRP is not installed, when an urgent visit (``priority`` > 0) has no time
        window of its own, or when any field outside ``KNOWN_FIELDS`` is set (not None and not
        empty).

    Notes
    -----
    Urgency: PyVRP (0.14) has hard time windows and prizes but no cost on a visit's start time,
    which is how OR-Tools brings an urgent visit forward (a soft upper bound at the shift start,
    ``priority`` per second). An urgent visit *with* a window (a ticket's deadline, a place's
    relief window) is covered: the window bounds when it is served, and its prize grows with the
    priority (``DROP_PENALTY * (1 + priority)``), so it is never left out for a less urgent one.
    An urgent visit without a window would lose its "as soon as possible" under PyVRP, so such a
    problem goes to OR-Tools. (Making it mandatory, ``required=True``, is not used: a visit that
    cannot be served would make the whole PyVRP plan infeasible instead of being listed.)
    """
    if not available():
        return False
    for f in dataclasses.fields(problem):
        if f.name not in KNOWN_FIELDS and not _unused(getattr(problem, f.name)):
            return False
    pr = problem.priority
    if pr is None or not len(problem.visits):
        return True
    vis = np.asarray(problem.visits)
    urgent = vis[np.asarray(pr)[vis] > 0]
    if not len(urgent):
        return True
    return problem.windows is not None and bool((np.asarray(problem.windows)[urgent, 0] >= 0).all())


def _build(problem, span_cost=0, share=None, cap=None):
    """ProblemData, the node of each location, and the vehicle type and crews of each type."""
    from pyvrp import Client, Depot, Location, ProblemData, VehicleType

    depots = list(dict.fromkeys([int(x) for x in problem.starts] + [int(x) for x in problem.ends]))
    visits = [int(x) for x in problem.visits]
    nodes = depots + visits
    d_idx = {x: k for k, x in enumerate(depots)}
    horizon = int(max(e for _, e in problem.shifts))
    pr = problem.priority
    clients = []
    for k, node in enumerate(visits):
        lo, hi = 0, horizon
        if problem.windows is not None and problem.windows[node, 0] >= 0:
            lo = max(int(problem.windows[node, 0]), 0)
            hi = max(min(int(problem.windows[node, 1]), horizon), 0)
        prize = int(DROP_PENALTY * (1 + (int(pr[node]) if pr is not None else 0)))
        clients.append(
            Client(
                len(depots) + k,
                service_duration=int(problem.service[node]),
                tw_early=lo,
                tw_late=hi,
                prize=prize,
                required=False,
            )
        )
    groups: dict = {}
    for v in range(problem.n_vehicles):
        s0, s1 = (int(x) for x in problem.shifts[v])
        groups.setdefault((int(problem.starts[v]), int(problem.ends[v]), s0, s1), []).append(v)
    limits = route_limits(problem, share, cap) if span_cost and share is not None else None
    types = []
    for (a, b, s0, s1), crews in groups.items():
        kw = {}
        if limits is not None:
            soft, hard = limits[crews[0]]
            # the crew leaves at its shift start (waiting on the way counts): the route's duration is
            # then its return time, which is what the cap and the overtime are about
            kw = {
                "shift_duration": soft,
                "max_overtime": hard - soft,
                "unit_overtime_cost": int(span_cost),
                "start_late": s0,
            }
        types.append(VehicleType(len(crews), start_depot=d_idx[a], end_depot=d_idx[b], tw_early=s0, tw_late=s1, **kw))
    m = np.ascontiguousarray(np.asarray(problem.travel, dtype=np.int64)[np.ix_(nodes, nodes)])
    data = ProblemData(
        [Location(0, 0) for _ in nodes], clients, [Depot(k) for k in range(len(depots))], types, [m], [m]
    )
    return data, nodes, len(depots), list(groups.values())


def _routes(solution, nodes, n_dep, crews_of_type, nv):
    routes = [[] for _ in range(nv)]
    taken = [0] * len(crews_of_type)
    for r in solution.routes():
        t = r.vehicle_type()
        v = crews_of_type[t][taken[t]]
        taken[t] += 1
        routes[v] = [nodes[n_dep + a.idx] for a in r if a.is_client()]
    return routes


def _initial(data, initial, problem, nodes, n_dep, crews_of_type):
    from pyvrp import Route, Solution

    client = {x: k for k, x in enumerate(nodes[n_dep:])}
    type_of = {v: t for t, crews in enumerate(crews_of_type) for v in crews}
    routes = []
    for v, r in enumerate(initial):
        vis = [client[int(x)] for x in r if int(x) in client]
        if vis and v < problem.n_vehicles:
            routes.append(Route(data, vis, type_of[v]))
    try:
        return Solution(data, routes)
    except (ValueError, RuntimeError):  # e.g. a visit twice: start from scratch
        return None


def solve_pyvrp(
    problem,
    time_limit: float = 2.0,
    span_cost: int = 1,
    initial=None,
    progress=None,
    cancel=None,
    on_plan=None,
    settle: float | None = 0.5,
    seed: int = 0,
) -> VrpSolution:
    """Solve the crew plan with PyVRP; same parameters and result as :func:`vrp.solve`.

    Parameters
    ----------
    problem : VrpProblem
        A problem :func:`covered_by_pyvrp` accepts (with at least one crew and one visit).
    time_limit, span_cost, initial, progress, cancel, on_plan, settle
        As in :func:`heatgis.routing.vrp.solve`.
    seed : int
        PyVRP's random seed.

    Returns
    -------
    VrpSolution
        ``backend`` "pyvrp", ``stopped`` "settled", "time limit" or "canceled", ``iterations`` the
        local-search iterations run.
    """
    search = _Search(problem, time_limit, progress, cancel, on_plan, settle, seed)
    if initial is None:  # a start in milliseconds (see the module docstring)
        initial = nearest_neighbour(problem).routes
    data, *maps = _build(problem)
    if not span_cost:
        return search.result(search.run(data, maps, initial, time_limit))
    # balance, in two phases: the shortest driving first (TRAVEL_PART of the time), whose work
    # over the crews is the balanced share; then the same visits with every route capped at
    # BALANCE_CAPS[0] x the share (over the share costs span_cost per second), the cap relaxed
    # to the next factor when the capped search still leaves out more visits at its checkpoint
    first = search.run(data, maps, initial, TRAVEL_PART * time_limit)
    if search.stopped == "canceled":
        return search.result(first)
    share = work_share(problem, first[0]) if first is not None else balanced_share(problem)
    drops = len(first[1]) if first is not None else 0
    best, start = first, (first[0] if first is not None else initial)
    for cap in BALANCE_CAPS:
        if search.now() >= time_limit:
            break
        data, *maps = _build(problem, span_cost, share, cap)
        left = time_limit - search.now()
        got = search.run(
            data, maps, start, time_limit, give_up=None if cap is None else search.now() + left / 2, drops=drops
        )
        if got is not None and (best is None or len(got[1]) <= drops):
            best = got
            if len(got[1]) <= drops:
                break
        if got is not None:
            start = got[0]
        if search.stopped == "canceled":
            break
    return search.result(best)


class _Search:
    """PyVRP runs sharing one clock, the streaming of better plans, and the stop rule."""

    def __init__(self, problem, time_limit, progress, cancel, on_plan, settle, seed):
        self.problem, self.time_limit, self.progress, self.cancel = problem, time_limit, progress, cancel
        self.on_plan, self.settle, self.seed = on_plan, settle, seed
        self.t0 = time.perf_counter()
        self.history, self.iterations, self.stopped = [], 0, "time limit"
        self._checked, self._streamed = 0.0, -1.0

    def now(self) -> float:
        return time.perf_counter() - self.t0

    def _stream(self, routes):
        _, _, tot = schedule(self.problem, routes)
        self._streamed = self.now()
        if self.progress is not None:
            self.progress(
                min(0.99, self._streamed / max(self.time_limit, 1e-6)),
                plan_text(len(self.history), sum(map(len, routes)), tot),
            )
        if self.on_plan is not None:
            self.on_plan(routes, tot)

    def run(self, data, maps, initial, until, give_up=None, drops=0):
        """One PyVRP search until ``until`` s, cancel or settle; (routes, dropped, cost) or None.

        At ``give_up`` s it stops if its best plan still leaves out more than ``drops`` visits.
        """
        import pyvrp
        from pyvrp import (
            IteratedLocalSearchCallbacks,
            IteratedLocalSearchParams,
            SolveParams,
        )

        nodes, n_dep, crews_of_type = maps
        nv = self.problem.n_vehicles
        run = {
            "best": float("inf"),
            "last": self.now(),
            "last_it": self.iterations,
            "pending": None,
            "start": self.now(),
            "missing": None,
        }
        outer = self

        class Callbacks(IteratedLocalSearchCallbacks):
            def on_best(self, best):
                if not best.is_feasible():
                    return
                run["missing"] = data.num_clients - best.num_clients()
                outer.history.append((outer.now(), int(best.distance())))
                if outer.progress is None and outer.on_plan is None:
                    return
                if outer.now() - outer._streamed >= STREAM_EVERY_S:
                    run["pending"] = None
                    outer._stream(_routes(best, nodes, n_dep, crews_of_type, nv))
                else:
                    run["pending"] = best

        def stop(best_cost) -> bool:
            self.iterations += 1
            now = self.now()
            if best_cost < run["best"]:
                run["best"], run["last"], run["last_it"] = best_cost, now, self.iterations
            if self.cancel is not None and now - self._checked >= 0.02:
                self._checked = now
                if self.cancel():
                    self.stopped = "canceled"
                    return True
            if now >= until:
                self.stopped = "time limit"
                return True
            if give_up is not None and now >= give_up and (run["missing"] is None or run["missing"] > drops):
                self.stopped = "gave up"
                return True
            took = run["last"] - run["start"]
            if (
                self.settle is not None
                and run["best"] < float("inf")
                and now - run["last"] > max(self.settle, took)
                and self.iterations - run["last_it"] >= HISTORY
            ):
                self.stopped = "settled"
                return True
            return False

        init = None
        if initial is not None:
            init = _initial(data, initial, self.problem, nodes, n_dep, crews_of_type)
        params = SolveParams(ils=IteratedLocalSearchParams(callbacks=Callbacks(), history_length=HISTORY))
        res = pyvrp.solve(
            data, stop, seed=self.seed, collect_stats=False, display=False, params=params, initial_solution=init
        )
        if not res.best.is_feasible():
            return None
        if run["pending"] is not None:
            self._stream(_routes(run["pending"], nodes, n_dep, crews_of_type, nv))
        routes = _routes(res.best, nodes, n_dep, crews_of_type, nv)
        served = {x for r in routes for x in r}
        dropped = [int(v) for v in self.problem.visits if int(v) not in served]
        return routes, dropped, int(res.cost())

    def result(self, best) -> VrpSolution:
        problem = self.problem
        if best is None:
            routes = [[] for _ in range(problem.n_vehicles)]
            st, en, tot = schedule(problem, routes)
            return VrpSolution(
                routes,
                [int(v) for v in problem.visits],
                tot,
                st,
                en,
                0,
                "no solution",
                self.history,
                backend="pyvrp",
                stopped=self.stopped,
                iterations=self.iterations,
            )
        routes, dropped, cost = best
        st, en, tot = schedule(problem, routes)
        if not self.history:  # no better plan than the start it was given: that is the plan
            self.history.append((self.now(), tot))
            if self.progress is not None or self.on_plan is not None:
                self._stream(routes)
        if self.progress is not None:
            self.progress(1.0, plan_done_text(sum(map(len, routes)), tot))
        stopped = "time limit" if self.stopped == "gave up" else self.stopped
        return VrpSolution(
            routes,
            dropped,
            tot,
            st,
            en,
            cost,
            "ok",
            self.history,
            backend="pyvrp",
            stopped=stopped,
            iterations=self.iterations,
        )
