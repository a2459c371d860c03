"""The crews' shift as a list of site visits: a view of the one planner, ``plan_operations``.

``plan_routes(project, at, shift)`` is what ``heatgis routes``, the routes panel, ``heatgis heat``
and the report call: the visits of the duty list, each once in the shift, are handed to
``heatgis.routing.ops.plan_operations`` as its duty (one vehicle per crew, no relief trips, no
protective-gear time), and ``opsplan.shift_view`` turns its plan into the single-shift
``CrewPlan``. There is no second search: travel times per time slice, the closures at the time
of travel and the drive-through are those of the crews' operations plan, so a zone imposed or
lifted inside the shift changes the legs driven after it. ``build_graph(project)`` builds the
road graph once; pass it as ``graph=`` to plan again without rebuilding it.

Duty list: the staffing plan's sites left to crews when ``heatgis.analysis.staffing``
exists, else every locked site at ``at`` (ImpactEngine). A DataFrame may be given
instead (``site_id`` plus optional ``priority``, ``service_min``, ``window_start``,
``window_end``).

Re-planning: ``plan_routes(..., keep=previous_plan, now=T)`` keeps, for each crew,
the visits it has already set off to or served at ``T`` exactly as they were, and
plans the rest from where the crew then is (``plan_operations(start_from=)``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields, replace

import pandas as pd

from heatgis.errors import Feedback, HeatGISError
from heatgis.model.project import parse_time
from heatgis.routing import plan as P
from heatgis.routing.barriers import DEFAULT_PRECAUTION_FACTOR
from heatgis.routing.roads import RoadGraph
from heatgis.routing.shift_inputs import (  # noqa: F401  (re-exported: callers read the inputs from here)
    SHIFTS,
    crews_on_shift,
    duty_from_staffing,
    duty_list,
    shift_window,
    site_points,
)
from heatgis.text import Text

#: default service time per kind of site (minutes)
SERVICE_MIN = {"station": 40, "boiler_room": 60}


def build_graph(project) -> RoadGraph:
    """The road graph of the project's roads layer."""
    return RoadGraph.from_roads(
        project.layer("roads") if project.has("roads") else None, file=project.path, layer="roads"
    )


# ---------------------------------------------------------------------- planning


@dataclass
class RouteOptions:
    """What to plan and how hard to search (``plan_routes``).

    Attributes
    ----------
    shift : {"day", "night"}
    duty : None, "auto", "locked" or DataFrame
        The visits (see the module docstring).
    time_limit : float
        At most this many seconds of route search (it stops earlier once settled).
    service_min : dict, optional
        Minutes of service per kind (default ``SERVICE_MIN``).
    precaution_factor : float
        Travel-time multiplier inside precaution zones.
    span_cost : int
        > 0 shares the work among the crews (``plan_operations``); 0 plans the shortest driving.
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
    """Plan the crews of one shift around the closed areas (a view of ``plan_operations``).

    Parameters
    ----------
    project : Project
    at : str or Timestamp, optional
        The moment whose shift is planned (default the scenario's reference time).
    options : RouteOptions, optional
        Shift, duty list, search time, service times, precaution factor, span cost; the
        fields may also be given as keywords (``shift="night", time_limit=5``), which
        override those of ``options``.
    zones : GeoDataFrame, optional
        Lockdown zones (default the project's), applied at the time of travel.
    graph : RoadGraph, optional
        A graph from ``build_graph`` (built when omitted).
    keep, now : CrewPlan, Timestamp, optional
        Re-plan: visits already started at ``now`` stay as they are.
    feedback : heatgis.errors.Feedback, optional
        Progress 0-100 and cancel: raises ``Cancelled`` between the steps (a cancelled search
        stops at once).
    on_plan : callable, optional
        ``on_plan(routes, travel_s)`` with every better plan of the search (routes as node
        lists per crew).

    Returns
    -------
    CrewPlan
    """
    from heatgis.routing import opsplan as O
    from heatgis.routing.ops import plan_operations

    t_all = time.perf_counter()
    unknown = set(option_values) - {f.name for f in fields(RouteOptions)}
    if unknown:
        raise TypeError(f"plan_routes() got unknown option(s): {', '.join(sorted(unknown))}")
    o = replace(options or RouteOptions(), **option_values)
    fb = feedback if feedback is not None else Feedback()
    at = parse_time(at) if at is not None else project.reference_time
    if at is None:
        raise HeatGISError(
            Text("the project has no reference time", "项目没有设置参考时间"),
            Text("give the time with --at 2022-02-18T08:00", "用 --at 给出时间，例如 --at 2022-02-18T08:00"),
            file=project.path,
        )
    zones = project.layer("lockdown_zones") if zones is None else zones
    service_min = {**SERVICE_MIN, **(o.service_min or {})}
    s_start, s_end = shift_window(at, o.shift)
    fb.check("route planning")
    fb.set_progress(2.0, Text("duty list", "任务清单"))
    duty, source = duty_list(project, at, zones, o.duty)
    kept = _kept(keep, parse_time(now) if now is not None else None, project) if keep is not None else None
    if kept is not None:
        duty = duty[~duty["site_id"].isin(kept["routes"]["site_id"])].reset_index(drop=True)
    rules, cr, visits, d = _shift_duty(project, zones, duty, s_start, s_end, service_min)
    ops = plan_operations(
        project,
        s_start,
        12,
        rules,
        zones=zones,
        time_limit=o.time_limit,
        graph=graph,
        precaution_factor=o.precaution_factor,
        feedback=fb,
        duty=d,
        crew_rules=cr,
        span_cost=o.span_cost,
        start_from=kept["start_from"] if kept is not None else None,
        on_plan=on_plan,
    )
    plan = O.shift_view(ops, o.shift, by_crew=True)
    prio = dict(zip(visits["site_id"], visits["priority"]))
    plan.routes["priority"] = plan.routes["site_id"].map(prio).fillna(0).astype(int)
    plan.routes["address"] = plan.routes["site_id"].map(dict(zip(duty["site_id"], duty["address"]))).fillna("")
    plan.dropped = _dropped_view(ops.unmet, duty)
    if kept is not None:
        _prepend(plan, kept)
    plan.at = at
    plan.duty_source = source if kept is None else source + "+replan"
    plan.stats.update(total_s=round(time.perf_counter() - t_all, 3), stops=len(plan.routes), planner="plan_operations")
    fb.set_progress(
        100.0,
        Text(
            "{n} visits planned, {m} not served",
            "已安排 {n} 处到站，{m} 处未安排",
            n=len(plan.routes),
            m=len(plan.dropped),
        ),
    )
    return plan


def _shift_duty(project, zones, duty, s_start, s_end, service_min):
    """The shift's duty list as ``plan_operations`` input: the staffing rules, crew rules for crews
    driving themselves (one vehicle per crew, no relief windows, no gear or handover time), the
    visit rows and the ``Duty`` (no places, no tickets)."""
    from heatgis.analysis.staffing import StaffingRules
    from heatgis.routing import opsplan as O
    from heatgis.routing.crew_rules import CrewRules
    from heatgis.routing.duty import Duty, time_slices

    rules = StaffingRules()
    # the crew itself drives: one vehicle per crew, no relief windows, no gear time on a visit list
    cr = replace(
        CrewRules.of(rules),
        vehicles_per_crew=1,
        relief_before_min=0,
        relief_after_min=0,
        gear_entry_min=0,
        gear_exit_min=0,
        handover_min=0,
    )
    visits = _visit_rows(duty, s_start, s_end, service_min)
    d = Duty(
        s_start,
        s_end,
        time_slices(project, zones, rules, s_start, s_end),
        pd.DataFrame(columns=O.PLACE_COLUMNS + ["days", "level", "x", "y"]),
        visits,
        O.empty(O.TICKET_COLUMNS),
    )
    return rules, cr, visits, d


def _dropped_view(un, duty) -> pd.DataFrame:
    """The ``CrewPlan.dropped`` table of the plan's unmet rows ``un`` (names and kinds from the duty list)."""
    # the whole horizon is the shift: a window outside it is listed too
    return pd.DataFrame(
        {
            "site_id": un["site_id"],
            "kind": un["site_id"].map(dict(zip(duty["site_id"], duty["kind"]))).fillna(""),
            "name": un["site_id"].map(dict(zip(duty["site_id"], duty["name"]))).fillna(un["duty_id"]),
            "reason": [_reason(r, t) for r, t in zip(un["reason"], un["detail"])],
            "detail": un["detail"],
        },
        columns=P.DROPPED_COLUMNS,
    ).reset_index(drop=True)


def crews_view(project, at=None, hours: float = 24, time_limit: float = 2.0, feedback=None) -> P.CrewPlan:
    """Every stop of the crews' plan over ``[at, at + hours)`` as one ``CrewPlan``.

    The crews' operations plan (``plan_operations``, at most 72 h) when crew members are in the
    staff layer, else the duty list's visits of the shift holding ``at`` (``plan_routes``).
    """
    from heatgis.routing.ops import plan_operations
    from heatgis.routing.opsplan import shift_view

    staff = project.layer("staff") if project.has("staff") else None
    if (
        staff is not None
        and "crew_id" in staff.columns
        and staff["crew_id"].fillna("").astype(str).str.strip().ne("").any()
    ):
        ops = plan_operations(project, at, min(max(float(hours), 1.0), 72.0), time_limit=time_limit, feedback=feedback)
        return shift_view(ops, "all")
    return plan_routes(project, at, time_limit=time_limit, feedback=feedback)


def _visit_rows(duty, s_start, s_end, service_min) -> pd.DataFrame:
    """The duty list as ``duty.PATROL_COLUMNS`` rows of duty "visit" (service starts inside the window)."""
    from heatgis.routing.duty import PATROL_COLUMNS

    rows = []
    for r in duty.itertuples():
        sm = r.service_min if r.service_min is not None and pd.notna(r.service_min) else service_min.get(r.kind, 40)
        lo, hi = s_start, s_end
        if r.window_start is not None and pd.notna(r.window_start):
            lo = _at_time(r.window_start, s_start)
            hi = _at_time(r.window_end, s_start) + pd.Timedelta(minutes=float(sm))
        rows.append(
            {
                "duty_id": str(r.site_id),
                "duty": "visit",
                "site_id": str(r.site_id),
                "site_kind": r.kind,
                "name": r.name,
                "skill": "",
                "window_start": lo,
                "window_end": hi,
                "service_min": float(sm),
                "zone_ids": [],
                "priority": int(r.priority),
                "x": float(r.geometry.x),
                "y": float(r.geometry.y),
            }
        )
    return pd.DataFrame(rows, columns=PATROL_COLUMNS)


def _reason(reason: str, detail: str) -> str:
    """The operations plan's reason in the words of the single-shift plan (``plan`` reasons)."""
    from heatgis.routing import opsplan as O

    if reason == O.UNREACHABLE:
        return P.UNREACHABLE
    if reason == O.NO_VEHICLE_TIME and str(detail).startswith("no crew vehicle is on duty"):
        return P.OUTSIDE_SHIFT
    if reason == O.NO_VEHICLE_TIME and str(detail).startswith("too far"):
        return P.TOO_FAR
    return P.NO_CREW_TIME


def _kept(plan: P.CrewPlan, now, project) -> dict:
    """The visits started at ``now`` per crew, and where each crew then is (``start_from``)."""
    if now is None:
        raise HeatGISError(
            Text("re-planning needs the current time", "重新编排需要当前时间"),
            Text("give now= (the time of the re-plan)", "给出 now=（重新编排的时间）"),
        )
    allp = site_points(project).set_index("site_id")
    keep_rows, start_from = [], {}
    for c in plan.crews.itertuples():
        stops = plan.routes[plan.routes["crew_id"] == c.crew_id].sort_values("seq")
        left = [c.leave] + list(stops["depart"].iloc[:-1])
        k = int(sum(lv <= now for lv in left)) if len(stops) else 0
        kept = stops.iloc[:k]
        keep_rows.append(kept)
        if k:
            sid = str(kept["site_id"].iloc[-1])
            g = allp.at[sid, "geometry"]
            start_from[c.crew_id] = ("site", sid, g.x, g.y, max(kept["depart"].iloc[-1], now))
        else:
            start_from[c.crew_id] = ("depot", None, 0.0, 0.0, max(now, c.shift_start))
    routes = pd.concat(keep_rows, ignore_index=True) if keep_rows else P.empty_routes()
    legs = plan.legs.merge(routes[["crew_id", "seq"]], on=["crew_id", "seq"], how="inner")
    return {"routes": routes, "legs": legs, "crews": plan.crews, "start_from": start_from}


def _prepend(plan: P.CrewPlan, kept: dict) -> None:
    """Put each crew's kept visits (and their legs) before its re-planned ones (in place)."""
    import geopandas as gpd

    routes, legs = [], []
    for c in plan.crews.itertuples():
        pre = kept["routes"][kept["routes"]["crew_id"] == c.crew_id]
        mine = plan.routes[plan.routes["crew_id"] == c.crew_id].copy()
        ml = plan.legs[plan.legs["crew_id"] == c.crew_id].copy()
        mine["seq"] += len(pre)
        ml["seq"] += len(pre)
        routes += [pre, mine]
        legs += [kept["legs"][kept["legs"]["crew_id"] == c.crew_id], ml]
        i = plan.crews.index[plan.crews["crew_id"] == c.crew_id][0]
        if len(pre):
            old = kept["crews"].set_index("crew_id").loc[c.crew_id]
            plan.crews.at[i, "leave"] = old["leave"]
            if not len(mine):
                plan.crews.at[i, "back"] = old["back"]
    plan.routes = pd.concat([r for r in routes if len(r)] or [P.empty_routes()], ignore_index=True)[P.ROUTE_COLUMNS]
    plan.legs = gpd.GeoDataFrame(
        pd.concat([lg for lg in legs if len(lg)] or [plan.legs], ignore_index=True), geometry="geometry", crs=plan.crs
    )
    for i, c in plan.crews.iterrows():
        mine = plan.routes[plan.routes["crew_id"] == c["crew_id"]]
        ml = plan.legs[plan.legs["crew_id"] == c["crew_id"]]
        plan.crews.at[i, "stops"] = len(mine)
        plan.crews.at[i, "travel_s"] = float(ml["travel_s"].sum())
        plan.crews.at[i, "distance_m"] = float(ml["distance_m"].sum())
        plan.crews.at[i, "service_s"] = float(mine["service_min"].sum() * 60)


def _at_time(v, s_start):
    """A window bound: a full timestamp or HH:MM on the shift (after its start)."""
    if isinstance(v, str) and len(v) <= 5 and ":" in v:
        h, mi = (int(x) for x in v.split(":"))
        t = s_start.normalize() + pd.Timedelta(hours=h, minutes=mi)
        return t if t >= s_start else t + pd.Timedelta(days=1)
    return parse_time(v)
