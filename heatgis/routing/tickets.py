"""Repair and customer-visit tickets: a checked new ticket row, and a ticket inserted into a running plan.

``new_ticket(project, ...)`` makes one ``tickets`` row (checked: known site or a point on
the map, known kind and skill, deadline after the report) and ``with_ticket`` returns the
project's tickets layer with it added (the project itself is not changed; the CLI saves).

``insert_ticket(plan, ticket, now)`` puts the ticket into a plan made by
``plan_operations`` without planning again: the stops a vehicle has already started at
``now`` stay as they are; every vehicle whose team has the skill and is on duty is tried
at every later position of its route, driving the rest of the route again under the
closures of the moment (no other stop may then miss its window, and the vehicle must be
back by the end of its shift). The insertion that finishes the ticket first among those
that meet the deadline wins (ties: the least extra driving); when none meets it, the one
that finishes first is taken and the ticket is marked late.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import shapely

from heatgis.errors import HeatGISError
from heatgis.model.project import parse_time
from heatgis.model.schema import SKILLS, TICKET_KINDS
from heatgis.routing import opsplan as O
from heatgis.text import Text


def new_ticket(
    project,
    site_id=None,
    kind="repair",
    skill="operator",
    priority=1,
    duration_min=60.0,
    deadline=None,
    reported=None,
    ticket_id=None,
    x=None,
    y=None,
    name=None,
) -> dict:
    """One checked ticket row (a dict with a shapely ``geometry``).

    Raises
    ------
    HeatGISError
        Unknown site, a point outside the map, unknown kind or skill, bad times or duration.
    """
    from heatgis.routing.duty import _site_xy

    if kind not in TICKET_KINDS:
        raise HeatGISError(
            Text("the ticket kind '{kind}' is not known", "工单类型 '{kind}' 无法识别", kind=kind),
            Text(
                "use --kind {kinds}",
                "请使用 --kind {kinds_zh}",
                kinds=" or --kind ".join(TICKET_KINDS),
                kinds_zh=" 或 --kind ".join(TICKET_KINDS),
            ),
            layer="tickets",
            field="kind",
        )
    if skill not in SKILLS:
        raise HeatGISError(
            Text("the skill '{skill}' is not known", "技能 '{skill}' 无法识别", skill=skill),
            Text("use one of: {skills}", "请使用以下之一：{skills}", skills=", ".join(SKILLS)),
            layer="tickets",
            field="skill",
        )
    if duration_min is None or not np.isfinite(duration_min) or duration_min <= 0 or duration_min > 24 * 60:
        raise HeatGISError(
            Text(
                "the duration {d} is not a number of minutes between 1 and 1440",
                "时长 {d} 不是 1 到 1440 之间的分钟数",
                d=duration_min,
            ),
            Text("give --duration in minutes, e.g. 90", "用 --duration 给出分钟数，例如 90"),
            layer="tickets",
            field="duration_min",
        )
    if priority is None or int(priority) < 0:
        raise HeatGISError(
            Text("the priority {p} is negative", "优先级 {p} 为负数", p=priority),
            Text("use 0 (normal) or more (urgent)", "填写 0（普通）或更大的数（紧急）"),
            layer="tickets",
            field="priority",
        )
    sites = _site_xy(project)
    if site_id is not None:
        site_id = str(site_id)
        if site_id not in sites:
            raise HeatGISError(
                Text(
                    "the site '{site}' is not a station, boiler room or heat source of the project",
                    "'{site}' 不是本项目的换热站、锅炉房或热源",
                    site=site_id,
                ),
                Text("give the id of the site, e.g. --site ST-0001", "给出站点编号，例如 --site ST-0001"),
                file=project.path,
                layer="tickets",
                field="site_id",
            )
        x, y = sites[site_id]
    elif x is None or y is None:
        raise HeatGISError(
            Text("the ticket has neither a site nor a point", "工单既没有站点也没有坐标点"),
            Text("give --site ID or --x X --y Y", "给出 --site ID 或 --x X --y Y"),
            layer="tickets",
            field="site_id",
        )
    else:
        if not _on_map(project, float(x), float(y)):
            raise HeatGISError(
                Text(
                    "the point ({x:.0f}, {y:.0f}) lies outside the map (no district or road there)",
                    "坐标点 ({x:.0f}, {y:.0f}) 在地图范围之外（那里没有小区或道路）",
                    x=float(x),
                    y=float(y),
                ),
                Text(
                    "give a point inside the city in the project CRS, or a site with --site",
                    "给出项目坐标系下城区内的点，或用 --site 指定站点",
                ),
                file=project.path,
                layer="tickets",
                field="geometry",
            )
    rep = parse_time(reported, "reported") if reported is not None else project.reference_time
    dl = parse_time(deadline, "deadline") if deadline is not None else None
    if dl is not None and rep is not None and dl <= rep:
        raise HeatGISError(
            Text(
                "the deadline {dl:%Y-%m-%d %H:%M} is not after the report {rep:%Y-%m-%d %H:%M}",
                "截止时间 {dl:%Y-%m-%d %H:%M} 不晚于报修时间 {rep:%Y-%m-%d %H:%M}",
                dl=dl,
                rep=rep,
            ),
            Text("give a later --deadline", "给出更晚的 --deadline"),
            layer="tickets",
            field="deadline",
        )
    if ticket_id is None:
        have = set(project.layer("tickets")["ticket_id"].astype(str)) if project.has("tickets") else set()
        k = len(have) + 1
        while f"TK-{k:04d}" in have:
            k += 1
        ticket_id = f"TK-{k:04d}"
    return {
        "ticket_id": str(ticket_id),
        "kind": kind,
        "site_id": site_id,
        "skill": skill,
        "priority": int(priority),
        "duration_min": float(duration_min),
        "reported": rep,
        "deadline": dl,
        "status": "open",
        "name": name,
        "geometry": shapely.points(float(x), float(y)),
    }


def _on_map(project, x, y) -> bool:
    p = shapely.points(x, y)
    for layer in ("districts", "roads"):
        if project.has(layer) and len(project.layer(layer)):
            f = project.layer(layer)
            if layer == "districts":
                return bool(shapely.intersects(np.asarray(f.geometry.values), p).any())
            x0, y0, x1, y1 = f.total_bounds
            return x0 <= x <= x1 and y0 <= y <= y1
    return True


def with_ticket(project, row: dict):
    """The project's tickets layer with ``row`` added (a new GeoDataFrame; the project is unchanged)."""
    import geopandas as gpd

    from heatgis.model.schema import conform, empty_frame

    cur = project.layer("tickets") if project.has("tickets") else empty_frame("tickets", project.crs)
    if row["ticket_id"] in set(cur["ticket_id"].astype(str)):
        raise HeatGISError(
            Text("the ticket id '{id}' is already used", "工单编号 '{id}' 已被使用", id=row["ticket_id"]),
            Text("give another --id", "用 --id 给出另一个编号"),
            file=project.path,
            layer="tickets",
            row=row["ticket_id"],
        )
    add = gpd.GeoDataFrame([row], geometry="geometry", crs=project.crs)
    out = pd.concat([cur, add], ignore_index=True) if len(cur) else add
    return conform("tickets", gpd.GeoDataFrame(out, geometry="geometry", crs=project.crs))


def insert_ticket(plan: O.OpsPlan, ticket: dict, now=None) -> O.OpsPlan:
    """A copy of ``plan`` with ``ticket`` served by the best vehicle (module docstring).

    Parameters
    ----------
    plan : OpsPlan
        From ``plan_operations`` (it carries its travel network).
    ticket : dict
        A row from ``new_ticket`` (or a tickets-layer row as a dict).
    now : str or Timestamp, optional
        Work started before this stays; default the ticket's report time (not before ``plan.at``).
    """
    ctx = getattr(plan, "_ctx", None)
    if ctx is None:
        raise HeatGISError(
            Text("this plan has no travel network to insert into", "此计划没有可插入工单的路网"),
            Text("plan again with plan_operations", "用 plan_operations 重新编制计划"),
        )
    net = ctx["net"]
    rep = pd.Timestamp(ticket.get("reported") or plan.at)
    now = max(parse_time(now) if now is not None else rep, plan.at)
    deadline = (
        pd.Timestamp(ticket["deadline"])
        if ticket.get("deadline") is not None and pd.notna(ticket.get("deadline"))
        else plan.end
    )
    g = ticket["geometry"]
    sid = ticket.get("site_id") or ticket["ticket_id"]
    kind = "site" if ticket.get("site_id") else "point"
    loc = net.index(kind, sid, g.x, g.y)
    service = float(ticket["duration_min"]) * 60
    skill = ticket["skill"]
    out = copy.copy(plan)
    out.stops, out.legs, out.unmet, out.tickets = (
        plan.stops.copy(),
        plan.legs.copy(),
        plan.unmet.copy(),
        plan.tickets.copy(),
    )
    out.vehicles = plan.vehicles.copy()
    best = _best_insertion(plan, net, loc, service, skill, now, deadline)
    row = {
        "ticket_id": ticket["ticket_id"],
        "kind": ticket["kind"],
        "site_id": ticket.get("site_id") or "",
        "skill": skill,
        "priority": int(ticket.get("priority") or 0),
        "duration_min": float(ticket["duration_min"]),
        "reported": rep,
        "deadline": deadline,
        "status": "unmet",
        "vehicle_id": None,
        "crew_id": None,
        "eta": None,
        "done": None,
        "late": 0.0,
    }
    if best is None:
        why = (
            O.NO_CREW_SKILL
            if not any(skill in str(s).split(";") for s in plan.vehicles["skills"])
            else O.NO_VEHICLE_TIME
        )
        out.unmet = pd.concat(
            [
                out.unmet,
                pd.DataFrame(
                    [
                        {
                            "duty": "ticket",
                            "duty_id": ticket["ticket_id"],
                            "site_id": row["site_id"],
                            "skill": skill,
                            "start": rep,
                            "end": deadline,
                            "reason": why,
                            "detail": Text("no vehicle on duty can take it", "没有在岗车辆能接此工单"),
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    else:
        _, v, r, fixed, rest = best
        fixed = plan.stops.loc[[st.Index for st in fixed]]  # the prefix kept, as rows of plan.stops
        late = max(0.0, (r["start"] - (deadline - pd.Timedelta(seconds=service))).total_seconds() / 60)
        row.update(
            status="late" if r["done"] > deadline else "planned",
            vehicle_id=v.vehicle_id,
            crew_id=v.crew_id,
            eta=r["start"],
            done=r["done"],
            late=round(late, 1),
        )
        _apply(out, net, v, r, fixed, ticket, skill, sid, g, late, r["done"] > deadline)
    out.tickets = pd.concat(
        [out.tickets[out.tickets["ticket_id"] != row["ticket_id"]], pd.DataFrame([row])], ignore_index=True
    )[O.TICKET_COLUMNS]
    out._ctx = ctx
    return out


def _best_insertion(plan, net, loc, service, skill, now, deadline):
    """(key, vehicle row, ``_try`` result, fixed stops, rest) of the best place for the ticket, or None.

    Each vehicle whose team has ``skill`` and is on duty after ``now`` keeps the stops started by
    ``now`` and takes the ticket at each later position of its route; the best is on time first,
    then done soonest, then with the least driving.
    """
    best = None
    by_vehicle: dict = {}  # vehicle_id -> its stops in order (rows read once, not per vehicle)
    for st in plan.stops.sort_values(["vehicle_id", "seq"], kind="stable").itertuples():
        by_vehicle.setdefault(st.vehicle_id, []).append(st)
    for v in plan.vehicles.itertuples():
        if skill not in str(v.skills).split(";") or not v.team:
            continue
        a0, a1 = _avail(plan, v)
        if a1 <= now:
            continue
        route = by_vehicle.get(v.vehicle_id, [])
        fixed = [st for st in route if st.start <= now]
        rest = [_stop_entry(net, st) for st in route if st.start > now]
        last = fixed[-1] if fixed else None
        depot = net.index("depot", v.depot_id)
        head = _start_state(net, last, now, a0, depot)
        for pos in range(len(rest) + 1):
            if pos:  # the prefix rest[:pos] is driven once, one stop further each time
                head = _drive(net, rest[pos - 1 : pos], head)
                if head is None:  # a window of the prefix breaks: so it does at every later position
                    break
            r = _try(net, head, rest[pos:], loc, service, now, a1, depot)
            if r is None:
                continue
            done = r["done"]
            key = (0 if done <= deadline else 1, done, r["travel"])
            if best is None or key < best[0]:
                best = (key, v, r, fixed, rest)
    return best


def _avail(plan, v):
    a0 = max(pd.Timestamp(v.shift_start), plan.at - pd.Timedelta(minutes=plan.rules.relief_before_min))
    a1 = min(pd.Timestamp(v.shift_end), plan.end + pd.Timedelta(minutes=plan.rules.relief_after_min))
    return a0, a1


def _loc_of(net, row):
    kind = "depot" if row is None else (row.site_kind if row.site_kind in ("depot", "point") else "site")
    return net.index(kind, row.site_id, row.x, row.y)


def _stop_entry(net, st) -> tuple:
    """A planned stop as ``_try`` drives it: (row, location, gear on, window start, window end, service s)."""
    return (
        st,
        _loc_of(net, st),
        st.task in ("patrol", "ticket"),
        pd.Timestamp(st.window_start),
        pd.Timestamp(st.window_end),
        (pd.Timestamp(st.depart) - pd.Timestamp(st.start)).total_seconds(),
    )


def _start_state(net, last, now, a0, depot) -> tuple:
    """Where and when the vehicle is free to take new work at ``now``: the state ``_drive`` goes on from
    (timeline, travel, location, gear on, time): after its last stop started, else at its depot."""
    if last is not None:
        prev, prev_gear = _loc_of(net, last), last.task in ("patrol", "ticket")
        t = max(pd.Timestamp(last.depart), now).round("s")
    else:
        prev, prev_gear, t = depot, False, max(now, a0).round("s")
    return [], 0.0, prev, prev_gear, t


def _drive(net, entries, state):
    """The state after driving to and serving ``entries`` (``_stop_entry`` tuples) from ``state``
    (``_start_state``); None when one is unreachable or (not a ticket) misses its window."""
    timeline, travel, prev, prev_gear, t = state
    timeline = list(timeline)
    for st, b, gear, ws, we, svc in entries:
        tt, direct, s = net.leg_in_time(prev, b, prev_gear, gear, t)
        if not np.isfinite(tt):
            return None
        tt = float(round(tt))
        arrive = t + pd.Timedelta(seconds=tt)
        begin = max(arrive, ws)
        if we is not None and begin > we + pd.Timedelta(seconds=60) and st.task != "ticket":
            return None
        timeline.append((st, prev, b, t, arrive, begin, tt, direct, s))
        travel += tt
        t = begin + pd.Timedelta(seconds=svc)
        prev, prev_gear = b, gear
    return timeline, travel, prev, prev_gear, t


def _try(net, head, tail, loc, service, now, a1, depot):
    """From the driven prefix ``head`` (``_drive``): the ticket, then ``tail``, then back to the depot by
    ``a1``; None when a window breaks or the vehicle is back too late."""
    state = _drive(net, [(None, loc, True, now, None, service)] + list(tail), head)
    if state is None:
        return None
    timeline, travel, prev, prev_gear, t = state
    tt, _, _ = net.leg_in_time(prev, depot, prev_gear, False, t)
    tt = float(round(tt)) if np.isfinite(tt) else tt
    if not np.isfinite(tt) or t + pd.Timedelta(seconds=tt) > a1 + pd.Timedelta(minutes=1):
        return None
    me = next(x for x in timeline if x[0] is None)
    return {
        "timeline": timeline,
        "travel": travel + tt,
        "start": me[5],
        "done": me[5] + pd.Timedelta(seconds=service),
        "back": t + pd.Timedelta(seconds=tt),
    }


def _apply(out, net, v, r, fixed, ticket, skill, sid, g, late, is_late):
    """Write the new route of vehicle ``v`` into ``out`` (stops and legs after the fixed prefix)."""
    import geopandas as gpd

    keep = out.stops[(out.stops["vehicle_id"] != v.vehicle_id) | out.stops.index.isin(fixed.index)]
    rows, legs = [], []
    seq0 = len(fixed)
    for k, (st, a, b, dep, arrive, begin, tt, direct, s) in enumerate(r["timeline"]):
        seq = seq0 + k + 1
        arcs = net.arcs(a, b, s, direct)
        dist = net.length(arcs)
        if st is None:
            d = {
                "vehicle_id": v.vehicle_id,
                "crew_id": v.crew_id,
                "seq": seq,
                "site_id": sid,
                "site_kind": "site" if ticket.get("site_id") else "point",
                "name": ticket.get("name") or ticket["kind"],
                "address": "",
                "task": "ticket",
                "duty_id": ticket["ticket_id"],
                "staff_ids": "",
                "skill": skill,
                "arrive": arrive,
                "start": begin,
                "depart": r["done"],
                "window_start": arrive,
                "window_end": pd.Timestamp(ticket["deadline"]) if ticket.get("deadline") is not None else None,
                "travel_s": tt,
                "distance_m": dist,
                "zone_ids": net.zones_of(b, s),
                "load": rows[-1]["load"] if rows else (int(fixed["load"].iloc[-1]) if len(fixed) else 0),
                "late": round(late, 1) if is_late else 0.0,
                "x": g.x,
                "y": g.y,
            }
        else:
            d = st._asdict()
            d.pop("Index", None)
            svc = pd.Timestamp(st.depart) - pd.Timestamp(st.start)
            d.update(seq=seq, arrive=arrive, start=begin, depart=begin + svc, travel_s=tt, distance_m=dist)
        rows.append(d)
        legs.append(
            {
                "vehicle_id": v.vehicle_id,
                "crew_id": v.crew_id,
                "seq": seq,
                "from_id": str(net.locs[a][1]),
                "to_id": d["site_id"],
                "depart": dep,
                "arrive": arrive,
                "travel_s": tt,
                "distance_m": dist,
                "direct": direct,
                "closed_on_way": ";".join(net.closed_on_way(arcs, s, dep, arrive, a, b)),
                "geometry": net.geometry(arcs),
            }
        )
    last = r["timeline"][-1]
    t_back0 = r["back"]
    depot = net.index("depot", v.depot_id)
    dep = rows[-1]["depart"]
    tt, direct, s = net.leg_in_time(last[2], depot, True, False, dep)
    arcs = net.arcs(last[2], depot, s, direct)
    legs.append(
        {
            "vehicle_id": v.vehicle_id,
            "crew_id": v.crew_id,
            "seq": seq0 + len(rows) + 1,
            "from_id": rows[-1]["site_id"],
            "to_id": v.depot_id,
            "depart": dep,
            "arrive": t_back0,
            "travel_s": tt,
            "distance_m": net.length(arcs),
            "direct": direct,
            "closed_on_way": ";".join(net.closed_on_way(arcs, s, dep, t_back0, last[2], depot)),
            "geometry": net.geometry(arcs),
        }
    )
    out.stops = (
        pd.concat([keep, pd.DataFrame(rows, columns=O.STOP_COLUMNS)], ignore_index=True)
        .sort_values(["vehicle_id", "seq"], kind="stable")
        .reset_index(drop=True)
    )
    old = out.legs
    kept = old[(old["vehicle_id"] != v.vehicle_id) | (old["seq"] <= seq0)]
    out.legs = gpd.GeoDataFrame(
        pd.concat([kept, gpd.GeoDataFrame(legs, geometry="geometry", crs=old.crs)], ignore_index=True),
        geometry="geometry",
        crs=old.crs,
    )
    mine = out.legs[out.legs["vehicle_id"] == v.vehicle_id]
    i = out.vehicles.index[out.vehicles["vehicle_id"] == v.vehicle_id][0]
    out.vehicles.loc[i, ["stops", "travel_s", "distance_m"]] = [
        int((out.stops["vehicle_id"] == v.vehicle_id).sum()),
        float(mine["travel_s"].sum()),
        float(mine["distance_m"].sum()),
    ]
    out.vehicles.at[i, "back"] = t_back0
    if pd.isna(out.vehicles.at[i, "leave"]):
        out.vehicles.at[i, "leave"] = legs[0]["depart"]
