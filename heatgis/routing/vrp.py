"""The crew plan as a vehicle-routing problem, solved with PyVRP or OR-Tools.

``solve`` sends a problem to PyVRP (``vrp_pyvrp``) when PyVRP can express all of it (travel,
service, shifts, start/end nodes, time windows, optional visits, urgent visits that have a time
window): on the 300-stop benchmark it drives ~3-4% less than OR-Tools in the same 2 s and
balances the crews within a few percent of the lower bound. Urgent visits without a window (a
soft cost on their start time, which PyVRP cannot express; see ``vrp_pyvrp.covered_by_pyvrp``)
and any model field PyVRP's module does not know go to the OR-Tools model below.

The model
---------
* Nodes are stops: depots (shared by the crews based there) and visits.
* The travel-time matrix (integer seconds) is registered directly
  (``RegisterTransitMatrix``) as the arc cost; a second matrix, travel plus the
  service time of the node left, is the transit of the ``time`` dimension.
* Each crew starts and ends at its depot inside its shift window; waiting
  (slack) is allowed for visit time windows (service must *start* in the window).
* Every visit is optional through a disjunction whose penalty is far above any
  route cost, so a visit is dropped only when it cannot be served; urgent
  visits (``priority`` > 0) get a larger penalty and a soft cost on their start
  time, so they come early in the shift.
* A global span cost on the time dimension shares the work across the crews
  instead of leaving most of them idle (ARCHITECTURE.md); as the global span only
  sees the longest route (local search plateaus on it), each crew's return also
  gets a soft upper bound at the balanced share of the work (total service +
  cheapest inbound travel, divided by the crews), same coefficient. ``vrp_balance``
  runs this after a driving-only phase, with the share from that plan and a hard cap
  on every route (1.6x -> 1.1x the lower bound on the 300-stop benchmark at 2 s).
* Search: parallel cheapest insertion, then guided local search until the time
  limit; each better plan found is streamed through ``on_plan``/``progress``.

``nearest_neighbour`` is the baseline the benchmark compares against: the crew
that is free first drives to the nearest visit it can still serve and return
from within its shift.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np

from heatgis.text import Text

DROP_PENALTY = 10_000_000


def plan_text(k: int, visits: int, travel_s: float) -> Text:
    """The progress step of a search's ``k``-th better plan: "plan 3: 9 visits, 1.5 h driving"."""
    return Text(
        "plan {k}: {n} visits, {h:.1f} h driving",
        "方案 {k}：{n} 处到站，行车 {h:.1f} 小时",
        k=k,
        n=visits,
        h=travel_s / 3600,
    )


def plan_done_text(visits: int, travel_s: float) -> Text:
    """The last progress step of a search: "plan done: 9 visits, 1.5 h driving"."""
    return Text(
        "plan done: {n} visits, {h:.1f} h driving",
        "计划完成：{n} 处到站，行车 {h:.1f} 小时",
        n=visits,
        h=travel_s / 3600,
    )


@dataclass
class VrpProblem:
    """A crew-routing instance, all times in integer seconds from the plan origin.

    Attributes
    ----------
    travel : ndarray (n, n)
        Travel times between nodes (finite).
    service : ndarray (n,)
        Service time at each node (0 at depots).
    visits : ndarray of int
        Nodes to visit (each at most once).
    starts, ends : list of int
        Start and end node of each crew.
    shifts : list of (int, int)
        Each crew's shift window (start, end).
    windows : ndarray (n, 2), optional
        Earliest and latest service start per node; -1 = none.
    priority : ndarray (n,), optional
        0 normal; higher = more urgent.
    node_skills : ndarray (n,) of int, optional
        Bitmask of the skills a visit needs (0 = none); served only by a vehicle whose
        ``vehicle_skills`` hold every bit. A visit no vehicle qualifies for is dropped.
    vehicle_skills : list of int, optional
        Bitmask of each vehicle's skills (with ``node_skills``).
    load : ndarray (n,) of int, optional
        People aboard added at each node (a drop-off -1, a pick-up +1); with ``seats``
        a ``load`` dimension keeps 0 <= aboard <= seats; the start load is free in
        [0, seats] (people boarding at the depot for the drop-offs).
    seats : list of int, optional
        Each vehicle's passenger capacity (with ``load``).
    drop_penalty : ndarray (n,) of int, optional
        Cost of leaving each visit out (default ``DROP_PENALTY * (1 + priority)``).
    pairs : list of (int, int), optional
        Pick-up and delivery pairs of visits (a person boarding at a depot and set down at a
        site, or taken from a site and set down at a depot): the same vehicle, the first
        before the second, both served or both left out.
    work_cap : list of int, optional
        Each vehicle's fair share of work (seconds of driving and service, waiting not
        counted); each second above it costs ``max(span_cost, 1)``: work sharing for vehicles
        on different shifts, where time windows, not the work, decide when routes end (use it
        with ``span_cost=0``: the common-return-time balance assumes one shift).
    work_max : list of int, optional
        A hard limit on each vehicle's work (seconds), so that the first plan already shares it.
    """

    travel: np.ndarray
    service: np.ndarray
    visits: np.ndarray
    starts: list
    ends: list
    shifts: list
    windows: np.ndarray | None = None
    priority: np.ndarray | None = None
    node_skills: np.ndarray | None = None
    vehicle_skills: list | None = None
    load: np.ndarray | None = None
    seats: list | None = None
    drop_penalty: np.ndarray | None = None
    pairs: list | None = None
    work_cap: list | None = None
    work_max: list | None = None

    @property
    def n_vehicles(self) -> int:
        return len(self.starts)


@dataclass
class VrpSolution:
    """Routes as node lists (without the depots), dropped visits, costs.

    ``starts_s[v][k]`` is the service start of the k-th visit of crew v (earliest
    schedule: leave the depot at shift start, wait only for time windows).
    """

    routes: list
    dropped: list
    travel_s: int
    starts_s: list = field(default_factory=list)
    ends_s: list = field(default_factory=list)
    objective: int = 0
    status: str = ""
    history: list = field(default_factory=list)  # (seconds since start, travel_s) of each better plan
    backend: str = "ortools"  # the solver that made the plan: "ortools" or "pyvrp"
    stopped: str = ""  # why the search ended: "settled", "time limit", "canceled"
    iterations: int = 0  # solutions (OR-Tools) or local-search iterations (PyVRP) the search went through


def schedule(problem: VrpProblem, routes) -> tuple[list, list, int]:
    """Earliest service starts per route, route end times and total travel."""
    starts_s, ends_s, total = [], [], 0
    w = problem.windows
    for v, route in enumerate(routes):
        t = problem.shifts[v][0]
        prev = problem.starts[v]
        st = []
        for node in route:
            t += int(problem.travel[prev, node])
            total += int(problem.travel[prev, node])
            if w is not None and w[node, 0] >= 0:
                t = max(t, int(w[node, 0]))
            st.append(t)
            t += int(problem.service[node])
            prev = node
        t += int(problem.travel[prev, problem.ends[v]])
        total += int(problem.travel[prev, problem.ends[v]])
        starts_s.append(st)
        ends_s.append(t)
    return starts_s, ends_s, total


#: a search with no better plan for this long (and for as long as the best took) has settled
STALL_S = 0.5


def solve(
    problem: VrpProblem,
    time_limit: float = 2.0,
    span_cost: int = 1,
    initial=None,
    feedback=None,
    on_plan=None,
    settle: float | None = STALL_S,
    backend: str = "auto",
) -> VrpSolution:
    """Solve the crew plan with PyVRP where it covers the problem, else with OR-Tools routing.

    Parameters
    ----------
    problem : VrpProblem
    time_limit : float
        Seconds of guided local search.
    span_cost : int
        Global span coefficient on the time dimension (0 = minimise driving only).
    initial : list of list of int, optional
        Routes to start from (e.g. the previous plan).
    feedback : heatgis.errors.Feedback, optional
        Progress on every better plan; once cancelled the search stops and the best plan so
        far is returned (the caller decides whether to raise ``Cancelled``).
    on_plan : callable, optional
        ``on_plan(routes, travel_s)`` with every better plan.
    settle : float or None
        Stop before ``time_limit`` once no better plan has come for this many seconds *and* for
        as long as it took to find the best one (the search has settled); None runs to the limit.
    backend : {"auto", "pyvrp", "ortools"}
        "auto" uses PyVRP when ``vrp_pyvrp.covered_by_pyvrp(problem)`` (it measures better on the
        300-stop benchmark), else OR-Tools; "pyvrp" on a problem it does not cover raises ValueError.
    """
    # the backends take plain callables: progress(fraction, message) and cancel() -> bool
    progress = None if feedback is None else (lambda f, m: feedback.set_progress(100.0 * f, m))
    cancel = None if feedback is None else feedback.is_canceled
    nv = problem.n_vehicles
    if nv == 0 or len(problem.visits) == 0:
        routes = [[] for _ in range(nv)]
        st, en, tot = schedule(problem, routes)
        return VrpSolution(routes, [int(v) for v in problem.visits], tot, st, en, 0, "empty")
    if backend != "ortools":
        from heatgis.routing import vrp_pyvrp

        if vrp_pyvrp.covered_by_pyvrp(problem):
            return vrp_pyvrp.solve_pyvrp(problem, time_limit, span_cost, initial, progress, cancel, on_plan, settle)
        if backend == "pyvrp":
            raise ValueError("PyVRP is not installed or does not cover this problem")
    if span_cost:
        from heatgis.routing.vrp_balance import solve_balanced_ortools

        return solve_balanced_ortools(problem, time_limit, span_cost, initial, progress, cancel, on_plan, settle)
    return _solve_ortools(problem, time_limit, span_cost, initial, progress, cancel, on_plan, settle)


def _solve_ortools(
    problem,
    time_limit,
    span_cost,
    initial,
    progress,
    cancel,
    on_plan,
    settle,
    share=None,
    cap=None,
    give_up=None,
    drops=0,
) -> VrpSolution:
    """OR-Tools routing: parallel cheapest insertion, then guided local search (``solve``).

    ``share`` (seconds) replaces the estimated balanced share; ``cap`` caps every route at that
    factor times the share (a hard limit on its return); at ``give_up`` seconds the search stops
    if its best plan leaves out more than ``drops`` visits (``vrp_balance``).
    """
    m = _ortools_model(problem, span_cost, share, cap)
    return _ortools_search(m, problem, time_limit, initial, progress, cancel, on_plan, settle, give_up, drops)


def _ortools_model(problem: VrpProblem, span_cost, share, cap) -> SimpleNamespace:
    """The OR-Tools routing model of ``problem``: ``routing``, ``manager`` and ``used`` (the nodes
    modelled, in the model's order).

    Arc cost = travel; a ``time`` dimension (travel + service of the node left) inside the shifts
    and windows, with the balance (global span and soft end at the share, optional cap) when
    ``span_cost``; skills, seats, work shares, the optional visits and the pick-up-and-delivery pairs.
    """
    from ortools.constraint_solver import pywrapcp

    nv = problem.n_vehicles
    # OR-Tools visits every node that is not in a disjunction: model only the nodes in use
    used = np.unique(np.r_[np.asarray(problem.starts), np.asarray(problem.ends), np.asarray(problem.visits)]).astype(
        np.int64
    )
    local = {int(x): k for k, x in enumerate(used)}
    travel = np.asarray(problem.travel, dtype=np.int64)[np.ix_(used, used)]
    service = np.asarray(problem.service, dtype=np.int64)[used]
    manager = pywrapcp.RoutingIndexManager(
        len(used), nv, [local[int(s)] for s in problem.starts], [local[int(e)] for e in problem.ends]
    )
    routing = pywrapcp.RoutingModel(manager)
    cost_idx = routing.RegisterTransitMatrix(travel.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(cost_idx)
    time_idx = routing.RegisterTransitMatrix((travel + service[:, None]).tolist())
    horizon = int(max(e for _, e in problem.shifts))
    routing.AddDimension(time_idx, horizon, horizon, False, "time")
    tdim = routing.GetDimensionOrDie("time")
    origin = int(min(s for s, _ in problem.shifts))
    if span_cost:
        tdim.SetGlobalSpanCostCoefficient(int(span_cost))
        # the global span alone plateaus (only the longest route counts); a soft end at the
        # balanced workload makes every move from a long route to a short one pay off
        vis = np.array([local[int(x)] for x in problem.visits], np.int64)
        inbound = np.where(np.eye(len(used), dtype=bool), np.iinfo(np.int64).max, travel)[:, vis].min(axis=0)
        if share is None:  # the common return time that shares the work (after the earliest start)
            offsets = sum(int(s0) - origin for s0, _ in problem.shifts)
            share = int((service[vis].sum() + inbound.sum() + offsets) / nv)
    for v, (s0, s1) in enumerate(problem.shifts):
        tdim.CumulVar(routing.Start(v)).SetRange(int(s0), int(s1))
        tdim.CumulVar(routing.End(v)).SetRange(int(s0), int(s1))
        if span_cost:
            tdim.SetCumulVarSoftUpperBound(routing.End(v), int(min(max(s0, origin + share), s1)), int(span_cost))
            if cap is not None:
                tdim.CumulVar(routing.End(v)).SetMax(int(max(s0, min(origin + cap * share, s1))))
        routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.End(v)))
        routing.AddVariableMaximizedByFinalizer(tdim.CumulVar(routing.Start(v)))
    _add_skills_and_load(problem, routing, manager, local, used)
    if problem.work_cap is not None or problem.work_max is not None:
        routing.AddDimension(time_idx, 0, horizon, True, "work")
        wdim = routing.GetDimensionOrDie("work")
        for v in range(nv):
            if problem.work_cap is not None:
                wdim.SetCumulVarSoftUpperBound(routing.End(v), int(problem.work_cap[v]), max(int(span_cost), 1))
            if problem.work_max is not None:
                wdim.CumulVar(routing.End(v)).SetMax(int(problem.work_max[v]))
    _add_visits(problem, routing, manager, local, tdim, origin, horizon)
    return SimpleNamespace(routing=routing, manager=manager, used=used, local=local)


def _add_visits(problem: VrpProblem, routing, manager, local, tdim, origin, horizon) -> None:
    """Each visit optional (a disjunction at its drop penalty) inside its window, urgent ones early
    (a soft cost on the start time by priority); each pair on one vehicle, pick-up first."""
    pr = problem.priority if problem.priority is not None else np.zeros(len(problem.travel), int)
    for node in problem.visits:
        idx = manager.NodeToIndex(local[int(node)])
        pen = (
            int(problem.drop_penalty[node])
            if problem.drop_penalty is not None
            else int(DROP_PENALTY * (1 + int(pr[node])))
        )
        routing.AddDisjunction([idx], pen)
        if problem.windows is not None and problem.windows[node, 0] >= 0:
            lo, hi = int(problem.windows[node, 0]), int(problem.windows[node, 1])
            tdim.CumulVar(idx).SetRange(max(lo, 0), max(min(hi, horizon), 0))
        if pr[node] > 0:
            tdim.SetCumulVarSoftUpperBound(idx, origin, int(pr[node]))
    visiting = {int(x) for x in problem.visits}
    for a, b in problem.pairs or ():
        if int(a) in visiting and int(b) in visiting:
            ia, ib = manager.NodeToIndex(local[int(a)]), manager.NodeToIndex(local[int(b)])
            routing.AddPickupAndDelivery(ia, ib)
            routing.solver().Add(routing.VehicleVar(ia) == routing.VehicleVar(ib))
            routing.solver().Add(tdim.CumulVar(ia) <= tdim.CumulVar(ib))


def _ortools_search(m, problem, time_limit, initial, progress, cancel, on_plan, settle, give_up, drops) -> VrpSolution:
    """Search the model ``m`` (``_ortools_model``): every better plan streamed; the search ends at the
    time limit, once settled, cancelled, or given up (``_solve_ortools``)."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    routing, manager, used, local = m.routing, m.manager, m.used, m.local
    nv = problem.n_vehicles
    t0 = time.perf_counter()
    history = []
    best = [None]

    last = [0.0]
    stopped = ["time limit"]
    seen = [0]
    missing = [len(problem.visits)]

    def on_solution():
        cost = routing.CostVar().Value()
        now = time.perf_counter() - t0
        seen[0] += 1
        if best[0] is None or cost < best[0]:
            best[0] = cost
            last[0] = now
            routes = _read_routes(routing, manager, nv, used, current=True)
            _, _, tot = schedule(problem, routes)
            missing[0] = len(problem.visits) - sum(map(len, routes))
            el = time.perf_counter() - t0
            history.append((el, tot))
            if progress is not None:
                progress(
                    min(0.99, el / max(time_limit, 1e-6)),
                    plan_text(len(history), sum(map(len, routes)), tot),
                )
            if on_plan is not None:
                on_plan(routes, tot)
        if cancel is not None and cancel():
            stopped[0] = "canceled"
            routing.solver().FinishCurrentSearch()
        elif settle is not None and now - last[0] > max(settle, last[0]):
            stopped[0] = "settled"
            routing.solver().FinishCurrentSearch()  # settled: no better plan for a while
        elif give_up is not None and now >= give_up and missing[0] > drops:
            stopped[0] = "gave up"
            routing.solver().FinishCurrentSearch()

    routing.AddAtSolutionCallback(on_solution)
    checked = [0.0]

    def halt() -> bool:  # checked by the search between moves: settle and cancel without a new solution
        now = time.perf_counter() - t0
        if now - checked[0] < 0.01:
            return False
        checked[0] = now
        if cancel is not None and cancel():
            stopped[0] = "canceled"
            return True
        if settle is not None and best[0] is not None and now - last[0] > max(settle, last[0]):
            stopped[0] = "settled"
            return True
        return False

    routing.AddSearchMonitor(routing.solver().CustomLimit(halt))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(max(1, int(time_limit * 1000)))
    if initial is not None:
        routing.CloseModelWithParameters(params)
        start = routing.ReadAssignmentFromRoutes(
            [[manager.NodeToIndex(local[int(x)]) for x in r] for r in initial], True
        )
        sol = routing.SolveFromAssignmentWithParameters(start, params) if start else None
        if sol is None:
            sol = routing.SolveWithParameters(params)
    else:
        sol = routing.SolveWithParameters(params)
    if sol is None:
        routes = [[] for _ in range(nv)]
        st, en, tot = schedule(problem, routes)
        return VrpSolution(
            routes,
            [int(v) for v in problem.visits],
            tot,
            st,
            en,
            0,
            "no solution",
            history,
            stopped=stopped[0],
            iterations=seen[0],
        )
    routes = _read_routes(routing, manager, nv, used, sol)
    served = {x for r in routes for x in r}
    dropped = [int(v) for v in problem.visits if int(v) not in served]
    st, en, tot = schedule(problem, routes)
    if progress is not None:
        progress(1.0, plan_done_text(len(served), tot))
    return VrpSolution(
        routes, dropped, tot, st, en, int(sol.ObjectiveValue()), "ok", history, stopped=stopped[0], iterations=seen[0]
    )


def _add_skills_and_load(problem: VrpProblem, routing, manager, local, used) -> None:
    """Skill bitmasks (allowed vehicles per visit) and the seats dimension, when given."""
    nv = problem.n_vehicles
    if problem.node_skills is not None and problem.vehicle_skills is not None:
        vs = [int(x) for x in problem.vehicle_skills]
        for node in problem.visits:
            req = int(problem.node_skills[node])
            if not req:
                continue
            idx = manager.NodeToIndex(local[int(node)])
            allowed = [v for v in range(nv) if vs[v] & req == req]
            if len(allowed) < nv:  # -1: not performed (the visit is in a disjunction)
                routing.VehicleVar(idx).SetValues([-1] + allowed)
    if problem.load is not None and problem.seats is not None:
        delta = np.asarray(problem.load, dtype=np.int64)[used]
        cb = routing.RegisterUnaryTransitVector([int(x) for x in delta])
        seats = [int(x) for x in problem.seats]
        routing.AddDimensionWithVehicleCapacity(cb, 0, seats, False, "load")
        ldim = routing.GetDimensionOrDie("load")
        for v in range(nv):
            ldim.CumulVar(routing.Start(v)).SetRange(0, seats[v])


def _read_routes(routing, manager, nv, used, sol=None, current=False):
    routes = []
    for v in range(nv):
        idx = routing.Start(v)
        r = []
        while True:
            idx = routing.NextVar(idx).Value() if current else sol.Value(routing.NextVar(idx))
            if routing.IsEnd(idx):
                break
            r.append(int(used[manager.IndexToNode(idx)]))
        routes.append(r)
    return routes


def nearest_neighbour(problem: VrpProblem) -> VrpSolution:
    """Baseline: the crew free first drives to the nearest visit it can still serve."""
    n_v = problem.n_vehicles
    left = set(int(x) for x in problem.visits)
    pos = list(problem.starts)
    t = [int(s) for s, _ in problem.shifts]
    open_ = [True] * n_v
    routes = [[] for _ in range(n_v)]
    w = problem.windows
    tr = problem.travel
    while left and any(open_):
        v = min((k for k in range(n_v) if open_[k]), key=lambda k: t[k])
        best, best_arr = None, None
        cand = sorted(left, key=lambda j: tr[pos[v], j])
        for j in cand:
            arr = t[v] + int(tr[pos[v], j])
            if w is not None and w[j, 0] >= 0:
                if arr > w[j, 1]:
                    continue
                arr = max(arr, int(w[j, 0]))
            if arr + problem.service[j] + tr[j, problem.ends[v]] <= problem.shifts[v][1]:
                best, best_arr = j, arr
                break
        if best is None:
            open_[v] = False
            continue
        routes[v].append(best)
        left.discard(best)
        t[v] = best_arr + int(problem.service[best])
        pos[v] = best
    st, en, tot = schedule(problem, routes)
    return VrpSolution(routes, sorted(left), tot, st, en, 0, "nearest neighbour")
