"""Plan the crews' shift: duty list → graph with barriers → travel times → OR-Tools → CrewPlan.

``plan_routes(project, at, shift)`` is the one call the CLI and the routes panel
make. ``build_graph(project)`` builds the road graph once; pass it as ``graph=``
to plan again (new zones, re-plan) without rebuilding it.

Duty list: the staffing plan's sites left to crews when ``heatgis.analysis.staffing``
exists, else every locked site at ``at`` (ImpactEngine). A DataFrame may be given
instead (``site_id`` plus optional ``priority``, ``service_min``, ``window_start``,
``window_end``).

Re-planning: ``plan_routes(..., keep=previous_plan, now=T)`` keeps, for each crew,
the visits it has already set off to or served at ``T`` exactly as they were, and
plans the rest from where the crew then is, under the zones active at ``at``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from heatgis.errors import Feedback, HeatGISError
from heatgis.model.project import parse_time
from heatgis.routing import plan as P
from heatgis.routing.barriers import DEFAULT_PRECAUTION_FACTOR, LegBuilder, apply_barriers, stop_access, stop_matrix
from heatgis.routing.roads import RoadGraph
from heatgis.routing.shift_inputs import (  # noqa: F401  (re-exported: callers read the inputs from here)
    SHIFTS,
    crews_on_shift,
    duty_from_staffing,
    duty_list,
    shift_window,
    site_points,
)
from heatgis.routing.vrp import VrpProblem, solve

#: default service time per kind of site (minutes)
SERVICE_MIN = {"station": 40, "boiler_room": 60}


def build_graph(project) -> RoadGraph:
    """The road graph of the project's roads layer."""
    return RoadGraph.from_roads(
        project.layer("roads") if project.has("roads") else None, file=project.path, layer="roads"
    )


# ---------------------------------------------------------------------- planning


@dataclass
class _Kept:
    routes: pd.DataFrame
    legs: object
    crews: pd.DataFrame
    start_stop: dict  # crew_id → (site_id or None, available Timestamp)


@dataclass
class RouteOptions:
    """What to plan and how hard to search (``plan_routes``).

    Attributes
    ----------
    shift : {"day", "night"}
    duty : None, "auto", "locked" or DataFrame
        The visits (see the module docstring).
    time_limit : float
        Seconds of OR-Tools search.
    service_min : dict, optional
        Minutes of service per kind (default ``SERVICE_MIN``).
    precaution_factor : float
        Travel-time multiplier inside precaution zones.
    span_cost : int
        Global span coefficient (work sharing across crews).
    """

    shift: str = "day"
    duty: object = None
    time_limit: float = 2.0
    service_min: dict | None = None
    precaution_factor: float = DEFAULT_PRECAUTION_FACTOR
    span_cost: int = 1


def plan_routes(
    project,
    at=None,
    options: RouteOptions | None = None,
    *,
    zones=None,
    graph: RoadGraph | None = None,
    keep: P.CrewPlan | None = None,
    now=None,
    feedback: Feedback | None = None,
    on_plan=None,
    **option_values,
) -> P.CrewPlan:
    """Plan the crews of one shift around the closed areas.

    Parameters
    ----------
    project : Project
    at : str or Timestamp, optional
        The moment whose zones apply (default the scenario's reference time).
    options : RouteOptions, optional
        Shift, duty list, search time, service times, precaution factor, span cost; the
        fields may also be given as keywords (``shift="night", time_limit=5``), which
        override those of ``options``.
    zones : GeoDataFrame, optional
        Lockdown zones (default the project's).
    graph : RoadGraph, optional
        A graph from ``build_graph`` (built when omitted).
    keep, now : CrewPlan, Timestamp, optional
        Re-plan: visits already started at ``now`` stay as they are.
    feedback : heatgis.errors.Feedback, optional
        Progress 0-100 and cancel: raises ``Cancelled`` between the steps (a cancelled search
        stops at once).
    on_plan : callable, optional
        ``on_plan(routes, travel_s)`` with every better plan of the search.

    Returns
    -------
    CrewPlan
    """
    t_all = time.perf_counter()
    unknown = set(option_values) - {f.name for f in fields(RouteOptions)}
    if unknown:
        raise TypeError(f"plan_routes() got unknown option(s): {', '.join(sorted(unknown))}")
    o = replace(options or RouteOptions(), **option_values)
    shift, duty, time_limit, span_cost = o.shift, o.duty, o.time_limit, o.span_cost
    service_min, precaution_factor = o.service_min, o.precaution_factor
    fb = feedback if feedback is not None else Feedback()

    def report(fraction, message):
        fb.check("route planning")
        fb.set_progress(100.0 * fraction, message)

    at = parse_time(at) if at is not None else project.reference_time
    if at is None:
        raise HeatGISError(
            "the project has no reference time", "give the time with --at 2022-02-18T08:00", file=project.path
        )
    zones = project.layer("lockdown_zones") if zones is None else zones
    service_min = {**SERVICE_MIN, **(service_min or {})}
    s_start, s_end = shift_window(at, shift)
    crews = crews_on_shift(project, s_start, shift)
    crews["color"] = list(P.crew_colors(crews["crew_id"]).values())
    report(0.02, "duty list")
    duty, source = duty_list(project, at, zones, duty)
    kept = _kept(keep, parse_time(now) if now is not None else None) if keep is not None else None
    if kept is not None:
        duty = duty[~duty["site_id"].isin(kept.routes["site_id"])].reset_index(drop=True)
    report(0.05, "road graph")
    base = graph if graph is not None else build_graph(project)
    t0 = time.perf_counter()
    # stops: depots of the crews, then kept last stops, then duty sites
    depot_ids = list(dict.fromkeys(crews["depot_id"]))
    dgeom = dict(zip(crews["depot_id"], crews["geometry"]))
    extra = []
    if kept is not None:
        allp = site_points(project).set_index("site_id")
        extra = sorted({s for s, _ in kept.start_stop.values() if s is not None} - set(duty["site_id"]))
        extra_geoms = [allp.at[s, "geometry"] for s in extra]
    else:
        extra_geoms = []
    stop_ids = [f"depot:{d}" for d in depot_ids] + [f"site:{s}" for s in extra] + [f"site:{s}" for s in duty["site_id"]]
    geoms = [dgeom[d] for d in depot_ids] + extra_geoms + list(duty["geometry"])
    g = base.attach(np.array(geoms, dtype=object), stop_ids)
    bg = apply_barriers(g, zones, at, precaution_factor)
    acc = stop_access(bg, stop_ids)
    t_graph = time.perf_counter() - t0
    report(0.15, "travel times")
    t0 = time.perf_counter()
    m = stop_matrix(bg, acc, fb.sub(15, 20))
    t_matrix = time.perf_counter() - t0
    pos = {s: i for i, s in enumerate(stop_ids)}
    n_dep = len(depot_ids)
    visit0 = n_dep + len(extra)
    origin = s_start
    sec = lambda t: int(round((t - origin).total_seconds()))  # noqa: E731
    starts, shifts = [], []
    for c in crews.itertuples():
        node = pos[f"depot:{c.depot_id}"]
        s0 = sec(c.shift_start)
        if kept is not None and c.crew_id in kept.start_stop:
            sid, avail = kept.start_stop[c.crew_id]
            if sid is not None:
                node = pos[f"site:{sid}"]
            s0 = max(s0, sec(avail))
        starts.append(node)
        shifts.append((s0, sec(c.shift_end)))
    ends = [pos[f"depot:{d}"] for d in crews["depot_id"]]
    n = len(stop_ids)
    service = np.zeros(n, np.int64)
    windows = np.full((n, 2), -1, np.int64)
    prio = np.zeros(n, np.int64)
    for k, r in enumerate(duty.itertuples()):
        i = visit0 + k
        sm = r.service_min if r.service_min is not None and pd.notna(r.service_min) else service_min.get(r.kind, 40)
        service[i] = int(round(float(sm) * 60))
        if r.window_start is not None and pd.notna(r.window_start):
            windows[i] = (sec(_at_time(r.window_start, s_start)), sec(_at_time(r.window_end, s_start)))
        prio[i] = int(r.priority)
    # visits that no crew can serve: reasons before solving
    dropped = []
    visits = []
    for k, r in enumerate(duty.itertuples()):
        i = visit0 + k
        why = _precheck(i, acc, m, starts, ends, shifts, service, windows)
        if why:
            dropped.append({"site_id": r.site_id, "kind": r.kind, "name": r.name, "reason": why[0], "detail": why[1]})
        else:
            visits.append(i)
    big = 10 * (max(e for _, e in shifts) + 1)
    travel = np.where(np.isfinite(m), np.round(m), big).astype(np.int64)
    problem = VrpProblem(travel, service, np.array(visits, np.int64), starts, ends, shifts, windows, prio)
    report(0.2, f"solving {len(visits)} visits for {len(crews)} crews")
    t0 = time.perf_counter()

    sol = solve(problem, time_limit, span_cost, feedback=fb.sub(20, 95), on_plan=on_plan)
    t_solve = time.perf_counter() - t0
    for i in sol.dropped:
        r = duty.iloc[i - visit0]
        dropped.append(
            {
                "site_id": r.site_id,
                "kind": r.kind,
                "name": r.name,
                "reason": P.NO_CREW_TIME,
                "detail": "every crew's shift is full; add a crew or move it to the next shift",
            }
        )
    report(0.96, "route geometries")
    plan = _assemble(project, crews, duty, visit0, stop_ids, acc, bg, sol, problem, origin, kept, g)
    plan.at, plan.shift, plan.shift_start, plan.shift_end = at, shift, s_start, s_end
    plan.dropped = pd.DataFrame(dropped, columns=P.DROPPED_COLUMNS)
    plan.closed_zones = bg.zones["zone_id"].astype(str).tolist()
    plan.duty_source = source if kept is None else source + "+replan"
    plan.stats = {
        "stops": n,
        "visits": len(visits),
        "graph_s": round(t_graph, 3),
        "matrix_s": round(t_matrix, 3),
        "solve_s": round(t_solve, 3),
        "total_s": round(time.perf_counter() - t_all, 3),
        "solver_status": sol.status,
        "solver": sol.backend,
        "stopped": sol.stopped,
        "iterations": sol.iterations,
        "improvements": len(sol.history),
        "history": sol.history,
    }
    report(1.0, f"{len(plan.routes)} visits planned, {len(plan.dropped)} not served")
    return plan


def _at_time(v, s_start):
    """A window bound: a full timestamp or HH:MM on the shift (after its start)."""
    if isinstance(v, str) and len(v) <= 5 and ":" in v:
        h, mi = (int(x) for x in v.split(":"))
        t = s_start.normalize() + pd.Timedelta(hours=h, minutes=mi)
        return t if t >= s_start else t + pd.Timedelta(days=1)
    return parse_time(v)


def _precheck(i, acc, m, starts, ends, shifts, service, windows):
    row = acc.table.iloc[i]
    if not row["reachable"]:
        return P.UNREACHABLE, row["reason"]
    reach = [np.isfinite(m[s, i]) and np.isfinite(m[i, e]) for s, e in zip(starts, ends)]
    if not any(reach):
        return P.UNREACHABLE, "no open road joins it to any crew's depot"
    lo, hi = windows[i]
    if lo >= 0 and not any(hi >= s0 and lo <= s1 for s0, s1 in shifts):
        return P.OUTSIDE_SHIFT, "its time window lies outside every crew's shift"
    for (s, e), (s0, s1), ok in zip(zip(starts, ends), shifts, reach):
        if not ok:
            continue
        t = s0 + m[s, i]
        if lo >= 0:
            if t > hi:
                continue
            t = max(t, lo)
        if t + service[i] + m[i, e] <= s1:
            return None
    best = min((m[s, i] + service[i] + m[i, e] for (s, e), ok in zip(zip(starts, ends), reach) if ok))
    return P.TOO_FAR, (
        f"the round trip from the nearest depot takes {best / 60:.0f} min with service, "
        "more than any crew's shift allows"
    )


def _kept(plan: P.CrewPlan, now) -> _Kept:
    if now is None:
        raise HeatGISError("re-planning needs the current time", "give now= (the time of the re-plan)")
    r = plan.routes.copy()
    keep_rows = []
    start_stop = {}
    for c in plan.crews.itertuples():
        stops = r[r["crew_id"] == c.crew_id].sort_values("seq")
        left = [c.leave] + list(stops["depart"].iloc[:-1])
        started = [lv <= now for lv in left] if len(stops) else []
        k = int(sum(started))
        kept = stops.iloc[:k]
        keep_rows.append(kept)
        if k:
            start_stop[c.crew_id] = (str(kept["site_id"].iloc[-1]), max(kept["depart"].iloc[-1], now))
        else:
            start_stop[c.crew_id] = (None, max(now, c.shift_start))
    routes = pd.concat(keep_rows, ignore_index=True) if keep_rows else P.empty_routes()
    legs = plan.legs.merge(routes[["crew_id", "seq"]], on=["crew_id", "seq"], how="inner")
    import geopandas as gpd

    legs = gpd.GeoDataFrame(legs, geometry="geometry", crs=plan.legs.crs)
    return _Kept(routes, legs, plan.crews, start_stop)


def _assemble(project, crews, duty, visit0, stop_ids, acc, bg, sol, problem, origin, kept, g):
    import geopandas as gpd

    lb = LegBuilder(bg, acc)
    lb.prepare([s for v in range(len(sol.routes)) for s in [problem.starts[v]] + list(sol.routes[v])])
    zone_ids = {}
    for s, z in zip(acc.table["stop_id"], acc.table["zones"]):
        zone_ids[s] = list(z)
    rows, legs = [], []
    t = lambda s: origin + pd.Timedelta(seconds=int(s))  # noqa: E731
    crew_rows = []
    kept_leave = dict(zip(kept.crews["crew_id"], kept.crews["leave"])) if kept is not None else {}
    for v, c in enumerate(crews.itertuples()):
        prefix = kept.routes[kept.routes["crew_id"] == c.crew_id] if kept is not None else None
        if prefix is not None and len(prefix):
            rows += prefix.to_dict("records")
            legs += kept.legs[kept.legs["crew_id"] == c.crew_id].to_dict("records")
        seq0 = len(prefix) if prefix is not None else 0
        prev = problem.starts[v]
        for k, (node, st) in enumerate(zip(sol.routes[v], sol.starts_s[v])):
            d = duty.iloc[node - visit0]
            arcs = lb.arcs(prev, node)
            dist = float(g.length_m[arcs].sum()) if arcs else 0.0
            tr = float(problem.travel[prev, node])
            rows.append(
                {
                    "crew_id": c.crew_id,
                    "seq": seq0 + k + 1,
                    "site_id": d.site_id,
                    "kind": d.kind,
                    "name": d["name"],
                    "address": d.address or "",
                    "eta": t(st),
                    "depart": t(st + problem.service[node]),
                    "travel_s": tr,
                    "distance_m": dist,
                    "service_min": problem.service[node] / 60,
                    "zone_ids": zone_ids[stop_ids[node]],
                    "priority": int(d.priority),
                }
            )
            legs.append(
                {
                    "crew_id": c.crew_id,
                    "seq": seq0 + k + 1,
                    "from_id": _sid(stop_ids[prev]),
                    "to_id": d.site_id,
                    "travel_s": tr,
                    "distance_m": dist,
                    "geometry": lb.geometry(arcs),
                }
            )
            prev = node
        end = problem.ends[v]
        if prev != problem.starts[v] or seq0 > 0 or sol.routes[v]:
            arcs = lb.arcs(prev, end)
            legs.append(
                {
                    "crew_id": c.crew_id,
                    "seq": seq0 + len(sol.routes[v]) + 1,
                    "from_id": _sid(stop_ids[prev]),
                    "to_id": c.depot_id,
                    "travel_s": float(problem.travel[prev, end]),
                    "distance_m": float(g.length_m[arcs].sum()) if arcs else 0.0,
                    "geometry": lb.geometry(arcs),
                }
            )
    routes = pd.DataFrame(rows, columns=P.ROUTE_COLUMNS)
    legs_df = gpd.GeoDataFrame(
        pd.DataFrame(legs, columns=["crew_id", "seq", "from_id", "to_id", "travel_s", "distance_m", "geometry"]),
        geometry="geometry",
        crs=bg.graph.crs,
    )
    for v, c in enumerate(crews.itertuples()):
        mine = routes[routes["crew_id"] == c.crew_id]
        ml = legs_df[legs_df["crew_id"] == c.crew_id]
        prefix = kept.routes[kept.routes["crew_id"] == c.crew_id] if kept is not None else None
        leave = (
            kept_leave.get(c.crew_id, t(problem.shifts[v][0]))
            if prefix is not None and len(prefix)
            else t(problem.shifts[v][0])
        )
        back = t(sol.ends_s[v]) if len(mine) else leave
        crew_rows.append(
            {
                "crew_id": c.crew_id,
                "name": c.name,
                "depot_id": c.depot_id,
                "depot_name": c.depot_name,
                "members": c.members,
                "shift_start": c.shift_start,
                "shift_end": c.shift_end,
                "color": c.color,
                "stops": len(mine),
                "travel_s": float(ml["travel_s"].sum()),
                "distance_m": float(ml["distance_m"].sum()),
                "service_s": float(mine["service_min"].sum() * 60),
                "leave": leave,
                "back": back,
            }
        )
    return P.CrewPlan(
        routes=routes,
        legs=legs_df,
        crews=pd.DataFrame(crew_rows, columns=P.CREW_COLUMNS),
        dropped=pd.DataFrame(columns=P.DROPPED_COLUMNS),
        at=None,
        shift="",
        shift_start=None,
        shift_end=None,
        crs=bg.graph.crs,
    )


def _sid(stop_id: str) -> str:
    return stop_id.split(":", 1)[1]
