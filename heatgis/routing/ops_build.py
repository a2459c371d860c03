"""Drive the solved routes again in time order and build the ``OpsPlan`` tables.

Each leg starts as late as the next stop's window allows (the vehicle waits where it is)
and is timed and drawn with the closures of the moment it starts; a stop whose window is
then missed, or that has become unreachable, is left out and listed as unmet (a ticket is
served late instead, marked late). A place is filled only when its person is set down in
time (or is already inside a closed-loop zone); a missed pick-up is listed on its own.
"""

from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd

from heatgis.routing import opsplan as O
from heatgis.text import Text


def assemble(
    project,
    duty,
    cr,
    members,
    veh,
    rr,
    nodes,
    n_dep,
    node_loc,
    gear_node,
    windows,
    service,
    sol,
    pre,
    unmet,
    net,
    origin,
    rules,
) -> O.OpsPlan:
    """The ``OpsPlan`` of the solved routes ``sol.routes``, driven again in time order (module docstring).

    ``pre`` holds the reasons of nodes left out before the search; ``unmet`` (rows, extended here)
    the places the roster could not fill.
    """
    ctx = SimpleNamespace(
        net=net,
        nodes=nodes,
        n_dep=n_dep,
        node_loc=node_loc,
        gear_node=gear_node,
        windows=windows,
        service=service,
        origin=origin,
        ts=_timestamps(origin),
        served={},  # node -> vehicle_id, crew_id, start, late
        missed={},  # node -> (reason, detail)
    )
    stops, legs, vrows = [], [], []
    for v, route in enumerate(sol.routes):
        vstops, vlegs, vrow = _drive_vehicle(ctx, veh, v, route)
        stops += vstops
        legs += vlegs
        vrows.append(vrow)
    names = dict(zip(members["staff_id"], members["name"]))
    crew_of = dict(zip(members["staff_id"], members["crew_id"]))
    place_rows, roster = _places_and_roster(ctx, duty, rr, pre, unmet, names, crew_of)
    roster += _vehicle_roster(veh, rr, names, crew_of)
    unmet += _unmet_visits(ctx, pre)
    tickets = _ticket_status(ctx, duty.tickets.copy())
    legs_df = gpd.GeoDataFrame(
        pd.DataFrame(legs, columns=O.LEG_COLUMNS + ["late"]).drop(columns="late"), geometry="geometry", crs=net.g.crs
    )
    stops_df = pd.DataFrame(stops, columns=O.STOP_COLUMNS)
    roster_df = (
        pd.DataFrame(roster, columns=O.ROSTER_COLUMNS)
        .sort_values(["start", "crew_id", "staff_id"], kind="stable")
        .reset_index(drop=True)
    )
    unmet_df = pd.DataFrame(unmet, columns=O.UNMET_COLUMNS)
    plan = O.OpsPlan(
        at=duty.at,
        end=duty.end,
        places=place_rows[O.PLACE_COLUMNS],
        roster=roster_df,
        vehicles=pd.DataFrame(vrows, columns=O.VEHICLE_COLUMNS),
        stops=stops_df,
        legs=legs_df,
        unmet=unmet_df,
        tickets=tickets,
        rules=cr,
        crs=net.g.crs,
        scenario=project.name,
        slices=[{"start": s["start"], "end": s["end"], "closed_zones": s["closed_zones"]} for s in duty.slices],
    )
    plan.stats["notes"] = list(duty.notes)
    return plan


def _timestamps(origin):
    """``ts(seconds)``: a Timestamp per whole second from ``origin``, made once (thousands of calls per plan)."""
    seen: dict = {}

    def ts(s):
        k = round(float(s))
        t = seen.get(k)
        if t is None:
            t = seen[k] = origin + pd.Timedelta(seconds=k)
        return t

    return ts


# -------------------------------------------------------------------- driving the routes


def _drive_vehicle(ctx, veh, v, route) -> tuple[list, list, dict]:
    """Drive vehicle ``v``'s route in time order: its stops, its legs and its row of the vehicles table.

    Each leg leaves as late as the next window allows and is timed with the closures of that
    moment; a stop then unreachable or past its window is skipped (into ``ctx.missed``), a late
    ticket is served late.
    """
    net, nodes, n_dep, ts = ctx.net, ctx.nodes, ctx.n_dep, ctx.ts
    windows, service = ctx.windows, ctx.service
    vr = veh.iloc[v]
    start_node = int(vr["start_node"]) if "start_node" in veh else int(sol_start(v, veh, n_dep))
    end_node = int(vr["end_node"]) if "end_node" in veh else start_node
    t = float((vr["avail_start"] - ctx.origin).total_seconds())
    t_end = float((vr["avail_end"] - ctx.origin).total_seconds())
    prev, seq = start_node, 0
    vstops, vlegs, done_nodes = [], [], []
    leave = None
    tasks = [nodes[i - n_dep]["task"] for i in route]
    load = max(tasks.count("drop") - tasks.count("board"), 0)  # set down without boarding here: aboard at start
    for i in route:
        nd = nodes[i - n_dep]
        a, b = int(ctx.node_loc[prev]), int(ctx.node_loc[i])
        gear_a, gear_b = bool(ctx.gear_node[prev]), bool(ctx.gear_node[i])
        guess, _, _ = net.leg(a, b, gear_a, gear_b, ts(t))
        dep = max(t, float(windows[i, 0]) - guess) if np.isfinite(guess) else t
        tt, direct, s = net.leg_in_time(a, b, gear_a, gear_b, ts(dep))
        tt = float(round(tt)) if np.isfinite(tt) else tt
        if not np.isfinite(tt):
            ctx.missed[i] = (
                O.UNREACHABLE,
                Text(
                    "no way there at {t:%m-%d %H:%M}: {why}",
                    "{t:%m-%d %H:%M} 时无路可达：{why}",
                    t=ts(dep),
                    why=net.reason(b, s),
                ),
            )
            continue
        arrive = dep + tt
        begin = max(arrive, float(windows[i, 0]))
        late = 0.0
        if begin > windows[i, 1] + 1:
            if nd["task"] != "ticket":
                ctx.missed[i] = (
                    O.WINDOW_MISSED,
                    Text(
                        "arrives {a:%H:%M}, window ends {e:%H:%M}",
                        "{a:%H:%M} 到达，时间窗 {e:%H:%M} 已结束",
                        a=ts(begin),
                        e=ts(windows[i, 1]),
                    ),
                )
                continue
            late = (begin - windows[i, 1]) / 60
        if leave is None:
            leave = dep
        seq += 1
        load += nd["load"]
        arcs = net.arcs(a, b, s, direct)
        dist = net.length(arcs)
        arrive, begin = _r(arrive), _r(begin)
        vstops.append(_stop_row(ctx, vr, seq, i, nd, arrive, begin, tt, dist, s, load, late))
        vlegs.append(_leg_row(ctx, vr, seq, a, nd["site"].site_id, dep, arrive, tt, dist, direct, arcs, s, b))
        ctx.served[i] = {"vehicle_id": vr["vehicle_id"], "crew_id": vr["crew_id"], "start": ts(begin), "late": late}
        done_nodes.append(i)
        t = begin + service[i]
        prev = i
    back = t
    if seq:
        a, b = int(ctx.node_loc[prev]), int(ctx.node_loc[end_node])
        tt, direct, s = net.leg_in_time(a, b, bool(ctx.gear_node[prev]), False, ts(t))
        tt = float(round(tt)) if np.isfinite(tt) else 0.0
        arcs = net.arcs(a, b, s, direct) if tt else []
        back = t + tt
        vlegs.append(_leg_row(ctx, vr, seq + 1, a, vr["depot_id"], t, back, tt, net.length(arcs), direct, arcs, s, b))
        if back > t_end + 1:
            vlegs[-1]["late"] = (back - t_end) / 60
    _as_late_as_possible(vstops, vlegs, [float(windows[i, 1]) for i in done_nodes], ts)
    for i, st in zip(done_nodes, vstops):
        ctx.served[i]["start"] = st["start"]
    if vlegs:
        leave = (vlegs[0]["depart"] - ctx.origin).total_seconds()
    vrow = {
        "vehicle_id": vr["vehicle_id"],
        "crew_id": vr["crew_id"],
        "crew_name": vr["crew_name"],
        "depot_id": vr["depot_id"],
        "depot_name": vr["depot_name"],
        "shift_start": vr["shift_start"],
        "shift_end": vr["shift_end"],
        "seats": int(vr["seats"]),
        "skills": vr["skills"],
        "team": vr["team"],
        "color": vr["color"],
        "stops": seq,
        "travel_s": float(sum(lg["travel_s"] for lg in vlegs)),
        "distance_m": float(sum(lg["distance_m"] for lg in vlegs)),
        "leave": ts(leave) if leave is not None else None,
        "back": ts(back) if seq else None,
    }
    return vstops, vlegs, vrow


def _stop_row(ctx, vr, seq, i, nd, arrive, begin, tt, dist, s, load, late) -> dict:
    """One row of the stops table: node ``i`` served by vehicle row ``vr`` (seconds from the origin)."""
    ts, site = ctx.ts, nd["site"]
    return {
        "vehicle_id": vr["vehicle_id"],
        "crew_id": vr["crew_id"],
        "seq": seq,
        "site_id": site.site_id,
        "site_kind": site.site_kind,
        "name": site.name,
        "address": "",
        "task": nd["task"],
        "duty_id": nd["duty_id"],
        "staff_ids": nd["staff"],
        "skill": nd["skill"],
        "arrive": ts(arrive),
        "start": ts(begin),
        "depart": ts(begin + ctx.service[i]),
        "window_start": ts(ctx.windows[i, 0]),
        "window_end": ts(ctx.windows[i, 1]),
        "travel_s": tt,
        "distance_m": dist,
        "zone_ids": ctx.net.zones_of(int(ctx.node_loc[i]), s),
        "load": load,
        "late": round(late, 1),
        "x": float(site.x),
        "y": float(site.y),
    }


def _leg_row(ctx, vr, seq, a, to_id, dep, arrive, tt, dist, direct, arcs, s, b) -> dict:
    """One row of the legs table: from location ``a`` to ``b`` (``to_id``) in slice ``s``."""
    ts, net = ctx.ts, ctx.net
    return {
        "vehicle_id": vr["vehicle_id"],
        "crew_id": vr["crew_id"],
        "seq": seq,
        "from_id": _lid(net, a),
        "to_id": to_id,
        "depart": ts(dep),
        "arrive": ts(arrive),
        "travel_s": tt,
        "distance_m": dist,
        "direct": direct,
        "closed_on_way": ";".join(net.closed_on_way(arcs, s, ts(dep), ts(arrive), a, b)),
        "geometry": net.geometry(arcs),
    }


# -------------------------------------------------------------------- places, roster, unmet, tickets


def _places_and_roster(ctx, duty, rr, pre, unmet, names, crew_of) -> tuple[pd.DataFrame, list]:
    """The places with their status (filled only when the person is set down) and the roster rows.

    A place whose drop-off was not served is unmet (appended to ``unmet``); a missed pick-up
    is listed on its own, the place still filled.
    """
    served, missed = ctx.served, ctx.missed
    place_rows = duty.places.copy()
    drop_of, pick_of = {}, {}
    for k, nd in enumerate(ctx.nodes):
        if nd["task"] in ("drop", "pickup"):
            (drop_of if nd["task"] == "drop" else pick_of)[nd["place"]] = ctx.n_dep + k
    roster, status, reason, staff, crews = [], [], [], [], []
    for p in place_rows.itertuples():
        sid = rr.assigned.get(p.place_id)
        why = rr.reasons.get(p.place_id, "")
        di = drop_of.get(p.place_id)
        if sid is not None and di is not None and di not in served:
            r, d = (
                pre.get(di)
                or missed.get(di)
                or (
                    O.NO_VEHICLE_TIME,
                    Text("no vehicle can set the person down before the shift", "没有车辆能在上岗前把人员送到"),
                )
            )
            detail = Text(
                "{sid} ({crew}) cannot be set down: {d}",
                "{sid}（{crew}）无法送达：{d}",
                sid=sid,
                crew=crew_of[sid],
                d=d,
            )
            unmet.append(_unmet_row(p.duty, p.place_id, p.site_id, p.skill, p.start, p.end, r, detail))
            why, sid = r, None
        if sid is None:
            status.append("unmet"), reason.append(why), staff.append(None), crews.append(None)
            continue
        pi = pick_of.get(p.place_id)
        if pi is not None and pi not in served:
            r, d = (
                pre.get(pi)
                or missed.get(pi)
                or (O.NO_VEHICLE_TIME, Text("no vehicle to take the person back", "没有车辆接回该人员"))
            )
            detail = Text("{sid}: {d}", "{sid}：{d}", sid=sid, d=d)
            unmet.append(_unmet_row("pickup", p.place_id, p.site_id, p.skill, p.end, p.end, r, detail))
        status.append("filled"), reason.append(""), staff.append(sid), crews.append(crew_of[sid])
        roster.append(
            {
                "staff_id": sid,
                "name": names[sid],
                "crew_id": crew_of[sid],
                "task": p.duty,
                "place_id": p.place_id,
                "site_id": p.site_id,
                "site_name": p.name,
                "skill": p.skill,
                "shift": p.shift,
                "start": p.start,
                "end": p.end,
                "vehicle_id": None,
                "drop_vehicle": served[di]["vehicle_id"] if di in served else "",
                "pickup_vehicle": served[pi]["vehicle_id"] if pi in served else "",
            }
        )
    place_rows["status"], place_rows["reason"] = status, reason
    place_rows["staff_id"], place_rows["crew_id"] = staff, crews
    return place_rows, roster


def _vehicle_roster(veh, rr, names, crew_of) -> list:
    """The roster rows of the people driving each vehicle shift (its team)."""
    rows = []
    for v in veh.itertuples():
        for sid in rr.assigned.get(v.vehicle_id, []):
            rows.append(
                {
                    "staff_id": sid,
                    "name": names[sid],
                    "crew_id": crew_of[sid],
                    "task": "vehicle",
                    "place_id": None,
                    "site_id": v.depot_id,
                    "site_name": v.depot_name,
                    "skill": None,
                    "shift": f"{v.shift_start:%H:%M}-{v.shift_end:%H:%M}",
                    "start": v.avail_start,
                    "end": v.avail_end,
                    "vehicle_id": v.vehicle_id,
                    "drop_vehicle": "",
                    "pickup_vehicle": "",
                }
            )
    return rows


def _unmet_visits(ctx, pre) -> list:
    """The unmet rows of the patrols, visits and tickets not served (relief stops are the places')."""
    rows = []
    for k, nd in enumerate(ctx.nodes):
        i = ctx.n_dep + k
        if nd["task"] in ("drop", "pickup", "board", "alight") or i in ctx.served:
            continue
        r, d = (
            pre.get(i)
            or ctx.missed.get(i)
            or (O.NO_VEHICLE_TIME, Text("no vehicle has time for it in its window", "时间窗内没有车辆有空"))
        )
        site = nd["site"]
        rows.append(
            _unmet_row(nd["task"], nd["duty_id"], site.site_id, nd["skill"], site.window_start, site.window_end, r, d)
        )
    return rows


def _ticket_status(ctx, tickets: pd.DataFrame) -> pd.DataFrame:
    """``tickets`` with status (planned or late), vehicle, crew, ETA and end of each ticket served."""
    if not len(tickets):
        return tickets
    node_of = {nd["duty_id"]: ctx.n_dep + k for k, nd in enumerate(ctx.nodes) if nd["task"] == "ticket"}
    for j, t in enumerate(tickets.itertuples()):
        i = node_of.get(t.ticket_id)
        if i in ctx.served:
            s = ctx.served[i]
            tickets.loc[tickets.index[j], ["status", "vehicle_id", "crew_id", "eta", "late"]] = [
                "late" if s["late"] > 0 else "planned",
                s["vehicle_id"],
                s["crew_id"],
                s["start"],
                s["late"],
            ]
            tickets.at[tickets.index[j], "done"] = s["start"] + pd.Timedelta(minutes=t.duration_min)
    return tickets


def _unmet_row(duty, duty_id, site_id, skill, start, end, reason, detail) -> dict:
    return {
        "duty": duty,
        "duty_id": duty_id,
        "site_id": site_id,
        "skill": skill,
        "start": start,
        "end": end,
        "reason": reason,
        "detail": detail,
    }


def _as_late_as_possible(vstops, vlegs, window_end, ts) -> None:
    """Move waiting to before the previous stop: each stop starts as late as its window and the next
    stop's start allow (people board as late as possible, the vehicle waits at the depot)."""
    for k in range(len(vstops) - 2, -1, -1):
        st, nxt = vstops[k], vstops[k + 1]
        svc = st["depart"] - st["start"]
        latest = nxt["start"] - pd.Timedelta(seconds=nxt["travel_s"]) - svc
        latest = min(latest, ts(window_end[k]))
        if latest > st["start"]:
            st["start"] = st["arrive"] = latest
            st["depart"] = latest + svc
    for k, st in enumerate(vstops):
        lg = vlegs[k]
        lg["arrive"] = st["arrive"] if st["arrive"] >= lg["arrive"] else lg["arrive"]
        lg["depart"] = lg["arrive"] - pd.Timedelta(seconds=lg["travel_s"])
    if vstops and len(vlegs) > len(vstops):
        back = vlegs[len(vstops)]
        back["depart"] = vstops[-1]["depart"]
        back["arrive"] = back["depart"] + pd.Timedelta(seconds=back["travel_s"])


def _r(x):
    return float(round(x))


def sol_start(v, veh, n_dep):
    """The depot node of vehicle ``v`` (depots are the first nodes, in order of first use)."""
    depots = list(dict.fromkeys(veh["depot_id"]))
    return depots.index(veh["depot_id"].iloc[v])


def _lid(net, loc) -> str:
    return str(net.locs[loc][1])
